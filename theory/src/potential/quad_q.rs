//! quad-Q: the scaled quadratic φ(w) = wᵀQw with Q symmetric positive definite (section 3's first
//! example): ∇φ = 2Qw, ∇²φ = 2Q, ∇φ*(y) = Q⁻¹y/2.

use super::{ConjugateGradient, Domain, Gradient, Hessian, Legendre, Value, check_point, dual_hessian};
use crate::{Matrix, TheoryError, Vector};

/// φ(w) = wᵀQw for a symmetric positive definite Q (fixed dimension).
#[derive(Debug, Clone)]
pub struct QuadQ {
    q: Matrix,
    chol: nalgebra::Cholesky<f64, nalgebra::Dyn>,
}

impl QuadQ {
    /// Validates that Q is square, finite, symmetric (to 1e-12 relative) and positive definite.
    pub fn new(q: Matrix) -> Result<Self, TheoryError> {
        if q.nrows() != q.ncols() || q.nrows() == 0 {
            return Err(TheoryError::InvalidParameter {
                name: "Q",
                value: format!("a {}×{} matrix", q.nrows(), q.ncols()),
                expected: "a non-empty square matrix",
            });
        }
        crate::error::ensure_finite("Q", q.as_slice())?;
        let asym = (&q - q.transpose()).norm();
        if asym > 1e-12 * q.norm() {
            return Err(TheoryError::InvalidParameter {
                name: "Q",
                value: format!("a matrix with ‖Q − Qᵀ‖ = {asym:e}"),
                expected: "a symmetric matrix",
            });
        }
        let chol = q.clone().cholesky().ok_or_else(|| TheoryError::InvalidParameter {
            name: "Q",
            value: "a matrix without Cholesky factor".into(),
            expected: "a positive definite matrix",
        })?;
        Ok(QuadQ { q, chol })
    }

    /// The registry's Q in dimension m: tridiag(0.4, 1, 0.4), eigenvalues 1 + 0.8 cos(kπ/(m+1)) ∈
    /// (0.2, 1.8): positive definite and not diagonal.
    pub fn tridiagonal(m: usize) -> Result<Self, TheoryError> {
        let q = Matrix::from_fn(m, m, |i, j| if i == j { 1.0 } else if i.abs_diff(j) == 1 { 0.4 } else { 0.0 });
        QuadQ::new(q)
    }

    /// The matrix Q.
    pub fn q(&self) -> &Matrix {
        &self.q
    }
}

impl Value for QuadQ {
    fn value(&self, w: &Vector) -> Result<f64, TheoryError> {
        check_point("quad-Q value", self.fixed_dim(), w)?;
        if !self.contains(w) {
            return Ok(f64::INFINITY);
        }
        // wᵀQw = a² ûᵀQû with a = maxᵢ|wᵢ|, û = w/a: ûᵀQû ∈ [λ_min, λ_max]·‖û‖² is finite and
        // positive, so the value is finite or +∞ (never ∞ − ∞ from mixed-sign overflow).
        let a = w.amax();
        if a == 0.0 {
            return Ok(0.0);
        }
        let u = w / a;
        Ok(a * a * u.dot(&(&self.q * &u)))
    }
}

impl Gradient for QuadQ {
    fn gradient(&self, w: &Vector) -> Result<Vector, TheoryError> {
        check_point("quad-Q gradient", self.fixed_dim(), w)?;
        crate::error::ensure_finite("quad-Q gradient", w.as_slice())?;
        crate::error::finite_vector("quad-Q gradient (overflow)", &self.q * w * 2.0)
    }
}

impl Hessian for QuadQ {
    fn hessian(&self, w: &Vector) -> Result<Matrix, TheoryError> {
        check_point("quad-Q Hessian", self.fixed_dim(), w)?;
        Ok(&self.q * 2.0)
    }
}

impl ConjugateGradient for QuadQ {
    fn conjugate_gradient(&self, y: &Vector) -> Result<Vector, TheoryError> {
        check_point("quad-Q ∇φ*", self.fixed_dim(), y)?;
        crate::error::ensure_finite("quad-Q ∇φ*", y.as_slice())?;
        crate::error::finite_vector("quad-Q ∇φ* (overflow)", self.chol.solve(y) * 0.5)
    }
}

impl Domain for QuadQ {
    fn contains(&self, w: &Vector) -> bool {
        w.len() == self.q.nrows() && w.iter().all(|v| v.is_finite())
    }
    fn max_step(&self, w: &Vector, d: &Vector) -> Result<f64, TheoryError> {
        check_point("quad-Q max_step", self.fixed_dim(), w)?;
        check_point("quad-Q max_step direction", self.fixed_dim(), d)?;
        Ok(f64::INFINITY)
    }
    fn inradius(&self) -> f64 {
        f64::INFINITY
    }
    fn boundary_distance(&self, w: &Vector) -> f64 {
        if self.contains(w) { f64::INFINITY } else { 0.0 }
    }
}

impl Legendre for QuadQ {
    fn name(&self) -> String {
        "quad-Q".into()
    }
    fn fixed_dim(&self) -> Option<usize> {
        Some(self.q.nrows())
    }
    fn dual_derivatives(&self, w: &Vector) -> Option<Result<(f64, Vector, Matrix), TheoryError>> {
        if let Err(e) = check_point("quad-Q num-dual", self.fixed_dim(), w) {
            return Some(Err(e));
        }
        let m = self.q.nrows();
        Some(dual_hessian(w, |x| {
            let mut acc = x[0].clone() * 0.0;
            for i in 0..m {
                for j in 0..m {
                    acc += x[i].clone() * x[j].clone() * self.q[(i, j)];
                }
            }
            acc
        }))
    }
}
