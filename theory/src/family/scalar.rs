//! One coordinate of a separable family: a piecewise-C² scalar function
//!
//! f₁(t) = h t²/2 + b t + a cos(ω t + c) + κ|t| + MCP_{μ,γ}(t),
//!
//! with MCP_{μ,γ}(t) = μ|t| − t²/(2γ) for |t| ≤ γμ and γμ²/2 beyond (the minimax concave
//! penalty). The only kink is t = 0 (when κ ≠ 0 or an MCP term is present); the MCP adds two C¹
//! breakpoints ±γμ where the second derivative jumps. κ < 0 gives a *concave* kink (−|t|), the
//! not-prox-regular control: its limiting subdifferential at 0 is two points, not an interval
//! (Definition 4.1 (ii)).

/// Which one-sided derivative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// From the left (t⁻).
    Left,
    /// From the right (t⁺).
    Right,
}

/// A piecewise-C² scalar term (see the module doc for the formula).
#[derive(Debug, Clone, PartialEq)]
pub struct ScalarTerm {
    /// Quadratic coefficient h (t²/2).
    pub h: f64,
    /// Linear coefficient b.
    pub b: f64,
    /// Cosine amplitude a.
    pub a: f64,
    /// Cosine frequency ω.
    pub omega: f64,
    /// Cosine phase c.
    pub c: f64,
    /// Weight κ of |t| (negative: concave kink).
    pub kappa: f64,
    /// MCP parameters (μ, γ), μ > 0, γ > 0.
    pub mcp: Option<(f64, f64)>,
}

impl ScalarTerm {
    /// The zero term.
    pub fn zero() -> Self {
        ScalarTerm { h: 0.0, b: 0.0, a: 0.0, omega: 0.0, c: 0.0, kappa: 0.0, mcp: None }
    }

    /// Whether t = 0 is a kink.
    pub fn has_kink(&self) -> bool {
        self.kappa != 0.0 || self.mcp.is_some()
    }

    /// The points where the second derivative may jump, sorted: the kink 0 and the MCP
    /// breakpoints ±γμ.
    pub fn breakpoints(&self) -> Vec<f64> {
        let mut p = Vec::new();
        if let Some((mu, gamma)) = self.mcp {
            p.push(-gamma * mu);
        }
        if self.has_kink() {
            p.push(0.0);
        }
        if let Some((mu, gamma)) = self.mcp {
            p.push(gamma * mu);
        }
        p
    }

    /// f₁(t).
    pub fn value(&self, t: f64) -> f64 {
        let mut v = 0.5 * self.h * t * t + self.b * t + self.a * (self.omega * t + self.c).cos() + self.kappa * t.abs();
        if let Some((mu, gamma)) = self.mcp {
            let at = t.abs();
            v += if at <= gamma * mu { mu * at - at * at / (2.0 * gamma) } else { 0.5 * gamma * mu * mu };
        }
        v
    }

    /// The derivative of the smooth part h t²/2 + b t + a cos(ωt + c).
    fn smooth_d(&self, t: f64) -> f64 {
        self.h * t + self.b - self.a * self.omega * (self.omega * t + self.c).sin()
    }

    /// One-sided derivative f₁′(t±) (equal sides away from the kink).
    pub fn derivative(&self, t: f64, side: Side) -> f64 {
        let sgn = if t > 0.0 || (t == 0.0 && side == Side::Right) { 1.0 } else { -1.0 };
        let mut d = self.smooth_d(t) + self.kappa * sgn;
        if let Some((mu, gamma)) = self.mcp {
            let at = t.abs();
            let inside = at < gamma * mu || (at == gamma * mu && ((t > 0.0) == (side == Side::Left)));
            if inside {
                d += sgn * (mu - at / gamma);
            }
        }
        d
    }

    /// One-sided second derivative f₁″(t±).
    pub fn second(&self, t: f64, side: Side) -> f64 {
        let mut d = self.h - self.a * self.omega * self.omega * (self.omega * t + self.c).cos();
        if let Some((mu, gamma)) = self.mcp {
            let at = t.abs();
            let probe = if side == Side::Left { t - 1e-300f64.max(at * 1e-15) } else { t + 1e-300f64.max(at * 1e-15) };
            if probe.abs() < gamma * mu {
                d -= 1.0 / gamma;
            }
        }
        d
    }

