//! Verdicts and the outcome of one check on one case set.

use serde::Serialize;
use std::fmt;

/// The verdict of a check: the statement holds on every case, is violated on some case, or its
/// hypothesis does not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// Every case met the tolerance.
    #[serde(rename = "holds")]
    Holds,
    /// Some case broke the statement; `worst` is the offending figure.
    #[serde(rename = "violated")]
    Violated,
    /// The hypothesis of the statement does not apply.
    #[serde(rename = "n/a")]
    NotApplicable,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Holds => "holds",
            Verdict::Violated => "violated",
            Verdict::NotApplicable => "n/a",
        })
    }
}

/// What a check measured: verdict, number of cases, the worst residual (or the offending figure of
/// a violation), the tolerance it was compared with, and a note for the reader.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The verdict.
    pub verdict: Verdict,
    /// Number of cases measured.
    pub cases: usize,
    /// Worst residual seen (for a violation: the offending figure).
    pub worst: f64,
    /// The tolerance `worst` was compared with.
    pub tol: f64,
    /// What was measured, where the worst case was, and figures outside the verdict.
    pub note: String,
    /// True when `worst` is a lower bound held to `worst ≥ tol` (a growth ratio, an eigenvalue).
    pub lower_bound: bool,
}

/// One measured component of a check: a residual against its tolerance, where larger is worse
/// (`residual > tol` is a violation) unless the component is a lower bound.
#[derive(Debug, Clone)]
pub struct Part {
    /// Short name of the component ("convexity", "round trip", …).
    pub name: &'static str,
    /// The worst residual of this component.
    pub worst: f64,
    /// Its tolerance.
    pub tol: f64,
    /// True when the component needs `worst ≥ tol` (a lower bound such as a growth ratio).
    pub lower_bound: bool,
    /// Cases measured.
    pub cases: usize,
    /// Where the worst case was.
    pub detail: String,
}

impl Part {
    /// An upper-bound component: fine while `worst ≤ tol`.
    pub fn upper(name: &'static str, worst: f64, tol: f64, cases: usize, detail: String) -> Part {
        Part { name, worst, tol, lower_bound: false, cases, detail }
    }

    /// A lower-bound component: fine while `worst ≥ tol`.
    pub fn lower(name: &'static str, worst: f64, tol: f64, cases: usize, detail: String) -> Part {
        Part { name, worst, tol, lower_bound: true, cases, detail }
    }

    /// Whether this component is violated (NaN counts as violated: a check never passes on NaN).
    pub fn violated(&self) -> bool {
        if self.lower_bound { !(self.worst >= self.tol) } else { !(self.worst <= self.tol) }
    }

    /// How close to (or beyond) its tolerance the component is: > 1 means violated.
    fn severity(&self) -> f64 {
        tolerance_ratio(self.worst, self.tol, self.lower_bound)
    }
}

/// How close to (or beyond) its tolerance a figure is: worst/tol for a residual, tol/worst for a
/// lower bound; > 1 means violated, NaN is infinitely far.
pub fn tolerance_ratio(worst: f64, tol: f64, lower_bound: bool) -> f64 {
    if worst.is_nan() {
        return f64::INFINITY;
    }
    if lower_bound {
        if worst <= 0.0 { f64::INFINITY } else { tol / worst }
    } else if tol > 0.0 {
        worst / tol
    } else if worst > 0.0 {
        f64::INFINITY
    } else {
        0.0
    }
}

