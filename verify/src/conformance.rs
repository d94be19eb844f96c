//! The conformance harness: the same checks, `A1`–`A5` and `L3.2`, applied to every potential —
//! registry entries by name, or any [`Legendre`] value a researcher writes — in several dimensions,
//! each (check, potential, dimension) on its own seeded stream.
//!
//! ```
//! use infconv_verify::conformance::{conform, DEFAULT_DIMS};
//! use infconv_verify::Verdict;
//! use infconv_theory::potential::log::Log;
//!
//! let outcome = conform(&|_m| Ok(Box::new(Log::new())), "L3.2", "log", &[2, 3], 42);
//! assert_eq!(outcome.verdict, Verdict::Holds);
//! // The headline part may be a lower bound (L3.2's Lemma 3.2 (i) growth ratio): worst ≥ tol then.
//! assert!(if outcome.lower_bound { outcome.worst >= outcome.tol } else { outcome.worst <= outcome.tol });
//! # let _ = DEFAULT_DIMS;
//! ```

use crate::catalogue::{C44, C44_SWEEP, C51, POTENTIAL_CHECKS, T43_LOCAL, expected_for_c44, expected_for_c51, expected_for_potential};
use crate::checks::{c44, c44_sweep, c51, failed, potential_check};
use crate::prox_checks::t43_local;
use crate::prox_checks;
use crate::outcome::Outcome;
use crate::record::Record;
use crate::rng::stream;
use crate::selection::Selection;
use infconv_theory::potential::registry;
use infconv_theory::{Legendre, TheoryError};

/// The dimensions of `infconv verify`.
pub const DEFAULT_DIMS: &[usize] = &[1, 2, 3, 5, 8];

/// Builds a potential in a dimension.
pub type Builder<'a> = dyn Fn(usize) -> Result<Box<dyn Legendre>, TheoryError> + 'a;

/// Runs one check on a potential in every dimension of `dims` and merges the outcomes. The stream
/// of dimension m is `stream(seed, [check, name, "m=<m>"])`.
pub fn conform(build: &Builder<'_>, check: &str, name: &str, dims: &[usize], seed: u64) -> Outcome {
    let Some(run) = potential_check(check) else {
        return failed(format!("unknown check {check}"));
    };
    let outcomes = dims
        .iter()
        .map(|&m| {
            let label = format!("m={m}");
            let outcome = match build(m) {
                Ok(phi) => run(phi.as_ref(), m, &mut stream(seed, &[check, name, &label])),
                Err(e) => failed(format!("could not build {name} in dimension {m}: {e}")),
            };
            (label, outcome)
        })
        .collect();
    Outcome::merge(outcomes)
}

/// One record to compute: a closure, so that callers can show progress between records.
pub struct Task {
    /// `check potential [family]`, for progress displays.
    pub label: String,
    run: Box<dyn Fn() -> Record + Send>,
}

impl Task {
    /// Computes the record.
    pub fn run(&self) -> Record {
        (self.run)()
    }
}

