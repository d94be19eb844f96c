//! The wgpu backend (f32, WGSL).
pub struct GpuBackend;
