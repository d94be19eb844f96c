//! Planted bugs, one per check id: a correct potential, family or risk with one component made
//! wrong, which the check must flag as `violated` — and, in the same test, the same setup without
//! the defect, which must not be flagged (so the verdict is caused by the bug). docs/checks.md
//! lists them in its table "Planted bugs and negative controls".
//!
//! Every test runs on fixed seeds (printed in its messages) and through the checks' public
//! measurement functions with small case counts; the tolerances are those of
//! `infconv_verify::tolerance`, unchanged.

use infconv_theory::distributed::EmpiricalRisk;
use infconv_theory::family::{self, Family, Minorant, Structure};
use infconv_theory::potential::log::Log;
use infconv_theory::potential::registry;
use infconv_theory::prox::certificate::{PhiCertificate, certificate};
use infconv_theory::{ConjugateGradient, Domain, Gradient, Hessian, Legendre, Matrix, TheoryError, Value, Vector};
use infconv_verify::checks::{c44, c51};
use infconv_verify::conformance::{DEFAULT_DIMS, conform};
use infconv_verify::prox_checks::{self, Case, Setup, d33, l34, l34_domain, t43_formula12, t43_gradient13, t43_lipschitz};
use infconv_verify::rng::{DEFAULT_SEED, stream};
use infconv_verify::tolerance::FORMULA12_REL;
use infconv_verify::{Outcome, Verdict};
use std::sync::Arc;

// ---------------------------------------------------------------------------------------------
// A potential with one planted defect.

/// What is wrong with a [`Planted`] potential.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Defect {
    /// Nothing: the control of the control.
    None,
    /// ∇φ off by this relative error.
    Gradient(f64),
    /// ∇²φ with its (0, 0) entry off by this relative error.
    Hessian(f64),
    /// ∇φ* off by this relative error.
    Conjugate(f64),
    /// The domain declared as this fraction of the true one (contains, max_step, inradius,
    /// boundary distance): φ stays finite at the declared boundary.
    DomainShrunk(f64),
    /// An "overflow guard": beyond ‖w‖ = R, φ continued linearly along the ray (value only).
    LinearBeyond(f64),
    /// φ(0) off by an additive constant.
    ValueOffset(f64),
    /// ∇φ off by the additive constant c·𝟙.
    GradientOffset(f64),
}

/// A correct potential (`inner`) with one planted defect. Its name is the inner potential's, so
/// that the prox solvers find the inner potential's certificate.
#[derive(Debug, Clone)]
struct Planted {
    inner: Arc<dyn Legendre>,
    defect: Defect,
}

impl Planted {
    fn log(defect: Defect) -> Planted {
        Planted { inner: Arc::new(Log::new()), defect }
    }

    fn registry(name: &str, m: usize, defect: Defect) -> Planted {
        Planted { inner: Arc::from(registry::build(name, m).expect("registry potential")), defect }
    }

    /// The factor of the declared domain (1 unless shrunk).
    fn shrink(&self) -> f64 {
        if let Defect::DomainShrunk(s) = self.defect { s } else { 1.0 }
    }
}

impl Value for Planted {
    fn value(&self, w: &Vector) -> Result<f64, TheoryError> {
        match self.defect {
            Defect::ValueOffset(c) => Ok(self.inner.value(w)? + c),
            Defect::LinearBeyond(r) if w.norm() > r => {
                let w0 = w * (r / w.norm());
                Ok(self.inner.value(&w0)? + self.inner.gradient(&w0)?.dot(&(w - &w0)))
            }
            _ => self.inner.value(w),
        }
    }
}
impl Gradient for Planted {
    fn gradient(&self, w: &Vector) -> Result<Vector, TheoryError> {
        let g = self.inner.gradient(w)?;
        Ok(match self.defect {
            Defect::Gradient(e) => g * (1.0 + e),
            Defect::GradientOffset(c) => g.add_scalar(c),
            _ => g,
        })
    }
}
impl Hessian for Planted {
    fn hessian(&self, w: &Vector) -> Result<Matrix, TheoryError> {
        let mut h = self.inner.hessian(w)?;
        if let Defect::Hessian(e) = self.defect {
            h[(0, 0)] *= 1.0 + e;
        }
        Ok(h)
    }
}
impl ConjugateGradient for Planted {
    fn conjugate_gradient(&self, y: &Vector) -> Result<Vector, TheoryError> {
        let w = self.inner.conjugate_gradient(y)?;
        Ok(if let Defect::Conjugate(e) = self.defect { w * (1.0 + e) } else { w })
    }
}
impl Domain for Planted {
    fn contains(&self, w: &Vector) -> bool {
        self.inner.contains(&(w / self.shrink()))
    }
    fn max_step(&self, w: &Vector, d: &Vector) -> Result<f64, TheoryError> {
        let s = self.shrink();
        self.inner.max_step(&(w / s), &(d / s))
    }
    fn inradius(&self) -> f64 {
        self.shrink() * self.inner.inradius()
    }
    fn boundary_distance(&self, w: &Vector) -> f64 {
        self.shrink() * self.inner.boundary_distance(&(w / self.shrink()))
    }
}
impl Legendre for Planted {
    fn name(&self) -> String {
        self.inner.name()
    }
    fn fixed_dim(&self) -> Option<usize> {
        self.inner.fixed_dim()
    }
    fn dual_derivatives(&self, w: &Vector) -> Option<Result<(f64, Vector, Matrix), TheoryError>> {
        self.inner.dual_derivatives(w)
    }
}

