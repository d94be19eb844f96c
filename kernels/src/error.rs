//! The typed errors of the kernels: every rejected input names the value and what was expected.

use std::fmt;

/// An error of a kernel call. The library never panics on user input: shapes, parameters and
/// names are checked and reported here.
#[derive(Debug, Clone, PartialEq)]
pub enum KernelError {
    /// A parameter outside its range (λ ≤ 0, η ≤ 0, a fraction outside (0, 1), …).
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// The value that was given.
        value: String,
        /// What was expected.
        expected: &'static str,
    },
    /// A buffer whose length does not fit the layer table and the number of workers.
    ShapeMismatch {
        /// Which buffer.
        what: &'static str,
        /// The length that was given.
        got: usize,
        /// The length that was expected.
        expected: usize,
    },
    /// A potential name that is not one of the kernels' potentials.
    UnknownPotential {
        /// The name that was given.
        name: String,
        /// The known names.
        known: String,
    },
    /// A registered potential that is not a radial or separable profile h(s) (quad-Q, the
    /// controls): the kernels cannot evaluate it.
    NoKernelForm {
        /// The potential's name.
        name: String,
        /// The names the kernels accept.
        known: String,
    },
    /// A potential without a WGSL function (a registered profile that is not one of Table 2's
    /// closed forms): the wgpu backend refuses it; the CPU backend runs it.
    NoGpuKernel {
        /// The potential's name.
        name: String,
    },
    /// A point u − zⱼ outside dom φ̂ (a caller-supplied state; the steps never produce one).
    OutsideDomain {
        /// The worker j.
        worker: usize,
        /// The layer (radial potentials) or the coordinate (separable potentials).
        index: usize,
        /// ‖wₗ/η‖² (radial) or (wᵢ/η)² (separable), in the potential's own units.
        scaled_sq_norm: f64,
        /// The bound it must stay below (π/2 for tan, 1 for log).
        bound: f64,
    },
    /// A loss or gradient that is not finite (non-finite or huge parameters or inputs): the
    /// LeNet-5 kernels report it instead of returning NaN.
    NonFinite {
        /// What was not finite ("loss of sample", "gradient coordinate", …).
        what: &'static str,
        /// The sample or coordinate.
        index: usize,
        /// The value (NaN or ±∞).
        value: f64,
    },
    /// The wgpu backend: no adapter, a device error, or a state too large for the device.
    Gpu(String),
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KernelError::InvalidParameter { name, value, expected } => {
                write!(f, "invalid {name} = {value}: expected {expected}")
            }
            KernelError::ShapeMismatch { what, got, expected } => {
                write!(f, "{what} has length {got}, expected {expected}")
            }
            KernelError::UnknownPotential { name, known } => {
                write!(f, "unknown potential {name:?}: expected one of {known}")
            }
            KernelError::NoKernelForm { name, known } => write!(
                f,
                "{name} is not radial or separable: the kernels need h(s) with φ(w) = h(‖w‖²) per layer or Σᵢ h(wᵢ²) \
                 (a registry entry with a kernel form); expected one of {known}"
            ),
            KernelError::NoGpuKernel { name } => write!(
                f,
                "potential {name} has no WGSL function: the wgpu backend runs only the closed forms of Table 2 \
                 (docs/adding-a-potential.md); use the CPU backend"
            ),
            KernelError::OutsideDomain { worker, index, scaled_sq_norm, bound } => write!(
                f,
                "u − z_{worker} leaves dom φ̂ at layer/coordinate {index}: scaled squared norm {scaled_sq_norm} ≥ {bound}"
            ),
            KernelError::NonFinite { what, index, value } => write!(
                f,
                "{what} {index} is {value}: expected a finite number (are the parameters or the inputs finite and moderate?)"
            ),
            KernelError::Gpu(msg) => write!(f, "wgpu backend: {msg}"),
        }
    }
}

impl std::error::Error for KernelError {}

/// `Result` with [`KernelError`].
pub type Result<T> = std::result::Result<T, KernelError>;

/// A length check.
pub(crate) fn ensure_len(what: &'static str, got: usize, expected: usize) -> Result<()> {
    if got == expected { Ok(()) } else { Err(KernelError::ShapeMismatch { what, got, expected }) }
}
