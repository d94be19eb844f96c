//! sphere: f = ι_S, the indicator of the sphere S = {‖z‖ = R}, R ∈ [0.8, 1.2] (a C² manifold,
//! prox-regular, not convex). For a radial φ = h(‖·‖²) the φ-prox is the radial projection
//! P(v) = R v/‖v‖ (v ≠ 0), since φ(v − z) increases with ‖v − z‖ and the Euclidean nearest point
//! of S is R v/‖v‖; at v = 0 every point of S is a minimizer.

use super::ellipse::EllipsoidSurface;
use crate::random::SeedGen;
use crate::TheoryError;

/// ι_S for ‖z‖ = r.
pub fn sphere(m: usize, r: f64) -> Result<EllipsoidSurface, TheoryError> {
    EllipsoidSurface::from_axes("sphere", &vec![r; m])
}

/// The generated sphere: R ∈ [0.8, 1.2].
pub fn generate(m: usize, g: &mut SeedGen) -> EllipsoidSurface {
    let r = g.uniform(0.8, 1.2);
    sphere(m, r).expect("positive radius")
}
