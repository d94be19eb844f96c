//! The benchmark suite behind `infconv bench`: every kernel on every backend at n from 10³ to 10⁷
//! (M = 4) and at LeNet size (M ∈ {4, 8}), with the triad baseline and the numpy peer.

use crate::peer::{PeerConfig, PeerResult, run_peer};
use crate::timing::seconds_per_call;
use crate::triad::triad_bytes_per_second;
use infconv_kernels::backend::{Backend, HostState};
use infconv_kernels::layers::LayerTable;
use infconv_kernels::potential::{Params, PotentialKind};
use infconv_kernels::{CpuBackend, GpuBackend, LENET5_PARAMS};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One measurement: a kernel at (n, workers) on a backend.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BenchRecord {
    /// layer_sq_norms, grad_phi, feasibility_bound, consensus_step, worker_step, step, residuals,
    /// sep-prox (the batched separable φ-prox, M-independent, recorded with M = 4);
    /// `triad` for the baseline, `step` with backend numpy-… for the peer.
    pub kernel: String,
    /// The potential (tan for the bounded, radial case; quad for the one-pass fused step).
    pub potential: String,
    /// n.
    pub n: usize,
    /// M.
    pub workers: usize,
    /// cpu-f64-t1, cpu-f64-tN, cpu-f32-t1, cpu-f32-tN, wgpu-f32, numpy-float32, triad-tN.
    pub backend: String,
    /// "f32" or "f64".
    pub precision: String,
    /// Best mean seconds per call (null if the configuration was skipped, see `note`).
    pub seconds_per_call: Option<f64>,
    /// The bytes a call must move at least (each array read or written once).
    pub bytes_per_call: usize,
    /// bytes_per_call / seconds_per_call, in GB/s (10⁹ bytes).
    pub gb_per_s: Option<f64>,
    /// gb_per_s / the triad's GB/s over the same bytes on the same number of threads (all
    /// threads for wgpu: lavapipe runs on the CPU cores).
    pub bw_fraction: Option<f64>,
    /// numpy peer's seconds / ours, for the fused step (null where no peer exists).
    pub vs_numpy: Option<f64>,
    /// Why a value is missing, or what the device is.
    pub note: Option<String>,
}

/// The kernels measured.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kernel {
    Norms,
    Grad(PotentialKind),
    Bound(PotentialKind),
    Consensus(PotentialKind),
    Worker(PotentialKind),
    Step(PotentialKind),
    Residuals(PotentialKind),
    /// The batched separable φ-prox ([`sep_prox_problem`]); not a [`Backend`] method.
    SepProx,
}

impl Kernel {
    fn name(self) -> &'static str {
        match self {
            Kernel::Norms => "layer_sq_norms",
            Kernel::Grad(_) => "grad_phi",
            Kernel::Bound(_) => "feasibility_bound",
            Kernel::Consensus(_) => "consensus_step",
            Kernel::Worker(_) => "worker_step",
            Kernel::Step(_) => "step",
            Kernel::Residuals(_) => "residuals",
            Kernel::SepProx => "sep-prox",
        }
    }

    fn potential(self) -> String {
        match self {
            Kernel::Norms => "-".into(),
            Kernel::SepProx => "tan-sep/quad-cos".into(),
            Kernel::Grad(k) | Kernel::Bound(k) | Kernel::Consensus(k) | Kernel::Worker(k) | Kernel::Step(k) | Kernel::Residuals(k) => {
                k.name().into()
            }
        }
    }

    /// Elements of n that a call must move (each array once): u, zⱼ, vⱼ, δⱼ, gⱼ, du, dzⱼ.
    fn elements(self, n: usize, m: usize) -> usize {
        n * match self {
            Kernel::Norms => m + 1,
            Kernel::Grad(_) => 2 * m + 1,
            Kernel::Bound(_) => 2 * m + 2,
            Kernel::Consensus(_) => m + 2,
            Kernel::Worker(_) => 5 * m + 1,
            Kernel::Step(_) => 5 * m + 2,
            Kernel::Residuals(_) => 2 * m + 1,
            // read v, c; write x (independent of M).
            Kernel::SepProx => 3,
        }
    }
}

