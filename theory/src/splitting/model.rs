//! Model (4): minimize F(u, z) = f(z) + (1/λ) φ(Au − z) + g(u), with f a (nonconvex) family, φ a
//! Legendre potential, A ∈ ℝ^{m×n} and g a proper lsc convex function behind the [`G`] trait:
//! - [`Quadratic`], g(u) = (γ/2)‖u − c‖² (smooth and strongly convex, ∂g = {∇g});
//! - [`L1`], g(u) = β‖u‖₁ + (γ/2)‖u − c‖² (nonsmooth; γ ≥ 0, and γ > 0 keeps model (4) bounded
//!   below for an f that is not coercive), prox by soft thresholding;
//! - [`BoxIndicator`], g = ι of the box [lo, hi]ⁿ (nonsmooth, compact domain, so model (4) is
//!   bounded below whenever f + φ(· − v)/λ is, i.e. for λ < λ_f), prox by projection.
//!
//! Stationarity (5a) reads 0 ∈ ∂g(ū) + Aᵀ∇φ(Aū − z̄)/λ and (7) reads 0 ∈ ∂g(ū) + Aᵀ∇e(Aū); both
//! are judged through [`G::subdifferential_distance`], dist(−Aᵀy, ∂g(ū)).

use crate::family::Family;
use crate::potential::Legendre;
use crate::{Matrix, TheoryError, Vector};
use std::fmt;

/// The convex term g of model (4): its value, its proximal map and the distance of a vector to
/// its (convex) subdifferential.
pub trait G: Send + Sync + fmt::Debug {
    /// The dimension n.
    fn dim(&self) -> usize;
    /// g(u) (`+∞` outside dom g).
    fn value(&self, u: &Vector) -> f64;
    /// prox_{tg}(x) = argmin_u g(u) + ‖u − x‖²/(2t), t > 0.
    fn prox(&self, x: &Vector, t: f64) -> Vector;
    /// dist(y, ∂g(u)) (`+∞` where ∂g(u) = ∅, i.e. u ∉ dom g).
    fn subdifferential_distance(&self, u: &Vector, y: &Vector) -> f64;
    /// The gradient and Hessian where g is C² on ℝⁿ (`None` for a nonsmooth g); (14a) then takes
    /// damped Newton steps instead of forward–backward ones.
    fn smooth(&self, u: &Vector) -> Option<(Vector, Matrix)>;
    /// The number of coordinates of u where ∂g(u) is not a single point (0 for a smooth g): where
    /// condition (7) has a set, not an equation, to meet.
    fn nonsmooth_coordinates(&self, u: &Vector) -> usize;
    /// Validates the parameters.
    fn validate(&self) -> Result<(), TheoryError>;
}

/// g(u) = (γ/2)‖u − c‖², γ > 0.
#[derive(Debug, Clone)]
pub struct Quadratic {
    /// Curvature γ > 0.
    pub gamma: f64,
    /// Center c.
    pub center: Vector,
}

impl Quadratic {
    /// ∇g(u).
    pub fn gradient(&self, u: &Vector) -> Vector {
        (u - &self.center) * self.gamma
    }
}

impl G for Quadratic {
    fn dim(&self) -> usize {
        self.center.len()
    }
    fn value(&self, u: &Vector) -> f64 {
        0.5 * self.gamma * (u - &self.center).norm_squared()
    }
    fn prox(&self, x: &Vector, t: f64) -> Vector {
        (x + &self.center * (t * self.gamma)) / (1.0 + t * self.gamma)
    }
    fn subdifferential_distance(&self, u: &Vector, y: &Vector) -> f64 {
        (y - self.gradient(u)).norm()
    }
    fn smooth(&self, u: &Vector) -> Option<(Vector, Matrix)> {
        let n = u.len();
        Some((self.gradient(u), Matrix::identity(n, n) * self.gamma))
    }
    fn nonsmooth_coordinates(&self, _u: &Vector) -> usize {
        0
    }
    fn validate(&self) -> Result<(), TheoryError> {
        if !(self.gamma > 0.0 && self.gamma.is_finite()) {
            return Err(TheoryError::InvalidParameter { name: "γ", value: format!("{}", self.gamma), expected: "a finite γ > 0" });
        }
        crate::error::ensure_finite("center of g", self.center.as_slice())
    }
}

