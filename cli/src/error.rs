//! [`CliError`]: what a subcommand can fail with, and the exit status of each kind (2: the
//! user's input; 1: a failure while running).

use infconv_theory::TheoryError;
use infconv_train::TrainError;
use std::process::ExitCode;

/// An error of a subcommand.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A flag or file the user gave that cannot be used; the message names the value and what
    /// was expected.
    #[error("{0}")]
    Input(String),
    /// The theory crate refused or failed a computation.
    #[error(transparent)]
    Theory(#[from] TheoryError),
    /// The training layer.
    #[error(transparent)]
    Train(#[from] TrainError),
    /// A step that failed while running (a solver without an answer, a figure not written).
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    /// Whether the user can fix it by changing the input.
    pub fn is_bad_input(&self) -> bool {
        match self {
            CliError::Input(_) => true,
            CliError::Theory(e) => {
                matches!(e, TheoryError::InvalidParameter { .. } | TheoryError::DimensionMismatch { .. } | TheoryError::NonFinite { .. })
            }
            CliError::Train(e) => e.is_bad_input(),
            CliError::Failed(_) => false,
        }
    }

    /// The exit status: 2 for bad input, 1 otherwise.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(if self.is_bad_input() { 2 } else { 1 })
    }
}
