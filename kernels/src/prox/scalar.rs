//! The per-coordinate solver of the batched separable φ-prox, generic over the CPU precisions:
//! safeguarded Newton on G(w) = φ′(w)/λ − f′(v − w) (see the module doc of [`crate::prox`]).
//! The WGSL kernel (`gpu/shaders/prox.wgsl`) is the same algorithm line by line.

use super::{Fault, STATUS_BRACKET, STATUS_RESIDUAL, STATUS_UNCONVERGED, STOP_MULT, SepProx, SepTerm, max_iterations};
use crate::potential::PotentialKind;
use crate::real::{Real, cos_quadrant};

/// The precisions of the prox kernel: [`Real`] plus sin (for the quad-cos term).
pub trait ProxReal: Real {
    /// sin x.
    fn sin(self) -> Self;
}

impl ProxReal for f32 {
    #[inline(always)]
    fn sin(self) -> Self {
        f32::sin(self)
    }
}

impl ProxReal for f64 {
    #[inline(always)]
    fn sin(self) -> Self {
        f64::sin(self)
    }
}

/// The term's parameters in T.
#[derive(Debug, Clone, Copy)]
enum TermT<T> {
    QuadCos { a: T, omega: T, b_omega: T, b_omega2: T },
    QuadLog { a: T, two_mu: T, eps2: T },
}

/// A problem's constants in precision T.
#[derive(Debug, Clone, Copy)]
pub struct Consts<T> {
    kind: PotentialKind,
    ie2: T,
    inv_lambda: T,
    rho: T,
    s_max: T,
    inv_delta: T,
    delta: T,
    stop: T,
    max_iter: u32,
    term: TermT<T>,
    fault: Fault,
}

/// One coordinate's result.
#[derive(Debug, Clone, Copy)]
pub struct Solved<T> {
    /// x = v − w.
    pub x: T,
    /// |G(w)|/S(w) at the returned point, S the rounding scale (∞ if v or c is not finite).
    pub residual: T,
    /// [`STATUS_RESIDUAL`], [`STATUS_BRACKET`] or [`STATUS_UNCONVERGED`].
    pub status: u8,
    /// Newton steps taken.
    pub newton: u32,
    /// Bisection steps taken.
    pub bisect: u32,
}

impl<T: ProxReal> Consts<T> {
    /// The constants of `p` rounded to T.
    pub fn new(p: &SepProx) -> Self {
        let t = T::from_f64;
        let term = match p.term {
            SepTerm::QuadCos { a, b, omega } => {
                TermT::QuadCos { a: t(a), omega: t(omega), b_omega: t(b * omega), b_omega2: t(b * omega * omega) }
            }
            SepTerm::QuadLog { a, mu, eps } => TermT::QuadLog { a: t(a), two_mu: t(2.0 * mu), eps2: t(eps * eps) },
        };
        Consts {
            kind: p.potential,
            ie2: t(1.0 / (p.eta * p.eta)),
            inv_lambda: t(1.0 / p.lambda),
            rho: t(p.radius()),
            s_max: t(p.potential.s_max()),
            // Enlarged by 10⁻³ so that the rounding of −G(0)/δ cannot cut the root off.
            inv_delta: t((1.0 + 1e-3) / p.delta()),
            delta: t(p.delta()),
            stop: t(STOP_MULT * T::EPS),
            max_iter: max_iterations(T::EPS),
            term,
            fault: p.fault,
        }
    }

    /// φ′(w), φ″(w), or None where w is outside dom φ in T (the domain test failed).
    #[inline(always)]
    fn phi_d(&self, w: T) -> Option<(T, T)> {
        let two = T::from_f64(2.0);
        let one = T::from_f64(1.0);
        let s = w * w * self.ie2;
        match self.kind {
            PotentialKind::TanSep => {
                if !(s < self.s_max) {
                    return None;
                }
                let c = cos_quadrant(s);
                if !(c > T::default()) {
                    return None;
                }
                // h′ = sec² s, h″ = 2 sec² s tan s; tan s = √(1 − c²)/c (only in φ″, which
                // steers Newton and does not enter the root).
                let sec2 = one / (c * c);
                let one_m = one - c * c;
                let tn = (if one_m > T::default() { one_m } else { T::default() }).sqrt() / c;
                Some((two * sec2 * self.ie2 * w, (two * sec2 + T::from_f64(8.0) * sec2 * tn * s) * self.ie2))
            }
            PotentialKind::LogSep => {
                if !(s < one) {
                    return None;
                }
                let q = one / (one - s);
                Some((two * q * self.ie2 * w, (two * q + T::from_f64(4.0) * q * q * s) * self.ie2))
            }
            _ => Some((two * self.ie2 * w, two * self.ie2)),
        }
    }