/// g(u) = β‖u‖₁ + (γ/2)‖u − c‖², β > 0, γ ≥ 0.
#[derive(Debug, Clone)]
pub struct L1 {
    /// Weight β > 0 of ‖u‖₁.
    pub beta: f64,
    /// Curvature γ ≥ 0 of the quadratic part.
    pub gamma: f64,
    /// Center c of the quadratic part.
    pub center: Vector,
}

impl G for L1 {
    fn dim(&self) -> usize {
        self.center.len()
    }
    fn value(&self, u: &Vector) -> f64 {
        self.beta * u.lp_norm(1) + 0.5 * self.gamma * (u - &self.center).norm_squared()
    }
    /// Soft thresholding of the shifted point: prox_{tg}(x) = S_{tβ/(1+tγ)}((x + tγc)/(1 + tγ)).
    fn prox(&self, x: &Vector, t: f64) -> Vector {
        let s = 1.0 + t * self.gamma;
        let thr = t * self.beta / s;
        Vector::from_iterator(
            x.len(),
            x.iter().zip(self.center.iter()).map(|(&xi, &ci)| {
                let w = (xi + t * self.gamma * ci) / s;
                w.signum() * (w.abs() - thr).max(0.0)
            }),
        )
    }
    /// ∂g(u)ᵢ = β sign(uᵢ) + γ(uᵢ − cᵢ) where uᵢ ≠ 0, [−β, β] − γcᵢ at uᵢ = 0.
    fn subdifferential_distance(&self, u: &Vector, y: &Vector) -> f64 {
        let mut s = 0.0;
        for i in 0..u.len() {
            let r = y[i] - self.gamma * (u[i] - self.center[i]);
            let d = if u[i] != 0.0 { r - self.beta * u[i].signum() } else { (r.abs() - self.beta).max(0.0) };
            s += d * d;
        }
        s.sqrt()
    }
    fn smooth(&self, _u: &Vector) -> Option<(Vector, Matrix)> {
        None
    }
    /// The zero coordinates, where ∂|uᵢ| = [−1, 1].
    fn nonsmooth_coordinates(&self, u: &Vector) -> usize {
        u.iter().filter(|x| **x == 0.0).count()
    }
    fn validate(&self) -> Result<(), TheoryError> {
        if !(self.beta > 0.0 && self.beta.is_finite()) {
            return Err(TheoryError::InvalidParameter { name: "β", value: format!("{}", self.beta), expected: "a finite β > 0" });
        }
        if !(self.gamma >= 0.0 && self.gamma.is_finite()) {
            return Err(TheoryError::InvalidParameter { name: "γ", value: format!("{}", self.gamma), expected: "a finite γ ≥ 0" });
        }
        crate::error::ensure_finite("center of g", self.center.as_slice())
    }
}

/// g = ι_{[lo, hi]}, the indicator of the box {u : loᵢ ≤ uᵢ ≤ hiᵢ}, loᵢ < hiᵢ finite.
#[derive(Debug, Clone)]
pub struct BoxIndicator {
    /// Lower corner.
    pub lo: Vector,
    /// Upper corner.
    pub hi: Vector,
}

impl G for BoxIndicator {
    fn dim(&self) -> usize {
        self.lo.len()
    }
    fn value(&self, u: &Vector) -> f64 {
        if (0..u.len()).all(|i| self.lo[i] <= u[i] && u[i] <= self.hi[i]) { 0.0 } else { f64::INFINITY }
    }
    /// The projection onto the box (t plays no role).
    fn prox(&self, x: &Vector, _t: f64) -> Vector {
        Vector::from_fn(x.len(), |i, _| x[i].clamp(self.lo[i], self.hi[i]))
    }
    /// ∂g(u) = N_box(u): coordinate i is {0} inside, (−∞, 0] at loᵢ, [0, ∞) at hiᵢ.
    fn subdifferential_distance(&self, u: &Vector, y: &Vector) -> f64 {
        if self.value(u) > 0.0 {
            return f64::INFINITY;
        }
        let mut s = 0.0;
        for i in 0..u.len() {
            let d = if u[i] == self.lo[i] {
                y[i].max(0.0)
            } else if u[i] == self.hi[i] {
                y[i].min(0.0)
            } else {
                y[i]
            };
            s += d * d;
        }
        s.sqrt()
    }
    fn smooth(&self, _u: &Vector) -> Option<(Vector, Matrix)> {
        None
    }
    /// The coordinates on the boundary of the box (uᵢ = loᵢ or uᵢ = hiᵢ), where the normal cone
    /// N_box(u) is a half-line rather than {0}.
    fn nonsmooth_coordinates(&self, u: &Vector) -> usize {
        (0..u.len()).filter(|&i| u[i] == self.lo[i] || u[i] == self.hi[i]).count()
    }
    fn validate(&self) -> Result<(), TheoryError> {
        crate::error::ensure_dim("upper corner of the box", self.lo.len(), self.hi.len())?;
        crate::error::ensure_finite("lower corner of the box", self.lo.as_slice())?;
        crate::error::ensure_finite("upper corner of the box", self.hi.as_slice())?;
        if (0..self.lo.len()).any(|i| !(self.lo[i] < self.hi[i])) {
            return Err(TheoryError::InvalidParameter { name: "box", value: format!("lo = {:?}, hi = {:?}", self.lo.as_slice(), self.hi.as_slice()), expected: "loᵢ < hiᵢ" });
        }
        Ok(())
    }
}

