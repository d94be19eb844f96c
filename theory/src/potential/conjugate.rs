//! ∇φ*(y) without a closed form: the minimizer of the strictly convex ψ(w) = φ(w) − ⟨y, w⟩,
//! found by damped Newton with fraction-to-boundary steps (w stays in int dom φ) and an Armijo
//! backtracking on ψ. Used by the dual-number extension path, and by the conformance suite as an
//! independent maximizer of ⟨w, y⟩ − φ(w) (Fenchel–Young).

use super::{Domain, Gradient, Hessian, Value};
use crate::linalg::solve_spd_shifted;
use crate::{TheoryError, Vector};

/// Iteration cap of [`newton_conjugate`].
pub const MAX_NEWTON_ITERATIONS: usize = 200;
/// Fraction of the distance to the boundary that one step may cover.
pub const BOUNDARY_FRACTION: f64 = 0.99;

/// The w with ∇φ(w) = y, from w = 0 (which (A5) puts in the domain), and the value
/// sup_w ⟨w, y⟩ − φ(w) = φ*(y) reached there.
pub fn newton_conjugate<P>(phi: &P, y: &Vector) -> Result<(Vector, f64), TheoryError>
where
    P: Value + Gradient + Hessian + Domain + ?Sized,
{
    crate::error::ensure_finite("∇φ* argument", y.as_slice())?;
    let m = y.len();
    let mut w = Vector::zeros(m);
    if !phi.contains(&w) {
        return Err(TheoryError::OutsideDomain { what: "Newton start w = 0", point_norm: 0.0 });
    }
    let psi = |w: &Vector| -> Result<f64, TheoryError> { Ok(phi.value(w)? - y.dot(w)) };
    let mut f = psi(&w)?;
    let mut last_res = f64::INFINITY;
    for _ in 0..MAX_NEWTON_ITERATIONS {
        let gphi = phi.gradient(&w)?;
        let g = &gphi - y;
        let res = g.norm();
        if res <= 8.0 * f64::EPSILON * (y.norm() + gphi.norm()) {
            return Ok((w, -f));
        }
        last_res = res;
        let h = phi.hessian(&w)?;
        let mut p = solve_spd_shifted(&h, &(-&g)).unwrap_or_else(|| -&g);
        if p.dot(&g) >= 0.0 {
            p = -&g; // not a descent direction (indefinite Hessian): steepest descent
        }
        let mut t = (BOUNDARY_FRACTION * phi.max_step(&w, &p)?).min(1.0);
        let slope = g.dot(&p);
        let mut accepted = false;
        for _ in 0..80 {
            let cand = &w + &p * t;
            let fc = psi(&cand)?;
            // Armijo on ψ, or (where ψ differences drown in rounding) a smaller gradient.
            let smaller_gradient = || phi.gradient(&cand).map(|gc| (gc - y).norm() < res).unwrap_or(false);
            if fc.is_finite() && (fc <= f + 1e-4 * t * slope || (fc <= f + 1e-12 * f.abs() && smaller_gradient())) {
                w = cand;
                f = fc;
                accepted = true;
                break;
            }
            t *= 0.5;
        }
        if !accepted {
            // No step improves ψ: at the rounding floor, accept a residual ≤ 1e-11 relative.
            if res <= 1e-11 * (y.norm() + gphi.norm()) {
                return Ok((w, -f));
            }
            break;
        }
    }
    Err(TheoryError::NotConverged { solver: "newton_conjugate", iterations: MAX_NEWTON_ITERATIONS, residual: last_res })
}
