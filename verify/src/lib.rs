//! # infconv-verify
//!
//! Every numbered statement of Laude, Wu, Cremers (AISTATS 2019) as a check that can fail
//! (docs/checks.md): a check samples cases with a fixed seed, measures a residual and returns a
//! [`Verdict`] with the worst residual and the tolerance it was held to. The catalogue states the
//! expected verdict of each (check, potential, family), derived from what the potential and the
//! family declare in the theory crate's registries; negative controls are expected `violated`,
//! and the suite must say so.
//!
//! - [`catalogue`]: check ids, statements, expected verdicts, and which potentials each check
//!   applies to;
//! - [`conformance`]: the harness: the tasks of `infconv verify` and `A1`–`A5`, `L3.2` on any
//!   potential;
//! - [`checks`]: `A1`–`A5` and `L3.2` (section 3), `C4.4` (model (4)) and `C5.1` (model (15));
//! - [`prox_checks`]: `D3.3`, `L3.4`, `T4.3-*` (sections 3 and 4) against the global oracle;
//! - [`divergence`]: growth and blow-up along rays toward the boundary (A1, A2, A4);
//! - [`sampling`]: points of dom φ, the trusted zone near its boundary;
//! - [`rng`]: the seeded ChaCha8 streams of every check;
//! - [`selection`]: `--check`, `--potential`, `--family` filters;
//! - [`outcome`]: a check's verdict, worst residual and tolerance;
//! - [`record`]: the report contract (JSON records, the table);
//! - [`report`]: the `--out` folder (report.md, records.json, figures);
//! - [`figures`]: the report's SVG figures and the 1-D prox plot;
//! - [`tolerance`]: every tolerance, derived and named in one place.

pub mod catalogue;
pub mod checks;
pub mod conformance;
pub mod divergence;
pub mod error;
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