/// A potential check on a planted potential over the default dimensions, default seed.
fn planted(p: Planted, check: &str) -> Outcome {
    conform(&|_| Ok(Box::new(p.clone())), check, "planted", DEFAULT_DIMS, DEFAULT_SEED)
}

/// Asserts the planted outcome is violated with `part` marked, and the control is not violated.
fn flagged(id: &str, bug: &Outcome, part: &str, control: &Outcome, seed: u64) {
    println!("{id} planted: {} worst {:.3e} tol {:.1e} (seed {seed}): {}", bug.verdict, bug.worst, bug.tol, bug.note);
    println!("{id} control: {} worst {:.3e} tol {:.1e}", control.verdict, control.worst, control.tol);
    assert_eq!(bug.verdict, Verdict::Violated, "{id} must flag the planted bug (seed {seed}): {}", bug.note);
    assert!(bug.note.contains(&format!("VIOLATED {part}")), "{id}: the planted bug must break {part:?} (seed {seed}): {}", bug.note);
    assert_ne!(control.verdict, Verdict::Violated, "{id}: the unplanted control must not be flagged (seed {seed}): {}", control.note);
}

/// A potential check on a planted potential: `defective` must be flagged with `part` marked,
/// the same potential without the defect (`Defect::None`) must hold; returns the planted outcome.
fn potential_check_flags(id: &str, build: impl Fn(Defect) -> Planted, defect: Defect, part: &str) -> Outcome {
    let bug = planted(build(defect), id);
    let control = planted(build(Defect::None), id);
    flagged(id, &bug, part, &control, DEFAULT_SEED);
    assert_eq!(control.verdict, Verdict::Holds, "{id} control (seed {DEFAULT_SEED}): {}", control.note);
    bug
}

#[test]
fn planted_a1_is_flagged() {
    let bug = potential_check_flags("A1", Planted::log, Defect::Gradient(1e-4), "∇φ closed vs num-dual");
    assert!(bug.note.contains("VIOLATED ∇φ vs central differences"), "{}", bug.note);
    // Essential smoothness: declared on the ball of radius 0.99, log's gradient stays bounded at
    // the declared boundary (‖∇φ‖ = 2·0.99/(1 − 0.99²) ≈ 99.5), so it does not grow towards it.
    potential_check_flags("A1", Planted::log, Defect::DomainShrunk(0.99), "‖∇φ‖ growth ratio towards the boundary");
}

#[test]
fn planted_a2_is_flagged() {
    // log's domain is the open unit ball; declared as the ball of radius 0.99, φ stays bounded at
    // the declared boundary (−log(1 − 0.99²) ≈ 3.9).
    potential_check_flags("A2", Planted::log, Defect::DomainShrunk(0.99), "φ growth ratio towards the boundary");
}

#[test]
fn planted_a3_is_flagged() {
    potential_check_flags("A3", Planted::log, Defect::Hessian(1e-4), "∇²φ closed vs num-dual");
    // The second, independent reference flags it too (a potential without a generic value has
    // only this one).
    potential_check_flags("A3", Planted::log, Defect::Hessian(1e-4), "∇²φ vs central differences of ∇φ");
}