impl Outcome {
    /// Combines the components of a check: violated if any component is; `worst` and `tol` are
    /// those of the binding component (the violated one, else the closest to its tolerance), and
    /// the note lists every component's worst figure.
    pub fn from_parts(parts: Vec<Part>, extra_note: &str) -> Outcome {
        let cases = parts.iter().map(|p| p.cases).max().unwrap_or(0);
        // A part that measured nothing neither holds nor binds: it is reported as not measured.
        let measured = |p: &&Part| p.cases > 0;
        let violated = parts.iter().filter(measured).any(Part::violated);
        let binding = parts
            .iter()
            .filter(measured)
            .filter(|p| !violated || p.violated())
            .max_by(|a, b| a.severity().total_cmp(&b.severity()));
        let mut note: Vec<String> = parts
            .iter()
            .map(|p| {
                if p.cases == 0 {
                    return format!("{}: not measured (no case could be evaluated)", p.name);
                }
                let rel = if p.lower_bound { "≥" } else { "≤" };
                let mark = if p.violated() { "VIOLATED " } else { "" };
                format!("{mark}{}: {:.3e} (needs {rel} {:.1e}){}", p.name, p.worst, p.tol, detail(&p.detail))
            })
            .collect();
        if !extra_note.is_empty() {
            note.push(extra_note.to_string());
        }
        match binding {
            Some(b) => Outcome {
                verdict: if violated { Verdict::Violated } else { Verdict::Holds },
                cases,
                worst: b.worst,
                tol: b.tol,
                note: note.join("; "),
                lower_bound: b.lower_bound,
            },
            None => Outcome {
                verdict: Verdict::NotApplicable,
                cases: 0,
                worst: 0.0,
                tol: 0.0,
                note: note.join("; "),
                lower_bound: false,
            },
        }
    }

    /// Merges outcomes of the same check over several dimensions or case sets. The verdict is
    /// violated if any is, n/a only if all are, else holds; `worst` and `tol` are those of the
    /// binding outcome (a violated one, else the one closest to its tolerance). The note names the
    /// binding outcome and then every n/a dimension with what it could not measure (its note), so
    /// that no dimension disappears from the merged record.
    pub fn merge(outcomes: Vec<(String, Outcome)>) -> Outcome {
        let cases = outcomes.iter().map(|(_, o)| o.cases).sum();
        let any_violated = outcomes.iter().any(|(_, o)| o.verdict == Verdict::Violated);
        let ratio = |o: &Outcome| tolerance_ratio(o.worst, o.tol, o.lower_bound);
        let pick = outcomes
            .iter()
            .filter(|(_, o)| if any_violated { o.verdict == Verdict::Violated } else { o.verdict != Verdict::NotApplicable })
            .max_by(|a, b| ratio(&a.1).total_cmp(&ratio(&b.1)));
        let not_applicable = not_applicable_notes(&outcomes);
        match pick {
            Some((label, o)) => {
                let mut note = format!("worst at {label}: {}", o.note);
                if !not_applicable.is_empty() {
                    note = format!("{note}; {not_applicable}");
                }
                Outcome {
                    verdict: if any_violated { Verdict::Violated } else { Verdict::Holds },
                    cases,
                    worst: o.worst,
                    tol: o.tol,
                    note,
                    lower_bound: o.lower_bound,
                }
            }
            None => Outcome { verdict: Verdict::NotApplicable, cases, worst: 0.0, tol: 0.0, note: not_applicable, lower_bound: false },
        }
    }
}

/// "n/a at A, B: note; n/a at C: other note" over the n/a outcomes, in order, dimensions with the
/// same note named together.
fn not_applicable_notes(outcomes: &[(String, Outcome)]) -> String {
    let mut groups: Vec<(Vec<&str>, &str)> = Vec::new();
    for (label, o) in outcomes.iter().filter(|(_, o)| o.verdict == Verdict::NotApplicable) {
        match groups.iter_mut().find(|(_, note)| *note == o.note) {
            Some((labels, _)) => labels.push(label),
            None => groups.push((vec![label], &o.note)),
        }
    }
    groups.iter().map(|(labels, note)| format!("n/a at {}: {note}", labels.join(", "))).collect::<Vec<_>>().join("; ")
}

