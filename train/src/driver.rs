//! The training driver: Algorithm 1 on model (15) with LeNet-5 losses fⱼ (paper
//! section 6), or the mSGD baseline, on the CPU f32 backends of the kernels crate.
//!
//! One iteration of Algorithm 1 (see `infconv_kernels::Params` for the exact update):
//! 1. every worker j draws its minibatch Bⱼ (its own shuffled epochs over the whole training set)
//!    and computes δⱼ = ∇ of the mean minibatch loss at zⱼ (LeNet forward and backward, workers in
//!    parallel); the consensus step does not change zⱼ, so this is the gradient line 5 needs;
//! 2. the fused kernel step: u ← u − t_u τ Σⱼ ∇φ̂(u − zⱼ), then
//!    zⱼ ← zⱼ − tⱼ σ (Δⱼ + κvⱼ) with Δⱼ = δⱼ + νzⱼ − (1/λ)∇φ̂(u − zⱼ) (16)–(17) and Nesterov
//!    momentum; t_u, tⱼ < 1 only where the line search must keep u − zⱼ in dom φ̂ (counted as cuts).
//!
//! mSGD: w ← w − σ(Δ + κv), v ← κv + Δ, Δ = δ + νw (the same Nesterov form, one model).
//!
//! Engines: the CPU f32 backends (default; δⱼ on one `LeNetCpu` per worker in parallel), or,
//! given [`GpuDevices`], the wgpu engine of `gpu_engine.rs` (one wgpu context: Algorithm 1's
//! state and δⱼ stay on the device, read back at [`Trainer::sync`]; mSGD takes δ from the
//! device's network and keeps its host update). Resume is bit-exact on the CPU engine only;
//! checkpoints load into either engine.

use crate::error::TrainError;
use crate::checkpoint::{Checkpoint, Header};
use crate::config::{Method, TrainConfig};
use crate::dataset::{Images, TrainData};
use crate::gpu_engine::{GpuDevices, GpuEasgd};
use crate::mpi::Team;
use crate::objective::{distance, phi_hat};
use crate::sampler::Sampler;
use infconv_kernels::lenet::{self, Arch, Batch, BatchStats, LeNetCpu};
use infconv_kernels::{Backend, CpuBackend, HostState, LayerTable, Params};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Instant;

/// One logged point of a run (a JSON line of `--json`, a row of log.csv).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogRecord {
    /// "quad", …, or "msgd".
    pub method: String,
    /// M.
    pub workers: usize,
    /// Iterations done.
    pub iterations: usize,
    /// Wall-clock seconds of training so far (evaluation excluded).
    pub seconds: f64,
    /// Model (15) on the evaluation subset: Σⱼ fⱼ(zⱼ) + (1/λ)φ̂(u − zⱼ), fⱼ = mean loss + (ν/2)‖zⱼ‖²
    /// (mSGD: f(w)).
    pub objective: f64,
    /// Mean minibatch loss of the workers since the previous record (null at the initial point).
    pub batch_loss: Option<f64>,
    /// Mean loss of the consensus u on the evaluation subset of the training set.
    pub train_loss: f64,
    /// Error rate of u on that subset.
    pub train_error: f64,
    /// Mean loss of u on the test set.
    pub test_loss: f64,
    /// Error rate of u on the test set.
    pub test_error: f64,
    /// maxⱼ ‖u − zⱼ‖.
    pub consensus: f64,
    /// Line-search cuts so far.
    pub cuts: usize,
    /// Corollary 5.1 at the end of a run (null before): ‖(1/λ)Σⱼ ∇φ̂(ū − z̄ⱼ)‖ on the full
    /// training set (mSGD: null).
    pub residual_5a: Option<f64>,
    /// maxⱼ ‖∇fⱼ(z̄ⱼ) − (1/λ)∇φ̂(ū − z̄ⱼ)‖ with fⱼ on the full training set (mSGD: ‖∇f(w)‖).
    pub residual_5b: Option<f64>,
    /// ‖Σⱼ ∇e fⱼ(ū)‖, ∇e fⱼ(ū) = ∇φ̂(ū − P fⱼ(ū))/λ (section 5; mSGD: null).
    pub envelope_stationarity: Option<f64>,
    /// ‖∇Ψ(z_K)‖ of the inner prox problem Ψ(z) = f(z) + (1/λ)φ̂(ū − z) where it stopped: how exact
    /// the P behind `envelope_stationarity` is.
    pub prox_residual: Option<f64>,
}

