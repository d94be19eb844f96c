//! log: φ(w) = −log(1 − ‖w‖²) on ‖w‖ < 1, and log-sep: Σᵢ −log(1 − wᵢ²) on |wᵢ| < 1 (Table 2).
//!
//! h(s) = −log(1 − s), h′ = 1/(1 − s), h″ = 1/(1 − s)²; ∇φ*(y) = r ŷ with
//! r = (√(1+ρ²) − 1)/ρ = ρ/(1 + √(1+ρ²)), ρ = ‖y‖ (the second form has no cancellation).

use crate::TheoryError;

crate::profile! {
    /// The profile h(s) = −log(1 − s) on s < 1.
    pub LogProfile, "log", s_max = 1.0, |s| -(-s).ln_1p();
    fn closed_form(&self) -> Option<super::profile::ClosedForm> {
        Some(super::profile::ClosedForm::Log)
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
    fn radial_inverse(&self, rho: f64) -> Result<f64, TheoryError> {
        Ok(rho / (1.0 + (1.0 + rho * rho).sqrt()))
    }
}

radial_and_separable!(LogProfile, Log = "log: φ(w) = −log(1 − ‖w‖²).", LogSep = "log-sep: φ(w) = Σᵢ −log(1 − wᵢ²).");
