//! The potentials of Table 2 as kernel kinds, and the parameters of Algorithm 1.
//!
//! Every potential is a profile h of s: radial ones are φ(w) = h(‖w‖²) per layer, separable ones
//! are Σᵢ h(wᵢ²) per coordinate. With the η-scaling of (18), φ̂(w) = Σₗ φ(wₗ/η) and
//!
//!   ∇φ̂(w)ₗ = 2 h′(‖wₗ‖²/η²) wₗ / η²          (radial, per layer l)
//!   ∇φ̂(w)ᵢ = 2 h′(wᵢ²/η²) wᵢ / η²            (separable, per coordinate i)
//!
//! so every kernel multiplies u − zⱼ by a *factor* 2h′(s)/η² with s the scaled squared norm of
//! the layer (radial) or the coordinate (separable). Which potentials exist, and their names, is
//! the theory crate's registry: an entry with a kernel form (a profile h, radial or separable)
//! runs here; the Table 2 ones keep closed forms (faster), any other calls its profile.

use crate::error::{KernelError, Result};
use infconv_theory::potential::kernel::{ClosedForm, KernelForm, KernelProfile};
use infconv_theory::potential::registry;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use std::sync::OnceLock;

/// ε of cubic-reg: h(s) = s^{3/2} + ε s (Table 2's remark; the theory crate's `CUBIC_REG_EPS`).
pub const CUBIC_REG_EPS: f64 = infconv_theory::potential::cubic::CUBIC_REG_EPS;

/// A potential of the kernels. The names, and which potentials exist, come from the theory
/// crate's registry (`"NAME".parse()`): every entry with a kernel form is one. The seven kinds
/// of Table 2 are variants of their own, with hand-written closed forms (the CPU fast paths,
/// `real.rs`, and the WGSL functions of `gpu/shaders/`); any other registered profile is
/// [`PotentialKind::Profile`], whose factor 2h′(s) the CPU kernels compute by calling the
/// profile in f64 (the wgpu backend refuses it).
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
    /// Any other registered profile: φ(w) = h(‖w‖²) per layer or Σᵢ h(wᵢ²), h from the registry.
    Profile(ProfileKind),
}

/// A registered profile potential without a closed form in the kernels: its name, radial or
/// separable, and the profile h (a `&'static` handle from the theory registry, so `Copy`).
/// Equality and hashing go by name and shape (registry names are unique).
#[derive(Clone, Copy)]
pub struct ProfileKind {
    name: &'static str,
    separable: bool,
    profile: &'static dyn KernelProfile,
}

impl ProfileKind {
    /// The registry name.
    pub fn name(&self) -> &'static str {
        self.name
    }
    /// The profile h.
    pub fn profile(&self) -> &'static dyn KernelProfile {
        self.profile
    }
    /// Per coordinate (true) or per layer (false).
    pub fn is_separable(&self) -> bool {
        self.separable
    }
}

impl fmt::Debug for ProfileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Profile({:?}, {})", self.name, if self.separable { "separable" } else { "radial" })
    }
}

impl PartialEq for ProfileKind {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.separable == other.separable
    }
}

impl Eq for ProfileKind {}

impl Hash for ProfileKind {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.separable.hash(state);
    }
}

impl PotentialKind {
    /// The kinds with closed forms in the kernels (the wgpu backend's kinds), in Table 2's order.
    /// Their names come from the registry ([`PotentialKind::name`]).
    pub const BUILTIN: [PotentialKind; 7] = [
        PotentialKind::Quad,
        PotentialKind::Cubic,
        PotentialKind::CubicReg,
        PotentialKind::Tan,
        PotentialKind::TanSep,
        PotentialKind::Log,
        PotentialKind::LogSep,
    ];