/// A layer table of n: LeNet-5's at 431,080, otherwise 4 near-equal layers (fewer if n < 4).
pub fn table_for(n: usize) -> LayerTable {
    if n == LENET5_PARAMS {
        return LayerTable::lenet5();
    }
    let l = n.clamp(1, 4);
    let mut sizes = vec![n / l; l];
    sizes[l - 1] += n % l;
    LayerTable::new(sizes).expect("positive sizes")
}

/// A state inside the domain of tan and log at η = 1 (‖(u − zⱼ)ₗ‖ ≤ 0.3), small momenta and
/// loss gradients; deterministic.
pub fn bench_state(n: usize, m: usize) -> HostState {
    let layers = table_for(n);
    let mut rnd = symmetric_draws("bench-state");
    let u: Vec<f64> = (0..n).map(|_| rnd()).collect();
    let mut z = vec![0.0; m * n];
    for j in 0..m {
        for l in 0..layers.num_layers() {
            let r = layers.range(l);
            let k = 0.3 / (r.len() as f64).sqrt();
            for i in r {
                z[j * n + i] = u[i] - k * rnd();
            }
        }
    }
    let v = vec![0.0; m * n];
    let delta = (0..m * n).map(|_| 1e-3 * rnd()).collect();
    HostState::new(layers, m, u, z, v, delta).expect("consistent shapes")
}

fn params(kind: PotentialKind) -> Params {
    // Table 1-like: η = 1, λ = 0.05, τ = σ = 0.005, ν = 1e-4, κ = 0.9.
    Params::new(kind)
}

/// Times each kernel on one backend; None with a note where the backend refuses the state.
fn time_backend<B: Backend>(b: &B, h: &HostState, kernels: &[Kernel], min_time: f64) -> Vec<(Kernel, Result<f64, String>)> {
    let n = h.n();
    let du: Vec<f64> = (0..n).map(|i| 1e-3 * ((i % 7) as f64 - 3.0)).collect();
    let dz: Vec<f64> = (0..h.z.len()).map(|i| 1e-3 * ((i % 5) as f64 - 2.0)).collect();
    let mut out = Vec::new();
    for &k in kernels.iter().filter(|&&k| k != Kernel::SepProx) {
        // (sep-prox is not a Backend method: timed by time_sep_prox_*.)
        let mut st = match b.load(h) {
            Ok(s) => s,
            Err(e) => {
                out.push((k, Err(e.to_string())));
                continue;
            }
        };
        let mut err = None;
        let mut rec = |r: Result<(), infconv_kernels::KernelError>| {
            if let Err(e) = r {
                err.get_or_insert(e.to_string());
            }
        };
        let t = match k {
            Kernel::Norms => seconds_per_call(min_time, || rec(b.layer_sq_norms(&mut st).map(|_| ()))),
            Kernel::Grad(kind) => seconds_per_call(min_time, || rec(b.grad_phi(&mut st, kind, 1.0))),
            Kernel::Bound(kind) => {
                rec(b.set_directions(&mut st, &du, &dz));
                seconds_per_call(min_time, || rec(b.feasibility_bound(&mut st, kind, 1.0).map(|_| ())))
            }
            Kernel::Consensus(kind) => seconds_per_call(min_time, || rec(b.consensus_step(&mut st, &params(kind)).map(|_| ()))),
            Kernel::Worker(kind) => seconds_per_call(min_time, || rec(b.worker_step(&mut st, &params(kind)).map(|_| ()))),
            Kernel::Step(kind) => seconds_per_call(min_time, || rec(b.step(&mut st, &params(kind)).map(|_| ()))),
            Kernel::Residuals(kind) => seconds_per_call(min_time, || rec(b.residuals(&mut st, &params(kind)).map(|_| ()))),
            Kernel::SepProx => unreachable!("skipped above"),
        };
        out.push((k, match err {
            Some(e) => Err(e),
            None => Ok(t),
        }));
    }
    out
}

