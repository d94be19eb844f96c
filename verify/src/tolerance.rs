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

/// Central differences, relative. The step is chosen per coordinate on a geometric ladder where
/// consecutive estimates agree best ([`crate::checks`]), i.e. near the balance of the truncation
/// error h²|φ‴|/6 and the rounding error ε|φ|/h, which is ~ε^{2/3} ≈ 4e-11 relative for a
/// well-scaled φ. The third derivatives grow like (R/dist)³ towards the boundary, so central
/// differences are only compared at dist ≥ [`CENTRAL_DIFF_BOUNDARY_FRACTION`]·R, where the error
/// stays near 1e-8. 1e-6 leaves two orders of margin and still flags any wrong closed form (a
/// planted relative error of 1e-4 by a factor 100).
pub const CENTRAL_DIFF_REL: f64 = 1e-6;

/// Central differences are compared at points this far (fraction of the inradius) from the boundary.
pub const CENTRAL_DIFF_BOUNDARY_FRACTION: f64 = 0.1;

/// A fixed central-difference step relative to the scale of the point: ε^{1/3}, where truncation
/// (h²) and rounding (ε/h) errors balance for a well-scaled function (used by the prox checks on
/// the oracle's envelope; the potential checks choose their step on a ladder instead).
pub fn central_diff_step() -> f64 {
    EPS.cbrt()
}

/// Convexity inequality φ(w₁) ≥ φ(w₂) + ⟨∇φ(w₂), w₁ − w₂⟩: the gap may be negative by rounding
/// only, at most a few ε of the scale |φ(w₁)| + |φ(w₂)| + |⟨∇φ(w₂), w₁ − w₂⟩|; 64ε bounds it.
pub const CONVEXITY_ROUNDING: f64 = 64.0 * EPS;

/// Strict convexity, measured as strict monotonicity of ∇φ on separated pairs of the trusted zone:
/// ⟨∇φ(w₁) − ∇φ(w₂), w₁ − w₂⟩ / Σᵢ (|∂ᵢφ(w₁)| + |∂ᵢφ(w₂)|)|w₁ᵢ − w₂ᵢ| ∈ [−1, 1]. Rounding moves
/// it by at most mε ≈ 2e-15; a strictly convex φ gives at least μ‖Δ‖²/(2 max|∂φ|·‖Δ‖₁), ~1e-5
/// for every potential here on the trusted zone at [`STRICT_MIN_SEPARATION`]; a φ affine along the
/// segment (huber along a ray beyond 1) gives rounding level. 1e-8 separates the two cleanly.
pub const STRICT_MONOTONE_REL: f64 = 1e-8;

/// Pairs closer than this (relative to the larger norm) are not used for strictness.
pub const STRICT_MIN_SEPARATION: f64 = 0.05;

/// Divergence test for ‖∇φ(wₖ)‖ and φ(wₖ) as wₖ → bdry dom φ (geometric approach, one decade
/// per step) and for φ(t d)/t as t → ∞ (half a decade per step): the last increment must be at
/// least this fraction of the mean increment. Logarithmic divergence has equal increments (ratio
/// 1), faster divergence growing ones (> 1); a sequence with a finite limit has geometrically
/// shrinking increments (ratio ≪ 0.1 after ten decades). See [`crate::divergence`].
pub const GROWTH_RATIO_MIN: f64 = 0.5;

/// Positive definiteness (A3): the smallest eigenvalue of the Jacobi-scaled Hessian
/// D^{−1/2} ∇²φ D^{−1/2} (D its diagonal; unit diagonal, so the figure is scale-free, and a
/// nonpositive diagonal entry is itself the offending figure) must exceed this, on the trusted zone
/// and at 0. It is ≥ ~1e-3 for every potential of the paper there (radial: ~(1 − s)/(1 + s) ~
/// dist/R; separable: 1); a Hessian singular in some direction gives ~1e-16 (the eigensolver's
/// rounding), a zero Hessian 0.
pub const HESSIAN_PD_REL: f64 = 1e-10;

/// (A5): φ(0) and ∇φ(0) are exact zeros for every potential that satisfies it (no rounding enters
/// at 0); 1e-14 absolute allows a last-bit difference and nothing else.
pub const A5_ABS: f64 = 1e-14;

