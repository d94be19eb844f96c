//! `T4.3-lipschitz`: Theorem 4.3 (i), P single-valued and Lipschitz near v̄, with the Jacobian of
//! P by implicit differentiation (`prox::jacobian`).
//!
//! Per case, with the oracle: (a) uniqueness: the spread of the global minimizers at v̄,
//! relative to 1 + ‖z̄‖, ≤ [`PROX_UNIQUE_REL`]; (b) Lipschitz: with v₁,₂ = v̄ ± δd
//! (δ = [`LIPSCHITZ_STEP`](1 + ‖v̄‖)), ‖P(v₁) − P(v₂)‖/‖v₁ − v₂‖ divided by the implicit-function
//! bound max ‖DP‖ over v̄, v₁, v₂ is ≤ [`LIPSCHITZ_RATIO_MAX`]; (c) DP(v̄) against central
//! differences of P (step ε^{1/3}(1 + ‖v̄‖), P at v̄ ± heⱼ continued from the oracle's local minima
//! at v̄), ‖DP − Δ‖_F / max(‖DP‖_F, 1) ≤ [`CENTRAL_DIFF_REL`].

use super::{Case, Failures, Setup, Tracked, at, below_threshold, not_applicable};
use crate::outcome::Outcome;
use crate::rng;
use crate::tolerance::{CENTRAL_DIFF_REL, LIPSCHITZ_RATIO_MAX, LIPSCHITZ_STEP, PROX_UNIQUE_REL, central_diff_step};
use infconv_theory::prox::jacobian::{lipschitz_bound, prox_jacobian};
use infconv_theory::prox::oracle::{self, OracleResult};
use infconv_theory::family::Structure;
use infconv_theory::{Matrix, Vector};
use rand_chacha::ChaCha8Rng;

/// The spread of a set of minimizers relative to 1 + ‖z‖ (0 for a single point).
pub fn spread(o: &OracleResult) -> f64 {
    let mut s = 0.0f64;
    for a in &o.minimizers {
        for b in &o.minimizers {
            s = s.max((a - b).norm() / (1.0 + a.norm()));
        }
    }
    s
}

/// Whether the stencil from za to zb crosses (or touches) a breakpoint of a separable family's
/// coordinate: there P is only piecewise smooth, so a central difference is no derivative.
fn crosses_breakpoint(setup: &Setup, za: &Vector, zb: &Vector) -> bool {
    match setup.f.structure() {
        Structure::Separable(terms) => terms.iter().enumerate().any(|(i, t)| {
            let (lo, hi) = (za[i].min(zb[i]), za[i].max(zb[i]));
            t.breakpoints().iter().any(|p| *p >= lo && *p <= hi) && za[i] != zb[i]
        }),
        _ => false,
    }
}

/// Central differences of P at v from the oracle's local minima there; `Some(None)` when the
/// stencil crosses a breakpoint of a separable f (P is piecewise smooth; Theorem 4.3 (i) claims
/// Lipschitz continuity, not differentiability), `None` when the continuation fails.
pub fn prox_differences(setup: &Setup, lambda: f64, v: &Vector, o: &OracleResult) -> Option<Option<Matrix>> {
    let m = v.len();
    let h = central_diff_step() * (1.0 + v.norm());
    let mut fd = Matrix::zeros(m, m);
    for j in 0..m {
        let mut vp = v.clone();
        let mut vm = v.clone();
        vp[j] += h;
        vm[j] -= h;
        let zp = oracle::continuation(setup.phi.as_ref(), setup.f.as_ref(), lambda, &vp, o).ok()?.minimizers[0].clone();
        let zm = oracle::continuation(setup.phi.as_ref(), setup.f.as_ref(), lambda, &vm, o).ok()?.minimizers[0].clone();
        if crosses_breakpoint(setup, &zp, &zm) {
            return Some(None);
        }
        fd.set_column(j, &((zp - zm) / (vp[j] - vm[j])));
    }
    Some(Some(fd))
}

