//! `infconv bench`: benchmarks of the kernels of the EASGD model (15).

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;

#[derive(Args)]
pub struct BenchArgs {
    /// A short run (under a minute on 2 cores): fewer sizes, shorter timings.
    #[arg(long)]
    quick: bool,
    /// Print one JSON array of records instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write performance.json, performance-tables.md and performance-time-vs-n.svg into DIR
    /// (the repository's figures: `--out docs`).
    #[arg(long, value_name = "DIR")]
    out: Option<std::path::PathBuf>,
    /// Re-read the records of an earlier `--json` run (or a performance.json) instead of measuring.
    #[arg(long, value_name = "FILE")]
    from: Option<std::path::PathBuf>,
}

/// Runs `infconv bench`.
pub fn run(args: &BenchArgs) -> ExitCode {
    let bar = ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} {pos} records, {elapsed} [{msg}]").expect("a valid progress template"),
    );
    let records = match &args.from {
        Some(file) => match read_records(file) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("infconv bench: --from {}: {e}", file.display());
                return ExitCode::from(2);
            }
        },
        None => infconv_bench::run_with(args.quick, |r| {
            bar.set_message(format!("{} n={} M={} {}", r.kernel, r.n, r.workers, r.backend));
            bar.inc(1);
        }),
    };
    bar.finish_and_clear();
    if let Some(dir) = &args.out {
        if let Err(e) = infconv_bench::write_tables(&records, dir) {
            eprintln!("infconv bench: --out {}: {e}", dir.display());
            return ExitCode::from(1);
        }
        eprintln!("infconv bench: wrote the performance tables into {}", dir.display());
    }
    if args.json {
        match serde_json::to_string_pretty(&records) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("infconv bench: {e}");
                return ExitCode::from(1);
            }
        }
        return ExitCode::SUCCESS;
    }
    let opt = |x: Option<f64>, prec: usize| x.map(|v| format!("{v:.prec$e}")).unwrap_or_else(|| "-".into());
    println!(
        "{:<18} {:<9} {:>9} {:>3} {:<14} {:>10} {:>8} {:>6} {:>8}  note",
        "kernel", "potential", "n", "M", "backend", "s/call", "GB/s", "bw", "vs_numpy"
    );
    for r in &records {
        println!(
            "{:<18} {:<9} {:>9} {:>3} {:<14} {:>10} {:>8} {:>6} {:>8}  {}",
            r.kernel,
            r.potential,
            r.n,
            r.workers,
            r.backend,
            opt(r.seconds_per_call, 2),
            r.gb_per_s.map(|v| format!("{v:.2}")).unwrap_or_else(|| "-".into()),
            r.bw_fraction.map(|v| format!("{v:.2}")).unwrap_or_else(|| "-".into()),
            r.vs_numpy.map(|v| format!("{v:.1}")).unwrap_or_else(|| "-".into()),
            r.note.as_deref().unwrap_or("")
        );
    }
    ExitCode::SUCCESS
}

/// The records of a JSON array (`--json`, performance.json) or of JSON lines.
fn read_records(file: &std::path::Path) -> Result<Vec<infconv_bench::BenchRecord>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(&text).map_err(|e| format!("expected a JSON array of bench records ({e})"));
    }
    text.lines()
        .filter(|l| l.trim_start().starts_with('{'))
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("line {}: expected a bench record ({e})", i + 1)))
        .collect()
}
