//! Shared test machinery: seeded random EASGD states inside dom φ̂, and the comparisons of a
//! backend against the serial f64 reference with the tolerances of `tolerance.rs`.
#![allow(dead_code)]

use infconv_kernels::backend::{Backend, HostState};
use infconv_kernels::layers::LayerTable;
use infconv_kernels::potential::{Params, PotentialKind};
use infconv_kernels::reference;
use infconv_kernels::tolerance::{self, Arith};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// The sizes the agreement tests run at (1 to 4,000,000).
pub const SIZES: [usize; 5] = [1, 7, 256, 431_080, 4_000_000];

/// Rounds to the nearest f32 so that every backend sees exactly the reference's inputs.
pub fn r32(x: f64) -> f64 {
    x as f32 as f64
}

/// A random layer table of n elements (LeNet-5's at n = 431,080), 1..=6 layers.
pub fn layers_for(n: usize, rng: &mut ChaCha8Rng) -> LayerTable {
    if n == infconv_kernels::LENET5_PARAMS {
        return LayerTable::lenet5();
    }
    let l = rng.random_range(1..=n.min(6));
    let mut cuts: Vec<usize> = (0..l - 1).map(|_| rng.random_range(1..n)).collect();
    cuts.sort();
    cuts.dedup();
    let mut sizes = Vec::new();
    let mut prev = 0;
    for c in cuts.into_iter().chain([n]) {
        sizes.push(c - prev);
        prev = c;
    }
    LayerTable::new(sizes).unwrap()
}

/// The radius ρ of dom φ̂ in units of w (η for unbounded potentials, to set a scale).
pub fn radius(kind: PotentialKind, eta: f64) -> f64 {
    if kind.is_bounded() { kind.s_max().sqrt() * eta } else { eta }
}

/// A state with ‖(u − zⱼ)ₗ‖ ≤ 0.7ρ (radial) or |(u − zⱼ)ᵢ| ≤ 0.7ρ (separable), all values
/// f32-representable, M workers.
pub fn random_state(n: usize, m: usize, kind: PotentialKind, eta: f64, seed: u64) -> HostState {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let layers = layers_for(n, &mut rng);
    let rho = radius(kind, eta);
    let u: Vec<f64> = (0..n).map(|_| r32(rng.random_range(-1.0..1.0))).collect();
    let mut z = Vec::with_capacity(m * n);
    for _ in 0..m {
        let mut d = vec![0.0; n];
        if kind.is_separable() {
            d.iter_mut().for_each(|x| *x = rng.random_range(-0.7..0.7) * rho);
        } else {
            for l in 0..layers.num_layers() {
                let r = layers.range(l);
                let target = rng.random_range(0.0..0.7) * rho;
                let mut norm2 = 0.0;
                for i in r.clone() {
                    d[i] = rng.random_range(-1.0..1.0);
                    norm2 += d[i] * d[i];
                }
                let k = if norm2 > 0.0 { target / norm2.sqrt() } else { 0.0 };
                r.for_each(|i| d[i] *= k);
            }
        }
        // Rounding u − d to f32 moves d by ≤ 2⁻²⁴|u − d|: still far inside 0.7ρ + that.
        z.extend((0..n).map(|i| r32(u[i] - d[i])));
    }
    let v = (0..m * n).map(|_| r32(rng.random_range(-0.1..0.1))).collect();
    let delta = (0..m * n).map(|_| r32(rng.random_range(-1.0..1.0))).collect();
    HostState::new(layers, m, u, z, v, delta).unwrap()
}

/// Test parameters: η = 0.7 (so that η matters), λ = 0.05, τ = 0.01, σ = 0.005, ν = 1e-4,
/// κ = 0.9. With `aggressive`, σ and τ large enough that the bounded potentials get cut.
pub fn params(kind: PotentialKind, aggressive: bool) -> Params {
    let mut p = Params::new(kind);
    p.eta = 0.7;
    p.lambda = 0.05;
    p.tau = 0.01;
    p.sigma = 0.005;
    if aggressive {
        p.tau = 0.2;
        p.sigma = 0.05;
    }
    p
}

thread_local! {
    /// The worst ratio error/tolerance per kernel, per test (each test runs on its own thread).
    pub static WORST: std::cell::RefCell<BTreeMap<String, f64>> = const { std::cell::RefCell::new(BTreeMap::new()) };
}

