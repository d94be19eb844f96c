//! Alternating minimization (14a)–(14b) on model (4), and the PALM variant.
//!
//! - (14a) u ← argmin g(u) + φ(Au − z)/λ: convex in u (strictly where A has full column rank or
//!   g is strongly convex). For a smooth g ([`G::smooth`]), damped Newton with fraction-to-boundary
//!   steps (Au − z stays in dom φ); for a nonsmooth g, forward–backward steps
//!   u ← prox_{tg}(u − tAᵀ∇φ(Au − z)/λ) through g's own prox, with t found by backtracking on the
//!   sufficient-decrease condition of the smooth part h(u) = φ(Au − z)/λ (a trial point with
//!   Au − z ∉ dom φ has h = +∞ and is rejected, so the iterates stay in dom φ).
//! - (14b) z ← argmin φ(Au − z)/λ + f(z) = P(Au): [`InnerSolve::Exact`] asks the certified fast
//!   solver ([`crate::prox::phi_prox`]) for the global minimizer (falling back to a local solve
//!   where it cannot certify); [`InnerSolve::Local`] takes damped Newton from the previous z, a
//!   local minimizer — what an implementation without a global solver does, and what fails the
//!   translation of stationarity when λ is too large (Corollary 4.4 needs λ small).
//! - PALM ([`palm`]): one linearized gradient step per block, for C² f.

use super::model::SplittingModel;
use crate::linalg::solve_spd_shifted;
use crate::potential::fraction_to_boundary;
use crate::prox::{newton::newton_local, phi_prox};
use crate::{TheoryError, Vector};

/// How (14b) is solved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InnerSolve {
    /// The certified global φ-prox (a local solve where it cannot certify).
    Exact,
    /// Damped Newton from the previous z: a local minimizer.
    Local,
}

/// The end of a run.
#[derive(Debug, Clone)]
pub struct Run {
    /// ū.
    pub u: Vector,
    /// z̄.
    pub z: Vector,
    /// Outer iterations.
    pub iterations: usize,
    /// Residual of (5a) at the end.
    pub r5a: f64,
    /// Residual of (5b) at the end.
    pub r5b: f64,
    /// Inner solves that fell back from the certified solver to a local one.
    pub fallbacks: usize,
}

/// (14a): the minimizer of g(u) + φ(Au − z)/λ from `u0`: damped Newton for a smooth g,
/// forward–backward steps for a nonsmooth one.
pub fn solve_u(model: &SplittingModel, z: &Vector, u0: &Vector) -> Result<Vector, TheoryError> {
    if model.g.smooth(u0).is_none() {
        return forward_backward_u(model, z, u0);
    }
    let (a, lambda) = (&model.a, model.lambda);
    let obj = |u: &Vector| -> Result<f64, TheoryError> { Ok(model.g.value(u) + model.phi.value(&(a * u - z))? / lambda) };
    let mut u = u0.clone();
    let mut fu = obj(&u)?;
    if !fu.is_finite() {
        return Err(TheoryError::OutsideDomain { what: "(14a) start: Au − z ∉ dom φ", point_norm: u.norm() });
    }
    for _ in 0..200 {
        let w = a * &u - z;
        let (gg, gh) = model.g.smooth(&u).ok_or(TheoryError::NonFinite { what: "(14a): g is not smooth" })?;
        let grad = &gg + a.transpose() * model.phi.gradient(&w)? / lambda;
        let scale = gg.norm() + (a.transpose() * model.phi.gradient(&w)?).norm() / lambda;
        if grad.norm() <= 16.0 * f64::EPSILON * scale.max(f64::MIN_POSITIVE) {
            break;
        }
        let hess = gh + a.transpose() * model.phi.hessian(&w)? * a / lambda;
        let p = solve_spd_shifted(&hess, &(-&grad)).unwrap_or_else(|| -&grad);
        let mut t = fraction_to_boundary(model.phi.as_ref(), &w, &(a * &p), 0.99)?;
        let mut moved = false;
        for _ in 0..60 {
            let cand = &u + &p * t;
            let fc = obj(&cand)?;
            if fc <= fu + 1e-4 * t * grad.dot(&p) || (fc <= fu + 64.0 * f64::EPSILON * fu.abs() && t == 1.0) {
                moved = (&cand - &u).norm() > 4.0 * f64::EPSILON * u.norm();
                u = cand;
                fu = fc;
                break;
            }
            t *= 0.5;
        }
        if !moved {
            break;
        }
    }
    Ok(u)
}

/// Most forward–backward steps of one (14a) solve.
const FB_MAX_STEPS: usize = 20_000;

