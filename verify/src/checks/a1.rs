//! `A1`: φ proper lsc convex and Legendre (Definition 3.1).
//!
//! Measured:
//! - gradient consistency: the closed-form ∇φ against num-dual on the trusted zone
//!   ([`IDENTITY_REL`]) and against central differences away from the boundary
//!   ([`CENTRAL_DIFF_REL`]): a wrong gradient makes every other statement meaningless;
//! - convexity: φ(w₁) − φ(w₂) − ⟨∇φ(w₂), w₁ − w₂⟩ ≥ −[`CONVEXITY_ROUNDING`]·scale on random,
//!   collinear (w₁ = c·w₂) and coordinate (w₁ = w₂ + t eᵢ) pairs of the trusted zone;
//! - strict convexity, as strict monotonicity of the gradient (equivalent for differentiable
//!   convex φ, and free of the cancellation in φ(w₁) − φ(w₂) when one coordinate dominates φ):
//!   ⟨∇φ(w₁) − ∇φ(w₂), w₁ − w₂⟩ / Σᵢ (|∂ᵢφ(w₁)| + |∂ᵢφ(w₂)|)|w₁ᵢ − w₂ᵢ| > [`STRICT_MONOTONE_REL`]
//!   on separated pairs of the trusted zone;
//! - essential smoothness: ‖∇φ(wₖ)‖ → ∞ as wₖ → bdry dom φ along random rays (divergence test,
//!   [`GROWTH_RATIO_MIN`]); vacuous for dom φ = ℝᵐ.

use super::{Worst, central_diff_gradient, no_dual_note};
use crate::divergence::{growth_ratio, toward_boundary};
use crate::outcome::{Outcome, Part};
use crate::rng::uniform;
use crate::sampling::{Sample, points};
use crate::tolerance::{
    CENTRAL_DIFF_REL, CONVEXITY_ROUNDING, GROWTH_RATIO_MIN, IDENTITY_REL, STRICT_MIN_SEPARATION, STRICT_MONOTONE_REL,
};
use infconv_theory::linalg::rel_dist;
use infconv_theory::{Legendre, Vector};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Random rays for the essential-smoothness test.
const RAYS: usize = 4;

/// Runs `A1` on φ in dimension m.
pub fn check(phi: &dyn Legendre, m: usize, rng: &mut ChaCha8Rng) -> Outcome {
    let pts = points(phi, m, rng);
    let mut parts = Vec::new();
    let mut notes = Vec::new();

    // Gradient consistency.
    let (mut dual, mut dual_far, mut cd) = (Worst::largest(), Worst::largest(), Worst::largest());
    let mut no_dual = 0;
    for s in &pts {
        let Ok(g) = phi.gradient(&s.w).map_err(|e| dual.add(f64::INFINITY, || format!("{}: gradient failed inside dom φ: {e}", s.describe(phi))))
        else {
            continue;
        };
        match phi.dual_derivatives(&s.w) {
            Some(Ok((_, gd, _))) => {
                let r = rel_dist(&g, &gd);
                let target = if s.trusted { &mut dual } else { &mut dual_far };
                target.add(r, || s.describe(phi));
            }
            Some(Err(_)) | None => no_dual += 1,
        }
        if s.central_diff
            && s.w.norm() > 0.0
            && let Some(c) = central_diff_gradient(phi, &s.w)
        {
            cd.add(rel_dist(&g, &c), || s.describe(phi));
        }
    }
    if dual.cases() > 0 {
        parts.push(dual.part("∇φ closed vs num-dual", IDENTITY_REL));
    }
    parts.push(cd.part("∇φ vs central differences", CENTRAL_DIFF_REL));
    notes.extend(dual_far.report("∇φ vs num-dual closer to the boundary (not judged)"));
    notes.extend(no_dual_note(no_dual));

    // Convexity and strict convexity on pairs.
    let pairs = pairs(phi, &pts, rng);
    let (mut conv, mut conv_far) = (Worst::largest(), Worst::largest());
    for (w1, w2) in &pairs {
        let (Ok(f1), Ok(f2), Ok(g2)) = (phi.value(&w1.w), phi.value(&w2.w), phi.gradient(&w2.w)) else {
            conv.add(f64::INFINITY, || "value or gradient failed inside dom φ".into());
            continue;
        };
        let lin = g2.dot(&(&w1.w - &w2.w));
        let gap = f1 - f2 - lin;
        let scale = f1.abs() + f2.abs() + lin.abs();
        if scale == 0.0 {
            continue;
        }
        let at = || format!("w₁: {}; w₂: {}", w1.describe(phi), w2.describe(phi));
        if w1.trusted && w2.trusted { conv.add(-gap / scale, at) } else { conv_far.add(-gap / scale, at) }
    }
    parts.push(conv.part("convexity gap deficit (relative)", CONVEXITY_ROUNDING));
    notes.extend(conv_far.report("convexity gap deficit closer to the boundary (not judged)"));
    parts.push(strict_monotonicity(phi, &pairs));

    // Essential smoothness.
    let mut growth = Worst::smallest();
    let (rays, _) = toward_boundary(phi, m, RAYS, rng, |w| phi.gradient(w).map(|g| g.norm()).unwrap_or(f64::NAN));
    let bounded_rays = rays.len();
    for (tb, seq) in rays {
        growth.add(growth_ratio(&seq), || format!("ray with boundary at t = {tb:.3e}: ‖∇φ‖ = {:.3e} at 1e-10 from it", seq[9]));
    }
    if bounded_rays > 0 {
        parts.push(growth.part("‖∇φ‖ growth ratio towards the boundary", GROWTH_RATIO_MIN));
    } else {
        notes.push("dom φ = ℝᵐ along every sampled ray: essential smoothness is vacuous".into());
    }
    Outcome::from_parts(parts, &notes.join("; "))
}

