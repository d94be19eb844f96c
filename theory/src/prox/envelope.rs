//! The φ-envelope (2) and its gradient formula (13).

use super::{phi_prox, validate};
use crate::family::Family;
use crate::potential::Legendre;
use crate::{TheoryError, Vector};

/// The inner objective of (2) and (3): F_v(z) = f(z) + φ(v − z)/λ, `+∞` where v − z ∉ dom φ or
/// z ∉ dom f.
pub fn inner_objective(phi: &dyn Legendre, f: &dyn Family, lambda: f64, v: &Vector, z: &Vector) -> Result<f64, TheoryError> {
    validate(phi, f, lambda, v)?;
    crate::error::ensure_dim("z", v.len(), z.len())?;
    crate::error::ensure_finite("z", z.as_slice())?;
    let fz = f.value(z)?;
    if fz == f64::INFINITY {
        return Ok(f64::INFINITY);
    }
    let p = phi.value(&(v - z))?;
    // f(z) is finite here and φ ≥ 0 (A5 and convexity), so the sum is finite or +∞ (an
    // overflow of φ/λ for tiny λ).
    crate::error::value_up_to_infinity("inner objective of (3)", fz + p / lambda)
}

/// e(v) of (2) by the fast certified solver ([`phi_prox`]).
pub fn envelope(phi: &dyn Legendre, f: &dyn Family, lambda: f64, v: &Vector) -> Result<f64, TheoryError> {
    Ok(phi_prox(phi, f, lambda, v)?.envelope)
}

/// Gradient formula (13): ∇e(v) = ∇φ(v − z)/λ with z = P(v) (Theorem 4.3 (ii)).
pub fn envelope_gradient(phi: &dyn Legendre, lambda: f64, v: &Vector, z: &Vector) -> Result<Vector, TheoryError> {
    if !(lambda > 0.0 && lambda.is_finite()) {
        return Err(TheoryError::InvalidParameter { name: "lambda", value: format!("{lambda}"), expected: "a finite λ > 0" });
    }
    crate::error::ensure_dim("z", v.len(), z.len())?;
    crate::error::ensure_finite("v", v.as_slice())?;
    crate::error::ensure_finite("z", z.as_slice())?;
    crate::error::finite_vector("∇e(v) of (13) (overflow of ∇φ(v − z)/λ)", phi.gradient(&(v - z))? / lambda)
}

/// e(v) and ∇e(v) by the fast solver: (P(v), e(v), ∇e(v)).
pub fn envelope_and_gradient(
    phi: &dyn Legendre,
    f: &dyn Family,
    lambda: f64,
    v: &Vector,
) -> Result<(Vector, f64, Vector), TheoryError> {
    validate(phi, f, lambda, v)?;
    let p = phi_prox(phi, f, lambda, v)?;
    let g = envelope_gradient(phi, lambda, v, &p.z)?;
    Ok((p.z, p.envelope, g))
}
