//! [`DataError`]: every failure of the data layer, naming the file, what was expected and how to
//! get a good copy.

use std::fmt;
use std::path::PathBuf;

/// How to obtain the data, appended to every error about a data file.
pub const FETCH_HINT: &str = "run `infconv data fetch mnist` for the full MNIST set (written to data/mnist), \
     or pass `--data DIR` with a folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte, \
     t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each optionally .gz); see docs/data.md";

/// An error of the data layer. `Display` names the file, what was expected and how to fetch.
#[derive(Debug)]
pub enum DataError {
    /// The file does not exist.
    Missing { path: PathBuf },
    /// The file exists but could not be read (permissions, I/O, a corrupt gzip stream).
    Io { path: PathBuf, source: std::io::Error },
    /// The file was read but its content is not what was expected (header, dimensions, length).
    Malformed { path: PathBuf, expected: String, found: String },
    /// A label ≥ 10.
    Label { path: PathBuf, index: usize, value: u8 },
    /// The image and label files hold different counts.
    CountMismatch { images: PathBuf, image_count: usize, labels: PathBuf, label_count: usize },
    /// Train and test images differ in size.
    ShapeMismatch { train: PathBuf, train_shape: (usize, usize), test: PathBuf, test_shape: (usize, usize) },
    /// Label counts differ from the published ones (a corrupt or different data set).
    LabelCounts { path: PathBuf, expected: Vec<usize>, found: Vec<usize> },
    /// A path given on the command line is not usable: the destination of a fetch, a wheel file
    /// (bad input: exit status 2).
    BadPath { path: PathBuf, reason: String },
    /// A step of `infconv data fetch` failed (python, pip, numpy, the conversion).
    Fetch { step: String, message: String },
}

impl DataError {
    /// Builds a [`DataError::Malformed`].
    pub fn malformed(path: impl Into<PathBuf>, expected: impl Into<String>, found: impl Into<String>) -> Self {
        DataError::Malformed { path: path.into(), expected: expected.into(), found: found.into() }
    }

    /// `true` when the error is due to the user's input (a missing or malformed data file, a bad
    /// destination): the command exits with status 2; otherwise (a failed fetch) with status 1.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, DataError::Fetch { .. })
    }

    /// The file the error is about, when there is one.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            DataError::Missing { path }
            | DataError::Io { path, .. }
            | DataError::Malformed { path, .. }
            | DataError::Label { path, .. }
            | DataError::LabelCounts { path, .. }
            | DataError::BadPath { path, .. } => Some(path),
            DataError::CountMismatch { labels, .. } => Some(labels),
            DataError::ShapeMismatch { test, .. } => Some(test),
            DataError::Fetch { .. } => None,
        }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::Missing { path } => write!(f, "{}: not found; {FETCH_HINT}", path.display()),
            DataError::Io { path, source } => write!(f, "{}: cannot read ({source}); {FETCH_HINT}", path.display()),
            DataError::Malformed { path, expected, found } => {
                write!(f, "{}: malformed: expected {expected}, found {found}; {FETCH_HINT}", path.display())
            }
            DataError::Label { path, index, value } => {
                write!(f, "{}: label {index} is {value}, expected a digit 0..=9; {FETCH_HINT}", path.display())
            }
            DataError::CountMismatch { images, image_count, labels, label_count } => write!(
                f,
                "{} holds {label_count} labels but {} holds {image_count} images: expected equal counts; {FETCH_HINT}",
                labels.display(),
                images.display()
            ),
            DataError::ShapeMismatch { train, train_shape, test, test_shape } => write!(
                f,
                "{} has {}x{} images but {} has {}x{}: expected the same size; {FETCH_HINT}",
                test.display(),
                test_shape.0,
                test_shape.1,
                train.display(),
                train_shape.0,
                train_shape.1
            ),
            DataError::LabelCounts { path, expected, found } => write!(
                f,
                "{}: label counts {found:?}, expected {expected:?} (the published counts); the file is not the \
                 expected data set; {FETCH_HINT}",
                path.display()
            ),
            DataError::BadPath { path, reason } => write!(f, "{}: {reason}", path.display()),
            DataError::Fetch { step, message } => write!(f, "fetch failed at {step}: {message}"),
        }
    }
}

impl std::error::Error for DataError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DataError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
