//! The potentials of Table 2 as kernel kinds, and the parameters of Algorithm 1.
//!
//! Every potential is a profile h of s: radial ones are φ(w) = h(‖w‖²) per layer, separable ones
//! are Σᵢ h(wᵢ²) per coordinate. With the η-scaling of (18), φ̂(w) = Σₗ φ(wₗ/η) and
//!
//!   ∇φ̂(w)ₗ = 2 h′(‖wₗ‖²/η²) wₗ / η²          (radial, per layer l)
//!   ∇φ̂(w)ᵢ = 2 h′(wᵢ²/η²) wᵢ / η²            (separable, per coordinate i)
//!
//! so every kernel multiplies u − zⱼ by a *factor* 2h′(s)/η² with s the scaled squared norm of
//! the layer (radial) or the coordinate (separable).

use crate::error::{KernelError, Result};
use std::fmt;
use std::str::FromStr;

/// ε of cubic-reg: h(s) = s^{3/2} + ε s (Table 2's remark; the theory crate's `CUBIC_REG_EPS`).
pub const CUBIC_REG_EPS: f64 = 0.01;

/// The potentials of Table 2 that the kernels implement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PotentialKind {
    /// ‖w‖², h(s) = s.
    Quad,
    /// ‖w‖³, h(s) = s^{3/2}.
    Cubic,
    /// ‖w‖³ + 0.01‖w‖², h(s) = s^{3/2} + 0.01 s.
    CubicReg,
    /// tan(‖w‖²) on ‖w‖ < √(π/2).
    Tan,
    /// Σᵢ tan(wᵢ²) on |wᵢ| < √(π/2).
    TanSep,
    /// −log(1 − ‖w‖²) on ‖w‖ < 1.
    Log,
    /// Σᵢ −log(1 − wᵢ²) on |wᵢ| < 1.
    LogSep,
}

impl PotentialKind {
    /// Every kind, in Table 2's order.
    pub const ALL: [PotentialKind; 7] = [
        PotentialKind::Quad,
        PotentialKind::Cubic,
        PotentialKind::CubicReg,
        PotentialKind::Tan,
        PotentialKind::TanSep,
        PotentialKind::Log,
        PotentialKind::LogSep,
    ];

    /// The command-line name (the theory registry's name).
    pub fn name(self) -> &'static str {
        match self {
            PotentialKind::Quad => "quad",
            PotentialKind::Cubic => "cubic",
            PotentialKind::CubicReg => "cubic-reg",
            PotentialKind::Tan => "tan",
            PotentialKind::TanSep => "tan-sep",
            PotentialKind::Log => "log",
            PotentialKind::LogSep => "log-sep",
        }
    }

    /// Per coordinate (true) or radial per layer (false).
    pub fn is_separable(self) -> bool {
        matches!(self, PotentialKind::TanSep | PotentialKind::LogSep)
    }

    /// The bound on s (scaled squared norm) of dom φ: π/2 for tan, 1 for log, ∞ otherwise.
    pub fn s_max(self) -> f64 {
        match self {
            PotentialKind::Tan | PotentialKind::TanSep => std::f64::consts::FRAC_PI_2,
            PotentialKind::Log | PotentialKind::LogSep => 1.0,
            _ => f64::INFINITY,
        }
    }

    /// dom φ̂ ≠ ℝⁿ: steps need the fraction-to-boundary cut.
    pub fn is_bounded(self) -> bool {
        self.s_max().is_finite()
    }

    /// The squared radius, in units of w (so η² s_max), that the line search keeps u − zⱼ inside:
    /// s_max shrunk by [`DOMAIN_SAFETY`] so that rounding of the f32 kernels cannot reach the
    /// boundary (see `tolerance.rs`).
    pub fn safe_sq_radius(self, eta: f64) -> f64 {
        self.s_max() * (1.0 - DOMAIN_SAFETY) * eta * eta
    }

    /// The profile h(s) of the module doc, φ(w) = h(‖w‖²) (radial) or Σᵢ h(wᵢ²) (separable),
    /// for s ≥ 0: s, s^{3/2}, s^{3/2} + εs, tan s, −log(1 − s); +∞ outside the domain (s ≥
    /// s_max, or s negative or NaN), never NaN.
    pub fn h(self, s: f64) -> f64 {
        if !(s >= 0.0 && s < self.s_max()) {
            return f64::INFINITY;
        }
        match self {
            PotentialKind::Quad => s,
            PotentialKind::Cubic => s * s.sqrt(),
            PotentialKind::CubicReg => s * s.sqrt() + CUBIC_REG_EPS * s,
            PotentialKind::Tan | PotentialKind::TanSep => s.tan(),
            PotentialKind::Log | PotentialKind::LogSep => -(-s).ln_1p(),
        }
    }

    /// A small integer code shared with the WGSL shaders.
    pub fn code(self) -> u32 {
        match self {
            PotentialKind::Quad => 0,
            PotentialKind::Cubic => 1,
            PotentialKind::CubicReg => 2,
            PotentialKind::Tan => 3,
            PotentialKind::TanSep => 4,
            PotentialKind::Log => 5,
            PotentialKind::LogSep => 6,
        }
    }

    /// The known names, comma-separated.
    pub fn known_names() -> String {
        Self::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
    }
}

/// Relative shrinking of the domain bound used by every line search (in s): the steps keep
/// s < s_max (1 − 10⁻⁴), far above the f32 rounding of s (see `tolerance.rs`).
pub const DOMAIN_SAFETY: f64 = 1e-4;

impl fmt::Display for PotentialKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PotentialKind {
    type Err = KernelError;
    fn from_str(s: &str) -> Result<Self> {
        Self::ALL.iter().copied().find(|k| k.name() == s).ok_or_else(|| KernelError::UnknownPotential {
            name: s.to_string(),
            known: Self::known_names(),
        })
    }
}

