//! The filters of `infconv verify` (`--check`, `--potential`, `--family`), validated against the
//! catalogue and the registries: an unknown name is an error that lists the known ones.

use crate::error::VerifyError;
use infconv_theory::potential::registry;

/// Which records to produce; `None` means all.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// A check id.
    pub check: Option<String>,
    /// A potential name.
    pub potential: Option<String>,
    /// A function family name.
    pub family: Option<String>,
}

impl Selection {
    /// Validates every filter; the error names the value and lists what is accepted.
    pub fn validate(&self, known_checks: &[&str], known_families: &[&str]) -> Result<(), VerifyError> {
        if let Some(c) = &self.check
            && !known_checks.contains(&c.as_str())
        {
            return Err(VerifyError::Input(format!("unknown check {c:?}; known checks: {}", known_checks.join(", "))));
        }
        if let Some(p) = &self.potential
            && registry::info(p).is_err()
        {
            return Err(VerifyError::Input(format!("unknown potential {p:?}; known potentials: {}", registry::known_names())));
        }
        if let Some(f) = &self.family
            && !known_families.contains(&f.as_str())
        {
            let known = if known_families.is_empty() { "(none yet)".to_string() } else { known_families.join(", ") };
            return Err(VerifyError::Input(format!("unknown family {f:?}; known families: {known}")));
        }
        Ok(())
    }

    /// Whether a check id passes the filter.
    pub fn wants_check(&self, id: &str) -> bool {
        self.check.as_deref().is_none_or(|c| c == id)
    }

    /// Whether a potential passes the filter.
    pub fn wants_potential(&self, name: &str) -> bool {
        self.potential.as_deref().is_none_or(|p| p == name)
    }

    /// Whether a family passes the filter (`None`: a check of φ alone, kept unless a family is
    /// asked for).
    pub fn wants_family(&self, family: Option<&str>) -> bool {
        match (&self.family, family) {
            (None, _) => true,
            (Some(want), Some(f)) => want == f,
            (Some(_), None) => false,
        }
    }
}
