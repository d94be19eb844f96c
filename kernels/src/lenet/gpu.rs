//! The wgpu path of LeNet-5 (f32 WGSL, `lenet.wgsl`): one direct-loop kernel per layer and
//! direction, buffers resident on the device; the parameters are uploaded per call, the logits
//! come back to the host for the loss (in f64, as on the CPU) and ∂ℓ/∂z goes back down, and the
//! gradient is read back once per call. Correctness first: no tiling or shared memory.

use super::{
    Arch, Batch, BatchStats, C1, C2, CLASSES, FLAT, HIDDEN, Offsets, P1, P2, PIXELS, S1, S2, check_f32_inputs,
    chunk_losses,
};
use super::reference::{OFF, Pattern};
use crate::error::{KernelError, Result, ensure_len};
use crate::gpu::{DLT, GpuBackend, GpuState, Z};

const SHADER: &str = include_str!("lenet.wgsl");
const ENTRIES: [&str; 15] = [
    "conv1", "pool1", "conv2", "pool2", "fc1", "fc_last", "g_last", "d_last", "g_fc1", "d_fc1", "d_pool2", "g_conv2",
    "d_conv2", "d_pool1", "g_conv1",
];
/// Invocations per workgroup of every kernel (`WG` in the shader).
const WG: usize = 64;
/// The most workgroups of one dispatch dimension.
const MAX_GROUPS: usize = 65_535;

fn gpu_err(what: &str, e: impl std::fmt::Display) -> KernelError {
    KernelError::Gpu(format!("LeNet-5: {what}: {e}"))
}

/// The uniform block `Dims` of the shader (28 u32).
#[repr(C)]
#[derive(Clone, Copy, Debug, bytemuck::Pod, bytemuck::Zeroable)]
struct Dims {
    n: u32,
    n_in: u32,
    caffe: u32,
    max_n: u32,
    w_c1: u32,
    b_c1: u32,
    w_c2: u32,
    b_c2: u32,
    w_f1: u32,
    b_f1: u32,
    w_f2: u32,
    b_f2: u32,
    o_a1: u32,
    o_p1: u32,
    o_a2: u32,
    o_p2: u32,
    o_h: u32,
    o_z: u32,
    o_i1: u32,
    o_i2: u32,
    o_dz: u32,
    o_dh: u32,
    o_dp2: u32,
    o_da2: u32,
    o_dp1: u32,
    o_da1: u32,
    pad0: u32,
    pad1: u32,
}

/// Consecutive offsets of the given lengths, and the total.
fn layout<const N: usize>(lens: [usize; N]) -> ([u32; N], usize) {
    let mut out = [0u32; N];
    let mut acc = 0;
    for (o, l) in out.iter_mut().zip(lens) {
        *o = acc as u32;
        acc += l;
    }
    (out, acc)
}

/// The f32 LeNet-5 on a wgpu device, for batches of up to `max_batch` samples per pass.
pub struct LeNetGpu {
    arch: Arch,
    max_batch: usize,
    dims: Dims,
    device: wgpu::Device,
    queue: wgpu::Queue,
    pipelines: Vec<wgpu::ComputePipeline>,
    bind: wgpu::BindGroup,
    uniform: wgpu::Buffer,
    params: wgpu::Buffer,
    grad: wgpu::Buffer,
    images: wgpu::Buffer,
    back: wgpu::Buffer,
    act: wgpu::Buffer,
    /// The pools' routing (bound in `bind`).
    idx: wgpu::Buffer,
    info: wgpu::AdapterInfo,
    /// The id of the kernels' backend whose device this is ([`LeNetGpu::on`]); None for a
    /// device of its own.
    backend: Option<u64>,
    z_host: Vec<f32>,
    dz_host: Vec<f32>,
}

impl std::fmt::Debug for LeNetGpu {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LeNetGpu({}, {} on {} {:?})", self.arch, self.max_batch, self.info.name, self.info.device_type)
    }
}

