//! indefinite-quadratic: f(z) = ½zᵀHz + bᵀz with λ_min(H) = −ρ < 0 (docs/checks.md).
//!
//! Weakly convex with r = ρ; unbounded below, so the threshold of Definition 3.3 depends on φ:
//! for a quadratic potential φ(w) = wᵀQw the inner objective of (2),
//! ½zᵀHz + bᵀz + (v − z)ᵀQ(v − z)/λ, has Hessian H + 2Q/λ, which is positive definite exactly
//! for λ < 2/ρ_Q with ρ_Q = −λ_min(Q^{-1/2} H Q^{-1/2}); for λ > 2/ρ_Q it is unbounded below for
//! every v. Hence λ_f = 2/ρ_Q (= 2/ρ for `quad` = ‖·‖²). For a super-quadratic φ (cubic,
//! cubic-reg, cosh) or a bounded dom φ (tan, log and their variants) the inner objective is
//! bounded below for every λ: λ_f = ∞.
//!
//! The control `neg-indef-quad-above` is the same function under another name: the checks draw
//! λ above λ_f for it, where Definition 3.3's bound (10) must fail.

use crate::random::SeedGen;
use super::{Family, Minorant, Structure, check_z};
use crate::prox::certificate::{Growth, PhiCertificate};
use crate::{Matrix, TheoryError, Vector};

/// ½zᵀHz + bᵀz with an indefinite H.
#[derive(Debug, Clone)]
pub struct IndefiniteQuadratic {
    name: &'static str,
    h: Matrix,
    b: Vector,
    rho: f64,
}

impl IndefiniteQuadratic {
    /// From its data; H symmetric with a negative eigenvalue.
    pub fn new(name: &'static str, h: Matrix, b: Vector) -> Result<Self, TheoryError> {
        crate::error::ensure_dim("H", b.len(), h.nrows())?;
        crate::error::ensure_dim("H", b.len(), h.ncols())?;
        let (lmin, _) = crate::linalg::symmetric_eigen_range(&h);
        if !(lmin < 0.0) {
            return Err(TheoryError::InvalidParameter {
                name: "H",
                value: format!("λ_min = {lmin:e}"),
                expected: "a symmetric matrix with a negative eigenvalue",
            });
        }
        Ok(IndefiniteQuadratic { name, h, b, rho: -lmin })
    }

    /// The generated instance: H = U diag(−ρ, μ₂, …) Uᵀ with U a random orthogonal matrix,
    /// ρ ∈ [0.5, 2], μᵢ ∈ [0.5, 2], b ~ N(0, 0.5²).
    pub fn generate(name: &'static str, m: usize, g: &mut SeedGen) -> Self {
        let a = Matrix::from_fn(m, m, |_, _| g.normal());
        let u = a.qr().q();
        let mut d = Vector::from_fn(m, |_, _| g.uniform(0.5, 2.0));
        d[0] = -g.uniform(0.5, 2.0);
        let h = &u * Matrix::from_diagonal(&d) * u.transpose();
        let h = (&h + h.transpose()) * 0.5;
        let b = Vector::from_fn(m, |_, _| 0.5 * g.normal());
        IndefiniteQuadratic::new(name, h, b).expect("generated H has a negative eigenvalue")
    }

    /// ρ = −λ_min(H).
    pub fn rho(&self) -> f64 {
        self.rho
    }

    /// H.
    pub fn h(&self) -> &Matrix {
        &self.h
    }
}

impl Family for IndefiniteQuadratic {
    fn name(&self) -> String {
        self.name.into()
    }
    fn dim(&self) -> usize {
        self.b.len()
    }
    fn structure(&self) -> Structure<'_> {
        Structure::Smooth
    }
    fn value(&self, z: &Vector) -> Result<f64, TheoryError> {
        check_z("indefinite-quadratic value", self.dim(), z)?;
        crate::error::finite_scalar("indefinite-quadratic value (overflow)", 0.5 * z.dot(&(&self.h * z)) + self.b.dot(z))
    }
    fn subgradient(&self, z: &Vector) -> Result<Vector, TheoryError> {
        check_z("indefinite-quadratic gradient", self.dim(), z)?;
        crate::error::finite_vector("indefinite-quadratic gradient (overflow)", &self.h * z + &self.b)
    }
    fn subdifferential_distance(&self, z: &Vector, y: &Vector) -> Result<f64, TheoryError> {
        check_z("indefinite-quadratic subdifferential", self.dim(), y)?;
        crate::error::finite_scalar("indefinite-quadratic subdifferential distance (overflow)", (self.subgradient(z)? - y).norm())
    }
    /// ∂f(z) = {∇f(z)}.
    fn nearest_subgradient(&self, z: &Vector, y: &Vector) -> Result<Vector, TheoryError> {
        check_z("indefinite-quadratic subdifferential", self.dim(), y)?;
        self.subgradient(z)
    }
    fn hessian(&self, z: &Vector) -> Option<Result<Matrix, TheoryError>> {
        Some(check_z("indefinite-quadratic Hessian", self.dim(), z).map(|_| self.h.clone()))
    }
    fn weak_convexity_modulus(&self) -> Option<f64> {
        Some(self.rho)
    }
    fn minorant(&self) -> Option<Minorant> {
        Some(Minorant { a: 0.5 * self.rho, b: self.b.norm(), c: 0.0, quadratic: Some((self.h.clone(), self.b.clone())) })
    }
    fn lower_bound(&self) -> Option<f64> {
        None
    }
    /// λ_f = 2/ρ_Q for φ = wᵀQw (see the module doc), ∞ otherwise.
    fn threshold(&self, phi: &PhiCertificate) -> f64 {
        match &phi.growth {
            // A certificate of another dimension (or a Q without Cholesky factor) certifies
            // nothing: λ_f = 0, no λ > 0 is admitted.
            Growth::Quadratic(q) if q.nrows() != self.dim() || q.ncols() != self.dim() => 0.0,
            Growth::Quadratic(q) => match q.clone().cholesky() {
                Some(ch) => {
                    // Q^{-1/2} H Q^{-1/2} is similar to L⁻¹ H L⁻ᵀ (Q = L Lᵀ).
                    let l = ch.l();
                    let linv = l.clone().try_inverse().unwrap_or_else(|| Matrix::identity(l.nrows(), l.ncols()));
                    let s = &linv * &self.h * linv.transpose();
                    let (lmin, _) = crate::linalg::symmetric_eigen_range(&s);
                    if lmin < 0.0 { 2.0 / (-lmin) } else { f64::INFINITY }
                }
                None => 0.0,
            },
            _ => f64::INFINITY,
        }
    }
    fn prox_regular(&self) -> bool {
        true
    }
}
