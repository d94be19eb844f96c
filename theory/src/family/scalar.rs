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
}