/// The separable φ-prox benchmarked as kernel "sep-prox": tan-sep with the quad-cos term
/// (a = 1, b = 0.8, ω = 3), η = 1, λ = 0.6 λ_u, centers v ∈ [−1, 1) and data c ∈ [−3, 3)
/// (deterministic). Compute-bound (≈ 3–4 Newton steps per coordinate), so its GB/s over the 3n
/// elements it must move (read v, c; write x) is far below the triad.
pub fn sep_prox_problem() -> infconv_kernels::prox::SepProx {
    use infconv_kernels::prox::{SepProx, SepTerm};
    let term = SepTerm::QuadCos { a: 1.0, b: 0.8, omega: 3.0 };
    let lu = SepProx::new(PotentialKind::TanSep, 1.0, 1e-3, term).expect("valid").lambda_unique();
    SepProx::new(PotentialKind::TanSep, 1.0, 0.6 * lu, term).expect("below λ_u")
}

/// Deterministic draws uniform in [−1, 1) from the workbench's random stream of `label`.
pub fn symmetric_draws(label: &str) -> impl FnMut() -> f64 {
    let mut rng = infconv_theory::random::stream(0, &["bench", label]);
    move || infconv_theory::random::uniform(&mut rng, -1.0, 1.0)
}

/// The centers and data of the sep-prox benchmark at n.
pub fn sep_prox_batch(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rnd = symmetric_draws("sep-prox-batch");
    let v = (0..n).map(|_| rnd()).collect();
    let c = (0..n).map(|_| 3.0 * rnd()).collect();
    (v, c)
}

/// Seconds per sep-prox call on the CPU backend in T, or the error.
/// Seconds per sep-prox call at n coordinates, `call` running one batch in the backend's number
/// type (`conv` rounds the f64 problem to it); the first failure is the error.
fn time_sep_prox<T: Copy + Default>(
    n: usize,
    min_time: f64,
    conv: impl Fn(f64) -> T,
    mut call: impl FnMut(&infconv_kernels::prox::SepProx, &[T], &[T], &mut [T]) -> Result<(), String>,
) -> Result<f64, String> {
    let p = sep_prox_problem();
    let (v, c) = sep_prox_batch(n);
    let (v, c): (Vec<T>, Vec<T>) = (v.iter().map(|&a| conv(a)).collect(), c.iter().map(|&a| conv(a)).collect());
    let mut x = vec![T::default(); n];
    let mut err = None;
    let t = seconds_per_call(min_time, || {
        if let Err(e) = call(&p, &v, &c, &mut x) {
            err.get_or_insert(e);
        }
    });
    err.map_or(Ok(t), Err)
}

/// Seconds per sep-prox call on a CPU backend in T.
pub fn time_sep_prox_cpu<T: infconv_kernels::prox::scalar::ProxReal>(b: &CpuBackend<T>, n: usize, min_time: f64) -> Result<f64, String> {
    time_sep_prox(n, min_time, T::from_f64, |p, v, c, x| b.sep_prox(p, v, c, x, None).and_then(|r| r.ensure_converged()).map_err(|e| e.to_string()))
}

/// Seconds per sep-prox call on the wgpu backend (upload, dispatch, read-back of x).
fn time_sep_prox_gpu(g: &GpuBackend, n: usize, min_time: f64) -> Result<f64, String> {
    time_sep_prox(n, min_time, |a| a as f32, |p, v, c, x| g.sep_prox(p, v, c, x, None).and_then(|r| r.ensure_converged()).map_err(|e| e.to_string()))
}