#[test]
fn planted_a4_is_flagged() {
    // quad = ‖w‖² with an overflow guard that continues it linearly beyond ‖w‖ = 10: φ(td)/t → 20.
    let quad = |d| Planted::registry("quad", 1, d);
    potential_check_flags("A4", quad, Defect::LinearBeyond(10.0), "φ(td)/t growth ratio");
}

#[test]
fn planted_a5_is_flagged() {
    // A constant 1e-12 left in φ, and one left in ∇φ: a hundred times the last-bit allowance.
    potential_check_flags("A5", Planted::log, Defect::ValueOffset(1e-12), "|φ(0)|");
    potential_check_flags("A5", Planted::log, Defect::GradientOffset(1e-12), "‖∇φ(0)‖");
}

#[test]
fn planted_l32_is_flagged() {
    potential_check_flags("L3.2", Planted::log, Defect::Conjugate(1e-8), "∇φ*∘∇φ − id");
}

// ---------------------------------------------------------------------------------------------
// A family with one planted defect (the prox checks, C4.4).

/// What is wrong with a [`PlantedFamily`].
#[derive(Debug, Clone, PartialEq)]
enum FamilyDefect {
    /// Nothing.
    None,
    /// The declared threshold λ_f(φ) is this many times the true one.
    ThresholdFactor(f64),
    /// The value jumps up by `size` across each hyperplane ⟨n, z⟩ = c of `at` (z on the side
    /// ⟨n, z⟩ ≥ c gets the jump); the subgradient and Hessian know nothing of it — two pieces of
    /// a piecewise definition whose constants disagree at their junction.
    Jumps { at: Vec<(Vector, f64)>, size: f64 },
    /// f scaled by this factor throughout (value, subdifferential, Hessian, certificates): a
    /// consistent f, but another one.
    Scaled(f64),
    /// dist(y, ∂f(z)) computed against this factor times ∂f(z) (value, subgradient and Hessian
    /// right): a wrong subdifferential.
    DistanceFactor(f64),
    /// dist(y, ∂f(z)) reported as this factor times the true one (value, subgradient and Hessian
    /// right): a residual that under-reports off the minimizer (0: blind).
    ResidualScale(f64),
    /// ∇²f(z) reported as ∇²f(z) + c·I (value and subdifferential right): a wrong curvature,
    /// which reaches only what is computed from the Hessian.
    HessianShift(f64),
    /// The declared weak-convexity modulus is this factor times the true one (f itself right).
    ModulusFactor(f64),
}

/// A correct family with one planted defect.
#[derive(Debug)]
struct PlantedFamily {
    inner: Box<dyn Family>,
    defect: FamilyDefect,
}

impl PlantedFamily {
    fn build(name: &str, m: usize, seed: u64, defect: FamilyDefect) -> PlantedFamily {
        PlantedFamily { inner: family::registry::build(name, m, seed).expect("registry family"), defect }
    }

    fn scale(&self) -> f64 {
        if let FamilyDefect::Scaled(c) = self.defect { c } else { 1.0 }
    }
}

