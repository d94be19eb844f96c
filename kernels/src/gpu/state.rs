//! The wgpu backend's device-resident state and its [`Backend`] implementation: every operation
//! is one submission of a few dispatches (segmented reductions, single-invocation step-length
//! kernels, element-wise passes) and at most one small read-back.

use super::context::GpuBackend;
use crate::backend::{Backend, HostState, Precision, Residuals, StepReport};
use crate::error::{KernelError, Result, ensure_len};
use crate::layers::LayerTable;
use crate::potential::{Params, PotentialKind, check_eta};
use crate::tolerance::{GPU_TILE, GPU_WORKGROUP};

/// Most workers the WGSL kernels support (per-invocation arrays).
pub const GPU_MAX_WORKERS: usize = 16;
const STRIDE: usize = 8;
const BIG: f32 = 1e38;

/// The uniform block of `prelude.wgsl` (same field order).
#[repr(C)]
#[derive(Clone, Copy, Debug, bytemuck::Pod, bytemuck::Zeroable)]
struct GpuParams {
    n: u32,
    m: u32,
    num_layers: u32,
    num_tiles: u32,
    kind: u32,
    bounded: u32,
    separable: u32,
    pad0: u32,
    inv_eta2: f32,
    rho2: f32,
    rho: f32,
    s_max_w: f32,
    tau: f32,
    sigma: f32,
    nu: f32,
    kappa: f32,
    inv_lambda: f32,
    fraction: f32,
    pad1: f32,
    pad2: f32,
}

/// u, zⱼ, vⱼ, δⱼ, gⱼ, the directions, the tile tables and the reduction buffers on the device.
pub struct GpuState {
    pub(crate) layers: LayerTable,
    pub(crate) m: usize,
    num_tiles: usize,
    params: wgpu::Buffer,
    pub(crate) bufs: Vec<wgpu::Buffer>,
    bind: wgpu::BindGroup,
    pub(super) norms_valid: bool,
}

impl std::fmt::Debug for GpuState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GpuState(n = {}, M = {}, tiles = {})", self.layers.len(), self.m, self.num_tiles)
    }
}

// Indices into `bufs` (binding = index + 1).
pub(super) const U: usize = 0;
pub(crate) const Z: usize = 1;
pub(super) const V: usize = 2;
pub(crate) const DLT: usize = 3;
const GRAD: usize = 4;
const DU: usize = 5;
const DZ: usize = 6;
const LAYER_RED: usize = 10;
const SCAL: usize = 11;

#[derive(Clone, Copy)]
enum Grid {
    Tiles,
    Layers,
    One,
}

fn to_f32(x: &[f64]) -> Vec<f32> {
    x.iter().map(|&a| a as f32).collect()
}

fn widen(x: &[f32]) -> Vec<f64> {
    x.iter().map(|&a| a as f64).collect()
}

fn inf(x: f32) -> f64 {
    if x >= BIG { f64::INFINITY } else { x as f64 }
}

impl GpuBackend {
    /// The uniforms of a dispatch; a potential without a WGSL function (a registered profile
    /// that is not one of Table 2's closed forms) is refused here, before anything runs.
    fn params(&self, st: &GpuState, kind: PotentialKind, eta: f64, p: Option<&Params>) -> Result<GpuParams> {
        let code = kind.gpu_code().ok_or_else(|| KernelError::NoGpuKernel { name: kind.name().to_string() })?;
        let rho2 = if kind.is_bounded() { kind.safe_sq_radius(eta) } else { f64::MAX };
        let s_max_w = if kind.is_bounded() { kind.s_max() * eta * eta } else { f64::MAX };
        Ok(GpuParams {
            n: st.layers.len() as u32,
            m: st.m as u32,
            num_layers: st.layers.num_layers() as u32,
            num_tiles: st.num_tiles as u32,
            kind: code,
            bounded: kind.is_bounded() as u32,
            separable: kind.is_separable() as u32,
            pad0: 0,
            inv_eta2: (1.0 / (eta * eta)) as f32,
            rho2: rho2 as f32,
            rho: rho2.sqrt() as f32,
            s_max_w: s_max_w as f32,
            tau: p.map_or(0.0, |p| p.tau) as f32,
            sigma: p.map_or(0.0, |p| p.sigma) as f32,
            nu: p.map_or(0.0, |p| p.nu) as f32,
            kappa: p.map_or(0.0, |p| p.kappa) as f32,
            inv_lambda: p.map_or(0.0, |p| 1.0 / p.lambda) as f32,
            fraction: p.map_or(0.99, |p| p.fraction) as f32,
            pad1: 0.0,
            pad2: 0.0,
        })
    }