fn detail(d: &str) -> String {
    if d.is_empty() { String::new() } else { format!(" at {d}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_violated_part_makes_the_outcome_violated_and_binding() {
        let o = Outcome::from_parts(
            vec![Part::upper("a", 1e-12, 1e-10, 5, String::new()), Part::upper("b", 2e-3, 1e-6, 5, "w = 0".into())],
            "",
        );
        assert_eq!(o.verdict, Verdict::Violated);
        assert_eq!(o.worst, 2e-3);
        assert_eq!(o.tol, 1e-6);
        assert!(o.note.contains("VIOLATED b"), "{}", o.note);
    }

    #[test]
    fn nan_never_passes() {
        let o = Outcome::from_parts(vec![Part::upper("a", f64::NAN, 1.0, 1, String::new())], "");
        assert_eq!(o.verdict, Verdict::Violated);
        let o = Outcome::from_parts(vec![Part::lower("g", f64::NAN, 0.5, 1, String::new())], "");
        assert_eq!(o.verdict, Verdict::Violated);
    }

    fn na(note: &str) -> Outcome {
        Outcome { verdict: Verdict::NotApplicable, cases: 0, worst: 0.0, tol: 0.0, note: note.into(), lower_bound: false }
    }

    #[test]
    fn merge_names_every_not_applicable_dimension() {
        let holds = |worst: f64| Outcome::from_parts(vec![Part::upper("r", worst, 1e-6, 3, String::new())], "");
        let o = Outcome::merge(vec![
            ("m=1".into(), holds(1e-9)),
            ("m=2".into(), na("could not build in dimension 2")),
            ("m=3".into(), holds(5e-7)),
            ("m=5".into(), na("no certificate in dimension 5")),
        ]);
        assert_eq!(o.verdict, Verdict::Holds, "{}", o.note);
        assert_eq!(o.worst, 5e-7, "the binding dimension is the one closest to its tolerance");
        assert!(o.note.starts_with("worst at m=3: "), "{}", o.note);
        assert!(o.note.contains("n/a at m=2: could not build in dimension 2"), "{}", o.note);
        assert!(o.note.contains("n/a at m=5: no certificate in dimension 5"), "{}", o.note);

        // A violation stays binding, and the n/a dimension is still named.
        let bad = Outcome::from_parts(vec![Part::upper("r", 1e-3, 1e-6, 3, String::new())], "");
        let o = Outcome::merge(vec![("m=1".into(), bad), ("m=2".into(), na("setup failed"))]);
        assert_eq!(o.verdict, Verdict::Violated);
        assert!(o.note.contains("n/a at m=2: setup failed"), "{}", o.note);

        // All n/a: every dimension is named, those with the same reason together.
        let o = Outcome::merge(vec![("m=1".into(), na("λ_f = ∞")), ("m=2".into(), na("λ_f = ∞")), ("m=3".into(), na("other"))]);
        assert_eq!(o.verdict, Verdict::NotApplicable);
        assert_eq!(o.note, "n/a at m=1, m=2: λ_f = ∞; n/a at m=3: other");
    }

    #[test]
    fn lower_bounds_fail_below_their_tolerance() {
        let o = Outcome::from_parts(vec![Part::lower("growth", 0.1, 0.5, 3, String::new())], "");
        assert_eq!(o.verdict, Verdict::Violated);
        let o = Outcome::from_parts(vec![Part::lower("growth", 0.9, 0.5, 3, String::new())], "");
        assert_eq!(o.verdict, Verdict::Holds);
    }

    /// A part that measured nothing is reported as such and never decides the verdict: beside a
    /// measured part the record is that part's; alone it is n/a, not a pass.
    #[test]
    fn a_part_without_cases_is_not_measured() {
        let empty = || Part::upper("central differences", 0.0, 1e-6, 0, String::new());
        let o = Outcome::from_parts(vec![Part::upper("num-dual", 1e-12, 1e-10, 5, String::new()), empty()], "");
        assert_eq!((o.verdict, o.worst, o.tol), (Verdict::Holds, 1e-12, 1e-10));
        assert!(o.note.contains("central differences: not measured"), "{}", o.note);
        let o = Outcome::from_parts(vec![empty()], "");
        assert_eq!(o.verdict, Verdict::NotApplicable, "{}", o.note);
        let lower = Part::lower("growth", f64::INFINITY, 0.5, 0, String::new());
        assert_eq!(Outcome::from_parts(vec![lower], "").verdict, Verdict::NotApplicable);
    }
}
