//! Training LeNet-5 on MNIST with Algorithm 1 (issue 6; paper section 6): the configuration, the
//! sample order, the driver, checkpoints and logs, the Corollary 5.1 figures at the end of a run,
//! Figure 1, and the Table 1 grid.

pub mod checkpoint;
pub mod config;
pub mod dataset;
pub mod driver;
pub mod gpu_engine;
pub mod logfile;
pub mod objective;
pub mod plot;
pub mod run;
pub mod sampler;
pub mod stationarity;
pub mod table1;

pub use config::{Method, TrainConfig};
pub use dataset::TrainData;
pub use driver::{LogRecord, Trainer};
pub use gpu_engine::GpuDevices;
pub use run::{RunOptions, run};
