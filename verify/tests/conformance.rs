//! The conformance suite on every named potential, the negative controls it must flag, and planted
//! bugs that show it can fail.

use infconv_theory::potential::dual::{DualPotential, FromDual};
use infconv_theory::potential::log::Log;
use infconv_theory::potential::registry;
use infconv_theory::{ConjugateGradient, Domain, Gradient, Hessian, Legendre, Matrix, TheoryError, Value, Vector};
use infconv_verify::catalogue::{POTENTIAL_CHECKS, expected_for_potential};
use infconv_verify::conformance::{DEFAULT_DIMS, conform};
use infconv_verify::rng::DEFAULT_SEED;
use infconv_verify::{Outcome, Verdict};

fn run(name: &str, check: &str) -> Outcome {
    let info = registry::info(name).expect("registry name");
    conform(&|m| info.build(m), check, name, DEFAULT_DIMS, DEFAULT_SEED)
}

#[test]
fn every_registry_potential_meets_its_expected_verdicts() {
    let mut failures = Vec::new();
    for info in registry::all() {
        for c in POTENTIAL_CHECKS {
            let o = run(info.name, c.id);
            let expected = expected_for_potential(c.id, info.name);
            println!("{:<5} {:<12} {:<9} worst {:.3e} tol {:.1e}", c.id, info.name, o.verdict.to_string(), o.worst, o.tol);
            if o.verdict != expected {
                failures.push(format!("{} {}: {} (expected {expected}), seed {DEFAULT_SEED}: {}", c.id, info.name, o.verdict, o.note));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The negative controls of docs/potentials.md, each at the checks named there. Written out
/// here, independently of the catalogue, so that a catalogue edit cannot silence them.
#[test]
fn negative_controls_are_flagged_where_the_notes_say() {
    let named = [
        ("log1p-sq", "A1"),
        ("log1p-sq", "A4"),
        ("huber", "A3"),
        ("huber", "A4"),
        ("entropy-box", "A2"),
        ("cubic", "A3"),
        ("tilted-quad", "A5"),
        ("log1p-sq", "L3.2"),
        ("huber", "L3.2"),
    ];
    for (name, check) in named {
        let o = run(name, check);
        assert_eq!(o.verdict, Verdict::Violated, "{check} must flag {name} (seed {DEFAULT_SEED}): {}", o.note);
    }
}

#[test]
fn the_paper_potentials_hold_everywhere_but_cubic_at_a3() {
    for name in ["quad", "quad-Q", "cubic", "cubic-reg", "tan", "tan-sep", "log", "log-sep", "eta-log", "layered-tan"] {
        for c in POTENTIAL_CHECKS {
            let o = run(name, c.id);
            let want = if (name, c.id) == ("cubic", "A3") { Verdict::Violated } else { Verdict::Holds };
            assert_eq!(o.verdict, want, "{} {name}: {}", c.id, o.note);
        }
    }
}

/// A correct potential with one planted defect: its gradient, Hessian or ∇φ* off by a relative
/// 1e-4 (or not at all, as the control of the control).
#[derive(Debug, Clone)]
struct Planted {
    inner: Log,
    gradient_error: f64,
    hessian_error: f64,
    conjugate_error: f64,
}

impl Planted {
    fn new(gradient_error: f64, hessian_error: f64, conjugate_error: f64) -> Planted {
        Planted { inner: Log::new(), gradient_error, hessian_error, conjugate_error }
    }
}

impl Value for Planted {
    fn value(&self, w: &Vector) -> Result<f64, TheoryError> {
        self.inner.value(w)
    }
}
impl Gradient for Planted {
    fn gradient(&self, w: &Vector) -> Result<Vector, TheoryError> {
        Ok(self.inner.gradient(w)? * (1.0 + self.gradient_error))
    }
}
impl Hessian for Planted {
    fn hessian(&self, w: &Vector) -> Result<Matrix, TheoryError> {
        let mut h = self.inner.hessian(w)?;
        h[(0, 0)] *= 1.0 + self.hessian_error;
        Ok(h)
    }
}
impl ConjugateGradient for Planted {
    fn conjugate_gradient(&self, y: &Vector) -> Result<Vector, TheoryError> {
        Ok(self.inner.conjugate_gradient(y)? * (1.0 + self.conjugate_error))
    }
}
impl Domain for Planted {
    fn contains(&self, w: &Vector) -> bool {
        self.inner.contains(w)
    }
    fn max_step(&self, w: &Vector, d: &Vector) -> Result<f64, TheoryError> {
        self.inner.max_step(w, d)
    }
    fn inradius(&self) -> f64 {
        self.inner.inradius()
    }
    fn boundary_distance(&self, w: &Vector) -> f64 {
        self.inner.boundary_distance(w)
    }
}
impl Legendre for Planted {
    fn name(&self) -> String {
        "planted-log".into()
    }
    fn dual_derivatives(&self, w: &Vector) -> Option<Result<(f64, Vector, Matrix), TheoryError>> {
        self.inner.dual_derivatives(w)
    }
}

fn planted(p: Planted, check: &str) -> Outcome {
    conform(&|_| Ok(Box::new(p.clone())), check, "planted-log", DEFAULT_DIMS, DEFAULT_SEED)
}

#[test]
fn a_planted_wrong_gradient_is_flagged() {
    let o = planted(Planted::new(1e-4, 0.0, 0.0), "A1");
    assert_eq!(o.verdict, Verdict::Violated, "{}", o.note);
    assert!(o.note.contains("VIOLATED ∇φ closed vs num-dual"), "{}", o.note);
    assert!(o.note.contains("VIOLATED ∇φ vs central differences"), "{}", o.note);
    let clean = planted(Planted::new(0.0, 0.0, 0.0), "A1");
    assert_eq!(clean.verdict, Verdict::Holds, "the unplanted control must pass: {}", clean.note);
}

#[test]
fn a_planted_wrong_hessian_is_flagged() {
    let o = planted(Planted::new(0.0, 1e-4, 0.0), "A3");
    assert_eq!(o.verdict, Verdict::Violated, "{}", o.note);
    assert_eq!(planted(Planted::new(0.0, 0.0, 0.0), "A3").verdict, Verdict::Holds);
}

#[test]
fn a_planted_wrong_conjugate_gradient_is_flagged() {
    let o = planted(Planted::new(0.0, 0.0, 1e-8), "L3.2");
    assert_eq!(o.verdict, Verdict::Violated, "{}", o.note);
    assert_eq!(planted(Planted::new(0.0, 0.0, 0.0), "L3.2").verdict, Verdict::Holds);
}

/// The extension path end to end: a potential written only as a dual-number value passes the whole
/// suite with no further code.
#[derive(Debug, Clone)]
struct Quartic;

impl DualPotential for Quartic {
    fn name(&self) -> String {
        "quartic".into()
    }
    fn value_dual<D: num_dual::DualNum<Primitive = f64>>(&self, w: &[D]) -> D {
        w.iter().map(|t| t.powi(4) * 0.25 + t.powi(2) * 0.5).sum()
    }
    fn contains(&self, w: &[f64]) -> bool {
        w.iter().all(|t| t.is_finite())
    }
}

/// The same path on a bounded domain: Σᵢ −log(1 − wᵢ²/4) on |wᵢ| < 2.
#[derive(Debug, Clone)]
struct WideLogSep;

impl DualPotential for WideLogSep {
    fn name(&self) -> String {
        "wide-log-sep".into()
    }
    fn value_dual<D: num_dual::DualNum<Primitive = f64>>(&self, w: &[D]) -> D {
        w.iter().map(|t| -(-(t.clone() * t.clone()) * 0.25).ln_1p()).sum()
    }
    fn contains(&self, w: &[f64]) -> bool {
        w.iter().all(|t| t.abs() < 2.0)
    }
}

#[test]
fn potentials_written_only_as_dual_values_pass_the_suite() {
    for c in POTENTIAL_CHECKS {
        let o = conform(&|_| Ok(Box::new(FromDual(Quartic))), c.id, "quartic", DEFAULT_DIMS, DEFAULT_SEED);
        assert_eq!(o.verdict, Verdict::Holds, "{} quartic: {}", c.id, o.note);
        let o = conform(&|_| Ok(Box::new(FromDual(WideLogSep))), c.id, "wide-log-sep", DEFAULT_DIMS, DEFAULT_SEED);
        assert_eq!(o.verdict, Verdict::Holds, "{} wide-log-sep: {}", c.id, o.note);
    }
}
