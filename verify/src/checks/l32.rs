//! `L3.2`: Lemma 3.2 (ii), ∇φ: int dom φ → int dom φ* is bijective with inverse ∇φ*, and
//! Lemma 3.2 (i), dom ∂φ = int dom φ, for φ and for its conjugate.
//!
//! Measured (relative, [`IDENTITY_REL`] on the trusted zone; closer in, reported):
//! - ∇φ*(∇φ(w)) = w at sample points w, component-wise on the natural scale of the round trip:
//!   maxᵢ |w′ᵢ − wᵢ| / (|wᵢ| + |yᵢ|/∂²ᵢᵢφ(w)). Each yᵢ = ∂ᵢφ(w) is known to ε|yᵢ|, which the inverse
//!   maps to about ε|yᵢ|/∂²ᵢᵢφ; where ∇φ(0) ≠ 0 and w → 0, |wᵢ| alone would call that rounding a
//!   failure, and a norm-wise scale would hide an inaccurate small coordinate next to a dominant
//!   one (cosh, where yᵢ ranges over 40 orders of magnitude);
//! - ∇φ(∇φ*(y)) = y at y = ρ d, d a random unit vector and ρ log-uniform in [1e-4, 1e4]: a y
//!   outside the range of ∇φ (no preimage) is a violation with residual 1;
//! - Fenchel–Young: φ*(y) computed by an independent maximizer of ⟨w, y⟩ − φ(w) (damped Newton on
//!   ∇φ and ∇²φ, never calling ∇φ*) equals ⟨∇φ*(y), y⟩ − φ(∇φ*(y)).
//! - Lemma 3.2 (i), dom ∂φ = int dom φ, applied to φ and to φ* (Legendre with φ): along random
//!   rays t·d, t → t_b (the boundary of dom φ, at (1 − 10⁻ᵏ)t_b, k = 1 … 10) or t → ∞ (at
//!   t = 10^{k/3}, k = 0 … 6, where dom φ = ℝᵐ), s(t) = ⟨∇φ(td), d⟩ must diverge (growth ratio
//!   ≥ [`GROWTH_RATIO_MIN`], the divergence test of `A2`). At a finite boundary this says that the
//!   boundary point carries no subgradient (dom ∂φ ⊂ int dom φ); where dom φ = ℝᵐ, (A4) makes
//!   dom φ* = ℝᵐ and (i) for φ* says dom ∂φ* = range ∇φ = ℝᵐ, so s is unbounded along every ray.
//!   A φ whose ∇φ is not onto (huber: s(t) = 1 for t ≥ 1, the boundary point d of dom φ* has the
//!   subgradients td, t ≥ 1, of φ*; log1p-sq: s(t) = 2t/(1 + t²) attains its maximum) fails it.

use super::Worst;
use crate::outcome::Outcome;
use crate::rng::{log_uniform, unit_direction};
use crate::sampling::{classify, points, Regime};
use crate::divergence::{growth_ratio, toward_boundary};
use crate::tolerance::{GROWTH_RATIO_MIN, IDENTITY_REL};
use infconv_theory::linalg::rel_dist;
use infconv_theory::potential::conjugate::newton_conjugate;
use infconv_theory::Legendre;
use rand_chacha::ChaCha8Rng;

/// Random dual points y per dimension.
const DUAL_POINTS: usize = 24;
/// Random rays of the Lemma 3.2 (i) part per dimension.
const RAYS: usize = 8;

