//! `T4.3-local`: Theorem 4.3 where it is a *local* statement — λ above μ/r, where the inner
//! problem f(z) + φ(v − z)/λ of the φ-prox (3) is no longer strongly convex and P may be
//! multivalued, but below λ_f (Definition 3.3), where P(v) ≠ ∅ (Lemma 3.4 (i)).
//!
//! **Window.** λ is drawn log-uniformly in [`WINDOW_LO`]·μ*/r … min([`WINDOW_HI`]·μ*/r, λ_f/2),
//! with r the family's weak-convexity modulus (r > 0: f is prox-regular and nonconvex) and μ* the
//! potential's Bregman modulus at ‖w‖ = [`REFERENCE_W`] (`PhiCertificate::bregman_modulus`: μ
//! itself for every potential but the cubic ones, whose μ is 0 or 0.02). Where the window is empty
//! the record is `n/a`: for φ with exactly quadratic growth and an indefinite quadratic f,
//! λ_f ≤ 2λ_max(Q)/ρ while 2μ/r = 4λ_min(Q)/ρ, so the window is empty for cond(Q) ≤ 4 (quad,
//! quad-Q in m ≤ 2).
//!
//! **Cases** per dimension m ∈ {1, 2}: [`SMOOTH_CASES`] at v ~ N(0, 0.5²) for the generated
//! family, and one at v = 0 for the family's *even member* (b = 0, cosine phases 0: f(−z) = f(z);
//! every paper potential is even too, so the inner problem at v = 0 is symmetric and its global
//! minimizers come in pairs ±z*). For a C² even member, λ is raised to at least
//! [`TIE_INSTABILITY`]·λ_max(∇²φ(0))/r₀ (r₀ = −λ_min(∇²f(0)) > 0), so that z = 0 is a saddle of
//! the inner problem and P(0) is a tie by construction.
//!
//! **Classification.** The oracle (`oracle::global`) says (a) P(v) is one point z, or (b) P(v)
//! holds two or more points. The measurement that judges the claim uses only envelope values at
//! perturbed points, from fresh oracle calls there: along a direction d (the unit vector between
//! two tied minimizers, or a random one), with h = [`KINK_STEP`](1 + ‖v‖),
//!
//! D₊ = (e(v + hd) − e(v))/h,  D₋ = (e(v) − e(v − hd))/h,  K = D₋ − D₊.
//!
//! Near v, e = minᵢ eᵢ over the C² branches eᵢ through the minimizers zᵢ, with ∇eᵢ(v) = gᵢ =
//! ∇φ(v − zᵢ)/λ by (13) and ∇²eᵢ = ∇²φ(v − zᵢ)(I − DPᵢ)/λ (differentiating (13); DPᵢ by implicit
//! differentiation, `prox::jacobian`). Taylor's theorem gives D₊ = minᵢ⟨gᵢ, d⟩ + O(hM/2) and
//! D₋ = maxᵢ⟨gᵢ, d⟩ + O(hM/2), M the largest ‖∇²eᵢ‖ over the segment (taken at v and at v ± hd), so
//!
//! |K − J| ≤ B := [`KINK_MARGIN`]·hM + 4·[`KINK_ROUNDING`](1 + |e(v)|)/h,  J = maxᵢ⟨gᵢ, d⟩ − minᵢ⟨gᵢ, d⟩.
//!
//! A single minimizer has J = 0, so K ≤ B (no kink); a tie has J > 0 and e has a kink, K > B.
//! A case is *misclassified* when the measured class (K > B) differs from the oracle's (two or
//! more minimizers), when |K − J| > B (the kink's size disagrees with (13) at the minimizers),
//! or, in class (a), when the inner Hessian λ∇²f(z) + ∇²φ(v − z) is not positive definite,
//! (13) disagrees with central differences of e (> [`CENTRAL_DIFF_REL`]), or DP disagrees with
//! central differences of P (> [`CENTRAL_DIFF_REL`]; skipped where the stencil crosses a
//! breakpoint of a separable f, as in `T4.3-lipschitz`). An empty P(v) (λ ≥ λ_f: the negative
//! control `neg-indef-quad-above`) fits neither class and counts as misclassified.
//!
//! The record holds when no case is misclassified; its note gives the counts, e.g.
//! "4 smooth, 2 ties, 0 misclassified".

