//! [`VerifyError`]: what the harness can fail with outside a check (a check's own failures are
//! measurements: they go into its record). The command line maps [`VerifyError::is_bad_input`]
//! to exit status 2 and the rest to 1.

use infconv_theory::TheoryError;
use std::path::PathBuf;

/// An error of the harness, its figures or its report.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// A filter, a λ range, a `--plot` name or an `--out` folder that cannot be used; the message
    /// names the value and what was expected.
    #[error("{0}")]
    Input(String),
    /// A file of the report could not be written.
    #[error("{}: {what} ({source})", path.display())]
    Io { path: PathBuf, what: &'static str, #[source] source: std::io::Error },
    /// A figure could not be drawn (the plotting backend's message).
    #[error("figure: {0}")]
    Plot(String),
    /// A computation behind a figure.
    #[error(transparent)]
    Theory(#[from] TheoryError),
}

impl VerifyError {
    /// Whether the user can fix it by changing the input.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, VerifyError::Input(_))
    }
}

/// The plotting backend reports strings.
impl From<String> for VerifyError {
    fn from(message: String) -> VerifyError {
        VerifyError::Plot(message)
    }
}