impl Family for PlantedFamily {
    fn name(&self) -> String {
        self.inner.name()
    }
    fn dim(&self) -> usize {
        self.inner.dim()
    }
    fn structure(&self) -> Structure<'_> {
        self.inner.structure()
    }
    fn value(&self, z: &Vector) -> Result<f64, TheoryError> {
        let v = self.inner.value(z)? * self.scale();
        Ok(match &self.defect {
            FamilyDefect::Jumps { at, size } => v + size * at.iter().filter(|(n, c)| n.dot(z) >= *c).count() as f64,
            _ => v,
        })
    }
    fn subgradient(&self, z: &Vector) -> Result<Vector, TheoryError> {
        Ok(self.inner.subgradient(z)? * self.scale())
    }
    fn subdifferential_distance(&self, z: &Vector, y: &Vector) -> Result<f64, TheoryError> {
        // dist(y, c ∂f(z)) = c dist(y/c, ∂f(z)).
        let under = if let FamilyDefect::ResidualScale(k) = self.defect { k } else { 1.0 };
        let c = if let FamilyDefect::DistanceFactor(k) = self.defect { k } else { self.scale() };
        Ok(under * c * self.inner.subdifferential_distance(z, &(y / c))?)
    }
    fn nearest_subgradient(&self, z: &Vector, y: &Vector) -> Result<Vector, TheoryError> {
        // The element of c ∂f(z) nearest to y is c times the element of ∂f(z) nearest to y/c.
        let c = if let FamilyDefect::DistanceFactor(k) = self.defect { k } else { self.scale() };
        Ok(self.inner.nearest_subgradient(z, &(y / c))? * c)
    }
    fn hessian(&self, z: &Vector) -> Option<Result<Matrix, TheoryError>> {
        let c = self.scale();
        let shift = if let FamilyDefect::HessianShift(k) = self.defect { k } else { 0.0 };
        self.inner.hessian(z).map(|h| h.map(|h| h * c + Matrix::identity(z.len(), z.len()) * shift))
    }
    fn weak_convexity_modulus(&self) -> Option<f64> {
        let factor = if let FamilyDefect::ModulusFactor(k) = self.defect { k } else { 1.0 };
        self.inner.weak_convexity_modulus().map(|r| r * self.scale() * factor)
    }
    fn minorant(&self) -> Option<Minorant> {
        let c = self.scale();
        let jump_floor = match &self.defect {
            FamilyDefect::Jumps { size, .. } => size.min(0.0),
            _ => 0.0,
        };
        self.inner.minorant().map(|m| Minorant {
            a: m.a * c,
            b: m.b * c,
            c: m.c * c - jump_floor,
            quadratic: m.quadratic.map(|(a, g)| (a * c, g * c)),
        })
    }
    fn lower_bound(&self) -> Option<f64> {
        self.inner.lower_bound().map(|l| l * self.scale())
    }
    fn threshold(&self, phi: &PhiCertificate) -> f64 {
        // e_λ(c f) = c e_{cλ}(f): c f is φ-prox-bounded for λ < λ_f / c.
        let t = self.inner.threshold(phi) / self.scale();
        if let FamilyDefect::ThresholdFactor(k) = self.defect { t * k } else { t }
    }
    fn prox_regular(&self) -> bool {
        self.inner.prox_regular()
    }
}

/// A prox-check setup: φ (registry name, possibly planted), f, and φ's own certificate.
fn setup(phi: Planted, f: PlantedFamily) -> Setup {
    let m = f.dim();
    let cert = certificate(phi.inner.as_ref(), m).expect("certified potential");
    Setup { phi: Box::new(phi), f: Box::new(f), cert }
}

/// The prox checks' own case plan for a (clean) setup.
fn plan(potential: &str, family_name: &str, m: usize, n: usize, id: &str, seed: u64) -> Vec<Case> {
    let clean = setup(Planted::registry(potential, m, Defect::None), PlantedFamily::build(family_name, m, seed, FamilyDefect::None));
    prox_checks::cases(&clean, family_name, n, &mut stream(seed, &["planted", id, "cases"]))
}

#[test]
fn planted_d33_is_flagged() {
    // quad × indefinite-quadratic has λ_f = 2/ρ. A family that declares 4 λ_f is checked at λ
    // = ½ its declared λ_f (a λ that Definition 3.3 then puts below the threshold): there the
    // inner objective is unbounded below. The control: the same at ½ the true λ_f.
    let (id, seed, m) = ("D3.3", DEFAULT_SEED, 2);
    let run = |defect: FamilyDefect| {
        let s = setup(Planted::registry("quad", m, Defect::None), PlantedFamily::build("indefinite-quadratic", m, seed, defect));
        let lambda = 0.5 * s.threshold();
        let cases: Vec<Case> = plan("quad", "indefinite-quadratic", m, 2, id, seed).into_iter().map(|c| Case { lambda, ..c }).collect();
        d33::measure(&s, &cases, &mut stream(seed, &["planted", id]))
    };
    let bug = run(FamilyDefect::ThresholdFactor(4.0));
    let control = run(FamilyDefect::None);
    flagged(id, &bug, "probe below e(v)", &control, seed);
}

