//! # infconv-verify
//!
//! Every numbered statement of Laude, Wu, Cremers (AISTATS 2019) as a check that can fail
//! (`../shared/notes/checks.md`): a check samples cases with a fixed seed, measures a residual and
//! returns a [`Verdict`] with the worst residual and the tolerance it was held to. The catalogue
//! states the expected verdict of each (check, potential, family); negative controls are expected
//! `violated`, and the suite must say so.
//!
//! - [`conformance`]: the harness that applies `A1`–`A5` and `L3.2` to any potential;
//! - [`catalogue`]: check ids, statements and expected verdicts;
//! - [`record`]: the report contract (JSON records, the table);
//! - [`tolerance`]: every tolerance, derived and named in one place;
//! - [`train`]: LeNet-5 on MNIST with Algorithm 1 (issue 6), `infconv train` and `infconv table1`.

pub mod catalogue;
pub mod checks;
pub mod conformance;
pub mod divergence;
pub mod figures;
pub mod outcome;
pub mod prox_checks;
pub mod record;
pub mod report;
pub mod rng;
pub mod sampling;
pub mod selection;
pub mod tolerance;

pub use outcome::{Outcome, Verdict};

#[doc = include_str!("../../docs/adding-a-potential.md")]
pub mod adding_a_potential {}
pub use record::Record;
