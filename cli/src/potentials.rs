//! `infconv potentials`: the registered potentials, one line each.

use infconv_theory::potential::registry;
use std::process::ExitCode;

/// Runs `infconv potentials`.
pub fn run() -> ExitCode {
    for p in registry::all() {
        println!("{:<12} {:<10} {}", p.name, p.group.to_string(), p.summary);
    }
    ExitCode::SUCCESS
}
