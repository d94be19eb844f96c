//! The φ-prox of a separable nonsmooth f(z) = Σᵢ fᵢ(zᵢ) (ℓ1 plus smooth, MCP, −|·|, separable
//! sums): coordinate-wise case analysis.
//!
//! **One coordinate.** With the other coordinates fixed, q(t) = fᵢ(t) + φ(v − z(t))/λ is
//! piecewise C² between the breakpoints of fᵢ (the kink 0, the MCP breakpoints ±γμ) and the open
//! ends of dom φ along the line. On each closed piece [a, b], q″ ≥ fᵢ″ + μ/λ; where that is > 0
//! (certified by `ScalarTerm::piece_curvature_lower` and the potential's μ) q′ is increasing and
//! the piece's minimizer is a or b (when q′(a⁺) ≥ 0 or q′(b⁻) ≤ 0) or the root of q′, found by
//! bisection to the last bit. Breakpoints are piece ends, so a minimizer at a kink is returned
//! exactly (zᵢ = 0). The coordinate's minimizers are the best piece minimizers: every case of the
//! subdifferential inclusion 0 ∈ ∂fᵢ(t) − ∂ᵢφ(v − z)/λ is visited.
//!
//! **Separable φ** (quad, tan-sep, log-sep, cosh): (3) splits by coordinate, so one pass is exact
//! and certified whenever every piece is convex — which holds even for the concave kink of −|·|,
//! whose two pieces are linear. Ties between pieces are reported as [`TheoryError::MultiValued`].
//!
//! **Other φ**: block coordinate descent (exact minimization in each coordinate, sweeps until no
//! coordinate moves), certified when μ/λ > r makes the whole inner objective strongly convex, so
//! that the coordinate-wise minimum (a stationary point, Tseng 2001) is the unique global
//! minimizer. Without a modulus (−‖·‖₁ with a non-separable φ) it refuses.

use super::certificate::PhiCertificate;
use super::{ProxSolution, strongly_convex};
use crate::family::Family;
use crate::family::scalar::{ScalarTerm, Side};
use crate::potential::Legendre;
use crate::{TheoryError, Vector};

/// Sweep cap of the coordinate descent.
pub const MAX_SWEEPS: usize = 5000;
/// Relative value tolerance under which two piece minimizers tie (a two-valued P).
pub const TIE_REL: f64 = 1e-12;
/// Piece minimizers closer than this (relative) are one point (a kink shared by two pieces).
pub const DISTINCT_REL: f64 = 1e-9;
/// A bisection result within this many ulps of a piece end is snapped onto it (so a minimizer at
/// a kink is exactly 0).
const SNAP_ULPS: f64 = 8.0;

/// The restriction of the inner objective to coordinate i.
pub struct Line<'a> {
    phi: &'a dyn Legendre,
    term: &'a ScalarTerm,
    lambda: f64,
    v: &'a Vector,
    z: Vector,
    i: usize,
}

impl<'a> Line<'a> {
    /// The line through z along eᵢ.
    pub fn new(phi: &'a dyn Legendre, term: &'a ScalarTerm, lambda: f64, v: &'a Vector, z: &Vector, i: usize) -> Self {
        Line { phi, term, lambda, v, z: z.clone(), i }
    }

    fn w(&self, t: f64) -> Vector {
        let mut w = self.v - &self.z;
        w[self.i] = self.v[self.i] - t;
        w
    }

    /// q(t) (`+∞` outside dom φ). Only fᵢ's own term enters: the other coordinates are constant.
    pub fn q(&self, t: f64) -> f64 {
        match self.phi.value(&self.w(t)) {
            Ok(p) if p.is_finite() => self.term.value(t) + p / self.lambda,
            _ => f64::INFINITY,
        }
    }

    /// q′(t±), −∞/+∞ beyond the left/right end of dom φ.
    pub fn dq(&self, t: f64, side: Side) -> f64 {
        let w = self.w(t);
        match self.phi.gradient(&w) {
            Ok(g) if g[self.i].is_finite() => self.term.derivative(t, side) - g[self.i] / self.lambda,
            _ => {
                // Outside dom φ: q → +∞ at both open ends, so q′ → −∞ at the left one.
                if t < self.z[self.i] {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }
            }
        }
    }

