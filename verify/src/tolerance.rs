//! Every tolerance of the suite, derived and named in one place.
//!
//! Rounding in f64 is ε = 2.2e-16 per operation. The formulas checked here are short chains of
//! well-conditioned operations *away from the boundary of dom φ*; near the boundary their condition
//! number grows like R/dist (R the inradius, dist the distance to the boundary: e.g. 1/(1 − ‖w‖²)
//! for log, sec² for tan). Identities are therefore held to [`IDENTITY_REL`] on the *trusted zone*
//! dist ≥ [`TRUSTED_BOUNDARY_FRACTION`]·R, where the condition is at most 1e3 and the expected
//! error at most ~1e3·64ε ≈ 1.4e-11; closer in, the residuals are measured and reported in the
//! record's note, not judged.

/// f64 machine epsilon.
pub const EPS: f64 = f64::EPSILON;

/// f64 identities (∇φ*∘∇φ = id, ∇φ∘∇φ* = id, closed form vs dual numbers, Fenchel–Young),
/// relative: ~1e3 (condition on the trusted zone) × 64ε (operation count) ≈ 1.4e-11, with a
/// margin of 7× — and five orders of magnitude below any real error of a formula.
pub const IDENTITY_REL: f64 = 1e-10;

/// Points at distance ≥ this fraction of the inradius from the boundary form the trusted zone.
pub const TRUSTED_BOUNDARY_FRACTION: f64 = 1e-3;

/// Central differences, relative. With step hᵢ = ε^{1/3}·|scale of wᵢ| the truncation error
/// h²|φ‴|/6 and the rounding error ε|φ|/h balance near ε^{2/3} ≈ 4e-11 relative for a
/// well-scaled φ; the third derivatives grow like (R/dist)³ towards the boundary, so central
/// differences are only compared at dist ≥ [`CENTRAL_DIFF_BOUNDARY_FRACTION`]·R, where they stay
/// below 1e-8. 1e-6 leaves two orders of margin and still catches any wrong closed form (a
/// planted error of 1e-4 relative is flagged by a factor 100).
pub const CENTRAL_DIFF_REL: f64 = 1e-6;

/// Central differences are compared at points this far (fraction of the inradius) from the boundary.
pub const CENTRAL_DIFF_BOUNDARY_FRACTION: f64 = 0.1;

/// Step of the central differences, relative to the scale of the coordinate: ε^{1/3}.
pub fn central_diff_step() -> f64 {
    EPS.cbrt()
}

/// Convexity inequality φ(w₁) ≥ φ(w₂) + ⟨∇φ(w₂), w₁ − w₂⟩: the gap may be negative by rounding
/// only, at most a few ε of the scale |φ(w₁)| + |φ(w₂)| + |⟨∇φ(w₂), w₁ − w₂⟩|; 64ε bounds it.
pub const CONVEXITY_ROUNDING: f64 = 64.0 * EPS;

/// Strict convexity: on pairs of the trusted zone at least [`STRICT_MIN_SEPARATION`] apart
/// (relative), the gap of a strictly convex φ is ≥ μ‖w₁ − w₂‖²/2 and relative to the scale at
/// least ~1e-5 for every potential here; a function that is affine along the segment (huber
/// along rays beyond 1) has a gap at rounding level (~1e-15). 1e-8 separates the two cleanly.
pub const STRICT_GAP_REL: f64 = 1e-8;

/// Pairs closer than this (relative to the larger norm) are not used for strictness.
pub const STRICT_MIN_SEPARATION: f64 = 0.05;

/// Divergence test for ‖∇φ(wₖ)‖ and φ(wₖ) as wₖ → bdry dom φ (geometric approach, one decade
/// per step) and for φ(t d)/t as t → ∞ (half a decade per step): the last increment must be at
/// least this fraction of the mean increment. Logarithmic divergence has equal increments (ratio
/// 1), faster divergence growing ones (> 1); a sequence with a finite limit has geometrically
/// shrinking increments (ratio ≪ 0.1 after ten decades). See [`crate::divergence`].
pub const GROWTH_RATIO_MIN: f64 = 0.5;

/// Positive definiteness (A3): λ_min(∇²φ) > this × λ_max(∇²φ) on the trusted zone and at 0. The
/// ratio is ≥ 1e-3 for every potential of the paper on the trusted zone (log: (1 − s)/(1 + s)
/// ~ dist/R); a Hessian that is singular in some direction gives ≤ ~1e-16.
pub const HESSIAN_PD_REL: f64 = 1e-10;

/// (A5): φ(0) and ∇φ(0) are exact zeros for every potential that satisfies it (no rounding enters
/// at 0); 1e-14 absolute allows a last-bit difference and nothing else.
pub const A5_ABS: f64 = 1e-14;
