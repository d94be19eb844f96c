//! Least squares: f(z) = (1/2n) Σᵢ (aᵢᵀz − bᵢ)², data generated from a seed.

use super::risk::{EmpiricalRisk, check_batch, check_params, normal};
use crate::{Matrix, TheoryError, Vector};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// (1/2n) ‖A z − b‖² over the rows of A.
#[derive(Debug, Clone)]
pub struct LeastSquares {
    a: Matrix,
    b: Vector,
}

impl LeastSquares {
    /// From a design matrix and targets (rows must agree).
    pub fn new(a: Matrix, b: Vector) -> Result<Self, TheoryError> {
        crate::error::ensure_dim("least-squares targets", a.nrows(), b.len())?;
        if a.nrows() == 0 || a.ncols() == 0 {
            return Err(TheoryError::InvalidParameter { name: "A", value: "an empty matrix".into(), expected: "n, d ≥ 1" });
        }
        Ok(LeastSquares { a, b })
    }

    /// n samples in d dimensions: standard normal design, targets from a random z* plus noise 0.1.
    pub fn generated(n: usize, d: usize, seed: u64) -> Result<Self, TheoryError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let a = Matrix::from_fn(n, d, |_, _| normal(&mut rng));
        let zs = Vector::from_fn(d, |_, _| normal(&mut rng));
        let noise = Vector::from_fn(n, |_, _| 0.1 * normal(&mut rng));
        let b = &a * zs + noise;
        LeastSquares::new(a, b)
    }
}

impl EmpiricalRisk for LeastSquares {
    fn dim(&self) -> usize {
        self.a.ncols()
    }
    fn samples(&self) -> usize {
        self.a.nrows()
    }
    fn loss_and_gradient(&self, z: &Vector, batch: &[usize]) -> Result<(f64, Vector), TheoryError> {
        check_params("least-squares parameters", self.dim(), z)?;
        check_batch(self.samples(), batch)?;
        let mut loss = 0.0;
        let mut g = Vector::zeros(self.dim());
        for &i in batch {
            let row = self.a.row(i);
            let r = (row * z)[0] - self.b[i];
            loss += 0.5 * r * r;
            g += row.transpose() * r;
        }
        let k = batch.len() as f64;
        Ok((loss / k, g / k))
    }
}
