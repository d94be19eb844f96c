//! tan: φ(w) = tan(‖w‖²) on ‖w‖ < √(π/2), and tan-sep: Σᵢ tan(wᵢ²) on |wᵢ| < √(π/2) (Table 2).
//!
//! h(s) = tan s, h′ = sec² s, h″ = 2 sec² s tan s; ∇φ* is the radial (per-coordinate) root of
//! 2r sec²(r²) = ‖y‖, found by safeguarded Newton–bisection.

use std::f64::consts::FRAC_PI_2;

crate::profile! {
    /// The profile h(s) = tan s on s < π/2. (The f64 nearest π/2, its `s_max`, lies below π/2,
    /// so tan stays positive and finite on [0, s_max).)
    pub TanProfile, "tan", s_max = FRAC_PI_2, |s| s.tan();
    fn closed_form(&self) -> Option<super::profile::ClosedForm> {
        Some(super::profile::ClosedForm::Tan)
    }
    fn h(&self, s: f64) -> f64 {
        s.tan()
    }
    fn dh(&self, s: f64) -> f64 {
        let c = s.cos();
        1.0 / (c * c)
    }
    fn d2h(&self, s: f64) -> f64 {
        let c = s.cos();
        2.0 * s.tan() / (c * c)
    }
}

radial_and_separable!(TanProfile, Tan = "tan: φ(w) = tan(‖w‖²).", TanSep = "tan-sep: φ(w) = Σᵢ tan(wᵢ²).");
