//! [`CliError`]: what a subcommand can fail with, and the exit status of each kind (2: the
//! user's input; 1: a failure while running).

use infconv_theory::TheoryError;
use infconv_train::TrainError;
use infconv_verify::error::VerifyError;
use std::process::ExitCode;

/// An error of a subcommand: `Input`, a flag or file the user gave that cannot be used (the
/// message names the value and what was expected); `Failed`, a step that failed while running (a
/// solver without an answer); or an error of the theory, training or verification layer, which
/// says itself whether it is the input's fault.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Input(String),
    #[error("{0}")]
    Failed(String),
    #[error(transparent)]
    Theory(#[from] TheoryError),
    #[error(transparent)]
    Train(#[from] TrainError),
    #[error(transparent)]
    Verify(#[from] VerifyError),
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
            CliError::Verify(e) => e.is_bad_input(),
            CliError::Failed(_) => false,
        }
    }

    /// The exit status: 2 for bad input, 1 otherwise.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(if self.is_bad_input() { 2 } else { 1 })
    }
}
