//! Negative control `tilted-quad`: φ(w) = ‖w‖² + ⟨𝟙, w⟩. Legendre, super-coercive, open domain,
//! but ∇φ(0) = 𝟙 ≠ 0, so (A5) fails (and only (A5)). ∇φ*(y) = (y − 𝟙)/2.

use super::{ConjugateGradient, Domain, Gradient, Hessian, Legendre, Value, check_point, dual_hessian};
use crate::{Matrix, TheoryError, Vector};

/// φ(w) = ‖w‖² + Σᵢ wᵢ.
#[derive(Debug, Clone, Copy, Default)]
pub struct TiltedQuad;

impl Value for TiltedQuad {
    fn value(&self, w: &Vector) -> Result<f64, TheoryError> {
        check_point("tilted-quad value", None, w)?;
        if !self.contains(w) {
            return Ok(f64::INFINITY);
        }
        // Σᵢ wᵢ(wᵢ + 1): each term ≥ −¼, so no ∞ − ∞ (‖w‖² + Σᵢ wᵢ is NaN near wᵢ = −1e308).
        Ok(w.iter().map(|t| t * (t + 1.0)).sum())
    }
}

impl Gradient for TiltedQuad {
    fn gradient(&self, w: &Vector) -> Result<Vector, TheoryError> {
        crate::error::ensure_finite("tilted-quad gradient", w.as_slice())?;
        crate::error::finite_vector("tilted-quad gradient (overflow)", w.map(|t| 2.0 * t + 1.0))
    }
}

impl Hessian for TiltedQuad {
    fn hessian(&self, w: &Vector) -> Result<Matrix, TheoryError> {
        crate::error::ensure_finite("tilted-quad Hessian", w.as_slice())?;
        Ok(Matrix::identity(w.len(), w.len()) * 2.0)
    }
}

impl ConjugateGradient for TiltedQuad {
    fn conjugate_gradient(&self, y: &Vector) -> Result<Vector, TheoryError> {
        crate::error::ensure_finite("tilted-quad ∇φ*", y.as_slice())?;
        Ok(y.map(|t| 0.5 * (t - 1.0)))
    }
}

impl Domain for TiltedQuad {
    fn contains(&self, w: &Vector) -> bool {
        w.iter().all(|v| v.is_finite())
    }
    fn max_step(&self, w: &Vector, d: &Vector) -> Result<f64, TheoryError> {
        crate::error::ensure_dim("max_step direction", w.len(), d.len())?;
        Ok(f64::INFINITY)
    }
    fn inradius(&self) -> f64 {
        f64::INFINITY
    }
    fn boundary_distance(&self, w: &Vector) -> f64 {
        if self.contains(w) { f64::INFINITY } else { 0.0 }
    }
}

impl Legendre for TiltedQuad {
    fn name(&self) -> String {
        "tilted-quad".into()
    }
    fn dual_derivatives(&self, w: &Vector) -> Option<Result<(f64, Vector, Matrix), TheoryError>> {
        Some(dual_hessian(w, |x| x.iter().map(|t| t.clone() * t.clone() + t.clone()).sum()))
    }
}
