//! Adapter, device, pipelines and the host↔device helpers of the wgpu backend.

use crate::error::{KernelError, Result};
use std::collections::HashMap;

const MATH: &str = include_str!("shaders/math.wgsl");
const PRELUDE: &str = include_str!("shaders/prelude.wgsl");
const PROX: &str = include_str!("shaders/prox.wgsl");
const REDUCE: &str = include_str!("shaders/reduce.wgsl");
const STEP: &str = include_str!("shaders/step.wgsl");

/// Entry points of `reduce.wgsl` and `step.wgsl`.
const REDUCE_ENTRIES: [&str; 8] =
    ["red_norms", "red_dirs", "red_residuals", "layer_sum", "check_domain", "t_consensus", "t_workers", "t_dirs"];
const STEP_ENTRIES: [&str; 6] =
    ["grad_all", "consensus_bound", "consensus_apply", "worker_bound", "worker_apply", "quad_fused"];

/// The number of bindings of the shared layout (uniform params + 12 storage buffers).
pub(crate) const BINDINGS: u32 = 13;

/// The wgpu backend (f32).
pub struct GpuBackend {
    pub(crate) device: wgpu::Device,
    pub(crate) queue: wgpu::Queue,
    pub(crate) layout: wgpu::BindGroupLayout,
    pub(crate) pipelines: HashMap<&'static str, wgpu::ComputePipeline>,
    pub(crate) info: wgpu::AdapterInfo,
    pub(crate) max_binding: u64,
    /// The separable φ-prox kernel (`prox.wgsl`) and its own bind-group layout.
    pub(crate) prox: super::prox_pipeline::ProxPipeline,
    /// This context among the process's backends (wgpu's handles compare equal across instances).
    pub(crate) id: u64,
}

/// The ids of [`GpuBackend::id`].
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl std::fmt::Debug for GpuBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GpuBackend({} {:?})", self.info.name, self.info.device_type)
    }
}

fn gpu_err(what: &str, e: impl std::fmt::Display) -> KernelError {
    KernelError::Gpu(format!("{what}: {e}"))
}

impl GpuBackend {
    /// The first adapter wgpu finds (honours `WGPU_BACKEND`, `WGPU_ADAPTER_NAME`); an error if
    /// there is none (install Mesa's lavapipe: `mesa-vulkan-drivers libvulkan1`).
    pub fn new() -> Result<Self> {
        let adapter = crate::gpu::pipelines::adapter()?;
        let limits = adapter.limits();
        if limits.max_storage_buffers_per_shader_stage < BINDINGS - 1 {
            return Err(KernelError::Gpu(format!(
                "adapter {} offers {} storage buffers per stage, the kernels need {}",
                adapter.get_info().name,
                limits.max_storage_buffers_per_shader_stage,
                BINDINGS - 1
            )));
        }
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("infconv-kernels"),
            required_limits: limits.clone(),
            ..Default::default()
        }))
        .map_err(|e| gpu_err("request_device", e))?;
        let kinds: Vec<wgpu::BufferBindingType> =
            (0..BINDINGS).map(|b| if b == 0 { super::pipelines::UNIFORM } else { super::pipelines::READ_WRITE }).collect();
        let (layout, pl) = super::pipelines::layout(&device, "easgd", &kinds);
        let mut pipelines = HashMap::new();
        for (src, entries) in [(REDUCE, &REDUCE_ENTRIES[..]), (STEP, &STEP_ENTRIES[..])] {
            pipelines.extend(super::pipelines::pipelines(&device, &pl, &format!("{MATH}\n{PRELUDE}\n{src}"), entries));
        }
        let info = adapter.get_info();
        let prox = super::prox_pipeline::ProxPipeline::new(&device, &format!("{MATH}\n{PROX}"));
        let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(GpuBackend { device, queue, layout, pipelines, info, max_binding: limits.max_storage_buffer_binding_size as u64, prox, id })
    }

    /// The adapter's name and type, e.g. "llvmpipe (LLVM 15.0.6, 256 bits) (Cpu)".
    pub fn adapter(&self) -> String {
        super::pipelines::describe(&self.info)
    }

    /// True when the adapter is a CPU device (lavapipe): timings are not GPU timings.
    pub fn is_cpu_device(&self) -> bool {
        self.info.device_type == wgpu::DeviceType::Cpu
    }

    /// The largest storage binding in bytes (one of u, zⱼ·M, … must fit).
    pub fn max_binding(&self) -> u64 {
        self.max_binding
    }

    /// Copies `count` f32 from `src` at element `offset` to the host (blocks).
    pub(crate) fn read_f32(&self, src: &wgpu::Buffer, offset: usize, count: usize) -> Result<Vec<f32>> {
        read_f32(&self.device, &self.queue, src, offset, count)
    }

    /// Waits until the queue is idle (for timings).
    pub fn sync(&self) -> Result<()> {
        self.device.poll(wgpu::PollType::wait_indefinitely()).map(|_| ()).map_err(|e| gpu_err("poll", e))
    }
}

/// Copies `count` f32 from `src` at element `offset` to the host through a staging buffer
/// (blocks until the copy is done): the read-back of every wgpu path of the crate.
pub(crate) fn read_f32(device: &wgpu::Device, queue: &wgpu::Queue, src: &wgpu::Buffer, offset: usize, count: usize) -> Result<Vec<f32>> {
    let size = (count.max(1) * 4) as u64;
    let staging = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("read-back"),
        size,
        usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let mut enc = device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
    enc.copy_buffer_to_buffer(src, (offset * 4) as u64, &staging, 0, size);
    queue.submit([enc.finish()]);
    let (tx, rx) = std::sync::mpsc::channel();
    staging.map_async(wgpu::MapMode::Read, .., move |r| {
        let _ = tx.send(r);
    });
    device.poll(wgpu::PollType::wait_indefinitely()).map_err(|e| gpu_err("poll", e))?;
    rx.recv().map_err(|e| gpu_err("map callback", e))?.map_err(|e| gpu_err("map", e))?;
    let out = {
        let view = staging.get_mapped_range(..).map_err(|e| gpu_err("mapped range", e))?;
        bytemuck::cast_slice::<u8, f32>(&view)[..count].to_vec()
    };
    staging.unmap();
    Ok(out)
}
