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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::family::separable_sum::SeparableFamily;
    use crate::potential::registry;
    use crate::prox::certificate::certificate;

    /// q and q′ are sums of a handful of O(1) terms, each rounded once: agreement with the hand
    /// formula to this relative size.
    const FORMULA_REL: f64 = 1e-13;
    /// A root found by bisection on the sign of q′ to the last bit is off the exact root by the
    /// rounding of q′ itself (a few ulps of its largest term) over the slope of q′: with the O(1)
    /// slopes below, a few ulps of the root's own scale.
    const ROOT_ULPS: f64 = 16.0;
    /// A chord end of dom φ from `max_step` (one quadratic root, O(1) numbers).
    const CHORD_TOL: f64 = 1e-13;

    fn vec(x: &[f64]) -> Vector {
        Vector::from_vec(x.to_vec())
    }

    /// h t²/2 + b t + κ|t|.
    fn term(h: f64, b: f64, kappa: f64) -> ScalarTerm {
        ScalarTerm { h, b, kappa, ..ScalarTerm::zero() }
    }

    fn close_rel(x: f64, y: f64, rel: f64) -> bool {
        (x - y).abs() <= rel * (1.0 + y.abs())
    }

    fn near_root(t: f64, exact: f64) -> bool {
        (t - exact).abs() <= ROOT_ULPS * f64::EPSILON * (1.0 + exact.abs())
    }

    /// q(t) and q′(t±) on a line of quad (φ = ‖w‖²) off the base point: q(t) = fᵢ(t) +
    /// (Σ_{j≠i}(v_j − z_j)² + (vᵢ − t)²)/λ and q′(t±) = fᵢ′(t±) − 2(vᵢ − t)/λ, with the kink of
    /// κ|t| giving the two one-sided slopes at 0.
    #[test]
    fn line_value_and_slopes_match_the_quadratic_closed_form() {
        let phi = registry::build("quad", 2).unwrap();
        let (h, b, kappa, lambda) = (0.6, -0.3, 0.4, 0.8);
        let s = term(h, b, kappa);
        let v = vec(&[0.3, -0.7]);
        let z = vec(&[0.5, 0.2]);
        for i in 0..2 {
            let line = Line::new(phi.as_ref(), &s, lambda, &v, &z, i);
            let other = (v[1 - i] - z[1 - i]).powi(2);
            for t in [-1.3, -0.2, 0.0, 0.45, 2.1] {
                let q = 0.5 * h * t * t + b * t + kappa * t.abs() + (other + (v[i] - t).powi(2)) / lambda;
                assert!(close_rel(line.q(t), q, FORMULA_REL), "i = {i}, t = {t}: q = {} vs {q}", line.q(t));
                let smooth = h * t + b - 2.0 * (v[i] - t) / lambda;
                let (sl, sr) = if t > 0.0 { (1.0, 1.0) } else if t < 0.0 { (-1.0, -1.0) } else { (-1.0, 1.0) };
                assert!(close_rel(line.dq(t, Side::Left), smooth + kappa * sl, FORMULA_REL), "i = {i}, t = {t}: q′(t⁻)");
                assert!(close_rel(line.dq(t, Side::Right), smooth + kappa * sr, FORMULA_REL), "i = {i}, t = {t}: q′(t⁺)");
            }
        }
    }

    /// On log (φ = −log(1 − ‖w‖²), ∂ᵢφ = 2wᵢ/(1 − ‖w‖²)) inside the domain q and q′ follow the
    /// closed form; beyond the chord ends q = +∞, and q′ = −∞ past the left end, +∞ past the right
    /// one (q → +∞ at both open ends).
    #[test]
    fn line_is_infinite_outside_the_domain_with_the_sign_of_each_end() {
        let phi = registry::build("log", 2).unwrap();
        let s = term(0.5, 0.1, 0.0);
        let lambda = 0.7;
        let v = vec(&[0.3, 0.1]);
        let z = vec(&[0.0, -0.2]);
        let line = Line::new(phi.as_ref(), &s, lambda, &v, &z, 1);
        for t in [-0.6, -0.2, 0.3, 0.8] {
            let w = vec(&[v[0] - z[0], v[1] - t]);
            let r = 1.0 - w.norm_squared();
            let q = 0.5 * 0.5 * t * t + 0.1 * t - r.ln() / lambda;
            let dq = 0.5 * t + 0.1 - 2.0 * w[1] / r / lambda;
            assert!(close_rel(line.q(t), q, FORMULA_REL), "t = {t}: q");
            assert!(close_rel(line.dq(t, Side::Right), dq, FORMULA_REL), "t = {t}: q′");
        }
        // The chord: (0.3)² + (0.1 − t)² < 1, i.e. t ∈ 0.1 ± √0.91.
        let half = 0.91f64.sqrt();
        for t in [0.1 + half + 1e-3, 5.0] {
            assert_eq!(line.q(t), f64::INFINITY, "t = {t} right of dom");
            assert_eq!(line.dq(t, Side::Left), f64::INFINITY, "t = {t} right of dom");
        }
        for t in [0.1 - half - 1e-3, -5.0] {
            assert_eq!(line.q(t), f64::INFINITY, "t = {t} left of dom");
            assert_eq!(line.dq(t, Side::Right), f64::NEG_INFINITY, "t = {t} left of dom");
        }
    }

    /// `feasible()` from a base point z ≠ v, so that w = v − z is off-centre in a bounded domain:
    /// the chord of {(v₀ − z₀)² + (v₁ − t)² < ρ²} is t ∈ v₁ ± √(ρ² − (v₀ − z₀)²), ρ² = 1 (log)
    /// and π/2 (tan); the two ends differ in their distance from zᵢ, so a reversed direction
    /// shows. On quad the line is all of ℝ.
    #[test]
    fn feasible_interval_is_the_chord_of_the_domain_from_an_off_centre_base() {
        let s = term(1.0, 0.0, 0.0);
        let v = vec(&[0.3, 0.1]);
        let z = vec(&[0.0, -0.2]);
        for (name, rho2) in [("log", 1.0), ("tan", std::f64::consts::FRAC_PI_2)] {
            let phi = registry::build(name, 2).unwrap();
            let line = Line::new(phi.as_ref(), &s, 1.0, &v, &z, 1);
            let half = (rho2 - 0.09f64).sqrt();
            let (lo, hi) = line.feasible().unwrap();
            assert!((lo - (0.1 - half)).abs() <= CHORD_TOL, "{name}: left end {lo} vs {}", 0.1 - half);
            assert!((hi - (0.1 + half)).abs() <= CHORD_TOL, "{name}: right end {hi} vs {}", 0.1 + half);
        }
        let phi = registry::build("quad", 2).unwrap();
        let line = Line::new(phi.as_ref(), &s, 1.0, &v, &z, 1);
        assert_eq!(line.feasible().unwrap(), (f64::NEG_INFINITY, f64::INFINITY));
    }

    /// The quad line with fᵢ = t²/2 + b t, λ = 1, base zᵢ = 0: q′(t) = 3t + b − 2vᵢ, root
    /// t* = (2vᵢ − b)/3.
    fn quad_line_parts(vi: f64, b: f64) -> (Box<dyn Legendre>, ScalarTerm, Vector, Vector, f64) {
        (registry::build("quad", 1).unwrap(), term(1.0, b, 0.0), vec(&[vi]), vec(&[0.0]), (2.0 * vi - b) / 3.0)
    }

    /// piece_min on pieces with infinite ends: the doubling bracket reaches a minimizer 10³ away
    /// from the start (on either side, for (−∞, ∞), (−∞, b] and [a, ∞)), and bisection returns it
    /// to a few ulps. A minimizer beyond a closed finite end is that end, exactly.
    #[test]
    fn piece_min_brackets_far_minimizers_on_infinite_pieces() {
        let (inf, ninf) = (f64::INFINITY, f64::NEG_INFINITY);
        for (vi, b) in [(1500.0, 0.0), (-1500.0, 0.0), (0.6, 0.3), (-0.2, 0.5)] {
            let (phi, s, v, z, exact) = quad_line_parts(vi, b);
            let line = Line::new(phi.as_ref(), &s, 1.0, &v, &z, 0);
            let pieces = [(ninf, inf, true, true), (ninf, 2000.0, true, false), (-2000.0, inf, false, true), (ninf, 2000.0, true, true), (-2000.0, 2000.0, false, false)];
            for (a, bb, ao, bo) in pieces {
                let (t, val) = line.piece_min(a, bb, ao, bo).unwrap();
                assert!(near_root(t, exact), "vᵢ = {vi}, piece ({a}, {bb}): t = {t}, t* = {exact}");
                assert_eq!(val, line.q(t), "the value is q at the returned point");
            }
        }
        // t* = 1000 right of a closed end b = 500: q decreases up to b, the minimizer is b.
        let (phi, s, v, z, _) = quad_line_parts(1500.0, 0.0);
        let line = Line::new(phi.as_ref(), &s, 1.0, &v, &z, 0);
        assert_eq!(line.piece_min(f64::NEG_INFINITY, 500.0, true, false).unwrap().0, 500.0);
        assert_eq!(line.piece_min(-700.0, 500.0, false, false).unwrap().0, 500.0);
        // t* = −1000 left of a closed end a = −500: the minimizer is a.
        let (phi, s, v, z, _) = quad_line_parts(-1500.0, 0.0);
        let line = Line::new(phi.as_ref(), &s, 1.0, &v, &z, 0);
        assert_eq!(line.piece_min(-500.0, f64::INFINITY, false, true).unwrap().0, -500.0);
        assert_eq!(line.piece_min(-500.0, 700.0, false, false).unwrap().0, -500.0);
    }

    /// A line unbounded below: fᵢ = −2t² against quad, λ = 1, gives q(t) = −t² − 2vᵢt + vᵢ², so no
    /// piece with an infinite end has a minimizer; piece_min says so (after a bounded number of
    /// doublings) instead of returning a point.
    #[test]
    fn piece_min_reports_a_line_unbounded_below() {
        let phi = registry::build("quad", 1).unwrap();
        let s = term(-4.0, 0.0, 0.0);
        let v = vec(&[0.3]);
        let z = vec(&[0.0]);
        let line = Line::new(phi.as_ref(), &s, 1.0, &v, &z, 0);
        let (inf, ninf) = (f64::INFINITY, f64::NEG_INFINITY);
        for (a, b, ao, bo) in [(ninf, 0.0, true, false), (0.0, inf, false, true), (ninf, inf, true, true)] {
            let r = line.piece_min(a, b, ao, bo);
            assert!(matches!(r, Err(TheoryError::Unbounded { .. })), "piece ({a}, {b}): {r:?}");
        }
    }

    /// Open finite ends (the chord of log): the root of q′ inside is returned, and no open end
    /// (where q = +∞) is ever the answer. The interior root is checked by optimality,
    /// q′(t⁻) ≤ 0 ≤ q′(t⁺) up to the rounding of q′ one ulp away.
    #[test]
    fn piece_min_on_an_open_chord_returns_the_interior_stationary_point() {
        let phi = registry::build("log", 2).unwrap();
        for b in [-3.0, -0.4, 0.0, 0.4, 3.0] {
            let s = term(0.5, b, 0.0);
            let v = vec(&[0.3, 0.1]);
            let z = vec(&[0.0, -0.2]);
            let line = Line::new(phi.as_ref(), &s, 0.7, &v, &z, 1);
            let (lo, hi) = line.feasible().unwrap();
            let (t, val) = line.piece_min(lo, hi, true, true).unwrap();
            assert!(t > lo && t < hi && val.is_finite(), "b = {b}: t = {t} on ({lo}, {hi})");
            let (left, right) = (t - 4.0 * f64::EPSILON, t + 4.0 * f64::EPSILON);
            assert!(line.dq(left, Side::Right) <= 0.0 && line.dq(right, Side::Right) >= 0.0, "b = {b}: q′ changes sign at t = {t}");
            for k in 1..=20 {
                let u = lo + (hi - lo) * k as f64 / 21.0;
                assert!(val <= line.q(u), "b = {b}: q({u}) = {} below the minimum {val}", line.q(u));
            }
        }
    }

    /// The prox of κ|t| under quad is soft thresholding, t = sign(vᵢ)·max(|vᵢ| − κλ/2, 0)
    /// (minimize κ|t| + (vᵢ − t)²/λ), and a minimizer at the kink is returned exactly as 0: it is
    /// the common end of the pieces (−∞, 0] and [0, ∞).
    #[test]
    fn piece_minima_of_soft_thresholding_land_exactly_on_the_kink() {
        let phi = registry::build("quad", 1).unwrap();
        let (kappa, lambda) = (0.5, 1.0);
        let s = term(0.0, 0.0, kappa);
        for vi in [-0.9, -0.25, -0.1, 0.0, 0.2, 0.25, 0.9, 3.0] {
            let v = vec(&[vi]);
            let line = Line::new(phi.as_ref(), &s, lambda, &v, &v, 0);
            let mins = line.piece_minima(None).unwrap();
            let exact = vi.signum() * (vi.abs() - 0.5 * kappa * lambda).max(0.0);
            let (t, val) = mins[0];
            if exact == 0.0 {
                assert_eq!(t, 0.0, "vᵢ = {vi}: the minimizer is the kink, exactly");
            } else {
                assert!(near_root(t, exact), "vᵢ = {vi}: t = {t}, expected {exact}");
            }
            let q = kappa * exact.abs() + (vi - exact).powi(2) / lambda;
            assert!(close_rel(val, q, FORMULA_REL), "vᵢ = {vi}: value {val} vs {q}");
            assert!(mins.windows(2).all(|p| p[0].1 <= p[1].1), "sorted by value");
        }
    }

    /// A window restricts the line to [lo, hi] (closed ends): soft thresholding with vᵢ = 0.9,
    /// κ = 0.5, λ = 1 has t* = 0.65; a window left of t* gives its right end exactly, one right
    /// of t* its left end, one across the kink but short of t* its right end, and a window that
    /// holds t* gives t* itself even when t* is only 10⁻⁸ inside it (q there differs from q at
    /// the end by 10⁻¹⁶, below the value tolerance: the end must not capture the minimizer).
    #[test]
    fn piece_minima_respect_a_window() {
        let phi = registry::build("quad", 1).unwrap();
        let s = term(0.0, 0.0, 0.5);
        let v = vec(&[0.9]);
        let line = Line::new(phi.as_ref(), &s, 1.0, &v, &v, 0);
        let exact = 0.65;
        assert_eq!(line.piece_minima(Some((-0.3, 0.4))).unwrap()[0].0, 0.4);
        assert_eq!(line.piece_minima(Some((0.1, 0.4))).unwrap()[0].0, 0.4);
        assert_eq!(line.piece_minima(Some((0.8, 2.0))).unwrap()[0].0, 0.8);
        assert_eq!(line.piece_minima(Some((-2.0, -0.5))).unwrap()[0].0, -0.5);
        for (wl, wh) in [(0.2, 3.0), (exact - 1e-8, 3.0), (-1.0, exact + 1e-8), (exact - 1e-8, exact + 1e-8)] {
            let mins = line.piece_minima(Some((wl, wh))).unwrap();
            assert!(near_root(mins[0].0, exact), "window ({wl}, {wh}): t = {}", mins[0].0);
        }
        // A window left of the kink has one piece; one around it, two.
        assert_eq!(line.piece_minima(Some((-2.0, -0.5))).unwrap().len(), 1);
        assert_eq!(line.piece_minima(Some((-0.5, 2.0))).unwrap().len(), 2);
    }

    /// The concave kink of −|t| (κ = −1) under quad, λ = 0.5: each side has its own minimizer,
    /// t = vᵢ ± λ/2, with values ∓vᵢ − λ/4; both are listed, best first.
    #[test]
    fn piece_minima_list_both_sides_of_a_concave_kink() {
        let phi = registry::build("quad", 1).unwrap();
        let s = term(0.0, 0.0, -1.0);
        let lambda = 0.5;
        let vi = 0.1;
        let v = vec(&[vi]);
        let line = Line::new(phi.as_ref(), &s, lambda, &v, &v, 0);
        let mins = line.piece_minima(None).unwrap();
        assert_eq!(mins.len(), 2, "{mins:?}");
        assert!(near_root(mins[0].0, vi + 0.5 * lambda) && close_rel(mins[0].1, -vi - 0.25 * lambda, FORMULA_REL), "{mins:?}");
        assert!(near_root(mins[1].0, vi - 0.5 * lambda) && close_rel(mins[1].1, vi - 0.25 * lambda, FORMULA_REL), "{mins:?}");
    }

    /// Every piece is convex iff fᵢ″ + μ/λ exceeds the margin CERTIFICATE_MARGIN·μ/λ for every
    /// coordinate (quad: μ = 2; λ = 0.5, so μ/λ = 4). Curvature lower bounds h and h − |a|ω².
    #[test]
    fn pieces_are_convex_exactly_when_the_curvature_clears_the_margin() {
        let phi = registry::build("quad", 1).unwrap();
        let cert = certificate(phi.as_ref(), 1).unwrap();
        let lambda = 0.5;
        let ml = 4.0;
        let m = crate::prox::CERTIFICATE_MARGIN;
        let cos = |a: f64, omega: f64| ScalarTerm { a, omega, ..ScalarTerm::zero() };
        assert!(pieces_convex(&cert, &[term(-3.9, 0.0, 0.0), term(0.0, 1.0, 1.0)], lambda));
        assert!(!pieces_convex(&cert, &[term(0.0, 1.0, 1.0), term(-4.1, 0.0, 0.0)], lambda));
        assert!(pieces_convex(&cert, &[cos(0.9, 2.0)], lambda), "−3.6 + 4 > 0");
        assert!(!pieces_convex(&cert, &[cos(1.1, 2.0)], lambda), "−4.4 + 4 < 0");
        // Just inside and just outside the margin: μ/λ − r = 2·margin·μ/λ and margin·μ/λ/2.
        assert!(pieces_convex(&cert, &[term(-ml * (1.0 - 2.0 * m), 0.0, 0.0)], lambda));
        assert!(!pieces_convex(&cert, &[term(-ml * (1.0 - 0.5 * m), 0.0, 0.0)], lambda));
        assert!(!pieces_convex(&cert, &[term(-ml, 0.0, 0.0)], lambda));
    }

    /// Coordinate descent for quad-Q (Q = [[1, 0.4], [0.4, 1]], not separable) and fᵢ = t²/4 +
    /// 0.2t + 0.3|t|, λ = 1, v = (3, −2.5). With z₁ > 0 > z₂ the optimality condition
    /// fᵢ′(zᵢ) = ∂ᵢφ(v − z)/λ = 2(Q(v − z))ᵢ is linear: (I/2 + 2Q) z = 2Qv − b − κ sign(z), which
    /// solves (by Cramer) to z = (10.75, −9.05)/5.61; the signs are as assumed. Coordinate descent
    /// reaches it to the rounding floor, with or without a window (±0.25 per move), from v.
    #[test]
    fn coordinate_descent_reaches_the_closed_form_minimizer_of_a_coupled_potential() {
        /// The minimizer solves a 2×2 system with condition number (2.5 + 0.8)/(2.5 − 0.8) ≈ 2;
        /// coordinate descent stops when no coordinate moves by more than 4ε (relative).
        const Z_TOL: f64 = 1e-13;
        let phi = registry::build("quad-Q", 2).unwrap();
        let s = term(0.5, 0.2, 0.3);
        let terms = [s.clone(), s];
        let v = vec(&[3.0, -2.5]);
        let rhs = [2.0 * (v[0] + 0.4 * v[1]) - 0.2 - 0.3, 2.0 * (0.4 * v[0] + v[1]) - 0.2 + 0.3];
        let det = 2.5 * 2.5 - 0.8 * 0.8;
        let exact = [(2.5 * rhs[0] - 0.8 * rhs[1]) / det, (2.5 * rhs[1] - 0.8 * rhs[0]) / det];
        assert!(exact[0] > 1.0 && exact[1] < -1.0, "the assumed signs, and |zᵢ| > 1");
        for window in [None, Some(0.25)] {
            let (z, sweeps) = coordinate_descent(phi.as_ref(), &terms, 1.0, &v, &v, window).unwrap();
            for i in 0..2 {
                assert!((z[i] - exact[i]).abs() <= Z_TOL * (1.0 + exact[i].abs()), "window {window:?}: z = {z:?}, expected {exact:?}");
            }
            assert!(sweeps > 2, "a coupled problem needs more than one pass (window {window:?}: {sweeps})");
        }
    }

    /// Sweep counting: soft thresholding on quad (separable) with |vᵢ| ≤ κλ/2 has P(v) = 0; from v
    /// the first sweep moves every coordinate to 0 and the second finds nothing to move (2
    /// sweeps); started at 0 it stops after the first.
    #[test]
    fn coordinate_descent_counts_its_sweeps() {
        let phi = registry::build("quad", 3).unwrap();
        let terms = vec![term(0.0, 0.0, 0.5); 3];
        let v = vec(&[0.2, -0.1, 0.25]);
        let (z, sweeps) = coordinate_descent(phi.as_ref(), &terms, 1.0, &v, &v, None).unwrap();
        assert_eq!((z.clone(), sweeps), (Vector::zeros(3), 2));
        let (z0, sweeps0) = coordinate_descent(phi.as_ref(), &terms, 1.0, &v, &z, None).unwrap();
        assert_eq!((z0, sweeps0), (Vector::zeros(3), 1));
    }

    fn family(terms: Vec<ScalarTerm>) -> SeparableFamily {
        SeparableFamily::new("test", terms).unwrap()
    }

    /// The separable path: quad with κ|t| (κ = 0.5, λ = 1) gives soft thresholding per coordinate
    /// and e(v) = Σᵢ κ|zᵢ| + (vᵢ − zᵢ)²/λ; one pass.
    #[test]
    fn fast_soft_thresholds_a_separable_problem_in_one_pass() {
        let phi = registry::build("quad", 3).unwrap();
        let cert = certificate(phi.as_ref(), 3).unwrap();
        let terms = vec![term(0.0, 0.0, 0.5); 3];
        let f = family(terms.clone());
        let v = vec(&[0.2, -0.9, 1.7]);
        let sol = fast(phi.as_ref(), &cert, &f, &terms, 1.0, &v).unwrap();
        let exact = [0.0, -0.65, 1.45];
        assert_eq!(sol.z[0], 0.0);
        for (z, x) in sol.z.iter().zip(exact).skip(1) {
            assert!(near_root(*z, x), "z = {:?}", sol.z);
        }
        let e: f64 = (0..3).map(|i| 0.5 * exact[i].abs() + (v[i] - exact[i]).powi(2)).sum();
        assert!(close_rel(sol.envelope, e, FORMULA_REL), "e(v) = {} vs {e}", sol.envelope);
        assert_eq!((sol.method, sol.iterations), ("coordinate-wise case analysis (separable φ)", 1));
    }

    /// −|t| under quad, v = 0: P(0) = {±λ/2}, two points λ apart with equal values −λ/4: a
    /// two-valued prox, reported with its spread, for λ = 0.5 and for λ = 8 (|e| = 2 > 1, where a
    /// tie tolerance that shrank with |e| would miss the tie). At v = 0.1 the two values differ by
    /// 2v = 0.2 and the prox is the single point v + λ/2.
    #[test]
    fn fast_reports_the_tie_of_a_concave_kink() {
        let phi = registry::build("quad", 1).unwrap();
        let cert = certificate(phi.as_ref(), 1).unwrap();
        let terms = vec![term(0.0, 0.0, -1.0)];
        let f = family(terms.clone());
        for lambda in [0.5, 8.0] {
            match fast(phi.as_ref(), &cert, &f, &terms, lambda, &vec(&[0.0])) {
                Err(TheoryError::MultiValued { count, spread }) => {
                    assert_eq!(count, 2);
                    assert!(near_root(spread, lambda), "λ = {lambda}: spread {spread}");
                }
                other => panic!("λ = {lambda}: expected a two-valued prox, got {other:?}"),
            }
            let sol = fast(phi.as_ref(), &cert, &f, &terms, lambda, &vec(&[0.1])).unwrap();
            assert!(near_root(sol.z[0], 0.1 + 0.5 * lambda), "λ = {lambda}: z = {}", sol.z[0]);
        }
    }

    /// A near-tie is a tie within TIE_REL·(1 + |e|): −|t| + βt under quad, λ = 0.5, v = 0 has
    /// local minimizers λ(1 − β)/2 and −λ(1 + β)/2 with values −λ(1 ∓ β)²/4, apart by λβ, and
    /// |e| ≈ 0.125 (so the tolerance is ≈ 1.1e-12, not TIE_REL·|e| ≈ 1.3e-13). β = 1e-12 (gap
    /// 5e-13) is reported two-valued; β = 1e-11 (gap 5e-12) gives the single point −λ(1 + β)/2.
    #[test]
    fn fast_treats_a_gap_within_the_tie_tolerance_as_a_tie() {
        let phi = registry::build("quad", 1).unwrap();
        let cert = certificate(phi.as_ref(), 1).unwrap();
        let lambda = 0.5;
        let terms = vec![term(0.0, 1e-12, -1.0)];
        let got = fast(phi.as_ref(), &cert, &family(terms.clone()), &terms, lambda, &vec(&[0.0]));
        assert!(matches!(got, Err(TheoryError::MultiValued { count: 2, .. })), "β = 1e-12: {got:?}");
        let terms = vec![term(0.0, 1e-11, -1.0)];
        let sol = fast(phi.as_ref(), &cert, &family(terms.clone()), &terms, lambda, &vec(&[0.0])).unwrap();
        assert!(near_root(sol.z[0], -lambda * (1.0 + 1e-11) / 2.0), "β = 1e-11: z = {}", sol.z[0]);
        // λ = 8: |e| ≈ 2, the tolerance ≈ 3e-12; β = 1.25e-13 (gap 1e-12) is a tie, which a
        // tolerance that shrank with |e| (1e-12/3) would miss.
        let terms = vec![term(0.0, 1.25e-13, -1.0)];
        let got = fast(phi.as_ref(), &cert, &family(terms.clone()), &terms, 8.0, &vec(&[0.0]));
        assert!(matches!(got, Err(TheoryError::MultiValued { count: 2, .. })), "λ = 8, β = 1.25e-13: {got:?}");
    }

    /// MCP (μ = 0.5, γ = 2, so γμ = 1) under quad, λ = 1 (pieces convex: −1/γ + 2/λ > 0), at
    /// v = γμ: for t ≥ 1 f is constant and q = (1 − t)² + const, for t < 1 q′ = 1.5(t − 1) < 0,
    /// so P(v) = 1, the breakpoint, reached as the common end of two pieces: one point, not a tie.
    #[test]
    fn fast_returns_a_minimizer_shared_by_two_pieces_once() {
        let phi = registry::build("quad", 1).unwrap();
        let cert = certificate(phi.as_ref(), 1).unwrap();
        let terms = vec![ScalarTerm { mcp: Some((0.5, 2.0)), ..ScalarTerm::zero() }];
        let f = family(terms.clone());
        let sol = fast(phi.as_ref(), &cert, &f, &terms, 1.0, &vec(&[1.0])).unwrap();
        assert_eq!(sol.z[0], 1.0);
    }

    /// A non-separable φ (log, m = 2) with convex pieces must not take the one-pass path: the
    /// answer is stationary in every coordinate, q′(zᵢ⁻) ≤ 0 ≤ q′(zᵢ⁺) on the line through z.
    #[test]
    fn fast_on_a_coupled_potential_is_stationary_in_every_coordinate() {
        /// q′ one-sided at the answer: zero up to the rounding of q′ (O(1) terms) at a point
        /// known to the last bits.
        const SLOPE_TOL: f64 = 1e-10;
        let phi = registry::build("log", 2).unwrap();
        let cert = certificate(phi.as_ref(), 2).unwrap();
        let terms = vec![term(0.5, 0.3, 0.2), term(1.0, -0.4, 0.1)];
        let f = family(terms.clone());
        let v = vec(&[0.6, -0.5]);
        let lambda = 0.5;
        let sol = fast(phi.as_ref(), &cert, &f, &terms, lambda, &v).unwrap();
        for (i, s) in terms.iter().enumerate() {
            let line = Line::new(phi.as_ref(), s, lambda, &v, &sol.z, i);
            let t = sol.z[i];
            assert!(line.dq(t, Side::Left) <= SLOPE_TOL && line.dq(t, Side::Right) >= -SLOPE_TOL, "coordinate {i} not stationary at {:?}", sol.z);
        }
        assert!(sol.iterations > 1, "coordinate descent, not one pass");
    }

    /// cubic (μ = 0, ∇²‖u‖³ ⪰ 3‖u‖I) in m = 2 is certified only through the Bregman modulus
    /// μ* = 1.5‖w*‖ at the answer w* = v − z*: with r = 0 (fᵢ = t²/4 + 0.2t + 0.3|t|) any w* ≠ 0
    /// certifies, and with r = 0.5 (a cosine term, fᵢ″ ≥ h − |a|ω² = −0.5) the answer is
    /// certified exactly when 1.5‖v − z*‖/λ > r.
    #[test]
    fn fast_certifies_cubic_by_the_modulus_at_the_answer() {
        let phi = registry::build("cubic", 2).unwrap();
        let cert = certificate(phi.as_ref(), 2).unwrap();
        let convex = vec![term(0.5, 0.2, 0.3), term(0.5, 0.2, 0.3)];
        let f = family(convex.clone());
        let v = vec(&[2.0, -1.0]);
        let sol = fast(phi.as_ref(), &cert, &f, &convex, 1.0, &v).unwrap();
        assert!((&v - &sol.z).norm() > 0.0);
        let wavy = ScalarTerm { h: 0.5, b: 0.1, a: 1.0, omega: 1.0, c: 0.3, kappa: 0.0, mcp: None };
        let terms = vec![wavy.clone(), wavy];
        let f = family(terms.clone());
        let r = 0.5;
        let mut seen = (false, false);
        for (v, lambda) in [(vec(&[2.0, 2.0]), 3.0), (vec(&[2.0, 2.0]), 0.3), (vec(&[-1.5, 2.5]), 4.0), (vec(&[0.5, -0.5]), 0.2)] {
            let (z, _) = coordinate_descent(phi.as_ref(), &terms, lambda, &v, &v, None).unwrap();
            let mu_star = 1.5 * (&v - &z).norm();
            let res = fast(phi.as_ref(), &cert, &f, &terms, lambda, &v);
            if mu_star / lambda > r * (1.0 + 1e-3) {
                assert!(res.is_ok(), "v = {v:?}, λ = {lambda}: μ*/λ = {} > r, {res:?}", mu_star / lambda);
                seen.0 = true;
            } else if mu_star / lambda < r * (1.0 - 1e-3) {
                assert!(matches!(res, Err(TheoryError::NotCertified { .. })), "v = {v:?}, λ = {lambda}: μ*/λ = {} < r, {res:?}", mu_star / lambda);
                seen.1 = true;
            }
        }
        assert_eq!(seen, (true, true), "both decisions are exercised");
    }
}
