//! The prox checks of the catalogue: `D3.3`, `L3.4`, `T4.3-lipschitz`, `T4.3-formula12`,
//! `T4.3-gradient13` (docs/checks.md), applied to (potential × family) with cases (λ, v) drawn
//! from a seeded stream, each measured against the global oracle of `infconv_theory::prox`.
//!
//! Case plan ([`cases`]): λ is drawn log-uniformly in [0.1, 1]·λ_max with
//! λ_max = ½ min(λ_f, μ/r, 1) — the "λ sufficiently small" of Theorem 4.3 made concrete: below
//! μ/r the inner objective is strongly convex (`prox::strongly_convex`). For cubic (μ = 0) and the
//! indicators (no r) λ_max = ½ min(λ_f, 1)·0.1 resp. ½. v is drawn N(0, 0.5²) per coordinate, near
//! the manifold for the indicators; the `neg-` controls are taken at v = 0, and
//! `neg-indef-quad-above` with λ ∈ [1.5, 3]·λ_f.

pub mod d33;
pub mod l34;
pub mod l34_domain;
pub mod sweep;
pub mod t43_formula12;
pub mod t43_gradient13;
pub mod t43_lipschitz;
pub mod t43_local;

pub use sweep::sweep_lambda;

use crate::outcome::{Outcome, Part, Verdict};
use crate::record::Record;
use crate::rng;
use crate::selection::Selection;
use infconv_theory::family::registry::{Decrease, FamilyHypothesis, FamilyInfo};
use infconv_theory::family::{self, Family, Structure};
use infconv_theory::potential::{Legendre, registry};
use infconv_theory::prox::certificate::{Growth, PhiCertificate, certificate};
use infconv_theory::prox::oracle::{self, OracleResult};
use infconv_theory::{TheoryError, Vector};

/// One case: λ and v.
#[derive(Debug, Clone)]
pub struct Case {
    /// λ > 0.
    pub lambda: f64,
    /// The point v.
    pub v: Vector,
}

/// A potential and a family in one dimension, with the potential's certificate.
pub struct Setup {
    /// φ.
    pub phi: Box<dyn Legendre>,
    /// f.
    pub f: Box<dyn Family>,
    /// φ's certificate.
    pub cert: PhiCertificate,
}

impl Setup {
    /// Builds φ (registry name) and f (family name, seed) in dimension m.
    pub fn new(potential: &str, family_name: &str, m: usize, seed: u64) -> Result<Setup, TheoryError> {
        let phi = registry::build(potential, m)?;
        let f = family::registry::build(family_name, m, seed)?;
        let cert = certificate(phi.as_ref(), m)?;
        Ok(Setup { phi, f, cert })
    }

    /// λ_f(φ) of the family.
    pub fn threshold(&self) -> f64 {
        self.f.threshold(&self.cert)
    }

    /// min(λ_f, μ_φ/r, 1): below it the inner objective f(z) + φ(v − z)/λ of (3) is
    /// φ-prox-bounded and, where f has a weak-convexity modulus r > 0 and φ a modulus μ_φ > 0
    /// (∇²φ ⪰ μ_φI), strongly convex (f + r‖·‖²/2 is convex and μ_φ/λ > r). The term μ_φ/r is
    /// left out where r = 0 or μ_φ = 0. The positive cases of the prox checks and of C4.4 take
    /// their λ below it.
    pub fn convex_inner_cap(&self) -> f64 {
        let r = self.f.weak_convexity_modulus().unwrap_or(0.0);
        let mu = self.cert.mu;
        self.threshold().min(if r > 0.0 && mu > 0.0 { mu / r } else { f64::INFINITY }).min(1.0)
    }
}

/// Where a measurement takes P(v) and e(v) (and the local minima it continues from) at a case:
/// the global oracle for `infconv verify`; a test hands an evaluator with a planted defect.
pub type Prox<'a> = dyn Fn(&Setup, &Case) -> Result<OracleResult, TheoryError> + 'a;

/// P(v) and e(v) by the global oracle: the evaluator the checks use.
pub fn global_prox(setup: &Setup, c: &Case) -> Result<OracleResult, TheoryError> {
    oracle::global(setup.phi.as_ref(), setup.f.as_ref(), c.lambda, &c.v)
}

