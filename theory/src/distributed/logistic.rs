//! Logistic regression: f(z) = (1/n) Σᵢ log(1 + exp(−hᵢ aᵢᵀz)), hᵢ ∈ {−1, 1}.

use super::risk::{EmpiricalRisk, check_batch, check_params, normal};
use crate::{Matrix, TheoryError, Vector};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Logistic loss over labelled samples.
#[derive(Debug, Clone)]
pub struct Logistic {
    a: Matrix,
    h: Vec<f64>,
}

impl Logistic {
    /// n samples in d dimensions: labels from a random separating direction, 10 % flipped (so the
    /// minimizer is finite).
    pub fn generated(n: usize, d: usize, seed: u64) -> Result<Self, TheoryError> {
        Self::with_label_noise(n, d, 0.1, seed)
    }

    /// As [`generated`](Self::generated), with a given fraction of flipped labels in [0, 1].
    pub fn with_label_noise(n: usize, d: usize, flip: f64, seed: u64) -> Result<Self, TheoryError> {
        if !(0.0..=1.0).contains(&flip) {
            return Err(TheoryError::InvalidParameter { name: "flip", value: format!("{flip}"), expected: "a fraction in [0, 1]" });
        }
        if n == 0 || d == 0 {
            return Err(TheoryError::InvalidParameter { name: "n, d", value: format!("{n}, {d}"), expected: "n, d ≥ 1" });
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let a = Matrix::from_fn(n, d, |_, _| normal(&mut rng));
        let dir = Vector::from_fn(d, |_, _| normal(&mut rng));
        let h = (0..n)
            .map(|i| {
                let s = if (a.row(i) * &dir)[0] >= 0.0 { 1.0 } else { -1.0 };
                if rng.random::<f64>() < flip { -s } else { s }
            })
            .collect();
        Ok(Logistic { a, h })
    }
}

/// log(1 + eᵗ) without overflow.
pub(crate) fn softplus(t: f64) -> f64 {
    if t > 0.0 { t + (-t).exp().ln_1p() } else { t.exp().ln_1p() }
}

/// The logistic sigmoid 1/(1 + e⁻ᵗ) without overflow.
pub(crate) fn sigmoid(t: f64) -> f64 {
    if t >= 0.0 { 1.0 / (1.0 + (-t).exp()) } else { let e = t.exp(); e / (1.0 + e) }
}

impl EmpiricalRisk for Logistic {
    fn dim(&self) -> usize {
        self.a.ncols()
    }
    fn samples(&self) -> usize {
        self.a.nrows()
    }
    fn loss_and_gradient(&self, z: &Vector, batch: &[usize]) -> Result<(f64, Vector), TheoryError> {
        check_params("logistic parameters", self.dim(), z)?;
        check_batch(self.samples(), batch)?;
        let mut loss = 0.0;
        let mut g = Vector::zeros(self.dim());
        for &i in batch {
            let row = self.a.row(i);
            let margin = self.h[i] * (row * z)[0];
            loss += softplus(-margin);
            g -= row.transpose() * (self.h[i] * sigmoid(-margin));
        }
        let k = batch.len() as f64;
        Ok((loss / k, g / k))
    }
}
