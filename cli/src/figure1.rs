//! `infconv figure1`: Figure 1 of several training runs in one SVG.

use clap::Args;
use std::path::PathBuf;

/// The flags of `infconv figure1`.
#[derive(Debug, Args)]
pub struct Figure1Args {
    /// Run folders (of `infconv train`), each drawn as one curve named after its folder.
    #[arg(required = true, value_name = "RUN_DIR")]
    pub runs: Vec<PathBuf>,
    /// The SVG file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Runs `infconv figure1`: Figure 1 (objective, train and test loss, test error against
/// iterations) of several runs in one SVG.
pub fn run(args: &Figure1Args) -> std::process::ExitCode {
    use std::process::ExitCode;
    let mut runs = Vec::new();
    for dir in &args.runs {
        let recs = match infconv_train::logfile::read_records(dir) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("infconv figure1: {e}; expected the folder of an `infconv train` run");
                return ExitCode::from(2);
            }
        };
        let name = dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| dir.display().to_string());
        runs.push((name, recs));
    }
    let written = infconv_train::plot::figure1(&runs).and_then(|svg| infconv_train::atomic::write_atomic(&args.out, svg.as_bytes()));
    match written {
        Ok(()) => {
            eprintln!("infconv figure1: wrote {}", args.out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("infconv figure1: {e}");
            ExitCode::from(1)
        }
    }
}
