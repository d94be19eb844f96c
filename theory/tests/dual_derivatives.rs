//! Every registry potential hands out its value, gradient and Hessian by dual numbers
//! (`Legendre::dual_derivatives`: num-dual through the value written once), and they agree with
//! its closed forms at seeded points of the domain (well inside it, 80 % of the way to the
//! boundary at most, away from 0 where cubic's Hessian has no dual-number limit).
//!
//! Tolerance [`REL`] = 1e-10 relative to the largest entry: both sides are a handful of f64
//! operations on the same formula, but the Hessian of the bounded potentials reaches ~1e2 near
//! their boundary, and the closed forms cancel differently.

use infconv_theory::potential::registry;
use infconv_theory::random::{stream, uniform, unit_direction};
use infconv_theory::{Domain, Vector};

const SEED: u64 = 3;
const M: usize = 3;
const POINTS: usize = 12;
const REL: f64 = 1e-10;

/// Largest coordinate difference relative to the larger of the two; +∞ when the lengths differ.
fn rel(a: &[f64], b: &[f64]) -> f64 {
    if a.len() != b.len() {
        return f64::INFINITY;
    }
    let scale = b.iter().chain(a).fold(0.0f64, |m, x| m.max(x.abs())).max(1e-300);
    a.iter().zip(b).fold(0.0f64, |m, (x, y)| m.max((x - y).abs())) / scale
}

#[test]
fn dual_derivatives_agree_with_the_closed_forms() {
    let mut compared = 0;
    let mut worst = 0.0f64;
    for p in registry::all() {
        let Ok(phi) = registry::build(p.name, M) else { continue };
        let m = phi.fixed_dim().unwrap_or(M);
        let mut rng = stream(SEED, &["dual-derivatives", p.name]);
        for _ in 0..POINTS {
            let d = unit_direction(&mut rng, m);
            let exit = phi.max_step(&Vector::zeros(m), &d).unwrap();
            let w = &d * if exit.is_finite() { uniform(&mut rng, 0.1, 0.8) * exit } else { uniform(&mut rng, 0.1, 2.0) };
            let Some(dual) = phi.dual_derivatives(&w) else { panic!("{}: no dual-number derivatives", p.name) };
            let (v, g, h) = dual.unwrap_or_else(|e| panic!("{} at {:?}: {e}", p.name, w.as_slice()));
            let (v0, g0, h0) = (phi.value(&w).unwrap(), phi.gradient(&w).unwrap(), phi.hessian(&w).unwrap());
            let e = rel(&[v], &[v0]).max(rel(g.as_slice(), g0.as_slice())).max(rel(h.as_slice(), h0.as_slice()));
            assert!(e <= REL, "{} at {:?} (seed {SEED}): dual numbers and closed forms differ by {e:e}: ({v}, {g}, {h}) vs ({v0}, {g0}, {h0})", p.name, w.as_slice());
            worst = worst.max(e);
            compared += 1;
        }
    }
    println!("worst residual [dual numbers vs closed forms, seed {SEED}]: {worst:.3e} over {compared} points");
    assert!(compared >= 10 * POINTS);
}