impl LeNetGpu {
    /// The first adapter wgpu finds (honours `WGPU_BACKEND`, `WGPU_ADAPTER_NAME`); an error if
    /// there is none (Mesa's lavapipe: `mesa-vulkan-drivers libvulkan1`) or if the buffers of
    /// `max_batch` samples exceed its largest storage binding.
    pub fn new(arch: Arch, max_batch: usize) -> Result<Self> {
        let adapter = crate::gpu::pipelines::adapter()?;
        let limits = adapter.limits();
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("infconv-lenet"),
            required_limits: limits.clone(),
            ..Default::default()
        }))
        .map_err(|e| gpu_err("request_device", e))?;
        Self::build(device, queue, adapter.get_info(), None, arch, max_batch)
    }

    /// The network on the device of the kernels' backend: one wgpu context for the EASGD state
    /// and the LeNet passes, so that [`worker_gradient`](Self::worker_gradient) moves zⱼ and δⱼ
    /// between them without the host.
    pub fn on(backend: &GpuBackend, arch: Arch, max_batch: usize) -> Result<Self> {
        Self::build(backend.device.clone(), backend.queue.clone(), backend.info.clone(), Some(backend.id), arch, max_batch)
    }

    fn build(device: wgpu::Device, queue: wgpu::Queue, info: wgpu::AdapterInfo, backend: Option<u64>, arch: Arch, max_batch: usize) -> Result<Self> {
        if max_batch == 0 {
            return Err(KernelError::InvalidParameter { name: "max_batch", value: "0".into(), expected: "at least one sample per pass" });
        }
        let n = max_batch;
        let caffe = arch == Arch::Caffe;
        let hidden = if caffe { HIDDEN } else { 0 };
        let ([o_a1, o_p1, o_a2, o_p2, o_h, o_z], act_len) = layout([
            n * C1 * S1 * S1,
            n * C1 * P1 * P1,
            n * C2 * S2 * S2,
            n * FLAT,
            n * hidden,
            n * CLASSES,
        ]);
        let ([o_i1, o_i2], idx_len) = layout([n * C1 * P1 * P1, n * FLAT]);
        let ([o_dz, o_dh, o_dp2, o_da2, o_dp1, o_da1], back_len) = layout([
            n * CLASSES,
            n * hidden,
            n * FLAT,
            n * C2 * S2 * S2,
            n * C1 * P1 * P1,
            n * C1 * S1 * S1,
        ]);
        let o = Offsets::of(arch);
        let dims = Dims {
            n: 0,
            n_in: arch.last_in() as u32,
            caffe: caffe as u32,
            max_n: n as u32,
            w_c1: o.conv1_w as u32,
            b_c1: o.conv1_b as u32,
            w_c2: o.conv2_w as u32,
            b_c2: o.conv2_b as u32,
            w_f1: o.fc1_w as u32,
            b_f1: o.fc1_b as u32,
            w_f2: o.fc2_w as u32,
            b_f2: o.fc2_b as u32,
            o_a1,
            o_p1,
            o_a2,
            o_p2,
            o_h,
            o_z,
            o_i1,
            o_i2,
            o_dz,
            o_dh,
            o_dp2,
            o_da2,
            o_dp1,
            o_da1,
            pad0: 0,
            pad1: 0,
        };

        let limits = device.limits();
        let biggest = 4 * act_len.max(back_len).max(idx_len).max(arch.num_params()).max(n * PIXELS);
        if biggest as u64 > limits.max_storage_buffer_binding_size as u64 {
            return Err(KernelError::Gpu(format!(
                "LeNet-5: a buffer of {biggest} bytes for max_batch = {max_batch} exceeds the adapter's largest storage binding ({} bytes)",
                limits.max_storage_buffer_binding_size
            )));
        }
        use crate::gpu::pipelines::{READ, READ_WRITE, UNIFORM, layout as bind_layout, pipelines};
        let (bgl, pl) = bind_layout(&device, "lenet", &[UNIFORM, READ, READ_WRITE, READ, READ_WRITE, READ_WRITE, READ_WRITE]);
        let mut built = pipelines(&device, &pl, SHADER, &ENTRIES);
        let pipelines = ENTRIES.iter().filter_map(|e| built.remove(e)).collect();
        let storage = |label: &str, len: usize| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: (4 * len.max(1)) as u64,
                usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::COPY_SRC,
                mapped_at_creation: false,
            })
        };
        let uniform = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("dims"),
            size: std::mem::size_of::<Dims>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let params = storage("params", arch.num_params());
        let grad = storage("grad", arch.num_params());
        let images = storage("images", n * PIXELS);
        let act = storage("act", act_len);
        let idx = storage("idx", idx_len);
        let back = storage("back", back_len);
        let bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("lenet"),
            layout: &bgl,
            entries: &[
                wgpu::BindGroupEntry { binding: 0, resource: uniform.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 1, resource: params.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 2, resource: grad.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 3, resource: images.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 4, resource: act.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 5, resource: idx.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 6, resource: back.as_entire_binding() },
            ],
        });
        Ok(LeNetGpu {
            arch,
            max_batch,
            dims,
            device,
            queue,
            pipelines,
            bind,
            uniform,
            params,
            grad,
            images,
            back,
            act,
            idx,
            info,
            backend,
            z_host: vec![0.0; n * CLASSES],
            dz_host: vec![0.0; n * CLASSES],
        })
    }

    /// The adapter's name and type, e.g. "llvmpipe (LLVM 15.0.6, 256 bits) (Cpu)".
    pub fn adapter(&self) -> String {
        crate::gpu::pipelines::describe(&self.info)
    }

    /// True on a CPU device (lavapipe): timings are not GPU timings.
    pub fn is_cpu_device(&self) -> bool {
        self.info.device_type == wgpu::DeviceType::Cpu
    }

    /// The architecture.
    pub fn arch(&self) -> Arch {
        self.arch
    }

    /// Loss and errors of the batch, and the gradient of its MEAN loss into `grad` (overwritten).
    pub fn loss_grad(&mut self, params: &[f32], batch: &Batch, grad: &mut [f32]) -> Result<BatchStats> {
        check_f32_inputs(self.arch, params, batch)?;
        ensure_len("gradient", grad.len(), self.arch.num_params())?;
        self.queue.write_buffer(&self.params, 0, bytemuck::cast_slice(params));
        let mut enc = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
        enc.clear_buffer(&self.grad, 0, None);
        self.queue.submit([enc.finish()]);
        let stats = self.accumulate_gradient(batch)?;
        let g = self.read(&self.grad, 0, grad.len())?;
        grad.copy_from_slice(&g);
        match grad.iter().position(|g| !g.is_finite()) {
            None => Ok(stats),
            Some(i) => Err(KernelError::NonFinite { what: "gradient coordinate", index: i, value: grad[i] as f64 }),
        }
    }

    /// Worker j's minibatch gradient δⱼ of (16) on the kernels' device, without the host: zⱼ is
    /// copied from `state` into the network's parameters, the passes run, and the gradient of
    /// the MEAN loss is copied into δⱼ of `state` (the losses come back, as in
    /// [`loss_grad`](Self::loss_grad)). The network must have been opened [`on`](Self::on) the
    /// same backend. δⱼ is not read back: a non-finite gradient shows in the step's domain check
    /// and in the figures read at the next log line.
    pub fn worker_gradient(&mut self, backend: &GpuBackend, state: &mut GpuState, j: usize, batch: &Batch) -> Result<BatchStats> {
        if self.backend != Some(backend.id) {
            return Err(KernelError::InvalidParameter {
                name: "backend",
                value: format!("{backend:?}"),
                expected: "the backend the network was opened on (LeNetGpu::on)",
            });
        }
        let n = self.arch.num_params();
        ensure_len("parameters of one worker (layer table)", state.layers.len(), n)?;
        if j >= state.m {
            return Err(KernelError::InvalidParameter { name: "worker", value: j.to_string(), expected: "j < M, the workers of the state" });
        }
        super::ensure_finite("pixel", batch.images())?;
        let bytes = (4 * n) as u64;
        let mut enc = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
        enc.copy_buffer_to_buffer(&state.bufs[Z], j as u64 * bytes, &self.params, 0, bytes);
        enc.clear_buffer(&self.grad, 0, None);
        self.queue.submit([enc.finish()]);
        let stats = self.accumulate_gradient(batch)?;
        let mut enc = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
        enc.copy_buffer_to_buffer(&self.grad, 0, &state.bufs[DLT], j as u64 * bytes, bytes);
        self.queue.submit([enc.finish()]);
        Ok(stats)
    }

    /// The passes of `batch` in chunks of `max_batch`: losses and the gradient of the mean loss
    /// added to the (cleared) gradient buffer, at the parameters on the device.
    fn accumulate_gradient(&mut self, batch: &Batch) -> Result<BatchStats> {
        let scale = 1.0 / batch.len() as f64;
        let mut stats = BatchStats::default();
        for start in (0..batch.len()).step_by(self.max_batch) {
            let chunk = batch.slice(start, (start + self.max_batch).min(batch.len()));
            self.forward(chunk.images(), chunk.len())?;
            stats.add(&self.losses(chunk.labels(), start, Some(scale))?);
            let n = chunk.len();
            self.queue.write_buffer(&self.back, 4 * self.dims.o_dz as u64, bytemuck::cast_slice(&self.dz_host[..n * CLASSES]));
            self.run(&self.backward_kernels(n), n);
        }
        Ok(stats)
    }

    /// Loss and errors of the batch (forward only).
    pub fn evaluate(&mut self, params: &[f32], batch: &Batch) -> Result<BatchStats> {
        check_f32_inputs(self.arch, params, batch)?;
        self.queue.write_buffer(&self.params, 0, bytemuck::cast_slice(params));
        let mut stats = BatchStats::default();
        for start in (0..batch.len()).step_by(self.max_batch) {
            let chunk = batch.slice(start, (start + self.max_batch).min(batch.len()));
            self.forward(chunk.images(), chunk.len())?;
            stats.add(&self.losses(chunk.labels(), start, None)?);
        }
        Ok(stats)
    }

    /// The [`Pattern`] the device's forward pass takes on the batch (read back from the pools'
    /// routing and the FC ReLUs), for the tests.
    pub fn pattern(&mut self, params: &[f32], batch: &Batch) -> Result<Pattern> {
        check_f32_inputs(self.arch, params, batch)?;
        self.queue.write_buffer(&self.params, 0, bytemuck::cast_slice(params));
        let mut pat = Pattern::default();
        let route = |idx: u32, map: usize, side: usize, py: usize, px: usize| -> u8 {
            if idx == u32::MAX {
                return OFF;
            }
            let local = idx as usize - map;
            ((local / side - 2 * py) * 2 + (local % side - 2 * px)) as u8
        };
        for start in (0..batch.len()).step_by(self.max_batch) {
            let chunk = batch.slice(start, (start + self.max_batch).min(batch.len()));
            let n = chunk.len();
            self.forward(chunk.images(), n)?;
            let i1 = self.read_u32(&self.idx, self.dims.o_i1 as usize, n * C1 * P1 * P1)?;
            let i2 = self.read_u32(&self.idx, self.dims.o_i2 as usize, n * FLAT)?;
            for (j, &idx) in i1.iter().enumerate() {
                let (c, q) = ((j / (P1 * P1)) % C1, j % (P1 * P1));
                pat.pool1.push(route(idx, c * S1 * S1, S1, q / P1, q % P1));
            }
            for (j, &idx) in i2.iter().enumerate() {
                let (c, q) = ((j % FLAT) / (P2 * P2), j % (P2 * P2));
                pat.pool2.push(route(idx, c * S2 * S2, S2, q / P2, q % P2));
            }
            if self.arch == Arch::Caffe {
                let h = self.read(&self.act, self.dims.o_h as usize, n * HIDDEN)?;
                pat.fc1.extend(h.iter().map(|&v| v > 0.0));
            }
        }
        Ok(pat)
    }

    /// Uploads the chunk, runs the forward kernels and reads the logits back into `z_host`.
    fn forward(&mut self, images: &[f32], n: usize) -> Result<()> {
        self.queue.write_buffer(&self.images, 0, bytemuck::cast_slice(images));
        let kernels: Vec<(usize, usize)> = [
            (0, n * C1 * S1 * S1),
            (1, n * C1 * P1 * P1),
            (2, n * C2 * S2 * S2),
            (3, n * FLAT),
            (4, if self.arch == Arch::Caffe { n * HIDDEN } else { 0 }),
            (5, n * CLASSES),
        ]
        .into_iter()
        .filter(|&(_, t)| t > 0)
        .collect();
        self.run(&kernels, n);
        let z = self.read(&self.act, self.dims.o_z as usize, n * CLASSES)?;
        self.z_host[..n * CLASSES].copy_from_slice(&z);
        Ok(())
    }

    /// (kernel, invocations) of the backward pass of n samples.
    fn backward_kernels(&self, n: usize) -> Vec<(usize, usize)> {
        let n_in = self.arch.last_in();
        let mut k = vec![(6, 10 * n_in + 10), (7, n * n_in)];
        if self.arch == Arch::Caffe {
            k.push((8, HIDDEN * FLAT + HIDDEN));
            k.push((9, n * FLAT));
        }
        k.extend([(10, n * C2 * S2 * S2), (11, C2 * C1 * 25 + C2), (12, n * C1 * P1 * P1), (13, n * C1 * S1 * S1), (14, C1 * 25 + C1)]);
        k
    }

    /// Losses from `z_host` (f64), and ∂(scale·Σℓ)/∂z into `dz_host` when a scale is given.
    fn losses(&mut self, labels: &[u8], first: usize, scale: Option<f64>) -> Result<BatchStats> {
        chunk_losses(&self.z_host, labels, first, scale, &mut self.dz_host)
    }

    /// Sets D.n and runs the kernels (index into ENTRIES, invocations) in order, one submission.
    fn run(&self, kernels: &[(usize, usize)], n: usize) {
        let dims = Dims { n: n as u32, ..self.dims };
        self.queue.write_buffer(&self.uniform, 0, bytemuck::bytes_of(&dims));
        let mut enc = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
        {
            let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor { label: None, timestamp_writes: None });
            pass.set_bind_group(0, &self.bind, &[]);
            for &(k, invocations) in kernels {
                pass.set_pipeline(&self.pipelines[k]);
                pass.dispatch_workgroups(invocations.div_ceil(WG).clamp(1, MAX_GROUPS) as u32, 1, 1);
            }
        }
        self.queue.submit([enc.finish()]);
    }

    /// Copies `count` u32 from `src` at element `offset` to the host (blocks).
    fn read_u32(&self, src: &wgpu::Buffer, offset: usize, count: usize) -> Result<Vec<u32>> {
        Ok(self.read(src, offset, count)?.into_iter().map(f32::to_bits).collect())
    }

    /// Copies `count` f32 from `src` at element `offset` to the host (blocks).
    fn read(&self, src: &wgpu::Buffer, offset: usize, count: usize) -> Result<Vec<f32>> {
        crate::gpu::read_f32(&self.device, &self.queue, src, offset, count)
    }
}
