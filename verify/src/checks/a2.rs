//! `A2`: dom φ is open, measured as the paper reads it: φ(wₖ) → ∞ whenever wₖ → bdry dom φ.
//! Along random rays from 0 the boundary is approached one decade at a time (relative distance
//! 1e-1 … 1e-10) and the values must diverge (growth ratio ≥ [`GROWTH_RATIO_MIN`]). A potential
//! that stays bounded at its boundary (a closed domain, like entropy-box) fails. For dom φ = ℝᵐ
//! every ray is checked to stay in the domain and the statement holds.

use super::Worst;
use crate::divergence::{growth_ratio, toward_boundary};
use crate::outcome::{Outcome, Verdict};
use crate::tolerance::GROWTH_RATIO_MIN;
use infconv_theory::Legendre;
use rand_chacha::ChaCha8Rng;

/// Random rays per dimension.
const RAYS: usize = 8;

/// Runs `A2` on φ in dimension m.
pub fn check(phi: &dyn Legendre, m: usize, rng: &mut ChaCha8Rng) -> Outcome {
    let mut growth = Worst::smallest();
    let (rays, unbounded) = toward_boundary(phi, m, RAYS, rng, |w| phi.value(w).unwrap_or(f64::NAN));
    for (tb, seq) in rays {
        growth.add(growth_ratio(&seq), || {
            format!("ray with boundary at t = {tb:.3e}: φ = {:.6e} at 1e-10 from it (φ = {:.6e} at 1e-9)", seq[9], seq[8])
        });
    }
    if growth.cases() == 0 {
        return Outcome {
            verdict: Verdict::Holds,
            cases: unbounded,
            worst: 0.0,
            tol: 0.0,
            note: format!("dom φ = ℝᵐ along all {unbounded} sampled rays: open"),
            lower_bound: false,
        };
    }
    let note = if unbounded > 0 { format!("{unbounded} rays never left dom φ") } else { String::new() };
    Outcome::from_parts(vec![growth.part("φ growth ratio towards the boundary", GROWTH_RATIO_MIN)], &note)
}

