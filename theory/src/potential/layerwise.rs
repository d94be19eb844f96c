//! Layerwise sums of equation (18): for a parameter vector cut into layers l = 1..L,
//! φ̂(w) = Σₗ φ(wₗ) (with η-scaling: φ = [`Scaled`](super::scaled::Scaled)). A radial φ is radial per
//! layer; gradient, Hessian (block diagonal) and ∇φ̂* act blockwise, and the domain is the product.

use super::{ConjugateGradient, Domain, Gradient, Hessian, Legendre, Value};
use crate::{Matrix, TheoryError, Vector};

/// Σₗ φ(wₗ) over a layer table (sizes of consecutive blocks).
#[derive(Debug, Clone)]
pub struct Layerwise<P> {
    inner: P,
    layers: Vec<usize>,
    dim: usize,
}

impl<P: Legendre> Layerwise<P> {
    /// A layer table must be non-empty with positive sizes, and φ must not be bound to a dimension.
    pub fn new(inner: P, layers: Vec<usize>) -> Result<Self, TheoryError> {
        if layers.is_empty() || layers.contains(&0) {
            return Err(TheoryError::InvalidParameter {
                name: "layers",
                value: format!("{layers:?}"),
                expected: "a non-empty list of positive layer sizes",
            });
        }
        if let Some(m) = inner.fixed_dim() {
            return Err(TheoryError::InvalidParameter {
                name: "inner potential",
                value: format!("{} (bound to dimension {m})", inner.name()),
                expected: "a potential that works in any dimension",
            });
        }
        let dim = layers.iter().sum();
        Ok(Layerwise { inner, layers, dim })
    }

    /// The layer sizes.
    pub fn layers(&self) -> &[usize] {
        &self.layers
    }

    fn blocks(&self, w: &Vector) -> Result<Vec<Vector>, TheoryError> {
        crate::error::ensure_dim("layerwise potential", self.dim, w.len())?;
        let mut start = 0;
        Ok(self
            .layers
            .iter()
            .map(|&n| {
                let b = w.rows(start, n).into_owned();
                start += n;
                b
            })
            .collect())
    }

    fn concat(&self, parts: Vec<Vector>) -> Vector {
        Vector::from_iterator(self.dim, parts.into_iter().flat_map(|p| p.iter().cloned().collect::<Vec<_>>()))
    }

    fn block_diag(&self, parts: Vec<Matrix>) -> Matrix {
        let mut h = Matrix::zeros(self.dim, self.dim);
        let mut start = 0;
        for (p, &n) in parts.iter().zip(&self.layers) {
            h.view_mut((start, start), (n, n)).copy_from(p);
            start += n;
        }
        h
    }
}

impl<P: Legendre> Value for Layerwise<P> {
    fn value(&self, w: &Vector) -> Result<f64, TheoryError> {
        let mut total = 0.0;
        for b in self.blocks(w)? {
            total += self.inner.value(&b)?;
        }
        Ok(total)
    }
}

impl<P: Legendre> Gradient for Layerwise<P> {
    fn gradient(&self, w: &Vector) -> Result<Vector, TheoryError> {
        let parts = self.blocks(w)?.iter().map(|b| self.inner.gradient(b)).collect::<Result<Vec<_>, _>>()?;
        Ok(self.concat(parts))
    }
}

impl<P: Legendre> Hessian for Layerwise<P> {
    fn hessian(&self, w: &Vector) -> Result<Matrix, TheoryError> {
        let parts = self.blocks(w)?.iter().map(|b| self.inner.hessian(b)).collect::<Result<Vec<_>, _>>()?;
        Ok(self.block_diag(parts))
    }
}

impl<P: Legendre> ConjugateGradient for Layerwise<P> {
    fn conjugate_gradient(&self, y: &Vector) -> Result<Vector, TheoryError> {
        let parts =
            self.blocks(y)?.iter().map(|b| self.inner.conjugate_gradient(b)).collect::<Result<Vec<_>, _>>()?;
        Ok(self.concat(parts))
    }
}

impl<P: Legendre> Domain for Layerwise<P> {
    fn contains(&self, w: &Vector) -> bool {
        match self.blocks(w) {
            Ok(bs) => bs.iter().all(|b| self.inner.contains(b)),
            Err(_) => false,
        }
    }
    fn max_step(&self, w: &Vector, d: &Vector) -> Result<f64, TheoryError> {
        let (wb, db) = (self.blocks(w)?, self.blocks(d)?);
        let mut t = f64::INFINITY;
        for (wl, dl) in wb.iter().zip(&db) {
            t = t.min(self.inner.max_step(wl, dl)?);
        }
        Ok(t)
    }
    fn inradius(&self) -> f64 {
        // The product of the layer domains contains the ball of the smallest layer inradius.
        self.inner.inradius()
    }
    fn boundary_distance(&self, w: &Vector) -> f64 {
        match self.blocks(w) {
            Ok(bs) => bs.iter().map(|b| self.inner.boundary_distance(b)).fold(f64::INFINITY, f64::min),
            Err(_) => 0.0,
        }
    }
}

impl<P: Legendre> Legendre for Layerwise<P> {
    fn name(&self) -> String {
        format!("Σₗ {} over layers {:?}", self.inner.name(), self.layers)
    }
    fn fixed_dim(&self) -> Option<usize> {
        Some(self.dim)
    }
    fn dual_derivatives(&self, w: &Vector) -> Option<Result<(f64, Vector, Matrix), TheoryError>> {
        let blocks = match self.blocks(w) {
            Ok(b) => b,
            Err(e) => return Some(Err(e)),
        };
        let mut value = 0.0;
        let (mut gs, mut hs) = (Vec::new(), Vec::new());
        for b in &blocks {
            match self.inner.dual_derivatives(b)? {
                Ok((v, g, h)) => {
                    value += v;
                    gs.push(g);
                    hs.push(h);
                }
                Err(e) => return Some(Err(e)),
            }
        }
        Some(Ok((value, self.concat(gs), self.block_diag(hs))))
    }
}