/// Lemma 3.2 (i): the smallest growth ratio of s(t) = ⟨∇φ(td), d⟩ along `RAYS` random rays toward
/// the boundary of dom φ or infinity (see the module documentation).
fn part_i(phi: &dyn Legendre, m: usize, rng: &mut ChaCha8Rng) -> super::Worst {
    let mut worst = Worst::smallest();
    let slope = |w: &infconv_theory::Vector| {
        let n = w.norm();
        phi.gradient(w).map(|g| if n > 0.0 { g.dot(w) / n } else { f64::NAN }).unwrap_or(f64::NAN)
    };
    let (bounded, unbounded) = toward_boundary(phi, m, RAYS, rng, slope);
    for (tb, s) in bounded {
        worst.add(growth_ratio(&s), || format!("ray to the boundary at t_b = {tb:.3e}: s from {:.3e} to {:.3e}", s[0], s[s.len() - 1]));
    }
    for _ in 0..unbounded {
        let d = unit_direction(rng, m);
        let s: Vec<f64> = (0..=6).map(|k| slope(&(&d * 10f64.powf(f64::from(k) / 3.0)))).collect();
        worst.add(growth_ratio(&s), || format!("ray to ∞ (t = 1 … 100): s from {:.3e} to {:.3e}", s[0], s[s.len() - 1]));
    }
    worst
}

/// Runs `L3.2` on φ in dimension m.
pub fn check(phi: &dyn Legendre, m: usize, rng: &mut ChaCha8Rng) -> Outcome {
    let (mut primal, mut primal_far) = (Worst::largest(), Worst::largest());
    for s in points(phi, m, rng) {
        let r = phi.gradient(&s.w).and_then(|y| {
            let back = phi.conjugate_gradient(&y)?;
            let h = phi.hessian(&s.w)?;
            Ok((0..y.len())
                .map(|i| {
                    let err = (back[i] - s.w[i]).abs();
                    let scale = s.w[i].abs() + if h[(i, i)] > 0.0 { y[i].abs() / h[(i, i)] } else { 0.0 };
                    if err == 0.0 { 0.0 } else { err / scale }
                })
                .fold(0.0, f64::max))
        });
        let r = r.unwrap_or(1.0);
        let target = if s.trusted { &mut primal } else { &mut primal_far };
        target.add(r, || s.describe(phi));
    }
    let (mut dual, mut dual_far, mut fy) = (Worst::largest(), Worst::largest(), Worst::largest());
    for _ in 0..DUAL_POINTS {
        let y = unit_direction(rng, m) * log_uniform(rng, 1e-4, 1e4);
        let rho = y.norm();
        let w = match phi.conjugate_gradient(&y) {
            Ok(w) => w,
            Err(e) => {
                dual.add(1.0, || format!("‖y‖ = {rho:.3e}: {e}"));
                continue;
            }
        };
        let s = classify(phi, w.clone(), Regime::Bulk);
        let r = phi.gradient(&w).map(|back| rel_dist(&back, &y)).unwrap_or(1.0);
        let at = || format!("‖y‖ = {rho:.3e}, ∇φ*(y) at {}", s.describe(phi));
        if !s.trusted {
            dual_far.add(r, at);
            continue;
        }
        dual.add(r, at);
        let fy_closed = phi.value(&w).map(|v| (w.dot(&y) - v, w.dot(&y).abs() + v.abs()));
        let r = match (fy_closed, newton_conjugate(phi, &y)) {
            (Ok((value, scale)), Ok((_, sup))) => (sup - value).abs() / scale.max(f64::MIN_POSITIVE),
            _ => 1.0,
        };
        fy.add(r, || format!("‖y‖ = {rho:.3e}"));
    }
    let mut parts = vec![primal.part("∇φ*∘∇φ − id", IDENTITY_REL), dual.part("∇φ∘∇φ* − id", IDENTITY_REL)];
    parts.push(part_i(phi, m, rng).part("(i) dom ∂φ = int dom φ, dom ∂φ* = int dom φ*: ⟨∇φ(td), d⟩ diverges (growth ratio)", GROWTH_RATIO_MIN));
    parts.push(fy.part("Fenchel–Young φ*(y): sup vs ⟨∇φ*(y), y⟩ − φ(∇φ*(y))", IDENTITY_REL));
    let notes: Vec<String> = [
        primal_far.report("∇φ*∘∇φ − id closer to the boundary (not judged)"),
        dual_far.report("∇φ∘∇φ* − id closer to the boundary (not judged)"),
    ]
    .into_iter()
    .flatten()
    .collect();
    Outcome::from_parts(parts, &notes.join("; "))
}