/// The configurations of a run.
struct Plan {
    sizes: Vec<(usize, usize)>,
    kernels: Vec<Kernel>,
    min_time: f64,
    peer_min_time: f64,
}

fn plan(quick: bool) -> Plan {
    use PotentialKind::{Quad, Tan};
    if quick {
        Plan {
            sizes: vec![(10_000, 4), (LENET5_PARAMS, 4)],
            kernels: vec![Kernel::Norms, Kernel::Grad(Tan), Kernel::Step(Tan), Kernel::Step(Quad), Kernel::SepProx],
            min_time: 0.06,
            peer_min_time: 0.15,
        }
    } else {
        let mut sizes: Vec<(usize, usize)> = [1_000, 10_000, 100_000, 1_000_000, 10_000_000].iter().map(|&n| (n, 4)).collect();
        sizes.insert(3, (LENET5_PARAMS, 4));
        sizes.insert(4, (LENET5_PARAMS, 8));
        Plan {
            sizes,
            kernels: vec![
                Kernel::Norms,
                Kernel::Grad(Tan),
                Kernel::Bound(Tan),
                Kernel::Consensus(Tan),
                Kernel::Worker(Tan),
                Kernel::Step(Tan),
                Kernel::Step(Quad),
                Kernel::Residuals(Tan),
                Kernel::SepProx,
            ],
            min_time: 0.3,
            peer_min_time: 0.3,
        }
    }
}

/// Runs the suite: `quick` finishes in well under a minute on a 2-core machine.
pub fn run(quick: bool) -> Vec<BenchRecord> {
    run_with(quick, |_| {})
}