#[test]
fn planted_l34_is_flagged() {
    // log × smooth-nonconvex in m = 1; the planted family's value jumps up by 1e-3 across the
    // point z̄ = P(v̄) of every case, the junction belonging to the upper piece (two pieces whose
    // constants disagree, f not lsc there). For a nearby v whose smooth minimizer lies on the
    // upper side, the infimum of (3) is approached at the junction from below and not attained:
    // P(v) = ∅, which (i) must flag. (e itself stays continuous — it is for every f — so (ii)
    // cannot be the part that fires.)
    let (id, seed, m) = ("L3.4", DEFAULT_SEED, 1);
    let cases = plan("log", "smooth-nonconvex", m, 4, id, seed);
    let clean = setup(Planted::log(Defect::None), PlantedFamily::build("smooth-nonconvex", m, seed, FamilyDefect::None));
    let at: Vec<(Vector, f64)> = cases
        .iter()
        .map(|c| {
            let o = prox_checks::global_prox(&clean, c).expect("oracle");
            (Vector::from_element(1, 1.0), o.minimizers[0][0])
        })
        .collect();
    let run = |defect: FamilyDefect| {
        let s = setup(Planted::log(Defect::None), PlantedFamily::build("smooth-nonconvex", m, seed, defect));
        l34::measure(&s, &cases, &mut stream(seed, &["planted", id]))
    };
    let bug = run(FamilyDefect::Jumps { at, size: 1e-3 });
    let control = run(FamilyDefect::None);
    flagged(id, &bug, "(i) P(v) empty or unbounded (count)", &control, seed);
    // (ii) needs an evaluator of e that jumps: the oracle's answer with e raised by 1e-3 at every
    // v off the planned points v̄ (a cached or interpolated envelope that disagrees with itself).
    // |e(vₖ) − e(v̄)| then stays 1e-3 as δₖ → 0, above a bound that shrinks like Lδₖ.
    let jumpy = |s: &Setup, c: &Case| {
        let mut o = prox_checks::global_prox(s, c)?;
        if !cases.iter().any(|k| k.v == c.v) {
            o.envelope += 1e-3;
        }
        Ok(o)
    };
    let bug = l34::measure_with(&clean, &cases, &mut stream(seed, &["planted", id]), &jumpy);
    let control = l34::measure_with(&clean, &cases, &mut stream(seed, &["planted", id]), &prox_checks::global_prox);
    flagged(id, &bug, "(ii) |e(vₖ) − e(v̄)| / (2(Lδₖ + Mδₖ²) + rounding)", &control, seed);
}

#[test]
fn planted_l34_domain_is_flagged() {
    // log (dom φ the open unit ball) × ellipse: a prox evaluator that takes the sphere's
    // shortcut on an ellipse, z = v/√(vᵀDv) (the point of M on the ray through v, the nearest
    // point only on a sphere), and calls e(v) finite iff v − z ∈ dom φ. Where the ray's point is
    // farther than ρ but the nearest point of M is not, it misses a finite e(v): the first part
    // must count them (an eccentric ellipse, semi-axes 0.6 and 1.8, makes the two points differ
    // where it matters). The control: the oracle on the same points.
    let (id, seed) = ("L3.4-dom", DEFAULT_SEED);
    let ellipse = family::ellipse::EllipsoidSurface::from_axes("ellipse", &[0.6, 1.8]).expect("positive axes");
    let s = setup(Planted::log(Defect::None), PlantedFamily { inner: Box::new(ellipse), defect: FamilyDefect::None });
    let d = match s.f.structure() {
        Structure::Ellipsoid(d) => d.to_vec(),
        _ => panic!("ellipse is an ellipsoid surface"),
    };
    let ray_point = |v: &Vector| -> bool {
        let q: f64 = v.iter().zip(&d).map(|(x, di)| di * x * x).sum();
        q > 0.0 && s.phi.contains(&(v - v / q.sqrt())) && s.phi.value(&(v - v / q.sqrt())).is_ok_and(|p| (p / l34_domain::LAMBDA).is_finite())
    };
    let bug = l34_domain::measure_with(&s, seed, &ray_point);
    let control = l34_domain::measure(&s, seed);
    flagged(id, &bug, "(i) e(v) not finite for v ∈ dom f + dom φ (count)", &control, seed);
    assert_eq!(control.verdict, Verdict::Holds, "{id} control (seed {seed}): {}", control.note);
}

/// A T4.3 check on log × smooth-nonconvex (m = 2, the prox checks' own case plan) with a
/// planted potential or family, and its unplanted control.
fn t43(id: &str, defect: Defect, family_defect: FamilyDefect, measure: impl Fn(&Setup, &[Case]) -> Outcome) -> (Outcome, Outcome) {
    let (seed, m) = (DEFAULT_SEED, 2);
    let cases = plan("log", "smooth-nonconvex", m, 2, id, seed);
    let run = |d: Defect, fd: FamilyDefect| {
        let s = setup(Planted::log(d), PlantedFamily::build("smooth-nonconvex", m, seed, fd));
        measure(&s, &cases)
    };
    (run(defect, family_defect), run(Defect::None, FamilyDefect::None))
}