/// `C5.1`: Algorithm 1 must bring r = max(r₅ₐ, r₅ᵦ) (the residuals of (5a) and (5b), both with
/// their factor 1/λ) below this on the small problems (with the exact consensus step it reaches
/// 1e-13 to 1e-9; the margin covers the slow logistic runs).
pub const C51_STATIONARY: f64 = 1e-8;

/// `C5.1`: the corollary's conclusions, measured at an approximate stationary point, must be at
/// most this times its residual r. Derivation: with y = ∇φ̂(ū − z̄ⱼ)/λ, (5a) bounds ‖Σⱼ y‖ by r and
/// (5b) puts z̄ⱼ within r/μ of P fⱼ(ū) (μ the strong monotonicity of the inner problem, ≥ ν + the
/// risk's curvature ≈ 0.05 here), so ‖Σⱼ ∇e fⱼ(ū)‖ ≤ r + M (L_φ̂/λ)(r/μ) ≤ (1 + 8·4/0.05) r ≈ 6.4e2 r;
/// consensus in the dual space obeys the same bound. 1e4 leaves a margin of 15 and is still five
/// orders of magnitude below what a non-stationary point or differing fⱼ produce (O(1)).
pub const C51_FACTOR: f64 = 1e4;

/// `C5.1`, 0 ∈ ∂f̂(ū) for identical fⱼ = f̂: ‖∇f̂(ū)‖ ≤ (1 + 1/M) r + 2 L maxⱼ ‖ū − z̄ⱼ‖. By (5a) and
/// (5b), ‖(1/M) Σⱼ ∇f̂(z̄ⱼ)‖ ≤ (r₅ₐ + M r₅ᵦ)/M ≤ (1 + 1/M) r, and ∇f̂(ū) differs from each ∇f̂(z̄ⱼ) by
/// at most L‖ū − z̄ⱼ‖ (L = ‖∇²f̂‖ on the segment). L is taken at ū by central differences of ∇f̂;
/// over segments of length ≤ 1e-9 here it changes by far less than this factor 2, which covers it
/// and the differences' error (~1e-8 relative). Where ∇φ̂* is Lipschitz at 0 (every potential but
/// cubic), ‖ū − z̄ⱼ‖ ≤ λ‖∇²φ̂*(0)‖ · maxⱼ ‖∇φ̂(ū − z̄ⱼ)‖/λ ≤ λ‖∇²φ̂*(0)‖ K r, so the bound is ∝ r;
/// for cubic the primal distance is what the corollary's consensus gives.
pub const C51_GRADIENT_MARGIN: f64 = 2.0;

// ---- The prox checks (D3.3, L3.4, T4.3-*) and the fast solver's agreement with the oracle ----

/// Fast solver vs oracle, relative to the problem's scale 1 + ‖v‖ + ‖z‖: both end with a Newton
/// (or exact coordinate) refinement whose residual is at the rounding floor, 16ε·‖∇F terms‖;
/// with the inner Hessian's condition at most ~1e4 on the sampled cases the two points agree to
/// ~1e4·16ε ≈ 4e-11. 1e-8 leaves two orders of margin; a solver that stops
/// in the wrong basin is off by O(1).
pub const PROX_AGREEMENT: f64 = 1e-8;

/// D3.3: how far (relative to 1 + |e(v)|) a probe value F(z) may fall below the oracle's e(v)
/// before the bound (10) counts as broken. e(v) is a minimum computed to the rounding floor (its
/// error is second order in the point's error, ~ε|F|); probes evaluate F with ~8 operations:
/// 1e-9 is ~4·10⁶ ε. Above the threshold the probes reach −10⁶ and below within 40 doublings.
pub const D33_BELOW_REL: f64 = 1e-9;

/// T4.3 uniqueness: the spread of the oracle's global minimizers, relative to 1 + ‖z‖. The oracle
/// merges points closer than `oracle::DEDUP_REL` = 1e-6, so any second minimizer is at least
/// that far: a single-valued P has spread 0, a two-valued one ≥ 1e-6.
pub const PROX_UNIQUE_REL: f64 = 1e-6;