/// The knobs of Algorithm 1 with Nesterov momentum, and the potential φ̂ of (18).
///
/// * consensus (Algorithm 1, line 3): u ← u − t_u τ Σⱼ ∇φ̂(u − zⱼ) (τ without 1/λ, as in line 3;
///   with quad and τ = 1/(2M) this is the arithmetic mean of the zⱼ);
/// * worker (lines 5–6, (16)–(17) with ∇R(z) = νz, at the new u as line 5 says):
///   Δⱼ = δⱼ + ν zⱼ − (1/λ) ∇φ̂(u − zⱼ)   (the gradient of (1/λ) φ̂(u − zⱼ) w.r.t. zⱼ is
///   −(1/λ)∇φ̂(u − zⱼ), the sign of (17));
///   Nesterov momentum in the look-ahead-free form: vⱼ ← κ vⱼ + Δⱼ, zⱼ ← zⱼ − tⱼ σ (Δⱼ + κ vⱼ);
/// * t_u, tⱼ = min(1, fraction · t*), t* the largest feasible step (1 for unbounded potentials).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// φ of (18).
    pub potential: PotentialKind,
    /// η > 0 of (18).
    pub eta: f64,
    /// λ > 0 of (15).
    pub lambda: f64,
    /// τ ≥ 0, consensus step size.
    pub tau: f64,
    /// σ ≥ 0, worker step size.
    pub sigma: f64,
    /// ν ≥ 0, R(z) = (ν/2)‖z‖².
    pub nu: f64,
    /// κ ∈ [0, 1), Nesterov momentum.
    pub kappa: f64,
    /// Fraction-to-boundary factor in (0, 1).
    pub fraction: f64,
}

impl Params {
    /// Table 1-like defaults for a potential: η = 1, λ = 0.05, τ = σ = 0.005, ν = 1e-4, κ = 0.9,
    /// fraction 0.99.
    pub fn new(potential: PotentialKind) -> Self {
        Params { potential, eta: 1.0, lambda: 0.05, tau: 0.005, sigma: 0.005, nu: 1e-4, kappa: 0.9, fraction: 0.99 }
    }

    /// Checks every range; the error names the value.
    pub fn validate(&self) -> Result<()> {
        check_eta(self.eta)?;
        positive("λ", self.lambda)?;
        nonneg("τ", self.tau)?;
        nonneg("σ", self.sigma)?;
        nonneg("ν", self.nu)?;
        if !(self.kappa >= 0.0 && self.kappa < 1.0) {
            return Err(invalid("κ", self.kappa, "a momentum in [0, 1)"));
        }
        if !(self.fraction > 0.0 && self.fraction < 1.0) {
            return Err(invalid("fraction", self.fraction, "a fraction-to-boundary factor in (0, 1)"));
        }
        Ok(())
    }
}

fn invalid(name: &'static str, v: f64, expected: &'static str) -> KernelError {
    KernelError::InvalidParameter { name, value: format!("{v}"), expected }
}

/// η must be finite and > 0.
pub fn check_eta(eta: f64) -> Result<()> {
    positive("η", eta)
}

fn positive(name: &'static str, v: f64) -> Result<()> {
    if v > 0.0 && v.is_finite() { Ok(()) } else { Err(invalid(name, v, "a finite number > 0")) }
}

fn nonneg(name: &'static str, v: f64) -> Result<()> {
    if v >= 0.0 && v.is_finite() { Ok(()) } else { Err(invalid(name, v, "a finite number ≥ 0")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_typed_errors() {
        for k in PotentialKind::ALL {
            assert_eq!(k.name().parse::<PotentialKind>().unwrap(), k);
        }
        let e = "tanh".parse::<PotentialKind>().unwrap_err();
        assert!(e.to_string().contains("tanh") && e.to_string().contains("tan-sep"), "{e}");
    }

    #[test]
    fn profile_value_is_the_antiderivative_of_the_gradient_factor() {
        // (h(s + e) − h(s − e))/2e against h′(s) = two_dh/2, at central-difference accuracy
        // (truncation e²h‴/6 plus rounding ε|h|/e: e = 1e-5 gives ≲ 1e-8 relative here).
        let mut worst: f64 = 0.0;
        for k in PotentialKind::ALL {
            for s in [0.01, 0.3, 0.7, 0.95] {
                let e = 1e-5;
                let cd = (k.h(s + e) - k.h(s - e)) / (2.0 * e);
                let exact = crate::real::two_dh::<f64>(k, s) / 2.0;
                let rel = (cd - exact).abs() / exact.abs();
                worst = worst.max(rel);
                assert!(rel < 1e-7, "{k} at s = {s}: h′ by differences {cd}, factor/2 {exact}");
            }
            assert_eq!(k.h(-1.0), f64::INFINITY);
            assert_eq!(k.h(f64::NAN), f64::INFINITY);
        }
        assert_eq!(PotentialKind::Log.h(1.0), f64::INFINITY);
        assert_eq!(PotentialKind::Tan.h(2.0), f64::INFINITY);
        assert!(worst > 0.0, "the comparison measured nothing");
    }

    #[test]
    fn bad_parameters_are_named() {
        let mut p = Params::new(PotentialKind::Tan);
        p.lambda = 0.0;
        assert!(p.validate().unwrap_err().to_string().contains("λ = 0"));
        let mut p = Params::new(PotentialKind::Tan);
        p.eta = -1.0;
        assert!(p.validate().unwrap_err().to_string().contains("η = -1"));
        assert!(Params::new(PotentialKind::Log).validate().is_ok());
    }
}