/// The data of model (4).
pub struct SplittingModel {
    /// f: ℝᵐ → ℝ ∪ {+∞}.
    pub f: Box<dyn Family>,
    /// g: ℝⁿ → ℝ ∪ {+∞}, proper lsc convex.
    pub g: Box<dyn G>,
    /// A ∈ ℝ^{m×n}.
    pub a: Matrix,
    /// φ on ℝᵐ.
    pub phi: Box<dyn Legendre>,
    /// λ > 0.
    pub lambda: f64,
}

impl SplittingModel {
    /// Validates the shapes and parameters (dim f = rows of A, dim g = columns of A, λ > 0, g's
    /// own parameters).
    pub fn new(f: Box<dyn Family>, g: impl G + 'static, a: Matrix, phi: Box<dyn Legendre>, lambda: f64) -> Result<Self, TheoryError> {
        Self::with_g(f, Box::new(g), a, phi, lambda)
    }

    /// [`SplittingModel::new`] with a boxed g.
    pub fn with_g(f: Box<dyn Family>, g: Box<dyn G>, a: Matrix, phi: Box<dyn Legendre>, lambda: f64) -> Result<Self, TheoryError> {
        if !(lambda > 0.0 && lambda.is_finite()) {
            return Err(TheoryError::InvalidParameter { name: "lambda", value: format!("{lambda}"), expected: "a finite λ > 0" });
        }
        g.validate()?;
        crate::error::ensure_dim("rows of A (dimension of f)", f.dim(), a.nrows())?;
        crate::error::ensure_dim("columns of A (dimension of g)", g.dim(), a.ncols())?;
        if let Some(m) = phi.fixed_dim() {
            crate::error::ensure_dim("dimension of φ", m, a.nrows())?;
        }
        crate::error::ensure_finite("A", a.as_slice())?;
        Ok(SplittingModel { f, g, a, phi, lambda })
    }

    /// F(u, z) of (4).
    pub fn value(&self, u: &Vector, z: &Vector) -> Result<f64, TheoryError> {
        Ok(self.f.value(z)? + self.phi.value(&(&self.a * u - z))? / self.lambda + self.g.value(u))
    }

    /// y = ∇φ(Au − z)/λ, the multiplier shared by (5a) and (5b).
    pub fn multiplier(&self, u: &Vector, z: &Vector) -> Result<Vector, TheoryError> {
        Ok(self.phi.gradient(&(&self.a * u - z))? / self.lambda)
    }

    /// Residual of (5a): dist(−Aᵀ∇φ(Au − z)/λ, ∂g(u)).
    pub fn residual_5a(&self, u: &Vector, z: &Vector) -> Result<f64, TheoryError> {
        let y = -(self.a.transpose() * self.multiplier(u, z)?);
        crate::error::finite_scalar("residual of (5a)", self.g.subdifferential_distance(u, &y))
    }

    /// Residual of (5b): dist(∇φ(Au − z)/λ, ∂f(z)).
    pub fn residual_5b(&self, u: &Vector, z: &Vector) -> Result<f64, TheoryError> {
        self.f.subdifferential_distance(z, &self.multiplier(u, z)?)
    }
}

/// Residual of condition (7) of Corollary 4.4 for a given ∇e(Au): dist(−Aᵀ∇e(Au), ∂g(u)) (`+∞`
/// for u ∉ dom g). A free function of A and g, so that a check can judge the statement's g while
/// the model handed to a solver carries another.
pub fn residual_7(a: &Matrix, g: &dyn G, u: &Vector, envelope_gradient: &Vector) -> f64 {
    g.subdifferential_distance(u, &-(a.transpose() * envelope_gradient))
}