/// Strict monotonicity of ∇φ on the pairs of the trusted zone that are at least
/// [`STRICT_MIN_SEPARATION`] apart relative to the larger norm: on closer pairs the ratio falls
/// with ‖w₁ − w₂‖ for every φ (½·10⁻¹⁰ for ‖w‖² at a relative distance of 10⁻¹⁰), so it would
/// measure the distance, not the strictness.
fn strict_monotonicity(phi: &dyn Legendre, pairs: &[(Sample, Sample)]) -> Part {
    let mut strict = Worst::smallest();
    for (w1, w2) in pairs {
        let sep = (&w1.w - &w2.w).norm() / w1.w.norm().max(w2.w.norm());
        if !(w1.trusted && w2.trusted && sep >= STRICT_MIN_SEPARATION) {
            continue;
        }
        let at = || format!("w₁: {}; w₂: {}", w1.describe(phi), w2.describe(phi));
        match (phi.gradient(&w1.w), phi.gradient(&w2.w)) {
            (Ok(g1), Ok(g2)) => {
                let delta = &w1.w - &w2.w;
                let num = (&g1 - &g2).dot(&delta);
                let den: f64 = (0..delta.len()).map(|i| (g1[i].abs() + g2[i].abs()) * delta[i].abs()).sum();
                strict.add(if den > 0.0 { num / den } else { 0.0 }, at);
            }
            (Err(e), _) | (_, Err(e)) => strict.add(f64::NAN, || format!("gradient failed inside dom φ: {e}")),
        }
    }
    strict.part("strict monotonicity of ∇φ (relative)", STRICT_MONOTONE_REL)
}

/// Random pairs, collinear pairs (w, c·w) and (c·w, w), and coordinate pairs (w, w + t eᵢ).
fn pairs(phi: &dyn Legendre, pts: &[Sample], rng: &mut ChaCha8Rng) -> Vec<(Sample, Sample)> {
    let mut out = Vec::new();
    let n = pts.len();
    for i in 0..n {
        let j = rng.random_range(0..n);
        if i != j {
            out.push((pts[i].clone(), pts[j].clone()));
        }
        let w = &pts[i].w;
        if w.norm() == 0.0 {
            continue;
        }
        let c = uniform(rng, 0.2, 0.9);
        let inner = crate::sampling::classify(phi, w * c, pts[i].regime);
        out.push((inner.clone(), pts[i].clone()));
        out.push((pts[i].clone(), inner));
        let k = rng.random_range(0..w.len());
        let mut e = Vector::zeros(w.len());
        e[k] = if rng.random::<bool>() { 1.0 } else { -1.0 };
        let room = phi.max_step(w, &e).unwrap_or(0.0);
        let t = (uniform(rng, 0.1, 0.5) * w.norm()).min(0.9 * room);
        if t > 0.0 {
            let moved = crate::sampling::classify(phi, w + e * t, pts[i].regime);
            out.push((moved, pts[i].clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampling::{Regime, classify};
    use infconv_theory::potential::registry;

    /// The scales of the pairs: the separation is relative, so a pair is measured or left out
    /// alike at every scale.
    const SCALES: [f64; 3] = [1e-3, 1.0, 1e6];

    /// w and −w are as far apart as a pair gets: the pair is measured, and for ‖w‖² the ratio
    /// is ⟨4w, 2w⟩ / Σᵢ 4|wᵢ|·2|wᵢ| = 1.
    #[test]
    fn an_antipodal_pair_is_measured() {
        let phi = registry::build("quad", 2).unwrap();
        for s in SCALES {
            let w = Vector::from_vec(vec![0.6, -1.3]) * s;
            let pair = (classify(phi.as_ref(), w.clone(), Regime::Bulk), classify(phi.as_ref(), -w, Regime::Bulk));
            let part = strict_monotonicity(phi.as_ref(), &[pair]);
            assert_eq!(part.cases, 1, "scale {s}: {part:?}");
            assert!((part.worst - 1.0).abs() < 1e-15, "scale {s}: {part:?}");
        }
    }

    /// w and (1 + 10⁻¹⁰)w would read ½·10⁻¹⁰ < STRICT_MONOTONE_REL for ‖w‖², a false alarm on a
    /// strictly convex φ: the pair is left out and the part measures nothing.
    #[test]
    fn a_close_pair_is_left_out() {
        let phi = registry::build("quad", 2).unwrap();
        for s in SCALES {
            let w = Vector::from_vec(vec![0.6, -1.3]) * s;
            let near = &w * (1.0 + 1e-10);
            let pair = (classify(phi.as_ref(), near, Regime::Bulk), classify(phi.as_ref(), w, Regime::Bulk));
            let part = strict_monotonicity(phi.as_ref(), &[pair]);
            assert_eq!(part.cases, 0, "scale {s}: {part:?}");
        }
    }
}