use super::t43_gradient13::envelope_differences;
use super::t43_lipschitz::prox_differences;
use super::{Case, Setup, at};
use crate::outcome::{Outcome, Part, Verdict};
use crate::rng;
use crate::tolerance::{CENTRAL_DIFF_REL, HESSIAN_PD_REL, KINK_MARGIN, KINK_ROUNDING, KINK_STEP, central_diff_step};
use infconv_theory::family::registry::{self as families, FamilyHypothesis};
use infconv_theory::family::indefinite_quadratic::IndefiniteQuadratic;
use infconv_theory::family::scalar::{ScalarTerm, Side};
use infconv_theory::family::separable_sum::SeparableFamily;
use infconv_theory::family::smooth_nonconvex::{Cosine, SmoothNonconvex};
use infconv_theory::family::{Family, Structure};
use infconv_theory::linalg::{jacobi_scaled_min_eigen, symmetric_eigen_range};
use infconv_theory::potential::registry;
use infconv_theory::prox::certificate::certificate;
use infconv_theory::prox::envelope_gradient;
use infconv_theory::prox::jacobian::prox_jacobian;
use infconv_theory::prox::oracle::{self, OracleResult};
use infconv_theory::random::SeedGen;
use infconv_theory::{Matrix, TheoryError, Vector};
use rand_chacha::ChaCha8Rng;

/// The check id.
pub const ID: &str = "T4.3-local";

/// Lower end of the λ window, in units of μ*/r: twice the largest λ that the global certificate
/// μ*/λ > r covers.
pub const WINDOW_LO: f64 = 2.0;
/// Upper end of the λ window, in units of μ*/r (and at most λ_f/2).
pub const WINDOW_HI: f64 = 8.0;
/// ‖w‖ at which the Bregman modulus μ* stands in for μ (the scale of v − P(v) on the sampled
/// region; it matters only for the cubic potentials).
pub const REFERENCE_W: f64 = 0.5;
/// λ of a tie case is at least this times λ_max(∇²φ(0))/r₀: then ∇²φ(0)/λ + ∇²f(0) has an
/// eigenvalue ≤ −r₀/2 < 0 and z = 0 is not a minimizer of the symmetric inner problem.
pub const TIE_INSTABILITY: f64 = 2.0;
/// For a potential with a cubic term (‖w‖³: ∇²φ(w) ∝ ‖w‖ is not differentiable at 0) central
/// differences of P are only first-order accurate where the stencil reaches w = 0; DP is not
/// compared there (‖v − P(v)‖ within this many central-difference steps), as at the breakpoints
/// of a separable f.
pub const CUBIC_ORIGIN_STENCILS: f64 = 10.0;
/// Cases at a random v per dimension (the tie case comes on top).
pub const SMOOTH_CASES: usize = 2;

/// The families of `T4.3-local`: every registered family with a weak-convexity modulus r (f + r‖·‖²/2
/// convex: prox-regular everywhere), except the not-prox-regular controls, the threshold control
/// last. Each has r > 0 on its even member by construction ([`even_member`]); a generated
/// instance with r = 0 (convex: no nonconvex regime) gives its random-v cases to the even member.
pub fn local_families() -> Vec<&'static str> {
    super::families()
        .into_iter()
        .filter(|info| info.breaks != Some(FamilyHypothesis::ProxRegular))
        .filter(|info| families::build(info.name, 1, 0).ok().and_then(|f| f.weak_convexity_modulus()).is_some())
        .map(|info| info.name)
        .collect()
}

