//! cubic: φ(w) = ‖w‖³ (Table 2), and cubic-reg: ‖w‖³ + ε‖w‖² (Table 2's remark: "a small
//! quadratic may be added" so that (A3) holds at 0).
//!
//! ∇φ = 3‖w‖w (+ 2εw); ∇²φ = 3(‖w‖ I + wwᵀ/‖w‖) (+ 2εI), which is 0 at w = 0 for cubic;
//! ∇φ*(y) = y/√(3‖y‖) for cubic, and the radial root of 3r² + 2εr = ‖y‖ for cubic-reg.

use super::profile::Profile;
use super::radial::Radial;
use crate::TheoryError;
use num_dual::DualNum;

/// The profile h(s) = s^{3/2} + ε s (ε = 0: cubic).
#[derive(Debug, Clone, Copy)]
pub struct CubicProfile {
    /// The added quadratic weight ε ≥ 0.
    pub eps: f64,
}

impl Profile for CubicProfile {
    fn closed_form(&self) -> Option<super::profile::ClosedForm> {
        // Exactly the two ε of Table 2 and its remark; any other ε has no closed form downstream.
        if self.eps == 0.0 {
            Some(super::profile::ClosedForm::Cubic)
        } else if self.eps == CUBIC_REG_EPS {
            Some(super::profile::ClosedForm::CubicReg)
        } else {
            None
        }
    }
    fn name(&self) -> String {
        if self.eps == 0.0 { "cubic".into() } else { format!("cubic-reg(ε={})", self.eps) }
    }
    fn h(&self, s: f64) -> f64 {
        s * s.sqrt() + self.eps * s
    }
    fn dh(&self, s: f64) -> f64 {
        1.5 * s.sqrt() + self.eps
    }
    fn d2h(&self, s: f64) -> f64 {
        0.75 / s.sqrt()
    }
    fn s_max(&self) -> f64 {
        f64::INFINITY
    }
    fn h_dual<D: DualNum<Primitive = f64>>(&self, s: D) -> D {
        s.sqrt() * s.clone() + s * self.eps
    }
    fn radial_inverse(&self, rho: f64) -> Result<f64, TheoryError> {
        // 3r² + 2εr = ρ, positive root in the cancellation-free form.
        let e = self.eps;
        Ok(2.0 * rho / (2.0 * e + (4.0 * e * e + 12.0 * rho).sqrt()))
    }
}

/// cubic = ‖·‖³ (violates (A3) at 0, as the paper says).
pub type Cubic = Radial<CubicProfile>;

/// The ε of the registry's `cubic-reg`.
pub const CUBIC_REG_EPS: f64 = 0.01;

impl Radial<CubicProfile> {
    /// φ(w) = ‖w‖³.
    pub fn new() -> Self {
        Radial::from_profile(CubicProfile { eps: 0.0 })
    }

    /// φ(w) = ‖w‖³ + ε‖w‖², ε > 0.
    pub fn regularized(eps: f64) -> Result<Self, TheoryError> {
        if !(eps > 0.0 && eps.is_finite()) {
            return Err(TheoryError::InvalidParameter {
                name: "ε",
                value: format!("{eps}"),
                expected: "a finite number > 0",
            });
        }
        Ok(Radial::from_profile(CubicProfile { eps }))
    }
}
