//! The wgpu backend: f32 WGSL kernels (`shaders/`) on any Vulkan adapter (Mesa lavapipe, a CPU
//! device, in CI and on machines without a GPU). Every shader is the shared `prelude.wgsl` plus
//! one file of entry points; all pipelines share one bind-group layout.

mod access;
mod context;
pub(crate) mod pipelines;
mod prox;
mod prox_pipeline;
mod state;

pub use context::GpuBackend;
pub(crate) use context::read_f32;
pub use state::{GPU_MAX_WORKERS, GpuState};
pub(crate) use state::{DLT, Z};

/// A wgpu device for a test or a tool that can do without one: `Ok(Some(device))` (its adapter
/// printed), or `Ok(None)` after printing why it is skipped. With `CI=true` a missing adapter is
/// an error instead: CI must run the wgpu tests (on lavapipe where there is no GPU).
pub fn device_or_skip<T, E: std::fmt::Display>(
    what: &str,
    opened: Result<T, E>,
    adapter: impl Fn(&T) -> String,
) -> Result<Option<T>, String> {
    match opened {
        Ok(d) => {
            println!("wgpu adapter: {}", adapter(&d));
            Ok(Some(d))
        }
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => Err(format!("CI=true and no wgpu adapter for {what}: {e}")),
        Err(e) => {
            println!("SKIPPED: no wgpu adapter ({e}); install mesa-vulkan-drivers libvulkan1 to run {what}");
            Ok(None)
        }
    }
}