/// The verdict the catalogue expects, from the declarations:
/// - a prox-regular family with r > 0, where λ_f is infinite: `holds` (Theorem 4.3 (i), (ii) at
///   every v where P is single-valued with a nondegenerate minimizer; a kink at a tie);
/// - where λ_f is finite ([`super::finite_threshold`]: φ grows exactly quadratically and f
///   decreases quadratically): the window [2μ/r, λ_f/2] is empty (module doc): `n/a`;
/// - the control `neg-indef-quad-above` (λ above λ_f): where λ_f is finite, P(v) = ∅ at every
///   case, neither class: `violated`; where λ_f = ∞ there is no λ above it: `n/a`.
pub fn expected(potential: &str, family_name: &str) -> Verdict {
    let above = families::info(family_name).ok().and_then(|f| f.breaks) == Some(FamilyHypothesis::BelowThreshold);
    match (above, super::finite_threshold(potential, family_name)) {
        (true, true) => Verdict::Violated,
        (_, true) | (true, false) => Verdict::NotApplicable,
        (false, false) => Verdict::Holds,
    }
}

/// The λ window of a setup ([`WINDOW_LO`], [`WINDOW_HI`]), or None where it is empty or f has
/// no modulus r > 0.
pub fn window(setup: &Setup) -> Option<(f64, f64)> {
    let r = setup.f.weak_convexity_modulus().filter(|r| *r > 0.0)?;
    let m = setup.f.dim();
    let mu = setup.cert.bregman_modulus(&(Vector::from_element(m, 1.0).normalize() * REFERENCE_W));
    let lo = WINDOW_LO * mu / r;
    let hi = (WINDOW_HI * mu / r).min(0.5 * setup.threshold());
    (mu > 0.0 && lo < hi).then_some((lo, hi))
}

/// The even member of a family: the same formula with b = 0 and cosine phases 0, so f(−z) = f(z).
/// For smooth-nonconvex it is ½·0.3‖z‖² + Σₖ aₖ cos⟨ωₖ, z⟩ with aₖ ∈ [0.6, 1], ‖ωₖ‖ ∈ [1, 1.4]
/// (∇²f(0) = 0.3I − Σₖ aₖωₖωₖᵀ has a negative eigenvalue); for the indefinite quadratics ½zᵀHz
/// with the generated H; for the separable families the generated coordinates with bᵢ = cᵢ = 0.
pub fn even_member(family_name: &str, m: usize, seed: u64) -> Result<Box<dyn Family>, TheoryError> {
    let info = families::info(family_name)?;
    let mut g = SeedGen::new(seed, info.name);
    match info.name {
        "smooth-nonconvex" => {
            let cosines = (0..2).map(|_| Cosine { a: g.uniform(0.6, 1.0), omega: g.direction(m) * g.uniform(1.0, 1.4), c: 0.0 }).collect();
            Ok(Box::new(SmoothNonconvex::new(Matrix::identity(m, m) * 0.3, Vector::zeros(m), cosines)?))
        }
        "indefinite-quadratic" | "neg-indef-quad-above" => {
            let q = IndefiniteQuadratic::generate(info.name, m, &mut g);
            Ok(Box::new(IndefiniteQuadratic::new(info.name, q.h().clone(), Vector::zeros(m))?))
        }
        _ => {
            let f = families::build(info.name, m, seed)?;
            let Structure::Separable(terms) = f.structure() else {
                return Err(TheoryError::InvalidParameter { name: "family", value: info.name.into(), expected: "a family with an even member" });
            };
            let terms = terms
                .iter()
                .map(|t| {
                    // A cosine bump at 0 with curvature aω² ≥ h + ½: the coordinate is nonconvex.
                    let a = if t.a != 0.0 && t.omega != 0.0 { t.a.abs().max((t.h + 0.5) / (t.omega * t.omega)) } else { 0.0 };
                    ScalarTerm { b: 0.0, c: 0.0, a, ..t.clone() }
                })
                .collect();
            Ok(Box::new(SeparableFamily::new(info.name, terms)?))
        }
    }
}

