//! # infconv-train
//!
//! LeNet-5 on MNIST with Algorithm 1 of Laude, Wu, Cremers (AISTATS 2019, section 6) on the EASGD
//! model (15), or with the mSGD baseline:
//!
//! - [`data`]: MNIST-format data (the embedded digits, IDX folders, `infconv data fetch mnist`);
//! - [`config`]: a run's configuration ([`TrainConfig`], [`Method`]) and its validation;
//! - [`dataset`]: the images a run trains and evaluates on ([`TrainData`]);
//! - [`sampler`]: each worker's minibatch order, a pure function of (seed, worker, epoch);
//! - [`driver`]: the [`Trainer`], one iteration of Algorithm 1 (Gauss–Seidel, line 5, or Jacobi,
//!   (17)) on the CPU kernels, and the [`LogRecord`] of an evaluation;
//! - [`gpu_engine`]: the same iteration on the wgpu kernels;
//! - [`objective`]: φ̂ of (18) and the objective of (15) on the host;
//! - [`stationarity`]: the Corollary 5.1 figures at the end of a run;
//! - [`checkpoint`]: bit-exact checkpoints; [`atomic`]: atomic writes of every file;
//! - [`logfile`]: `log.jsonl` and `log.csv` of a run folder;
//! - [`mpi`]: Algorithm 1 across processes (the transport; MPI itself behind the `mpi` feature);
//! - [`run`]: one run in a run folder, with [`RunOptions`];
//! - [`observe`]: the progress a run reports ([`Observe`]); the command line draws it;
//! - [`plot`]: Figure 1;
//! - [`table1`]: the Table 1 grid;
//! - [`tolerance`]: the tolerances of the training tests;
//! - [`error`]: [`TrainError`], every failure typed by who can fix it.

pub mod atomic;
pub mod checkpoint;
pub mod config;
pub mod data;
pub mod dataset;
pub mod driver;
pub mod error;
pub mod gpu_engine;
pub mod logfile;
pub mod mpi;
pub mod objective;
pub mod observe;
pub mod plot;
pub mod run;
pub mod sampler;
pub mod stationarity;
pub mod table1;
pub mod tolerance;

pub use config::{Method, TrainConfig};
pub use dataset::TrainData;
pub use driver::{LogRecord, Trainer};
pub use error::TrainError;
pub use gpu_engine::GpuDevices;
pub use observe::{Event, Observe};
pub use run::{RunOptions, run};