// One engine per run: the size of the CPU variant's inline state costs nothing.
#[allow(clippy::large_enum_variant)]
enum Engine {
    Easgd { backend: CpuBackend<f32>, state: infconv_kernels::cpu::CpuState<f32>, params: Params },
    Msgd { w: Vec<f32>, v: Vec<f32> },
    Gpu(Box<GpuEasgd>),
}

/// A run in progress.
pub struct Trainer {
    cfg: TrainConfig,
    method: Method,
    arch: Arch,
    layers: LayerTable,
    data: Arc<TrainData>,
    engine: Engine,
    nets: Vec<LeNetCpu>,
    gpu: Option<GpuDevices>,
    samplers: Vec<Sampler>,
    delta: Vec<f32>,
    batch_x: Vec<Vec<f32>>,
    batch_y: Vec<Vec<u8>>,
    batch_idx: Vec<Vec<usize>>,
    iteration: usize,
    cuts: usize,
    seconds: f64,
    batch_loss_sum: f64,
    batch_loss_count: usize,
    threads: usize,
    /// The ranks sharing the workers (one process: all of them; see `mpi/`).
    team: Team,
    /// zⱼ, vⱼ while the workers take local steps (`--comm-period k > 1`); the kernel state holds
    /// them again from the next elastic step (or [`Trainer::flush`]) on.
    local: Option<(Vec<f32>, Vec<f32>)>,
}

impl Trainer {
    /// A fresh run: u = zⱼ = the seeded LeNet initialisation, zero momenta (CPU engine).
    pub fn new(cfg: TrainConfig, data: Arc<TrainData>, threads: usize) -> Result<Trainer, TrainError> {
        Trainer::new_on(cfg, data, threads, None)
    }

    /// A fresh run on the wgpu engine when `gpu` is given, else on the CPU.
    pub fn new_on(cfg: TrainConfig, data: Arc<TrainData>, threads: usize, gpu: Option<GpuDevices>) -> Result<Trainer, TrainError> {
        cfg.validate()?;
        let arch = cfg.arch()?;
        let init: Vec<f32> = lenet::init_params(arch, cfg.seed).iter().map(|&x| x as f32).collect();
        let m = cfg.workers;
        let z: Vec<f32> = (0..m).flat_map(|_| init.iter().copied()).collect();
        let v = vec![0.0; m * init.len()];
        let header = Header { config: cfg.clone(), iteration: 0, n: init.len(), cuts: 0, seconds: 0.0, batch_loss_sum: 0.0, batch_loss_count: 0 };
        Trainer::from_checkpoint_on(Checkpoint { header, u: init, z, v }, data, threads, gpu)
    }

    /// A run continued from a checkpoint (its configuration included), on the CPU engine.
    pub fn from_checkpoint(ck: Checkpoint, data: Arc<TrainData>, threads: usize) -> Result<Trainer, TrainError> {
        Trainer::from_checkpoint_on(ck, data, threads, None)
    }