/// Records a ratio and fails (with the context) if it exceeds 1.
pub fn record(kernel: &str, ratio: f64, ctx: &str) {
    WORST.with(|w| {
        let mut w = w.borrow_mut();
        let e = w.entry(kernel.to_string()).or_insert(0.0);
        if ratio > *e || ratio.is_nan() {
            *e = ratio;
        }
    });
    assert!(ratio <= 1.0, "{kernel}: error/tolerance = {ratio:.3e} > 1 ({ctx})");
}

/// Prints the worst ratios seen by this test.
pub fn print_worst(label: &str) {
    WORST.with(|w| {
        for (k, r) in w.borrow().iter() {
            println!("worst residual [{label}] {k}: error/tolerance = {r:.3e}");
        }
    });
}

fn worst_ratio(got: &[f64], want: &[f64], tol: &[f64]) -> (f64, usize) {
    assert_eq!(got.len(), want.len());
    let mut worst = (0.0, 0);
    for i in 0..got.len() {
        let r = (got[i] - want[i]).abs() / tol[i].max(1e-300);
        let r = if got[i] == want[i] { 0.0 } else if r.is_nan() { f64::INFINITY } else { r };
        if r > worst.0 {
            worst = (r, i);
        }
    }
    worst
}

/// Scaled squared norm s per (worker, element) as the reference sees it, the factor's layer size,
/// and the largest factor condition number.
fn s_and_nl(h: &HostState, kind: PotentialKind, eta: f64) -> (Vec<(f64, usize)>, f64) {
    let n = h.n();
    let norms = reference::layer_sq_norms(h);
    let nl = h.layers.num_layers();
    let mut out = Vec::with_capacity(h.z.len());
    let mut cond: f64 = 0.0;
    for j in 0..h.workers {
        for i in 0..n {
            let l = h.layers.layer_of(i);
            let (s, len) = if kind.is_separable() {
                let d = h.u[i] - h.z[j * n + i];
                (d * d / (eta * eta), 1)
            } else {
                (norms[j * nl + l] / (eta * eta), h.layers.sizes()[l])
            };
            cond = cond.max(tolerance::cond_h(kind, s));
            out.push((s, len));
        }
    }
    (out, cond)
}

fn abs_grad(h: &HostState, kind: PotentialKind, eta: f64) -> Vec<f64> {
    reference::grad_all(h, kind, eta).unwrap().into_iter().map(f64::abs).collect()
}

