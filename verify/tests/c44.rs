//! `C4.4` (Corollary 4.4): the translation of stationarity holds at small λ, and the large-λ
//! control with local inner solves is flagged on some instances, each conclusion counted.

use infconv_verify::Verdict;
use infconv_verify::checks::c44::{CONTROL, CONTROL_INSTANCES, INSTANCES, check};
use infconv_verify::rng::DEFAULT_SEED;

/// C4.4 on each pair must hold.
fn holds_on(pairs: &[(&str, &str)]) {
    for (potential, family) in pairs {
        let o = check(potential, family, DEFAULT_SEED);
        println!("{potential} × {family}: {} worst {:.2e} — {}", o.verdict, o.worst, o.note);
        assert_eq!(o.verdict, Verdict::Holds, "{potential} × {family} (seed {DEFAULT_SEED}): {}", o.note);
        assert!(o.note.contains(&format!("z̄ missed P(Aū) on 0 of {INSTANCES} instances, (7) failed on 0 of {INSTANCES}")), "{potential} × {family}: {}", o.note);
    }
}

#[test]
fn translation_holds_for_small_lambda() {
    holds_on(&[("quad", "smooth-nonconvex"), ("log", "indefinite-quadratic"), ("tan-sep", "smooth-nonconvex")]);
}

#[test]
fn large_lambda_with_local_inner_solves_is_flagged() {
    for potential in ["quad", "log"] {
        let o = check(potential, CONTROL, DEFAULT_SEED);
        println!("{potential} × {CONTROL}: {}", o.note);
        assert_eq!(o.verdict, Verdict::Violated, "{}", o.note);
        assert!(!o.note.contains("VIOLATED (5a)"), "the control reaches (5a)–(5b): {}", o.note);
        assert!(o.note.contains("VIOLATED condition (7)"), "{}", o.note);
        // The note counts the instances where each conclusion failed: some where its part is
        // violated (not all, for (7)), none where it holds.
        let count = |prefix: &str| {
            let at = o.note.find(prefix).unwrap_or_else(|| panic!("{potential}: no {prefix:?} in {}", o.note)) + prefix.len();
            o.note[at..].split_whitespace().next().and_then(|k| k.parse::<usize>().ok()).expect("a count")
        };
        let (missed, seven) = (count("z̄ missed P(Aū) on "), count("(7) failed on "));
        assert!((1..CONTROL_INSTANCES).contains(&seven), "{potential}: (7) failed on {seven} of {CONTROL_INSTANCES}: {}", o.note);
        assert_eq!(missed >= 1, o.note.contains("VIOLATED dist(z̄, P(Aū))"), "{potential}: P(Aū) missed on {missed}: {}", o.note);
    }
}

#[test]
fn translation_holds_with_nonsmooth_g() {
    holds_on(&[("quad", "smooth-nonconvex+l1"), ("log", "smooth-nonconvex+box"), ("tan-sep", "indefinite-quadratic+box")]);
}

#[test]
fn new_records_meet_their_expected_verdicts() {
    // The records `infconv verify` computes for C4.4 (nonsmooth g included), L3.4-dom and
    // D4.2-(11).
    let sel = infconv_verify::selection::Selection::default();
    for id in ["C4.4", "L3.4-dom", "D4.2-(11)"] {
        let sel = infconv_verify::selection::Selection { check: Some(id.to_string()), ..sel.clone() };
        let records = infconv_verify::conformance::records(&sel, &[2], DEFAULT_SEED);
        assert!(!records.is_empty(), "{id}: no records");
        for r in &records {
            println!("{} {} {:?}: {:?} (expected {:?}) worst {:.3e} — {}", r.check, r.potential, r.family, r.verdict, r.expected, r.worst, r.note);
            assert!(r.as_expected(), "{} {} {:?}: {}", r.check, r.potential, r.family, r.note);
        }
    }
}