/// The records selected by `sel`, as tasks: the potential checks for every registry potential,
/// the prox checks for every (paper potential, family) pair, `C4.4` for every (paper potential,
/// family), then `C5.1` for every (potential, problem), then `L3.4-dom` and `D4.2-(11)`.
pub fn tasks(sel: &Selection, dims: &[usize], seed: u64) -> Vec<Task> {
    let mut out = Vec::new();
    for info in registry::all().into_iter().filter(|p| sel.wants_potential(p.name)) {
        if !sel.wants_family(None) {
            continue;
        }
        for check in POTENTIAL_CHECKS.iter().filter(|c| sel.wants_check(c.id)) {
            let dims = dims.to_vec();
            out.push(Task {
                label: format!("{} {}", check.id, info.name),
                run: Box::new(move || {
                    let outcome = conform(&|m| info.build(m), check.id, info.name, &dims, seed);
                    let expected = expected_for_potential(check.id, info.name);
                    Record::new(check.id, info.name, None, expected, seed, outcome)
                }),
            });
        }
    }
    for (id, potential, family) in prox_checks::selected(sel) {
        out.push(Task {
            label: format!("{id} {potential} × {family}"),
            run: Box::new(move || prox_checks::record(id, potential, family, seed)),
        });
    }
    // T4.3-local: the paper potentials × the families with r > 0.
    if sel.wants_check(T43_LOCAL.id) {
        for potential in crate::catalogue::paper_potentials().into_iter().filter(|p| sel.wants_potential(p)) {
            for family in t43_local::local_families().into_iter().filter(|f| sel.wants_family(Some(f))) {
                out.push(Task {
                    label: format!("{} {potential} × {family}", T43_LOCAL.id),
                    run: Box::new(move || t43_local::record(potential, family, seed)),
                });
            }
        }
    }
    // C4.4, C4.4-sweep and C5.1: one record per (potential, family) of their lists.
    type PairChecks = (&'static str, Vec<&'static str>, &'static [&'static str], fn(&'static str, &'static str, u64) -> Record);
    let pairs: [PairChecks; 3] = [
        (C44.id, crate::catalogue::prox_potentials(), crate::catalogue::C44_FAMILIES, |p, f, seed| {
            Record::new(C44.id, p, Some(f), expected_for_c44(f), seed, c44::check(p, f, seed))
        }),
        (C44_SWEEP.id, c44_sweep::potentials(), &[crate::catalogue::C44_SWEEP_FAMILY], |p, f, seed| {
            Record::new(C44_SWEEP.id, p, Some(f), c44_sweep::expected(p), seed, c44_sweep::check(p, seed))
        }),
        (C51.id, crate::catalogue::paper_potentials(), crate::catalogue::C51_PROBLEMS, |p, f, seed| {
            Record::new(C51.id, p, Some(f), expected_for_c51(p, f), seed, c51::check(p, f, seed))
        }),
    ];
    for (id, potentials, families, record) in pairs {
        if !sel.wants_check(id) {
            continue;
        }
        for potential in potentials.into_iter().filter(|p| sel.wants_potential(p)) {
            for &family in families.iter().filter(|f| sel.wants_family(Some(f))) {
                out.push(Task { label: format!("{id} {potential} × {family}"), run: Box::new(move || record(potential, family, seed)) });
            }
        }
    }
    // L3.4-dom: the prox potentials with a round bounded domain × the bounded-domain families.
    if sel.wants_check(crate::catalogue::L34_DOM.id) {
        use crate::prox_checks::l34_domain;
        let potentials = l34_domain::round_domain(&crate::catalogue::prox_potentials());
        for potential in potentials.into_iter().filter(|p| sel.wants_potential(p)) {
            for &family in l34_domain::FAMILIES.iter().filter(|f| sel.wants_family(Some(f))) {
                out.push(Task {
                    label: format!("{} {potential} × {family}", l34_domain::ID),
                    run: Box::new(move || {
                        Record::new(l34_domain::ID, potential, Some(family), l34_domain::expected(), seed, l34_domain::check(potential, family, seed))
                    }),
                });
            }
        }
    }
    // D4.2-(11): every registered family, alone.
    if sel.wants_check(crate::catalogue::D42.id) && sel.wants_potential(crate::catalogue::NO_POTENTIAL) {
        for info in infconv_theory::family::registry::all().iter().filter(|f| sel.wants_family(Some(f.name))) {
            let family = info.name;
            out.push(Task {
                label: format!("{} {family}", crate::catalogue::D42.id),
                run: Box::new(move || {
                    let o = crate::checks::d42::check(family, seed);
                    Record::new(crate::catalogue::D42.id, crate::catalogue::NO_POTENTIAL, Some(family), crate::checks::d42::expected(family), seed, o)
                }),
            });
        }
    }
    out
}

/// The records selected by `sel`, computed in order.
pub fn records(sel: &Selection, dims: &[usize], seed: u64) -> Vec<Record> {
    tasks(sel, dims, seed).iter().map(Task::run).collect()
}
