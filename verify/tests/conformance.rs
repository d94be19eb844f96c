//! The conformance suite on every named potential and the negative controls it must flag (the
//! planted bugs of every check are in planted.rs).

use infconv_theory::potential::dual::FromDual;
use infconv_theory::potential::registry;
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

infconv_theory::dual_potential! {
    /// The extension path end to end: a potential written only as a dual-number value passes the
    /// whole suite with no further code.
    Quartic, "quartic",
    |w| w.iter().map(|t| t.powi(4) * 0.25 + t.powi(2) * 0.5).sum(),
    contains = |w| w.iter().all(|t| t.is_finite())
}

infconv_theory::dual_potential! {
    /// The same path on a bounded domain: Σᵢ −log(1 − wᵢ²/4) on |wᵢ| < 2.
    WideLogSep, "wide-log-sep",
    |w| w.iter().map(|t| -(-(t.clone() * t.clone()) * 0.25).ln_1p()).sum(),
    contains = |w| w.iter().all(|t| t.abs() < 2.0)
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

#[test]
fn lemma_3_2_i_fires_where_grad_phi_is_not_onto() {
    // huber (⟨∇φ(td), d⟩ = 1 for t ≥ 1) and log1p-sq (2t/(1 + t²), maximal at t = 1): the
    // boundary of dom φ* carries subgradients of φ*, against Lemma 3.2 (i) for φ*. Every potential
    // that declares Lemma 3.2 meets it.
    for name in ["huber", "log1p-sq", "quad", "log", "tan-sep", "entropy-box", "cosh", "cubic"] {
        let info = infconv_theory::potential::registry::info(name).unwrap();
        let o = infconv_verify::conformance::conform(&|m| info.build(m), "L3.2", name, infconv_verify::conformance::DEFAULT_DIMS, 42);
        let fired = o.note.contains("VIOLATED (i)");
        println!("{name}: part (i) fired: {fired}; {}", o.note.split("; ").filter(|p| p.contains("(i)")).collect::<Vec<_>>().join(" | "));
        assert_eq!(fired, info.breaks.contains(&infconv_theory::potential::assumption::Assumption::L32), "{name}: {}", o.note);
    }
}