/// [`run`], calling `progress` with every record as it is measured.
pub fn run_with(quick: bool, mut progress: impl FnMut(&BenchRecord)) -> Vec<BenchRecord> {
    let plan = plan(quick);
    let all = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mut records = Vec::new();
    let gpu = GpuBackend::new();
    let gpu_note = match &gpu {
        Ok(g) if g.is_cpu_device() => Some(format!("{} is a CPU device (lavapipe), not a GPU", g.adapter())),
        Ok(g) => Some(g.adapter()),
        Err(e) => Some(format!("skipped: {e}")),
    };

    // The numpy peer: the fused step, quad and tan, f32 and f64, at every size.
    let mut peer_cfgs = Vec::new();
    for &(n, m) in &plan.sizes {
        for pot in ["quad", "tan"] {
            if !plan.kernels.contains(&Kernel::Step(pot.parse().expect("known"))) {
                continue;
            }
            for dtype in ["float32", "float64"] {
                peer_cfgs.push(PeerConfig {
                    potential: pot.into(),
                    dtype: dtype.into(),
                    workers: m,
                    layers: table_for(n).sizes().to_vec(),
                    min_time: plan.peer_min_time,
                });
            }
        }
    }
    let (peers, peer_err): (Vec<PeerResult>, Option<String>) = match run_peer(&peer_cfgs) {
        Ok(p) => (p, None),
        Err(e) => (Vec::new(), Some(e)),
    };
    let peer_time = |pot: &str, n: usize, m: usize, prec: &str| {
        let dtype = if prec == "f32" { "float32" } else { "float64" };
        peers.iter().find(|p| p.potential == pot && p.n == n && p.workers == m && p.dtype == dtype).map(|p| p.seconds_per_call)
    };

    let mut triads: HashMap<(usize, usize), f64> = HashMap::new();
    let mut triad = |bytes: usize, threads: usize| {
        *triads.entry((bytes, threads)).or_insert_with(|| triad_bytes_per_second(bytes, threads, plan.min_time))
    };

    for &(n, m) in &plan.sizes {
        let h = bench_state(n, m);
        let mut push = |records: &mut Vec<BenchRecord>, k: Kernel, backend: String, prec: &str, threads: usize, r: Result<f64, String>, note: Option<String>| {
            let bytes = k.elements(n, m) * if prec == "f32" { 4 } else { 8 };
            let (secs, mut note) = match r {
                Ok(t) => (Some(t), note),
                Err(e) => (None, Some(format!("skipped: {e}"))),
            };
            let gbs = secs.map(|t| bytes as f64 / t / 1e9);
            let tri = secs.map(|_| triad(bytes, threads) / 1e9);
            let vs = match (k, secs) {
                (Kernel::Step(kind), Some(t)) => peer_time(kind.name(), n, m, prec).map(|p| p / t),
                _ => None,
            };
            if let (Kernel::Step(_), Some(e)) = (k, &peer_err) {
                note.get_or_insert(format!("no numpy peer: {e}"));
            }
            let rec = BenchRecord {
                kernel: k.name().into(),
                potential: k.potential(),
                n,
                workers: m,
                backend,
                precision: prec.into(),
                seconds_per_call: secs,
                bytes_per_call: bytes,
                gb_per_s: gbs,
                bw_fraction: gbs.zip(tri).map(|(g, t)| g / t),
                vs_numpy: vs,
                note,
            };
            progress(&rec);
            records.push(rec);
        };
        for threads in [1, all] {
            let b64 = if threads == 1 { CpuBackend::<f64>::single_thread() } else { CpuBackend::<f64>::new(threads).expect("pool") };
            for (k, r) in time_backend(&b64, &h, &plan.kernels, plan.min_time) {
                push(&mut records, k, format!("cpu-f64-t{threads}"), "f64", threads, r, None);
            }
            let b32 = if threads == 1 { CpuBackend::<f32>::single_thread() } else { CpuBackend::<f32>::new(threads).expect("pool") };
            for (k, r) in time_backend(&b32, &h, &plan.kernels, plan.min_time) {
                push(&mut records, k, format!("cpu-f32-t{threads}"), "f32", threads, r, None);
            }
            if m == 4 && plan.kernels.contains(&Kernel::SepProx) {
                let r = time_sep_prox_cpu(&b64, n, plan.min_time);
                push(&mut records, Kernel::SepProx, format!("cpu-f64-t{threads}"), "f64", threads, r, None);
                let r = time_sep_prox_cpu(&b32, n, plan.min_time);
                push(&mut records, Kernel::SepProx, format!("cpu-f32-t{threads}"), "f32", threads, r, None);
            }
        }
        match &gpu {
            Ok(g) => {
                for (k, r) in time_backend(g, &h, &plan.kernels, plan.min_time) {
                    push(&mut records, k, "wgpu-f32".into(), "f32", all, r, gpu_note.clone());
                }
                if m == 4 && plan.kernels.contains(&Kernel::SepProx) {
                    let r = time_sep_prox_gpu(g, n, plan.min_time);
                    push(&mut records, Kernel::SepProx, "wgpu-f32".into(), "f32", all, r, gpu_note.clone());
                }
            }
            Err(_) => {
                for &k in &plan.kernels {
                    push(&mut records, k, "wgpu-f32".into(), "f32", all, Err(gpu_note.clone().unwrap_or_default()), None);
                }
            }
        }
        // The peer's own records and the triads of the fused step's byte counts.
        for p in peers.iter().filter(|p| p.n == n && p.workers == m) {
            let k = Kernel::Step(p.potential.parse().expect("known"));
            let prec = if p.dtype == "float32" { "f32" } else { "f64" };
            let bytes = k.elements(n, m) * if prec == "f32" { 4 } else { 8 };
            let gbs = bytes as f64 / p.seconds_per_call / 1e9;
            let rec = BenchRecord {
                kernel: "step".into(),
                potential: p.potential.clone(),
                n,
                workers: m,
                backend: format!("numpy-{}", p.dtype),
                precision: prec.into(),
                seconds_per_call: Some(p.seconds_per_call),
                bytes_per_call: bytes,
                gb_per_s: Some(gbs),
                bw_fraction: Some(gbs / (triad(bytes, 1) / 1e9)),
                vs_numpy: Some(1.0),
                note: Some(format!("numpy {} (one thread)", p.numpy)),
            };
            progress(&rec);
            records.push(rec);
        }
        for threads in [1, all] {
            for prec in ["f32", "f64"] {
                let bytes = Kernel::Step(PotentialKind::Tan).elements(n, m) * if prec == "f32" { 4 } else { 8 };
                let bw = triad(bytes, threads);
                let rec = BenchRecord {
                    kernel: "triad".into(),
                    potential: "-".into(),
                    n,
                    workers: m,
                    backend: format!("triad-t{threads}"),
                    precision: prec.into(),
                    seconds_per_call: Some(bytes as f64 / bw),
                    bytes_per_call: bytes,
                    gb_per_s: Some(bw / 1e9),
                    bw_fraction: Some(1.0),
                    vs_numpy: None,
                    note: Some("a ← b + s·c over the fused step's bytes".into()),
                };
                progress(&rec);
                records.push(rec);
            }
        }
    }
    records
}

