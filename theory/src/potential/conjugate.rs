//! ∇φ*(y) without a closed form: the minimizer of the strictly convex ψ(w) = φ(w) − ⟨y, w⟩,
//! found by damped Newton with fraction-to-boundary steps (w stays in int dom φ) and an Armijo
//! backtracking on ψ. Used by the dual-number extension path, and by the conformance suite as an
//! independent maximizer of ⟨w, y⟩ − φ(w) (Fenchel–Young).

use super::{Domain, Gradient, Hessian, Value};
use crate::linalg::{scaled_norm, solve_spd_shifted};
use crate::{TheoryError, Vector};

/// Iteration cap of [`newton_conjugate`].
pub const MAX_NEWTON_ITERATIONS: usize = 200;
/// Fraction of the distance to the boundary that one step may cover.
pub const BOUNDARY_FRACTION: f64 = 0.99;
/// Where no step makes progress any more, a component-wise relative residual (see
/// [`relative_residual`]) up to this is accepted: near the boundary the condition of ∇φ (up to ~1e6
/// on the trusted zone of the checks) times a few ε.
pub const STALL_REL: f64 = 1e-11;

/// maxᵢ |∂ᵢφ(w) − yᵢ| / (|yᵢ| + |∂ᵢφ(w)| + ∂²ᵢᵢφ(w)|wᵢ|) (0 where the difference vanishes):
/// component-wise, so that a small coordinate is solved to its own precision even when another
/// dominates ‖y‖ (separable potentials with exponential growth: y = sinh w has components from 1
/// to 1e40). The last term is the change of ∂ᵢφ when wᵢ moves by its own rounding, the floor of
/// what any w can achieve (it matters where ∂ᵢφ cancels, as 2wᵢ + 1 at wᵢ = −½).
pub fn relative_residual(gphi: &Vector, y: &Vector, w: &Vector, hess_diag: &Vector) -> f64 {
    (0..y.len())
        .map(|i| {
            let d = (gphi[i] - y[i]).abs();
            if d == 0.0 { 0.0 } else { d / (gphi[i].abs() + y[i].abs() + hess_diag[i].abs() * w[i].abs()) }
        })
        .fold(0.0, f64::max)
}

