//! `infconv verify`: runs the check catalogue and prints one verdict per (check, potential,
//! family); exit status 0 exactly when every verdict equals its expected verdict, 1 otherwise,
//! 2 on bad input.

use infconv_verify::error::VerifyError;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use infconv_verify::catalogue::{known_check_ids, known_families};
use infconv_verify::conformance::{self, DEFAULT_DIMS};
use infconv_verify::record::{all_as_expected, to_json, to_table};
use infconv_verify::rng::DEFAULT_SEED;
use infconv_verify::selection::Selection;
use infconv_verify::{figures, report};
use std::process::ExitCode;

#[derive(Args)]
pub struct VerifyArgs {
    /// Print one JSON array of records instead of the table.
    #[arg(long)]
    json: bool,
    /// Only this check (e.g. A3, L3.2).
    #[arg(long, value_name = "ID")]
    check: Option<String>,
    /// Only this potential (see `infconv potentials`).
    #[arg(long, value_name = "NAME")]
    potential: Option<String>,
    /// Only this function family.
    #[arg(long, value_name = "NAME")]
    family: Option<String>,
    /// Seed of every random stream (printed in each record).
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// Dimensions in which the potential checks run, comma-separated (each ≥ 1).
    #[arg(long, value_delimiter = ',', default_values_t = DEFAULT_DIMS.to_vec())]
    dims: Vec<usize>,
    /// Also write a report folder: report.md, records.json and figures/ (a new or empty folder, or
    /// an earlier report, which is replaced).
    #[arg(long, value_name = "DIR")]
    out: Option<std::path::PathBuf>,
}

/// Runs `infconv verify`.
pub fn run(args: &VerifyArgs) -> ExitCode {
    let sel = Selection { check: args.check.clone(), potential: args.potential.clone(), family: args.family.clone() };
    if let Err(e) = sel.validate(&known_check_ids(), &known_families()) {
        eprintln!("infconv verify: {e}");
        return ExitCode::from(2);
    }
    if args.dims.is_empty() || args.dims.contains(&0) {
        eprintln!("infconv verify: invalid --dims {:?}: expected a comma-separated list of dimensions ≥ 1", args.dims);
        return ExitCode::from(2);
    }
    if let Some(dir) = &args.out
        && let Err(e) = report::check_target(dir)
    {
        eprintln!("infconv verify: {e}");
        return ExitCode::from(2);
    }
    let tasks = conformance::tasks(&sel, &args.dims, args.seed);
    let bar = ProgressBar::new(tasks.len() as u64).with_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} records, {elapsed} [{msg}]")
            .expect("a valid progress template"),
    );
    let records: Vec<_> = tasks
        .iter()
        .map(|t| {
            bar.set_message(t.label.clone());
            let r = t.run();
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();
    if args.json {
        println!("{}", to_json(&records));
    } else {
        print!("{}", to_table(&records));
    }
    if let Some(dir) = &args.out {
        let command = std::iter::once("infconv".to_string()).chain(std::env::args().skip(1)).collect::<Vec<_>>().join(" ");
        let figures = [figures::residual_histograms(&records), figures::lambda_sweep(args.seed), figures::c44_sweep(args.seed)];
        let figures: Result<Vec<_>, VerifyError> = figures.into_iter().collect();
        if let Err(e) = figures.and_then(|f| report::write(dir, &records, &command, &f)) {
            eprintln!("infconv verify: {e}");
            return ExitCode::from(if e.is_bad_input() { 2 } else { 1 });
        }
        eprintln!("infconv verify: report written to {}", dir.join("report.md").display());
    }
    if all_as_expected(&records) { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

