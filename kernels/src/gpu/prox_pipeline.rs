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
        use super::pipelines::{READ, READ_WRITE, UNIFORM, layout, pipelines};
        let (layout, pl) = layout(device, "sep-prox", &[UNIFORM, READ, READ, READ_WRITE, READ_WRITE, READ_WRITE]);
        let mut p = pipelines(device, &pl, code, &["sep_prox"]);
        let pipeline = p.remove("sep_prox").expect("pipelines() builds every entry point it is given");
        ProxPipeline { layout, pipeline }
    }
}
