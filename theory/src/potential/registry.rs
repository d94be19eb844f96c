//! The named potentials of infconv: the paper's Table 2 and section 3 examples, η-scaling and
//! layerwise sums of (18), the dual-number extension example, and the negative controls.
//!
//! ```
//! use infconv_theory::potential::registry;
//! let phi = registry::build("tan-sep", 3).unwrap();
//! assert_eq!(phi.name(), "tan-sep");
//! let err = registry::build("tanh", 3).unwrap_err();
//! assert!(err.to_string().contains("tan-sep")); // the error lists the known names
//! ```

use super::cubic::{CUBIC_REG_EPS, Cubic, CubicProfile};
use super::dual::FromDual;
use super::entropy_box::EntropyBox;
use super::huber::Huber;
use super::layerwise::Layerwise;
use super::log::{Log, LogProfile, LogSep};
use super::log1p_sq::Log1pSq;
use super::quad::{Quad, QuadProfile};
use super::quad_q::QuadQ;
use super::scaled::Scaled;
use super::tan::{Tan, TanProfile, TanSep};
use super::tilted_quad::TiltedQuad;
use super::Legendre;
use super::kernel::KernelForm;
use super::assumption::Assumption;
use crate::TheoryError;
use crate::prox::certificate::PhiCertificate;
use serde::Serialize;
use std::fmt;
use std::sync::RwLock;

/// Where a potential comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// Table 2 of the paper, and the scaled quadratic of section 3.
    Paper,
    /// η-scaling and layerwise sums of equation (18).
    Structure,
    /// Written only through the dual-number extension path.
    Extension,
    /// A negative control: breaks a hypothesis on purpose.
    Control,
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Group::Paper => "paper",
            Group::Structure => "structure",
            Group::Extension => "extension",
            Group::Control => "control",
        })
    }
}

/// A named potential: how to build it in dimension m, what it is, and which hypotheses it breaks
/// on paper. Registering one (a line in the table below, or [`register`] at run time) puts it in
/// `infconv potentials` and in every check whose hypotheses it declares to meet.
#[derive(Clone, Copy)]
pub struct PotentialInfo {
    /// Command-line name.
    pub name: &'static str,
    /// Where it comes from.
    pub group: Group,
    /// One line: formula and domain.
    pub summary: &'static str,
    /// The hypotheses of [`Assumption`] that φ breaks on paper (empty: it meets (A1)–(A5) and
    /// Lemma 3.2). The checks expect `violated` exactly there.
    pub breaks: &'static [Assumption],
    /// The bounds the φ-prox solvers need (μ, growth, domain radius; see
    /// [`PhiCertificate`]) in dimension m, derived by hand for this potential; `None` for the
    /// built-in potentials (their certificates are in `prox::certificate`) and for a potential
    /// whose prox is not needed (the prox checks then skip it).
    pub certificate: Option<fn(usize) -> PhiCertificate>,
    /// φ in dimension m ≥ 1.
    pub build: fn(usize) -> Result<Box<dyn Legendre>, TheoryError>,
    /// How the step kernels of model (15) evaluate φ̂ of (18): a profile h(s) applied radially per
    /// layer or separably per coordinate ([`KernelForm`]). `None` for potentials that are not
    /// of that shape (quad-Q, the η-scaled and layered structures, whose η and layers the kernels
    /// take as parameters, and the controls); the kernels and training then refuse the name.
    pub kernel: Option<KernelForm>,
}

impl fmt::Debug for PotentialInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PotentialInfo").field("name", &self.name).field("group", &self.group).finish()
    }
}

impl PotentialInfo {
    /// The potential in dimension m ≥ 1.
    pub fn build(&self, m: usize) -> Result<Box<dyn Legendre>, TheoryError> {
        if m == 0 {
            return Err(TheoryError::InvalidParameter { name: "dimension", value: "0".into(), expected: "m ≥ 1" });
        }
        (self.build)(m)
    }
}

/// η of the registry's `eta-log` (one of the paper's grid values {0.5, 1, 2}).
pub const ETA_LOG: f64 = 0.5;
/// η of the registry's `layered-tan`.
pub const ETA_LAYERED: f64 = 2.0;

/// The layer table of `layered-tan` in dimension m: two layers ⌈m/2⌉, ⌊m/2⌋ (one layer if m = 1).
pub fn two_layers(m: usize) -> Vec<usize> {
    if m == 1 { vec![1] } else { vec![m.div_ceil(2), m / 2] }
}

