//! The wgpu engine of `infconv train --backend gpu`: one wgpu context holds the EASGD state (u,
//! zⱼ, vⱼ, δⱼ of model (15)) of the kernels' [`GpuBackend`] and the LeNet-5 network, opened on
//! that backend ([`LeNetGpu::on`]), so an iteration moves no parameters through the host.
//!
//! Per iteration: for every worker j in turn, [`LeNetGpu::worker_gradient`] copies zⱼ into the
//! network on the device, runs the passes (the minibatch images go down, the logits come back for
//! the loss in f64, as on the CPU) and copies the gradient into δⱼ on the device; then the step
//! runs (Gauss–Seidel fused, or the Jacobi order of (17), which reads u back once to put the old u
//! in place for the worker step). Nothing else is read back: the host mirrors of u, zⱼ, vⱼ and δⱼ
//! are refreshed only when asked ([`GpuEasgd::sync`]: log lines, checkpoints, the figures at the
//! end), (3M + 1)·n f32 then.
//!
//! Evaluation, the logged figures and the Corollary 5.1 figures at the end of a run stay on the
//! CPU (`lenet::evaluate_dataset`). Checkpoints store the same f32 u, zⱼ, vⱼ as on the CPU, so a
//! GPU run's checkpoint resumes on either engine and vice versa. Resuming is bit-exact only on
//! the CPU engine: the WGSL reductions are not promised to be deterministic across adapters or
//! reloads, and the CPU and GPU engines agree only within the rounding bounds of
//! `crate::tolerance` (the `TRAIN_GPU_*` section), not bit for bit.

use crate::error::TrainError;
use infconv_kernels::gpu::GpuState;
use infconv_kernels::lenet::{Arch, Batch, BatchStats, LeNetGpu};
use infconv_kernels::{Backend, GpuBackend, HostState, LayerTable, Params, Residuals};

/// The wgpu context of a GPU run: the kernels' backend and the LeNet-5 network on its device.
/// Opened once per run and kept across checkpoint reloads (opening compiles the shaders).
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
        let net = LeNetGpu::on(&backend, arch, batch.max(1))?;
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

    /// δⱼ = ∇ of worker j's mean minibatch loss at zⱼ given on the host, for every worker in
    /// turn (mSGD, whose update stays on the host); `delta` and `z` worker-major.
    pub(super) fn host_gradients(&mut self, z: &[f32], xs: &[Vec<f32>], ys: &[Vec<u8>], delta: &mut [f32]) -> Result<Vec<BatchStats>, TrainError> {
        let n = self.net.arch().num_params();
        let mut stats = Vec::with_capacity(xs.len());
        for (j, (x, y)) in xs.iter().zip(ys).enumerate() {
            let batch = Batch::new(x, y)?;
            stats.push(self.net.loss_grad(&z[j * n..(j + 1) * n], &batch, &mut delta[j * n..(j + 1) * n])?);
        }
        Ok(stats)
    }
}

/// Host copies of the device state, as of the last [`GpuEasgd::sync`].
struct Mirrors {
    u: Vec<f32>,
    z: Vec<f32>,
    v: Vec<f32>,
    delta: Vec<f32>,
}

/// Algorithm 1's state on the device, with host mirrors refreshed on demand (module doc).
pub(super) struct GpuEasgd {
    state: GpuState,
    params: Params,
    host: Mirrors,
    /// The mirrors hold the device state (no step since the last sync).
    fresh: bool,
}

impl GpuEasgd {
    /// Loads u, zⱼ, vⱼ (f32, from a checkpoint) onto the device, δⱼ = 0.
    pub(super) fn load(dev: &GpuDevices, layers: &LayerTable, m: usize, u: &[f32], z: &[f32], v: &[f32], params: Params) -> Result<GpuEasgd, TrainError> {
        let wid = |x: &[f32]| x.iter().map(|&a| a as f64).collect::<Vec<f64>>();
        let host = HostState::new(layers.clone(), m, wid(u), wid(z), wid(v), vec![0.0; z.len()])?;
        let state = dev.backend.load(&host)?;
        let host = Mirrors { u: u.to_vec(), z: z.to_vec(), v: v.to_vec(), delta: vec![0.0; z.len()] };
        Ok(GpuEasgd { state, params, host, fresh: true })
    }

    /// The consensus u, as of the last sync.
    pub(super) fn u(&self) -> &[f32] {
        &self.host.u
    }

    /// The copies zⱼ, worker-major, as of the last sync.
    pub(super) fn z(&self) -> &[f32] {
        &self.host.z
    }

    /// The momenta vⱼ, worker-major, as of the last sync.
    pub(super) fn v(&self) -> &[f32] {
        &self.host.v
    }

    /// The minibatch gradients δⱼ, worker-major, as of the last sync.
    pub(super) fn delta(&self) -> &[f32] {
        &self.host.delta
    }

    /// Reads u, zⱼ, vⱼ and δⱼ back into the mirrors if a step ran since the last sync.
    pub(super) fn sync(&mut self, dev: &GpuDevices) -> Result<(), TrainError> {
        if !self.fresh {
            let b = &dev.backend;
            self.host = Mirrors { u: b.read_u_f32(&self.state)?, z: b.read_z_f32(&self.state)?, v: b.read_v_f32(&self.state)?, delta: b.read_delta_f32(&self.state)? };
            self.fresh = true;
        }
        Ok(())
    }

    /// δⱼ of every worker at zⱼ on the device, in turn (the minibatches gathered into `xs`, `ys`).
    pub(super) fn gradients(&mut self, dev: &mut GpuDevices, xs: &[Vec<f32>], ys: &[Vec<u8>]) -> Result<Vec<BatchStats>, TrainError> {
        self.fresh = false;
        let mut stats = Vec::with_capacity(xs.len());
        for (j, (x, y)) in xs.iter().zip(ys).enumerate() {
            let batch = Batch::new(x, y)?;
            stats.push(dev.net.worker_gradient(&dev.backend, &mut self.state, j, &batch)?);
        }
        Ok(stats)
    }

    /// One step of Algorithm 1 with the δⱼ on the device (see `driver.rs`); returns the
    /// line-search cuts.
    pub(super) fn step(&mut self, dev: &GpuDevices, jacobi: bool) -> Result<usize, TrainError> {
        let b = &dev.backend;
        self.fresh = false;
        let cuts = if jacobi {
            let u_old = b.read_u_f32(&self.state)?;
            let t_u = b.consensus_step(&mut self.state, &self.params)?;
            let u_new = b.read_u_f32(&self.state)?;
            b.set_u_f32(&mut self.state, &u_old)?;
            let t_z = b.worker_step(&mut self.state, &self.params)?;
            b.set_u_f32(&mut self.state, &u_new)?;
            std::iter::once(t_u).chain(t_z).filter(|&t| t < 1.0).count()
        } else {
            b.step(&mut self.state, &self.params)?.cuts
        };
        Ok(cuts)
    }

    /// The kernels' residuals of (5a)/(5b) with the given δⱼ (which replace those on the device;
    /// the mirrors, synced first, keep the last step's).
    pub(super) fn residuals(&mut self, dev: &GpuDevices, delta: &[f32]) -> Result<Residuals, TrainError> {
        self.sync(dev)?;
        dev.backend.set_delta_f32(&mut self.state, delta)?;
        dev.backend.residuals(&mut self.state, &self.params).map_err(TrainError::from)
    }
}