    /// The limiting subdifferential at t: an interval `[lo, hi]` (a single point away from the
    /// kink, `[f′(0⁻), f′(0⁺)]` at a convex kink), or two points `{f′(0⁻), f′(0⁺)}` at a concave
    /// kink (κ + μ < 0), returned as `(lo, hi, two_points)`.
    pub fn subdifferential(&self, t: f64) -> (f64, f64, bool) {
        if t == 0.0 && self.has_kink() {
            let l = self.derivative(0.0, Side::Left);
            let r = self.derivative(0.0, Side::Right);
            if l <= r { (l, r, false) } else { (r, l, true) }
        } else {
            let d = self.derivative(t, Side::Right);
            (d, d, false)
        }
    }

    /// dist(y, ∂f₁(t)).
    pub fn subdifferential_distance(&self, t: f64, y: f64) -> f64 {
        let (lo, hi, two) = self.subdifferential(t);
        if two { (y - lo).abs().min((y - hi).abs()) } else if y < lo { lo - y } else if y > hi { y - hi } else { 0.0 }
    }

    /// The element of ∂f₁(t) nearest to y (an interval: y clamped to it; the two one-sided
    /// derivatives of a concave kink: the closer one).
    pub fn nearest_subgradient(&self, t: f64, y: f64) -> f64 {
        let (lo, hi, two) = self.subdifferential(t);
        if two {
            if (y - lo).abs() <= (y - hi).abs() { lo } else { hi }
        } else if lo <= hi {
            y.clamp(lo, hi)
        } else {
            f64::NAN // an overflowed derivative (∞ − ∞); the family turns it into a typed error
        }
    }

    /// The element of ∂f₁(t) of least magnitude.
    pub fn min_norm_subgradient(&self, t: f64) -> f64 {
        let (lo, hi, two) = self.subdifferential(t);
        if two {
            if lo.abs() <= hi.abs() { lo } else { hi }
        } else if lo <= hi {
            0.0f64.clamp(lo, hi)
        } else {
            f64::NAN // an overflowed derivative (∞ − ∞); the family turns it into a typed error
        }
    }

    /// A lower bound of f₁″ on every smooth piece: h − |a|ω² − 1/γ (MCP).
    pub fn piece_curvature_lower(&self) -> f64 {
        self.h - self.a.abs() * self.omega * self.omega - self.mcp.map_or(0.0, |(_, g)| 1.0 / g)
    }

    /// A weak-convexity modulus r (f₁ + r t²/2 convex): `max(0, −piece_curvature_lower)` when the
    /// kink is convex (κ ≥ 0; the MCP kink is convex, its concave part is the −t²/(2γ) already
    /// counted), `None` for a concave kink (κ < 0), which no quadratic convexifies.
    pub fn weak_convexity_modulus(&self) -> Option<f64> {
        if self.kappa < 0.0 { None } else { Some((-self.piece_curvature_lower()).max(0.0)) }
    }

    /// (a, b, c) with f₁(t) ≥ −a t² − b|t| − c: h t²/2 ≥ −max(0, −h/2) t², b t ≥ −|b||t|,
    /// a cos ≥ −|a|, κ|t| ≥ −max(0, −κ)|t|, MCP ≥ 0.
    pub fn minorant(&self) -> (f64, f64, f64) {
        ((-0.5 * self.h).max(0.0), self.b.abs() + (-self.kappa).max(0.0), self.a.abs())
    }

