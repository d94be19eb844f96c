//! The Jacobian of P by implicit differentiation (Theorem 4.3 (i): P is single-valued and
//! Lipschitz near v̄, and where the optimality system is smooth its derivative follows from the
//! implicit function theorem).
//!
//! - C² f: λ∇f(z) − ∇φ(v − z) = 0 differentiates to (λ∇²f(z) + ∇²φ(v − z)) dz = ∇²φ(v − z) dv:
//!   DP(v) = (λ∇²f(z) + ∇²φ(v − z))⁻¹ ∇²φ(v − z).
//! - Separable f with coordinates at a kink (zᵢ = 0, the active set A, assumed strictly inside
//!   the subdifferential interval): dzᵢ = 0 on A, and on the free set F the same formula
//!   restricted: (λ∇²f_FF + ∇²φ_FF) dz_F = ∇²φ_F· dv.
//! - Indicator of M = {zᵀDz = 1}: differentiating the Lagrange system gives
//!   [[∇²φ/λ + 2tD, 2Dz], [2(Dz)ᵀ, 0]] [dz; dt] = [∇²φ/λ dv; 0].

use super::manifold;
use crate::family::scalar::Side;
use crate::family::{Family, Structure};
use crate::potential::Legendre;
use crate::{Matrix, TheoryError, Vector};

/// DP(v) at z = P(v) (module doc). Errors where the system is singular.
pub fn prox_jacobian(phi: &dyn Legendre, f: &dyn Family, lambda: f64, v: &Vector, z: &Vector) -> Result<Matrix, TheoryError> {
    let m = v.len();
    crate::error::ensure_dim("z", m, z.len())?;
    let w = v - z;
    let hphi = phi.hessian(&w)?;
    let singular = || TheoryError::NotConverged { solver: "implicit differentiation (singular system)", iterations: 0, residual: f64::INFINITY };
    match f.structure() {
        Structure::Smooth => {
            // A family that declares itself smooth but has no Hessian is a family bug: say so.
            let hf = f.hessian(z).ok_or_else(|| TheoryError::InvalidParameter {
                name: "family",
                value: format!("{} declares Structure::Smooth but has no Hessian", f.name()),
                expected: "a Hessian for every smooth family (Family::hessian)",
            })??;
            let a = hf * lambda + &hphi;
            a.lu().solve(&hphi).filter(|x| x.iter().all(|y| y.is_finite())).ok_or_else(singular)
        }
        Structure::Separable(terms) => {
            let free: Vec<usize> = (0..m).filter(|&i| !(terms[i].has_kink() && z[i] == 0.0)).collect();
            let mut dp = Matrix::zeros(m, m);
            if free.is_empty() {
                return Ok(dp);
            }
            let k = free.len();
            let mut a = Matrix::zeros(k, k);
            let mut rhs = Matrix::zeros(k, m);
            for (r, &i) in free.iter().enumerate() {
                for (c, &j) in free.iter().enumerate() {
                    a[(r, c)] = hphi[(i, j)];
                }
                a[(r, r)] += lambda * terms[i].second(z[i], Side::Right);
                for j in 0..m {
                    rhs[(r, j)] = hphi[(i, j)];
                }
            }
            let sol = a.lu().solve(&rhs).filter(|x| x.iter().all(|y| y.is_finite())).ok_or_else(singular)?;
            for (r, &i) in free.iter().enumerate() {
                for j in 0..m {
                    dp[(i, j)] = sol[(r, j)];
                }
            }
            Ok(dp)
        }
        Structure::Ellipsoid(d) => {
            let t = manifold::multiplier_at(phi, d, lambda, v, z)?;
            let j = manifold::kkt_matrix(phi, d, lambda, v, z, t)?;
            let mut rhs = Matrix::zeros(m + 1, m);
            rhs.view_mut((0, 0), (m, m)).copy_from(&(hphi / lambda));
            let sol = j.lu().solve(&rhs).filter(|x| x.iter().all(|y| y.is_finite())).ok_or_else(singular)?;
            Ok(sol.rows(0, m).into_owned())
        }
    }
}

/// The implicit-function Lipschitz bound of P at v: the spectral norm ‖DP(v)‖.
pub fn lipschitz_bound(phi: &dyn Legendre, f: &dyn Family, lambda: f64, v: &Vector, z: &Vector) -> Result<f64, TheoryError> {
    let j = prox_jacobian(phi, f, lambda, v, z)?;
    Ok(j.clone().svd(false, false).singular_values.iter().cloned().fold(0.0, f64::max))
}