    /// The open interval of t with v − z(t) ∈ dom φ.
    pub fn feasible(&self) -> Result<(f64, f64), TheoryError> {
        let w = self.w(self.z[self.i]);
        let mut e = Vector::zeros(self.v.len());
        e[self.i] = 1.0;
        let up = self.phi.max_step(&w, &(-&e))?; // t grows: w_i shrinks
        let down = self.phi.max_step(&w, &e)?;
        Ok((self.z[self.i] - down, self.z[self.i] + up))
    }

    /// The minimizer of q on the piece [a, b] (ends open where `open`), assuming q′ increasing
    /// there (bisection on the sign of q′). Infinite ends are bracketed by doubling.
    fn piece_min(&self, mut a: f64, mut b: f64, a_open: bool, b_open: bool) -> Result<(f64, f64), TheoryError> {
        if !a.is_finite() || !b.is_finite() {
            let x0 = if a.is_finite() { a + 1.0 } else if b.is_finite() { b - 1.0 } else { self.z[self.i] };
            if !a.is_finite() {
                let mut s = 1.0;
                a = x0 - s;
                while self.dq(a, Side::Right) >= 0.0 {
                    s *= 2.0;
                    a = x0.min(b) - s;
                    if s > 1e12 {
                        return Err(TheoryError::Unbounded { what: "the inner objective of (3)", reason: "no minimizer along a coordinate ray".into() });
                    }
                }
            }
            if !b.is_finite() {
                let mut s = 1.0;
                b = x0.max(a) + s;
                while self.dq(b, Side::Left) <= 0.0 {
                    s *= 2.0;
                    b = x0.max(a) + s;
                    if s > 1e12 {
                        return Err(TheoryError::Unbounded { what: "the inner objective of (3)", reason: "no minimizer along a coordinate ray".into() });
                    }
                }
            }
        } else {
            if !a_open && self.dq(a, Side::Right) >= 0.0 {
                return Ok((a, self.q(a)));
            }
            if !b_open && self.dq(b, Side::Left) <= 0.0 {
                return Ok((b, self.q(b)));
            }
        }
        // q′ < 0 left of the minimizer; [a, b] halves to the last bit (≤ 2100 splits span f64).
        let (lo, hi) = crate::roots::bisect(a, b, 2100, crate::roots::Midpoint::Arithmetic, |t| self.dq(t, Side::Right) < 0.0);
        let (ql, qh) = (if a_open && lo == a { f64::INFINITY } else { self.q(lo) }, if b_open && hi == b { f64::INFINITY } else { self.q(hi) });
        let (mut t, mut val) = if ql <= qh { (lo, ql) } else { (hi, qh) };
        for (end, open) in [(a, a_open), (b, b_open)] {
            if !open && end.is_finite() && (t - end).abs() <= SNAP_ULPS * f64::EPSILON * (1.0 + end.abs()) {
                let qe = self.q(end);
                if qe <= val + SNAP_ULPS * f64::EPSILON * (1.0 + val.abs()) {
                    t = end;
                    val = qe;
                }
            }
        }
        Ok((t, val))
    }

    /// The minimizer of q on each piece of [lo, hi] ∩ dom (window ends closed, domain ends open),
    /// sorted by value.
    pub fn piece_minima(&self, window: Option<(f64, f64)>) -> Result<Vec<(f64, f64)>, TheoryError> {
        let (dlo, dhi) = self.feasible()?;
        let (mut lo, mut hi, mut lo_open, mut hi_open) = (dlo, dhi, true, true);
        if let Some((wl, wh)) = window {
            if wl > lo {
                lo = wl;
                lo_open = false;
            }
            if wh < hi {
                hi = wh;
                hi_open = false;
            }
        }
        let mut ends = vec![(lo, lo_open)];
        for p in self.term.breakpoints() {
            if p > lo && p < hi {
                ends.push((p, false));
            }
        }
        ends.push((hi, hi_open));
        let mut out = Vec::new();
        for k in 0..ends.len() - 1 {
            let (a, ao) = ends[k];
            let (b, bo) = ends[k + 1];
            let (t, val) = self.piece_min(a, b, ao, bo)?;
            if val.is_finite() {
                out.push((t, val));
            }
        }
        out.sort_by(|x, y| x.1.total_cmp(&y.1));
        Ok(out)
    }
}

