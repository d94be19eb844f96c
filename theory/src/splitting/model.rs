//! Model (4): minimize F(u, z) = f(z) + (1/λ) φ(Au − z) + g(u), with f a (nonconvex) family, φ a
//! Legendre potential, A ∈ ℝ^{m×n} and g(u) = (γ/2)‖u − c‖² (smooth and strongly convex, so that
//! (14a) has a unique solution and ∂g = {∇g}).

use crate::family::Family;
use crate::potential::Legendre;
use crate::{Matrix, TheoryError, Vector};

/// g(u) = (γ/2)‖u − c‖², γ > 0.
#[derive(Debug, Clone)]
pub struct Quadratic {
    /// Curvature γ > 0.
    pub gamma: f64,
    /// Center c.
    pub center: Vector,
}

impl Quadratic {
    /// g(u).
    pub fn value(&self, u: &Vector) -> f64 {
        0.5 * self.gamma * (u - &self.center).norm_squared()
    }
    /// ∇g(u).
    pub fn gradient(&self, u: &Vector) -> Vector {
        (u - &self.center) * self.gamma
    }
}

/// The data of model (4).
pub struct SplittingModel {
    /// f: ℝᵐ → ℝ ∪ {+∞}.
    pub f: Box<dyn Family>,
    /// g: ℝⁿ → ℝ.
    pub g: Quadratic,
    /// A ∈ ℝ^{m×n}.
    pub a: Matrix,
    /// φ on ℝᵐ.
    pub phi: Box<dyn Legendre>,
    /// λ > 0.
    pub lambda: f64,
}

impl SplittingModel {
    /// Validates the shapes and parameters (dim f = rows of A, dim g = columns of A, λ > 0, γ > 0).
    pub fn new(f: Box<dyn Family>, g: Quadratic, a: Matrix, phi: Box<dyn Legendre>, lambda: f64) -> Result<Self, TheoryError> {
        if !(lambda > 0.0 && lambda.is_finite()) {
            return Err(TheoryError::InvalidParameter { name: "lambda", value: format!("{lambda}"), expected: "a finite λ > 0" });
        }
        if !(g.gamma > 0.0 && g.gamma.is_finite()) {
            return Err(TheoryError::InvalidParameter { name: "γ", value: format!("{}", g.gamma), expected: "a finite γ > 0" });
        }
        crate::error::ensure_dim("rows of A (dimension of f)", f.dim(), a.nrows())?;
        crate::error::ensure_dim("columns of A (dimension of g)", g.center.len(), a.ncols())?;
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

    /// Residual of (5a): ‖∇g(u) + Aᵀ∇φ(Au − z)/λ‖.
    pub fn residual_5a(&self, u: &Vector, z: &Vector) -> Result<f64, TheoryError> {
        Ok((self.g.gradient(u) + self.a.transpose() * self.multiplier(u, z)?).norm())
    }

    /// Residual of (5b): dist(∇φ(Au − z)/λ, ∂f(z)).
    pub fn residual_5b(&self, u: &Vector, z: &Vector) -> Result<f64, TheoryError> {
        self.f.subdifferential_distance(z, &self.multiplier(u, z)?)
    }

    /// Residual of (7) for a given ∇e(Au): ‖∇g(u) + Aᵀ∇e(Au)‖.
    pub fn residual_7(&self, u: &Vector, envelope_gradient: &Vector) -> f64 {
        (self.g.gradient(u) + self.a.transpose() * envelope_gradient).norm()
    }
}