/// Every kernel of `b` against the reference on one random state.
pub fn check_all_kernels<B: Backend>(b: &B, a: Arith, n: usize, m: usize, kind: PotentialKind, seed: u64) {
    let ctx = format!("backend {}, n = {n}, M = {m}, potential {kind}, seed {seed}", b.name());
    let p = params(kind, false);
    let h = random_state(n, m, kind, p.eta, seed);
    let nmax = *h.layers.sizes().iter().max().unwrap();
    let (s_nl, cond) = s_and_nl(&h, kind, p.eta);
    let mut st = b.load(&h).unwrap();

    // Per-layer squared norms.
    let want = reference::layer_sq_norms(&h);
    let got = b.layer_sq_norms(&mut st).unwrap();
    let nl = h.layers.num_layers();
    let tol: Vec<f64> = (0..want.len()).map(|k| tolerance::sum_rel(a, h.layers.sizes()[k % nl]) * want[k]).collect();
    record("layer_sq_norms", worst_ratio(&got, &want, &tol).0, &ctx);

    // ∇φ̂.
    b.grad_phi(&mut st, kind, p.eta).unwrap();
    let got = b.read_grad(&st).unwrap();
    let want = reference::grad_all(&h, kind, p.eta).unwrap();
    let tol: Vec<f64> =
        want.iter().zip(&s_nl).map(|(g, &(s, len))| tolerance::grad_rel(a, kind, s, len) * g.abs() + 1e-37).collect();
    let (r, i) = worst_ratio(&got, &want, &tol);
    record(&format!("grad_phi/{kind}"), r, &format!("{ctx}, element {i}"));

    // Feasibility bound along random directions.
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xfeed);
    let du: Vec<f64> = (0..n).map(|_| r32(rng.random_range(-1.0..1.0))).collect();
    let dz: Vec<f64> = (0..m * n).map(|_| r32(rng.random_range(-1.0..1.0))).collect();
    b.set_directions(&mut st, &du, &dz).unwrap();
    let got = b.feasibility_bound(&mut st, kind, p.eta).unwrap();
    let want = reference::feasibility_bound(&h, kind, p.eta, &du, &dz).unwrap();
    let nb = if kind.is_separable() { 1 } else { nmax };
    let tol: Vec<f64> = want.iter().map(|t| tolerance::bound_rel(a, nb) * t).collect();
    let (r, _) = worst_ratio(&got, &want, &tol);
    let inf_ok = got.iter().zip(&want).all(|(g, w)| g.is_infinite() == w.is_infinite());
    record("feasibility_bound", if inf_ok { r } else { f64::INFINITY }, &ctx);

    // Consensus step (ordinary and aggressive step sizes, so that cuts happen).
    for aggressive in [false, true] {
        let p = params(kind, aggressive);
        let mut st = b.load(&h).unwrap();
        let mut hr = h.clone();
        let tu = b.consensus_step(&mut st, &p).unwrap();
        let g_abs = abs_grad(&h, kind, p.eta);
        let tu_ref = reference::consensus_step(&mut hr, &p).unwrap();
        let rel = tolerance::step_rel(a, cond, nmax);
        record("consensus_step.t", (tu - tu_ref).abs() / (rel * tu_ref), &ctx);
        let got = b.store(&st).unwrap();
        let tol: Vec<f64> = (0..n)
            .map(|i| rel * (hr.u[i].abs() + p.tau * (0..m).map(|j| g_abs[j * n + i]).sum::<f64>()) + 1e-37)
            .collect();
        let (r, i) = worst_ratio(&got.u, &hr.u, &tol);
        record("consensus_step.u", r, &format!("{ctx}, aggressive {aggressive}, element {i}"));

        // Worker step at the reference's new u (both start from the same f32-representable u).
        let hu: Vec<f64> = hr.u.iter().map(|&x| r32(x)).collect();
        let mut h2 = h.clone();
        h2.u = hu;
        let inside = reference::grad_all(&h2, kind, p.eta).is_ok();
        if !inside {
            continue;
        }
        let (_, cond2) = s_and_nl(&h2, kind, p.eta);
        let g2 = abs_grad(&h2, kind, p.eta);
        let mut st2 = b.load(&h2).unwrap();
        let mut hr2 = h2.clone();
        let tw = b.worker_step(&mut st2, &p).unwrap();
        let tw_ref = reference::worker_step(&mut hr2, &p).unwrap();
        let rel = tolerance::step_rel(a, cond.max(cond2), nmax);
        for j in 0..m {
            record("worker_step.t", (tw[j] - tw_ref[j]).abs() / (rel * tw_ref[j]), &ctx);
        }
        let got = b.store(&st2).unwrap();
        let dabs: Vec<f64> =
            (0..m * n).map(|k| h2.delta[k].abs() + p.nu * h2.z[k].abs() + g2[k] / p.lambda).collect();
        let tol_v: Vec<f64> = (0..m * n).map(|k| rel * (p.kappa * h2.v[k].abs() + dabs[k]) + 1e-37).collect();
        let tol_z: Vec<f64> = (0..m * n)
            .map(|k| rel * (hr2.z[k].abs() + p.sigma * (1.0 + p.kappa) * (dabs[k] + p.kappa * h2.v[k].abs())) + 1e-37)
            .collect();
        let (r, i) = worst_ratio(&got.z, &hr2.z, &tol_z);
        record("worker_step.z", r, &format!("{ctx}, aggressive {aggressive}, element {i}"));
        let (r, i) = worst_ratio(&got.v, &hr2.v, &tol_v);
        record("worker_step.v", r, &format!("{ctx}, aggressive {aggressive}, element {i}"));
    }

    // Residuals.
    let mut st = b.load(&h).unwrap();
    let got = b.residuals(&mut st, &p).unwrap();
    let want = reference::residuals(&h, &p).unwrap();
    let g_abs = abs_grad(&h, kind, p.eta);
    let rel = tolerance::residual_rel(a, cond, n, nmax);
    let scale_a = (0..n).map(|i| (0..m).map(|j| g_abs[j * n + i]).sum::<f64>().powi(2)).sum::<f64>().sqrt() / p.lambda;
    record("residual_5a", (got.r5a - want.r5a).abs() / (rel * scale_a + 1e-300), &ctx);
    for j in 0..m {
        let scale = (0..n)
            .map(|i| {
                let k = j * n + i;
                (h.delta[k].abs() + p.nu * h.z[k].abs() + g_abs[k] / p.lambda).powi(2)
            })
            .sum::<f64>()
            .sqrt();
        record("residual_5b", (got.r5b[j] - want.r5b[j]).abs() / (rel * scale + 1e-300), &ctx);
    }
    record(
        "consensus_distance",
        (got.consensus_distance - want.consensus_distance).abs() / (tolerance::sum_rel(a, n) * want.consensus_distance + 1e-300),
        &ctx,
    );
}

