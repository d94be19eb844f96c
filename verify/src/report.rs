//! `infconv verify --out DIR`: a report that reads on its own — `report.md` (what was checked, the
//! verdicts, the figures behind them, how to replay), `records.json` (the records of
//! `--json`) and figures — written to a fresh folder beside DIR and moved into place only when
//! complete, so that nothing half-written is ever left at DIR.

use crate::error::VerifyError;
use crate::catalogue::all_checks;
use crate::outcome::Verdict;
use crate::record::{Record, all_as_expected, to_json};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The file that marks a folder as an infconv report (so that `--out` may replace it).
pub const MARKER: &str = ".infconv-report";

/// A figure to include: file name under `figures/` and its SVG text.
pub struct Figure {
    /// File name (`residuals-A1.svg`).
    pub file: String,
    /// Caption in the report.
    pub caption: String,
    /// SVG document.
    pub svg: String,
}

/// Whether `dir` may receive a report: it must not exist, be empty, or hold an earlier report
/// (marked by [`MARKER`]), and its parent must exist. Called before any work is done, so that a bad
/// `--out` fails at once.
pub fn check_target(dir: &Path) -> Result<(), VerifyError> {
    staging_path(dir)?;
    if dir.exists() {
        let is_dir = dir.is_dir();
        let empty = is_dir && fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
        let earlier = dir.join(MARKER).is_file();
        if !is_dir || !(empty || earlier) {
            return Err(VerifyError::Input(format!(
                "--out {}: exists and is not an empty folder or an earlier infconv report; expected a new or empty folder",
                dir.display()
            )));
        }
    }
    Ok(())
}

/// Writes the report for `records` to `dir` (see [`check_target`]).
pub fn write(dir: &Path, records: &[Record], command: &str, figures: &[Figure]) -> Result<(), VerifyError> {
    check_target(dir)?;
    let staging = staging_path(dir)?;
    let result = (|| -> std::io::Result<()> {
        fs::create_dir_all(staging.join("figures"))?;
        fs::write(staging.join(MARKER), "infconv verify report\n")?;
        fs::write(staging.join("records.json"), to_json(records))?;
        for f in figures {
            fs::write(staging.join("figures").join(&f.file), &f.svg)?;
        }
        fs::write(staging.join("report.md"), markdown(records, command, figures))?;
        if dir.exists() {
            fs::remove_dir_all(dir)?;
        }
        fs::rename(&staging, dir)
    })();
    result.map_err(|source| {
        let _ = fs::remove_dir_all(&staging);
        VerifyError::Io { path: dir.to_path_buf(), what: "could not write the report", source }
    })
}

fn staging_path(dir: &Path) -> Result<PathBuf, VerifyError> {
    let name = dir.file_name().ok_or_else(|| VerifyError::Input(format!("--out {}: expected a folder name", dir.display())))?;
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(VerifyError::Input(format!("--out {}: the parent folder {} does not exist", dir.display(), parent.display())));
    }
    Ok(parent.join(format!(".{}.partial-{}", name.to_string_lossy(), std::process::id())))
}

fn statement(check: &str) -> &'static str {
    all_checks().into_iter().find(|c| c.id == check).map(|c| c.statement).unwrap_or("(see docs/theory-map.md)")
}

