//! The φ-prox of the indicator of an ellipsoid surface M = {z : zᵀDz = 1} (sphere: D = I/R²):
//! P(v) = argmin_{z ∈ M} φ(v − z), independent of λ.
//!
//! - Radial φ and a sphere: the radial projection R v/‖v‖ (a projection-based closed form; see
//!   `family::sphere`); v = 0 is two-or-more-valued.
//! - Otherwise: Newton on the Lagrange system of (3) restricted to M,
//!   −∇φ(v − z)/λ + 2t Dz = 0, zᵀDz = 1, from the scaled point z₀ = v/√(vᵀDv), with Armijo
//!   backtracking on the merit ‖r‖ (the search of [`super::newton`]) and fraction-to-boundary
//!   steps (v − z stays in dom φ), then a projection onto M.
//!
//! **Certificate.** At a KKT point (z*, t), w* = v − z*, for every z ∈ M:
//! φ(w)/λ − φ(w*)/λ = ⟨∇φ(w*), w − w*⟩/λ + D_φ(w, w*)/λ and ∇φ(w*)/λ = 2tDz*, while
//! zᵀDz = z*ᵀDz* gives −2⟨Dz*, z − z*⟩ = (z − z*)ᵀD(z − z*); so
//! F(z) − F(z*) = t(z − z*)ᵀD(z − z*) + D_φ(w, w*)/λ ≥ (t d_ext + μ*/(2λ))‖z − z*‖² with
//! d_ext = min dᵢ for t ≥ 0, max dᵢ for t < 0, and μ* the Bregman modulus at w*. When
//! μ*/λ + 2t d_ext > 0, z* is the unique global minimizer; otherwise the solver refuses.

use super::certificate::PhiCertificate;
use super::ProxSolution;
use crate::family::Family;
use super::newton::{BOUNDARY_FRACTION, SEARCH};
use crate::linesearch::Search;
use crate::potential::{Legendre, fraction_to_boundary};
use crate::{Matrix, TheoryError, Vector};

/// Newton iteration cap.
pub const MAX_ITERATIONS: usize = 200;

/// A KKT point (z, t) on M and its objective φ(v − z)/λ.
#[derive(Debug, Clone)]
pub struct KktPoint {
    /// z ∈ M.
    pub z: Vector,
    /// The multiplier t.
    pub t: f64,
    /// φ(v − z)/λ.
    pub value: f64,
}

/// zᵀDz.
pub fn quadratic(d: &[f64], z: &Vector) -> f64 {
    z.iter().zip(d).map(|(x, di)| di * x * x).sum()
}

/// Scales z onto M.
pub fn normalize(d: &[f64], z: &Vector) -> Vector {
    z / quadratic(d, z).sqrt()
}

fn dz(d: &[f64], z: &Vector) -> Vector {
    Vector::from_iterator(z.len(), z.iter().zip(d).map(|(x, di)| di * x))
}

/// The least-squares multiplier at z: t = ⟨∇φ/λ, 2Dz⟩/‖2Dz‖².
fn multiplier(gphi: &Vector, d: &[f64], z: &Vector) -> f64 {
    let n = dz(d, z) * 2.0;
    gphi.dot(&n) / n.norm_squared()
}

fn kkt_residual(phi: &dyn Legendre, d: &[f64], lambda: f64, v: &Vector, z: &Vector, t: f64) -> Result<(Vector, f64), TheoryError> {
    let gphi = phi.gradient(&(v - z))? / lambda;
    let r1 = -&gphi + dz(d, z) * (2.0 * t);
    let r2 = quadratic(d, z) - 1.0;
    let mut r = Vector::zeros(z.len() + 1);
    r.rows_mut(0, z.len()).copy_from(&r1);
    r[z.len()] = r2;
    Ok((r, gphi.norm() + f64::MIN_POSITIVE))
}

