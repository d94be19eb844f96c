//! A tiny multilayer perceptron, x ↦ w₂ᵀ tanh(W₁x + b₁) + b₂, trained with the logistic loss on
//! labels hᵢ ∈ {−1, 1}: a small nonconvex empirical risk with four layers (W₁, b₁, w₂, b₂) for the
//! layerwise potentials of (18). Gradients by backpropagation in f64.

use super::logistic::{sigmoid, softplus};
use super::risk::{EmpiricalRisk, check_batch, check_params, normal};
use crate::{Matrix, TheoryError, Vector};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Inputs of dimension d, one hidden layer of width k.
#[derive(Debug, Clone)]
pub struct TinyMlp {
    x: Matrix,
    h: Vec<f64>,
    hidden: usize,
}

impl TinyMlp {
    /// n samples in d dimensions labelled by the sign of x₁x₂ (not linearly separable), k hidden
    /// units.
    pub fn generated(n: usize, d: usize, hidden: usize, seed: u64) -> Result<Self, TheoryError> {
        if n == 0 || d < 2 || hidden == 0 {
            return Err(TheoryError::InvalidParameter {
                name: "n, d, hidden",
                value: format!("{n}, {d}, {hidden}"),
                expected: "n ≥ 1, d ≥ 2, hidden ≥ 1",
            });
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let x = Matrix::from_fn(n, d, |_, _| normal(&mut rng));
        let h = (0..n).map(|i| if x[(i, 0)] * x[(i, 1)] >= 0.0 { 1.0 } else { -1.0 }).collect();
        Ok(TinyMlp { x, h, hidden })
    }

    fn d(&self) -> usize {
        self.x.ncols()
    }

    /// A small random starting point (the zero vector is a saddle of the MLP).
    pub fn initial(&self, seed: u64) -> Vector {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        Vector::from_fn(self.dim(), |_, _| 0.3 * normal(&mut rng))
    }
}

impl EmpiricalRisk for TinyMlp {
    fn dim(&self) -> usize {
        self.hidden * self.d() + 2 * self.hidden + 1
    }
    fn samples(&self) -> usize {
        self.x.nrows()
    }
    fn layers(&self) -> Vec<usize> {
        vec![self.hidden * self.d(), self.hidden, self.hidden, 1]
    }
    fn loss_and_gradient(&self, z: &Vector, batch: &[usize]) -> Result<(f64, Vector), TheoryError> {
        check_params("MLP parameters", self.dim(), z)?;
        check_batch(self.samples(), batch)?;
        let (d, k) = (self.d(), self.hidden);
        // Layout: W₁ (row-major k×d), b₁ (k), w₂ (k), b₂ (1).
        let w1 = |j: usize, l: usize| z[j * d + l];
        let (ob1, ow2, ob2) = (k * d, k * d + k, k * d + 2 * k);
        let mut loss = 0.0;
        let mut g = Vector::zeros(self.dim());
        for &i in batch {
            let a: Vec<f64> = (0..k).map(|j| (0..d).map(|l| w1(j, l) * self.x[(i, l)]).sum::<f64>() + z[ob1 + j]).collect();
            let t: Vec<f64> = a.iter().map(|v| v.tanh()).collect();
            let out = (0..k).map(|j| z[ow2 + j] * t[j]).sum::<f64>() + z[ob2];
            let margin = self.h[i] * out;
            loss += softplus(-margin);
            let dout = -self.h[i] * sigmoid(-margin);
            g[ob2] += dout;
            for j in 0..k {
                g[ow2 + j] += dout * t[j];
                let da = dout * z[ow2 + j] * (1.0 - t[j] * t[j]);
                g[ob1 + j] += da;
                for l in 0..d {
                    g[j * d + l] += da * self.x[(i, l)];
                }
            }
        }
        let n = batch.len() as f64;
        Ok((loss / n, g / n))
    }
}
