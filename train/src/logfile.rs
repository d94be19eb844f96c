//! The logs of a run folder: `log.jsonl` (one [`LogRecord`] per line, the same as `--json` prints)
//! and `log.csv` (the same columns). Appended record by record; on resume both are cut back to the
//! checkpoint's iteration so that a resumed run's logs equal the uninterrupted run's.

use crate::atomic::write_atomic;
use crate::driver::LogRecord;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 16] = [
    "method",
    "workers",
    "iterations",
    "seconds",
    "objective",
    "batch_loss",
    "train_loss",
    "train_error",
    "test_loss",
    "test_error",
    "consensus",
    "cuts",
    "residual_5a",
    "residual_5b",
    "envelope_stationarity",
    "prox_residual",
];

fn columns() -> &'static [&'static str] {
    &CSV_COLUMNS
}

fn opt(x: Option<f64>) -> String {
    x.map(|v| format!("{v:e}")).unwrap_or_default()
}

/// One CSV row.
pub fn csv_row(r: &LogRecord) -> String {
    format!(
        "{},{},{},{:.3},{:e},{},{:e},{:e},{:e},{:e},{:e},{},{},{},{},{}",
        r.method,
        r.workers,
        r.iterations,
        r.seconds,
        r.objective,
        opt(r.batch_loss),
        r.train_loss,
        r.train_error,
        r.test_loss,
        r.test_error,
        r.consensus,
        r.cuts,
        opt(r.residual_5a),
        opt(r.residual_5b),
        opt(r.envelope_stationarity),
        opt(r.prox_residual)
    )
}

/// The records of a run folder's `log.jsonl`. A last line cut by a kill while it was written is
/// dropped; any other line that is not a record is an error naming the file and the line.
pub fn read_records(dir: &Path) -> Result<Vec<LogRecord>, String> {
    let jsonl = dir.join("log.jsonl");
    let text = std::fs::read_to_string(&jsonl).map_err(|e| format!("{}: cannot read the log ({e})", jsonl.display()))?;
    let lines: Vec<&str> = text.lines().collect();
    let mut records = Vec::new();
    for (k, line) in lines.iter().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        match serde_json::from_str::<LogRecord>(line) {
            Ok(r) => records.push(r),
            Err(_) if k + 1 == lines.len() => {}
            Err(e) => return Err(format!("{}: line {} is not a log record ({e})", jsonl.display(), k + 1)),
        }
    }
    Ok(records)
}

/// The log files of a run folder.
pub struct RunLog {
    jsonl: PathBuf,
    csv: PathBuf,
    records: Vec<LogRecord>,
}

impl RunLog {
    /// New, empty logs in `dir` (replacing none: the caller checked the folder).
    pub fn create(dir: &Path) -> Result<RunLog, String> {
        let log = RunLog { jsonl: dir.join("log.jsonl"), csv: dir.join("log.csv"), records: Vec::new() };
        log.rewrite()?;
        Ok(log)
    }

    /// The logs of `dir` cut back to the records with `iterations ≤ upto`.
    pub fn resume(dir: &Path, upto: usize) -> Result<RunLog, String> {
        let records = read_records(dir)?.into_iter().filter(|r| r.iterations <= upto).collect();
        let log = RunLog { jsonl: dir.join("log.jsonl"), csv: dir.join("log.csv"), records };
        log.rewrite()?;
        Ok(log)
    }

    fn rewrite(&self) -> Result<(), String> {
        let mut j = String::new();
        let mut c = columns().join(",") + "\n";
        for r in &self.records {
            j += &(serde_json::to_string(r).map_err(|e| e.to_string())? + "\n");
            c += &(csv_row(r) + "\n");
        }
        write_atomic(&self.jsonl, j.as_bytes())?;
        write_atomic(&self.csv, c.as_bytes())
    }

    /// Appends a record to both files.
    pub fn append(&mut self, r: &LogRecord) -> Result<(), String> {
        let line = serde_json::to_string(r).map_err(|e| e.to_string())?;
        for (path, text) in [(&self.jsonl, line), (&self.csv, csv_row(r))] {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(|e| format!("{}: cannot append ({e})", path.display()))?;
            writeln!(f, "{text}").map_err(|e| format!("{}: cannot append ({e})", path.display()))?;
        }
        self.records.push(r.clone());
        Ok(())
    }

    /// Every record so far.
    pub fn records(&self) -> &[LogRecord] {
        &self.records
    }
}
