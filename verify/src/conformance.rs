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
//! assert!(outcome.worst <= outcome.tol);
//! # let _ = DEFAULT_DIMS;
//! ```

use crate::catalogue::{POTENTIAL_CHECKS, expected_for_potential};
use crate::checks::{failed, potential_check};
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

/// The records of the potential checks selected by `sel`, for every registry potential.
pub fn records(sel: &Selection, dims: &[usize], seed: u64) -> Vec<Record> {
    let mut out = Vec::new();
    for info in registry::all().iter().filter(|p| sel.wants_potential(p.name)) {
        if !sel.wants_family(None) {
            continue;
        }
        for check in POTENTIAL_CHECKS.iter().filter(|c| sel.wants_check(c.id)) {
            let outcome = conform(&|m| info.build(m), check.id, info.name, dims, seed);
            let expected = expected_for_potential(check.id, info.name);
            out.push(Record::new(check.id, info.name, None, expected, seed, outcome));
        }
    }
    out
}