/// The Markdown text of the report.
pub fn markdown(records: &[Record], command: &str, figures: &[Figure]) -> String {
    let mut md = String::new();
    let ok = all_as_expected(records);
    let bad = records.iter().filter(|r| !r.as_expected()).count();
    let seed = records.first().map(|r| r.seed).unwrap_or(crate::rng::DEFAULT_SEED);
    let _ = writeln!(md, "# infconv verification report\n");
    let _ = writeln!(
        md,
        "Laude, Wu, Cremers, *Optimization of Inf-Convolution Regularized Nonconvex Composite Problems* \
         (AISTATS 2019): each numbered statement below was turned into a measurement that can fail. A \
         check samples cases from a fixed seed, measures residuals, and compares the worst one with a \
         tolerance derived in `verify/src/tolerance.rs`. Negative controls — potentials or problems that \
         break a hypothesis on purpose — are *expected* to come out `violated`: that is how the suite \
         shows it can fail.\n"
    );
    let _ = writeln!(md, "**Result: {}.** {} records, {} as expected, {} unexpected; seed {seed}.\n", if ok { "every verdict is the expected one" } else { "SOME VERDICTS ARE NOT THE EXPECTED ONES" }, records.len(), records.len() - bad, bad);
    let _ = writeln!(md, "Replay: `{command}` (the same seed reproduces every record).\n");
    let _ = writeln!(md, "## How to read a record\n");
    let _ = writeln!(
        md,
        "- **verdict**: `holds` (every case within tolerance), `violated` (some case beyond it; *worst* is \
         the offending figure), `n/a` (the statement's hypothesis is not met).\n\
         - **expected**: what the catalogue expects (`verify/src/catalogue.rs` gives the reason for every \
         expectation that is not `holds`).\n\
         - **worst / tol**: the binding measured part of the check and its tolerance; `≤` for residuals, \
         `≥` for lower bounds such as growth ratios. The note lists every part.\n\
         - Identities are judged on the *trusted zone* (distance to the boundary of dom φ at least 1e-3 of \
         its inradius); residuals closer in are reported in the note, not judged.\n"
    );
    let mut checks: Vec<&str> = Vec::new();
    for r in records {
        if !checks.contains(&r.check.as_str()) {
            checks.push(&r.check);
        }
    }
    let _ = writeln!(md, "## Summary by check\n");
    let _ = writeln!(md, "| check | statement | records | holds | violated | n/a | unexpected |");
    let _ = writeln!(md, "|---|---|---|---|---|---|---|");
    for c in &checks {
        let rs: Vec<&Record> = records.iter().filter(|r| r.check == *c).collect();
        let count = |v: Verdict| rs.iter().filter(|r| r.verdict == v).count();
        let _ = writeln!(
            md,
            "| `{c}` | {} | {} | {} | {} | {} | {} |",
            statement(c),
            rs.len(),
            count(Verdict::Holds),
            count(Verdict::Violated),
            count(Verdict::NotApplicable),
            rs.iter().filter(|r| !r.as_expected()).count()
        );
    }
    if !figures.is_empty() {
        let _ = writeln!(md, "\n## Figures\n");
        for f in figures {
            let _ = writeln!(md, "![{}](figures/{})\n\n*{}*\n", f.caption, f.file, f.caption);
        }
    }
    for c in &checks {
        let _ = writeln!(md, "\n## `{c}`: {}\n", statement(c));
        let _ = writeln!(md, "| potential | family | cases | verdict | expected | worst | tol |");
        let _ = writeln!(md, "|---|---|---|---|---|---|---|");
        for r in records.iter().filter(|r| r.check == *c) {
            let mark = if r.as_expected() { "" } else { " **UNEXPECTED**" };
            let _ = writeln!(
                md,
                "| {} | {} | {} | {}{mark} | {} | {:.3e} | {}{:.1e} |",
                r.potential,
                r.family.as_deref().unwrap_or("—"),
                r.cases,
                r.verdict,
                r.expected,
                r.worst,
                if r.lower_bound { "≥ " } else { "≤ " },
                r.tol
            );
        }
        let _ = writeln!(md, "\n<details><summary>notes</summary>\n");
        for r in records.iter().filter(|r| r.check == *c) {
            let fam = r.family.as_deref().map(|f| format!(" × {f}")).unwrap_or_default();
            let _ = writeln!(md, "- **{}{fam}** ({}): {}", r.potential, r.verdict, r.note);
        }
        let _ = writeln!(md, "\n</details>");
    }
    md
}
