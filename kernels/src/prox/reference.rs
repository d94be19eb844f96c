//! The serial f64 reference of the batched separable φ-prox: the same scalar equation
//! G(w) = φ′(w)/λ − f′(v − w) = 0 written independently of the kernels (std tan, sin, cos; no
//! `real.rs`, no tiles), solved by bisection with Newton polishing until the bracket or |G|
//! reaches f64 rounding (≈ 10⁻¹⁵ relative). It ignores [`crate::prox::Fault`]: the negative
//! controls compare a faulty kernel against the correct reference.

use super::{SepProx, SepTerm};
use crate::potential::PotentialKind;

/// One coordinate of the reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RefSolution {
    /// x* = v − w*.
    pub x: f64,
    /// w* = v − x*, inside dom φ.
    pub w: f64,
    /// G′(w*) ≥ δ > 0.
    pub dg: f64,
    /// S(w*) = |φ′|/λ + (φ″/λ + |f″|)(|w| + |x|) + (magnitude of f′'s terms): the scale of G's
    /// rounding errors (see `tolerance.rs`).
    pub scale: f64,
    /// |G(w*)| ≤ 4·ε₆₄·S or the bracket closed to rounding.
    pub converged: bool,
}

/// φ′(w) and φ″(w) with φ(w) = h(w²/η²): quad h = s, tan-sep h = tan s, log-sep h = −log(1 − s).
/// None outside dom φ.
pub fn phi_derivatives(kind: PotentialKind, eta: f64, w: f64) -> Option<(f64, f64)> {
    let e2 = eta * eta;
    let s = w * w / e2;
    let (h1, h2) = match kind {
        PotentialKind::TanSep if s < std::f64::consts::FRAC_PI_2 => {
            let t = s.tan();
            (1.0 + t * t, 2.0 * t * (1.0 + t * t))
        }
        PotentialKind::LogSep if s < 1.0 => (1.0 / (1.0 - s), 1.0 / ((1.0 - s) * (1.0 - s))),
        PotentialKind::Quad => (1.0, 0.0),
        _ => return None,
    };
    // d/dw h(w²/η²) = 2w h′/η²; d² = 2h′/η² + 4w² h″/η⁴.
    Some((2.0 * w * h1 / e2, 2.0 * h1 / e2 + 4.0 * w * w * h2 / (e2 * e2)))
}

/// f′(x), f″(x) and the magnitude of f′'s terms for datum c.
pub fn term_derivatives(term: &SepTerm, x: f64, c: f64) -> (f64, f64, f64) {
    match *term {
        SepTerm::QuadCos { a, b, omega } => (
            a * (x - c) - b * omega * (omega * x).sin(),
            a - b * omega * omega * (omega * x).cos(),
            a * (x.abs() + c.abs()) + (b * omega).abs() * (1.0 + (omega * x).abs()),
        ),
        SepTerm::QuadLog { a, mu, eps } => {
            let d = eps * eps + x * x;
            let p1 = 2.0 * mu * x / d;
            (a * (x - c) + p1, a + 2.0 * mu * (eps * eps - x * x) / (d * d), a * (x.abs() + c.abs()) + p1.abs())
        }
    }
}

/// G(w), G′(w), S(w) for center v and datum c; None outside dom φ.
pub fn residual_terms(p: &SepProx, v: f64, c: f64, w: f64) -> Option<(f64, f64, f64)> {
    let (d1, d2) = phi_derivatives(p.potential, p.eta, w)?;
    let x = v - w;
    let (f1, f2, tf) = term_derivatives(&p.term, x, c);
    let g = d1 / p.lambda - f1;
    let dg = d2 / p.lambda + f2;
    let s = d1.abs() / p.lambda + (d2 / p.lambda + f2.abs()) * (w.abs() + x.abs()) + tf;
    Some((g, dg, s))
}

/// The reference solution of one coordinate.
pub fn solve(p: &SepProx, v: f64, c: f64) -> RefSolution {
    let eps = f64::EPSILON;
    let rho = p.radius();
    let Some((g0, _, _)) = residual_terms(p, v, c, 0.0) else {
        return RefSolution { x: v, w: 0.0, dg: f64::NAN, scale: f64::NAN, converged: false };
    };
    // |w*| ≤ |G(0)|/δ (G′ ≥ δ), enlarged by 1 % against rounding, and |w*| < ρ.
    let reach = (1.01 * g0.abs() / p.delta()).min(rho);
    let (mut lo, mut hi) = if g0 < 0.0 { (0.0, reach) } else { (-reach, 0.0) };
    let mut w = 0.0;
    let mut converged = g0 == 0.0;
    for _ in 0..300 {
        if converged {
            break;
        }
        // Newton from the current point if it stays strictly inside, else bisection.
        let cand = match residual_terms(p, v, c, w) {
            Some((g, dg, _)) if dg > 0.0 => w - g / dg,
            _ => f64::NAN,
        };
        let next = if cand > lo && cand < hi { cand } else { 0.5 * (lo + hi) };
        match residual_terms(p, v, c, next) {
            Some((g, _, s)) => {
                w = next;
                if g > 0.0 {
                    hi = next;
                } else if g < 0.0 {
                    lo = next;
                }
                converged = g.abs() <= 4.0 * eps * s || g == 0.0 || hi - lo <= 2.0 * eps * next.abs().max(f64::MIN_POSITIVE);
            }
            None => {
                if next > 0.0 {
                    hi = next;
                } else {
                    lo = next;
                }
            }
        }
        if hi <= lo {
            converged = true;
        }
    }
    let (dg, scale) = residual_terms(p, v, c, w).map_or((f64::NAN, f64::NAN), |(_, dg, s)| (dg, s));
    RefSolution { x: v - w, w, dg, scale, converged }
}

/// The reference for every coordinate.
pub fn solve_all(p: &SepProx, v: &[f64], c: &[f64]) -> Vec<RefSolution> {
    v.iter().zip(c).map(|(&v, &c)| solve(p, v, c)).collect()
}