/// What log1p-sq and huber break: both are nonconvex or flat along rays beyond ‖w‖ = 1 (A1, A3),
/// grow at most linearly (A4), and have ‖∇φ‖ ≤ 1, so ∇φ is not onto ℝᵐ (Lemma 3.2). Cubic breaks
/// (A3) only at w = 0, where ∇²φ = 0; entropy-box stays bounded at the boundary of its box, so its
/// domain is closed (A2); tilted-quad has ∇φ(0) = 𝟙 (A5).
const LINEAR_OR_LOG_GROWTH: &[Assumption] = &[Assumption::A1, Assumption::A3, Assumption::A4, Assumption::L32];

/// A built-in entry: its prox certificate, if any, is in `prox::certificate`.
const fn entry(
    name: &'static str,
    group: Group,
    summary: &'static str,
    breaks: &'static [Assumption],
    kernel: Option<KernelForm>,
    build: fn(usize) -> Result<Box<dyn Legendre>, TheoryError>,
) -> PotentialInfo {
    PotentialInfo { name, group, summary, breaks, certificate: None, kernel, build }
}

fn boxed<P: Legendre + 'static>(p: P) -> Result<Box<dyn Legendre>, TheoryError> {
    Ok(Box::new(p))
}

const ALL: &[PotentialInfo] = &[
    entry("quad", Group::Paper, "‖w‖² on ℝᵐ", &[], Some(KernelForm::Radial(&QuadProfile)), |_| boxed(Quad::new())),
    entry("quad-Q", Group::Paper, "wᵀQw, Q = tridiag(0.4, 1, 0.4), on ℝᵐ", &[], None, |m| boxed(QuadQ::tridiagonal(m)?)),
    entry("cubic", Group::Paper, "‖w‖³ on ℝᵐ ((A3) fails at 0)", &[Assumption::A3], Some(KernelForm::Radial(&CubicProfile { eps: 0.0 })), |_| boxed(Cubic::new())),
    entry("cubic-reg", Group::Paper, "‖w‖³ + 0.01‖w‖² on ℝᵐ", &[], Some(KernelForm::Radial(&CubicProfile { eps: CUBIC_REG_EPS })), |_| boxed(Cubic::regularized(CUBIC_REG_EPS)?)),
    entry("tan", Group::Paper, "tan(‖w‖²) on ‖w‖ < √(π/2)", &[], Some(KernelForm::Radial(&TanProfile)), |_| boxed(Tan::new())),
    entry("tan-sep", Group::Paper, "Σᵢ tan(wᵢ²) on |wᵢ| < √(π/2)", &[], Some(KernelForm::Separable(&TanProfile)), |_| boxed(TanSep::new())),
    entry("log", Group::Paper, "−log(1 − ‖w‖²) on ‖w‖ < 1", &[], Some(KernelForm::Radial(&LogProfile)), |_| boxed(Log::new())),
    entry("log-sep", Group::Paper, "Σᵢ −log(1 − wᵢ²) on |wᵢ| < 1", &[], Some(KernelForm::Separable(&LogProfile)), |_| boxed(LogSep::new())),
    entry("eta-log", Group::Structure, "log(w/η), η = 0.5: −log(1 − ‖w‖²/η²) on ‖w‖ < η (18)", &[], None, |_| boxed(Scaled::new(Log::new(), ETA_LOG)?)),
    entry("layered-tan", Group::Structure, "Σₗ tan(‖wₗ/η‖²), η = 2, two layers ⌈m/2⌉ + ⌊m/2⌋ (18)", &[], None, |m| boxed(Layerwise::new(Scaled::new(Tan::new(), ETA_LAYERED)?, two_layers(m))?)),
    entry("cosh", Group::Extension, "Σᵢ (cosh wᵢ − 1) on ℝᵐ, written only as a dual-number value", &[], None, |_| boxed(FromDual(super::cosh::CoshValue))),
    entry("log1p-sq", Group::Control, "log(1 + ‖w‖²): nonconvex beyond ‖w‖ = 1, logarithmic growth", LINEAR_OR_LOG_GROWTH, None, |_| boxed(Log1pSq::new())),
    entry("huber", Group::Control, "Huber(‖w‖), threshold 1: flat curvature and linear growth beyond", LINEAR_OR_LOG_GROWTH, None, |_| boxed(Huber::new())),
    entry("entropy-box", Group::Control, "Σᵢ (1+wᵢ)ln(1+wᵢ) + (1−wᵢ)ln(1−wᵢ) on the closed box [−1, 1]ᵐ", &[Assumption::A2], None, |_| boxed(EntropyBox::new())),
    entry("tilted-quad", Group::Control, "‖w‖² + Σᵢ wᵢ: ∇φ(0) ≠ 0", &[Assumption::A5], None, |_| boxed(TiltedQuad)),
];