    /// A run continued from a checkpoint on the wgpu engine when `gpu` is given (opened for the
    /// checkpoint's architecture), else on the CPU. A checkpoint of either engine loads into either.
    pub fn from_checkpoint_on(ck: Checkpoint, data: Arc<TrainData>, threads: usize, gpu: Option<GpuDevices>) -> Result<Trainer, TrainError> {
        let cfg = ck.header.config.clone();
        cfg.validate()?;
        let method = cfg.method()?;
        let arch = cfg.arch()?;
        let layers = arch.layer_table();
        let n = layers.len();
        if ck.header.n != n || ck.u.len() != n || ck.z.len() != cfg.workers * n {
            return Err(TrainError::input(format!("checkpoint of n = {} does not fit the {} architecture (n = {n})", ck.header.n, arch.name())));
        }
        let threads = if threads == 0 { std::thread::available_parallelism().map(|t| t.get()).unwrap_or(1) } else { threads };
        if gpu.is_some() && cfg.comm_period > 1 {
            return Err(TrainError::input(format!("--comm-period {}: local steps run on the CPU engine only; use --backend cpu", cfg.comm_period)));
        }
        if gpu.is_some() {
            method.gpu_supported()?;
        }
        if let Some(g) = gpu.as_ref().filter(|g| g.arch() != arch) {
            return Err(format!("the wgpu devices were opened for the {} architecture, the run is {}", g.arch().name(), arch.name()).into());
        }
        let engine = match (method, &gpu) {
            (Method::Msgd, _) => Engine::Msgd { w: ck.z.clone(), v: ck.v.clone() },
            (Method::Algorithm1(_), Some(g)) => Engine::Gpu(Box::new(GpuEasgd::load(g, &layers, cfg.workers, &ck.u, &ck.z, &ck.v, cfg.params()?)?)),
            (Method::Algorithm1(_), None) => {
                let backend = CpuBackend::<f32>::new(threads)?;
                let wid = |x: &[f32]| x.iter().map(|&a| a as f64).collect::<Vec<f64>>();
                let host = HostState::new(layers.clone(), cfg.workers, wid(&ck.u), wid(&ck.z), wid(&ck.v), vec![0.0; cfg.workers * n])?;
                let state = backend.load(&host)?;
                Engine::Easgd { backend, state, params: cfg.params()? }
            }
        };
        let m = cfg.workers;
        let cpu_nets = if gpu.is_some() { 0 } else { m };
        let nets = (0..cpu_nets).map(|_| LeNetCpu::new(arch, cfg.batch)).collect::<Result<Vec<_>, _>>()?;
        let samplers = (0..m).map(|j| Sampler::new(cfg.seed, j, data.train.len())).collect();
        Ok(Trainer {
            method,
            arch,
            layers,
            engine,
            nets,
            gpu,
            samplers,
            delta: vec![0.0; m * n],
            batch_x: vec![Vec::new(); m],
            batch_y: vec![Vec::new(); m],
            batch_idx: vec![Vec::new(); m],
            iteration: ck.header.iteration,
            cuts: ck.header.cuts,
            seconds: ck.header.seconds,
            batch_loss_sum: ck.header.batch_loss_sum,
            batch_loss_count: ck.header.batch_loss_count,
            threads,
            data,
            team: Team::single(m),
            local: None,
            cfg,
        })
    }

    /// Shares the workers with the other ranks of `team` (docs/scaling.md): from now on this
    /// process computes the minibatch gradients of its own block of workers only, and every step
    /// gathers the others'. CPU engine only.
    pub fn join(&mut self, team: Team) -> Result<(), TrainError> {
        if team.workers != self.cfg.workers {
            return Err(format!("a team of {} workers for a run of --workers {}", team.workers, self.cfg.workers).into());
        }
        if team.size() > 1 && self.gpu.is_some() {
            return Err(TrainError::input(format!("{} MPI ranks with the wgpu engine: runs across processes use the CPU engine (--backend cpu)", team.size())));
        }
        let mine = team.mine();
        if self.gpu.is_none() && self.nets.len() == self.cfg.workers {
            self.nets.truncate(mine.end);
            self.nets.drain(..mine.start);
        }
        self.team = team;
        Ok(())
    }

    /// The ranks this run is shared with.
    pub fn team(&self) -> &Team {
        &self.team
    }

    /// See [`Trainer::team`].
    pub fn team_mut(&mut self) -> &mut Team {
        &mut self.team
    }

    /// Wall-clock seconds of training so far (evaluation excluded; every resumed part added).
    pub fn seconds(&self) -> f64 {
        self.seconds
    }

    /// Ends a phase of local steps: gathers every worker's zⱼ, vⱼ and puts them back into the
    /// kernel state (a no-op outside such a phase). Every rank calls it at the same iterations.
    pub fn flush(&mut self) -> Result<(), TrainError> {
        let Some((mut z, mut v)) = self.local.take() else { return Ok(()) };
        let n = self.layers.len();
        self.team.gather_workers(&mut z, n)?;
        self.team.gather_workers(&mut v, n)?;
        if let Engine::Easgd { backend, state, .. } = &mut self.engine {
            let wid = |x: &[f32]| x.iter().map(|&a| a as f64).collect::<Vec<f64>>();
            let host = HostState::new(self.layers.clone(), self.cfg.workers, wid(state.u()), wid(&z), wid(&v), vec![0.0; z.len()])?;
            *state = backend.load(&host)?;
        }
        Ok(())
    }

    /// The configuration.
    pub fn config(&self) -> &TrainConfig {
        &self.cfg
    }