/// The smallest λ that makes z = 0 a non-minimizer of the even member's inner problem at v = 0
/// ([`TIE_INSTABILITY`]), where r₀ = −λ_min(∇²f(0)) > 0 (for a separable f: the largest −fᵢ″(0)
/// over the coordinates without a kink); None otherwise.
fn tie_lambda(setup: &Setup) -> Option<f64> {
    let m = setup.f.dim();
    let r0 = match setup.f.structure() {
        Structure::Smooth => -symmetric_eigen_range(&setup.f.hessian(&Vector::zeros(m))?.ok()?).0,
        // A coordinate without a kink and with f₁″(0) < 0 makes z = 0 a saddle.
        Structure::Separable(terms) => terms.iter().filter(|t| !t.has_kink()).map(|t| -t.second(0.0, Side::Right)).fold(f64::NEG_INFINITY, f64::max),
        Structure::Ellipsoid(_) => return None,
    };
    let hphi = setup.phi.hessian(&Vector::zeros(m)).ok()?;
    (r0 > 0.0).then(|| TIE_INSTABILITY * symmetric_eigen_range(&hphi).1 / r0)
}

/// What one case measured (module doc).
#[derive(Debug, Clone)]
pub struct Measured {
    /// The oracle's claim: two or more global minimizers.
    pub oracle_tie: bool,
    /// K = D₋ − D₊, the measured kink of e along d.
    pub kink: f64,
    /// J, the kink predicted by (13) at the oracle's minimizers.
    pub predicted: f64,
    /// B, the bound on |K − J| (and on K where e is C²).
    pub bound: f64,
    /// Class (a): (13) against central differences of e (relative).
    pub gradient13: Option<f64>,
    /// Class (a): DP against central differences of P (relative; None where the stencil crosses
    /// a breakpoint of a separable f).
    pub jacobian: Option<f64>,
    /// Class (a): the Jacobi-scaled smallest eigenvalue of the inner Hessian at z.
    pub hessian: Option<f64>,
}

impl Measured {
    /// Whether the envelope values show a kink (K > B).
    pub fn measured_tie(&self) -> bool {
        self.kink > self.bound
    }

    /// Why the case is misclassified, if it is (module doc).
    pub fn misclassified(&self) -> Option<String> {
        if self.measured_tie() != self.oracle_tie {
            let (said, seen) = if self.oracle_tie { ("a tie", "no kink") } else { ("one point", "a kink") };
            return Some(format!("the oracle says {said}, e shows {seen}: K = {:.3e}, B = {:.3e}", self.kink, self.bound));
        }
        if !((self.kink - self.predicted).abs() <= self.bound) {
            return Some(format!("kink K = {:.3e} vs (13)'s J = {:.3e} beyond B = {:.3e}", self.kink, self.predicted, self.bound));
        }
        if !self.oracle_tie {
            if let Some(h) = self.hessian.filter(|h| !(*h > HESSIAN_PD_REL)) {
                return Some(format!("inner Hessian not positive definite (scaled λ_min = {h:.3e})"));
            }
            if let Some(g) = self.gradient13.filter(|g| !(*g <= CENTRAL_DIFF_REL)) {
                return Some(format!("(13) vs central differences of e: {g:.3e}"));
            }
            if let Some(j) = self.jacobian.filter(|j| !(*j <= CENTRAL_DIFF_REL)) {
                return Some(format!("DP vs central differences of P: {j:.3e}"));
            }
        }
        None
    }
}