/// Potentials registered at run time ([`register`]), after the built-in ones.
static REGISTERED: RwLock<Vec<&'static PotentialInfo>> = RwLock::new(Vec::new());

/// Registers a potential for this process: from then on it is in [`all`], [`info`] and
/// [`build`], hence in every check, command and kernel that takes potentials by name. The name
/// must be new.
///
/// ```
/// use infconv_theory::potential::dual::FromDual;
/// use infconv_theory::potential::registry::{self, Group, PotentialInfo};
/// infconv_theory::dual_potential! {
///     /// Σᵢ wᵢ⁴ + wᵢ²: Legendre, (A1)–(A5) hold.
///     QuarticQuad, "quartic-quad",
///     |w| w.iter().map(|t| t.clone().powi(4) + t.clone() * t.clone()).sum(),
///     contains = |w| w.iter().all(|t| t.is_finite())
/// }
/// registry::register(PotentialInfo {
///     name: "quartic-quad",
///     group: Group::Extension,
///     summary: "Σᵢ wᵢ⁴ + wᵢ² on ℝᵐ",
///     breaks: &[], certificate: None,
///     build: |_| Ok(Box::new(FromDual(QuarticQuad))),
///     kernel: None, // a Σᵢ h(wᵢ²) profile would reach the kernels with Some(KernelForm::Separable(..))
/// }).unwrap();
/// assert!(registry::all().iter().any(|p| p.name == "quartic-quad"));
/// assert!(registry::register(*registry::info("quad").unwrap()).is_err()); // names are unique
/// ```
pub fn register(info: PotentialInfo) -> Result<(), TheoryError> {
    let mut extra = REGISTERED.write().unwrap_or_else(|e| e.into_inner());
    if ALL.iter().chain(extra.iter().copied()).any(|p| p.name == info.name) {
        return Err(TheoryError::InvalidParameter {
            name: "potential",
            value: format!("{:?} (already registered)", info.name),
            expected: "a new name",
        });
    }
    extra.push(Box::leak(Box::new(info)));
    Ok(())
}

/// Every named potential: the built-in ones in a fixed order, then the registered ones in the
/// order of registration.
pub fn all() -> Vec<&'static PotentialInfo> {
    let extra = REGISTERED.read().unwrap_or_else(|e| e.into_inner());
    ALL.iter().chain(extra.iter().copied()).collect()
}

/// The names, comma-separated (for error messages and `--help`).
pub fn known_names() -> String {
    all().iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
}

/// The entry of a name, or an error listing the known names.
pub fn info(name: &str) -> Result<&'static PotentialInfo, TheoryError> {
    all().into_iter().find(|p| p.name == name).ok_or_else(|| TheoryError::InvalidParameter {
        name: "potential",
        value: format!("{name:?} (known: {})", known_names()),
        expected: "one of the known potentials",
    })
}

/// Builds a named potential in dimension m.
pub fn build(name: &str, m: usize) -> Result<Box<dyn Legendre>, TheoryError> {
    info(name)?.build(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Vector;

    /// φ(w) from a kernel form: h(‖w‖²) or Σᵢ h(wᵢ²).
    fn value_of(form: KernelForm, w: &Vector) -> f64 {
        let p = form.profile();
        if form.is_separable() { w.iter().map(|t| p.h(t * t)).sum() } else { p.h(w.norm_squared()) }
    }

    #[test]
    fn kernel_forms_describe_the_potential_they_are_registered_with() {
        let w = Vector::from_vec(vec![0.3, -0.5, 0.2]);
        let mut worst: f64 = 0.0;
        let mut n = 0;
        for info in all() {
            let Some(form) = info.kernel else { continue };
            let v = info.build(3).unwrap().value(&w).unwrap();
            let rel = (value_of(form, &w) - v).abs() / v.abs();
            worst = worst.max(rel);
            assert!(rel < 1e-14, "{}: kernel form gives {}, the potential {v}", info.name, value_of(form, &w));
            n += 1;
        }
        assert_eq!(n, 7, "the seven Table 2 kernel kinds");
        // Control: a form paired with the wrong potential is flagged by the same comparison.
        let tan = info("tan").unwrap().build(3).unwrap().value(&w).unwrap();
        let wrong = value_of(info("tan-sep").unwrap().kernel.unwrap(), &w);
        assert!((wrong - tan).abs() / tan > 1e-3, "the comparison cannot tell radial from separable");
        assert!(info("quad-Q").unwrap().kernel.is_none());
    }
}