/// The fused step against reference consensus + worker steps (one step, ordinary sizes).
pub fn check_fused_step<B: Backend>(b: &B, a: Arith, n: usize, m: usize, kind: PotentialKind, seed: u64) {
    check_fused_step_against(b, a, n, m, kind, kind, seed)
}

/// [`check_fused_step`] with the backend stepping `kind` and the reference `reference_kind`
/// (the same potential, except in the controls that plant a wrong factor into the backend's).
pub fn check_fused_step_against<B: Backend>(b: &B, a: Arith, n: usize, m: usize, kind: PotentialKind, reference_kind: PotentialKind, seed: u64) {
    let ctx = format!("backend {}, n = {n}, M = {m}, potential {kind}, seed {seed}", b.name());
    let p = params(kind, false);
    let p_ref = Params { potential: reference_kind, ..p };
    let kind = reference_kind;
    let h = random_state(n, m, kind, p.eta, seed);
    let nmax = *h.layers.sizes().iter().max().unwrap();
    let (_, cond) = s_and_nl(&h, kind, p.eta);
    let mut st = b.load(&h).unwrap();
    let mut hr = h.clone();
    let g0 = abs_grad(&h, kind, p.eta);
    // Two steps: the second one runs with the norms cached by the first (and, on the CPU, with
    // the a-priori bounds that may skip the exact feasibility passes).
    let mut mid = h.clone();
    for k in 0..2 {
        let rep = b.step(&mut st, &p).unwrap();
        let rep_ref = reference::step(&mut hr, &p_ref).unwrap();
        assert_eq!(rep.cuts, rep_ref.cuts, "{ctx}");
        if k == 0 {
            mid = hr.clone();
        }
    }
    let g1 = abs_grad(&mid, kind, p.eta);
    let got = b.store(&st).unwrap();
    // Two steps: twice the error of one (the second step's terms are of the first's size).
    let rel = 2.0 * tolerance::step_rel(a, cond, nmax);
    // factor_max/λ·σ(1+κ) carries the error of the new u into z (the worker's gradient).
    // The largest factor 2h′(s)/η² over the test states (s ≤ 0.49 s_max, or 0.49 when unbounded),
    // doubled for the move of u: it carries the error of the new u into the worker's gradient.
    let s_bound = 0.49 * if kind.is_bounded() { kind.s_max() } else { 1.0 };
    let fmax = 2.0 * 2.0 * reference::h_prime(kind, s_bound) / (p.eta * p.eta);
    let tol_u: Vec<f64> =
        (0..n)
            .map(|i| {
                let terms: f64 = (0..m).map(|j| g0[j * n + i] + g1[j * n + i]).sum();
                rel * (hr.u[i].abs() + mid.u[i].abs() + p.tau * terms) + 1e-37
            })
            .collect();
    let (r, i) = worst_ratio(&got.u, &hr.u, &tol_u);
    record("step.u", r, &format!("{ctx}, element {i}"));
    let tol_z: Vec<f64> = (0..m * n)
        .map(|k| {
            let i = k % n;
            let dabs = h.delta[k].abs() + p.nu * h.z[k].abs() + (g0[k] + g1[k]) / p.lambda;
            let prop = fmax / p.lambda * tol_u[i] / rel;
            rel * (hr.z[k].abs() + mid.z[k].abs() + 2.0 * p.sigma * (1.0 + p.kappa) * (dabs + prop + p.kappa * h.v[k].abs())) + 1e-37
        })
        .collect();
    let (r, i) = worst_ratio(&got.z, &hr.z, &tol_z);
    record("step.z", r, &format!("{ctx}, element {i}"));
}
