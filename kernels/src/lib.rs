//! Compute kernels for the EASGD model (15) at LeNet size (issue 5): the kernels of Algorithm 1
//! with the layerwise, η-scaled potentials of (18), behind one [`Backend`] interface with a CPU
//! implementation (f32 and f64, multi-threaded) and a wgpu implementation (f32, WGSL), checked
//! against the serial f64 [`reference`].

pub mod backend;
pub mod cpu;
pub mod error;
pub mod feasibility;
pub mod gpu;
pub mod layers;
pub mod potential;
pub mod real;
pub mod reference;
pub mod tolerance;

pub use backend::{Backend, HostState, Precision, Residuals, StepReport};
pub use cpu::CpuBackend;
pub use error::{KernelError, Result};
pub use gpu::GpuBackend;
pub use layers::{LENET5_PARAMS, LayerTable};
pub use potential::{Params, PotentialKind};
