//! The not-prox-regular controls (docs/checks.md): `neg-abs` f(z) = −|z| (m = 1) and `neg-l1`
//! f(z) = −‖z‖₁. At z = 0 the limiting subdifferential is {−1, 1} per coordinate (Definition 4.1):
//! no r makes (11) hold, so f is not prox-regular at 0, and at v = 0 the prox (3) is two-valued
//! (P(0) = {±z*} by the symmetry z ↦ −z of the inner problem for an even φ) and the envelope has a
//! concave kink: Theorem 4.3's conclusions fail there, which the checks must flag.
//!
//! Both grow linearly downwards, so λ_f = ∞ for every super-coercive (A4) or bounded-domain φ.

use super::scalar::ScalarTerm;
use super::separable_sum::SeparableFamily;
use crate::TheoryError;

/// −|t|.
pub fn neg_abs_term() -> ScalarTerm {
    ScalarTerm { kappa: -1.0, ..ScalarTerm::zero() }
}

/// f(z) = −|z| on ℝ (m must be 1; use `neg-l1` in higher dimension).
pub fn neg_abs(m: usize) -> Result<SeparableFamily, TheoryError> {
    if m != 1 {
        return Err(TheoryError::DimensionMismatch { what: "neg-abs (−|z| is one-dimensional; use neg-l1)", expected: 1, got: m });
    }
    SeparableFamily::new("neg-abs", vec![neg_abs_term()])
}

/// f(z) = −‖z‖₁ on ℝᵐ.
pub fn neg_l1(m: usize) -> Result<SeparableFamily, TheoryError> {
    SeparableFamily::new("neg-l1", vec![neg_abs_term(); m])
}
