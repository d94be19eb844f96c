//! Function families f for the φ-prox (3) and the φ-envelope (2), with the certificates the
//! checks of Definition 3.3 and Theorem 4.3 need (docs/checks.md, "Function
//! families").
//!
//! Each family gives its value (`+∞` outside dom f for indicators), an element of the limiting
//! subdifferential (Definition 4.1), the distance of a vector to ∂f(z) (for formula (12)), its
//! Hessian where f is C², and certificates: a weak-convexity modulus r (f + r‖·‖²/2 convex, hence
//! prox-regular everywhere), a quadratic minorant (it bounds the region where minimizers of (3)
//! can lie), a lower bound where f is bounded below (then λ_f = ∞), and the threshold λ_f(φ) of
//! Definition 3.3 where it is finite.
//!
//! Families are generated deterministically from a seed ([`registry::build`]), so a proptest
//! strategy over `u64` seeds is a strategy over families.
//!
//! ```
//! use infconv_theory::family::registry;
//! let f = registry::build("smooth-nonconvex", 2, 7).unwrap();
//! assert_eq!(f.dim(), 2);
//! assert!(f.prox_regular());
//! assert!(f.weak_convexity_modulus().is_some());
//! ```

pub mod ellipse;
pub mod indefinite_quadratic;
pub mod l1_smooth;
pub mod mcp;
pub mod neg_abs;
pub mod registry;
pub mod scalar;
pub mod separable_sum;
pub mod smooth_nonconvex;
pub mod sphere;

use crate::prox::certificate::PhiCertificate;
use crate::{Matrix, TheoryError, Vector};
use scalar::ScalarTerm;
use std::fmt;

/// How the prox solvers see a family.
#[derive(Debug, Clone, Copy)]
pub enum Structure<'a> {
    /// f is C² on ℝᵐ: value, gradient and Hessian everywhere.
    Smooth,
    /// f(z) = Σᵢ fᵢ(zᵢ) with piecewise-C² coordinates (ℓ1, MCP, −|·|, smooth 1-D terms).
    Separable(&'a [ScalarTerm]),
    /// f = ι_M, the indicator of the ellipsoid surface M = {z : Σᵢ dᵢ zᵢ² = 1} (a C² manifold;
    /// a sphere of radius R has dᵢ = 1/R²).
    Ellipsoid(&'a [f64]),
}

/// f(z) ≥ −a‖z‖² − b‖z‖ − c on ℝᵐ, and optionally the sharper quadratic minorant
/// f(z) ≥ ½zᵀAz + gᵀz (exact for a quadratic f), which keeps its directions: with a quadratic φ
/// the oracle's region then ends exactly at the threshold λ_f (see `prox::oracle`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Minorant {
    /// Quadratic coefficient a ≥ 0.
    pub a: f64,
    /// Linear coefficient b ≥ 0.
    pub b: f64,
    /// Constant c.
    pub c: f64,
    /// (A, g) with f(z) ≥ ½zᵀAz + gᵀz.
    pub quadratic: Option<(Matrix, Vector)>,
}

/// A function family f: ℝᵐ → ℝ ∪ {+∞} of the prox checks.
pub trait Family: Send + Sync + fmt::Debug {
    /// Name as on the command line (`smooth-nonconvex`, `neg-abs`, …).
    fn name(&self) -> String;
    /// The dimension m.
    fn dim(&self) -> usize;
    /// How the solvers see it.
    fn structure(&self) -> Structure<'_>;
    /// f(z), `+∞` outside dom f.
    fn value(&self, z: &Vector) -> Result<f64, TheoryError>;
    /// An element of the limiting subdifferential ∂f(z) (Definition 4.1): the gradient where f is
    /// differentiable, the element of least norm at a kink, 0 ∈ N_M(z) on a manifold.
    fn subgradient(&self, z: &Vector) -> Result<Vector, TheoryError>;
    /// dist(y, ∂f(z)), the residual of y ∈ ∂f(z) in formula (12).
    fn subdifferential_distance(&self, z: &Vector, y: &Vector) -> Result<f64, TheoryError>;
    /// The element of ∂f(z) nearest to y (the subgradient of minimal distance, which attains
    /// [`Family::subdifferential_distance`]): the point from which formula (12) is evaluated in the
    /// resolvent's direction, v = z + ∇φ*(λy). The gradient where f is differentiable; an error
    /// where ∂f(z) is empty (off the manifold of an indicator).
    fn nearest_subgradient(&self, z: &Vector, y: &Vector) -> Result<Vector, TheoryError>;
    /// ∇²f(z) where f is C² (`None` for families that are not C² on ℝᵐ).
    fn hessian(&self, z: &Vector) -> Option<Result<Matrix, TheoryError>>;
    /// A weak-convexity modulus r: f + r‖·‖²/2 is convex (`None` when no r exists: indicators of
    /// nonconvex manifolds, concave kinks).
    fn weak_convexity_modulus(&self) -> Option<f64>;
    /// f(z) ≥ −a‖z‖² − b‖z‖ − c (`None` when f is not finite on ℝᵐ: indicators).
    fn minorant(&self) -> Option<Minorant>;
    /// inf f where a lower bound is known (then λ_f = ∞ for every φ).
    fn lower_bound(&self) -> Option<f64>;
    /// The threshold λ_f(φ) of Definition 3.3 (`+∞` when f is φ-prox-bounded for every λ; 0,
    /// certifying no λ, for a certificate that does not fit f, e.g. of another dimension).
    fn threshold(&self, phi: &PhiCertificate) -> f64;
    /// Whether f is prox-regular everywhere (Definition 4.2); false for the `neg-` controls.
    fn prox_regular(&self) -> bool;
}

