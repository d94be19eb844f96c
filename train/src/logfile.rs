//! The logs of a run folder: `log.jsonl` (one [`LogRecord`] per line, the same as `--json` prints)
//! and `log.csv` (the same columns). Appended record by record; on resume both are cut back to the
//! checkpoint's iteration so that a resumed run's logs equal the uninterrupted run's.

use crate::error::TrainError;
use crate::atomic::write_atomic;
use crate::driver::LogRecord;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `log.csv` of the records: a header of the [`LogRecord`] field names, one row per record (an
/// absent figure is an empty cell), written by the `csv` crate through serde, so the columns are
/// the record's fields by construction.
pub fn csv_text(records: &[LogRecord]) -> Result<String, TrainError> {
    // serde writes the header with the first record: an empty log still names its columns.
    let header = csv_rows(&[LogRecord::default()], true)?;
    let header = header.lines().next().unwrap_or_default();
    Ok(format!("{header}\n{}", csv_rows(records, false)?))
}

/// The CSV rows of `records`, with or without the header line.
fn csv_rows(records: &[LogRecord], header: bool) -> Result<String, TrainError> {
    let mut w = csv::WriterBuilder::new().has_headers(header).from_writer(Vec::new());
    for r in records {
        w.serialize(r).map_err(|e| e.to_string())?;
    }
    Ok(String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())?)
}

/// The records of a run folder's `log.jsonl`. A last line cut by a kill while it was written is
/// dropped; any other line that is not a record is an error naming the file and the line.
pub fn read_records(dir: &Path) -> Result<Vec<LogRecord>, TrainError> {
    let jsonl = dir.join("log.jsonl");
    let text = std::fs::read_to_string(&jsonl).map_err(TrainError::io(&jsonl, "cannot read the log"))?;
    let lines: Vec<&str> = text.lines().collect();
    let mut records = Vec::new();
    for (k, line) in lines.iter().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        match serde_json::from_str::<LogRecord>(line) {
            Ok(r) => records.push(r),
            Err(_) if k + 1 == lines.len() => {}
            Err(e) => return Err(format!("{}: line {} is not a log record ({e})", jsonl.display(), k + 1).into()),
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
    pub fn create(dir: &Path) -> Result<RunLog, TrainError> {
        let log = RunLog { jsonl: dir.join("log.jsonl"), csv: dir.join("log.csv"), records: Vec::new() };
        log.rewrite()?;
        Ok(log)
    }

    /// The logs of `dir` cut back to the records with `iterations ≤ upto`.
    pub fn resume(dir: &Path, upto: usize) -> Result<RunLog, TrainError> {
        let records = read_records(dir)?.into_iter().filter(|r| r.iterations <= upto).collect();
        let log = RunLog { jsonl: dir.join("log.jsonl"), csv: dir.join("log.csv"), records };
        log.rewrite()?;
        Ok(log)
    }

    fn rewrite(&self) -> Result<(), TrainError> {
        let mut j = String::new();
        for r in &self.records {
            j += &(serde_json::to_string(r)? + "\n");
        }
        write_atomic(&self.jsonl, j.as_bytes())?;
        write_atomic(&self.csv, csv_text(&self.records)?.as_bytes())
    }

    /// Appends a record to both files.
    pub fn append(&mut self, r: &LogRecord) -> Result<(), TrainError> {
        let line = serde_json::to_string(r)? + "\n";
        for (path, text) in [(&self.jsonl, line), (&self.csv, csv_rows(std::slice::from_ref(r), false)?)] {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(TrainError::io(path, "cannot append"))?;
            f.write_all(text.as_bytes()).map_err(TrainError::io(path, "cannot append"))?;
        }
        self.records.push(r.clone());
        Ok(())
    }

    /// Every record so far.
    pub fn records(&self) -> &[LogRecord] {
        &self.records
    }
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    /// log.csv reads back into the same records (absent figures as empty cells), and an empty log
    /// still has the header. Control: a record changed after writing no longer matches.
    #[test]
    fn csv_round_trips_the_records() {
        let a = LogRecord { method: "log".into(), workers: 4, iterations: 250, objective: 0.5, residual_5a: Some(1e-3), ..LogRecord::default() };
        let b = LogRecord { iterations: 500, batch_loss: Some(0.25), ..a.clone() };
        let text = csv_text(&[a.clone(), b.clone()]).unwrap();
        let back: Vec<LogRecord> = csv::Reader::from_reader(text.as_bytes()).deserialize().collect::<Result<_, _>>().unwrap();
        assert_eq!(back, vec![a.clone(), b]);
        let header = csv_text(&[]).unwrap();
        assert!(header.starts_with("method,workers,iterations,seconds,objective") && header.lines().count() == 1, "{header}");
        let mut changed = a;
        changed.cuts = 1;
        assert_ne!(back[0], changed);
    }
}