    /// The kind of a kernel form registered under `name`: a built-in kind where the profile is a
    /// Table 2 closed form, else [`PotentialKind::Profile`].
    pub fn from_form(name: &'static str, form: KernelForm) -> PotentialKind {
        let sep = form.is_separable();
        match (form.profile().closed_form(), sep) {
            (Some(ClosedForm::Quad), false) => PotentialKind::Quad,
            (Some(ClosedForm::Cubic), false) => PotentialKind::Cubic,
            (Some(ClosedForm::CubicReg), false) => PotentialKind::CubicReg,
            (Some(ClosedForm::Tan), false) => PotentialKind::Tan,
            (Some(ClosedForm::Tan), true) => PotentialKind::TanSep,
            (Some(ClosedForm::Log), false) => PotentialKind::Log,
            (Some(ClosedForm::Log), true) => PotentialKind::LogSep,
            // Separable quad/cubic are the same potential as radial quad (quad) or have no closed
            // form here (cubic): the profile path serves them.
            _ => PotentialKind::Profile(ProfileKind { name, separable: sep, profile: form.profile() }),
        }
    }

    /// Every registered potential with a kernel form, in registry order (Table 2 first).
    pub fn all() -> Vec<PotentialKind> {
        registry::all().into_iter().filter_map(|p| p.kernel.map(|f| PotentialKind::from_form(p.name, f))).collect()
    }

    /// The command-line name: the registry's name of the entry this kind came from (for the
    /// built-in kinds, the first registry entry whose kernel form is that closed form).
    pub fn name(self) -> &'static str {
        match self {
            PotentialKind::Profile(p) => p.name,
            k => {
                static NAMES: OnceLock<Vec<(PotentialKind, &'static str)>> = OnceLock::new();
                // The built-in registry entries come first and never change, so the first match
                // is fixed once computed.
                let names = NAMES.get_or_init(|| {
                    registry::all().into_iter().filter_map(|p| p.kernel.map(|f| (PotentialKind::from_form(p.name, f), p.name))).collect()
                });
                names.iter().find(|(q, _)| *q == k).map(|(_, n)| *n).unwrap_or("unregistered-closed-form")
            }
        }
    }

    /// Per coordinate (true) or radial per layer (false).
    pub fn is_separable(self) -> bool {
        match self {
            PotentialKind::Profile(p) => p.separable,
            k => matches!(k, PotentialKind::TanSep | PotentialKind::LogSep),
        }
    }

    /// True for the seven Table 2 kinds, which have closed forms here and WGSL functions.
    pub fn is_builtin(self) -> bool {
        !matches!(self, PotentialKind::Profile(_))
    }

    /// The bound on s (scaled squared norm) of dom φ: π/2 for tan, 1 for log, ∞ otherwise, the
    /// profile's s_max for a profile kind.
    pub fn s_max(self) -> f64 {
        match self {
            PotentialKind::Tan | PotentialKind::TanSep => std::f64::consts::FRAC_PI_2,
            PotentialKind::Log | PotentialKind::LogSep => 1.0,
            PotentialKind::Profile(p) => p.profile.s_max(),
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
    /// for s ≥ 0: s, s^{3/2}, s^{3/2} + εs, tan s, −log(1 − s), or the registered profile's h;
    /// +∞ outside the domain (s ≥ s_max, or s negative or NaN), never NaN.
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
            PotentialKind::Profile(p) => {
                let v = p.profile.h(s);
                if v.is_nan() { f64::INFINITY } else { v }
            }
        }
    }

    /// h′(s) of a profile kind in f64 (the factor of ∇φ̂ is 2h′(s)/η²), `None` for the built-in
    /// kinds, whose closed forms live in `real.rs`.
    #[inline]
    pub fn profile_dh(self, s: f64) -> Option<f64> {
        match self {
            PotentialKind::Profile(p) => Some(p.profile.dh(s)),
            _ => None,
        }
    }

    /// The small integer code of the kind in the WGSL shaders (`prelude.wgsl`'s `two_dh`,
    /// `prox.wgsl`), `None` for a profile kind, which has no WGSL function.
    pub fn gpu_code(self) -> Option<u32> {
        match self {
            PotentialKind::Quad => Some(0),
            PotentialKind::Cubic => Some(1),
            PotentialKind::CubicReg => Some(2),
            PotentialKind::Tan => Some(3),
            PotentialKind::TanSep => Some(4),
            PotentialKind::Log => Some(5),
            PotentialKind::LogSep => Some(6),
            PotentialKind::Profile(_) => None,
        }
    }