/// The ids of the prox checks.
pub fn check_ids() -> Vec<&'static str> {
    crate::catalogue::PROX_CHECKS.iter().map(|c| c.id).collect()
}

/// The families the prox checks know.
pub fn known_families() -> Vec<&'static str> {
    family::registry::known_names()
}

/// The families the records cover: the prox-regular ones, then the controls, in registry order.
pub fn families() -> Vec<&'static FamilyInfo> {
    let all = family::registry::all();
    all.iter().filter(|f| !f.control()).chain(all.iter().filter(|f| f.control())).collect()
}

/// The prox-regular families (no declared broken hypothesis).
pub fn prox_regular_families() -> Vec<&'static str> {
    families().into_iter().filter(|f| !f.control()).map(|f| f.name).collect()
}

/// Whether λ_f(φ) of the family is finite: φ grows exactly quadratically (its certificate) and
/// f decreases quadratically (its declaration); see `family::indefinite_quadratic`.
pub fn finite_threshold(potential: &str, family_name: &str) -> bool {
    let quadratic_growth = registry::build(potential, 1)
        .and_then(|phi| certificate(phi.as_ref(), 1))
        .is_ok_and(|c| matches!(c.growth, Growth::Quadratic(_)));
    let quadratic_decrease = family::registry::info(family_name).is_ok_and(|f| f.decrease == Decrease::Quadratic);
    quadratic_growth && quadratic_decrease
}

/// The verdict the catalogue expects, derived from what the family declares
/// (`FamilyInfo::breaks`) and the potential's growth:
///
/// - a family that breaks nothing, with λ in the sampled range below λ_f: Definition 3.3 holds by
///   the threshold certificate, Lemma 3.4 by φ-prox-boundedness, and Theorem 4.3 (i), (12), (13)
///   because f is prox-regular at P(v) and λ is "sufficiently small" (μ/λ > r makes the inner
///   problem strongly convex): all `holds`. Cubic violates (A3) only at w = 0; the cases have
///   v − P(v) ≠ 0, where the Bregman modulus (k/2)‖w‖ > 0 plays μ's role, so it holds too.
/// - a family that is not prox-regular at the probed point (−|z|, −‖z‖₁ at v = 0): f is proper lsc
///   and φ-prox-bounded (λ_f = ∞, linear decrease), so D3.3 and L3.4 hold; but P(0) = {±z*} is
///   two-valued, e has a kink at 0, (I + ∇φ*∘λ∂f)⁻¹(0) is two points: `T4.3-lipschitz`,
///   `T4.3-formula12`, `T4.3-gradient13` are `violated`.
/// - a family checked above its threshold: where λ_f is finite ([`finite_threshold`]) and λ
///   exceeds it, (10) fails (`D3.3` violated) and P(v) = ∅ (`L3.4` (i) violated); Theorem 4.3
///   needs λ < λ_f (`n/a`). Where λ_f = ∞, "above the threshold" does not exist: every check is
///   `n/a`.
pub fn expected(check: &str, potential: &str, family_name: &str) -> Verdict {
    use Verdict::{Holds, NotApplicable, Violated};
    let breaks = family::registry::info(family_name).ok().and_then(|f| f.breaks);
    let lemma_level = matches!(check, "D3.3" | "L3.4");
    match breaks {
        None => Holds,
        Some(FamilyHypothesis::ProxRegular) => {
            if lemma_level {
                Holds
            } else {
                Violated
            }
        }
        Some(FamilyHypothesis::BelowThreshold) => {
            if !finite_threshold(potential, family_name) {
                NotApplicable
            } else if lemma_level {
                Violated
            } else {
                NotApplicable
            }
        }
    }
}

