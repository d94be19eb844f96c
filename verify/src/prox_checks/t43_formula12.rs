//! `T4.3-formula12`: P(v) = (I + ∇φ*∘λT)⁻¹(v), formula (12).
//!
//! Per case, at every global minimizer z the oracle returns: y = ∇φ(v − z)/λ must lie in ∂f(z),
//! i.e. v − z = ∇φ*(λy) with y ∈ T(z): dist(y, ∂f(z))/max(‖y‖, 1) ≤ [`FORMULA12_REL`]; for C² f
//! also the resolvent itself through ∇φ*: ‖(v − z) − ∇φ*(λ∇f(z))‖/(1 + ‖v − z‖) ≤
//! [`FORMULA12_REL`]. The inverse in (12) is single-valued, so P must be too: the spread of the
//! minimizers ≤ [`PROX_UNIQUE_REL`] (for −|z| at v = 0, (I + ∇φ*∘λ∂f)⁻¹(0) = {±z*}).

use super::t43_lipschitz::spread;
use super::{Case, Failures, Setup, Tracked, at, below_threshold, not_applicable};
use crate::outcome::Outcome;
use crate::tolerance::{FORMULA12_REL, PROX_UNIQUE_REL};
use infconv_theory::family::Structure;

/// The measurement of (12) on the cases.
pub fn measure(setup: &Setup, cases: &[Case]) -> Outcome {
    let (phi, f) = (setup.phi.as_ref(), setup.f.as_ref());
    let cases: Vec<&Case> = cases.iter().filter(|c| below_threshold(setup, c)).collect();
    if cases.is_empty() {
        return not_applicable("λ ≥ λ_f on every case: Theorem 4.3 needs λ < λ_f");
    }
    let smooth = matches!(f.structure(), Structure::Smooth);
    let (mut uniq, mut member, mut resolvent) = (Tracked::default(), Tracked::default(), Tracked::default());
    let mut failures = Failures::default();
    for c in &cases {
        let Some(o) = failures.oracle(setup, c) else { continue };
        uniq.see(spread(&o), || format!("{} ({} minimizers)", at(c), o.minimizers.len()));
        for z in &o.minimizers {
            let w = &c.v - z;
            let y = match phi.gradient(&w) {
                Ok(g) => g / c.lambda,
                Err(e) => {
                    failures.add(c, e);
                    continue;
                }
            };
            match f.subdifferential_distance(z, &y) {
                Ok(dist) => member.see(dist / y.norm().max(1.0), || at(c)),
                Err(e) => failures.add(c, e),
            }
            if smooth {
                match f.subgradient(z).and_then(|g| phi.conjugate_gradient(&(g * c.lambda))) {
                    Ok(w2) => resolvent.see((&w - w2).norm() / (1.0 + w.norm()), || at(c)),
                    Err(e) => failures.add(c, format!("∇φ*: {e}")),
                }
            }
        }
    }
    let mut parts = vec![
        uniq.upper("single-valued inverse (spread of P(v))", PROX_UNIQUE_REL, cases.len()),
        member.upper("∇φ(v − z)/λ ∈ ∂f(z)", FORMULA12_REL, cases.len()),
        failures.part("solver failures (count)", cases.len()),
    ];
    if smooth {
        parts.push(resolvent.upper("v − z = ∇φ*(λ∇f(z))", FORMULA12_REL, cases.len()));
    }
    Outcome::from_parts(parts, "")
}