    /// Iterations done.
    pub fn iteration(&self) -> usize {
        self.iteration
    }

    /// The LeNet architecture.
    pub fn arch(&self) -> Arch {
        self.arch
    }

    /// The layer table of (18).
    pub fn layers(&self) -> &LayerTable {
        &self.layers
    }

    /// The run's images.
    pub fn data(&self) -> &TrainData {
        &self.data
    }

    /// The run's images, shared.
    pub fn shared_data(&self) -> Arc<TrainData> {
        self.data.clone()
    }

    /// The engine: "cpu-f32" or "wgpu-f32 (<adapter>)".
    pub fn backend_name(&self) -> String {
        self.gpu.as_ref().map_or_else(|| "cpu-f32".to_string(), |g| g.name())
    }

    /// Ends the run and hands back its wgpu devices (None on the CPU engine), to open another
    /// run on them without compiling the shaders again.
    pub fn into_devices(self) -> Option<GpuDevices> {
        self.gpu
    }

    /// The minibatch gradients δⱼ of the last step (worker-major; zero before the first). On the
    /// wgpu engine: as of the last [`sync`](Self::sync).
    pub fn delta(&self) -> &[f32] {
        match &self.engine {
            Engine::Gpu(g) => g.delta(),
            _ => &self.delta,
        }
    }

    /// Brings the host copies of the wgpu engine's state up to date (u, zⱼ, vⱼ, δⱼ stay on the
    /// device between steps); nothing to do on the CPU engines. [`record`](Self::record),
    /// [`checkpoint`](Self::checkpoint) and the figures at the end sync by themselves.
    pub fn sync(&mut self) -> Result<(), TrainError> {
        if let (Engine::Gpu(g), Some(dev)) = (&mut self.engine, &self.gpu) {
            g.sync(dev)?;
        }
        Ok(())
    }

    /// Threads of the CPU backends.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The consensus u (mSGD: the model). On the wgpu engine: as of the last [`sync`](Self::sync)
    /// (likewise [`z`](Self::z) and [`v`](Self::v)).
    pub fn u(&self) -> &[f32] {
        match &self.engine {
            Engine::Easgd { state, .. } => state.u(),
            Engine::Msgd { w, .. } => w,
            Engine::Gpu(g) => g.u(),
        }
    }

    /// The copies zⱼ, worker-major (mSGD: the model).
    pub fn z(&self) -> &[f32] {
        self.zv().0
    }

    /// The momenta, worker-major.
    pub fn v(&self) -> &[f32] {
        self.zv().1
    }

