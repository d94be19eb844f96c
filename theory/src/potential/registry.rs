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

fn boxed<P: Legendre + 'static>(p: P) -> Result<Box<dyn Legendre>, TheoryError> {
    Ok(Box::new(p))
}

const ALL: &[PotentialInfo] = &[
    PotentialInfo { name: "quad", breaks: &[], certificate: None, group: Group::Paper, summary: "‖w‖² on ℝᵐ", kernel: Some(KernelForm::Radial(&QuadProfile)), build: |_| boxed(Quad::new()) },
    PotentialInfo {
        name: "quad-Q", breaks: &[], certificate: None,
        group: Group::Paper,
        summary: "wᵀQw, Q = tridiag(0.4, 1, 0.4), on ℝᵐ",
        kernel: None, build: |m| boxed(QuadQ::tridiagonal(m)?),
    },
    PotentialInfo { name: "cubic", breaks: &[Assumption::A3], certificate: None, group: Group::Paper, summary: "‖w‖³ on ℝᵐ ((A3) fails at 0)", kernel: Some(KernelForm::Radial(&CubicProfile { eps: 0.0 })), build: |_| boxed(Cubic::new()) },
    PotentialInfo {
        name: "cubic-reg", breaks: &[], certificate: None,
        group: Group::Paper,
        summary: "‖w‖³ + 0.01‖w‖² on ℝᵐ",
        kernel: Some(KernelForm::Radial(&CubicProfile { eps: CUBIC_REG_EPS })), build: |_| boxed(Cubic::regularized(CUBIC_REG_EPS)?),
    },
    PotentialInfo { name: "tan", breaks: &[], certificate: None, group: Group::Paper, summary: "tan(‖w‖²) on ‖w‖ < √(π/2)", kernel: Some(KernelForm::Radial(&TanProfile)), build: |_| boxed(Tan::new()) },
    PotentialInfo {
        name: "tan-sep", breaks: &[], certificate: None,
        group: Group::Paper,
        summary: "Σᵢ tan(wᵢ²) on |wᵢ| < √(π/2)",
        kernel: Some(KernelForm::Separable(&TanProfile)), build: |_| boxed(TanSep::new()),
    },
    PotentialInfo { name: "log", breaks: &[], certificate: None, group: Group::Paper, summary: "−log(1 − ‖w‖²) on ‖w‖ < 1", kernel: Some(KernelForm::Radial(&LogProfile)), build: |_| boxed(Log::new()) },
    PotentialInfo {
        name: "log-sep", breaks: &[], certificate: None,
        group: Group::Paper,
        summary: "Σᵢ −log(1 − wᵢ²) on |wᵢ| < 1",
        kernel: Some(KernelForm::Separable(&LogProfile)), build: |_| boxed(LogSep::new()),
    },
    PotentialInfo {
        name: "eta-log", breaks: &[], certificate: None,
        group: Group::Structure,
        summary: "log(w/η), η = 0.5: −log(1 − ‖w‖²/η²) on ‖w‖ < η (18)",
        kernel: None, build: |_| boxed(Scaled::new(Log::new(), ETA_LOG)?),
    },
    PotentialInfo {
        name: "layered-tan", breaks: &[], certificate: None,
        group: Group::Structure,
        summary: "Σₗ tan(‖wₗ/η‖²), η = 2, two layers ⌈m/2⌉ + ⌊m/2⌋ (18)",
        kernel: None, build: |m| boxed(Layerwise::new(Scaled::new(Tan::new(), ETA_LAYERED)?, two_layers(m))?),
    },
    PotentialInfo {
        name: "cosh", breaks: &[], certificate: None,
        group: Group::Extension,
        summary: "Σᵢ (cosh wᵢ − 1) on ℝᵐ, written only as a dual-number value",
        kernel: None, build: |_| boxed(FromDual(super::cosh::CoshValue)),
    },
    PotentialInfo {
        name: "log1p-sq", breaks: LINEAR_OR_LOG_GROWTH, certificate: None,
        group: Group::Control,
        summary: "log(1 + ‖w‖²): nonconvex beyond ‖w‖ = 1, logarithmic growth",
        kernel: None, build: |_| boxed(Log1pSq::new()),
    },
    PotentialInfo {
        name: "huber", breaks: LINEAR_OR_LOG_GROWTH, certificate: None,
        group: Group::Control,
        summary: "Huber(‖w‖), threshold 1: flat curvature and linear growth beyond",
        kernel: None, build: |_| boxed(Huber::new()),
    },
    PotentialInfo {
        name: "entropy-box", breaks: &[Assumption::A2], certificate: None,
        group: Group::Control,
        summary: "Σᵢ (1+wᵢ)ln(1+wᵢ) + (1−wᵢ)ln(1−wᵢ) on the closed box [−1, 1]ᵐ",
        kernel: None, build: |_| boxed(EntropyBox::new()),
    },
    PotentialInfo {
        name: "tilted-quad", breaks: &[Assumption::A5], certificate: None,
        group: Group::Control,
        summary: "‖w‖² + Σᵢ wᵢ: ∇φ(0) ≠ 0",
        kernel: None, build: |_| boxed(TiltedQuad),
    },
];

/// Potentials registered at run time ([`register`]), after the built-in ones.
static REGISTERED: RwLock<Vec<&'static PotentialInfo>> = RwLock::new(Vec::new());

/// Registers a potential for this process: from then on it is in [`all`], [`info`] and
/// [`build`], hence in every check, command and kernel that takes potentials by name. The name
/// must be new.
///
/// ```
/// use infconv_theory::potential::dual::{DualPotential, FromDual};
/// use infconv_theory::potential::registry::{self, Group, PotentialInfo};
/// use num_dual::DualNum;
/// #[derive(Debug, Clone, Copy)]
/// struct QuarticQuad; // Σᵢ wᵢ⁴ + wᵢ²: Legendre, (A1)–(A5) hold
/// impl DualPotential for QuarticQuad {
///     fn name(&self) -> String { "quartic-quad".into() }
///     fn value_dual<D: DualNum<Primitive = f64>>(&self, w: &[D]) -> D {
///         w.iter().map(|t| t.clone().powi(4) + t.clone() * t.clone()).sum()
///     }
///     fn contains(&self, w: &[f64]) -> bool { w.iter().all(|t| t.is_finite()) }
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
