//! The φ-prox (3) and the φ-envelope (2):
//!
//! e(v) = inf_z f(z) + φ(v − z)/λ,   P(v) = argmin_z f(z) + φ(v − z)/λ.
//!
//! - [`phi_prox`]: the fast solver. Damped Newton with fraction-to-boundary steps for C² f
//!   ([`newton`]), exact coordinate-wise case analysis for separable nonsmooth f
//!   ([`nonsmooth`]), Newton on the Lagrange system for the indicator of a sphere or an ellipse
//!   ([`manifold`]). It answers only with a certificate that the point is *the* global minimizer
//!   (strong convexity of the inner objective, or of a Lagrangian); otherwise it returns
//!   [`TheoryError::NotCertified`] or [`TheoryError::MultiValued`], never a guess.
//! - [`oracle::global`]: the slow, certain reference for m ≤ 3 and for separable problems: every
//!   global minimizer within a stated tolerance, so that a two-valued P is seen, and e(v).
//! - [`jacobian::prox_jacobian`]: DP(v) by implicit differentiation of the optimality condition
//!   (Theorem 4.3 (i)).
//! - [`envelope::envelope_gradient`]: formula (13), ∇e(v) = ∇φ(v − P(v))/λ.
//!
//! Every entry point checks λ > 0, the dimensions and finiteness first ([`validate`]), and no NaN
//! leaves it: the iterates v − z never leave dom φ (fraction-to-boundary), and values outside
//! are `+∞`.
//!
//! ```
//! use infconv_theory::{Vector, potential::registry, family::registry as families, prox};
//! let phi = registry::build("log", 2).unwrap();
//! let f = families::build("smooth-nonconvex", 2, 3).unwrap();
//! let v = Vector::from_vec(vec![0.2, -0.1]);
//! let p = prox::phi_prox(phi.as_ref(), f.as_ref(), 0.1, &v).unwrap();
//! let o = prox::oracle::global(phi.as_ref(), f.as_ref(), 0.1, &v).unwrap();
//! assert!((&p.z - &o.minimizers[0]).norm() < 1e-8);
//! assert!(prox::phi_prox(phi.as_ref(), f.as_ref(), -1.0, &v).is_err()); // λ ≤ 0: typed error
//! ```

pub mod certificate;
pub mod envelope;
pub mod jacobian;
pub mod manifold;
pub mod newton;
pub mod nonsmooth;
pub mod oracle;

pub use envelope::{envelope, envelope_gradient, inner_objective};

use crate::family::{Family, Structure};
use crate::potential::Legendre;
use crate::{TheoryError, Vector};
use certificate::{PhiCertificate, certificate};

/// Relative margin by which μ/λ must exceed the weak-convexity modulus r for the fast solver to
/// call the inner objective strongly convex (and its stationary point the global minimizer).
pub const CERTIFICATE_MARGIN: f64 = 1e-6;

/// A certified answer of the fast solver.
#[derive(Debug, Clone, PartialEq)]
pub struct ProxSolution {
    /// z = P(v).
    pub z: Vector,
    /// e(v) = f(z) + φ(v − z)/λ.
    pub envelope: f64,
    /// Which method answered (for reports).
    pub method: &'static str,
    /// Iterations (Newton steps or coordinate sweeps).
    pub iterations: usize,
}

/// Checks λ > 0 (finite), dim v = dim f (= φ's fixed dimension, if any) and finite v.
pub fn validate(phi: &dyn Legendre, f: &dyn Family, lambda: f64, v: &Vector) -> Result<(), TheoryError> {
    if !(lambda > 0.0 && lambda.is_finite()) {
        return Err(TheoryError::InvalidParameter { name: "lambda", value: format!("{lambda}"), expected: "a finite λ > 0" });
    }
    crate::error::ensure_dim("v (dimension of the family)", f.dim(), v.len())?;
    if let Some(m) = phi.fixed_dim() {
        crate::error::ensure_dim("v (dimension of the potential)", m, v.len())?;
    }
    crate::error::ensure_finite("v", v.as_slice())
}

/// The φ-prox P(v) of (3) and e(v) of (2), by the fast certified solver (module doc).
pub fn phi_prox(phi: &dyn Legendre, f: &dyn Family, lambda: f64, v: &Vector) -> Result<ProxSolution, TheoryError> {
    validate(phi, f, lambda, v)?;
    let cert = certificate(phi, v.len())?;
    let sol = match f.structure() {
        Structure::Smooth => newton::fast(phi, &cert, f, lambda, v),
        Structure::Separable(terms) => nonsmooth::fast(phi, &cert, f, terms, lambda, v),
        Structure::Ellipsoid(d) => manifold::fast(phi, &cert, f, d, lambda, v),
    }?;
    // P(v) and e(v) are finite when they exist; an overflow (e.g. φ(v − z)/λ for λ near the
    // smallest f64) is a typed error rather than an infinite "answer".
    crate::error::ensure_finite("P(v) (overflow)", sol.z.as_slice())?;
    crate::error::finite_scalar("e(v) (overflow)", sol.envelope)?;
    Ok(sol)
}