/// A positive definite stand-in for ∇²φ(w) where it does not exist (|t|^p with 1 < p < 2 at
/// tᵢ = 0, cubic at 0): the Hessian at w shifted by 1e-150 in the coordinates that do not move
/// (wᵢ = 0 and gᵢ = 0: any curvature leaves them in place), else the identity (a steepest
/// descent step, which moves every coordinate off the singular point). Newton needs only some
/// positive curvature: the answer is judged by the gradient residual.
fn curvature_fallback<P>(phi: &P, w: &Vector, g: &Vector) -> crate::Matrix
where
    P: Hessian + ?Sized,
{
    let m = w.len();
    let mut shifted = w.clone();
    let mut moved = false;
    for i in 0..m {
        if w[i] == 0.0 && g[i] == 0.0 {
            shifted[i] = 1e-150;
            moved = true;
        }
    }
    if moved && let Ok(h) = phi.hessian(&shifted) {
        return h;
    }
    crate::Matrix::identity(m, m)
}

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
        let h = match phi.hessian(&w) {
            Ok(h) => h,
            Err(TheoryError::NonFinite { .. }) => curvature_fallback(phi, &w, &g),
            Err(e) => return Err(e),
        };
        let diag = h.diagonal();
        let res = relative_residual(&gphi, y, &w, &diag);
        if res <= 8.0 * f64::EPSILON {
            return Ok((w, -f));
        }
        last_res = res;
        let mut p = solve_spd_shifted(&h, &(-&g)).unwrap_or_else(|| -&g);
        let descent = p.dot(&g) < 0.0 && p.iter().all(|x| x.is_finite());
        if !descent {
            p = -&g; // not a descent direction (indefinite Hessian) or overflow: steepest descent
        }
        // Fraction to the boundary, and at most 1 + ‖w‖ long: from far away (exponential-type
        // potentials with ‖y‖ ~ 1e40) the iterate may at most double per step.
        // Norms scaled by the largest coordinate: ‖p‖ is ~‖y‖ on the first step and ‖y‖² would
        // overflow from ‖y‖ ≈ 1.3e154 on.
        let cap = (1.0 + scaled_norm(&w)) / scaled_norm(&p);
        if cap.is_nan() || cap <= 0.0 {
            return Err(TheoryError::NonFinite { what: "newton_conjugate step (not representable)" });
        }
        let mut t = (BOUNDARY_FRACTION * phi.max_step(&w, &p)?).min(1.0).min(cap);
        // ψ is known to the rounding of its two terms; below that, steps are judged by ‖∇ψ‖.
        let noise = 64.0 * f64::EPSILON * (phi.value(&w)?.abs() + y.dot(&w).abs());
        let mut next = None;
        for _ in 0..80 {
            let step = &p * t;
            // The predicted decrease ⟨g, t p⟩, formed from the step (not t·⟨g, p⟩: ‖p‖ ~ ‖y‖/μ
            // and ⟨g, p⟩ ~ ‖y‖² overflows for ‖y‖ beyond ≈ 1e154 while t ~ 1/‖p‖ is tiny).
            let decrease = g.dot(&step);
            let cand = &w + &step;
            let fc = psi(&cand).unwrap_or(f64::INFINITY); // an overflow rejects the step
            let smaller_gradient =
                || phi.gradient(&cand).map(|gc| relative_residual(&gc, y, &cand, &diag) < res).unwrap_or(false);
            if fc.is_finite() && (fc <= f + 1e-4 * decrease || (fc <= f + noise && smaller_gradient())) {
                next = Some((cand, fc));
                break;
            }
            t *= 0.5;
        }
        let stalled = match &next {
            None => true,
            Some((cand, _)) => scaled_norm(&(cand - &w)) <= 4.0 * f64::EPSILON * scaled_norm(&w),
        };
        if stalled {
            // No step makes progress: at the rounding floor, accept a residual ≤ STALL_REL.
            if res <= STALL_REL {
                return Ok((w, -f));
            }
            break;
        }
        let (cand, fc) = next.expect("not stalled, so a step was accepted");
        w = cand;
        f = fc;
    }
    Err(TheoryError::NotConverged { solver: "newton_conjugate", iterations: MAX_NEWTON_ITERATIONS, residual: last_res })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::potential::registry;

    /// The value returned is φ*(y) = ⟨w, y⟩ − φ(w) at the returned w (Fenchel's definition, the
    /// supremum attained where ∇φ(w) = y), from ‖y‖ = 1e-6 to 1e6, through both exits of the
    /// iteration (the residual at 8ε, and the stall at the rounding floor); and for quad it is
    /// the closed form ‖y‖²/4 at w = y/2.
    #[test]
    fn the_value_is_the_conjugate_at_the_point_found() {
        let mut worst = 0.0f64;
        for name in ["quad", "cosh", "tan", "log", "cubic-reg", "log-sep", "tan-sep"] {
            let phi = registry::build(name, 2).unwrap();
            for mag in [1e-6, 1e-2, 1.0, 1e2, 1e6] {
                let y = Vector::from_vec(vec![0.6, -0.8]) * mag;
                let (w, value) = newton_conjugate(phi.as_ref(), &y).unwrap();
                let want = w.dot(&y) - phi.value(&w).unwrap();
                let rel = (value - want).abs() / want.abs().max(f64::MIN_POSITIVE);
                worst = worst.max(rel);
                assert!(rel <= 1e-12, "{name}, ‖y‖ = {mag}: value {value}, ⟨w, y⟩ − φ(w) = {want}");
            }
        }
        let quad = registry::build("quad", 2).unwrap();
        let y = Vector::from_vec(vec![3.0, -4.0]);
        let (w, value) = newton_conjugate(quad.as_ref(), &y).unwrap();
        assert!((&w - &y * 0.5).norm() <= 1e-15 * 5.0 && (value - 6.25).abs() <= 1e-14 * 6.25, "quad: w = {w:?}, φ* = {value}");
        println!("newton_conjugate: worst relative gap of the value to ⟨w, y⟩ − φ(w) {worst:.2e}");
    }
}
