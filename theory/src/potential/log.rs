//! log: φ(w) = −log(1 − ‖w‖²) on ‖w‖ < 1, and log-sep: Σᵢ −log(1 − wᵢ²) on |wᵢ| < 1 (Table 2).
//!
//! h(s) = −log(1 − s), h′ = 1/(1 − s), h″ = 1/(1 − s)²; ∇φ*(y) = r ŷ with
//! r = (√(1+ρ²) − 1)/ρ = ρ/(1 + √(1+ρ²)), ρ = ‖y‖ (the second form has no cancellation).

use super::profile::Profile;
use crate::TheoryError;
use num_dual::DualNum;

/// The profile h(s) = −log(1 − s) on s < 1.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogProfile;

impl Profile for LogProfile {
    fn closed_form(&self) -> Option<super::profile::ClosedForm> {
        Some(super::profile::ClosedForm::Log)
    }
    fn name(&self) -> String {
        "log".into()
    }
    fn h(&self, s: f64) -> f64 {
        -(-s).ln_1p()
    }
    fn dh(&self, s: f64) -> f64 {
        1.0 / (1.0 - s)
    }
    fn d2h(&self, s: f64) -> f64 {
        let q = 1.0 - s;
        1.0 / (q * q)
    }
    fn s_max(&self) -> f64 {
        1.0
    }
    fn h_dual<D: DualNum<Primitive = f64>>(&self, s: D) -> D {
        -(-s).ln_1p()
    }
    fn radial_inverse(&self, rho: f64) -> Result<f64, TheoryError> {
        Ok(rho / (1.0 + (1.0 + rho * rho).sqrt()))
    }
}

radial_and_separable!(LogProfile, Log = "log: φ(w) = −log(1 − ‖w‖²).", LogSep = "log-sep: φ(w) = Σᵢ −log(1 − wᵢ²).");
