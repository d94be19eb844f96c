//! `infconv train --backend gpu`: the wgpu engine (δⱼ on LeNetGpu, Algorithm 1's state
//! on the kernels' GpuBackend) against the CPU engine, one iteration at a time from a common
//! state, within the bound derived in `tolerance.rs` (the `train_engine_*` section); a σ off by
//! 1 % on the wgpu side is flagged by the same comparison. Checkpoints cross engines both ways
//! (the first state is the CPU engine's, the second the wgpu engine's). `--backend gpu` without an
//! adapter is exit 2. Without an adapter the engine test prints a visible SKIPPED line, except
//! with `CI=true`, where a missing adapter fails the run (as kernels/tests/gpu_agreement.rs).

use infconv_kernels::lenet::Arch;
use infconv_kernels::tolerance::cond_h;
use infconv_kernels::{LayerTable, PotentialKind, reference};
use infconv_train::tolerance::{grad_phi_lipschitz, train_engine_delta_rel, train_engine_step_rel};
use infconv_train::checkpoint::Checkpoint;
use infconv_train::config::mean_tau;
use infconv_train::{GpuDevices, Method, TrainConfig, TrainData, Trainer};
use infconv_train::data;
use std::process::Command;
use std::sync::Arc;

const SEED: u64 = 606;
const BATCH: usize = 4;
/// The relative error of σ planted on the wgpu side in the negative control.
const SIGMA_PERTURBATION: f64 = 1e-2;

/// The devices, or None (after printing why) outside CI.
fn devices() -> Option<GpuDevices> {
    infconv_kernels::gpu::device_or_skip("the wgpu engine test", GpuDevices::open(Arch::Paper, BATCH), |d| d.adapter().to_string()).unwrap()
}

/// The paper's LeNet (one FC layer), M = 2, batch 4, the log potential (bounded: the line search
/// and the domain checks are live), 64 training images.
fn config() -> TrainConfig {
    let mut c = TrainConfig::default_for(Method::Algorithm1(PotentialKind::Log));
    c.arch = "paper".into();
    c.workers = 2;
    c.batch = BATCH;
    c.seed = SEED;
    c.train_limit = 64;
    c.eval_samples = 32;
    c.tau = mean_tau(c.eta, c.workers);
    c
}

fn digits() -> Arc<TrainData> {
    let split = data::embedded().expect("the embedded digits load");
    Arc::new(TrainData::from_split(&split, 64, 32).unwrap())
}

/// The worst ratio error/bound of each compared quantity, with where it occurred.
#[derive(Debug, Default)]
struct Ratios {
    delta: (f64, String),
    u: (f64, String),
    v: (f64, String),
    z: (f64, String),
}

fn worse(slot: &mut (f64, String), err: f64, bound: f64, at: String) {
    let r = if err == 0.0 { 0.0 } else { err / bound };
    let r = if r.is_nan() { f64::INFINITY } else { r };
    if r > slot.0 {
        *slot = (r, at);
    }
}

fn norm(x: impl Iterator<Item = f64>) -> f64 {
    x.map(|a| a * a).sum::<f64>().sqrt()
}

fn widen(x: &[f32]) -> Vec<f64> {
    x.iter().map(|&a| a as f64).collect()
}

/// |∇φ̂(u − zⱼ)| for every worker (f64 reference of the kernels), and the largest cond_h and L_g
/// over the layers (or coordinates) of these points.
fn abs_grads(kind: PotentialKind, eta: f64, layers: &LayerTable, u: &[f32], z: &[f32], cond: &mut f64, lip: &mut f64) -> Vec<f64> {
    let n = layers.len();
    let mut out = Vec::with_capacity(z.len());
    for zj in z.chunks(n) {
        let w: Vec<f64> = u.iter().zip(zj).map(|(&a, &b)| a as f64 - b as f64).collect();
        for l in 0..layers.num_layers() {
            let r = layers.range(l);
            let ss: Vec<f64> = if kind.is_separable() {
                w[r].iter().map(|x| x * x / (eta * eta)).collect()
            } else {
                vec![w[r].iter().map(|x| x * x).sum::<f64>() / (eta * eta)]
            };
            for s in ss {
                *cond = cond.max(cond_h(kind, s));
                *lip = lip.max(grad_phi_lipschitz(kind, eta, s));
            }
        }
        out.extend(reference::grad_phi(layers, kind, eta, &w).expect("u − zⱼ in dom φ̂").into_iter().map(f64::abs));
    }
    out
}

