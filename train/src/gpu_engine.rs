//! The wgpu engine of `infconv train --backend gpu`: the EASGD state (u, zⱼ, vⱼ, δⱼ of model
//! (15)) lives in the kernels' [`GpuBackend`], and the minibatch gradients δⱼ of (16) come from
//! [`LeNetGpu`] (the same `loss_grad` as the CPU path, f32 WGSL). Evaluation, the logged figures
//! and the Corollary 5.1 figures at the end of a run stay on the CPU (`lenet::evaluate_dataset`).
//!
//! Per iteration: for every worker j in turn, zⱼ is uploaded to the LeNet device and δⱼ read back
//! (the two wgpu devices share no buffers); δ goes down to the kernels in f32
//! ([`GpuBackend::set_delta_f32`]), the step runs there (Gauss–Seidel fused, or the Jacobi order
//! of (17) with [`GpuBackend::set_u_f32`]), and u, zⱼ, vⱼ are read back once into host mirrors
//! (zⱼ is needed for the next gradients anyway; u and v make [`super::Trainer::u`],
//! [`super::Trainer::z`], [`super::Trainer::v`] and checkpoints work unchanged): (2M + 1)·n f32
//! of read-back per iteration.
//!
//! Checkpoints store the same f32 u, zⱼ, vⱼ as on the CPU, so a GPU run's checkpoint resumes on
//! either engine and vice versa. Resuming is bit-exact only on the CPU engine: the WGSL
//! reductions are not promised to be deterministic across adapters or reloads, and the CPU and
//! GPU engines agree only within the rounding bounds of `crate::tolerance` (the `TRAIN_GPU_*`
//! section), not bit for bit.

use crate::error::TrainError;
use infconv_kernels::gpu::GpuState;
use infconv_kernels::lenet::{Arch, Batch, BatchStats, LeNetGpu};
use infconv_kernels::{Backend, GpuBackend, HostState, LayerTable, Params, Residuals};

/// The two wgpu devices of a GPU run: the kernels' backend and the LeNet-5 network. Opened once
/// per run and kept across checkpoint reloads (opening compiles the shaders).
pub struct GpuDevices {
    backend: GpuBackend,
    net: LeNetGpu,
}

impl std::fmt::Debug for GpuDevices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GpuDevices({:?}, {:?})", self.backend, self.net)
    }
}

impl GpuDevices {
    /// Opens the first wgpu adapter (honours `WGPU_BACKEND`, `WGPU_ADAPTER_NAME`) for the
    /// architecture and minibatch of a run; an error naming what is missing when there is none.
    pub fn open(arch: Arch, batch: usize) -> Result<GpuDevices, TrainError> {
        let backend = GpuBackend::new()?;
        let net = LeNetGpu::new(arch, batch.max(1))?;
        Ok(GpuDevices { backend, net })
    }

    /// The adapter's name and type, e.g. "llvmpipe (LLVM 15.0.6, 256 bits) (Cpu)".
    pub fn adapter(&self) -> String {
        self.backend.adapter()
    }

    /// True when the adapter is a CPU device (lavapipe): slower than the CPU engine.
    pub fn is_cpu_device(&self) -> bool {
        self.backend.is_cpu_device()
    }

    /// The engine's name in logs and summaries: "wgpu-f32 (<adapter>)".
    pub fn name(&self) -> String {
        self.backend.name()
    }

    /// The LeNet architecture the network was opened for.
    pub fn arch(&self) -> Arch {
        self.net.arch()
    }

    /// δⱼ = ∇ of worker j's mean minibatch loss at zⱼ for every worker, in turn, on the LeNet
    /// device (the minibatches already gathered into `xs`, `ys`); `delta` and `z` worker-major.
    pub(super) fn gradients(&mut self, z: &[f32], xs: &[Vec<f32>], ys: &[Vec<u8>], delta: &mut [f32]) -> Result<Vec<BatchStats>, TrainError> {
        let n = self.net.arch().num_params();
        let mut stats = Vec::with_capacity(xs.len());
        for (j, (x, y)) in xs.iter().zip(ys).enumerate() {
            let batch = Batch::new(x, y)?;
            stats.push(self.net.loss_grad(&z[j * n..(j + 1) * n], &batch, &mut delta[j * n..(j + 1) * n])?);
        }
        Ok(stats)
    }
}

/// Algorithm 1's state on the kernels' device, with host mirrors of u, zⱼ, vⱼ (module doc).
pub(super) struct GpuEasgd {
    state: GpuState,
    params: Params,
    u: Vec<f32>,
    z: Vec<f32>,
    v: Vec<f32>,
}

impl GpuEasgd {
    /// Loads u, zⱼ, vⱼ (f32, from a checkpoint) onto the device, δⱼ = 0.
    pub(super) fn load(dev: &GpuDevices, layers: &LayerTable, m: usize, u: &[f32], z: &[f32], v: &[f32], params: Params) -> Result<GpuEasgd, TrainError> {
        let wid = |x: &[f32]| x.iter().map(|&a| a as f64).collect::<Vec<f64>>();
        let host = HostState::new(layers.clone(), m, wid(u), wid(z), wid(v), vec![0.0; z.len()])?;
        let state = dev.backend.load(&host)?;
        Ok(GpuEasgd { state, params, u: u.to_vec(), z: z.to_vec(), v: v.to_vec() })
    }

    /// The consensus u (host mirror).
    pub(super) fn u(&self) -> &[f32] {
        &self.u
    }

    /// The copies zⱼ, worker-major (host mirror).
    pub(super) fn z(&self) -> &[f32] {
        &self.z
    }

    /// The momenta vⱼ, worker-major (host mirror).
    pub(super) fn v(&self) -> &[f32] {
        &self.v
    }

    /// One step of Algorithm 1 with the given δⱼ (see `driver.rs`); returns the line-search cuts.
    pub(super) fn step(&mut self, dev: &GpuDevices, delta: &[f32], jacobi: bool) -> Result<usize, TrainError> {
        let b = &dev.backend;
        b.set_delta_f32(&mut self.state, delta)?;
        let cuts = if jacobi {
            let t_u = b.consensus_step(&mut self.state, &self.params)?;
            let u_new = b.read_u_f32(&self.state)?;
            b.set_u_f32(&mut self.state, &self.u)?;
            let t_z = b.worker_step(&mut self.state, &self.params)?;
            b.set_u_f32(&mut self.state, &u_new)?;
            std::iter::once(t_u).chain(t_z).filter(|&t| t < 1.0).count()
        } else {
            b.step(&mut self.state, &self.params)?.cuts
        };
        self.u = b.read_u_f32(&self.state)?;
        self.z = b.read_z_f32(&self.state)?;
        self.v = b.read_v_f32(&self.state)?;
        Ok(cuts)
    }

    /// The kernels' residuals of (5a)/(5b) with the given δⱼ.
    pub(super) fn residuals(&mut self, dev: &GpuDevices, delta: &[f32]) -> Result<Residuals, TrainError> {
        dev.backend.set_delta_f32(&mut self.state, delta)?;
        dev.backend.residuals(&mut self.state, &self.params).map_err(TrainError::from)
    }
}
