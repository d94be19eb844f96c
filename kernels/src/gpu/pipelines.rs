//! How every wgpu kernel of the crate is built: a bind-group layout of buffer bindings (in
//! binding order), and compute pipelines for entry points of WGSL code under that layout; and how
//! an adapter is described.

use std::collections::HashMap;

/// A uniform buffer binding.
pub(crate) const UNIFORM: wgpu::BufferBindingType = wgpu::BufferBindingType::Uniform;
/// A read-only storage buffer binding.
pub(crate) const READ: wgpu::BufferBindingType = wgpu::BufferBindingType::Storage { read_only: true };
/// A read-write storage buffer binding.
pub(crate) const READ_WRITE: wgpu::BufferBindingType = wgpu::BufferBindingType::Storage { read_only: false };

/// A bind-group layout with one buffer binding per entry of `kinds` (binding k is `kinds[k]`),
/// visible to compute shaders, and its pipeline layout.
pub(crate) fn layout(device: &wgpu::Device, label: &str, kinds: &[wgpu::BufferBindingType]) -> (wgpu::BindGroupLayout, wgpu::PipelineLayout) {
    let entries: Vec<wgpu::BindGroupLayoutEntry> = kinds
        .iter()
        .enumerate()
        .map(|(b, &ty)| wgpu::BindGroupLayoutEntry {
            binding: b as u32,
            visibility: wgpu::ShaderStages::COMPUTE,
            ty: wgpu::BindingType::Buffer { ty, has_dynamic_offset: false, min_binding_size: None },
            count: None,
        })
        .collect();
    let bgl = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor { label: Some(label), entries: &entries });
    let pl = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor { label: Some(label), bind_group_layouts: &[Some(&bgl)], immediate_size: 0 });
    (bgl, pl)
}

/// One compute pipeline per entry point of `code`, under the pipeline layout `pl`.
pub(crate) fn pipelines(
    device: &wgpu::Device,
    pl: &wgpu::PipelineLayout,
    code: &str,
    entries: &[&'static str],
) -> HashMap<&'static str, wgpu::ComputePipeline> {
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor { label: entries.first().copied(), source: wgpu::ShaderSource::Wgsl(code.into()) });
    entries
        .iter()
        .map(|&e| {
            let p = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(e),
                layout: Some(pl),
                module: &module,
                entry_point: Some(e),
                compilation_options: Default::default(),
                cache: None,
            });
            (e, p)
        })
        .collect()
}

/// The adapter's name and type, e.g. "llvmpipe (LLVM 15.0.6, 256 bits) (Cpu)".
pub(crate) fn describe(info: &wgpu::AdapterInfo) -> String {
    format!("{} ({:?})", info.name, info.device_type)
}

/// The first adapter wgpu finds (honours `WGPU_BACKEND`, `WGPU_ADAPTER_NAME`), or an error saying
/// how to get one.
pub(crate) fn adapter() -> crate::error::Result<wgpu::Adapter> {
    let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle().with_env());
    pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions { power_preference: wgpu::PowerPreference::HighPerformance, ..Default::default() }))
        .map_err(|e| crate::error::KernelError::Gpu(format!("no adapter (install mesa-vulkan-drivers and libvulkan1 for lavapipe): {e}")))
}