#[test]
fn planted_t43_lipschitz_is_flagged() {
    // ∇²φ off by 1e-4 in one entry: the implicit-function Jacobian DP no longer matches P.
    let id = "T4.3-lipschitz";
    let (bug, control) = t43(id, Defect::Hessian(1e-4), FamilyDefect::None, |s, c| t43_lipschitz::measure(s, c, &mut stream(DEFAULT_SEED, &["planted", id])));
    flagged(id, &bug, "DP vs central differences", &control, DEFAULT_SEED);
    // f's Hessian reported 2·I too large: the implicit-function bound max ‖DP‖ shrinks below
    // the quotient of P itself, which the oracle computes from values and subgradients alone.
    let (bug, control) = t43(id, Defect::None, FamilyDefect::HessianShift(2.0), |s, c| t43_lipschitz::measure(s, c, &mut stream(DEFAULT_SEED, &["planted", id])));
    flagged(id, &bug, "Lipschitz quotient / implicit bound", &control, DEFAULT_SEED);
}

#[test]
fn planted_t43_formula12_is_flagged() {
    // The family's dist(y, ∂f(z)) measured against 1.001 ∂f(z): a wrong subdifferential.
    let id = "T4.3-formula12";
    let measure = |s: &Setup, c: &[Case]| t43_formula12::measure(s, c, &mut stream(DEFAULT_SEED, &["planted", id]));
    let (bug, control) = t43(id, Defect::None, FamilyDefect::DistanceFactor(1.001), measure);
    flagged(id, &bug, "∇φ(v − z)/λ ∈ ∂f(z)", &control, DEFAULT_SEED);
    // ∇φ scaled by 1.001: the solvers' P(v) solves the wrong equation, which ∇φ* exposes (and
    // Newton's line search, which sees the right φ, stalls on some cases).
    let (bug, control) = t43(id, Defect::Gradient(1e-3), FamilyDefect::None, measure);
    flagged(id, &bug, "z + ∇φ*(λŷ) = v, ŷ ∈ ∂f(z) nearest (‖v′ − v‖ / bound)", &control, DEFAULT_SEED);
    // A residual that under-reports tenfold passes the membership at the minimizers (0 stays 0);
    // the probe at z + εd, where the true residual is at least κε and the check asks for κε/2,
    // exposes it: the bar is sharp enough to see a factor of 10, which needs κ = λ_min/λ − r and
    // the residual of ∇φ(v − z″)/λ, each as written.
    let (bug, control) = t43(id, Defect::None, FamilyDefect::ResidualScale(0.1), measure);
    flagged(id, &bug, "residual at z + εd / (κε) (distinguishes)", &control, DEFAULT_SEED);
    // ∇φ* off by 3·FORMULA12_REL relative: the resolvent's gap ‖v′ − v‖ is 3·FORMULA12_REL·‖w‖,
    // w = v − z, and for log (∇φ(w) = 2w/(1 − ‖w‖²), λ_min(∇²φ(w)) = 2/(1 − ‖w‖²), so λ‖y‖ =
    // ‖∇φ(w)‖ = λ_min‖w‖) the bound's main term FORMULA12_REL·max(‖y‖, 1)·λ/λ_min gives the ratio
    // 3‖y‖/max(‖y‖, 1), less the share of the rounding term: 1.6 on the planted cases. The bound
    // must be that sharp: with its conditioning factor 1/λ_min replaced by 1 or by λ_min (λ_min ≥ 2
    // or ≥ 4 times looser) the worst ratio falls below 1.
    let (bug, control) = t43(id, Defect::Conjugate(3.0 * FORMULA12_REL), FamilyDefect::None, measure);
    flagged(id, &bug, "z + ∇φ*(λŷ) = v, ŷ ∈ ∂f(z) nearest (‖v′ − v‖ / bound)", &control, DEFAULT_SEED);
    // Far from the origin (‖v‖ ≈ 2.7) at small λ the bound is mostly its rounding term
    // IDENTITY_REL·(1 + ‖v‖); ∇φ* off by 1e-5 is far beyond it. (A sign slip in that term would
    // make the bound negative there, and every gap would pass.)
    let far = [Case { lambda: 0.01, v: Vector::from_vec(vec![2.5, 1.0]) }];
    let run = |d: Defect| measure(&setup(Planted::log(d), PlantedFamily::build("smooth-nonconvex", 2, DEFAULT_SEED, FamilyDefect::None)), &far);
    flagged(id, &run(Defect::Conjugate(1e-5)), "z + ∇φ*(λŷ) = v, ŷ ∈ ∂f(z) nearest (‖v′ − v‖ / bound)", &run(Defect::None), DEFAULT_SEED);
}

