//! Radial potentials φ(w) = h(‖w‖²) built from a [`Profile`]: quad, cubic, tan, log and the
//! controls log1p-sq and huber.

use super::profile::Profile;
use super::{ConjugateGradient, Domain, Gradient, Hessian, Legendre, Value, check_point, dual_hessian};
use crate::linalg::{scaled_norm, scaled_unit};
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

/// ‖w‖² from the scaled norm (exact up to rounding where ‖w‖² is representable; +∞ beyond).
fn squared_norm(w: &Vector) -> f64 {
    let n = scaled_norm(w);
    n * n
}

impl<P: Profile> Radial<P> {
    /// ‖w‖² < s_max, decided on ‖w‖ (no overflow of ‖w‖² for an unbounded domain).
    fn inside(&self, w: &Vector) -> bool {
        let s_max = self.profile.s_max();
        s_max == f64::INFINITY || squared_norm(w) < s_max
    }
}

impl<P: Profile> Value for Radial<P> {
    fn value(&self, w: &Vector) -> Result<f64, TheoryError> {
        check_point("radial potential value", None, w)?;
        if !self.contains(w) {
            return Ok(f64::INFINITY);
        }
        // s = ‖w‖² may overflow to +∞ inside ℝᵐ (‖w‖ > 1.3e154): h(+∞) = +∞ for a growing profile.
        let s = squared_norm(w);
        crate::error::value_up_to_infinity("radial potential value", self.profile.h(s))
    }
}

impl<P: Profile> Radial<P> {
    fn interior_s(&self, what: &'static str, w: &Vector) -> Result<f64, TheoryError> {
        check_point(what, None, w)?;
        if self.contains(w) { Ok(squared_norm(w)) } else { Err(TheoryError::OutsideDomain { what, point_norm: scaled_norm(w) }) }
    }
}

impl<P: Profile> Gradient for Radial<P> {
    fn gradient(&self, w: &Vector) -> Result<Vector, TheoryError> {
        let s = self.interior_s("radial potential gradient", w)?;
        crate::error::finite_vector("radial potential gradient (overflow)", w * (2.0 * self.profile.dh(s)))
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
        crate::error::finite_matrix("radial potential Hessian (overflow)", h)
    }
}

impl<P: Profile> ConjugateGradient for Radial<P> {
    fn conjugate_gradient(&self, y: &Vector) -> Result<Vector, TheoryError> {
        crate::error::ensure_finite("∇φ* argument", y.as_slice())?;
        // ρ and ŷ scaled by maxᵢ |yᵢ|: ‖y‖² under- or overflows outside ≈ [1e-154, 1e154].
        let Some(unit) = scaled_unit(y) else { return Ok(Vector::zeros(y.len())) };
        let rho = scaled_norm(y);
        let r = self.profile.radial_inverse(rho)?;
        crate::error::finite_vector("∇φ*(y) (overflow)", unit * r)
    }
}

impl<P: Profile> Domain for Radial<P> {
    fn contains(&self, w: &Vector) -> bool {
        w.iter().all(|v| v.is_finite()) && self.inside(w)
    }

    fn max_step(&self, w: &Vector, d: &Vector) -> Result<f64, TheoryError> {
        crate::error::ensure_dim("max_step direction", w.len(), d.len())?;
        crate::error::ensure_finite("max_step direction", d.as_slice())?;
        if !self.contains(w) {
            return Err(TheoryError::OutsideDomain { what: "max_step start", point_norm: scaled_norm(w) });
        }
        let s_max = self.profile.s_max();
        let scale = d.amax();
        if !s_max.is_finite() || scale == 0.0 {
            return Ok(f64::INFINITY);
        }
        // The exit along u = d/maxᵢ|dᵢ| (‖u‖ ∈ [1, √m], no over- or underflow in ‖u‖²), divided
        // by maxᵢ|dᵢ|: ‖w + t u‖² = s_max, a t² + b t + c = 0 with c < 0, positive root in a
        // stable form.
        let u = d / scale;
        let a = u.norm_squared();
        let b = 2.0 * w.dot(&u);
        let c = w.norm_squared() - s_max;
        let disc = (b * b - 4.0 * a * c).sqrt();
        let t = if b >= 0.0 { -2.0 * c / (b + disc) } else { (disc - b) / (2.0 * a) };
        Ok((t / scale).max(0.0))
    }

    fn inradius(&self) -> f64 {
        self.profile.s_max().sqrt()
    }

    fn boundary_distance(&self, w: &Vector) -> f64 {
        if !self.contains(w) {
            return 0.0;
        }
        let s_max = self.profile.s_max();
        if s_max == f64::INFINITY {
            return f64::INFINITY; // ℝᵐ (and ‖w‖ may overflow: ∞ − ∞)
        }
        s_max.sqrt() - w.norm()
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