/// The measurement of T4.3 (i) on the cases.
pub fn measure(setup: &Setup, cases: &[Case], rng: &mut ChaCha8Rng) -> Outcome {
    let (phi, f) = (setup.phi.as_ref(), setup.f.as_ref());
    let cases: Vec<&Case> = cases.iter().filter(|c| below_threshold(setup, c)).collect();
    if cases.is_empty() {
        return not_applicable("λ ≥ λ_f on every case: Theorem 4.3 needs λ < λ_f");
    }
    let (mut uniq, mut ratio, mut jac) = (Tracked::default(), Tracked::default(), Tracked::default());
    let (mut failures, mut skipped) = (Failures::default(), 0usize);
    for c in &cases {
        let Some(o) = failures.oracle(setup, c) else { continue };
        uniq.see(spread(&o), || format!("{} ({} minimizers)", at(c), o.minimizers.len()));
        let d = rng::unit_direction(rng, c.v.len());
        let delta = LIPSCHITZ_STEP * (1.0 + c.v.norm());
        let (v1, v2) = (&c.v + &d * delta, &c.v - &d * delta);
        let (o1, o2) = match (oracle::global(phi, f, c.lambda, &v1), oracle::global(phi, f, c.lambda, &v2)) {
            (Ok(a), Ok(b)) => (a, b),
            _ => {
                failures.add(c, "oracle failed at v̄ ± δd");
                continue;
            }
        };
        let (z1, z2) = (&o1.minimizers[0], &o2.minimizers[0]);
        let q = (z1 - z2).norm() / (&v1 - &v2).norm();
        let bound = [(&c.v, &o.minimizers[0]), (&v1, z1), (&v2, z2)]
            .iter()
            .map(|(v, z)| lipschitz_bound(phi, f, c.lambda, v, z))
            .collect::<Result<Vec<f64>, _>>();
        match bound {
            Ok(b) => {
                let l = b.iter().cloned().fold(0.0, f64::max);
                let r = if l > 0.0 { q / l } else if q == 0.0 { 0.0 } else { f64::INFINITY };
                ratio.see(r, || format!("{} (quotient {q:.3e}, bound {l:.3e})", at(c)));
            }
            Err(e) => {
                failures.add(c, format!("implicit differentiation: {e}"));
                continue;
            }
        }
        let dp = match prox_jacobian(phi, f, c.lambda, &c.v, &o.minimizers[0]) {
            Ok(dp) => dp,
            Err(e) => {
                failures.add(c, e);
                continue;
            }
        };
        match prox_differences(setup, c.lambda, &c.v, &o) {
            Some(None) => skipped += 1,
            Some(Some(fd)) => jac.see((&dp - &fd).norm() / dp.norm().max(1.0), || at(c)),
            None => failures.add(c, "continuation failed"),
        }
    }
    Outcome::from_parts(
        vec![
            uniq.upper("uniqueness (spread of P(v̄))", PROX_UNIQUE_REL, cases.len()),
            ratio.upper("Lipschitz quotient / implicit bound", LIPSCHITZ_RATIO_MAX, cases.len()),
            jac.upper("DP vs central differences", CENTRAL_DIFF_REL, cases.len()),
            failures.part("solver failures (count)", cases.len()),
        ],
        &format!("{skipped} cases' difference stencils cross a kink of f (Jacobian comparison skipped there)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spread is the largest distance between minimizers relative to 1 + ‖z‖: 0 for one
    /// point, 1 for the pair ±z with ‖z‖ = 1 (where a remainder in place of the quotient would
    /// give 0), and it sees a second point 1e-7 away.
    #[test]
    fn spread_is_relative_to_one_plus_the_norm() {
        let answer = |pts: Vec<Vector>| OracleResult { minimizers: pts, envelope: 0.0, local_minima: Vec::new(), spacing: 0.0 };
        let z = Vector::from_vec(vec![0.6, 0.8]);
        assert_eq!(spread(&answer(vec![z.clone()])), 0.0);
        assert!((spread(&answer(vec![z.clone(), -&z])) - 1.0).abs() <= 1e-15);
        let near = &z + Vector::from_vec(vec![1e-7, 0.0]);
        let s = spread(&answer(vec![z.clone(), near]));
        assert!((s - 1e-7 / 2.0).abs() <= 1e-15, "{s}");
    }
}