/// The cases of one record in dimension m (see the module doc).
pub fn cases(setup: &Setup, family_name: &str, n: usize, rng: &mut rand_chacha::ChaCha8Rng) -> Vec<Case> {
    let m = setup.f.dim();
    let breaks = family::registry::info(family_name).ok().and_then(|f| f.breaks);
    let above = breaks == Some(FamilyHypothesis::BelowThreshold);
    let lf = setup.threshold();
    let indicator = matches!(setup.f.structure(), Structure::Ellipsoid(_));
    let lambda_max = if above {
        f64::NAN
    } else if indicator || setup.cert.mu > 0.0 {
        0.5 * setup.convex_inner_cap()
    } else {
        0.05 * setup.convex_inner_cap()
    };
    (0..n)
        .map(|_| {
            let lambda = if above {
                lf * rng::uniform(rng, 1.5, 3.0)
            } else {
                rng::log_uniform(rng, 0.1 * lambda_max, lambda_max)
            };
            // A family that is not prox-regular is probed at its kink, 0.
            let v = match breaks {
                Some(FamilyHypothesis::ProxRegular) => Vector::zeros(m),
                _ if indicator => {
                    if let Structure::Ellipsoid(d) = setup.f.structure() {
                        let u = rng::unit_direction(rng, m);
                        let on = infconv_theory::prox::manifold::normalize(d, &u);
                        let reach = 0.25 * setup.cert.outer_radius.min(1.0) / (m as f64).sqrt().max(1.0);
                        let nrm = Vector::from_iterator(m, on.iter().zip(d).map(|(x, di)| di * x)).normalize();
                        &on + nrm * rng::uniform(rng, -reach, reach)
                    } else {
                        unreachable!()
                    }
                }
                _ => Vector::from_fn(m, |_, _| 0.5 * rng::normal(rng)),
            };
            Case { lambda, v }
        })
        .collect()
}

/// Dimensions of the records: 1 and 2 (the oracle is exact and fast there), or the family's only
/// dimension.
fn dims(family_name: &str) -> Vec<usize> {
    match family::registry::info(family_name).ok().and_then(|f| f.fixed_dim) {
        Some(m) => vec![m],
        None => vec![1, 2],
    }
}

/// Cases per dimension of a record.
pub const CASES_PER_DIM: usize = 3;

/// The default (potential × family) pairs: every potential the prox checks apply to
/// ([`crate::catalogue::prox_potentials`]) × every family.
pub fn default_pairs() -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    for p in crate::catalogue::prox_potentials() {
        for f in families() {
            out.push((p, f.name));
        }
    }
    out
}

/// Runs one check on one (potential, family) pair over the dimensions of the plan.
pub fn run_check(check: &str, potential: &str, family_name: &str, seed: u64) -> Outcome {
    let mut per_dim = Vec::new();
    for m in dims(family_name) {
        let mut rng = rng::stream(seed, &[check, potential, family_name, &m.to_string()]);
        let fam_seed = seed ^ (m as u64).wrapping_mul(0x9E37_79B9);
        let setup = match Setup::new(potential, family_name, m, fam_seed) {
            Ok(s) => s,
            Err(e) => {
                per_dim.push((format!("m = {m}"), Outcome { verdict: Verdict::NotApplicable, cases: 0, worst: 0.0, tol: 0.0, note: e.to_string(), lower_bound: false }));
                continue;
            }
        };
        let above = family::registry::info(family_name).ok().and_then(|f| f.breaks) == Some(FamilyHypothesis::BelowThreshold);
        if above && !setup.threshold().is_finite() {
            per_dim.push((
                format!("m = {m}"),
                Outcome { verdict: Verdict::NotApplicable, cases: 0, worst: 0.0, tol: 0.0, note: "λ_f = ∞ for this potential: no λ above it".into(), lower_bound: false },
            ));
            continue;
        }
        let cs = cases(&setup, family_name, CASES_PER_DIM, &mut rng);
        let o = measure(check, &setup, &cs, &mut rng);
        per_dim.push((format!("m = {m}"), o));
    }
    Outcome::merge(per_dim)
}

/// Dispatches to the check's file.
pub fn measure(check: &str, setup: &Setup, cases: &[Case], rng: &mut rand_chacha::ChaCha8Rng) -> Outcome {
    match check {
        "D3.3" => d33::measure(setup, cases, rng),
        "L3.4" => l34::measure(setup, cases, rng),
        "T4.3-lipschitz" => t43_lipschitz::measure(setup, cases, rng),
        "T4.3-formula12" => t43_formula12::measure(setup, cases, rng),
        "T4.3-gradient13" => t43_gradient13::measure(setup, cases),
        other => Outcome { verdict: Verdict::NotApplicable, cases: 0, worst: 0.0, tol: 0.0, note: format!("unknown check {other}"), lower_bound: false },
    }
}

