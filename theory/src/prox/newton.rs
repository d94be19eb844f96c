//! Damped Newton for a C² f: solves ∇f(z) − ∇φ(v − z)/λ = 0 (the optimality condition of (3),
//! equivalently (12) with T = ∇f) by Newton steps on F(z) = f(z) + φ(v − z)/λ, with a
//! Levenberg shift where ∇²F is not positive definite, fraction-to-boundary steps (v − z stays
//! strictly inside dom φ: at most [`BOUNDARY_FRACTION`] of the way to the boundary) and an Armijo
//! backtracking on F — the pattern of `potential::conjugate`.

use super::certificate::PhiCertificate;
use super::{ProxSolution, strongly_convex};
use crate::family::Family;
use crate::linalg::solve_spd_shifted;
use crate::linesearch::{Armijo, Search};
use crate::potential::{Legendre, fraction_to_boundary};
use crate::{TheoryError, Vector};

/// Iteration cap.
pub const MAX_ITERATIONS: usize = 200;
/// Fraction of the distance to bdry dom φ that one step may cover.
pub const BOUNDARY_FRACTION: f64 = 0.99;
/// The backtracking of the local solvers (on F here, on the merit ‖r‖ of the Lagrange system in
/// [`super::manifold`]): Armijo's constant 10⁻⁴, halving, at most 60 trials (2⁻⁶⁰ ≈ 1e-18 of
/// the first step).
pub const SEARCH: Armijo = Armijo { c: 1e-4, shrink: 0.5, max_trials: 60 };

/// A local minimizer found from a start.
#[derive(Debug, Clone)]
pub struct Local {
    /// The point.
    pub z: Vector,
    /// F(z).
    pub value: f64,
    /// Newton steps taken.
    pub iterations: usize,
}

/// Damped Newton on F from z0 (v − z0 ∈ dom φ): a stationary point with F(z) ≤ F(z0), a local
/// minimizer unless started on a saddle. Errors: `OutsideDomain` for an infeasible start,
/// `NotConverged` when no step decreases F before the residual reaches its rounding floor.
pub fn newton_local(phi: &dyn Legendre, f: &dyn Family, lambda: f64, v: &Vector, z0: &Vector) -> Result<Local, TheoryError> {
    let mut z = z0.clone();
    let obj = |z: &Vector| super::inner_objective(phi, f, lambda, v, z);
    let mut fz = obj(&z)?;
    if !fz.is_finite() {
        return Err(TheoryError::OutsideDomain { what: "Newton start (v − z0 ∉ dom φ)", point_norm: z.norm() });
    }
    let mut last_res = f64::INFINITY;
    for it in 0..MAX_ITERATIONS {
        let w = v - &z;
        let gf = f.subgradient(&z)?;
        let gphi = phi.gradient(&w)? / lambda;
        let g = &gf - &gphi;
        let res = g.norm();
        let scale = gf.norm() + gphi.norm() + f64::MIN_POSITIVE;
        if res <= 16.0 * f64::EPSILON * scale {
            return Ok(Local { z, value: fz, iterations: it });
        }
        last_res = res;
        let hf = match f.hessian(&z) {
            Some(h) => h?,
            None => return Err(TheoryError::InvalidParameter { name: "family", value: f.name(), expected: "a C² family for Newton" }),
        };
        let h = hf + phi.hessian(&w)? / lambda;
        let mut p = solve_spd_shifted(&h, &(-&g)).unwrap_or_else(|| -&g);
        if !(p.dot(&g) < 0.0) || p.iter().any(|x| !x.is_finite()) {
            p = -&g;
        } else if p.norm() <= 4.0 * f64::EPSILON * (1.0 + z.norm()) {
            // The Newton correction is below the resolution of z: converged to rounding (the
            // gradient's own scale can be far below its terms', e.g. Hz + b − Σ a sin(·)ω ≈ 0).
            return Ok(Local { z, value: fz, iterations: it });
        }
        // z moves along p, so w = v − z moves along −p: stay strictly inside dom φ.
        let t0 = fraction_to_boundary(phi, &w, &(-&p), BOUNDARY_FRACTION)?;
        // At the rounding floor of F, a step is also taken when F does not grow beyond its
        // rounding and the optimality residual shrinks.
        let floor = 1e-13 * fz.abs().max(scale * z.norm());
        let smaller_gradient = |fc: f64, cand: &Vector| -> bool {
            fc <= fz + floor
                && match (f.subgradient(cand), phi.gradient(&(v - cand))) {
                    (Ok(a), Ok(b)) => (a - b / lambda).norm() < res,
                    _ => false,
                }
        };
        // A candidate where F overflows (a typed error) is rejected like one outside dom φ.
        let trial = |t: f64| {
            let cand = &z + &p * t;
            Ok::<_, TheoryError>(Some((obj(&cand).unwrap_or(f64::INFINITY), cand)))
        };
        match SEARCH.search_or(fz, g.dot(&p), t0, trial, smaller_gradient)? {
            Search::Accepted { value, payload, .. } => {
                z = payload;
                fz = value;
            }
            Search::Exhausted { .. } => {
                if res <= 1e-11 * scale {
                    return Ok(Local { z, value: fz, iterations: it });
                }
                break;
            }
        }
    }
    Err(TheoryError::NotConverged { solver: "prox newton", iterations: MAX_ITERATIONS, residual: last_res })
}

/// The fast solver for C² f, started at z0 = v (w = 0 ∈ dom φ by (A5)): certified when
/// μ*/λ > r at the stationary point found (see `prox::strongly_convex`: it is then the unique
/// global minimizer).
pub fn fast(phi: &dyn Legendre, cert: &PhiCertificate, f: &dyn Family, lambda: f64, v: &Vector) -> Result<ProxSolution, TheoryError> {
    let r = f.weak_convexity_modulus();
    if cert.cubic_curvature == 0.0 {
        strongly_convex(cert, r, lambda, None)?; // μ alone decides: refuse before iterating
    }
    let l = newton_local(phi, f, lambda, v, v)?;
    strongly_convex(cert, r, lambda, Some(&(v - &l.z)))?;
    Ok(ProxSolution { z: l.z, envelope: l.value, method: "damped Newton (strongly convex by certificate)", iterations: l.iterations })
}