/// Markdown tables of a run: one table per (n, M) with a row per (kernel, potential) and, per
/// backend, seconds per call · GB/s · fraction of the triad.
pub fn markdown(records: &[BenchRecord]) -> String {
    let mut sizes: Vec<(usize, usize)> = records.iter().map(|r| (r.n, r.workers)).collect();
    sizes.sort();
    sizes.dedup();
    let mut out = String::new();
    for (n, m) in sizes {
        let rs: Vec<&BenchRecord> = records.iter().filter(|r| r.n == n && r.workers == m).collect();
        let mut backends: Vec<String> = rs.iter().filter(|r| r.kernel != "triad").map(|r| r.backend.clone()).collect();
        backends.dedup();
        let mut seen = Vec::new();
        for r in &rs {
            if !seen.contains(&r.backend) && r.kernel != "triad" {
                seen.push(r.backend.clone());
            }
        }
        backends = seen;
        out.push_str(&format!("\n#### n = {n}, M = {m}\n\nms per call / GB/s / fraction of triad; `vs numpy` for the fused step\n\n"));
        out.push_str("| kernel | potential |");
        for b in &backends {
            out.push_str(&format!(" {b} |"));
        }
        out.push_str("\n|---|---|");
        out.push_str(&"---|".repeat(backends.len()));
        out.push('\n');
        let mut rows: Vec<(String, String)> = Vec::new();
        for r in &rs {
            let key = (r.kernel.clone(), r.potential.clone());
            if r.kernel != "triad" && !rows.contains(&key) {
                rows.push(key);
            }
        }
        for (k, p) in rows {
            out.push_str(&format!("| {k} | {p} |"));
            for b in &backends {
                let cell = rs.iter().find(|r| r.kernel == k && r.potential == p && &r.backend == b).map(|r| match r.seconds_per_call {
                    Some(t) => {
                        let mut s = format!("{:.3} / {:.1} / {:.2}", t * 1e3, r.gb_per_s.unwrap_or(0.0), r.bw_fraction.unwrap_or(0.0));
                        if let Some(v) = r.vs_numpy.filter(|_| !r.backend.starts_with("numpy")) {
                            s.push_str(&format!(" / {v:.1}×np"));
                        }
                        s
                    }
                    None => "skipped".into(),
                });
                out.push_str(&format!(" {} |", cell.unwrap_or_else(|| "–".into())));
            }
            out.push('\n');
        }
        let tri: Vec<String> = rs
            .iter()
            .filter(|r| r.kernel == "triad")
            .map(|r| format!("{} {}: {:.1} GB/s", r.backend, r.precision, r.gb_per_s.unwrap_or(0.0)))
            .collect();
        out.push_str(&format!("\nTriad over the fused step's bytes: {}\n", tri.join(", ")));
    }
    out
}
