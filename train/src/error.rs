//! [`TrainError`]: every failure of a run, typed by who can fix it. The command line maps
//! [`TrainError::is_bad_input`] to exit status 2 (the user's flags, configuration, run folder or
//! data) and everything else to 1.

use crate::data::DataError;
use infconv_kernels::KernelError;
use std::path::PathBuf;

/// An error of the training layer. `Display` names the value and what was expected.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// A value the user gave that cannot be used: a flag or configuration field out of range, an
    /// unusable run folder (`--out`, `--resume`), a checkpoint that does not fit the run.
    #[error("{0}")]
    Input(String),
    /// The data layer (a missing or malformed data file, a failed fetch).
    #[error(transparent)]
    Data(#[from] DataError),
    /// A kernel call.
    #[error(transparent)]
    Kernel(#[from] KernelError),
    /// A file of the run folder could not be read or written.
    #[error("{}: {what} ({source})", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What was being done ("cannot read the checkpoint", …).
        what: &'static str,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
    /// The ranks of an MPI job disagree, or a collective call failed.
    #[error("{0}")]
    Team(String),
    /// A step of the run failed (a non-finite loss, a point outside dom φ̂, a plot).
    #[error("{0}")]
    Failed(String),
}

impl TrainError {
    /// A bad-input error with the message `what` (which names the value and what was expected).
    pub fn input(what: impl Into<String>) -> TrainError {
        TrainError::Input(what.into())
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, what: &'static str) -> impl FnOnce(std::io::Error) -> TrainError {
        let path = path.into();
        move |source| TrainError::Io { path, what, source }
    }

    /// Whether the user can fix the error by changing the input (exit status 2); a failed data
    /// fetch, an I/O error and a failed computation are not.
    pub fn is_bad_input(&self) -> bool {
        match self {
            TrainError::Input(_) => true,
            TrainError::Data(d) => d.is_bad_input(),
            TrainError::Kernel(k) => matches!(
                k,
                KernelError::InvalidParameter { .. }
                    | KernelError::ShapeMismatch { .. }
                    | KernelError::UnknownPotential { .. }
                    | KernelError::NoKernelForm { .. }
                    | KernelError::NoGpuKernel { .. }
            ),
            _ => false,
        }
    }
}

/// A step that failed with a message (the plotting and serialisation layers report strings).
impl From<String> for TrainError {
    fn from(message: String) -> TrainError {
        TrainError::Failed(message)
    }
}

impl From<&str> for TrainError {
    fn from(message: &str) -> TrainError {
        TrainError::Failed(message.to_string())
    }
}

impl From<serde_json::Error> for TrainError {
    fn from(e: serde_json::Error) -> TrainError {
        TrainError::Failed(format!("JSON: {e}"))
    }
}