/// The global certificate of a stationary point z* (w* = v − z*), or of every point when
/// `w_star` is `None` (then μ* = μ):
///
/// F(z) − F(z*) ≥ D_φ(w, w*)/λ − (r/2)‖z − z*‖² ≥ (μ*/λ − r)‖z − z*‖²/2,
///
/// adding the weak-convexity inequality f(z) ≥ f(z*) + ⟨y, z − z*⟩ − (r/2)‖z − z*‖² for
/// y = ∇φ(w*)/λ ∈ ∂f(z*) (the optimality condition, i.e. (12)) to the Bregman bound of
/// [`PhiCertificate::bregman_modulus`]; the linear terms cancel. So μ*/λ > r makes z* the unique
/// global minimizer of (3).
pub(crate) fn strongly_convex(cert: &PhiCertificate, r: Option<f64>, lambda: f64, w_star: Option<&Vector>) -> Result<(), TheoryError> {
    let mu = w_star.map_or(cert.mu, |w| cert.bregman_modulus(w));
    match r {
        Some(r) if mu / lambda - r > CERTIFICATE_MARGIN * mu / lambda => Ok(()),
        Some(r) => Err(TheoryError::NotCertified {
            reason: format!(
                "μ*/λ = {:.3e} does not exceed the weak-convexity modulus r = {r:.3e} of f ({}: μ* = {mu:.3e})",
                mu / lambda,
                cert.name
            ),
        }),
        None => Err(TheoryError::NotCertified { reason: "f has no weak-convexity modulus".into() }),
    }
}

#[cfg(test)]
mod tests {
    //! The two certificate decisions at their thresholds: μ*/λ − r against the relative margin,
    //! and the Lagrangian curvature μ*/λ + 2t·d_ext of a manifold (with d_ext = max dᵢ for t < 0).

    use super::certificate::{Growth, PhiCertificate};
    use super::*;

    fn cert(mu: f64) -> PhiCertificate {
        PhiCertificate {
            name: "test".into(),
            mu,
            growth: Growth::SuperQuadratic,
            radial_lower: (0.5 * mu, 0.0),
            outer_radius: f64::INFINITY,
            separable: false,
            radial: false,
            cubic_curvature: 0.0,
            layers: Vec::new(),
        }
    }

    #[test]
    fn strong_convexity_is_decided_by_the_relative_margin() {
        // μ = 2, λ = 0.1: μ/λ = 20, the margin is 1e-6 · 20 = 2e-5.
        let (k, lambda) = (cert(2.0), 0.1);
        assert!(strongly_convex(&k, Some(20.0 - 3e-5), lambda, None).is_ok());
        assert!(matches!(strongly_convex(&k, Some(20.0 - 1e-5), lambda, None), Err(TheoryError::NotCertified { .. })));
        assert!(matches!(strongly_convex(&k, Some(25.0), lambda, None), Err(TheoryError::NotCertified { .. })));
        assert!(matches!(strongly_convex(&k, None, lambda, None), Err(TheoryError::NotCertified { .. })));
        // With a stationary point, μ* = μ + (k/2)‖w*‖ for a cubic term: k = 3, ‖w*‖ = 2 gives
        // μ* = 5, μ*/λ = 50.
        let mut cubic = cert(2.0);
        cubic.cubic_curvature = 3.0;
        let w = Vector::from_vec(vec![1.2, -1.6]);
        assert!(strongly_convex(&cubic, Some(49.9), lambda, Some(&w)).is_ok());
        assert!(strongly_convex(&cubic, Some(50.1), lambda, Some(&w)).is_err());
        assert!(strongly_convex(&cubic, Some(20.1), lambda, None).is_err(), "without w*, μ alone");
    }

    #[test]
    fn the_lagrangian_certificate_uses_the_largest_axis_for_a_negative_multiplier() {
        let k = cert(2.0);
        let w = Vector::zeros(2);
        let d = [1.0, 4.0];
        // λ = 1: curvature 2 + 2t·4 for t < 0: positive at t = −0.2, negative at t = −0.3 (with
        // the smallest axis it would be 2 − 0.6 > 0).
        assert!(manifold::lagrangian_convex(&k, &d, 1.0, -0.2, &w));
        assert!(!manifold::lagrangian_convex(&k, &d, 1.0, -0.3, &w));
        // t ≥ 0 never loses curvature.
        assert!(manifold::lagrangian_convex(&k, &d, 1.0, 7.0, &w));
        // At the margin, λ = 0.25: μ/λ = 8, margin 8e-6; t = −(1 − 5e-7) leaves curvature 4e-6.
        assert!(!manifold::lagrangian_convex(&k, &d, 0.25, -(1.0 - 5e-7), &w));
        assert!(manifold::lagrangian_convex(&k, &d, 0.25, -(1.0 - 2e-6), &w));
    }
}