#[test]
fn planted_t43_gradient13_is_flagged() {
    // A prox returned 1e-6 off: every minimizer shifted by 1e-6 (1 + ‖z‖) along e₁. The
    // differences of e are continued from the local minima (refined again), so they stay right.
    let id = "T4.3-gradient13";
    let off = |s: &Setup, c: &Case| {
        let mut o = prox_checks::global_prox(s, c)?;
        for z in &mut o.minimizers {
            z[0] += 1e-6 * (1.0 + z.norm());
        }
        Ok(o)
    };
    let (bug, _) = t43(id, Defect::None, FamilyDefect::None, |s, c| t43_gradient13::measure_with(s, c, &off));
    let (_, control) = t43(id, Defect::None, FamilyDefect::None, |s, c| t43_gradient13::measure_with(s, c, &prox_checks::global_prox));
    flagged(id, &bug, "formula (13) vs central differences of e", &control, DEFAULT_SEED);
    assert_eq!(control.verdict, Verdict::Holds, "{}", control.note);
    // ∇φ scaled by 1.001: Newton's line search sees the right φ and stalls; the failed
    // continuations are counted.
    let (bug, control) = t43(id, Defect::Gradient(1e-3), FamilyDefect::None, t43_gradient13::measure);
    flagged(id, &bug, "solver failures (count)", &control, DEFAULT_SEED);
}

#[test]
fn planted_c44_is_flagged() {
    // Model (4) hands its solver f scaled by 1.001 (a loss normalized twice): alternating
    // minimization reaches a stationary point of that model, not of the one the corollary is
    // checked for. The control hands f itself.
    let (id, seed) = ("C4.4", DEFAULT_SEED);
    let bug = c44::check_with("quad", "smooth-nonconvex", seed, &|f| Box::new(PlantedFamily { inner: f, defect: FamilyDefect::Scaled(1.001) }));
    let control = c44::check_with("quad", "smooth-nonconvex", seed, &|f| Box::new(PlantedFamily { inner: f, defect: FamilyDefect::None }));
    flagged(id, &bug, "condition (7)", &control, seed);
    assert!(!bug.note.contains("VIOLATED (5a)"), "the planted run reaches (5a)–(5b) of its own model: {}", bug.note);
}

#[test]
fn planted_d42_is_flagged() {
    // indefinite-quadratic (½zᵀHz + bᵀz, true modulus ρ = −λ_min(H)) declaring ρ/2: inequality
    // (11) with the declared r fails along the direction of negative curvature. The control
    // declares ρ itself.
    let (id, seed) = ("D4.2-(11)", DEFAULT_SEED);
    let f = || family::registry::build("indefinite-quadratic", 2, seed).unwrap();
    let bug = infconv_verify::checks::d42::measure(&PlantedFamily { inner: f(), defect: FamilyDefect::ModulusFactor(0.5) }, seed);
    let control = infconv_verify::checks::d42::measure(&PlantedFamily { inner: f(), defect: FamilyDefect::None }, seed);
    flagged(id, &bug, "measured r / declared modulus", &control, seed);
    assert_eq!(control.verdict, Verdict::Holds, "{}", control.note);
}

/// g counted twice (a regularization weight applied twice): value 2g, prox_{t·2g} = prox_{2t·g}
/// (the prox called with the step off by a factor 2), ∂(2g) = 2∂g — consistent in itself, so the
/// solver reaches (5a)–(5b) of its own model, which is another model than the statement's.
#[derive(Debug)]
struct Doubled(Box<dyn infconv_theory::splitting::G>);