    /// The names the kernels accept (registry entries with a kernel form), comma-separated.
    pub fn known_names() -> String {
        registry::all().iter().filter(|p| p.kernel.is_some()).map(|p| p.name).collect::<Vec<_>>().join(", ")
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

/// Any registry name with a kernel form; an unknown name, or a potential that is not a radial or
/// separable profile (quad-Q, the controls), is a typed error naming it.
impl FromStr for PotentialKind {
    type Err = KernelError;
    fn from_str(s: &str) -> Result<Self> {
        let info = registry::all().into_iter().find(|p| p.name == s).ok_or_else(|| KernelError::UnknownPotential {
            name: s.to_string(),
            known: Self::known_names(),
        })?;
        match info.kernel {
            Some(form) => Ok(PotentialKind::from_form(info.name, form)),
            None => Err(KernelError::NoKernelForm { name: info.name.to_string(), known: Self::known_names() }),
        }
    }
}

/// The knobs of Algorithm 1 with Nesterov momentum, and the potential φ̂ of (18).
///
/// * consensus (Algorithm 1, line 3): u ← u − t_u τ Σⱼ ∇φ̂(u − zⱼ) (τ without 1/λ, as in line 3;
///   with quad and τ = 1/(2M) this is the arithmetic mean of the zⱼ);
/// * worker (lines 5–6, (16)–(17) with ∇R(z) = νz, at the new u as line 5 says):
///   Δⱼ = δⱼ + ν zⱼ − (1/λ) ∇φ̂(u − zⱼ)   (the gradient of (1/λ) φ̂(u − zⱼ) w.r.t. zⱼ is
///   −(1/λ)∇φ̂(u − zⱼ), the sign of (17));
///   Nesterov momentum in the look-ahead-free form: v′ⱼ = κ vⱼ + Δⱼ, zⱼ ← zⱼ − tⱼ σ (Δⱼ + κ v′ⱼ),
///   vⱼ ← tⱼ v′ⱼ (the velocity in gradient units; the theory crate's `Algorithm1` keeps −σ times
///   it and the same rule);
/// * t_u, tⱼ = min(1, fraction · t*), t* the largest feasible step (1 for unbounded potentials).
///
/// A cut step (tⱼ < 1) scales the stored velocity by tⱼ as well as the move: the paper only asks
/// for a line search that keeps the iterates feasible (section 6), and this is the rule under which
/// every iteration is an exact Nesterov iteration, the cut one with step size tⱼσ from the
/// velocity tⱼvⱼ (whose new velocity is tⱼv′ⱼ). Momentum that the boundary stopped is dropped
/// (tⱼ → 0 restarts it) rather than kept to drive the next steps into the boundary again; the
/// derivation is in the theory crate's `distributed::algorithm1` module doc.
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
        for k in PotentialKind::BUILTIN {
            assert_eq!(k.name().parse::<PotentialKind>().unwrap(), k);
        }
        let names: Vec<&str> = PotentialKind::BUILTIN.iter().map(|k| k.name()).collect();
        assert_eq!(names, ["quad", "cubic", "cubic-reg", "tan", "tan-sep", "log", "log-sep"]);
        assert_eq!(PotentialKind::all()[..7], PotentialKind::BUILTIN);
        let e = "tanh".parse::<PotentialKind>().unwrap_err();
        assert!(e.to_string().contains("tanh") && e.to_string().contains("tan-sep"), "{e}");
        // Registered, but not a profile: refused with the reason.
        let e = "quad-Q".parse::<PotentialKind>().unwrap_err();
        assert!(e.to_string().contains("quad-Q is not radial or separable"), "{e}");
    }

    #[test]
    fn profile_value_is_the_antiderivative_of_the_gradient_factor() {
        // (h(s + e) − h(s − e))/2e against h′(s) = two_dh/2, at central-difference accuracy
        // (truncation e²h‴/6 plus rounding ε|h|/e: e = 1e-5 gives ≲ 1e-8 relative here).
        let mut worst: f64 = 0.0;
        for k in PotentialKind::BUILTIN {
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
