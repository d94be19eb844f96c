//! The wgpu backend: f32 WGSL kernels (`shaders/`) on any Vulkan adapter (Mesa lavapipe, a CPU
//! device, in CI and on machines without a GPU). Every shader is the shared `prelude.wgsl` plus
//! one file of entry points; all pipelines share one bind-group layout.

mod access;
mod context;
mod prox;
mod state;

pub use context::GpuBackend;
pub(crate) use context::read_f32;
pub use state::{GPU_MAX_WORKERS, GpuState};