    /// f′(x), f″(x) and the magnitude of f′'s terms, for datum c.
    #[inline(always)]
    fn f_d(&self, x: T, c: T) -> (T, T, T) {
        let wrong = self.fault == Fault::WrongDerivative;
        match self.term {
            TermT::QuadCos { a, omega, b_omega, b_omega2 } => {
                let arg = omega * x;
                let (sn, cs) = (arg.sin(), arg.cos());
                let nonconvex = if wrong { b_omega * sn } else { -(b_omega * sn) };
                let one = T::from_f64(1.0);
                (a * (x - c) + nonconvex, a - b_omega2 * cs, a * (x.abs() + c.abs()) + b_omega.abs() * (one + arg.abs()))
            }
            TermT::QuadLog { a, two_mu, eps2 } => {
                let q = T::from_f64(1.0) / (eps2 + x * x);
                let p1 = two_mu * x * q;
                let p1 = if wrong { -p1 } else { p1 };
                (a * (x - c) + p1, a + two_mu * (eps2 - x * x) * q * q, a * (x.abs() + c.abs()) + p1.abs())
            }
        }
    }

    /// G(w), G′(w), the stopping scale S_stop(w) = |φ′|/λ + |f″||x| + T_f + δ(|w| + |x|) and
    /// the rounding scale S(w) = S_stop + (φ″/λ + |f″|)(|w| + |x|), or None outside dom φ or
    /// where G is not finite.
    #[inline(always)]
    fn eval(&self, v: T, c: T, w: T) -> Option<(T, T, T, T)> {
        let (d1, d2) = self.phi_d(w)?;
        let x = v - w;
        let (f1, f2, tf) = self.f_d(x, c);
        let g = d1 * self.inv_lambda - f1;
        let dg = d2 * self.inv_lambda + f2;
        let wx = w.abs() + x.abs();
        let s_stop = d1.abs() * self.inv_lambda + f2.abs() * x.abs() + tf + self.delta * wx;
        let s = s_stop + (d2 * self.inv_lambda + f2.abs()) * wx;
        if g.to_f64().is_finite() && s.to_f64().is_finite() { Some((g, dg, s_stop, s)) } else { None }
    }

    /// The safeguarded Newton iteration for one coordinate (center v, datum c).
    ///
    /// Converged when (A) |G| ≤ STOP_MULT·ε·S_stop — with G′ ≥ δ this puts w within
    /// (|G| + rounding)/δ of the root, a bound that holds however steep G is near the boundary
    /// of dom φ — or (B) the bracket, which holds the root, has closed to 4ε·max(|lo|, |hi|).
    /// A Newton step below rounding (stalled) is replaced by a probe 4ε|w| towards the root, so
    /// that (B) follows at once.
    #[inline]
    pub fn solve(&self, v: T, c: T) -> Solved<T> {
        let zero = T::default();
        let half = T::from_f64(0.5);
        let eps4 = T::from_f64(4.0 * T::EPS);
        let Some((mut g, mut dg, mut s_stop, mut s)) = self.eval(v, c, zero) else {
            return Solved { x: v, residual: T::from_f64(f64::INFINITY), status: STATUS_UNCONVERGED, newton: 0, bisect: 0 };
        };
        let mut w = zero;
        // G(0) = −f′(v); G′ ≥ δ puts the root between 0 and −G(0)/δ, inside (−ρ, ρ).
        let reach = g.abs() * self.inv_delta;
        let reach = if reach < self.rho { reach } else { self.rho };
        let (mut lo, mut hi) = if g < zero { (zero, reach) } else { (-reach, zero) };
        let (mut newton, mut bisect) = (0u32, 0u32);
        let mut g_prev = T::from_f64(f64::INFINITY);
        let mut after_bisect = true;
        let mut status = STATUS_UNCONVERGED;
        for _ in 0..self.max_iter {
            if g.abs() <= self.stop * s_stop {
                status = STATUS_RESIDUAL;
                break;
            }
            let wide = if lo.abs() > hi.abs() { lo.abs() } else { hi.abs() };
            if hi - lo <= eps4 * wide {
                status = STATUS_BRACKET;
                break;
            }
            let step = if self.fault == Fault::NewtonSign { -(g / dg) } else { g / dg };
            let mut wn = w - step;
            if wn == w {
                // Stalled below rounding: probe one rounding step towards the root.
                let probe = eps4 * (if w.abs() > zero { w.abs() } else { T::from_f64(f64::MIN_POSITIVE) });
                wn = if g > zero { w - probe } else { w + probe };
            }
            let use_newton = wn > lo && wn < hi && (after_bisect || g.abs() <= half * g_prev);
            let wn = if use_newton { wn } else { half * (lo + hi) };
            if wn <= lo || wn >= hi {
                status = STATUS_BRACKET; // adjacent floats
                break;
            }
            if use_newton {
                newton += 1;
            } else {
                bisect += 1;
            }
            after_bisect = !use_newton;
            match self.eval(v, c, wn) {
                Some((gn, dgn, sn_stop, sn)) => {
                    g_prev = g.abs();
                    (w, g, dg, s_stop, s) = (wn, gn, dgn, sn_stop, sn);
                    if g > zero {
                        hi = w;
                    } else if g < zero {
                        lo = w;
                    } else {
                        status = STATUS_RESIDUAL;
                        break;
                    }
                }
                // Outside dom φ in T: beyond the root, which is strictly inside.
                None => {
                    if wn > w {
                        hi = wn;
                    } else {
                        lo = wn;
                    }
                }
            }
        }
        let residual = if g == zero { zero } else { g.abs() / s };
        Solved { x: v - w, residual, status, newton, bisect }
    }

    /// The convergence threshold STOP_MULT·ε of the residual.
    pub fn stop(&self) -> T {
        self.stop
    }
}
