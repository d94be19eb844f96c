//! `T4.3-formula12`: P(v) = (I + ∇φ*∘λT)⁻¹(v), formula (12), T the limiting subdifferential ∂f.
//!
//! Per case, at every global minimizer z the oracle returns, the inclusion v ∈ z + ∇φ*(λ∂f(z)) in
//! both directions:
//! - the dual side: y = ∇φ(v − z)/λ must lie in ∂f(z), judged by the family's own subdifferential:
//!   dist(y, ∂f(z))/max(‖y‖, 1) ≤ [`FORMULA12_REL`];
//! - the resolvent's side, evaluated forward from the family and not from the solver: from the
//!   subgradient ŷ ∈ ∂f(z) nearest to y (`Family::nearest_subgradient`; ∇f(z) for C² f), the point
//!   v′ = z + ∇φ*(λŷ) — the resolvent (I + ∇φ*∘λ∂f) applied to z — must give back v:
//!   ‖v′ − v‖ ≤ B = [`FORMULA12_REL`]·max(‖y‖, 1)·λ‖∇²φ*(λŷ)‖ + [`IDENTITY_REL`]·(1 + ‖v‖) (the
//!   oracle's accuracy in the dual, carried to the primal by the conditioning of ∇φ*, whose
//!   derivative is ∇²φ*(λŷ) = ∇²φ(∇φ*(λŷ))⁻¹, plus the rounding of ∇φ*∘∇φ = id); the figure is
//!   ‖v′ − v‖/B ≤ 1;
//! - the residual distinguishes: at z″ = z + εd (d a seeded unit direction, ε =
//!   [`FORMULA12_PERTURBATION`]·min(1 + ‖z‖, dist(v − z, bdry dom φ)/2)), not a minimizer, the
//!   residual dist(∇φ(v − z″)/λ, ∂f(z″)) must be at least κε/[`FORMULA12_DISTINGUISH_MARGIN`],
//!   κ = min λ_min(∇²φ)/λ − r over {v − z, v − z″} (r the weak-convexity modulus): for y ∈ ∂f(z)
//!   and any g ∈ ∂f(z″), hypomonotonicity ⟨g − y, z″ − z⟩ ≥ −rε² and the strong monotonicity of
//!   ∇φ give ⟨g − ∇φ(v − z″)/λ, z″ − z⟩ ≥ κε². Judged where κ > 0 and r exists (not for indicators
//!   or the concave kinks of the `neg-` families; the note counts the rest).
//!
//! The inverse in (12) is single-valued, so P must be too: the spread of the minimizers ≤
//! [`PROX_UNIQUE_REL`] (for −|z| at v = 0, (I + ∇φ*∘λ∂f)⁻¹(0) = {±z*}).

use super::t43_lipschitz::spread;
use super::{Case, Failures, Setup, Tracked, at, below_threshold, not_applicable};
use crate::outcome::{Outcome, Part};
use crate::rng;
use crate::tolerance::{FORMULA12_DISTINGUISH_MARGIN, FORMULA12_PERTURBATION, FORMULA12_REL, IDENTITY_REL, PROX_UNIQUE_REL};
use infconv_theory::linalg::symmetric_eigen_range;
use infconv_theory::{TheoryError, Vector};
use rand_chacha::ChaCha8Rng;

/// The smallest eigenvalue of ∇²φ(w).
fn lambda_min(setup: &Setup, w: &Vector) -> Result<f64, TheoryError> {
    Ok(symmetric_eigen_range(&setup.phi.hessian(w)?).0)
}

/// ‖v′ − v‖/B for v′ = z + ∇φ*(λŷ), ŷ the subgradient of f at z nearest to y (module doc).
fn resolvent_ratio(setup: &Setup, c: &Case, z: &Vector, y: &Vector) -> Result<(f64, f64), TheoryError> {
    let yhat = setup.f.nearest_subgradient(z, y)?;
    let w2 = setup.phi.conjugate_gradient(&(&yhat * c.lambda))?;
    let cond = 1.0 / lambda_min(setup, &w2)?.max(f64::MIN_POSITIVE);
    let gap = (z + &w2 - &c.v).norm();
    let bound = FORMULA12_REL * y.norm().max(1.0) * c.lambda * cond + IDENTITY_REL * (1.0 + c.v.norm());
    Ok((gap / bound, gap))
}

