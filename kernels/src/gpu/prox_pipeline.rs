//! The compiled pipeline of the batched separable φ-prox (`shaders/prox.wgsl`), owned by the
//! backend's context and used by the prox dispatch.

/// The pipeline and bind-group layout of the prox kernel.
pub(crate) struct ProxPipeline {
    pub(crate) layout: wgpu::BindGroupLayout,
    pub(crate) pipeline: wgpu::ComputePipeline,
}

impl ProxPipeline {
    /// Compiles `code` (math.wgsl + prox.wgsl) with its own layout: a uniform, v and c read-only,
    /// x, the statuses and the summary read-write.
    pub(crate) fn new(device: &wgpu::Device, code: &str) -> Self {
        let entries: Vec<wgpu::BindGroupLayoutEntry> = (0..6u32)
            .map(|b| wgpu::BindGroupLayoutEntry {
                binding: b,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: wgpu::BindingType::Buffer {
                    ty: match b {
                        0 => wgpu::BufferBindingType::Uniform,
                        1 | 2 => wgpu::BufferBindingType::Storage { read_only: true },
                        _ => wgpu::BufferBindingType::Storage { read_only: false },
                    },
                    has_dynamic_offset: false,
                    min_binding_size: None,
                },
                count: None,
            })
            .collect();
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor { label: Some("sep-prox"), entries: &entries });
        let pl = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("sep-prox"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("sep-prox"),
            source: wgpu::ShaderSource::Wgsl(code.into()),
        });
        let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some("sep_prox"),
            layout: Some(&pl),
            module: &module,
            entry_point: Some("sep_prox"),
            compilation_options: Default::default(),
            cache: None,
        });
        ProxPipeline { layout, pipeline }
    }
}
