//! `infconv table1`: Table 1 of the paper, every potential of Table 2 over a grid, the best run of
//! each, as a Markdown table with Figure 1 of the best runs.

use crate::error::CliError;
use infconv_train::TrainError;
use crate::progress::Bar;
use crate::train::load_data;
use clap::Args;
use infconv_train::LogRecord;
use std::path::PathBuf;
use std::sync::Arc;

/// The flags of `infconv table1`.
#[derive(Debug, Args)]
pub struct Table1Args {
    /// small (σ = 0.01, τ = η²/(2M), λ ∈ {0.1, 0.05}) or paper (σ = τ, the paper's 72 per potential).
    #[arg(long, default_value = "small")]
    pub grid: String,
    /// Iterations per configuration (the paper: 30,000).
    #[arg(long, default_value_t = 2000)]
    pub iterations: usize,
    /// Potentials, comma-separated (default: the six of Table 2).
    #[arg(long, value_delimiter = ',')]
    pub potentials: Vec<String>,
    /// Seed of every run.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// An MNIST-format IDX folder (default: the embedded digits).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Use only the first N training images (0: all).
    #[arg(long, default_value_t = 0)]
    pub train_limit: usize,
    /// Training images behind the logged train loss and objective (0: all).
    #[arg(long, default_value_t = 2000)]
    pub eval_samples: usize,
    /// The table's folder (runs below it; an interrupted grid continues). Default runs/table1-<grid>.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// CPU threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

/// Runs `infconv table1`: writes table1.md, table1.json and figure1.svg (the best run of each
/// potential) into the folder and prints the table.
pub fn run(args: &Table1Args) -> std::process::ExitCode {
    use infconv_train::table1::{TABLE2, Grid, base_config, markdown, table1};
    use std::process::ExitCode;
    let fail = |e: CliError| {
        eprintln!("infconv table1: {e}");
        e.exit_code()
    };
    let bad = |m: &dyn std::fmt::Display| fail(CliError::Input(m.to_string()));
    let grid = match Grid::by_name(&args.grid) {
        Ok(g) => g,
        Err(e) => return fail(e.into()),
    };
    let mut kinds = Vec::new();
    for p in &args.potentials {
        match p.parse::<infconv_kernels::PotentialKind>() {
            Ok(k) => kinds.push(k),
            Err(e) => return bad(&format!("--potentials: {e}")),
        }
    }
    if kinds.is_empty() {
        kinds = TABLE2.to_vec();
    }
    let mut base = base_config(args.iterations, args.seed);
    base.train_limit = args.train_limit;
    base.eval_samples = args.eval_samples;
    if let Err(e) = base.validate() {
        return fail(e.into());
    }
    let data = match load_data(args.data.as_deref(), args.train_limit, args.eval_samples) {
        Ok(d) => Arc::new(d),
        Err(e) => return fail(e.into()),
    };
    let dir = args.out.clone().unwrap_or_else(|| PathBuf::from(format!("runs/table1-{}", args.grid)));
    eprintln!(
        "infconv table1: grid {} ({} configurations per potential), {} iterations each, {} potentials, data {}, into {}",
        args.grid,
        grid.configs(kinds[0], &base).len(),
        args.iterations,
        kinds.len(),
        data.source,
        dir.display()
    );
    let rows = match table1(&grid, &base, &kinds, data.clone(), &dir, args.threads, &mut Bar::new(true, false)) {
        Ok(r) => r,
        Err(e) => return fail(e.into()),
    };
    let note = format!(
        "Table 1 ({} grid, {} iterations, M = 4, batch 20, ν = 1e-4, seed {}) on {} ({} train / {} test images); {}. \
         Best configuration per potential by test error (ties: objective).",
        args.grid,
        args.iterations,
        args.seed,
        data.source,
        data.train.len(),
        data.test.len(),
        infconv_train::run::machine()
    );
    let md = markdown(&rows, data.test.len(), &note);
    let runs: Vec<(String, Vec<LogRecord>)> = rows
        .iter()
        .map(|r| {
            let sub = dir.join(infconv_train::table1::run_name(&r.config));
            let recs = infconv_train::logfile::read_records(&sub).unwrap_or_default();
            (r.potential.clone(), recs)
        })
        .collect();
    let written = (|| -> Result<(), TrainError> {
        infconv_train::atomic::write_atomic(&dir.join("table1.md"), md.as_bytes())?;
        let json = serde_json::to_string_pretty(&rows)?;
        infconv_train::atomic::write_atomic(&dir.join("table1.json"), json.as_bytes())?;
        let svg = infconv_train::plot::figure1(&runs)?;
        infconv_train::atomic::write_atomic(&dir.join("figure1.svg"), svg.as_bytes())
    })();
    if let Err(e) = written {
        return fail(e.into());
    }
    print!("{md}");
    ExitCode::SUCCESS
}

