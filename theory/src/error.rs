//! Typed errors: every failure of the theory crate is one of these, never a NaN and never a panic.

use std::fmt;

/// Why a computation of the theory crate could not return a value.
#[derive(Debug, Clone, PartialEq)]
pub enum TheoryError {
    /// A point lies outside the (open) domain where the quantity is defined.
    OutsideDomain { what: &'static str, point_norm: f64 },
    /// Two sizes that must agree do not.
    DimensionMismatch { what: &'static str, expected: usize, got: usize },
    /// A parameter is outside its admissible range (λ ≤ 0, η ≤ 0, a Q that is not SPD, …).
    InvalidParameter { name: &'static str, value: String, expected: &'static str },
    /// A point has a NaN or infinite coordinate.
    NonFinite { what: &'static str },
    /// ∇φ*(y) does not exist: y is not in the range of ∇φ (the potential is not Legendre there).
    NoPreimage { norm_y: f64, reason: &'static str },
    /// An iterative solver stopped before reaching its tolerance.
    NotConverged { solver: &'static str, iterations: usize, residual: f64 },
    /// The inner problem of (2) is not bounded below (λ at or above the threshold λ_f of
    /// Definition 3.3): e(v) = −∞ and P(v) = ∅.
    Unbounded { what: &'static str, reason: String },
    /// P(v) has several global minimizers (a two-valued prox, e.g. −|z| at v = 0).
    MultiValued { count: usize, spread: f64 },
    /// The fast solver found a stationary point but cannot certify that it is the global
    /// minimizer of (3); it refuses rather than answer possibly wrong.
    NotCertified { reason: String },
}

impl fmt::Display for TheoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TheoryError::OutsideDomain { what, point_norm } => {
                write!(f, "{what}: point (norm {point_norm:e}) is outside the open domain")
            }
            TheoryError::DimensionMismatch { what, expected, got } => {
                write!(f, "{what}: expected dimension {expected}, got {got}")
            }
            TheoryError::InvalidParameter { name, value, expected } => {
                write!(f, "invalid parameter {name} = {value}: expected {expected}")
            }
            TheoryError::NonFinite { what } => write!(f, "{what}: non-finite coordinate (NaN or ±∞)"),
            TheoryError::NoPreimage { norm_y, reason } => {
                write!(f, "∇φ*(y) does not exist for ‖y‖ = {norm_y:e}: {reason}")
            }
            TheoryError::NotConverged { solver, iterations, residual } => write!(
                f,
                "{solver} did not converge in {iterations} iterations (residual {residual:e})"
            ),
            TheoryError::Unbounded { what, reason } => write!(f, "{what} is unbounded below: {reason}"),
            TheoryError::MultiValued { count, spread } => {
                write!(f, "the φ-prox is multivalued here: {count} global minimizers, {spread:e} apart")
            }
            TheoryError::NotCertified { reason } => write!(f, "no certificate of global optimality: {reason}"),
        }
    }
}

impl std::error::Error for TheoryError {}

/// Fails with [`TheoryError::NonFinite`] if any coordinate is NaN or infinite.
pub fn ensure_finite(what: &'static str, x: &[f64]) -> Result<(), TheoryError> {
    if x.iter().all(|v| v.is_finite()) { Ok(()) } else { Err(TheoryError::NonFinite { what }) }
}

/// Fails with [`TheoryError::DimensionMismatch`] unless `got == expected`.
pub fn ensure_dim(what: &'static str, expected: usize, got: usize) -> Result<(), TheoryError> {
    if expected == got { Ok(()) } else { Err(TheoryError::DimensionMismatch { what, expected, got }) }
}

/// A result that must be a finite number: [`TheoryError::NonFinite`] otherwise (a NaN from
/// ∞ − ∞, or an overflow of a quantity that is finite in exact arithmetic).
pub fn finite_scalar(what: &'static str, x: f64) -> Result<f64, TheoryError> {
    if x.is_finite() { Ok(x) } else { Err(TheoryError::NonFinite { what }) }
}

/// A value that may be `+∞` (outside a domain, or the overflow of a value that grows without
/// bound) but never NaN or `−∞`: [`TheoryError::NonFinite`] for those.
pub fn value_up_to_infinity(what: &'static str, x: f64) -> Result<f64, TheoryError> {
    if x.is_nan() || x == f64::NEG_INFINITY { Err(TheoryError::NonFinite { what }) } else { Ok(x) }
}

/// A vector result whose entries must all be finite: [`TheoryError::NonFinite`] otherwise.
pub fn finite_vector(what: &'static str, v: crate::Vector) -> Result<crate::Vector, TheoryError> {
    if v.iter().all(|x| x.is_finite()) { Ok(v) } else { Err(TheoryError::NonFinite { what }) }
}

/// A matrix result whose entries must all be finite: [`TheoryError::NonFinite`] otherwise.
pub fn finite_matrix(what: &'static str, m: crate::Matrix) -> Result<crate::Matrix, TheoryError> {
    if m.iter().all(|x| x.is_finite()) { Ok(m) } else { Err(TheoryError::NonFinite { what }) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Matrix, Vector};

    /// Each message names what failed and the values involved.
    #[test]
    fn messages_name_the_values() {
        let cases: Vec<(TheoryError, &[&str])> = vec![
            (TheoryError::OutsideDomain { what: "∇φ", point_norm: 2.5 }, &["∇φ", "2.5e0", "outside"]),
            (TheoryError::DimensionMismatch { what: "A", expected: 3, got: 4 }, &["A", "expected dimension 3", "got 4"]),
            (TheoryError::InvalidParameter { name: "λ", value: "-1".into(), expected: "λ > 0" }, &["λ = -1", "expected λ > 0"]),
            (TheoryError::NonFinite { what: "z" }, &["z: non-finite"]),
            (TheoryError::NoPreimage { norm_y: 1e3, reason: "bounded" }, &["1e3", "bounded"]),
            (TheoryError::NotConverged { solver: "newton", iterations: 7, residual: 0.5 }, &["newton", "7 iterations", "5e-1"]),
            (TheoryError::Unbounded { what: "(3)", reason: "λ ≥ λ_f".into() }, &["(3) is unbounded below", "λ ≥ λ_f"]),
            (TheoryError::MultiValued { count: 2, spread: 0.25 }, &["2 global minimizers", "2.5e-1"]),
            (TheoryError::NotCertified { reason: "a stationary point".into() }, &["no certificate", "a stationary point"]),
        ];
        for (e, parts) in cases {
            let s = e.to_string();
            for p in parts {
                assert!(s.contains(p), "{s:?} lacks {p:?}");
            }
        }
    }

    #[test]
    fn guards_pass_finite_values_and_refuse_the_rest() {
        assert!(ensure_finite("x", &[1.0, -2.0]).is_ok());
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(ensure_finite("x", &[1.0, bad]), Err(TheoryError::NonFinite { what: "x" }));
            assert!(finite_scalar("s", bad).is_err());
            assert!(finite_vector("v", Vector::from_vec(vec![0.0, bad])).is_err());
            assert!(finite_matrix("m", Matrix::from_element(1, 2, bad)).is_err());
        }
        assert_eq!(ensure_dim("A", 2, 2), Ok(()));
        assert_eq!(ensure_dim("A", 2, 3), Err(TheoryError::DimensionMismatch { what: "A", expected: 2, got: 3 }));
        assert_eq!(finite_scalar("s", -3.0), Ok(-3.0));
        assert_eq!(finite_vector("v", Vector::from_vec(vec![1.0])), Ok(Vector::from_vec(vec![1.0])));
        assert_eq!(finite_matrix("m", Matrix::identity(1, 1)), Ok(Matrix::identity(1, 1)));
        assert_eq!(value_up_to_infinity("φ", f64::INFINITY), Ok(f64::INFINITY));
        assert_eq!(value_up_to_infinity("φ", -2.0), Ok(-2.0));
        assert!(value_up_to_infinity("φ", f64::NEG_INFINITY).is_err() && value_up_to_infinity("φ", f64::NAN).is_err());
    }
}