/// The Jacobi-scaled smallest eigenvalue of the inner Hessian λ∇²f(z) + ∇²φ(v − z) (restricted to
/// the coordinates off a kink of a separable f, which P keeps fixed).
fn inner_hessian(setup: &Setup, lambda: f64, v: &Vector, z: &Vector) -> Result<f64, TheoryError> {
    let hphi = setup.phi.hessian(&(v - z))?;
    let h = match setup.f.structure() {
        Structure::Smooth => {
            let hf = setup.f.hessian(z).ok_or(TheoryError::InvalidParameter { name: "family", value: setup.f.name(), expected: "a Hessian" })??;
            hf * lambda + hphi
        }
        Structure::Separable(terms) => {
            let free: Vec<usize> = (0..z.len()).filter(|&i| !(terms[i].has_kink() && z[i] == 0.0)).collect();
            if free.is_empty() {
                return Ok(1.0);
            }
            Matrix::from_fn(free.len(), free.len(), |r, c| {
                hphi[(free[r], free[c])] + if r == c { lambda * terms[free[r]].second(z[free[r]], Side::Right) } else { 0.0 }
            })
        }
        Structure::Ellipsoid(_) => return Err(TheoryError::InvalidParameter { name: "family", value: setup.f.name(), expected: "a family with r > 0" }),
    };
    Ok(jacobi_scaled_min_eigen(&h))
}

/// Measures one case against the oracle's answer `o` at v (module doc). `d` is the direction of
/// the one-sided quotients when the answer has a single minimizer; for a tie it is the unit
/// vector from the second minimizer to the first. Envelope values at v ± hd come from fresh
/// oracle calls, not from `o`.
pub fn classify(setup: &Setup, lambda: f64, v: &Vector, o: &OracleResult, d: &Vector) -> Result<Measured, String> {
    let (phi, f) = (setup.phi.as_ref(), setup.f.as_ref());
    let first = o.minimizers.first().ok_or("the oracle returned no minimizer")?;
    let oracle_tie = o.minimizers.len() >= 2;
    let d = match o.minimizers.get(1) {
        Some(second) => (first - second).normalize(),
        None => d.normalize(),
    };
    let h = KINK_STEP * (1.0 + v.norm());
    let (vp, vm) = (v + &d * h, v - &d * h);
    let at = |x: &Vector| oracle::global(phi, f, lambda, x).map_err(|e| format!("oracle at v ± hd: {e}"));
    let (op, om) = (at(&vp)?, at(&vm)?);
    let (dp, dm) = ((op.envelope - o.envelope) / h, (o.envelope - om.envelope) / h);
    let kink = dm - dp;
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for z in &o.minimizers {
        let g = envelope_gradient(phi, lambda, v, z).map_err(|e| e.to_string())?;
        lo = lo.min(g.dot(&d));
        hi = hi.max(g.dot(&d));
    }
    // M: the largest ‖∇²eᵢ‖ at the middle and both ends of the segment (where ∇²φ is not
    // differentiable at w = 0, as for the cubic potentials, ∇²eᵢ(v) alone can be 0).
    let mut curvature = 0.0f64;
    for (x, r) in [(v, o), (&vp, &op), (&vm, &om)] {
        for z in &r.minimizers {
            let jac = prox_jacobian(phi, f, lambda, x, z).map_err(|e| format!("implicit differentiation: {e}"))?;
            let hess_e = phi.hessian(&(x - z)).map_err(|e| e.to_string())? * (Matrix::identity(x.len(), x.len()) - jac) / lambda;
            curvature = curvature.max(hess_e.norm());
        }
    }
    let bound = KINK_MARGIN * h * curvature + 4.0 * KINK_ROUNDING * (1.0 + o.envelope.abs()) / h;
    let mut m = Measured { oracle_tie, kink, predicted: hi - lo, bound, gradient13: None, jacobian: None, hessian: None };
    if !oracle_tie {
        let fd = envelope_differences(setup, lambda, v, o).ok_or("central differences of e: the continuation failed")?;
        let g = envelope_gradient(phi, lambda, v, first).map_err(|e| e.to_string())?;
        m.gradient13 = Some((&g - &fd).norm() / g.norm().max(1.0));
        let dp_implicit = prox_jacobian(phi, f, lambda, v, first).map_err(|e| e.to_string())?;
        let near_cubic_origin = setup.cert.cubic_curvature > 0.0 && (v - first).norm() <= CUBIC_ORIGIN_STENCILS * central_diff_step() * (1.0 + v.norm());
        m.jacobian = match prox_differences(setup, lambda, v, o) {
            _ if near_cubic_origin => None,
            Some(Some(fd)) => Some((&dp_implicit - &fd).norm() / dp_implicit.norm().max(1.0)),
            Some(None) => None,
            None => return Err("central differences of P: the continuation failed".into()),
        };
        m.hessian = Some(inner_hessian(setup, lambda, v, first).map_err(|e| e.to_string())?);
    }
    Ok(m)
}