/// dist(∇φ(v − z″)/λ, ∂f(z″))/(κε) at z″ = z + εd, or None where κ ≤ 0 or f has no modulus.
fn distinguish_ratio(setup: &Setup, c: &Case, z: &Vector, d: &Vector) -> Result<Option<f64>, TheoryError> {
    let Some(r) = setup.f.weak_convexity_modulus() else { return Ok(None) };
    let w = &c.v - z;
    let eps = FORMULA12_PERTURBATION * (1.0 + z.norm()).min(0.5 * setup.phi.boundary_distance(&w));
    let z2 = z + d * eps;
    let w2 = &c.v - &z2;
    let kappa = lambda_min(setup, &w)?.min(lambda_min(setup, &w2)?) / c.lambda - r;
    if !(kappa > 0.0 && eps > 0.0) {
        return Ok(None);
    }
    let y2 = setup.phi.gradient(&w2)? / c.lambda;
    Ok(Some(setup.f.subdifferential_distance(&z2, &y2)? / (kappa * eps)))
}

/// The measurement of (12) on the cases.
pub fn measure(setup: &Setup, cases: &[Case], rng: &mut ChaCha8Rng) -> Outcome {
    let cases: Vec<&Case> = cases.iter().filter(|c| below_threshold(setup, c)).collect();
    if cases.is_empty() {
        return not_applicable("λ ≥ λ_f on every case: Theorem 4.3 needs λ < λ_f");
    }
    let (mut uniq, mut member, mut resolvent) = (Tracked::default(), Tracked::default(), Tracked::default());
    let (mut least, mut least_at, mut judged, mut unjudged) = (f64::INFINITY, String::new(), 0usize, 0usize);
    let mut failures = Failures::default();
    for c in &cases {
        let Some(o) = failures.oracle(setup, c) else { continue };
        uniq.see(spread(&o), || format!("{} ({} minimizers)", at(c), o.minimizers.len()));
        let d = rng::unit_direction(rng, c.v.len());
        for z in &o.minimizers {
            let y = match setup.phi.gradient(&(&c.v - z)) {
                Ok(g) => g / c.lambda,
                Err(e) => {
                    failures.add(c, e);
                    continue;
                }
            };
            match setup.f.subdifferential_distance(z, &y) {
                Ok(dist) => member.see(dist / y.norm().max(1.0), || at(c)),
                Err(e) => failures.add(c, e),
            }
            match resolvent_ratio(setup, c, z, &y) {
                Ok((ratio, gap)) => resolvent.see(ratio, || format!("{} (‖v′ − v‖ = {gap:.3e})", at(c))),
                Err(e) => failures.add(c, format!("resolvent: {e}")),
            }
            match distinguish_ratio(setup, c, z, &d) {
                Ok(Some(q)) => {
                    judged += 1;
                    if q < least {
                        least = q;
                        least_at = at(c);
                    }
                }
                Ok(None) => unjudged += 1,
                Err(e) => failures.add(c, format!("perturbed point: {e}")),
            }
        }
    }
    let mut parts = vec![
        uniq.upper("single-valued inverse (spread of P(v))", PROX_UNIQUE_REL, cases.len()),
        member.upper("∇φ(v − z)/λ ∈ ∂f(z)", FORMULA12_REL, cases.len()),
        resolvent.upper("z + ∇φ*(λŷ) = v, ŷ ∈ ∂f(z) nearest (‖v′ − v‖ / bound)", 1.0, cases.len()),
        failures.part("solver failures (count)", cases.len()),
    ];
    if judged > 0 {
        parts.push(Part::lower("residual at z + εd / (κε) (distinguishes)", least, 1.0 / FORMULA12_DISTINGUISH_MARGIN, cases.len(), least_at));
    }
    let note = if unjudged > 0 { format!("perturbation not judged at {unjudged} minimizers (no weak-convexity modulus, or κ ≤ 0)") } else { String::new() };
    Outcome::from_parts(parts, &note)
}
