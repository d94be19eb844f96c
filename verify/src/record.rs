//! The report contract of `infconv verify` (docs/checks.md): one record per (check, potential,
//! family), printed as a JSON array or as a table; the run succeeds exactly when every verdict
//! equals its expected verdict.

use crate::outcome::{Outcome, Verdict};
use serde::Serialize;
use std::fmt::Write as _;

/// One line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    /// Check id (`A1`, `L3.2`, `T4.3-gradient13`, …).
    pub check: String,
    /// Potential name from the registry.
    pub potential: String,
    /// Function family (null for checks of φ alone).
    pub family: Option<String>,
    /// Cases measured.
    pub cases: usize,
    /// Measured verdict.
    pub verdict: Verdict,
    /// Verdict the catalogue expects.
    pub expected: Verdict,
    /// Worst residual, or the offending figure of a violation.
    pub worst: f64,
    /// Tolerance `worst` was compared with.
    pub tol: f64,
    /// The run's seed (replay with `--seed`).
    pub seed: u64,
    /// What was measured and where.
    pub note: String,
    /// `worst` is a lower bound (`worst ≥ tol` holds); shown as ≥ in the table.
    #[serde(skip)]
    pub lower_bound: bool,
}

impl Record {
    /// A record from an outcome and the catalogue's expectation.
    pub fn new(check: &str, potential: &str, family: Option<&str>, expected: Verdict, seed: u64, o: Outcome) -> Record {
        Record {
            check: check.into(),
            potential: potential.into(),
            family: family.map(Into::into),
            cases: o.cases,
            verdict: o.verdict,
            expected,
            worst: o.worst,
            tol: o.tol,
            seed,
            note: o.note,
            lower_bound: o.lower_bound,
        }
    }

    /// Whether the measured verdict is the expected one.
    pub fn as_expected(&self) -> bool {
        self.verdict == self.expected
    }
}

/// Whether every record is as expected (the exit status of `infconv verify`).
pub fn all_as_expected(records: &[Record]) -> bool {
    records.iter().all(Record::as_expected)
}

/// The JSON array of the records.
pub fn to_json(records: &[Record]) -> String {
    serde_json::to_string_pretty(records).expect("records hold only strings and numbers")
}

/// The human-readable table: one row per record, then the notes of every record that is violated
/// or not as expected, then a summary line.
pub fn to_table(records: &[Record]) -> String {
    let mut out = String::new();
    let w_check = records.iter().map(|r| r.check.chars().count()).max().unwrap_or(5).max(5);
    let w_pot = records.iter().map(|r| r.potential.chars().count()).max().unwrap_or(9).max(9);
    let w_fam = records.iter().map(|r| r.family.as_deref().unwrap_or("-").chars().count()).max().unwrap_or(6).max(6);
    let _ = writeln!(
        out,
        "{:<w_check$}  {:<w_pot$}  {:<w_fam$}  {:>5}  {:<8}  {:<8}  {:>10}  {:>9}  {}",
        "check", "potential", "family", "cases", "verdict", "expected", "worst", "tol", "ok"
    );
    for r in records {
        let _ = writeln!(
            out,
            "{:<w_check$}  {:<w_pot$}  {:<w_fam$}  {:>5}  {:<8}  {:<8}  {:>10.3e}  {:>9}  {}",
            r.check,
            r.potential,
            r.family.as_deref().unwrap_or("-"),
            r.cases,
            r.verdict.to_string(),
            r.expected.to_string(),
            r.worst,
            format!("{}{:.1e}", if r.lower_bound { "≥" } else { "≤" }, r.tol),
            if r.as_expected() { "yes" } else { "NO" }
        );
    }
    let flagged: Vec<&Record> = records.iter().filter(|r| !r.as_expected() || r.verdict == Verdict::Violated).collect();
    if !flagged.is_empty() {
        let _ = writeln!(out, "\nnotes (violated or unexpected):");
        for r in flagged {
            let fam = r.family.as_deref().map(|f| format!(" × {f}")).unwrap_or_default();
            let mark = if r.as_expected() { "" } else { "UNEXPECTED " };
            let _ = writeln!(out, "  {mark}{} {}{fam}: {}", r.check, r.potential, r.note);
        }
    }
    let bad = records.iter().filter(|r| !r.as_expected()).count();
    let seed = records.first().map(|r| r.seed.to_string()).unwrap_or_else(|| "-".into());
    let _ = writeln!(
        out,
        "\n{} records: {} as expected, {} unexpected (seed {seed})",
        records.len(),
        records.len() - bad,
        bad
    );
    out
}