/// (14a) for a nonsmooth g: forward–backward (proximal-gradient) steps on
/// g(u) + h(u), h(u) = φ(Au − z)/λ smooth and convex on its open domain, from `u0` (which must have
/// Au₀ − z ∈ dom φ and u₀ ∈ dom g). The step t is halved until the sufficient-decrease condition
/// h(u⁺) ≤ h(u) + ⟨∇h(u), u⁺ − u⟩ + ‖u⁺ − u‖²/(2t) holds (h(u⁺) = +∞ off dom φ never does), and
/// kept for the next steps (a t that grows again lets the iterates zigzag along the direction of
/// largest curvature; a step whose predicted change of h is at the rounding floor of h is
/// accepted, so t does not collapse near the solution). Stops when the step ‖u⁺ − u‖ is
/// at the rounding floor 16ε(t‖∇h(u)‖ + ‖u‖) of the forward–backward map.
pub fn forward_backward_u(model: &SplittingModel, z: &Vector, u0: &Vector) -> Result<Vector, TheoryError> {
    let (a, lambda) = (&model.a, model.lambda);
    let h = |u: &Vector| -> Result<f64, TheoryError> { Ok(model.phi.value(&(a * u - z))? / lambda) };
    let grad_h = |u: &Vector| -> Result<Vector, TheoryError> { Ok(a.transpose() * model.phi.gradient(&(a * u - z))? / lambda) };
    let mut u = u0.clone();
    if !model.g.value(&u).is_finite() {
        u = model.g.prox(&u, 1.0);
    }
    let mut hu = h(&u)?;
    if !hu.is_finite() {
        return Err(TheoryError::OutsideDomain { what: "(14a) start: Au − z ∉ dom φ", point_norm: u.norm() });
    }
    let mut t = 1.0;
    for _ in 0..FB_MAX_STEPS {
        let gu = grad_h(&u)?;
        let mut accepted = None;
        for _ in 0..80 {
            let cand = model.g.prox(&(&u - &gu * t), t);
            let d = &cand - &u;
            // A trial point with Au − z off dom φ has h = +∞ and is rejected.
            let hc = h(&cand).unwrap_or(f64::INFINITY);
            let bound = hu + gu.dot(&d) + d.norm_squared() / (2.0 * t);
            // At the rounding floor of h (the predicted change below 64ε|h|) the comparison says
            // nothing: the step is accepted rather than t shrunk to nothing.
            let floor = 64.0 * f64::EPSILON * (hu.abs() + hc.abs());
            if hc.is_finite() && (hc <= bound + floor || (gu.dot(&d).abs() + d.norm_squared() / (2.0 * t)) <= floor) {
                accepted = Some((cand, hc));
                break;
            }
            t *= 0.5;
        }
        let Some((cand, hc)) = accepted else { break };
        let step = (&cand - &u).norm();
        u = cand;
        hu = hc;
        if step <= 16.0 * f64::EPSILON * (t * gu.norm() + u.norm()) {
            break;
        }
    }
    crate::error::finite_vector("(14a) forward–backward iterate", u)
}

/// Alternating minimization (14a)–(14b) from (u0, z0) (Au0 − z0 ∈ dom φ) until both residuals are
/// ≤ `tol` or `max_iterations` outer steps.
pub fn alternating_minimization(
    model: &SplittingModel,
    u0: &Vector,
    z0: &Vector,
    inner: InnerSolve,
    tol: f64,
    max_iterations: usize,
) -> Result<Run, TheoryError> {
    let (mut u, mut z) = (u0.clone(), z0.clone());
    let mut fallbacks = 0;
    let mut it = 0;
    loop {
        let (r5a, r5b) = (model.residual_5a(&u, &z)?, model.residual_5b(&u, &z)?);
        if (r5a <= tol && r5b <= tol) || it >= max_iterations {
            return Ok(Run { u, z, iterations: it, r5a, r5b, fallbacks });
        }
        u = solve_u(model, &z, &u)?;
        let v = &model.a * &u;
        z = match inner {
            InnerSolve::Exact => match phi_prox(model.phi.as_ref(), model.f.as_ref(), model.lambda, &v) {
                Ok(s) => s.z,
                Err(_) => {
                    fallbacks += 1;
                    newton_local(model.phi.as_ref(), model.f.as_ref(), model.lambda, &v, &z)?.z
                }
            },
            InnerSolve::Local => newton_local(model.phi.as_ref(), model.f.as_ref(), model.lambda, &v, &z)?.z,
        };
        it += 1;
    }
}

/// PALM (proximal alternating linearized minimization) for C² f: a forward–backward step on u with step
/// `tau`, then on z with step `sigma`, each cut to keep Au − z in dom φ; until both residuals are
/// ≤ `tol` or `max_iterations` steps.
pub fn palm(
    model: &SplittingModel,
    u0: &Vector,
    z0: &Vector,
    tau: f64,
    sigma: f64,
    tol: f64,
    max_iterations: usize,
) -> Result<Run, TheoryError> {
    for (name, s) in [("tau", tau), ("sigma", sigma)] {
        if !(s > 0.0 && s.is_finite()) {
            return Err(TheoryError::InvalidParameter { name, value: format!("{s}"), expected: "a finite step > 0" });
        }
    }
    let (mut u, mut z) = (u0.clone(), z0.clone());
    let a = &model.a;
    let mut it = 0;
    loop {
        let (r5a, r5b) = (model.residual_5a(&u, &z)?, model.residual_5b(&u, &z)?);
        if (r5a <= tol && r5b <= tol) || it == max_iterations {
            return Ok(Run { u, z, iterations: it, r5a, r5b, fallbacks: 0 });
        }
        it += 1;
        // A forward–backward step with g's prox (a gradient step where g is the quadratic), cut
        // to keep Au − z in dom φ (a convex combination of u and the prox stays in dom g).
        let du = model.g.prox(&(&u - a.transpose() * model.multiplier(&u, &z)? * tau), tau) - &u;
        let t = fraction_to_boundary(model.phi.as_ref(), &(a * &u - &z), &(a * &du), 0.99)?;
        u += du * t;
        let dz = -(model.f.subgradient(&z)? - model.multiplier(&u, &z)?) * sigma;
        let t = fraction_to_boundary(model.phi.as_ref(), &(a * &u - &z), &(-&dz), 0.99)?;
        z += dz * t;
    }
}
