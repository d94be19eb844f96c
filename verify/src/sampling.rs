//! Points of dom φ at which the checks measure: at 0, near 0, in the bulk, near the boundary, and
//! extremely close to it. Each point carries its distance to the boundary, which decides whether
//! it counts towards a verdict (the trusted zone of [`crate::tolerance`]) or is only reported.

use crate::rng::{log_uniform, uniform, unit_direction};
use crate::tolerance::{CENTRAL_DIFF_BOUNDARY_FRACTION, TRUSTED_BOUNDARY_FRACTION};
use infconv_theory::{Legendre, Vector};
use rand::Rng;

/// Where a point was drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Regime {
    /// w = 0.
    Zero,
    /// ‖w‖ log-uniform in [1e-6, 1e-2]·min(1, R).
    NearZero,
    /// A fraction in [0.05, 0.9] of the way to the boundary along a random ray (‖w‖ in [0.1, 10]
    /// for ℝᵐ).
    Bulk,
    /// At relative distance δ ∈ [2e-3, 5e-2] from the boundary along a random ray (‖w‖ in
    /// [10, 100] for ℝᵐ).
    NearBoundary,
    /// At relative distance δ ∈ [1e-9, 1e-3] from the boundary (bounded domains only): measured
    /// and reported, outside the trusted zone.
    Extreme,
}

/// A sample point with its classification.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The point (in dom φ).
    pub w: Vector,
    /// Where it was drawn.
    pub regime: Regime,
    /// Distance to the boundary ≥ [`TRUSTED_BOUNDARY_FRACTION`]·R: counts towards verdicts.
    pub trusted: bool,
    /// Distance to the boundary ≥ [`CENTRAL_DIFF_BOUNDARY_FRACTION`]·R: central differences apply.
    pub central_diff: bool,
}

impl Sample {
    /// A short description for notes: regime, norm, distance to the boundary.
    pub fn describe(&self, phi: &dyn Legendre) -> String {
        let d = phi.boundary_distance(&self.w);
        let dist = if d.is_finite() { format!(", dist {d:.1e}") } else { String::new() };
        format!("{:?} ‖w‖ = {:.3e}{dist}", self.regime, self.w.norm())
    }
}

/// How many points of each random regime a check draws per dimension.
pub const PER_REGIME: usize = 8;

/// The boundary along the ray from 0 in direction d (`+∞` when the ray stays in dom φ).
pub fn ray_boundary(phi: &dyn Legendre, d: &Vector) -> f64 {
    phi.max_step(&Vector::zeros(d.len()), d).unwrap_or(f64::INFINITY)
}

/// Classifies a point of dom φ by its distance to the boundary.
pub fn classify(phi: &dyn Legendre, w: Vector, regime: Regime) -> Sample {
    let r = phi.inradius();
    let dist = phi.boundary_distance(&w);
    let trusted = !r.is_finite() || dist >= TRUSTED_BOUNDARY_FRACTION * r;
    let central_diff = !r.is_finite() || dist >= CENTRAL_DIFF_BOUNDARY_FRACTION * r;
    Sample { w, regime, trusted, central_diff }
}

/// One random point of a regime in dimension m.
pub fn draw(phi: &dyn Legendre, m: usize, regime: Regime, rng: &mut impl Rng) -> Option<Sample> {
    let d = unit_direction(rng, m);
    let tb = ray_boundary(phi, &d);
    let r = phi.inradius();
    let t = match regime {
        Regime::Zero => 0.0,
        Regime::NearZero => log_uniform(rng, 1e-6, 1e-2) * r.min(1.0),
        Regime::Bulk => {
            if tb.is_finite() { uniform(rng, 0.05, 0.9) * tb } else { log_uniform(rng, 0.1, 10.0) }
        }
        Regime::NearBoundary => {
            if tb.is_finite() { (1.0 - log_uniform(rng, 2e-3, 5e-2)) * tb } else { log_uniform(rng, 10.0, 100.0) }
        }
        Regime::Extreme => {
            if !tb.is_finite() {
                return None;
            }
            (1.0 - log_uniform(rng, 1e-9, 1e-3)) * tb
        }
    };
    let w = d * t;
    phi.contains(&w).then(|| classify(phi, w, regime))
}

/// The standard sample of a check: 0, then [`PER_REGIME`] points of each random regime.
pub fn points(phi: &dyn Legendre, m: usize, rng: &mut impl Rng) -> Vec<Sample> {
    let mut out = vec![classify(phi, Vector::zeros(m), Regime::Zero)];
    for regime in [Regime::NearZero, Regime::Bulk, Regime::NearBoundary, Regime::Extreme] {
        for _ in 0..PER_REGIME {
            if let Some(s) = draw(phi, m, regime, rng) {
                out.push(s);
            }
        }
    }
    out
}