/// Dimension check shared by the families.
pub(crate) fn check_z(what: &'static str, m: usize, z: &Vector) -> Result<(), TheoryError> {
    crate::error::ensure_dim(what, m, z.len())?;
    // ±∞ is not a point of ℝᵐ: a typed error like NaN (the families are evaluated at points).
    crate::error::ensure_finite(what, z.as_slice())
}

/// Shared implementation of the [`Family`] methods of a separable family Σᵢ fᵢ(zᵢ).
pub(crate) mod separable_impl {
    use super::*;

    pub fn value(terms: &[ScalarTerm], z: &Vector) -> Result<f64, TheoryError> {
        check_z("family value", terms.len(), z)?;
        // Finite at every finite z in exact arithmetic: an overflow (or ∞ − ∞) is a typed error.
        crate::error::finite_scalar("family value (overflow)", terms.iter().zip(z.iter()).map(|(s, &t)| s.value(t)).sum())
    }

    pub fn subgradient(terms: &[ScalarTerm], z: &Vector) -> Result<Vector, TheoryError> {
        check_z("family subgradient", terms.len(), z)?;
        crate::error::finite_vector(
            "family subgradient (overflow)",
            Vector::from_iterator(terms.len(), terms.iter().zip(z.iter()).map(|(s, &t)| s.min_norm_subgradient(t))),
        )
    }

    pub fn distance(terms: &[ScalarTerm], z: &Vector, y: &Vector) -> Result<f64, TheoryError> {
        check_z("family subdifferential", terms.len(), z)?;
        check_z("family subdifferential", terms.len(), y)?;
        let s: f64 = terms.iter().zip(z.iter().zip(y.iter())).map(|(s, (&t, &yi))| s.subdifferential_distance(t, yi).powi(2)).sum();
        crate::error::finite_scalar("family subdifferential distance (overflow)", s.sqrt())
    }

    pub fn nearest(terms: &[ScalarTerm], z: &Vector, y: &Vector) -> Result<Vector, TheoryError> {
        check_z("family subdifferential", terms.len(), z)?;
        check_z("family subdifferential", terms.len(), y)?;
        crate::error::finite_vector(
            "family nearest subgradient (overflow)",
            Vector::from_iterator(terms.len(), terms.iter().zip(z.iter().zip(y.iter())).map(|(s, (&t, &yi))| s.nearest_subgradient(t, yi))),
        )
    }

    pub fn modulus(terms: &[ScalarTerm]) -> Option<f64> {
        terms.iter().map(|s| s.weak_convexity_modulus()).try_fold(0.0f64, |acc, r| r.map(|r| acc.max(r)))
    }

    /// Σ over coordinates: a = max aᵢ (Σ aᵢ zᵢ² ≤ max aᵢ ‖z‖²), b = ‖(bᵢ)‖ (Cauchy–Schwarz), c = Σ cᵢ.
    pub fn minorant(terms: &[ScalarTerm]) -> Minorant {
        let mut m = Minorant::default();
        for s in terms {
            let (a, b, c) = s.minorant();
            m.a = m.a.max(a);
            m.b += b * b;
            m.c += c;
        }
        m.b = m.b.sqrt();
        m
    }

    pub fn lower_bound(terms: &[ScalarTerm]) -> Option<f64> {
        terms.iter().map(|s| s.lower_bound()).sum()
    }
}
