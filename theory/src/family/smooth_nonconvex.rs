//! smooth-nonconvex: f(z) = ½zᵀHz + bᵀz + Σₖ aₖ cos(⟨ωₖ, z⟩ + cₖ), H ⪰ 0 (docs/checks.md).
//!
//! ∇f = Hz + b − Σₖ aₖ sin(⟨ωₖ, z⟩ + cₖ) ωₖ, ∇²f = H − Σₖ aₖ cos(⟨ωₖ, z⟩ + cₖ) ωₖωₖᵀ ⪰
//! (λ_min(H) − Σₖ |aₖ|‖ωₖ‖²) I, so r = max(0, Σₖ |aₖ|‖ωₖ‖² − λ_min(H)) is a weak-convexity
//! modulus; C² functions are prox-regular everywhere. With H ≻ 0 the function is bounded below by
//! −½bᵀH⁻¹b − Σₖ|aₖ|, hence φ-prox-bounded with λ_f = ∞ for every φ.

use crate::random::SeedGen;
use super::{Family, Minorant, Structure, check_z};
use crate::prox::certificate::PhiCertificate;
use crate::{Matrix, TheoryError, Vector};

/// One cosine term a cos(⟨ω, z⟩ + c).
#[derive(Debug, Clone)]
pub struct Cosine {
    /// Amplitude a.
    pub a: f64,
    /// Frequency vector ω.
    pub omega: Vector,
    /// Phase c.
    pub c: f64,
}

/// ½zᵀHz + bᵀz + Σₖ aₖ cos(⟨ωₖ, z⟩ + cₖ).
#[derive(Debug, Clone)]
pub struct SmoothNonconvex {
    h: Matrix,
    b: Vector,
    cosines: Vec<Cosine>,
    lambda_min_h: f64,
}

impl SmoothNonconvex {
    /// From its data; H must be symmetric positive semidefinite.
    pub fn new(h: Matrix, b: Vector, cosines: Vec<Cosine>) -> Result<Self, TheoryError> {
        let m = b.len();
        crate::error::ensure_dim("H", m, h.nrows())?;
        crate::error::ensure_dim("H", m, h.ncols())?;
        for c in &cosines {
            crate::error::ensure_dim("ω", m, c.omega.len())?;
        }
        let (lambda_min_h, _) = crate::linalg::symmetric_eigen_range(&h);
        if lambda_min_h < 0.0 {
            return Err(TheoryError::InvalidParameter {
                name: "H",
                value: format!("λ_min = {lambda_min_h:e}"),
                expected: "a positive semidefinite matrix",
            });
        }
        Ok(SmoothNonconvex { h, b, cosines, lambda_min_h })
    }

    /// The generated instance: H = BᵀB/m + 0.3 I, b ~ N(0, 0.5²), two cosines with
    /// |a| ∈ [0.3, 1], ‖ω‖ ∈ [0.6, 1.4], c ∈ [0, 2π).
    pub fn generate(m: usize, g: &mut SeedGen) -> Self {
        let bm = Matrix::from_fn(m, m, |_, _| g.normal());
        let h = bm.transpose() * &bm / m as f64 + Matrix::identity(m, m) * 0.3;
        let b = Vector::from_fn(m, |_, _| 0.5 * g.normal());
        let cosines = (0..2)
            .map(|_| Cosine { a: g.sign() * g.uniform(0.3, 1.0), omega: g.direction(m) * g.uniform(0.6, 1.4), c: g.uniform(0.0, std::f64::consts::TAU) })
            .collect();
        SmoothNonconvex::new(h, b, cosines).expect("generated H is positive definite")
    }
}

impl Family for SmoothNonconvex {
    fn name(&self) -> String {
        "smooth-nonconvex".into()
    }
    fn dim(&self) -> usize {
        self.b.len()
    }
    fn structure(&self) -> Structure<'_> {
        Structure::Smooth
    }
    fn value(&self, z: &Vector) -> Result<f64, TheoryError> {
        check_z("smooth-nonconvex value", self.dim(), z)?;
        let v = 0.5 * z.dot(&(&self.h * z)) + self.b.dot(z) + self.cosines.iter().map(|c| c.a * (c.omega.dot(z) + c.c).cos()).sum::<f64>();
        crate::error::finite_scalar("smooth-nonconvex value (overflow)", v)
    }
    fn subgradient(&self, z: &Vector) -> Result<Vector, TheoryError> {
        check_z("smooth-nonconvex gradient", self.dim(), z)?;
        let mut g = &self.h * z + &self.b;
        for c in &self.cosines {
            g -= &c.omega * (c.a * (c.omega.dot(z) + c.c).sin());
        }
        crate::error::finite_vector("smooth-nonconvex gradient (overflow)", g)
    }
    fn subdifferential_distance(&self, z: &Vector, y: &Vector) -> Result<f64, TheoryError> {
        check_z("smooth-nonconvex subdifferential", self.dim(), y)?;
        crate::error::finite_scalar("smooth-nonconvex subdifferential distance (overflow)", (self.subgradient(z)? - y).norm())
    }
    /// ∂f(z) = {∇f(z)}.
    fn nearest_subgradient(&self, z: &Vector, y: &Vector) -> Result<Vector, TheoryError> {
        check_z("smooth-nonconvex subdifferential", self.dim(), y)?;
        self.subgradient(z)
    }
    fn hessian(&self, z: &Vector) -> Option<Result<Matrix, TheoryError>> {
        Some(check_z("smooth-nonconvex Hessian", self.dim(), z).and_then(|_| {
            let mut h = self.h.clone();
            for c in &self.cosines {
                h -= &c.omega * c.omega.transpose() * (c.a * (c.omega.dot(z) + c.c).cos());
            }
            // cos(⟨ω, z⟩ + c) is NaN when ⟨ω, z⟩ overflows.
            crate::error::finite_matrix("smooth-nonconvex Hessian (overflow)", h)
        }))
    }
    fn weak_convexity_modulus(&self) -> Option<f64> {
        let s: f64 = self.cosines.iter().map(|c| c.a.abs() * c.omega.norm_squared()).sum();
        Some((s - self.lambda_min_h).max(0.0))
    }
    fn minorant(&self) -> Option<Minorant> {
        Some(Minorant { a: 0.0, b: self.b.norm(), c: self.cosines.iter().map(|c| c.a.abs()).sum(), quadratic: None })
    }
    fn lower_bound(&self) -> Option<f64> {
        let amp: f64 = self.cosines.iter().map(|c| c.a.abs()).sum();
        self.h.clone().cholesky().map(|ch| -0.5 * self.b.dot(&ch.solve(&self.b)) - amp)
    }
    /// ∞: bounded below when H ≻ 0; with H only semidefinite f ≥ −‖b‖‖z‖ − Σ|aₖ| grows at most
    /// linearly downwards, which every super-coercive φ (A4) or bounded dom φ dominates.
    fn threshold(&self, _phi: &PhiCertificate) -> f64 {
        f64::INFINITY
    }
    fn prox_regular(&self) -> bool {
        true
    }
}
