//! Empirical risks fⱼ(z) = (1/|Iⱼ|) Σ_{i ∈ Iⱼ} ℓ(hᵢ, H(xᵢ; z)) + R(z) of section 5.2, with the
//! regularizer R = (ν/2)‖·‖² kept in Algorithm 1 (∇R(z) = νz), not here.

use crate::{TheoryError, Vector};
use rand::Rng;

/// A data-fitting loss over samples, with minibatch gradients (16).
pub trait EmpiricalRisk: Send + Sync {
    /// Number of parameters.
    fn dim(&self) -> usize;
    /// Number of samples.
    fn samples(&self) -> usize;
    /// The layer table of the parameter vector (for the layerwise potentials of (18)).
    fn layers(&self) -> Vec<usize> {
        vec![self.dim()]
    }
    /// Mean loss and its gradient over the samples `batch` (16); the full data when `batch` is
    /// every index.
    fn loss_and_gradient(&self, z: &Vector, batch: &[usize]) -> Result<(f64, Vector), TheoryError>;

    /// Mean loss and gradient over all samples.
    fn full(&self, z: &Vector) -> Result<(f64, Vector), TheoryError> {
        let all: Vec<usize> = (0..self.samples()).collect();
        self.loss_and_gradient(z, &all)
    }
}

/// Checks the parameter vector against the risk's dimension.
pub(crate) fn check_params(what: &'static str, dim: usize, z: &Vector) -> Result<(), TheoryError> {
    crate::error::ensure_dim(what, dim, z.len())?;
    crate::error::ensure_finite(what, z.as_slice())
}

/// Fails unless every index of the batch is a sample.
pub(crate) fn check_batch(n: usize, batch: &[usize]) -> Result<(), TheoryError> {
    if batch.is_empty() {
        return Err(TheoryError::InvalidParameter { name: "batch", value: "[]".into(), expected: "a non-empty minibatch" });
    }
    if let Some(&i) = batch.iter().find(|&&i| i >= n) {
        return Err(TheoryError::InvalidParameter {
            name: "batch",
            value: format!("index {i}"),
            expected: "sample indices below the number of samples",
        });
    }
    Ok(())
}

/// A uniform minibatch of `size` indices in 0..n, drawn with replacement (each index uniform and
/// independent, so (16) is an unbiased estimate of the full gradient).
pub fn minibatch(rng: &mut impl Rng, n: usize, size: usize) -> Vec<usize> {
    (0..size).map(|_| rng.random_range(0..n)).collect()
}

pub(crate) use crate::random::normal;
