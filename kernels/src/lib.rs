//! Compute kernels for the EASGD model (15) at LeNet size: the kernels of Algorithm 1
//! with the layerwise, η-scaled potentials of (18), behind one [`Backend`] interface with a CPU
//! implementation (f32 and f64, multi-threaded) and a wgpu implementation (f32, WGSL), checked
//! against the serial f64 [`reference`].
//!
//! Modules, one line each:
//!
//! - [`backend`]: the [`Backend`] trait, the EASGD state (u, zⱼ, vⱼ, δⱼ) and its reports;
//! - [`cpu`]: the CPU backend, f32 or f64, multi-threaded over tiles, thread-count independent;
//! - [`error`]: [`KernelError`], the typed errors of the kernels;
//! - [`feasibility`]: the scalar roots of the fraction-to-boundary line search;
//! - [`gpu`]: the wgpu backend, f32 WGSL kernels on any Vulkan adapter (lavapipe included);
//! - [`layers`]: the layer tables of (18), the Caffe LeNet-5 table by default (docs/training.md);
//! - [`lenet`]: LeNet-5 forward and backward (f64 reference, f32 CPU, wgpu), the losses fⱼ;
//! - [`potential`]: the potentials of Table 2 as kernel kinds, and [`Params`] of Algorithm 1;
//! - [`prox`]: the batched separable φ-prox (safeguarded Newton per coordinate);
//! - [`real`]: the floating-point types of the CPU backend (f32, f64);
//! - [`reference`]: the serial f64 reference of every kernel, which the tests compare against;
//! - [`tolerance`]: every tolerance of the kernel tests, with its derivation.

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