/// ‖δ_G − δ_C‖ₗ against 2ρ/(1 − ρ)·‖δ_C‖ₗ per worker and layer: the minibatch gradients of the
/// last step of `g` (wgpu) and `c` (CPU).
fn delta_ratio(g: &Trainer, c: &Trainer) -> (f64, String) {
    let layers = c.layers();
    let n = layers.len();
    let drel = train_engine_delta_rel(Arch::Paper, c.config().batch);
    let (dg, dc) = (widen(g.delta()), widen(c.delta()));
    let mut out = (0.0, String::new());
    for j in 0..c.config().workers {
        for l in 0..layers.num_layers() {
            let ks = || layers.range(l).map(|i| j * n + i);
            worse(&mut out, norm(ks().map(|k| dg[k] - dc[k])), drel * norm(ks().map(|k| dc[k])), format!("worker {j}, layer {l}"));
        }
    }
    out
}

/// One iteration of `g` (wgpu) and `c` (CPU), both from the state `s`, against the bound of
/// `tolerance.rs` with the knobs of `c`'s configuration.
fn compare(s: &Checkpoint, g: &Trainer, c: &Trainer) -> Ratios {
    let cfg = c.config();
    let Method::Algorithm1(kind) = c.method() else { panic!("Algorithm 1 only") };
    assert_eq!(g.iteration(), s.header.iteration + 1);
    assert_eq!(c.iteration(), s.header.iteration + 1);
    assert!(
        g.cuts() == s.header.cuts && c.cuts() == s.header.cuts,
        "the bound assumes uncut steps (t = 1); cuts: wgpu {} CPU {} before {} (seed {SEED})",
        g.cuts(),
        c.cuts(),
        s.header.cuts
    );
    let layers = c.layers();
    let (n, m) = (layers.len(), cfg.workers);
    let (eta, lambda, tau, sigma, kappa, nu) = (cfg.eta, cfg.lambda, cfg.tau, cfg.sigma, cfg.kappa, cfg.nu);
    let (mut cond, mut lip) = (0.0f64, 0.0f64);
    let g0 = abs_grads(kind, eta, layers, &s.u, &s.z, &mut cond, &mut lip);
    let g1 = abs_grads(kind, eta, layers, c.u(), &s.z, &mut cond, &mut lip);
    let n_l = *layers.sizes().iter().max().unwrap();
    let r = train_engine_step_rel(cond, n_l);
    let drel = train_engine_delta_rel(Arch::Paper, cfg.batch);
    let (dg, dc) = (widen(g.delta()), widen(c.delta()));
    let (z0, v0) = (widen(&s.z), widen(&s.v));
    let (ug, uc, vg, vc, zg, zc) = (widen(g.u()), widen(c.u()), widen(g.v()), widen(c.v()), widen(g.z()), widen(c.z()));
    let gabs = |k: usize| g0[k] + g1[k];
    let dabs = |k: usize| dg[k].abs().max(dc[k].abs());
    let a_u: Vec<f64> = (0..n).map(|i| uc[i].abs() + tau * (0..m).map(|j| gabs(j * n + i)).sum::<f64>()).collect();
    let a_v = |k: usize| kappa * v0[k].abs() + dabs(k) + nu * z0[k].abs() + gabs(k) / lambda;
    let a_z = |k: usize| zc[k].abs() + sigma * (1.0 + kappa) * (dabs(k) + nu * z0[k].abs() + gabs(k) / lambda + kappa * v0[k].abs());
    let mut out = Ratios { delta: delta_ratio(g, c), ..Ratios::default() };
    for l in 0..layers.num_layers() {
        let rg = layers.range(l);
        let au = norm(rg.clone().map(|i| a_u[i]));
        worse(&mut out.u, norm(rg.clone().map(|i| ug[i] - uc[i])), r * au, format!("layer {l}"));
        let carried = lip / lambda * r * au;
        for j in 0..m {
            let ks = || rg.clone().map(|i| j * n + i);
            let at = format!("worker {j}, layer {l}");
            let d_l = drel * norm(ks().map(|k| dc[k]));
            worse(&mut out.v, norm(ks().map(|k| vg[k] - vc[k])), r * norm(ks().map(a_v)) + carried + d_l, at.clone());
            let bound_z = r * norm(ks().map(a_z)) + sigma * (1.0 + kappa) * (carried + d_l);
            worse(&mut out.z, norm(ks().map(|k| zg[k] - zc[k])), bound_z, at);
        }
    }
    out
}

