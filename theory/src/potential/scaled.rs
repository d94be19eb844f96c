//! η-scaling of equation (18): φ_η(w) = φ(w/η). dom φ_η = η·dom φ, ∇φ_η(w) = ∇φ(w/η)/η,
//! ∇²φ_η(w) = ∇²φ(w/η)/η², and since φ_η*(y) = φ*(ηy), ∇φ_η*(y) = η ∇φ*(ηy).

use super::{ConjugateGradient, Domain, Gradient, Hessian, Legendre, Value};
use crate::{Matrix, TheoryError, Vector};

/// φ(w/η) for a potential φ and a scale η > 0.
#[derive(Debug, Clone)]
pub struct Scaled<P> {
    inner: P,
    eta: f64,
}

impl<P: Legendre> Scaled<P> {
    /// φ(·/η); η must be finite and > 0.
    pub fn new(inner: P, eta: f64) -> Result<Self, TheoryError> {
        if !(eta > 0.0 && eta.is_finite()) {
            return Err(TheoryError::InvalidParameter {
                name: "η",
                value: format!("{eta}"),
                expected: "a finite number > 0",
            });
        }
        Ok(Scaled { inner, eta })
    }

    /// The scale η.
    pub fn eta(&self) -> f64 {
        self.eta
    }

    fn down(&self, w: &Vector) -> Vector {
        w / self.eta
    }
}

impl<P: Legendre> Value for Scaled<P> {
    fn value(&self, w: &Vector) -> Result<f64, TheoryError> {
        self.inner.value(&self.down(w))
    }
}

impl<P: Legendre> Gradient for Scaled<P> {
    fn gradient(&self, w: &Vector) -> Result<Vector, TheoryError> {
        crate::error::finite_vector("η-scaled gradient (overflow)", self.inner.gradient(&self.down(w))? / self.eta)
    }
}

impl<P: Legendre> Hessian for Scaled<P> {
    fn hessian(&self, w: &Vector) -> Result<Matrix, TheoryError> {
        crate::error::finite_matrix("η-scaled Hessian (overflow)", self.inner.hessian(&self.down(w))? / (self.eta * self.eta))
    }
}

impl<P: Legendre> ConjugateGradient for Scaled<P> {
    fn conjugate_gradient(&self, y: &Vector) -> Result<Vector, TheoryError> {
        crate::error::ensure_finite("∇φ* argument", y.as_slice())?;
        crate::error::finite_vector("η-scaled ∇φ* (overflow)", self.inner.conjugate_gradient(&(y * self.eta))? * self.eta)
    }
}

impl<P: Legendre> Domain for Scaled<P> {
    fn contains(&self, w: &Vector) -> bool {
        self.inner.contains(&self.down(w))
    }
    fn max_step(&self, w: &Vector, d: &Vector) -> Result<f64, TheoryError> {
        // w/η + t d/η ∈ dom φ  ⇔  w + t d ∈ dom φ_η: the same t.
        self.inner.max_step(&self.down(w), &self.down(d))
    }
    fn inradius(&self) -> f64 {
        self.eta * self.inner.inradius()
    }
    fn boundary_distance(&self, w: &Vector) -> f64 {
        self.eta * self.inner.boundary_distance(&self.down(w))
    }
}

impl<P: Legendre> Legendre for Scaled<P> {
    fn name(&self) -> String {
        format!("{}(·/{})", self.inner.name(), self.eta)
    }
    fn fixed_dim(&self) -> Option<usize> {
        self.inner.fixed_dim()
    }
    fn dual_derivatives(&self, w: &Vector) -> Option<Result<(f64, Vector, Matrix), TheoryError>> {
        let e = self.eta;
        self.inner
            .dual_derivatives(&self.down(w))
            .map(|r| {
                r.and_then(|(v, g, h)| {
                    let g = crate::error::finite_vector("η-scaled num-dual gradient (overflow)", g / e)?;
                    let h = crate::error::finite_matrix("η-scaled num-dual Hessian (overflow)", h / (e * e))?;
                    Ok((v, g, h))
                })
            })
    }
}
