//! `infconv`: the command line of the workbench, one file per subcommand.
//!
//! - `infconv verify` ([`verify`]): the check catalogue, one verdict per (check, potential,
//!   family); exit 0 exactly when every verdict is the expected one;
//! - `infconv potentials` ([`potentials`]): the registered potentials and what they declare;
//! - `infconv prox` ([`prox`]): P, e and ∇e at a point, the λ sweep, the 1-D plot;
//! - `infconv bench` ([`bench`]): the kernels' benchmark suite, and the performance tables;
//! - `infconv data` ([`data`]): fetch and inspect MNIST-format data;
//! - `infconv train` ([`train`]): Algorithm 1 (or mSGD) on LeNet-5 and MNIST;
//! - `infconv table1` ([`table1`]): Table 1 over a grid;
//! - `infconv figure1` ([`figure1`]): Figure 1 of several runs.
//!
//! Exit status everywhere: 0 success, 1 a failure (or an unexpected verdict), 2 bad input
//! ([`error::CliError`] says which an error is).

mod bench;
mod data;
mod error;
mod figure1;
mod potentials;
mod progress;
mod prox;
mod table1;
mod train;
mod verify;

use clap::{Parser, Subcommand};
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
    Verify(verify::VerifyArgs),
    /// Evaluate the φ-prox P, the φ-envelope e and ∇e for a potential and a family at v, λ;
    /// sweep λ for the largest one where formula (13) holds; plot f, e and P in 1-D.
    Prox(prox::ProxArgs),
    /// Benchmark the kernels of the EASGD model (15): CPU one thread, CPU all threads, wgpu, a triad
    /// bandwidth baseline and a numpy peer; one record per (kernel, n, workers, backend).
    Bench(bench::BenchArgs),
    /// List the registered potentials with their formulas and what they declare.
    Potentials,
    /// Data sets for the LeNet-5 experiment: `data fetch mnist`, `data info [--data DIR]`.
    Data(data::DataArgs),
    /// Train LeNet-5 on MNIST with Algorithm 1 (or mSGD): checkpoints, logs, Figure 1 and the
    /// Corollary 5.1 figures at the end.
    Train(Box<train::TrainArgs>),
    /// Table 1 of the paper: every potential of Table 2 over a grid, the best run of each, as a
    /// Markdown table with Figure 1 of the best runs.
    Table1(table1::Table1Args),
    /// Figure 1 of several training runs in one SVG (objective, losses, test error).
    Figure1(figure1::Figure1Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Verify(args) => verify::run(&args),
        Command::Train(args) => train::run(&args),
        Command::Table1(args) => table1::run(&args),
        Command::Figure1(args) => figure1::run(&args),
        Command::Prox(args) => prox::main(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Data(args) => ExitCode::from(data::run(&args)),
        Command::Potentials => potentials::run(),
    }
}