fn print(label: &str, r: &Ratios) {
    for (name, (x, at)) in [("δ", &r.delta), ("u", &r.u), ("v", &r.v), ("z", &r.z)] {
        println!("{label}: {name}: worst error/bound = {x:.3e} ({at})");
    }
}

fn assert_within(label: &str, r: &Ratios) {
    print(label, r);
    for (name, (x, at)) in [("δ", &r.delta), ("u", &r.u), ("v", &r.v), ("z", &r.z)] {
        assert!(*x <= 1.0, "{label}: {name} error/bound = {x:.3e} > 1 at {at} (seed {SEED})");
    }
}

#[test]
fn the_wgpu_engine_agrees_with_the_cpu_engine_step_by_step() {
    let Some(dev) = devices() else { return };
    let t0 = std::time::Instant::now();
    let data = digits();
    let cfg = config();
    // Iteration 1 from the CPU engine's initial checkpoint, loaded into both engines.
    let s0 = Trainer::new(cfg.clone(), data.clone(), 2).unwrap().checkpoint().unwrap();
    let mut g = Trainer::from_checkpoint_on(s0.clone(), data.clone(), 2, Some(dev)).unwrap();
    assert!(g.backend_name().starts_with("wgpu-f32"), "{}", g.backend_name());
    let mut c = Trainer::from_checkpoint(s0.clone(), data.clone(), 2).unwrap();
    g.step().unwrap();
    g.sync().unwrap(); // the host copies of the device state
    c.step().unwrap();
    assert_within("iteration 1 (from the CPU engine's checkpoint)", &compare(&s0, &g, &c));

    // Iteration 2 from the wgpu engine's checkpoint, loaded into the CPU engine.
    let s1 = g.checkpoint().unwrap();
    let mut c1 = Trainer::from_checkpoint(s1.clone(), data.clone(), 2).unwrap();
    g.step().unwrap();
    g.sync().unwrap();
    c1.step().unwrap();
    c.step().unwrap();
    assert_within("iteration 2 (from the wgpu engine's checkpoint)", &compare(&s1, &g, &c1));

    // Reported, not judged (tolerance.rs: the LeNet Hessian carries the first step's difference).
    let free = |a: &[f32], b: &[f32]| norm(a.iter().zip(b).map(|(&x, &y)| x as f64 - y as f64)) / norm(b.iter().map(|&y| y as f64));
    println!(
        "free-running, 2 iterations from the same initialisation: ‖z_G − z_C‖/‖z_C‖ = {:.3e}, ‖u_G − u_C‖/‖u_C‖ = {:.3e}",
        free(g.z(), c.z()),
        free(g.u(), c.u())
    );

    // Negative control: σ off by 1 % on the wgpu side, the bound of the true σ.
    let mut bad = s0.clone();
    bad.header.config.sigma *= 1.0 + SIGMA_PERTURBATION;
    let gb = stepped(bad, &data, g.into_devices());
    let mut cb = Trainer::from_checkpoint(s0.clone(), data.clone(), 2).unwrap();
    cb.step().unwrap();
    let rb = compare(&s0, &gb, &cb);
    print("negative control (σ × (1 + 1e-2) on the wgpu side)", &rb);
    assert!(rb.z.0 > 1.0, "a σ off by {SIGMA_PERTURBATION} was not flagged: z error/bound = {:.3e} (seed {SEED})", rb.z.0);
    println!("wgpu engine test: {:.1} s", t0.elapsed().as_secs_f64());
}

/// A trainer loaded from `ck` on the wgpu devices, one iteration stepped, its host copies of the
/// device state brought up to date.
fn stepped(ck: Checkpoint, data: &Arc<TrainData>, dev: Option<GpuDevices>) -> Trainer {
    let mut t = Trainer::from_checkpoint_on(ck, data.clone(), 2, dev).unwrap();
    t.step().unwrap();
    t.sync().unwrap();
    t
}