/// Whether every piece of every coordinate is convex: fᵢ″ + μ/λ > 0.
fn pieces_convex(cert: &PhiCertificate, terms: &[ScalarTerm], lambda: f64) -> bool {
    terms.iter().all(|s| s.piece_curvature_lower() + cert.mu / lambda > super::CERTIFICATE_MARGIN * cert.mu / lambda)
}

/// Block coordinate descent from z0: in each coordinate, the best piece minimizer (within
/// `window` of the current value if given; the whole line otherwise). Returns z and the sweeps.
pub fn coordinate_descent(
    phi: &dyn Legendre,
    terms: &[ScalarTerm],
    lambda: f64,
    v: &Vector,
    z0: &Vector,
    window: Option<f64>,
) -> Result<(Vector, usize), TheoryError> {
    let mut z = z0.clone();
    let mut last = f64::INFINITY;
    for sweep in 0..MAX_SWEEPS {
        let mut moved = 0.0f64;
        for (i, term) in terms.iter().enumerate() {
            let line = Line::new(phi, term, lambda, v, &z, i);
            let cur = line.q(z[i]);
            let win = window.map(|d| (z[i] - d, z[i] + d));
            let mins = line.piece_minima(win)?;
            // Move to the exact coordinate minimizer even when the value cannot tell (a flat
            // minimum resolves positions only to √ε by values; the bisection on q′ to ε).
            if let Some(&(t, val)) = mins.first()
                && val <= cur + 8.0 * f64::EPSILON * (1.0 + cur.abs())
                && t != z[i]
            {
                moved = moved.max((t - z[i]).abs() / (1.0 + z[i].abs()));
                z[i] = t;
            }
        }
        last = moved;
        if moved <= 4.0 * f64::EPSILON {
            return Ok((z, sweep + 1));
        }
    }
    Err(TheoryError::NotConverged { solver: "coordinate descent", iterations: MAX_SWEEPS, residual: last })
}

/// The fast solver for separable f (module doc).
pub fn fast(
    phi: &dyn Legendre,
    cert: &PhiCertificate,
    f: &dyn Family,
    terms: &[ScalarTerm],
    lambda: f64,
    v: &Vector,
) -> Result<ProxSolution, TheoryError> {
    if cert.separable && pieces_convex(cert, terms, lambda) {
        let mut z = v.clone();
        for (i, term) in terms.iter().enumerate() {
            let base = v.clone();
            let line = Line::new(phi, term, lambda, v, &base, i);
            let mins = line.piece_minima(None)?;
            let Some(&(t, best)) = mins.first() else {
                return Err(TheoryError::Unbounded { what: "a coordinate of (3)", reason: "no finite piece minimum".into() });
            };
            if let Some(&(t2, second)) = mins.iter().find(|(t2, _)| (t2 - t).abs() > DISTINCT_REL * (1.0 + t.abs()))
                && second - best <= TIE_REL * (1.0 + best.abs())
            {
                return Err(TheoryError::MultiValued { count: 2, spread: (t2 - t).abs() });
            }
            z[i] = t;
        }
        let e = super::inner_objective(phi, f, lambda, v, &z)?;
        return Ok(ProxSolution { z, envelope: e, method: "coordinate-wise case analysis (separable φ)", iterations: 1 });
    }
    let r = f.weak_convexity_modulus();
    if cert.cubic_curvature == 0.0 {
        strongly_convex(cert, r, lambda, None)?;
    } else if r.is_none() {
        return Err(TheoryError::NotCertified { reason: "f has no weak-convexity modulus".into() });
    }
    let (z, sweeps) = coordinate_descent(phi, terms, lambda, v, v, None)?;
    strongly_convex(cert, r, lambda, Some(&(v - &z)))?;
    let e = super::inner_objective(phi, f, lambda, v, &z)?;
    Ok(ProxSolution { z, envelope: e, method: "block coordinate descent with exact coordinate case analysis", iterations: sweeps })
}