    /// (zⱼ, vⱼ): the local copies between elastic steps, else the engine's.
    fn zv(&self) -> (&[f32], &[f32]) {
        if let Some((z, v)) = &self.local {
            return (z, v);
        }
        match &self.engine {
            Engine::Easgd { state, .. } => (state.z(), state.v()),
            Engine::Msgd { w, v, .. } => (w, v),
            Engine::Gpu(g) => (g.z(), g.v()),
        }
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// Line-search cuts so far.
    pub fn cuts(&self) -> usize {
        self.cuts
    }

    /// One iteration (module doc).
    pub fn step(&mut self) -> Result<(), TrainError> {
        let start = Instant::now();
        let n = self.layers.len();
        let (t, b) = (self.iteration, self.cfg.batch);
        // This rank's workers (all of them in one process).
        let mine = self.team.mine();
        for j in mine.clone() {
            self.samplers[j].batch(t + self.team.stream_shift, b, &mut self.batch_idx[j]);
            self.data.train.gather(&self.batch_idx[j], &mut self.batch_x[j], &mut self.batch_y[j]);
        }
        let stats: Vec<Result<BatchStats, TrainError>> = if let Some(dev) = self.gpu.as_mut() {
            // Algorithm 1: δⱼ from zⱼ on the device (gpu_engine.rs).
            match &mut self.engine {
                Engine::Gpu(g) => g.gradients(dev, &self.batch_x, &self.batch_y)?,
                // mSGD: its model on the host, the gradient from the network on the device.
                Engine::Msgd { w, .. } => dev.host_gradients(w, &self.batch_x, &self.batch_y, &mut self.delta)?,
                Engine::Easgd { .. } => return Err(TrainError::Failed("the wgpu devices are open beside the CPU engine".into())),
            }
            .into_iter()
            .map(Ok)
            .collect()
        } else {
            let z: &[f32] = match (&self.local, &self.engine) {
                (Some((z, _)), _) => z,
                (None, Engine::Easgd { state, .. }) => state.z(),
                (None, Engine::Msgd { w, .. }) => w,
                (None, Engine::Gpu(g)) => g.z(),
            };
            self
                .nets
                .par_iter_mut()
                .zip(self.delta[mine.start * n..mine.end * n].par_chunks_mut(n))
                .zip(self.batch_x[mine.clone()].par_iter().zip(self.batch_y[mine.clone()].par_iter()))
                .enumerate()
                .map(|(i, ((net, d), (x, y)))| {
                    let j = mine.start + i;
                    let batch = Batch::new(x, y)?;
                    net.loss_grad(&z[j * n..(j + 1) * n], &batch, d).map_err(TrainError::from)
                })
                .collect()
        };
        let mut losses = Vec::with_capacity(stats.len());
        for s in stats {
            let s = s.map_err(|e| self.diverged(e))?;
            losses.push((s.loss_sum, s.count));
        }
        // Every worker's loss, in worker order, as one process adds them.
        for (loss_sum, count) in self.team.gather_losses(&losses)? {
            self.batch_loss_sum += loss_sum;
            self.batch_loss_count += count;
        }
        let elastic = (t + 1) % self.cfg.comm_period == 0;
        if let (false, Engine::Easgd { state, .. }) = (elastic, &self.engine) {
            // A local step of this rank's workers (--comm-period): zⱼ ← zⱼ − σ(Δⱼ + κvⱼ),
            // vⱼ ← κvⱼ + Δⱼ, Δⱼ = δⱼ + νzⱼ (the worker step of (16) without its elastic term).
            let (z, v) = self.local.get_or_insert_with(|| (state.z().to_vec(), state.v().to_vec()));
            let (s, k, nu) = (self.cfg.sigma as f32, self.cfg.kappa as f32, self.cfg.nu as f32);
            for i in mine.start * n..mine.end * n {
                let g = self.delta[i] + nu * z[i];
                v[i] = k * v[i] + g;
                z[i] -= s * (g + k * v[i]);
            }
            self.iteration += 1;
            self.seconds += start.elapsed().as_secs_f64();
            return Ok(());
        }
        self.flush()?;
        self.team.gather_workers(&mut self.delta, n)?;
        match &mut self.engine {
            Engine::Easgd { backend, state, params } => {
                backend.set_delta_native(state, &self.delta)?;
                if self.cfg.order == "gauss-seidel" {
                    let rep = backend.step(state, params)?;
                    self.cuts += rep.cuts;
                } else {
                    let u_old = state.u().to_vec();
                    let t_u = backend.consensus_step(state, params)?;
                    let u_new = state.u().to_vec();
                    backend.set_u_native(state, &u_old)?;
                    let t_z = backend.worker_step(state, params)?;
                    backend.set_u_native(state, &u_new)?;
                    self.cuts += std::iter::once(t_u).chain(t_z).filter(|&t| t < 1.0).count();
                }
            }
            Engine::Gpu(g) => {
                let dev = self.gpu.as_ref().ok_or("the wgpu engine lost its devices")?;
                self.cuts += g.step(dev, self.cfg.order == "jacobi")?;
            }
            Engine::Msgd { w, v } => {
                let (s, k, nu) = (self.cfg.sigma as f32, self.cfg.kappa as f32, self.cfg.nu as f32);
                for i in 0..n {
                    let g = self.delta[i] + nu * w[i];
                    v[i] = k * v[i] + g;
                    w[i] -= s * (g + k * v[i]);
                }
            }
        }
        self.iteration += 1;
        self.seconds += start.elapsed().as_secs_f64();
        Ok(())
    }

    /// An error of the losses (non-finite) as what it means in a run: divergence, with the
    /// stability condition to look at.
    pub fn diverged(&self, e: impl std::fmt::Display) -> TrainError {
        TrainError::Failed(format!(
            "iteration {}: {e}; the run diverged (σ·L_φ̂/λ, with L_φ̂ = 2/η² at w = 0, must stay well below 2: here σ = {}, λ = {}, η = {})",
            self.iteration, self.cfg.sigma, self.cfg.lambda, self.cfg.eta
        ))
    }

    /// The state and counters as a checkpoint (the wgpu engine's state read back first).
    pub fn checkpoint(&mut self) -> Result<Checkpoint, TrainError> {
        self.sync()?;
        let header = Header {
            config: self.cfg.clone(),
            iteration: self.iteration,
            n: self.layers.len(),
            cuts: self.cuts,
            seconds: self.seconds,
            batch_loss_sum: self.batch_loss_sum,
            batch_loss_count: self.batch_loss_count,
        };
        Ok(Checkpoint { header, u: self.u().to_vec(), z: self.z().to_vec(), v: self.v().to_vec() })
    }

    /// Saves a checkpoint and continues from what was saved: the backend reloads its state, so the
    /// caches of the kernels (norms kept between steps) are recomputed exactly as in a run resumed
    /// from this file, and both runs continue bit for bit alike (CPU engine; the wgpu engine keeps
    /// its devices and reloads its state the same way, without that promise).
    pub fn save_and_reload(&mut self, path: &std::path::Path) -> Result<(), TrainError> {
        self.flush()?;
        let ck = self.checkpoint()?;
        if self.team.is_root() {
            ck.save(path)?;
        }
        let data = self.data.clone();
        let nets = std::mem::take(&mut self.nets);
        let team = std::mem::replace(&mut self.team, Team::single(self.cfg.workers));
        let mut fresh = Trainer::from_checkpoint_on(ck, data, self.threads, self.gpu.take())?;
        fresh.nets = nets;
        fresh.team = team;
        *self = fresh;
        Ok(())
    }

    fn eval(&mut self, params: &[f32], set: &Images) -> Result<BatchStats, TrainError> {
        lenet::evaluate_dataset(self.arch, params, &set.x, &set.y, self.threads).map_err(|e| self.diverged(e))
    }

    /// Evaluates the logged figures at the current iterate.
    pub fn record(&mut self) -> Result<LogRecord, TrainError> {
        self.sync()?;
        let data = self.data.clone();
        let u = self.u().to_vec();
        let tr = self.eval(&u, &data.eval)?;
        let te = self.eval(&u, &data.test)?;
        let n = self.layers.len();
        let m = self.cfg.workers;
        let z = self.z().to_vec();
        let nu = self.cfg.nu;
        let mut objective = 0.0;
        let mut consensus: f64 = 0.0;
        for j in 0..m {
            let zj = &z[j * n..(j + 1) * n];
            let fj = if self.method == Method::Msgd { tr } else { self.eval(zj, &data.eval)? };
            let zn = super::objective::norm(zj);
            objective += fj.loss_sum / fj.count as f64 + 0.5 * nu * zn * zn;
            if let Method::Algorithm1(kind) = self.method {
                objective += phi_hat(kind, self.cfg.eta, &self.layers, &u, zj) / self.cfg.lambda;
                consensus = consensus.max(distance(&u, zj));
            }
        }
        let batch_loss = (self.batch_loss_count > 0).then(|| self.batch_loss_sum / self.batch_loss_count as f64);
        self.batch_loss_sum = 0.0;
        self.batch_loss_count = 0;
        Ok(LogRecord {
            method: self.method.name().to_string(),
            workers: m,
            iterations: self.iteration,
            seconds: self.seconds,
            objective,
            batch_loss,
            train_loss: tr.loss_sum / tr.count as f64,
            train_error: tr.errors as f64 / tr.count as f64,
            test_loss: te.loss_sum / te.count as f64,
            test_error: te.errors as f64 / te.count as f64,
            consensus,
            cuts: self.cuts,
            residual_5a: None,
            residual_5b: None,
            envelope_stationarity: None,
            prox_residual: None,
        })
    }

    /// Runs the kernels' residuals of (5a)/(5b) with the given full-data loss gradients δⱼ.
    pub(crate) fn kernel_residuals(&mut self, delta: &[f32]) -> Result<infconv_kernels::Residuals, TrainError> {
        match &mut self.engine {
            Engine::Easgd { backend, state, params } => {
                backend.set_delta_native(state, delta)?;
                backend.residuals(state, params).map_err(TrainError::from)
            }
            Engine::Gpu(g) => g.residuals(self.gpu.as_ref().ok_or("the wgpu engine lost its devices")?, delta),
            Engine::Msgd { .. } => Err("the residuals of (5a)/(5b) are defined for Algorithm 1 runs".into()),
        }
    }
}