#[test]
fn the_jacobi_order_on_the_wgpu_engine_agrees_with_the_cpu_engine() {
    let Some(dev) = devices() else { return };
    let data = digits();
    let mut cfg = config();
    cfg.method = "quad".into();
    cfg.order = "jacobi".into();
    let s0 = Trainer::new(cfg.clone(), data.clone(), 2).unwrap().checkpoint().unwrap();
    let mut g = stepped(s0.clone(), &data, Some(dev));
    let mut c = Trainer::from_checkpoint(s0.clone(), data.clone(), 2).unwrap();
    c.step().unwrap();
    assert_within("jacobi, iteration 1", &compare(&s0, &g, &c));
    // Iteration 2 from the wgpu state, where u moves (the copies differ), so the order matters.
    let s1 = g.checkpoint().unwrap();
    let mut c1 = Trainer::from_checkpoint(s1.clone(), data.clone(), 2).unwrap();
    c1.step().unwrap();
    let g1 = stepped(s1.clone(), &data, g.into_devices());
    assert_within("jacobi, iteration 2", &compare(&s1, &g1, &c1));
    // Negative control: the wgpu engine in the Gauss–Seidel order (workers against the new u).
    let mut bad = s1.clone();
    bad.header.config.order = "gauss-seidel".into();
    let gb = stepped(bad, &data, g1.into_devices());
    let rb = compare(&s1, &gb, &c1);
    print("negative control (Gauss–Seidel order on the wgpu side)", &rb);
    assert!(rb.z.0 > 1.0, "the Gauss–Seidel order was not flagged against Jacobi: z error/bound = {:.3e} (seed {SEED})", rb.z.0);
}

#[test]
fn msgd_takes_its_gradients_from_the_wgpu_network() {
    let Some(dev) = devices() else { return };
    let data = digits();
    let mut cfg = config();
    cfg.method = "msgd".into();
    cfg.workers = 1;
    let s0 = Trainer::new(cfg.clone(), data.clone(), 2).unwrap().checkpoint().unwrap();
    let g = stepped(s0.clone(), &data, Some(dev));
    let mut c = Trainer::from_checkpoint(s0.clone(), data.clone(), 2).unwrap();
    c.step().unwrap();
    let (r, at) = delta_ratio(&g, &c);
    println!("msgd: δ: worst error/bound = {r:.3e} ({at})");
    assert!(r <= 1.0, "msgd δ error/bound = {r:.3e} at {at} (seed {SEED})");
    // Negative control: the wgpu side one iteration ahead (the next minibatch) is flagged.
    let mut ahead = s0.clone();
    ahead.header.iteration += 1;
    let gb = stepped(ahead, &data, g.into_devices());
    let (rb, _) = delta_ratio(&gb, &c);
    println!("negative control (the next minibatch on the wgpu side): δ: worst error/bound = {rb:.3e}");
    assert!(rb > 1.0, "a different minibatch was not flagged: δ error/bound = {rb:.3e} (seed {SEED})");
}

#[test]
fn backend_gpu_without_an_adapter_is_exit_2_and_auto_falls_back_to_the_cpu() {
    // Only Vulkan is compiled into wgpu (Cargo.toml), so WGPU_BACKEND=gl leaves no adapter.
    let out = std::env::temp_dir().join(format!("infconv-train-gpu-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let args = ["train", "--arch", "paper", "--workers", "2", "--batch", "4", "--iterations", "1", "--train-limit", "64"];
    let tail = ["--eval-samples", "32", "--prox-iterations", "0", "--threads", "2", "--json"];
    let run = |backend: &str| {
        Command::new(env!("CARGO_BIN_EXE_infconv"))
            .args(args)
            .args(tail)
            .args(["--backend", backend, "--out"])
            .arg(&out)
            .env("WGPU_BACKEND", "gl")
            .output()
            .unwrap()
    };
    let o = run("gpu");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "--backend gpu without an adapter: {err}");
    assert!(err.contains("--backend gpu: no usable wgpu adapter"), "the message names what is missing: {err}");
    assert!(!out.exists(), "a refused run wrote {}", out.display());
    let o = Command::new(env!("CARGO_BIN_EXE_infconv"))
        .args(["train", "--backend", "gpu", "--workers", "17", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "--backend gpu --workers 17: {err}");
    assert!(err.contains("--workers 17: the wgpu kernels take at most 16 workers"), "{err}");
    assert!(!out.exists(), "a refused run wrote {}", out.display());
    // Control: the same command with auto runs, on the CPU engine, and says so.
    let o = run("auto");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "--backend auto without an adapter: {err}");
    assert!(err.contains("backend auto: cpu-f32 (no wgpu adapter"), "{err}");
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["backend"], "cpu-f32");
    let _ = std::fs::remove_dir_all(&out);
}
