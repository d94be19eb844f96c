//! The feasibility bound never lets an iterate leave dom φ̂: a million random, deliberately
//! aggressive steps of Algorithm 1 on the CPU backend (f64 and f32) and a smaller run on the wgpu
//! backend, each state checked in f64 from the stored values.

mod common;

use infconv_kernels::backend::{Backend, HostState};
use infconv_kernels::layers::LayerTable;
use infconv_kernels::potential::{Params, PotentialKind};
use infconv_kernels::{CpuBackend, GpuBackend};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const BOUNDED: [PotentialKind; 4] = [PotentialKind::Tan, PotentialKind::TanSep, PotentialKind::Log, PotentialKind::LogSep];

/// The largest s/s_max over workers and layers (radial) or coordinates (separable), in f64 from
/// the stored values; ∞ if a value is not finite.
fn worst_fill(h: &HostState, kind: PotentialKind, eta: f64) -> f64 {
    let n = h.n();
    let mut worst: f64 = 0.0;
    for j in 0..h.workers {
        for l in 0..h.layers.num_layers() {
            let mut s = 0.0;
            for i in h.layers.range(l) {
                let d = h.u[i] - h.z[j * n + i];
                if !d.is_finite() {
                    return f64::INFINITY;
                }
                if kind.is_separable() {
                    worst = worst.max(d * d / (eta * eta) / kind.s_max());
                } else {
                    s += d * d;
                }
            }
            if !kind.is_separable() {
                worst = worst.max(s / (eta * eta) / kind.s_max());
            }
        }
    }
    worst
}

/// Random steps with random step sizes and huge random loss gradients that push the copies out;
/// returns (cuts, the largest fill seen). Panics (with the seed) if a state leaves the domain.
fn hammer<B: Backend>(b: &B, kind: PotentialKind, steps: usize, seed: u64) -> (usize, f64) {
    hammer_kinds(b, &[kind], steps, seed)
}

/// [`hammer`] with the potential switching every `steps / kinds.len()` steps (the caches of the
/// CPU backend must follow the switch).
fn hammer_kinds<B: Backend>(b: &B, kinds: &[PotentialKind], steps: usize, seed: u64) -> (usize, f64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let layers = LayerTable::new(vec![3, 4]).unwrap();
    let (n, m) = (7, 2);
    let eta = 0.7;
    let u: Vec<f64> = (0..n).map(|_| rng.random_range(-0.1..0.1)).collect();
    let z: Vec<f64> = (0..m * n).map(|k| u[k % n] + rng.random_range(-0.05..0.05)).collect();
    let h = HostState::at_rest(layers, m, u, z).unwrap();
    let mut st = b.load(&h).unwrap();
    let (mut cuts, mut fill) = (0usize, 0.0f64);
    for it in 0..steps {
        let kind = kinds[it * kinds.len() / steps];
        let scale = 10f64.powf(rng.random_range(-1.0..3.0));
        let delta: Vec<f64> = (0..m * n).map(|_| rng.random_range(-scale..scale)).collect();
        b.set_delta(&mut st, &delta).unwrap();
        let mut p = Params::new(kind);
        p.eta = eta;
        p.lambda = 10f64.powf(rng.random_range(-2.0..1.0));
        p.tau = rng.random_range(0.0..0.5);
        p.sigma = 10f64.powf(rng.random_range(-3.0..0.0));
        p.kappa = rng.random_range(0.0..0.99);
        let rep = b.step(&mut st, &p).unwrap_or_else(|e| panic!("{} {kind} seed {seed} step {it}: {e}", b.name()));
        cuts += rep.cuts;
        let f = worst_fill(&b.store(&st).unwrap(), kind, eta);
        assert!(f < 1.0, "{} {kind} seed {seed} step {it}: left the domain, s/s_max = {f}", b.name());
        fill = fill.max(f);
    }
    (cuts, fill)
}

#[test]
fn a_million_random_cpu_steps_stay_inside_the_domain() {
    let per_run = 1_000_000 / (2 * BOUNDED.len());
    let mut total = 0;
    for (k, kind) in BOUNDED.into_iter().enumerate() {
        let (c64, f64_) = hammer(&CpuBackend::<f64>::single_thread(), kind, per_run, 11 + k as u64);
        let (c32, f32_) = hammer(&CpuBackend::<f32>::single_thread(), kind, per_run, 21 + k as u64);
        println!("domain {kind}: f64 {per_run} steps, {c64} cuts, max s/s_max {f64_:.6}; f32 {per_run} steps, {c32} cuts, max s/s_max {f32_:.6}");
        // The test must be able to fail: the steps do reach the boundary region and get cut.
        assert!(c64 > per_run / 10 && c32 > per_run / 10, "{kind}: too few cuts to exercise the bound");
        assert!(f64_ > 0.9 && f32_ > 0.9, "{kind}: the iterates never came near the boundary");
        total += 2 * per_run;
    }
    assert!(total >= 1_000_000);
}

#[test]
fn switching_from_radial_to_separable_keeps_the_iterates_inside() {
    // The ball of tan is inside the box of tan-sep (same radius): a radial state is feasible for
    // the separable potential; the maxima the separable bounds need are recomputed at the switch.
    for (k, kinds) in [[PotentialKind::Tan, PotentialKind::TanSep], [PotentialKind::Log, PotentialKind::LogSep]].iter().enumerate() {
        let (c, f) = hammer_kinds(&CpuBackend::<f32>::single_thread(), kinds, 20_000, 41 + k as u64);
        let (c2, f2) = hammer_kinds(&CpuBackend::<f64>::single_thread(), kinds, 20_000, 51 + k as u64);
        println!("domain {kinds:?}: f32 {c} cuts, max s/s_max {f:.6}; f64 {c2} cuts, max s/s_max {f2:.6}");
    }
}

#[test]
fn random_wgpu_steps_stay_inside_the_domain() {
    let b = match GpuBackend::new() {
        Ok(b) => b,
        Err(e) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("CI=true and no wgpu adapter: {e}");
            }
            println!("SKIPPED: no wgpu adapter ({e})");
            return;
        }
    };
    for (k, kind) in BOUNDED.into_iter().enumerate() {
        let (c, f) = hammer(&b, kind, 300, 31 + k as u64);
        println!("domain {kind}: wgpu 300 steps, {c} cuts, max s/s_max {f:.6}");
        assert!(c > 30 && f > 0.9, "{kind}: the bound was not exercised");
    }
}