/// The (check, potential, family) triples of the prox checks that `sel` selects, in report order.
pub fn selected(sel: &Selection) -> Vec<(&'static str, &'static str, &'static str)> {
    let mut out = Vec::new();
    for id in check_ids().into_iter().filter(|id| sel.wants_check(id)) {
        for (p, f) in default_pairs() {
            if sel.wants_potential(p) && sel.wants_family(Some(f)) {
                out.push((id, p, f));
            }
        }
    }
    out
}

/// The record of one prox check on one (potential, family) pair, with its expected verdict.
pub fn record(id: &str, potential: &str, family_name: &str, seed: u64) -> Record {
    let o = run_check(id, potential, family_name, seed);
    Record::new(id, potential, Some(family_name), expected(id, potential, family_name), seed, o)
}

/// The records of the prox checks for `infconv verify` (filtered by `sel`).
pub fn records(sel: &Selection, seed: u64) -> Vec<Record> {
    selected(sel).into_iter().map(|(id, p, f)| record(id, p, f, seed)).collect()
}

/// T4.3 presupposes λ < λ_f: a case above it is outside the hypothesis.
pub(crate) fn below_threshold(setup: &Setup, c: &Case) -> bool {
    c.lambda < setup.threshold()
}

/// The outcome of a check whose every case was outside its hypothesis.
pub(crate) fn not_applicable(why: &str) -> Outcome {
    Outcome { verdict: Verdict::NotApplicable, cases: 0, worst: 0.0, tol: 0.0, note: why.into(), lower_bound: false }
}

/// Formats a case for the notes.
pub(crate) fn at(c: &Case) -> String {
    let v: Vec<String> = c.v.iter().map(|x| format!("{x:.3}")).collect();
    format!("λ = {:.3e}, v = [{}]", c.lambda, v.join(", "))
}

/// The worst figure of one component over the cases, and the case where it was seen (the later
/// case on ties; NaN is never worst here: a NaN comes as a solver failure).
#[derive(Debug, Default)]
pub(crate) struct Tracked {
    worst: f64,
    at: String,
    seen: usize,
}

impl Tracked {
    /// Sees one figure.
    pub(crate) fn see(&mut self, r: f64, at: impl FnOnce() -> String) {
        self.seen += 1;
        if r >= self.worst {
            self.worst = r;
            self.at = at();
        }
    }

    /// The component as an upper-bound part over `cases` cases; a component that saw no figure
    /// (every case skipped or failed before it) is a part of 0 cases, reported as not measured.
    pub(crate) fn upper(self, name: &'static str, tol: f64, cases: usize) -> Part {
        Part::upper(name, self.worst, tol, if self.seen == 0 { 0 } else { cases }, self.at)
    }
}

/// Calls that failed (the oracle, a derivative, a continuation): a count held to 0, with the
/// last failure.
#[derive(Debug, Default)]
pub(crate) struct Failures {
    count: usize,
    last: String,
}

impl Failures {
    /// Counts one failure at case `c`.
    pub(crate) fn add(&mut self, c: &Case, why: impl std::fmt::Display) {
        self.count += 1;
        self.last = format!("{}: {why}", at(c));
    }

    /// The oracle's answer at case `c`, or None after counting the failure.
    pub(crate) fn oracle(&mut self, setup: &Setup, c: &Case) -> Option<OracleResult> {
        self.answer(&global_prox, setup, c)
    }

    /// The answer of `prox` at case `c`, or None after counting the failure.
    pub(crate) fn answer(&mut self, prox: &Prox<'_>, setup: &Setup, c: &Case) -> Option<OracleResult> {
        prox(setup, c).map_err(|e| self.add(c, e)).ok()
    }

