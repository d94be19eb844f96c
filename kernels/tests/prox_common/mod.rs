//! Shared machinery of the separable φ-prox tests: seeded batches, the problems, and the
//! comparison of a backend's x against the serial f64 reference with the tolerances of
//! `tolerance.rs` (worst ratios returned, not only asserted, so that the negative controls can
//! show that the same comparison fails).
#![allow(dead_code)]

use infconv_kernels::potential::PotentialKind;
use infconv_kernels::prox::reference::{self, RefSolution};
use infconv_kernels::prox::{SepProx, SepProxReport, SepTerm};
use infconv_kernels::tolerance::{self, Arith};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The sizes of the agreement tests (4,000,000 in the default run only where it is fast, see the tests).
pub const SIZES: [usize; 5] = [1, 7, 256, 431_080, 4_000_000];

/// η of the tests (so that η matters).
pub const ETA: f64 = 0.7;

/// The two terms, both nonconvex: quad-cos with r = 0.8·9 − 1 = 6.2 and quad-log with
/// r = 1/(4·0.09) − 0.5 ≈ 2.28.
pub const QUAD_COS: SepTerm = SepTerm::QuadCos { a: 1.0, b: 0.8, omega: 3.0 };
pub const QUAD_LOG: SepTerm = SepTerm::QuadLog { a: 0.5, mu: 1.0, eps: 0.3 };

/// Every (potential, term) pair of the kernel, with λ = 0.6·λ_u (μ = 2/η² ≈ 4.08).
pub fn problems() -> Vec<SepProx> {
    let mut out = Vec::new();
    for kind in [PotentialKind::Quad, PotentialKind::TanSep, PotentialKind::LogSep] {
        for term in [QUAD_COS, QUAD_LOG] {
            let lu = SepProx::new(kind, ETA, 1e-3, term).unwrap().lambda_unique();
            out.push(SepProx::new(kind, ETA, 0.6 * lu, term).unwrap());
        }
    }
    out
}

/// f32-representable centers v ∈ [−2, 2] and data c ∈ [−3, 3] (every backend sees the same
/// inputs); with `far`, c ∈ [−300, 300], which drives the bounded potentials' roots within a few
/// percent of the boundary of dom φ.
pub fn batch(n: usize, seed: u64, far: bool) -> (Vec<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let cmax = if far { 300.0 } else { 3.0 };
    let v = (0..n).map(|_| rng.random_range(-2.0f64..2.0) as f32 as f64).collect();
    let c = (0..n).map(|_| rng.random_range(-cmax..cmax) as f32 as f64).collect();
    (v, c)
}

/// A planted case: `p` with `fault`, a batch of `n` inputs from `seed`, and the f64 reference
/// roots of the correct problem (the fault is planted in the kernel only).
pub struct Planted {
    pub bad: SepProx,
    pub v: Vec<f64>,
    pub c: Vec<f64>,
    pub refs: Vec<RefSolution>,
}

pub fn planted(p: &SepProx, fault: infconv_kernels::prox::Fault, n: usize, seed: u64) -> Planted {
    let mut bad = *p;
    bad.fault = fault;
    let (v, c) = batch(n, seed, false);
    let refs = reference::solve_all(p, &v, &c);
    Planted { bad, v, c, refs }
}

/// Worst ratios of one comparison.
#[derive(Debug, Clone, Copy, Default)]
pub struct Worst {
    /// max |x̃ − x*| / prox_x_tol, and its coordinate.
    pub x: f64,
    pub x_at: usize,
    /// max |G(v − x̃)| / prox_residual_tol (G in f64).
    pub residual: f64,
    /// Coordinates with v − x̃ outside dom φ (|v − x̃| ≥ ρ in f64).
    pub outside: usize,
    /// Coordinates where the reference did not converge.
    pub ref_unconverged: usize,
    /// The largest fill |v − x*|/ρ of the reference roots (how close to the boundary).
    pub fill: f64,
}