/// Newton on the Lagrange system from z0 ∈ M (v − z0 ∈ dom φ): a KKT point on M.
pub fn kkt_local(phi: &dyn Legendre, d: &[f64], lambda: f64, v: &Vector, z0: &Vector) -> Result<KktPoint, TheoryError> {
    let m = z0.len();
    let mut z = normalize(d, z0);
    if !phi.contains(&(v - &z)) {
        return Err(TheoryError::OutsideDomain { what: "KKT start (v − z0 ∉ dom φ)", point_norm: z.norm() });
    }
    let mut t = multiplier(&(phi.gradient(&(v - &z))? / lambda), d, &z);
    let mut last = f64::INFINITY;
    for _ in 0..MAX_ITERATIONS {
        let (r, scale) = kkt_residual(phi, d, lambda, v, &z, t)?;
        let res = r.norm();
        last = res;
        if res <= 32.0 * f64::EPSILON * (scale + 1.0) {
            break;
        }
        let j = kkt_matrix(phi, d, lambda, v, &z, t)?;
        let step = match j.lu().solve(&(-&r)) {
            Some(s) if s.iter().all(|x| x.is_finite()) => s,
            _ => break,
        };
        let pz = step.rows(0, m).into_owned();
        let pt = step[m];
        // The merit ‖r‖ decreases along the Newton direction at the rate ‖r‖ (slope −‖r‖).
        let a0 = fraction_to_boundary(phi, &(v - &z), &(-&pz), BOUNDARY_FRACTION)?;
        let trial = |a: f64| {
            let (zc, tc) = (&z + &pz * a, t + pt * a);
            Ok::<_, TheoryError>(kkt_residual(phi, d, lambda, v, &zc, tc).ok().map(|(rc, _)| (rc.norm(), (zc, tc))))
        };
        match SEARCH.search(res, -res, a0, trial)? {
            Search::Accepted { payload: (zc, tc), .. } => {
                z = zc;
                t = tc;
            }
            Search::Exhausted { .. } => break,
        }
    }
    // Onto M exactly, the multiplier refit, and the residual judged there.
    let zn = normalize(d, &z);
    if !phi.contains(&(v - &zn)) {
        return Err(TheoryError::NotConverged { solver: "Lagrange–Newton on M", iterations: MAX_ITERATIONS, residual: last });
    }
    let gphi = phi.gradient(&(v - &zn))? / lambda;
    let tn = multiplier(&gphi, d, &zn);
    let (r, scale) = kkt_residual(phi, d, lambda, v, &zn, tn)?;
    if r.norm() > 1e-10 * (scale + 1.0) {
        return Err(TheoryError::NotConverged { solver: "Lagrange–Newton on M", iterations: MAX_ITERATIONS, residual: r.norm() });
    }
    let value = phi.value(&(v - &zn))? / lambda;
    Ok(KktPoint { z: zn, t: tn, value })
}

/// The certificate of the module doc: μ/λ + 2t d_ext > 0.
pub fn lagrangian_convex(cert: &PhiCertificate, d: &[f64], lambda: f64, t: f64, w_star: &Vector) -> bool {
    let mu = cert.bregman_modulus(w_star);
    let dmin = d.iter().cloned().fold(f64::INFINITY, f64::min);
    let dmax = d.iter().cloned().fold(0.0, f64::max);
    let curv = mu / lambda + 2.0 * t * if t >= 0.0 { dmin } else { dmax };
    curv > super::CERTIFICATE_MARGIN * mu / lambda
}

/// The fast solver for the indicator of M (module doc).
pub fn fast(phi: &dyn Legendre, cert: &PhiCertificate, f: &dyn Family, d: &[f64], lambda: f64, v: &Vector) -> Result<ProxSolution, TheoryError> {
    let vn = v.norm();
    if vn == 0.0 {
        return Err(TheoryError::NotCertified { reason: "v = 0: the center of the manifold, where P may be multivalued".into() });
    }
    let sphere = d.iter().all(|x| *x == d[0]);
    if sphere && cert.radial {
        let z = v * (1.0 / (d[0].sqrt() * vn));
        if !phi.contains(&(v - &z)) {
            return Err(TheoryError::Unbounded {
                what: "v",
                reason: "v ∉ dom f + dom φ: e(v) = +∞ and P(v) = ∅ (Lemma 3.4 (i))".into(),
            });
        }
        let e = super::inner_objective(phi, f, lambda, v, &z)?;
        return Ok(ProxSolution { z, envelope: e, method: "radial projection onto the sphere", iterations: 0 });
    }
    let z0 = normalize(d, v);
    let k = kkt_local(phi, d, lambda, v, &z0).map_err(|e| match e {
        TheoryError::OutsideDomain { .. } => TheoryError::NotCertified { reason: "the start v/√(vᵀDv) is outside v − dom φ".into() },
        other => other,
    })?;
    if !lagrangian_convex(cert, d, lambda, k.t, &(v - &k.z)) {
        return Err(TheoryError::NotCertified {
            reason: format!("multiplier t = {:.3e}: the Lagrangian is not convex on v − dom φ", k.t),
        });
    }
    Ok(ProxSolution { z: k.z, envelope: k.value, method: "Lagrange–Newton on the manifold (convex Lagrangian)", iterations: 0 })
}

/// The Lagrange system's matrix at (z, t): [[∇²φ(v − z)/λ + 2tD, 2Dz], [2(Dz)ᵀ, 0]].
pub fn kkt_matrix(phi: &dyn Legendre, d: &[f64], lambda: f64, v: &Vector, z: &Vector, t: f64) -> Result<Matrix, TheoryError> {
    let m = z.len();
    let mut j = Matrix::zeros(m + 1, m + 1);
    let mut top = phi.hessian(&(v - z))? / lambda;
    for i in 0..m {
        top[(i, i)] += 2.0 * t * d[i];
    }
    j.view_mut((0, 0), (m, m)).copy_from(&top);
    let n = dz(d, z) * 2.0;
    for i in 0..m {
        j[(i, m)] = n[i];
        j[(m, i)] = n[i];
    }
    Ok(j)
}

/// The multiplier of a point z ∈ M (for the Jacobian and the checks).
pub fn multiplier_at(phi: &dyn Legendre, d: &[f64], lambda: f64, v: &Vector, z: &Vector) -> Result<f64, TheoryError> {
    Ok(multiplier(&(phi.gradient(&(v - z))? / lambda), d, z))
}
