//! Compute kernels for the EASGD model (15) at LeNet size (issue 5): the kernels of Algorithm 1
//! with the layerwise, η-scaled potentials of (18), behind one [`Backend`] interface with a CPU
//! implementation (f32 and f64, multi-threaded) and a wgpu implementation (f32, WGSL), checked
//! against the serial f64 [`reference`].

// Index loops over several equal-length slices are the clearest form of the kernels (and they
// vectorize); negated comparisons are deliberate where NaN must fail a check.
#![allow(clippy::needless_range_loop, clippy::neg_cmp_op_on_partial_ord, clippy::too_many_arguments)]

pub mod backend;
pub mod cpu;
pub mod error;
pub mod feasibility;
pub mod gpu;
pub mod layers;
pub mod lenet;
pub mod potential;
pub mod prox;
pub mod real;
pub mod reference;
pub mod tolerance;

pub use backend::{Backend, HostState, Precision, Residuals, StepReport};
pub use cpu::CpuBackend;
pub use error::{KernelError, Result};
pub use gpu::GpuBackend;
pub use layers::{LENET5_PARAMS, LayerTable};
pub use potential::{Params, PotentialKind};