/// Compares a backend's x with the reference, coordinate by coordinate.
pub fn compare(a: Arith, p: &SepProx, v: &[f64], c: &[f64], x: &[f64], refs: &[RefSolution]) -> Worst {
    let mut w = Worst::default();
    let rho = p.radius();
    for i in 0..v.len() {
        let r = &refs[i];
        if !r.converged {
            w.ref_unconverged += 1;
            continue;
        }
        w.fill = w.fill.max(r.w.abs() / rho);
        let tol = tolerance::prox_x_tol(a, r.scale, r.dg);
        let ratio = if x[i] == r.x { 0.0 } else { (x[i] - r.x).abs() / tol };
        let ratio = if ratio.is_nan() { f64::INFINITY } else { ratio };
        if ratio > w.x {
            (w.x, w.x_at) = (ratio, i);
        }
        let wi = v[i] - x[i];
        let inside = wi.abs() < rho;
        if !inside {
            w.outside += 1;
            continue;
        }
        let res = match reference::residual_terms(p, v[i], c[i], wi) {
            Some((g, _, _)) => g.abs() / tolerance::prox_residual_tol(a, r.scale),
            None => f64::INFINITY,
        };
        w.residual = w.residual.max(if res.is_nan() { f64::INFINITY } else { res });
    }
    w
}

/// Asserts a comparison and a report: every ratio ≤ 1, every result inside dom φ, every
/// coordinate converged (kernel and reference).
pub fn assert_agrees(w: &Worst, rep: &SepProxReport, ctx: &str) {
    assert_eq!(w.ref_unconverged, 0, "reference unconverged ({ctx})");
    assert_eq!(w.outside, 0, "results outside dom φ ({ctx})");
    assert!(w.x <= 1.0, "x: error/tolerance = {:.3e} > 1 at coordinate {} ({ctx})", w.x, w.x_at);
    assert!(w.residual <= 1.0, "residual: |G|/tolerance = {:.3e} > 1 ({ctx})", w.residual);
    assert_eq!(rep.unconverged, 0, "kernel unconverged: {rep:?} ({ctx})");
}

/// A label of a problem.
pub fn label(p: &SepProx) -> String {
    format!("{}/{} (η = {}, λ = {:.4})", p.potential, p.term.name(), p.eta, p.lambda)
}

/// The agreement sweep of one backend (`label_b`, arithmetic `a`): every problem at every size
/// (at n ≥ 4,000,000 only the tan-sep/quad-log problem unless `all_at_4m`), near and far
/// centers, each solved by `run` and compared with the serial f64 reference; prints the worst
/// ratios per size and overall.
pub fn agreement_sweep(
    label_b: &str,
    a: Arith,
    sizes: &[usize],
    seed0: u64,
    all_at_4m: bool,
    mut run: impl FnMut(&SepProx, &[f64], &[f64]) -> (Vec<f64>, SepProxReport),
) {
    let (mut worst_x, mut worst_r, mut fill): (f64, f64, f64) = (0.0, 0.0, 0.0);
    for (si, &n) in sizes.iter().enumerate() {
        let (mut size_x, mut size_r): (f64, f64) = (0.0, 0.0);
        let probs = problems();
        let probs: Vec<&SepProx> = if n >= 4_000_000 && !all_at_4m { vec![&probs[3]] } else { probs.iter().collect() };
        for (pi, p) in probs.into_iter().enumerate() {
            for far in [false, true] {
                if far && n > 431_080 {
                    continue;
                }
                let seed = seed0 + 100 * si as u64 + 10 * pi as u64 + far as u64;
                let (v, c) = batch(n, seed, far);
                let t0 = std::time::Instant::now();
                let refs = reference::solve_all(p, &v, &c);
                let t_ref = t0.elapsed().as_secs_f64();
                let t0 = std::time::Instant::now();
                let (x, rep) = run(p, &v, &c);
                let t_k = t0.elapsed().as_secs_f64();
                let w = compare(a, p, &v, &c, &x, &refs);
                let ctx = format!("{label_b} n = {n} {} far {far} seed {seed}", label(p));
                assert_agrees(&w, &rep, &ctx);
                worst_x = worst_x.max(w.x);
                worst_r = worst_r.max(w.residual);
                (size_x, size_r) = (size_x.max(w.x), size_r.max(w.residual));
                fill = fill.max(w.fill);
                if n >= 100_000 {
                    println!(
                        "{ctx}: x ratio {:.3e}, residual ratio {:.3e}, fill {:.4}, Newton/coord {:.2}, bisections {}, by bracket {}, kernel {:.3} s, reference {:.3} s",
                        w.x,
                        w.residual,
                        w.fill,
                        rep.newton_steps as f64 / n as f64,
                        rep.bisections,
                        rep.by_bracket,
                        t_k,
                        t_ref
                    );
                }
            }
        }
        println!("worst residual [{label_b}] sep_prox n = {n}: x {size_x:.3e}, optimality {size_r:.3e}");
    }
    println!("worst residual [{label_b}] sep_prox x: error/tolerance = {worst_x:.3e}; optimality |G|/tolerance = {worst_r:.3e}; largest root fill |w*|/ρ = {fill:.4}");
}