impl infconv_theory::splitting::G for Doubled {
    fn dim(&self) -> usize {
        self.0.dim()
    }
    fn value(&self, u: &Vector) -> f64 {
        2.0 * self.0.value(u)
    }
    fn prox(&self, x: &Vector, t: f64) -> Vector {
        self.0.prox(x, 2.0 * t)
    }
    fn subdifferential_distance(&self, u: &Vector, y: &Vector) -> f64 {
        2.0 * self.0.subdifferential_distance(u, &(y * 0.5))
    }
    fn smooth(&self, _u: &Vector) -> Option<(Vector, Matrix)> {
        None
    }
    fn nonsmooth_coordinates(&self, u: &Vector) -> usize {
        self.0.nonsmooth_coordinates(u)
    }
    fn validate(&self) -> Result<(), TheoryError> {
        self.0.validate()
    }
}

#[test]
fn planted_c44_nonsmooth_g_is_flagged() {
    // Model (4) hands its solver g = β‖u‖₁ + (γ/2)‖u − c‖² with its prox called at twice the
    // step (g counted twice): alternating minimization reaches (5a)–(5b) of that model, and
    // condition (7), judged with the statement's ∂g, must flag it. The control hands g itself.
    let (id, seed) = ("C4.4", DEFAULT_SEED);
    let bug = c44::check_with_g("quad", "smooth-nonconvex+l1", seed, &|g| Box::new(Doubled(g)));
    let control = c44::check_with_g("quad", "smooth-nonconvex+l1", seed, &|g| g);
    flagged(id, &bug, "condition (7)", &control, seed);
    assert!(!bug.note.contains("VIOLATED (5a)"), "the planted run reaches (5a)–(5b) of its own model: {}", bug.note);
}

/// A worker's risk with loss and gradient multiplied by a factor that may depend on the batch
/// size n (a risk averaged over n − 1 samples instead of n: n/(n − 1)).
struct Rescaled(Arc<dyn EmpiricalRisk>, fn(usize) -> f64);

impl EmpiricalRisk for Rescaled {
    fn dim(&self) -> usize {
        self.0.dim()
    }
    fn samples(&self) -> usize {
        self.0.samples()
    }
    fn layers(&self) -> Vec<usize> {
        self.0.layers()
    }
    fn loss_and_gradient(&self, z: &Vector, batch: &[usize]) -> Result<(f64, Vector), TheoryError> {
        let factor = (self.1)(batch.len());
        let (l, g) = self.0.loss_and_gradient(z, batch)?;
        Ok((l * factor, g * factor))
    }
}

/// C5.1 on quad × least-squares with two workers, the last one's risk rescaled by `factor` (of
/// the batch size) in the model Algorithm 1 is handed, and the same without the defect.
fn c51_last_worker_rescaled(factor: fn(usize) -> f64) -> (Outcome, Outcome) {
    let skew = |mut r: Vec<Arc<dyn EmpiricalRisk>>| {
        if let Some(last) = r.pop() {
            r.push(Arc::new(Rescaled(last, factor)));
        }
        r
    };
    let bug = c51::check_with("quad", "least-squares", DEFAULT_SEED, &[2], &skew);
    let control = c51::check_with("quad", "least-squares", DEFAULT_SEED, &[2], &|r| r);
    (bug, control)
}

/// The envelope sum of C5.1 at its scale: a last worker whose risk is 1 + 7e-4 times the others'
/// moves ū off the stationary point of f̂ just enough that ‖Σⱼ ∇e fⱼ(ū)‖ exceeds its bound
/// K·r by a factor between 1 and 4. Formula (13)'s 1/λ (λ = ½) is then what flags it: the same
/// sum with ∇φ̂/λ replaced by λ∇φ̂ is four times smaller and would pass.
#[test]
fn planted_c51_envelope_sum_is_flagged_near_its_bound() {
    let (bug, control) = c51_last_worker_rescaled(|_| 1.0 + 7e-4);
    flagged("C5.1", &bug, "‖Σⱼ ∇e fⱼ(ū)‖", &control, DEFAULT_SEED);
    assert!(bug.worst < 4.0, "the planted skew should put the envelope sum within 4× its bound: {}", bug.note);
}

#[test]
fn planted_c51_is_flagged() {
    // Two workers; the last one averages its loss over n − 1 samples. Algorithm 1 reaches a
    // stationary point of the model it was handed, where the copies do not agree.
    let (bug, control) = c51_last_worker_rescaled(|n| if n > 1 { n as f64 / (n as f64 - 1.0) } else { 1.0 });
    flagged("C5.1", &bug, "consensus", &control, DEFAULT_SEED);
    assert!(!bug.note.contains("VIOLATED stationarity"), "the planted run reaches stationarity: {}", bug.note);
}
