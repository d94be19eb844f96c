//! Negative control `entropy-box`: φ(w) = Σᵢ (1+wᵢ)ln(1+wᵢ) + (1−wᵢ)ln(1−wᵢ) on [−1, 1]ᵐ.
//! Legendre (ψ′(t) = 2 atanh t → ±∞ at ±1, ψ″ = 2/(1 − t²) > 0), but φ stays bounded (2 ln 2 per
//! coordinate) at the boundary, so dom φ is closed: (A2) fails. (ψ′)⁻¹(y) = tanh(y/2).

use super::separable::{Scalar, Separable};
use crate::TheoryError;
use num_dual::DualNum;

/// ψ(t) = (1+t)ln(1+t) + (1−t)ln(1−t) on [−1, 1].
#[derive(Debug, Clone, Copy, Default)]
pub struct EntropyScalar;

impl Scalar for EntropyScalar {
    fn name(&self) -> String {
        "entropy-box".into()
    }
    fn psi(&self, t: f64) -> f64 {
        if t.abs() == 1.0 {
            return 2.0 * std::f64::consts::LN_2; // 2 ln 2 + 0·ln 0
        }
        // = 2t·atanh t + ln(1 − t²): terms of size t² instead of t, no cancellation near 0.
        2.0 * t * t.atanh() + (-t * t).ln_1p()
    }
    fn dpsi(&self, t: f64) -> f64 {
        2.0 * t.atanh()
    }
    fn d2psi(&self, t: f64) -> f64 {
        2.0 / ((1.0 - t) * (1.0 + t))
    }
    fn bound(&self) -> f64 {
        1.0
    }
    fn closed(&self) -> bool {
        true
    }
    /// The same stable form as [`psi`](Self::psi): the textbook (1+t)ln(1+t) + (1−t)ln(1−t)
    /// would lose the derivative to cancellation near 0 (terms ±1 around a result of size t).
    fn psi_dual<D: DualNum<Primitive = f64>>(&self, t: D) -> D {
        t.clone() * t.atanh() * 2.0 + (-(t.clone() * t)).ln_1p()
    }
    fn dpsi_inverse(&self, y: f64) -> Result<f64, TheoryError> {
        Ok((0.5 * y).tanh())
    }
}

/// entropy-box = Σᵢ ψ(wᵢ).
pub type EntropyBox = Separable<EntropyScalar>;

impl Separable<EntropyScalar> {
    /// The entropy-box control.
    pub fn new() -> Self {
        Separable::from_scalar(EntropyScalar)
    }
}
