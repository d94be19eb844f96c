//! Benchmarks of infconv: the kernels of model (15) on every backend, a bandwidth baseline (a
//! triad over the same number of bytes) and the numpy peer (`peers/easgd_numpy.py`).
//! [`run`] returns one [`BenchRecord`] per (kernel, n, workers, backend); `infconv bench` prints
//! them (and with `--out DIR` writes the performance tables, [`write_tables`]);
//! `benches/kernels.rs` is the criterion version of the same measurements.
//!
//! - [`suite`]: the measured cases and the records; [`timing`]: seconds per call;
//! - [`triad`]: the bandwidth baseline; [`peer`]: the numpy peer; [`plot`]: time against n.

pub mod peer;
pub mod plot;
pub mod suite;
pub mod timing;
pub mod triad;

pub use suite::{BenchRecord, run, run_with};

/// Writes `performance.json`, `performance-tables.md` and `performance-time-vs-n.svg` of
/// `records` into `dir` (created if missing).
pub fn write_tables(records: &[BenchRecord], dir: &std::path::Path) -> Result<(), String> {
    let io = |p: &std::path::Path, e: std::io::Error| format!("{}: {e}", p.display());
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let json = serde_json::to_string_pretty(records).map_err(|e| e.to_string())?;
    let p = dir.join("performance.json");
    std::fs::write(&p, json).map_err(|e| io(&p, e))?;
    let p = dir.join("performance-tables.md");
    std::fs::write(&p, suite::markdown(records)).map_err(|e| io(&p, e))?;
    plot::time_vs_n(records, "step", "tan", 4, &dir.join("performance-time-vs-n.svg"))
}