/// L3.4: the decades k of the sequence vₖ = v̄ + 10⁻ᵏ·s·d → v̄ (s = min(1 + ‖v̄‖, distance of
/// v̄ − z̄ to bdry dom φ)). From 10⁻² (where the second-order term of the bounds is still small
/// against the first for the sampled cases) to 10⁻⁷ (where L·δₖ ≈ 1e-7 is still four orders above
/// the rounding of e, so the first-order rate, not rounding, is what is judged).
pub const L34_DECADES: std::ops::RangeInclusive<i32> = 2..=7;

/// L3.4 (ii)/(iii): the factor on the first- and second-order bounds of |e(vₖ) − e(v̄)| and
/// dist(zₖ, P(v̄)) (prox_checks::l34). L, ‖∇²φ‖ and ‖DP‖ are taken at v̄ and change by O(δₖ)
/// relative along the segment [v̄, vₖ]; 2 covers that at δₖ ≤ 1e-2·s. A discontinuity of e or a
/// cluster point outside P(v̄) stays O(1) while the bound shrinks like δₖ, so the ratio grows
/// without limit along the sequence.
pub const L34_MARGIN: f64 = 2.0;

/// L3.4 (ii): the rounding of one envelope value of the oracle, relative to 1 + |e(v̄)|: e is a
/// minimum computed to the rounding floor (its error is second order in the minimizer's, ≤ 1e-16
/// relative), evaluated with a few dozen operations: 64ε (as [`KINK_ROUNDING`]); |Δe| involves two.
pub const L34_ENVELOPE_ROUNDING: f64 = 64.0 * EPS;

/// L3.4 (iii): the accuracy of one minimizer of the oracle, relative to 1 + ‖z‖: its Newton (or
/// exact coordinate, or Lagrange–Newton) refinement ends at the rounding floor, and with the inner
/// Hessian's condition at most ~1e4 the point is within ~1e4·16ε ≈ 4e-11 (as
/// [`PROX_AGREEMENT`]); two orders of margin.
pub const L34_POINT_ACCURACY: f64 = PROX_AGREEMENT;

/// Step of the Lipschitz quotient of T4.3 (i), relative to 1 + ‖v̄‖.
pub const LIPSCHITZ_STEP: f64 = 1e-3;

/// T4.3 (i) Lipschitz: ‖P(v₁) − P(v₂)‖/‖v₁ − v₂‖ divided by the implicit-function bound
/// max ‖DP‖ over v̄, v₁, v₂ (the quotient is an average of DP along the segment). DP varies by
/// O(LIPSCHITZ_STEP) relative over the segment, so the ratio is ≤ 1 + O(1e-3); 1.1 is the bar. A
/// two-valued P at v̄ gives a quotient ~‖z₁ − z₂‖/step ≫ 1.
pub const LIPSCHITZ_RATIO_MAX: f64 = 1.1;

/// Formula (12): the oracle's accuracy in the dual, dist(∇φ(v − z)/λ, ∂f(z)) relative to
/// max(‖y‖, 1). The oracle's refinements end at a residual ≤ 16ε·scale (Newton, coordinate case
/// analysis) or ≤ 1e-10·scale (Lagrange–Newton on a manifold); 1e-8 leaves 100× over the latter,
/// while a point that does not solve (12) is off by O(1). In the resolvent's direction,
/// v′ = z + ∇φ*(λŷ), the same accuracy is carried to the primal by λ‖∇²φ*(λŷ)‖ (the derivative of
/// ∇φ* at λŷ), plus [`IDENTITY_REL`] for the rounding of ∇φ*∘∇φ.
pub const FORMULA12_REL: f64 = 1e-8;

/// Formula (12), the residual distinguishes: the relative size of the step ε from a minimizer z
/// to the probe z″ = z + εd (prox_checks::t43_formula12). Large against the oracle's accuracy in
/// z (≤ [`PROX_AGREEMENT`], so the lower bound κε is five orders above what an inexact z could
/// fake), small enough that λ_min(∇²φ) at the two ends bounds it on the segment to within the
/// margin below.
pub const FORMULA12_PERTURBATION: f64 = 1e-3;

