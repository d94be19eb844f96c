//! Radial potentials φ(w) = h(‖w‖²) built from a [`Profile`]: quad, cubic, tan, log and the
//! controls log1p-sq and huber.

use super::profile::Profile;
use super::{ConjugateGradient, Domain, Gradient, Hessian, Legendre, Value, check_point, dual_hessian};
use crate::{Matrix, TheoryError, Vector};

/// φ(w) = h(‖w‖²) for a profile h.
#[derive(Debug, Clone)]
pub struct Radial<P: Profile> {
    /// The profile h.
    pub profile: P,
}

impl<P: Profile> Radial<P> {
    /// The radial potential of a profile.
    pub fn from_profile(profile: P) -> Self {
        Radial { profile }
    }
}

impl<P: Profile> Value for Radial<P> {
    fn value(&self, w: &Vector) -> Result<f64, TheoryError> {
        check_point("radial potential value", None, w)?;
        let s = w.norm_squared();
        Ok(if s < self.profile.s_max() { self.profile.h(s) } else { f64::INFINITY })
    }
}

impl<P: Profile> Radial<P> {
    fn interior_s(&self, what: &'static str, w: &Vector) -> Result<f64, TheoryError> {
        check_point(what, None, w)?;
        let s = w.norm_squared();
        if s < self.profile.s_max() { Ok(s) } else { Err(TheoryError::OutsideDomain { what, point_norm: s.sqrt() }) }
    }
}

impl<P: Profile> Gradient for Radial<P> {
    fn gradient(&self, w: &Vector) -> Result<Vector, TheoryError> {
        let s = self.interior_s("radial potential gradient", w)?;
        Ok(w * (2.0 * self.profile.dh(s)))
    }
}

impl<P: Profile> Hessian for Radial<P> {
    fn hessian(&self, w: &Vector) -> Result<Matrix, TheoryError> {
        let s = self.interior_s("radial potential Hessian", w)?;
        let m = w.len();
        let mut h = Matrix::identity(m, m) * (2.0 * self.profile.dh(s));
        if s > 0.0 {
            h += w * w.transpose() * (4.0 * self.profile.d2h(s));
        }
        Ok(h)
    }
}

impl<P: Profile> ConjugateGradient for Radial<P> {
    fn conjugate_gradient(&self, y: &Vector) -> Result<Vector, TheoryError> {
        crate::error::ensure_finite("∇φ* argument", y.as_slice())?;
        let rho = y.norm();
        if rho == 0.0 {
            return Ok(Vector::zeros(y.len()));
        }
        let r = self.profile.radial_inverse(rho)?;
        Ok(y * (r / rho))
    }
}

impl<P: Profile> Domain for Radial<P> {
    fn contains(&self, w: &Vector) -> bool {
        w.iter().all(|v| v.is_finite()) && w.norm_squared() < self.profile.s_max()
    }

    fn max_step(&self, w: &Vector, d: &Vector) -> Result<f64, TheoryError> {
        crate::error::ensure_dim("max_step direction", w.len(), d.len())?;
        crate::error::ensure_finite("max_step direction", d.as_slice())?;
        if !self.contains(w) {
            return Err(TheoryError::OutsideDomain { what: "max_step start", point_norm: w.norm() });
        }
        let s_max = self.profile.s_max();
        let a = d.norm_squared();
        if !s_max.is_finite() || a == 0.0 {
            return Ok(f64::INFINITY);
        }
        // ‖w + t d‖² = s_max: a t² + b t + c = 0 with c < 0, positive root in a stable form.
        let b = 2.0 * w.dot(d);
        let c = w.norm_squared() - s_max;
        let disc = (b * b - 4.0 * a * c).sqrt();
        Ok(if b >= 0.0 { -2.0 * c / (b + disc) } else { (disc - b) / (2.0 * a) })
    }

    fn inradius(&self) -> f64 {
        self.profile.s_max().sqrt()
    }

    fn boundary_distance(&self, w: &Vector) -> f64 {
        if !self.contains(w) {
            return 0.0;
        }
        self.profile.s_max().sqrt() - w.norm()
    }
}

impl<P: Profile> Legendre for Radial<P> {
    fn name(&self) -> String {
        self.profile.name()
    }

    fn dual_derivatives(&self, w: &Vector) -> Option<Result<(f64, Vector, Matrix), TheoryError>> {
        if let Err(e) = self.interior_s("num-dual derivatives", w) {
            return Some(Err(e));
        }
        Some(dual_hessian(w, |x| {
            let s: num_dual::Dual2DVec64 = x.iter().map(|xi| xi * xi).sum();
            self.profile.h_dual(s)
        }))
    }
}
