//! quad: φ(w) = ‖w‖² on ℝᵐ (Table 2 defines it without the ½), ∇φ = 2w, ∇φ*(y) = y/2.

use super::radial::Radial;
use crate::TheoryError;

crate::profile! {
    /// The profile h(s) = s.
    pub QuadProfile, "quad", s_max = f64::INFINITY, |s| s;
    fn closed_form(&self) -> Option<super::profile::ClosedForm> {
        Some(super::profile::ClosedForm::Quad)
    }
    fn h(&self, s: f64) -> f64 {
        s
    }
    fn dh(&self, _s: f64) -> f64 {
        1.0
    }
    fn d2h(&self, _s: f64) -> f64 {
        0.0
    }
    fn radial_inverse(&self, rho: f64) -> Result<f64, TheoryError> {
        Ok(rho / 2.0)
    }
}

/// quad = ‖·‖².
pub type Quad = Radial<QuadProfile>;

impl Radial<QuadProfile> {
    /// φ(w) = ‖w‖².
    pub fn new() -> Self {
        Radial::from_profile(QuadProfile)
    }
}

impl Default for Radial<QuadProfile> {
    fn default() -> Self {
        Self::new()
    }
}
