//! `infconv`: the command line of the workbench.
//!
//! - `infconv verify`: runs the check catalogue and prints the verdicts (table or `--json`); exit
//!   status 0 exactly when every verdict equals its expected verdict, 1 otherwise, 2 on bad input.
//! - `infconv potentials`: lists the named potentials.

use clap::{Args, Parser, Subcommand};
use infconv_theory::potential::registry;
use indicatif::{ProgressBar, ProgressStyle};
use infconv_verify::catalogue::{known_check_ids, known_families};
use infconv_verify::conformance::{self, DEFAULT_DIMS};
use infconv_verify::record::{all_as_expected, to_json, to_table};
use infconv_verify::cli_prox::{self, ProxArgs};
use infconv_verify::{figures, report};
use infconv_verify::rng::DEFAULT_SEED;
use infconv_verify::selection::Selection;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "infconv", version, about = "Executable, falsifiable mathematics of inf-convolution regularized nonconvex composite problems (Laude, Wu, Cremers, AISTATS 2019)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the check catalogue and print one verdict per (check, potential, family).
    Verify(VerifyArgs),
    /// Evaluate the φ-prox P, the φ-envelope e and ∇e for a potential and a family at v, λ;
    /// sweep λ for the largest one where formula (13) holds; plot f, e and P in 1-D.
    Prox(ProxArgs),
    /// Benchmark the kernels of the EASGD model (15): CPU one thread, CPU all threads, wgpu, a triad
    /// bandwidth baseline and a numpy peer; one record per (kernel, n, workers, backend).
    Bench(BenchArgs),
    /// List the named potentials with their formulas and groups.
    Potentials,
    /// Data sets for the LeNet-5 experiment: `data fetch mnist`, `data info [--data DIR]`.
    Data(infconv_verify::cli_data::DataArgs),
    /// Train LeNet-5 on MNIST with Algorithm 1 (or mSGD): checkpoints, logs, Figure 1 and the
    /// Corollary 5.1 figures at the end.
    Train(infconv_verify::cli_train::TrainArgs),
    /// Table 1 of the paper: every potential of Table 2 over a grid, the best run of each, as a
    /// Markdown table with Figure 1 of the best runs.
    Table1(infconv_verify::cli_train::Table1Args),
    /// Figure 1 of several training runs in one SVG (objective, losses, test error).
    Figure1(infconv_verify::cli_train::Figure1Args),
}

#[derive(Args)]
struct BenchArgs {
    /// A short run (under a minute on 2 cores): fewer sizes, shorter timings.
    #[arg(long)]
    quick: bool,
    /// Print one JSON array of records instead of the table.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct VerifyArgs {
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Verify(args) => verify(&args),
        Command::Train(args) => infconv_verify::cli_train::main(&args),
        Command::Table1(args) => infconv_verify::cli_train::table1_main(&args),
        Command::Figure1(args) => infconv_verify::cli_train::figure1_main(&args),
        Command::Prox(args) => match cli_prox::run(&args) {
            Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            Err(e) => {
                eprintln!("infconv prox: {e}");
                ExitCode::from(2)
            }
        },
        Command::Bench(args) => bench(&args),
        Command::Data(args) => ExitCode::from(infconv_verify::cli_data::run(&args)),
        Command::Potentials => {
            for p in registry::all() {
                println!("{:<12} {:<10} {}", p.name, p.group.to_string(), p.summary);
            }
            ExitCode::SUCCESS
        }
    }
}

fn verify(args: &VerifyArgs) -> ExitCode {
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
        let figures = [figures::residual_histograms(&records), figures::lambda_sweep(args.seed)];
        let figures: Result<Vec<_>, String> = figures.into_iter().collect();
        if let Err(e) = figures.and_then(|f| report::write(dir, &records, &command, &f)) {
            eprintln!("infconv verify: {e}");
            return ExitCode::from(2);
        }
        eprintln!("infconv verify: report written to {}", dir.join("report.md").display());
    }
    if all_as_expected(&records) { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

fn bench(args: &BenchArgs) -> ExitCode {
    let bar = ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} {pos} records, {elapsed} [{msg}]").expect("a valid progress template"),
    );
    let records = infconv_bench::run_with(args.quick, |r| {
        bar.set_message(format!("{} n={} M={} {}", r.kernel, r.n, r.workers, r.backend));
        bar.inc(1);
    });
    bar.finish_and_clear();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&records).expect("records hold only strings and numbers"));
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
