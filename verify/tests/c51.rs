//! `C5.1` (Corollary 5.1) on small problems: it holds at stationary points with identical risks
//! (cubic included, whose Hessian vanishes at consensus), and flags consensus when the workers'
//! risks differ (the negative control) while Σⱼ ∇e fⱼ(ū) = 0 still holds there.

use infconv_verify::Verdict;
use infconv_verify::catalogue::expected_for_c51;
use infconv_verify::checks::c51::check;
use infconv_verify::rng::DEFAULT_SEED;

#[test]
fn holds_for_identical_risks() {
    for (potential, problem) in [("quad", "least-squares"), ("log", "logistic"), ("tan-sep", "least-squares"), ("cubic", "logistic")] {
        let o = check(potential, problem, DEFAULT_SEED);
        println!("{potential} × {problem}: {} (r = {:.2e})", o.verdict, o.worst);
        assert_eq!(o.verdict, Verdict::Holds, "{potential} × {problem}: {}", o.note);
        assert_eq!(expected_for_c51(potential, problem), Verdict::Holds);
    }
}

#[test]
fn differing_risks_break_consensus_but_not_the_envelope_sum() {
    let o = check("log", "least-squares-split", DEFAULT_SEED);
    assert_eq!(o.verdict, Verdict::Violated, "{}", o.note);
    assert!(o.note.contains("VIOLATED consensus"), "{}", o.note);
    assert!(!o.note.contains("VIOLATED ‖Σⱼ ∇e"), "the first conclusion holds without fⱼ = f̂: {}", o.note);
    assert!(!o.note.contains("VIOLATED stationarity"), "the control must reach stationarity: {}", o.note);
}

#[test]
fn unknown_problems_are_errors_not_panics() {
    let o = check("quad", "no-such-problem", DEFAULT_SEED);
    assert_ne!(o.verdict, Verdict::Holds);
    assert!(o.note.contains("no-such-problem"), "{}", o.note);
}