/// The counts of one record.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Class (a), confirmed.
    pub smooth: usize,
    /// Class (b), confirmed.
    pub ties: usize,
    /// Misclassified (including P(v) = ∅ and failed measurements).
    pub misclassified: usize,
}

/// The cases of one dimension: (case, setup index) with setup 0 the generated family and 1 the
/// even member; empty where neither has a window (or, for the control, λ_f is infinite).
fn plan(generated: &Setup, even: &Setup, above: bool, rng: &mut ChaCha8Rng) -> Vec<(Case, usize)> {
    let m = generated.f.dim();
    let mut out = Vec::new();
    if above {
        // The control: λ above λ_f (finite), where P(v) = ∅.
        let lf = generated.threshold();
        if lf.is_finite() {
            for _ in 0..SMOOTH_CASES {
                out.push((Case { lambda: lf * rng::uniform(rng, 1.5, 3.0), v: Vector::from_fn(m, |_, _| 0.5 * rng::normal(rng)) }, 0));
            }
            out.push((Case { lambda: even.threshold() * rng::uniform(rng, 1.5, 3.0), v: Vector::zeros(m) }, 1));
        }
        return out;
    }
    // Random v on the generated family (its even member where the generated one has r = 0).
    let smooth_on = if window(generated).is_some() { 0 } else { 1 };
    let setups = [generated, even];
    if let Some((lo, hi)) = window(setups[smooth_on]) {
        for _ in 0..SMOOTH_CASES {
            let lambda = rng::log_uniform(rng, lo, hi);
            out.push((Case { lambda, v: Vector::from_fn(m, |_, _| 0.5 * rng::normal(rng)) }, smooth_on));
        }
    }
    if let Some((lo, hi)) = window(even) {
        let lambda = rng::log_uniform(rng, lo, hi).max(tie_lambda(even).unwrap_or(0.0));
        if lambda < 0.5 * even.threshold() {
            out.push((Case { lambda, v: Vector::zeros(m) }, 1));
        }
    }
    out
}

