//! separable-sum: f(z) = Σᵢ fᵢ(zᵢ) with coordinates of the other families ([`ScalarTerm`]):
//! smooth 1-D nonconvex terms, ℓ1 plus smooth, MCP. Also the common type of every separable
//! family ([`SeparableFamily`]): l1-smooth, mcp, neg-abs, neg-l1.
//!
//! Certificates, coordinate by coordinate ([`ScalarTerm`]): r = maxᵢ rᵢ (f + r‖·‖²/2 convex);
//! the minorant sums; λ_f = ∞ because every coordinate grows at most linearly downwards
//! (h ≥ 0 in every generator), which a super-coercive (A4) or bounded-domain φ dominates.

use crate::random::SeedGen;
use super::scalar::ScalarTerm;
use super::{Family, Minorant, Structure, separable_impl};
use crate::prox::certificate::PhiCertificate;
use crate::{Matrix, TheoryError, Vector};

/// Σᵢ fᵢ(zᵢ).
#[derive(Debug, Clone)]
pub struct SeparableFamily {
    name: &'static str,
    terms: Vec<ScalarTerm>,
}

impl SeparableFamily {
    /// From its coordinates (h ≥ 0 required, see the module doc).
    pub fn new(name: &'static str, terms: Vec<ScalarTerm>) -> Result<Self, TheoryError> {
        if terms.is_empty() {
            return Err(TheoryError::InvalidParameter { name: "dimension", value: "0".into(), expected: "m ≥ 1" });
        }
        if let Some(s) = terms.iter().find(|s| !(s.h >= 0.0)) {
            return Err(TheoryError::InvalidParameter { name: "h", value: format!("{}", s.h), expected: "h ≥ 0" });
        }
        Ok(SeparableFamily { name, terms })
    }

    /// The coordinates.
    pub fn terms(&self) -> &[ScalarTerm] {
        &self.terms
    }
}

/// A smooth nonconvex 1-D term h t²/2 + b t + a cos(ωt + c), h ∈ [0.3, 1.2], b ~ N(0, 0.5²),
/// |a| ∈ [0.3, 1], ω ∈ [0.6, 1.4].
pub fn smooth_term(g: &mut SeedGen) -> ScalarTerm {
    ScalarTerm {
        h: g.uniform(0.3, 1.2),
        b: 0.5 * g.normal(),
        a: g.sign() * g.uniform(0.3, 1.0),
        omega: g.uniform(0.6, 1.4),
        c: g.uniform(0.0, std::f64::consts::TAU),
        ..ScalarTerm::zero()
    }
}

impl Family for SeparableFamily {
    fn name(&self) -> String {
        self.name.into()
    }
    fn dim(&self) -> usize {
        self.terms.len()
    }
    fn structure(&self) -> Structure<'_> {
        Structure::Separable(&self.terms)
    }
    fn value(&self, z: &Vector) -> Result<f64, TheoryError> {
        separable_impl::value(&self.terms, z)
    }
    fn subgradient(&self, z: &Vector) -> Result<Vector, TheoryError> {
        separable_impl::subgradient(&self.terms, z)
    }
    fn subdifferential_distance(&self, z: &Vector, y: &Vector) -> Result<f64, TheoryError> {
        separable_impl::distance(&self.terms, z, y)
    }
    fn nearest_subgradient(&self, z: &Vector, y: &Vector) -> Result<Vector, TheoryError> {
        separable_impl::nearest(&self.terms, z, y)
    }
    fn hessian(&self, _z: &Vector) -> Option<Result<Matrix, TheoryError>> {
        None
    }
    fn weak_convexity_modulus(&self) -> Option<f64> {
        separable_impl::modulus(&self.terms)
    }
    fn minorant(&self) -> Option<Minorant> {
        Some(separable_impl::minorant(&self.terms))
    }
    fn lower_bound(&self) -> Option<f64> {
        separable_impl::lower_bound(&self.terms)
    }
    fn threshold(&self, _phi: &PhiCertificate) -> f64 {
        f64::INFINITY
    }
    fn prox_regular(&self) -> bool {
        self.terms.iter().all(|s| s.kappa >= 0.0)
    }
}
