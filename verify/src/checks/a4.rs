//! `A4`: φ is super-coercive, φ(w)/‖w‖ → ∞ as ‖w‖ → ∞. Along random unit rays d: where the ray
//! leaves a bounded domain at t_b, φ(t d) must be +∞ for t = 1.5 t_b, 2 t_b, 10 t_b (then the
//! quotient is +∞); where it never leaves, φ(t d)/t at t = 10^{j/2}, j = 0..8, must diverge
//! (growth ratio ≥ [`GROWTH_RATIO_MIN`]): linear growth (huber) and logarithmic growth (log1p-sq)
//! fail.

use super::Worst;
use crate::divergence::growth_ratio;
use crate::outcome::Outcome;
use crate::rng::unit_direction;
use crate::sampling::ray_boundary;
use crate::tolerance::GROWTH_RATIO_MIN;
use infconv_theory::Legendre;
use rand_chacha::ChaCha8Rng;

/// Random rays per dimension.
const RAYS: usize = 8;

/// Runs `A4` on φ in dimension m.
pub fn check(phi: &dyn Legendre, m: usize, rng: &mut ChaCha8Rng) -> Outcome {
    let (mut growth, mut finite_outside) = (Worst::smallest(), Worst::largest());
    for _ in 0..RAYS {
        let d = unit_direction(rng, m);
        let tb = ray_boundary(phi, &d);
        if tb.is_finite() {
            for factor in [1.5, 2.0, 10.0] {
                let w = &d * (factor * tb);
                let v = phi.value(&w).unwrap_or(f64::NAN);
                let finite = if v == f64::INFINITY && !phi.contains(&w) { 0.0 } else { 1.0 };
                finite_outside.add(finite, || format!("φ = {v:e} at {factor}× the boundary t = {tb:.3e}"));
            }
        } else {
            let seq: Vec<f64> = (0..=8)
                .map(|j| {
                    let t = 10f64.powf(0.5 * j as f64);
                    phi.value(&(&d * t)).map(|v| v / t).unwrap_or(f64::NAN)
                })
                .collect();
            growth.add(growth_ratio(&seq), || format!("φ(td)/t = {:.3e} at t = 1, {:.3e} at t = 1e4", seq[0], seq[8]));
        }
    }
    let mut parts = Vec::new();
    if growth.cases() > 0 {
        parts.push(growth.part("φ(td)/t growth ratio", GROWTH_RATIO_MIN));
    }
    if finite_outside.cases() > 0 {
        parts.push(finite_outside.part("finite values beyond the bounded domain", 0.0));
    }
    Outcome::from_parts(parts, "")
}
