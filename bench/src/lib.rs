//! Benchmarks of infconv: the kernels of issue 5 on every backend, a bandwidth baseline (a
//! triad over the same number of bytes) and the numpy peer (`peers/easgd_numpy.py`).
//! [`run`] returns one [`BenchRecord`] per (kernel, n, workers, backend); `infconv bench` prints
//! them, `benches/kernels.rs` is the criterion version of the same measurements.

pub mod peer;
pub mod plot;
pub mod suite;
pub mod timing;
pub mod triad;

pub use suite::{BenchRecord, run, run_with};
