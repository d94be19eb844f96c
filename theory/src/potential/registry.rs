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

use super::cubic::{CUBIC_REG_EPS, Cubic};
use super::dual::FromDual;
use super::entropy_box::EntropyBox;
use super::huber::Huber;
use super::layerwise::Layerwise;
use super::log::{Log, LogSep};
use super::log1p_sq::Log1pSq;
use super::quad::Quad;
use super::quad_q::QuadQ;
use super::scaled::Scaled;
use super::tan::{Tan, TanSep};
use super::tilted_quad::TiltedQuad;
use super::Legendre;
use crate::TheoryError;
use serde::Serialize;
use std::fmt;

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

/// A named potential: how to build it in dimension m, and what it is.
#[derive(Clone, Copy)]
pub struct PotentialInfo {
    /// Command-line name.
    pub name: &'static str,
    /// Where it comes from.
    pub group: Group,
    /// One line: formula and domain.
    pub summary: &'static str,
    build: fn(usize) -> Result<Box<dyn Legendre>, TheoryError>,
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

fn boxed<P: Legendre + 'static>(p: P) -> Result<Box<dyn Legendre>, TheoryError> {
    Ok(Box::new(p))
}

const ALL: &[PotentialInfo] = &[
    PotentialInfo { name: "quad", group: Group::Paper, summary: "‖w‖² on ℝᵐ", build: |_| boxed(Quad::new()) },
    PotentialInfo {
        name: "quad-Q",
        group: Group::Paper,
        summary: "wᵀQw, Q = tridiag(0.4, 1, 0.4), on ℝᵐ",
        build: |m| boxed(QuadQ::tridiagonal(m)?),
    },
    PotentialInfo { name: "cubic", group: Group::Paper, summary: "‖w‖³ on ℝᵐ ((A3) fails at 0)", build: |_| boxed(Cubic::new()) },
    PotentialInfo {
        name: "cubic-reg",
        group: Group::Paper,
        summary: "‖w‖³ + 0.01‖w‖² on ℝᵐ",
        build: |_| boxed(Cubic::regularized(CUBIC_REG_EPS)?),
    },
    PotentialInfo { name: "tan", group: Group::Paper, summary: "tan(‖w‖²) on ‖w‖ < √(π/2)", build: |_| boxed(Tan::new()) },
    PotentialInfo {
        name: "tan-sep",
        group: Group::Paper,
        summary: "Σᵢ tan(wᵢ²) on |wᵢ| < √(π/2)",
        build: |_| boxed(TanSep::new()),
    },
    PotentialInfo { name: "log", group: Group::Paper, summary: "−log(1 − ‖w‖²) on ‖w‖ < 1", build: |_| boxed(Log::new()) },
    PotentialInfo {
        name: "log-sep",
        group: Group::Paper,
        summary: "Σᵢ −log(1 − wᵢ²) on |wᵢ| < 1",
        build: |_| boxed(LogSep::new()),
    },
    PotentialInfo {
        name: "eta-log",
        group: Group::Structure,
        summary: "log(w/η), η = 0.5: −log(1 − ‖w‖²/η²) on ‖w‖ < η (18)",
        build: |_| boxed(Scaled::new(Log::new(), ETA_LOG)?),
    },
    PotentialInfo {
        name: "layered-tan",
        group: Group::Structure,
        summary: "Σₗ tan(‖wₗ/η‖²), η = 2, two layers ⌈m/2⌉ + ⌊m/2⌋ (18)",
        build: |m| boxed(Layerwise::new(Scaled::new(Tan::new(), ETA_LAYERED)?, two_layers(m))?),
    },
    PotentialInfo {
        name: "cosh",
        group: Group::Extension,
        summary: "Σᵢ (cosh wᵢ − 1) on ℝᵐ, written only as a dual-number value",
        build: |_| boxed(FromDual(super::cosh::CoshValue)),
    },
    PotentialInfo {
        name: "log1p-sq",
        group: Group::Control,
        summary: "log(1 + ‖w‖²): nonconvex beyond ‖w‖ = 1, logarithmic growth",
        build: |_| boxed(Log1pSq::new()),
    },
    PotentialInfo {
        name: "huber",
        group: Group::Control,
        summary: "Huber(‖w‖), threshold 1: flat curvature and linear growth beyond",
        build: |_| boxed(Huber::new()),
    },
    PotentialInfo {
        name: "entropy-box",
        group: Group::Control,
        summary: "Σᵢ (1+wᵢ)ln(1+wᵢ) + (1−wᵢ)ln(1−wᵢ) on the closed box [−1, 1]ᵐ",
        build: |_| boxed(EntropyBox::new()),
    },
    PotentialInfo {
        name: "tilted-quad",
        group: Group::Control,
        summary: "‖w‖² + Σᵢ wᵢ: ∇φ(0) ≠ 0",
        build: |_| boxed(TiltedQuad),
    },
];

/// Every named potential, in a fixed order.
pub fn all() -> &'static [PotentialInfo] {
    ALL
}

/// The names, comma-separated (for error messages and `--help`).
pub fn known_names() -> String {
    ALL.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
}

/// The entry of a name, or an error listing the known names.
pub fn info(name: &str) -> Result<&'static PotentialInfo, TheoryError> {
    ALL.iter().find(|p| p.name == name).ok_or_else(|| TheoryError::InvalidParameter {
        name: "potential",
        value: format!("{name:?} (known: {})", known_names()),
        expected: "one of the known potentials",
    })
}

/// Builds a named potential in dimension m.
pub fn build(name: &str, m: usize) -> Result<Box<dyn Legendre>, TheoryError> {
    info(name)?.build(m)
}
