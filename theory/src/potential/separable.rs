//! Separable potentials φ(w) = Σᵢ ψ(wᵢ) built from a scalar [`Scalar`] ψ: tan-sep and log-sep
//! (ψ(t) = h(t²) of a [`Profile`], through [`Squared`]) and the control entropy-box.

use super::profile::Profile;
use super::{ConjugateGradient, Domain, Gradient, Hessian, Legendre, Value, check_point, dual_hessian};
use crate::roots::increasing_root;
use crate::{Matrix, TheoryError, Vector};
use num_dual::DualNum;
use std::fmt::Debug;

/// An even scalar potential ψ on `(−b, b)` (or `[−b, b]` when [`closed`](Scalar::closed)).
pub trait Scalar: Debug + Clone + Send + Sync {
    /// Name of the separable potential Σᵢ ψ(wᵢ).
    fn name(&self) -> String;
    /// ψ(t) for t in the domain.
    fn psi(&self, t: f64) -> f64;
    /// ψ′(t) for t in the open domain.
    fn dpsi(&self, t: f64) -> f64;
    /// ψ″(t) for t in the open domain.
    fn d2psi(&self, t: f64) -> f64;
    /// The bound b of the domain (`+∞` for ℝ).
    fn bound(&self) -> f64;
    /// Whether ψ is finite at ±b (a closed domain: not (A2)).
    fn closed(&self) -> bool {
        false
    }
    /// ψ written generically for dual numbers (the independent derivative reference).
    fn psi_dual<D: DualNum<Primitive = f64>>(&self, t: D) -> D;
    /// (ψ′)⁻¹(y); the default is a safeguarded Newton–bisection on the increasing ψ′.
    fn dpsi_inverse(&self, y: f64) -> Result<f64, TheoryError> {
        let b = self.bound();
        let eval = |t: f64| if t < b { (self.dpsi(t), self.d2psi(t)) } else { (f64::INFINITY, f64::INFINITY) };
        let r = increasing_root(eval, y.abs(), 0.0, b)?;
        Ok(r.copysign(y))
    }
}

/// ψ(t) = h(t²) for a profile h: ψ′(t) = 2t h′(t²), ψ″(t) = 2h′(t²) + 4t² h″(t²).
#[derive(Debug, Clone)]
pub struct Squared<P: Profile>(pub P);

impl<P: Profile> Scalar for Squared<P> {
    fn name(&self) -> String {
        format!("{}-sep", self.0.name())
    }
    fn psi(&self, t: f64) -> f64 {
        self.0.h(t * t)
    }
    fn dpsi(&self, t: f64) -> f64 {
        2.0 * t * self.0.dh(t * t)
    }
    fn d2psi(&self, t: f64) -> f64 {
        let s = t * t;
        2.0 * self.0.dh(s) + if s > 0.0 { 4.0 * s * self.0.d2h(s) } else { 0.0 }
    }
    fn bound(&self) -> f64 {
        self.0.s_max().sqrt()
    }
    fn psi_dual<D: DualNum<Primitive = f64>>(&self, t: D) -> D {
        self.0.h_dual(t.clone() * t)
    }
    fn dpsi_inverse(&self, y: f64) -> Result<f64, TheoryError> {
        Ok(self.0.radial_inverse(y.abs())?.copysign(y))
    }
}

/// φ(w) = Σᵢ ψ(wᵢ).
#[derive(Debug, Clone)]
pub struct Separable<S: Scalar> {
    /// The scalar potential ψ.
    pub scalar: S,
}

impl<S: Scalar> Separable<S> {
    /// The separable sum of a scalar potential.
    pub fn from_scalar(scalar: S) -> Self {
        Separable { scalar }
    }

    fn in_closed(&self, t: f64) -> bool {
        let b = self.scalar.bound();
        if self.scalar.closed() { t.abs() <= b } else { t.abs() < b }
    }

    fn interior(&self, what: &'static str, w: &Vector) -> Result<(), TheoryError> {
        check_point(what, None, w)?;
        let b = self.scalar.bound();
        if w.iter().all(|t| t.abs() < b) { Ok(()) } else { Err(TheoryError::OutsideDomain { what, point_norm: w.norm() }) }
    }
}

impl<S: Scalar> Value for Separable<S> {
    fn value(&self, w: &Vector) -> Result<f64, TheoryError> {
        check_point("separable potential value", None, w)?;
        if !w.iter().all(|&t| self.in_closed(t)) {
            return Ok(f64::INFINITY);
        }
        crate::error::value_up_to_infinity("separable potential value", w.iter().map(|&t| self.scalar.psi(t)).sum())
    }
}

impl<S: Scalar> Gradient for Separable<S> {
    fn gradient(&self, w: &Vector) -> Result<Vector, TheoryError> {
        self.interior("separable potential gradient", w)?;
        crate::error::finite_vector("separable potential gradient (overflow)", w.map(|t| self.scalar.dpsi(t)))
    }
}

impl<S: Scalar> Hessian for Separable<S> {
    fn hessian(&self, w: &Vector) -> Result<Matrix, TheoryError> {
        self.interior("separable potential Hessian", w)?;
        crate::error::finite_matrix("separable potential Hessian (overflow)", Matrix::from_diagonal(&w.map(|t| self.scalar.d2psi(t))))
    }
}

impl<S: Scalar> ConjugateGradient for Separable<S> {
    fn conjugate_gradient(&self, y: &Vector) -> Result<Vector, TheoryError> {
        crate::error::ensure_finite("∇φ* argument", y.as_slice())?;
        let mut w = Vector::zeros(y.len());
        for (wi, &yi) in w.iter_mut().zip(y.iter()) {
            *wi = if yi == 0.0 { 0.0 } else { self.scalar.dpsi_inverse(yi)? };
        }
        crate::error::finite_vector("separable ∇φ* (overflow)", w)
    }
}

impl<S: Scalar> Domain for Separable<S> {
    fn contains(&self, w: &Vector) -> bool {
        w.iter().all(|&t| t.is_finite() && self.in_closed(t))
    }

    fn max_step(&self, w: &Vector, d: &Vector) -> Result<f64, TheoryError> {
        crate::error::ensure_dim("max_step direction", w.len(), d.len())?;
        crate::error::ensure_finite("max_step direction", d.as_slice())?;
        if !self.contains(w) {
            return Err(TheoryError::OutsideDomain { what: "max_step start", point_norm: w.norm() });
        }
        let b = self.scalar.bound();
        let mut t = f64::INFINITY;
        for (&wi, &di) in w.iter().zip(d.iter()) {
            if di > 0.0 {
                t = t.min((b - wi) / di);
            } else if di < 0.0 {
                t = t.min((b + wi) / -di);
            }
        }
        Ok(t.max(0.0))
    }

    fn inradius(&self) -> f64 {
        self.scalar.bound()
    }

    fn boundary_distance(&self, w: &Vector) -> f64 {
        if !self.contains(w) {
            return 0.0;
        }
        let b = self.scalar.bound();
        w.iter().map(|t| b - t.abs()).fold(f64::INFINITY, f64::min)
    }
}

impl<S: Scalar> Legendre for Separable<S> {
    fn name(&self) -> String {
        self.scalar.name()
    }

    fn dual_derivatives(&self, w: &Vector) -> Option<Result<(f64, Vector, Matrix), TheoryError>> {
        if let Err(e) = self.interior("num-dual derivatives", w) {
            return Some(Err(e));
        }
        Some(dual_hessian(w, |x| x.iter().map(|t| self.scalar.psi_dual(t.clone())).sum()))
    }
}
