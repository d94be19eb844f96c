//! ellipse: f = ι_M, the indicator of the ellipsoid surface M = {z : Σᵢ dᵢzᵢ² = 1} (semi-axes
//! 1/√dᵢ). M is a C² manifold, so ι_M is prox-regular (section 4, example (iii)) but not convex
//! and not weakly convex. ∂ι_M(z) = N_M(z) = span{Dz} on M (Definition 4.1); f ≥ 0, so λ_f = ∞.
//! Also the type of `sphere` (all dᵢ = 1/R²).

use crate::random::SeedGen;
use super::{Family, Minorant, Structure, check_z};
use crate::prox::certificate::PhiCertificate;
use crate::{Matrix, TheoryError, Vector};

/// Points with |zᵀDz − 1| ≤ this count as on M (the solvers normalize onto M, leaving a few ε).
pub const ON_MANIFOLD_TOL: f64 = 1e-12;

/// ι_M for M = {Σᵢ dᵢzᵢ² = 1}.
#[derive(Debug, Clone)]
pub struct EllipsoidSurface {
    name: &'static str,
    d: Vec<f64>,
}

impl EllipsoidSurface {
    /// From the semi-axes (all > 0).
    pub fn from_axes(name: &'static str, axes: &[f64]) -> Result<Self, TheoryError> {
        if axes.is_empty() {
            return Err(TheoryError::InvalidParameter { name: "dimension", value: "0".into(), expected: "m ≥ 1" });
        }
        if let Some(a) = axes.iter().find(|a| !(**a > 0.0 && a.is_finite())) {
            return Err(TheoryError::InvalidParameter { name: "semi-axis", value: format!("{a}"), expected: "a positive number" });
        }
        Ok(EllipsoidSurface { name, d: axes.iter().map(|a| 1.0 / (a * a)).collect() })
    }

    /// The generated ellipse: semi-axes in [0.7, 1.5].
    pub fn generate(m: usize, g: &mut SeedGen) -> Self {
        let axes: Vec<f64> = (0..m).map(|_| g.uniform(0.7, 1.5)).collect();
        EllipsoidSurface::from_axes("ellipse", &axes).expect("positive axes")
    }

    /// The coefficients dᵢ.
    pub fn d(&self) -> &[f64] {
        &self.d
    }

    /// zᵀDz.
    pub fn quadratic(&self, z: &Vector) -> f64 {
        z.iter().zip(&self.d).map(|(x, d)| d * x * x).sum()
    }

    fn on_manifold(&self, z: &Vector) -> bool {
        (self.quadratic(z) - 1.0).abs() <= ON_MANIFOLD_TOL
    }
}

impl Family for EllipsoidSurface {
    fn name(&self) -> String {
        self.name.into()
    }
    fn dim(&self) -> usize {
        self.d.len()
    }
    fn structure(&self) -> Structure<'_> {
        Structure::Ellipsoid(&self.d)
    }
    fn value(&self, z: &Vector) -> Result<f64, TheoryError> {
        check_z("indicator value", self.dim(), z)?;
        Ok(if self.on_manifold(z) { 0.0 } else { f64::INFINITY })
    }
    fn subgradient(&self, z: &Vector) -> Result<Vector, TheoryError> {
        check_z("indicator subgradient", self.dim(), z)?;
        if !self.on_manifold(z) {
            return Err(TheoryError::OutsideDomain { what: "∂ι_M outside M", point_norm: z.norm() });
        }
        Ok(Vector::zeros(self.dim()))
    }
    /// dist(y, span{Dz}) on M, +∞ off M.
    fn subdifferential_distance(&self, z: &Vector, y: &Vector) -> Result<f64, TheoryError> {
        check_z("indicator subdifferential", self.dim(), z)?;
        check_z("indicator subdifferential", self.dim(), y)?;
        if !self.on_manifold(z) {
            return Ok(f64::INFINITY);
        }
        let n = Vector::from_iterator(self.dim(), z.iter().zip(&self.d).map(|(x, d)| d * x));
        let nn = n.norm_squared();
        crate::error::finite_scalar("indicator subdifferential distance (overflow)", (y - &n * (y.dot(&n) / nn)).norm())
    }
    /// The projection of y onto N_M(z) = span{Dz}; an error off M (∂ι_M(z) = ∅).
    fn nearest_subgradient(&self, z: &Vector, y: &Vector) -> Result<Vector, TheoryError> {
        check_z("indicator subdifferential", self.dim(), z)?;
        check_z("indicator subdifferential", self.dim(), y)?;
        if !self.on_manifold(z) {
            return Err(TheoryError::OutsideDomain { what: "∂ι_M outside M", point_norm: z.norm() });
        }
        let n = Vector::from_iterator(self.dim(), z.iter().zip(&self.d).map(|(x, d)| d * x));
        let nn = n.norm_squared();
        crate::error::finite_vector("indicator nearest subgradient (overflow)", &n * (y.dot(&n) / nn))
    }
    fn hessian(&self, _z: &Vector) -> Option<Result<Matrix, TheoryError>> {
        None
    }
    fn weak_convexity_modulus(&self) -> Option<f64> {
        None
    }
    fn minorant(&self) -> Option<Minorant> {
        None
    }
    fn lower_bound(&self) -> Option<f64> {
        Some(0.0)
    }
    fn threshold(&self, _phi: &PhiCertificate) -> f64 {
        f64::INFINITY
    }
    fn prox_regular(&self) -> bool {
        true
    }
}