/// Runs `T4.3-local` on one (potential, family) pair in m = 1 and 2, returning the outcome and
/// the class counts.
pub fn run(potential: &str, family_name: &str, seed: u64) -> (Outcome, Counts) {
    let above = families::info(family_name).ok().and_then(|f| f.breaks) == Some(FamilyHypothesis::BelowThreshold);
    let mut counts = Counts::default();
    let (mut worst13, mut worst_dp, mut worst_kink) = (super::Tracked::default(), super::Tracked::default(), super::Tracked::default());
    let mut last_bad = String::new();
    let mut cases = 0usize;
    let mut skipped = 0usize;
    let mut weakest_kink = f64::INFINITY;
    for m in [1usize, 2] {
        let mut rng = rng::stream(seed, &[ID, potential, family_name, &m.to_string()]);
        let fam_seed = seed ^ (m as u64).wrapping_mul(0x9E37_79B9);
        let setups = (|| -> Result<(Setup, Setup), TheoryError> {
            let generated = Setup::new(potential, family_name, m, fam_seed)?;
            let phi = registry::build(potential, m)?;
            let cert = certificate(phi.as_ref(), m)?;
            let even = Setup { phi, f: even_member(family_name, m, fam_seed)?, cert };
            Ok((generated, even))
        })();
        let (generated, even) = match setups {
            Ok(s) => s,
            Err(e) => {
                counts.misclassified += 1;
                last_bad = format!("m = {m}: {e}");
                continue;
            }
        };
        let setups = [&generated, &even];
        for (c, which) in plan(&generated, &even, above, &mut rng) {
            cases += 1;
            let setup = setups[which];
            let d = rng::unit_direction(&mut rng, m);
            let measured = oracle::global(setup.phi.as_ref(), setup.f.as_ref(), c.lambda, &c.v)
                .map_err(|e| format!("P(v) = ∅, neither class: {e}"))
                .and_then(|o| classify(setup, c.lambda, &c.v, &o, &d));
            match measured {
                Ok(ms) => {
                    if let Some(why) = ms.misclassified() {
                        counts.misclassified += 1;
                        last_bad = format!("m = {m}, {}: {why}", at(&c));
                    } else if ms.oracle_tie {
                        counts.ties += 1;
                        weakest_kink = weakest_kink.min(ms.kink / ms.bound);
                    } else {
                        counts.smooth += 1;
                    }
                    if let Some(g) = ms.gradient13 {
                        worst13.see(g, || format!("m = {m}, {}", at(&c)));
                    }
                    match ms.jacobian {
                        Some(j) => worst_dp.see(j, || format!("m = {m}, {}", at(&c))),
                        None if !ms.oracle_tie => skipped += 1,
                        None => {}
                    }
                    let r = if ms.bound > 0.0 { (ms.kink - ms.predicted).abs() / ms.bound } else { f64::INFINITY };
                    worst_kink.see(r, || format!("m = {m}, {} (K = {:.3e}, J = {:.3e})", at(&c), ms.kink, ms.predicted));
                }
                Err(e) => {
                    counts.misclassified += 1;
                    last_bad = format!("m = {m}, {}: {e}", at(&c));
                }
            }
        }
    }
    if cases == 0 {
        let why = if above {
            "λ_f = ∞ for this potential: no λ above it"
        } else {
            "the window [2μ*/r, min(8μ*/r, λ_f/2)] is empty: no λ where the inner problem is nonconvex below λ_f"
        };
        return (super::not_applicable(why), counts);
    }
    let mut summary = format!("{} smooth, {} ties, {} misclassified", counts.smooth, counts.ties, counts.misclassified);
    if weakest_kink.is_finite() {
        summary.push_str(&format!(" (the weakest kink of a tie is K = {weakest_kink:.3e}·B)"));
    }
    let parts = vec![
        Part::upper("misclassified cases (count)", counts.misclassified as f64, 0.0, cases, last_bad),
        worst_kink.upper("|K − J| / B (one-sided quotients of e vs (13))", 1.0, cases),
        worst13.upper("class (a): (13) vs central differences of e", CENTRAL_DIFF_REL, counts.smooth),
        worst_dp.upper("class (a): DP vs central differences of P", CENTRAL_DIFF_REL, counts.smooth),
    ];
    let extra = format!("{summary}; DP comparison skipped at {skipped} class-(a) cases (stencil across a breakpoint of f, or w = 0 of a cubic φ)");
    (Outcome::from_parts(parts, &extra), counts)
}

/// The record of `T4.3-local` on one (potential, family) pair.
pub fn record(potential: &str, family_name: &str, seed: u64) -> crate::record::Record {
    let (o, _) = run(potential, family_name, seed);
    crate::record::Record::new(ID, potential, Some(family_name), expected(potential, family_name), seed, o)
}