/// Formula (12), the residual distinguishes: dist(∇φ(v − z″)/λ, ∂f(z″)) ≥ κε is a theorem
/// (strong monotonicity of ∇φ/λ against the hypomonotonicity −r of ∂f); κ takes λ_min(∇²φ) at the
/// ends of the segment only, which may exceed its minimum along it by O(ε) relative. A factor 2
/// covers that; a residual that does not grow with the distance from P(v) (a measure that is
/// blind off the minimizer) gives ~0.
pub const FORMULA12_DISTINGUISH_MARGIN: f64 = 2.0;

/// `C4.4`: alternating minimization must bring the residuals of (5a)–(5b) below this; (14a) and
/// (14b) are solved to the rounding floor, so it is reached where the scheme converges (in a few
/// dozen outer iterations on most instances, up to ~1,700 where it contracts slowly).
pub const C44_STATIONARY: f64 = 1e-9;

/// `T4.3-local`: step of the one-sided difference quotients of e, relative to 1 + ‖v‖. Small
/// enough that both probes stay on the branches through the minimizers at v (their basins are
/// O(0.1) apart on the sampled cases), large enough that the rounding term of
/// [`KINK_ROUNDING`] (≈ 6e-10) stays far below any kink of e (|⟨g₁ − g₂, d⟩| ≳ 1e-2 at the
/// constructed ties).
pub const KINK_STEP: f64 = 1e-4;

/// `T4.3-local`: a one-sided quotient of a C² branch eᵢ deviates from ⟨∇eᵢ(v), d⟩ by at most
/// (h/2) max ‖∇²eᵢ‖ over [v − hd, v + hd]; the two quotients together by h·max ‖∇²eᵢ‖.
/// ∇²eᵢ is evaluated at v only (∇²φ(v − zᵢ)(I − DPᵢ)/λ) and changes by O(h) relative along the
/// segment, so a factor 2 covers it: B = 2h·M + rounding.
pub const KINK_MARGIN: f64 = 2.0;

/// `T4.3-local`: rounding of one envelope value, relative to 1 + |e(v)|: e is a minimum computed
/// to the rounding floor (its error is second order in the minimizer's), evaluated with a few
/// dozen operations: 64ε. Each quotient involves two values, the kink two quotients: 4·64ε/h.
pub const KINK_ROUNDING: f64 = 64.0 * EPS;

/// `D4.2-(11)`: rounding of the numerator f(z) + ⟨y, z′ − z⟩ − f(z′) of the measured r, relative
/// to |f(z)| + |⟨y, z′ − z⟩| + |f(z′)|: each family value is a short sum (a dozen operations,
/// cosines included, each ≤ a few ε), so 64ε bounds it; divided by ‖z′ − z‖²/2 it is subtracted
/// from each pair's r (at ‖z′ − z‖ = 1e-4 it is ~3e-7 times the scale).
pub const R11_ROUNDING: f64 = 64.0 * EPS;

/// `D4.2-(11)`: measured r / declared weak-convexity modulus may exceed 1 by this. The declared
/// moduli are closed forms (max |a|ω² of the cosines, ρ = −λ_min(H) by an eigensolver to ~1e-15
/// relative, 1/γ of MCP) and the measured r is at most them in exact arithmetic, its rounding
/// removed by [`R11_ROUNDING`]: 1e-9 is a margin for the eigensolver and nothing else. A modulus
/// declared too small by any factor that matters (a half) is off by O(1).
pub const R11_REL: f64 = 1e-9;

/// `L3.4-dom`: points v with |dist(v, M) − ρ| ≤ this fraction of ρ (ρ the radius of dom φ) are
/// not judged. Just inside, the feasible part of M (where v − z ∈ dom φ) is an arc of length
/// ~√(2ρ·band·ρ) that a grid search may miss, and dist(v, M) itself is known to ~1e-9 (the
/// sampling of M); 0.1 keeps the feasible arc at ≥ 0.4ρ, several grid spacings of the oracle.
pub const L34_DOMAIN_BAND: f64 = 0.1;