    /// A lower bound of f₁ where one is known: h > 0 and κ ≥ 0 give
    /// h t²/2 + b t + κ|t| ≥ −max(|b| − κ, 0)²/(2h), the cosine ≥ −|a|, the MCP ≥ 0.
    pub fn lower_bound(&self) -> Option<f64> {
        if self.kappa >= 0.0 && self.h > 0.0 {
            let e = (self.b.abs() - self.kappa).max(0.0);
            Some(-e * e / (2.0 * self.h) - self.a.abs())
        } else if self.kappa >= 0.0 && self.h == 0.0 && self.b == 0.0 {
            Some(-self.a.abs())
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_match_differences_away_from_breakpoints() {
        let s = ScalarTerm { h: 0.7, b: -0.2, a: 0.4, omega: 1.3, c: 0.5, kappa: 0.3, mcp: Some((0.8, 2.0)) };
        for &t in &[-2.3, -1.0, -0.3, 0.4, 1.1, 1.9] {
            let h = 1e-6;
            let fd = (s.value(t + h) - s.value(t - h)) / (2.0 * h);
            assert!((fd - s.derivative(t, Side::Right)).abs() < 1e-8, "t = {t}");
            let fd2 = (s.derivative(t + h, Side::Right) - s.derivative(t - h, Side::Right)) / (2.0 * h);
            assert!((fd2 - s.second(t, Side::Right)).abs() < 1e-6, "t = {t}");
        }
    }

    #[test]
    fn concave_kink_has_two_subgradients() {
        let s = ScalarTerm { kappa: -1.0, ..ScalarTerm::zero() };
        assert_eq!(s.subdifferential(0.0), (-1.0, 1.0, true));
        assert_eq!(s.subdifferential_distance(0.0, 0.0), 1.0);
        assert_eq!(s.weak_convexity_modulus(), None);
    }

    /// The term with every part: h = 0.7, b = −0.2, a cos(1.3t + 0.5) with a = 0.4, κ = 0.3 and an
    /// MCP with μ = 0.8, γ = 2 (breakpoints ±1.6).
    fn full() -> ScalarTerm {
        ScalarTerm { h: 0.7, b: -0.2, a: 0.4, omega: 1.3, c: 0.5, kappa: 0.3, mcp: Some((0.8, 2.0)) }
    }

    /// Values written out part by part, inside and beyond the MCP's breakpoints.
    #[test]
    fn values_match_the_formula_part_by_part() {
        let s = full();
        for &(t, mcp) in &[(1.0f64, 0.8 - 1.0 / 4.0), (-0.5, 0.4 - 0.25 / 4.0), (3.0, 0.64), (-2.0, 0.64), (0.0, 0.0)] {
            let want = 0.35 * t * t - 0.2 * t + 0.4 * (1.3 * t + 0.5).cos() + 0.3 * f64::abs(t) + mcp;
            assert!((s.value(t) - want).abs() <= 1e-15 * (1.0 + want.abs()), "t = {t}: {} against {want}", s.value(t));
        }
        assert_eq!(ScalarTerm::zero().value(2.5), 0.0);
    }

    /// At the kink and at the MCP breakpoints the one-sided derivatives (first and second) agree
    /// with one-sided difference quotients (truncation O(h) = 1e-7 with h = 1e-7 and O(1)
    /// second derivatives; rounding O(ε/h) = 1e-9).
    #[test]
    fn one_sided_derivatives_match_one_sided_differences() {
        let s = full();
        let h = 1e-7;
        for &t in &[0.0, 1.6, -1.6] {
            let left = (s.value(t) - s.value(t - h)) / h;
            let right = (s.value(t + h) - s.value(t)) / h;
            assert!((left - s.derivative(t, Side::Left)).abs() <= 1e-6, "f′({t}⁻) = {}, quotient {left}", s.derivative(t, Side::Left));
            assert!((right - s.derivative(t, Side::Right)).abs() <= 1e-6, "f′({t}⁺) = {}, quotient {right}", s.derivative(t, Side::Right));
            let left2 = (s.derivative(t - h, Side::Left) - s.derivative(t - 2.0 * h, Side::Left)) / h;
            let right2 = (s.derivative(t + 2.0 * h, Side::Right) - s.derivative(t + h, Side::Right)) / h;
            assert!((left2 - s.second(t, Side::Left)).abs() <= 1e-5, "f″({t}⁻) = {}, quotient {left2}", s.second(t, Side::Left));
            assert!((right2 - s.second(t, Side::Right)).abs() <= 1e-5, "f″({t}⁺) = {}, quotient {right2}", s.second(t, Side::Right));
        }
        // The kink: f′(0±) = b − aω sin c ± (κ + μ), and the MCP's curvature −1/γ only inside.
        let smooth = -0.2 - 0.4 * 1.3 * 0.5f64.sin();
        assert!((s.derivative(0.0, Side::Right) - (smooth + 1.1)).abs() <= 1e-15);
        assert!((s.derivative(0.0, Side::Left) - (smooth - 1.1)).abs() <= 1e-15);
        let curv = |t: f64| 0.7 - 0.4 * 1.69 * (1.3 * t + 0.5).cos();
        assert!((s.second(1.6, Side::Left) - (curv(1.6) - 0.5)).abs() <= 1e-14 && (s.second(1.6, Side::Right) - curv(1.6)).abs() <= 1e-14);
        assert!((s.second(-1.6, Side::Right) - (curv(-1.6) - 0.5)).abs() <= 1e-14 && (s.second(-1.6, Side::Left) - curv(-1.6)).abs() <= 1e-14);
    }

    /// The convex kink's subdifferential is the interval of the one-sided derivatives; the
    /// distance, the nearest and the least-norm element follow from it, written out here.
    #[test]
    fn the_convex_kink_has_an_interval_of_subgradients() {
        let s = ScalarTerm { b: 0.5, kappa: 1.0, ..ScalarTerm::zero() };
        assert_eq!(s.subdifferential(0.0), (-0.5, 1.5, false));
        assert_eq!(s.subdifferential(2.0), (1.5, 1.5, false));
        assert_eq!(s.subdifferential(-2.0), (-0.5, -0.5, false));
        for &(y, dist, nearest) in &[(0.3, 0.0, 0.3), (-2.0, 1.5, -0.5), (4.0, 2.5, 1.5)] {
            assert_eq!(s.subdifferential_distance(0.0, y), dist, "y = {y}");
            assert_eq!(s.nearest_subgradient(0.0, y), nearest, "y = {y}");
        }
        assert_eq!(s.min_norm_subgradient(0.0), 0.0);
        assert_eq!(s.min_norm_subgradient(1.0), 1.5);
        let shifted = ScalarTerm { b: 2.0, kappa: 1.0, ..ScalarTerm::zero() };
        assert_eq!(shifted.min_norm_subgradient(0.0), 1.0, "the interval [1, 3] has least element 1");
        let concave = ScalarTerm { b: 0.5, kappa: -1.0, ..ScalarTerm::zero() };
        assert_eq!(concave.subdifferential(0.0), (-0.5, 1.5, true));
        assert_eq!(concave.nearest_subgradient(0.0, 0.4), -0.5);
        assert_eq!(concave.nearest_subgradient(0.0, 0.6), 1.5);
        assert_eq!(concave.min_norm_subgradient(0.0), -0.5);
        assert_eq!(concave.subdifferential_distance(0.0, 1.0), 0.5);
    }

    /// Breakpoints, kink, curvature bound, weak-convexity modulus, minorant and lower bound
    /// against their definitions: the bound and the modulus are attained (up to the sampling)
    /// where the cosine's curvature peaks inside the MCP's interval, and every bound holds on a
    /// grid.
    #[test]
    fn bounds_hold_and_are_tight() {
        let s = full();
        assert_eq!(s.breakpoints(), vec![-1.6, 0.0, 1.6]);
        assert_eq!(ScalarTerm { kappa: 0.2, ..ScalarTerm::zero() }.breakpoints(), vec![0.0]);
        assert!(ScalarTerm::zero().breakpoints().is_empty() && !ScalarTerm::zero().has_kink());
        assert!(ScalarTerm { mcp: Some((1.0, 1.0)), ..ScalarTerm::zero() }.has_kink());
        let bound = 0.7 - 0.4 * 1.69 - 0.5;
        assert!((s.piece_curvature_lower() - bound).abs() <= 1e-15);
        assert_eq!(s.weak_convexity_modulus(), Some(-bound));
        let grid: Vec<f64> = (-4000..=4000).map(|i| i as f64 * 1e-3).filter(|t| ![0.0, 1.6, -1.6].contains(t)).collect();
        let least = grid.iter().map(|&t| s.second(t, Side::Right)).fold(f64::INFINITY, f64::min);
        assert!(least >= bound - 1e-12 && least <= bound + 1e-5, "least f″ on the grid {least}, bound {bound}");
        let neg = ScalarTerm { h: -1.0, b: 0.5, a: 0.3, omega: 2.0, c: 0.0, kappa: -0.25, mcp: None };
        assert_eq!(neg.minorant(), (0.5, 0.75, 0.3));
        assert_eq!(neg.lower_bound(), None);
        for &t in &grid {
            let (qa, qb, qc) = neg.minorant();
            assert!(neg.value(t) >= -qa * t * t - qb * t.abs() - qc - 1e-12, "minorant fails at t = {t}");
        }
        // h t²/2 + b t + κ|t| with h = 2, b = 1, κ = 0.4: least value −0.09 at t = −0.3.
        let convex = ScalarTerm { h: 2.0, b: 1.0, kappa: 0.4, ..ScalarTerm::zero() };
        let lb = convex.lower_bound().unwrap();
        assert!((lb + 0.09).abs() <= 1e-15, "lower bound {lb}");
        assert!((convex.value(-0.3) - lb).abs() <= 1e-15, "attained at −0.3");
        assert_eq!(ScalarTerm { a: 0.5, kappa: 0.1, ..ScalarTerm::zero() }.lower_bound(), Some(-0.5));
        assert_eq!(ScalarTerm { b: 0.5, ..ScalarTerm::zero() }.lower_bound(), None, "b t is unbounded below");
        let lb = s.lower_bound().unwrap();
        assert!(grid.iter().all(|&t| s.value(t) >= lb), "lower bound {lb} fails on the grid");
    }
}