    /// The failures as a part held to 0 (`what` names them).
    pub(crate) fn part(self, what: &'static str, cases: usize) -> Part {
        Part::upper(what, self.count as f64, 0.0, cases, self.last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cap is the least of its three bounds and never above one of them: μ_φ/r binds for
    /// cubic-reg (μ_φ = 0.02) × smooth-nonconvex (r ≈ 0.4), 1 binds for quad × a convex f
    /// (l1-smooth: r = 0, λ_f = ∞), λ_f is finite for quad × indefinite-quadratic, and cubic has no
    /// modulus (μ_φ = 0), so μ_φ/r is left out.
    #[test]
    fn the_convex_inner_cap_is_the_least_of_its_bounds() {
        let setup = |p: &str, fam: &str| {
            let phi = registry::build(p, 2).unwrap();
            let cert = certificate(phi.as_ref(), 2).unwrap();
            Setup { phi, f: family::registry::build(fam, 2, 7).unwrap(), cert }
        };
        for (p, fam) in [("cubic-reg", "smooth-nonconvex"), ("quad", "l1-smooth"), ("quad", "indefinite-quadratic"), ("cubic", "smooth-nonconvex"), ("log", "mcp")] {
            let s = setup(p, fam);
            let (cap, lf, mu) = (s.convex_inner_cap(), s.threshold(), s.cert.mu);
            let r = s.f.weak_convexity_modulus().unwrap_or(0.0);
            let mu_r = if r > 0.0 && mu > 0.0 { mu / r } else { f64::INFINITY };
            assert!(cap > 0.0 && cap <= lf && cap <= mu_r && cap <= 1.0, "{p} × {fam}: cap {cap}, λ_f {lf}, μ/r {mu_r}");
            assert_eq!(cap, lf.min(mu_r).min(1.0), "{p} × {fam}");
        }
        let s = setup("cubic-reg", "smooth-nonconvex");
        let r = s.f.weak_convexity_modulus().unwrap();
        assert!(s.cert.mu / r < s.threshold().min(1.0) && s.convex_inner_cap() == s.cert.mu / r, "μ_φ/r = {} binds", s.cert.mu / r);
        assert_eq!(setup("quad", "l1-smooth").convex_inner_cap(), 1.0);
        assert!(setup("quad", "indefinite-quadratic").threshold().is_finite());
        let s = setup("cubic", "smooth-nonconvex");
        assert!(s.cert.mu == 0.0 && s.convex_inner_cap() == s.threshold().min(1.0));
    }

    /// The branch of the case plan for a φ without modulus (μ_φ = 0) scales λ_max by 0.05 of a
    /// cap that is 1 for every pair the plan can meet: a certificate with μ_φ = 0 has cubic growth
    /// (a wᵀQw with singular Q is not strictly convex, hence not Legendre), and every family's
    /// λ_f is ∞ beyond quadratic growth. So 0.05·cap and 0.05/cap agree on the registry; a new
    /// potential or family that breaks this makes the test fail and the choice matter.
    #[test]
    fn a_potential_without_modulus_meets_the_cap_one() {
        let mut seen = Vec::new();
        for (p, fam) in default_pairs() {
            for m in dims(fam) {
                let s = Setup::new(p, fam, m, 7).unwrap();
                let above = family::registry::info(fam).unwrap().breaks == Some(FamilyHypothesis::BelowThreshold);
                let indicator = matches!(s.f.structure(), Structure::Ellipsoid(_));
                if s.cert.mu == 0.0 && !above && !indicator {
                    assert_eq!(s.convex_inner_cap(), 1.0, "{p} × {fam} in dimension {m}: λ_f = {}", s.threshold());
                    seen.push(format!("{p} × {fam}"));
                }
            }
        }
        assert!(seen.iter().any(|s| s.starts_with("cubic ×")), "the branch was never met: {seen:?}");
    }

    /// A component that saw no figure is a part of 0 cases (reported as not measured); one that
    /// saw figures keeps the plan's case count and its worst figure.
    #[test]
    fn a_component_that_saw_nothing_measures_nothing() {
        let empty = Tracked::default().upper("DP vs central differences", 1e-6, 4);
        assert_eq!(empty.cases, 0);
        let mut t = Tracked::default();
        t.see(2e-7, || "first".into());
        t.see(1e-7, || "second".into());
        let part = t.upper("DP vs central differences", 1e-6, 4);
        assert_eq!((part.cases, part.worst, part.detail.as_str()), (4, 2e-7, "first"));
    }
}
