//! `T4.3-gradient13`: Theorem 4.3 (ii), formula (13): ∇e(v) = ∇φ(v − P(v))/λ.
//!
//! Per case: the formula at every global minimizer z of the oracle, against central differences
//! of the oracle's e (step h = ε^{1/3}(1 + ‖v‖); e(v ± heⱼ) from the oracle's local minima at v,
//! continued): ‖∇φ(v − z)/λ − Δe‖ / max(‖∇φ(v − z)/λ‖, 1) ≤ [`CENTRAL_DIFF_REL`]. Where P is
//! two-valued (−|z| at 0) the formula gives ±∇φ(∓z*)/λ while e has a concave kink with symmetric
//! differences 0: violated.

use super::{Case, Failures, Prox, Setup, Tracked, at, below_threshold, global_prox, not_applicable};
use crate::outcome::Outcome;
use crate::tolerance::{CENTRAL_DIFF_REL, central_diff_step};
use infconv_theory::prox::oracle::{self, OracleResult};
use infconv_theory::prox::envelope_gradient;
use infconv_theory::Vector;

/// Central differences of the oracle's e at v.
pub fn envelope_differences(setup: &Setup, lambda: f64, v: &Vector, o: &OracleResult) -> Option<Vector> {
    let m = v.len();
    let h = central_diff_step() * (1.0 + v.norm());
    let mut g = Vector::zeros(m);
    for j in 0..m {
        let mut vp = v.clone();
        let mut vm = v.clone();
        vp[j] += h;
        vm[j] -= h;
        let ep = oracle::continuation(setup.phi.as_ref(), setup.f.as_ref(), lambda, &vp, o).ok()?.envelope;
        let em = oracle::continuation(setup.phi.as_ref(), setup.f.as_ref(), lambda, &vm, o).ok()?.envelope;
        g[j] = (ep - em) / (vp[j] - vm[j]);
    }
    Some(g)
}

/// The residual of (13) at v for the oracle result o: the worst over the minimizers.
pub fn residual(setup: &Setup, lambda: f64, v: &Vector, o: &OracleResult) -> Result<f64, String> {
    let fd = envelope_differences(setup, lambda, v, o).ok_or("central differences: the continuation failed")?;
    let mut worst = 0.0f64;
    for z in &o.minimizers {
        let g = envelope_gradient(setup.phi.as_ref(), lambda, v, z).map_err(|e| e.to_string())?;
        worst = worst.max((&g - &fd).norm() / g.norm().max(1.0));
    }
    Ok(worst)
}

/// The measurement of (13) on the cases, with P(v) from the global oracle.
pub fn measure(setup: &Setup, cases: &[Case]) -> Outcome {
    measure_with(setup, cases, &global_prox)
}

/// The measurement of (13) on the cases, with P(v) from `prox` (the differences of e are
/// continued from its local minima by the oracle's refinement, independently of its minimizers).
pub fn measure_with(setup: &Setup, cases: &[Case], prox: &Prox<'_>) -> Outcome {
    let cases: Vec<&Case> = cases.iter().filter(|c| below_threshold(setup, c)).collect();
    if cases.is_empty() {
        return not_applicable("λ ≥ λ_f on every case: Theorem 4.3 needs λ < λ_f");
    }
    let (mut worst, mut failures) = (Tracked::default(), Failures::default());
    for c in &cases {
        let r = prox(setup, c).map_err(|e| e.to_string()).and_then(|o| residual(setup, c.lambda, &c.v, &o));
        match r {
            Ok(r) => worst.see(r, || at(c)),
            Err(e) => failures.add(c, e),
        }
    }
    Outcome::from_parts(
        vec![
            worst.upper("formula (13) vs central differences of e", CENTRAL_DIFF_REL, cases.len()),
            failures.part("solver failures (count)", cases.len()),
        ],
        "",
    )
}