    /// Writes the parameters, resets the step scalars and runs the kernels in order (one
    /// submission; wgpu orders the dispatches and their storage accesses).
    fn run(&self, st: &GpuState, gp: &GpuParams, seq: &[(&str, Grid)]) {
        self.queue.write_buffer(&st.params, 0, bytemuck::bytes_of(gp));
        self.queue.write_buffer(&st.bufs[SCAL], 0, bytemuck::cast_slice(&[1.0f32, 0.0, 0.0, 0.0]));
        let mut enc = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
        {
            let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor { label: None, timestamp_writes: None });
            pass.set_bind_group(0, &st.bind, &[]);
            for &(name, grid) in seq {
                pass.set_pipeline(&self.pipelines[name]);
                let x = match grid {
                    Grid::Tiles => st.num_tiles as u32,
                    Grid::Layers => (st.m * st.layers.num_layers()).div_ceil(64) as u32,
                    Grid::One => 1,
                };
                pass.dispatch_workgroups(x, 1, 1);
            }
        }
        self.queue.submit([enc.finish()]);
    }

    /// The step scalars [t_u, cuts, domain flag, offender, t_j…, t*_j…].
    fn scalars(&self, st: &GpuState) -> Result<Vec<f32>> {
        self.read_f32(&st.bufs[SCAL], 0, 4 + 2 * st.m)
    }

    fn layer_red(&self, st: &GpuState) -> Result<Vec<f32>> {
        self.read_f32(&st.bufs[LAYER_RED], 0, st.m * st.layers.num_layers() * STRIDE)
    }

    /// The typed error for a raised domain flag.
    fn domain_error(&self, st: &GpuState, kind: PotentialKind, eta: f64, sc: &[f32]) -> Result<()> {
        if sc[2] == 0.0 {
            return Ok(());
        }
        let idx = sc[3] as usize;
        let red = self.layer_red(st)?;
        let slot = if kind.is_separable() { 4 } else { 0 };
        let l_count = st.layers.num_layers();
        Err(KernelError::OutsideDomain {
            worker: idx / l_count,
            index: idx % l_count,
            scaled_sq_norm: red[idx * STRIDE + slot] as f64 / (eta * eta),
            bound: kind.s_max(),
        })
    }

    /// The norm kernels if the cached norms are stale, then the domain check.
    fn prefix(st: &GpuState) -> Vec<(&'static str, Grid)> {
        let mut seq = Vec::new();
        if !st.norms_valid {
            seq.push(("red_norms", Grid::Tiles));
            seq.push(("layer_sum", Grid::Layers));
        }
        seq.push(("check_domain", Grid::One));
        seq
    }

    /// One half of a step (the consensus update or the workers' update) as `seq` orders its
    /// kernels; returns the scalars it left (step lengths), after checking the domain.
    fn half_step(&self, st: &mut GpuState, p: &Params, seq: fn(&mut Vec<(&'static str, Grid)>, PotentialKind)) -> Result<Vec<f32>> {
        p.validate()?;
        let mut kernels = Self::prefix(st);
        seq(&mut kernels, p.potential);
        self.run(st, &self.params(st, p.potential, p.eta, Some(p))?, &kernels);
        st.norms_valid = true;
        let sc = self.scalars(st)?;
        self.domain_error(st, p.potential, p.eta, &sc)?;
        Ok(sc)
    }

    fn consensus_seq(seq: &mut Vec<(&'static str, Grid)>, kind: PotentialKind) {
        Self::update_seq(seq, kind, ["consensus_bound", "t_consensus", "consensus_apply"]);
    }

    fn worker_seq(seq: &mut Vec<(&'static str, Grid)>, kind: PotentialKind) {
        Self::update_seq(seq, kind, ["worker_bound", "t_workers", "worker_apply"]);
    }

    /// One update (consensus or workers): its feasibility bound where the domain is bounded, the
    /// step length, the update, each followed by the per-layer sums it needs.
    fn update_seq(seq: &mut Vec<(&'static str, Grid)>, kind: PotentialKind, [bound, length, apply]: [&'static str; 3]) {
        if kind.is_bounded() {
            seq.push((bound, Grid::Tiles));
            seq.push(("layer_sum", Grid::Layers));
        }
        seq.push((length, Grid::One));
        seq.push((apply, Grid::Tiles));
        seq.push(("layer_sum", Grid::Layers));
    }
}

impl Backend for GpuBackend {
    type State = GpuState;

    fn name(&self) -> String {
        format!("wgpu-f32 ({})", self.adapter())
    }

    fn precision(&self) -> Precision {
        Precision::F32
    }

    fn load(&self, h: &HostState) -> Result<GpuState> {
        h.check()?;
        let (n, m) = (h.n(), h.workers);
        if m > GPU_MAX_WORKERS {
            return Err(KernelError::InvalidParameter {
                name: "workers",
                value: m.to_string(),
                expected: "at most 16 workers on the wgpu backend",
            });
        }
        let bytes = (m * n * 4) as u64;
        if bytes > self.max_binding {
            return Err(KernelError::Gpu(format!(
                "M·n = {m}·{n} f32 = {bytes} bytes exceeds the adapter's storage binding limit of {} bytes",
                self.max_binding
            )));
        }
        let tiles = h.layers.tiles(GPU_TILE);
        if tiles.len() > 65_535 {
            return Err(KernelError::Gpu(format!("{} tiles exceed the 65,535 workgroups of one dispatch", tiles.len())));
        }
        let tile_tab: Vec<u32> = tiles.iter().flat_map(|t| [t.layer as u32, t.start as u32, t.end as u32, 0]).collect();
        let mut layer_tiles = vec![0u32; h.layers.num_layers() + 1];
        for t in &tiles {
            layer_tiles[t.layer + 1] += 1;
        }
        for l in 0..h.layers.num_layers() {
            layer_tiles[l + 1] += layer_tiles[l];
        }
        let ml = m * h.layers.num_layers();
        let usage = wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::COPY_SRC;
        let mk = |label: &str, bytes: &[u8], len_bytes: usize| {
            let b = self.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: (len_bytes.max(4) as u64).div_ceil(4) * 4,
                usage,
                mapped_at_creation: false,
            });
            if !bytes.is_empty() {
                self.queue.write_buffer(&b, 0, bytes);
            }
            b
        };
        let f = |x: &[f64]| bytemuck::cast_slice::<f32, u8>(&to_f32(x)).to_vec();
        let bufs = vec![
            mk("u", &f(&h.u), n * 4),
            mk("z", &f(&h.z), m * n * 4),
            mk("v", &f(&h.v), m * n * 4),
            mk("delta", &f(&h.delta), m * n * 4),
            mk("grad", &[], m * n * 4),
            mk("du", &[], n * 4),
            mk("dz", &[], m * n * 4),
            mk("tiles", bytemuck::cast_slice(&tile_tab), tile_tab.len() * 4),
            mk("layer_tiles", bytemuck::cast_slice(&layer_tiles), layer_tiles.len() * 4),
            mk("partial", &[], tiles.len() * m * STRIDE * 4),
            mk("layer_red", &[], ml * STRIDE * 4),
            mk("scal", &[], (4 + 2 * m) * 4),
        ];
        let params = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("params"),
            size: std::mem::size_of::<GpuParams>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut entries = vec![wgpu::BindGroupEntry { binding: 0, resource: params.as_entire_binding() }];
        entries.extend(bufs.iter().enumerate().map(|(i, b)| wgpu::BindGroupEntry { binding: i as u32 + 1, resource: b.as_entire_binding() }));
        let bind = self.device.create_bind_group(&wgpu::BindGroupDescriptor { label: Some("easgd"), layout: &self.layout, entries: &entries });
        Ok(GpuState { layers: h.layers.clone(), m, num_tiles: tiles.len(), params, bufs, bind, norms_valid: false })
    }

    fn store(&self, st: &GpuState) -> Result<HostState> {
        let (n, m) = (st.layers.len(), st.m);
        HostState::new(
            st.layers.clone(),
            m,
            widen(&self.read_f32(&st.bufs[U], 0, n)?),
            widen(&self.read_f32(&st.bufs[Z], 0, m * n)?),
            widen(&self.read_f32(&st.bufs[V], 0, m * n)?),
            widen(&self.read_f32(&st.bufs[DLT], 0, m * n)?),
        )
    }

    fn set_delta(&self, st: &mut GpuState, delta: &[f64]) -> Result<()> {
        ensure_len("δ", delta.len(), st.m * st.layers.len())?;
        self.queue.write_buffer(&st.bufs[DLT], 0, bytemuck::cast_slice(&to_f32(delta)));
        Ok(())
    }

    fn set_directions(&self, st: &mut GpuState, du: &[f64], dz: &[f64]) -> Result<()> {
        ensure_len("du", du.len(), st.layers.len())?;
        ensure_len("dz", dz.len(), st.m * st.layers.len())?;
        self.queue.write_buffer(&st.bufs[DU], 0, bytemuck::cast_slice(&to_f32(du)));
        self.queue.write_buffer(&st.bufs[DZ], 0, bytemuck::cast_slice(&to_f32(dz)));
        Ok(())
    }

    fn grad_phi(&self, st: &mut GpuState, kind: PotentialKind, eta: f64) -> Result<()> {
        check_eta(eta)?;
        let mut seq = Self::prefix(st);
        seq.push(("grad_all", Grid::Tiles));
        self.run(st, &self.params(st, kind, eta, None)?, &seq);
        st.norms_valid = true;
        let sc = self.scalars(st)?;
        self.domain_error(st, kind, eta, &sc)
    }

    fn read_grad(&self, st: &GpuState) -> Result<Vec<f64>> {
        Ok(widen(&self.read_f32(&st.bufs[GRAD], 0, st.m * st.layers.len())?))
    }

    fn layer_sq_norms(&self, st: &mut GpuState) -> Result<Vec<f64>> {
        let gp = self.params(st, PotentialKind::Quad, 1.0, None)?;
        self.run(st, &gp, &[("red_norms", Grid::Tiles), ("layer_sum", Grid::Layers)]);
        st.norms_valid = true;
        Ok(self.layer_red(st)?.chunks(STRIDE).map(|c| c[0] as f64).collect())
    }

    fn feasibility_bound(&self, st: &mut GpuState, kind: PotentialKind, eta: f64) -> Result<Vec<f64>> {
        check_eta(eta)?;
        let seq = [("red_dirs", Grid::Tiles), ("layer_sum", Grid::Layers), ("check_domain", Grid::One), ("t_dirs", Grid::One)];
        self.run(st, &self.params(st, kind, eta, None)?, &seq);
        st.norms_valid = true;
        let sc = self.scalars(st)?;
        self.domain_error(st, kind, eta, &sc)?;
        Ok((0..st.m).map(|j| inf(sc[4 + st.m + j])).collect())
    }

    fn consensus_step(&self, st: &mut GpuState, p: &Params) -> Result<f64> {
        let sc = self.half_step(st, p, Self::consensus_seq)?;
        Ok(sc[0] as f64)
    }

    fn worker_step(&self, st: &mut GpuState, p: &Params) -> Result<Vec<f64>> {
        let sc = self.half_step(st, p, Self::worker_seq)?;
        Ok((0..st.m).map(|j| sc[4 + j] as f64).collect())
    }

    fn step(&self, st: &mut GpuState, p: &Params) -> Result<StepReport> {
        p.validate()?;
        if p.potential == PotentialKind::Quad {
            self.run(st, &self.params(st, p.potential, p.eta, Some(p))?, &[("quad_fused", Grid::Tiles)]);
            st.norms_valid = false;
            self.sync()?;
            return Ok(StepReport { consensus_t: 1.0, worker_t: vec![1.0; st.m], cuts: 0 });
        }
        let mut seq = Self::prefix(st);
        Self::consensus_seq(&mut seq, p.potential);
        Self::worker_seq(&mut seq, p.potential);
        self.run(st, &self.params(st, p.potential, p.eta, Some(p))?, &seq);
        st.norms_valid = true;
        let sc = self.scalars(st)?;
        self.domain_error(st, p.potential, p.eta, &sc)?;
        Ok(StepReport {
            consensus_t: sc[0] as f64,
            worker_t: (0..st.m).map(|j| sc[4 + j] as f64).collect(),
            cuts: sc[1] as usize,
        })
    }

    fn residuals(&self, st: &mut GpuState, p: &Params) -> Result<Residuals> {
        p.validate()?;
        let mut seq = Self::prefix(st);
        seq.push(("red_residuals", Grid::Tiles));
        seq.push(("layer_sum", Grid::Layers));
        self.run(st, &self.params(st, p.potential, p.eta, Some(p))?, &seq);
        st.norms_valid = true;
        let sc = self.scalars(st)?;
        self.domain_error(st, p.potential, p.eta, &sc)?;
        let red = self.layer_red(st)?;
        let l = st.layers.num_layers();
        let slot = |j: usize, i: usize, k: usize| red[(j * l + i) * STRIDE + k] as f64;
        let r5a = infconv_theory::distributed::residual_5a((0..l).map(|i| slot(0, i, 6)).sum::<f64>(), p.lambda);
        let r5b = (0..st.m).map(|j| (0..l).map(|i| slot(j, i, 5)).sum::<f64>().sqrt()).collect();
        let consensus_distance = (0..st.m).map(|j| (0..l).map(|i| slot(j, i, 0)).sum::<f64>().sqrt()).fold(0.0, f64::max);
        Ok(Residuals { r5a, r5b, consensus_distance })
    }
}

#[allow(dead_code)]
const _: () = assert!(GPU_WORKGROUP == 256);
