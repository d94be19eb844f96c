//! Safeguarded Newton–bisection for increasing scalar equations g(r) = target, and [`bisect`],
//! plain bisection on a monotone test.
//!
//! Used for the radial and per-coordinate inverses ∇φ* where no closed form exists (tan, tan-sep,
//! and any user potential built on a profile): Newton steps inside a bracket, with a bisection
//! step whenever Newton would leave the bracket or would not halve the previous step (the
//! safeguard of `rtsafe`, Press et al., *Numerical Recipes*, §9.4), so that every second step at
//! least halves the bracket or, where it spans scales, its ratio b/a.

use crate::TheoryError;

/// Maximum number of iterations of [`increasing_root`].
pub const MAX_ITERATIONS: usize = 400;

/// Solves `g(r) = target` for `r ∈ [lo, hi)` where `g` is increasing; `eval(r)` returns
/// `(g(r), g'(r))`. `hi` may be `+∞` (the bracket is then found by doubling) or the open end of a
/// bounded domain (where `g` may be `+∞`). Fails with [`TheoryError::NoPreimage`] when `target`
/// lies above every value of `g` that can be reached.
pub fn increasing_root(
    eval: impl Fn(f64) -> (f64, f64),
    target: f64,
    lo: f64,
    hi: f64,
) -> Result<f64, TheoryError> {
    if !target.is_finite() {
        return Err(TheoryError::NonFinite { what: "root target" });
    }
    let (g_lo, _) = eval(lo);
    if g_lo >= target {
        return Ok(lo);
    }
    let (mut a, mut b) = (lo, hi);
    if !hi.is_finite() {
        // Bracket by doubling.
        let mut t = if lo > 0.0 { 2.0 * lo } else { 1.0 };
        loop {
            let (gt, _) = eval(t);
            if gt >= target {
                b = t;
                break;
            }
            a = t;
            t *= 2.0;
            if t > 1e300 {
                return Err(TheoryError::NoPreimage {
                    norm_y: target.abs(),
                    reason: "the radial derivative never reaches this value (∇φ is not onto)",
                });
            }
        }
    }
    // Invariant: g(a) < target ≤ g(b) (g(b) may be +∞ at an open end of the domain).
    let mut r = 0.5 * (a + b);
    let mut last_step = b - a;
    let mut drop = 1;
    for _ in 0..MAX_ITERATIONS {
        let (g, dg) = eval(r);
        if g.is_nan() {
            return Err(TheoryError::NonFinite { what: "the increasing function of a root solve" });
        }
        let res = g - target;
        if res.abs() <= 4.0 * f64::EPSILON * target.abs().max(f64::MIN_POSITIVE) {
            return Ok(r);
        }
        if res < 0.0 { a = r } else { b = r }
        // The bracket at the f64 resolution of b (or of the smallest normal number, for a root
        // among the subnormals) is a solution.
        if b - a <= 2.0 * f64::EPSILON * b.abs().max(f64::MIN_POSITIVE) {
            return Ok(if res < 0.0 { b.min(hi_below(hi, b)) } else { r });
        }
        let newton = if dg.is_finite() && dg > 0.0 && g.is_finite() { r - res / dg } else { f64::NAN };
        let next = if newton > a && newton < b && (newton - r).abs() <= 0.5 * last_step {
            newton
        } else {
            split(a, b, &mut drop)
        };
        last_step = (next - r).abs();
        r = next;
    }
    let (g, _) = eval(r);
    Err(TheoryError::NotConverged { solver: "increasing_root", iterations: MAX_ITERATIONS, residual: (g - target).abs() })
}

/// The bisection point of a bracket [a, b] of [`increasing_root`]: geometric where the bracket
/// spans scales (b > 4a > 0); from a = 0, b·2⁻ᵏ with k = 1, 2, 4, 8, … doubling at each split that
/// still lands above the root (a stays 0), so that a root 10⁻³⁰⁰ below the bracket is bracketed
/// within about ten splits instead of a thousand halvings; arithmetic otherwise.
fn split(a: f64, b: f64, drop: &mut i32) -> f64 {
    let mid = if a > 0.0 && b > 4.0 * a {
        a.sqrt() * b.sqrt()
    } else if a == 0.0 && b > 0.0 {
        let m = (b * 2f64.powi(-*drop)).max(f64::from_bits(1));
        *drop = (*drop * 2).min(2048);
        m
    } else {
        0.5 * (a + b)
    };
    if mid > a && mid < b { mid } else { 0.5 * (a + b) }
}

/// Where [`bisect`] splits a bracket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Midpoint {
    /// (lo + hi)/2: positions on a line.
    Arithmetic,
    /// √(lo·hi): scales such as λ (both ends > 0).
    Geometric,
}

/// Bisection on a monotone test: given `below(lo)` true and `below(hi)` false, shrinks
/// [lo, hi] keeping that invariant until the midpoint is no longer strictly inside (the f64
/// resolution of the bracket) or after `max_steps` splits; returns the final (lo, hi).
///
/// The one bisection of the workspace: the domain probe of dual-number potentials, the
/// piecewise minimization of separable nonsmooth φ-prox, and the λ sweep of formula (13).
///
/// ```
/// use infconv_theory::roots::{Midpoint, bisect};
/// // The boundary of {t : t² < 2}.
/// let (lo, hi) = bisect(0.0, 2.0, 200, Midpoint::Arithmetic, |t| t * t < 2.0);
/// assert!(lo * lo < 2.0 && hi * hi >= 2.0 && hi - lo <= 4.0 * f64::EPSILON);
/// ```
pub fn bisect(mut lo: f64, mut hi: f64, max_steps: usize, midpoint: Midpoint, mut below: impl FnMut(f64) -> bool) -> (f64, f64) {
    for _ in 0..max_steps {
        let mid = match midpoint {
            Midpoint::Arithmetic => 0.5 * (lo + hi),
            Midpoint::Geometric => (lo * hi).sqrt(),
        };
        if !(mid > lo && mid < hi) {
            break;
        }
        if below(mid) { lo = mid } else { hi = mid }
    }
    (lo, hi)
}

fn hi_below(hi: f64, b: f64) -> f64 {
    if b < hi { b } else { b * (1.0 - f64::EPSILON) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_cubic_on_an_unbounded_bracket() {
        let r = increasing_root(|r| (r * r * r, 3.0 * r * r), 27.0, 0.0, f64::INFINITY).unwrap();
        assert!((r - 3.0).abs() <= 1e-14 * 3.0, "r = {r}");
    }

    #[test]
    fn solves_near_an_open_end() {
        // g(r) = r / (1 - r) on [0, 1): g = 1e12 at r = 1 - 1/(1e12 + 1).
        let g = |r: f64| (r / (1.0 - r), 1.0 / ((1.0 - r) * (1.0 - r)));
        let r = increasing_root(g, 1e12, 0.0, 1.0).unwrap();
        let expect = 1e12 / (1e12 + 1.0);
        assert!((r - expect).abs() <= 4.0 * f64::EPSILON, "r = {r}, expected {expect}");
    }

    #[test]
    fn bisection_stops_at_the_resolution_and_at_its_cap() {
        let (lo, hi) = bisect(1.0, 1e6, 500, Midpoint::Geometric, |t| t < 1234.5);
        assert!(lo < 1234.5 && hi >= 1234.5 && hi - lo <= 4.0 * f64::EPSILON * hi, "[{lo}, {hi}]");
        let (lo, hi) = bisect(0.0, 1.0, 3, Midpoint::Arithmetic, |t| t < 0.3);
        assert_eq!((lo, hi), (0.25, 0.375));
        // A NaN midpoint (an infinite end) ends the bisection instead of looping.
        let (lo, hi) = bisect(0.0, f64::INFINITY, 10, Midpoint::Geometric, |_| true);
        assert_eq!((lo, hi), (0.0, f64::INFINITY));
    }

    #[test]
    fn reports_a_value_that_is_never_reached() {
        // g(r) = 2r/(1+r²) is bounded by 1: log1p-sq's radial derivative.
        let g = |r: f64| (2.0 * r / (1.0 + r * r), 2.0 * (1.0 - r * r) / ((1.0 + r * r) * (1.0 + r * r)));
        let err = increasing_root(g, 2.0, 0.0, f64::INFINITY).unwrap_err();
        assert!(matches!(err, TheoryError::NoPreimage { .. }), "{err:?}");
    }

    /// g(lo) ≥ target answers lo itself; a target that is not finite is an error; with lo > 0
    /// the doubling starts from 2·lo and still finds a root far above it.
    #[test]
    fn ends_and_brackets() {
        let cube = |r: f64| (r * r * r, 3.0 * r * r);
        assert_eq!(increasing_root(cube, 8.0, 2.0, f64::INFINITY).unwrap(), 2.0);
        assert_eq!(increasing_root(cube, -1.0, 2.0, 5.0).unwrap(), 2.0);
        for t in [f64::NAN, f64::INFINITY] {
            assert!(matches!(increasing_root(cube, t, 0.0, 1.0), Err(TheoryError::NonFinite { .. })), "target {t}");
        }
        let r = increasing_root(cube, 1e6, 5.0, f64::INFINITY).unwrap();
        assert!((r - 100.0).abs() <= 1e-13 * 100.0, "r = {r}");
        let r = increasing_root(cube, 0.125, 0.0, 10.0).unwrap();
        assert!((r - 0.5).abs() <= 1e-15, "r = {r}");
    }

    /// Without a usable derivative (NaN, or 0) the bisection alone reaches the root to the last
    /// bits; where g jumps over the target (a step at 2) the answer is the jump's right end, where
    /// g ≥ target.
    #[test]
    fn bisection_alone_reaches_the_root() {
        let r = increasing_root(|r: f64| (r * r * r, f64::NAN), 27.0, 0.0, f64::INFINITY).unwrap();
        assert!((r - 3.0).abs() <= 8.0 * f64::EPSILON * 3.0, "r = {r}");
        let r = increasing_root(|r: f64| (r.powi(5), 0.0), 32.0, 0.0, 7.0).unwrap();
        assert!((r - 2.0).abs() <= 8.0 * f64::EPSILON * 2.0, "r = {r}");
        let step = |r: f64| (if r < 2.0 { 0.0 } else { 1.0 }, 0.0);
        let r = increasing_root(step, 0.5, 0.0, 10.0).unwrap();
        assert!(step(r).0 >= 0.5 && r <= 2.0 * (1.0 + 4.0 * f64::EPSILON), "r = {r}");
    }

    /// A Newton step that would leave the bracket is replaced by bisection: g(r) = r − 1/r² has a
    /// derivative that sends Newton from small r past the root 1 (g(1) = 0).
    #[test]
    fn newton_steps_stay_in_the_bracket() {
        let g = |r: f64| (r - 1.0 / (r * r), 1.0 + 2.0 / (r * r * r));
        let r = increasing_root(g, 0.0, 1e-3, 1e3).unwrap();
        assert!((r - 1.0).abs() <= 4.0 * f64::EPSILON, "r = {r}");
    }

    /// A derivative that overstates the slope by 1e12 makes every Newton step tiny yet inside the
    /// bracket: the safeguard then bisects (a step that does not halve the previous one), and the
    /// root is found to the last bits instead of crawling towards it.
    #[test]
    fn an_overstated_slope_does_not_stall_the_solve() {
        let r = increasing_root(|r: f64| (r - 1.0, 1e12), 0.0, 0.0, 10.0).unwrap();
        assert!((r - 1.0).abs() <= 4.0 * f64::EPSILON, "r = {r}");
        let r = increasing_root(|r: f64| (r, 1e12), 1.3e-10, 0.0, 2e-10).unwrap();
        assert!((r - 1.3e-10).abs() <= 4.0 * f64::EPSILON * 1.3e-10, "r = {r:e}");
    }

    /// A NaN value of g is an error, not a root: without the test the bracket closes on a point
    /// where g is NaN and returns it.
    #[test]
    fn a_nan_value_is_an_error() {
        let g = |r: f64| (if r > 0.25 { f64::NAN } else { r }, 1.0);
        assert!(matches!(increasing_root(g, 0.5, 0.0, 1.0), Err(TheoryError::NonFinite { .. })));
    }

    /// Bisection alone (no usable derivative) reaches roots far below the bracket: 10⁻³⁰⁰, and
    /// 10⁻³¹⁰ among the subnormal numbers, to the resolution of f64 there.
    #[test]
    fn bisection_alone_reaches_a_root_far_below() {
        for target in [1e-300, 1e-200, 1e-20] {
            let r = increasing_root(|r: f64| (r, f64::NAN), target, 0.0, 1.0).unwrap();
            assert!((r - target).abs() <= 8.0 * f64::EPSILON * target, "target {target:e}: r = {r:e}");
        }
        let r = increasing_root(|r: f64| (r, f64::NAN), 1e-310, 0.0, 1.0).unwrap();
        assert!((r - 1e-310).abs() <= 4.0 * f64::EPSILON * f64::MIN_POSITIVE, "r = {r:e}");
    }

    /// A flat g (r³, the radial derivative of a quartic) has Newton converge only linearly
    /// towards a tiny root (each step 2/3 of the last); the bisection steps in between keep the
    /// solve within MAX_ITERATIONS: the root 10⁻¹⁰⁰ of r³ = 10⁻³⁰⁰.
    #[test]
    fn a_flat_function_reaches_a_tiny_root() {
        for target in [1e-300, 1e-150, 1e-30] {
            let r = increasing_root(|r: f64| (r * r * r, 3.0 * r * r), target, 0.0, f64::INFINITY).unwrap();
            assert!((r * r * r - target).abs() <= 16.0 * f64::EPSILON * target, "target {target:e}: r = {r:e}");
        }
    }

    /// g(r) = 2r + r³ and g′: tan's radial derivative near 0 up to its r³ term, convex.
    fn tan_like(r: f64) -> (f64, f64) {
        (2.0 * r + r * r * r, 2.0 + 3.0 * r * r)
    }

    /// Newton from the right end of a convex g reaches a root hundreds of orders of magnitude
    /// below the bracket in a few steps (g(r) = 2r + r³, tan's radial derivative near 0 up to
    /// its r³ term): to the last bits, where bisection alone (400 halvings of [0, 1] end near
    /// 4e-121) and a stop on an absolute bracket width (a 2ε wide bracket at 1e-10) would not.
    #[test]
    fn newton_reaches_a_root_far_below_the_bracket() {
        let g = tan_like;
        for target in [1e-300, 1e-250, 1e-100, 1e-20, 1e-8] {
            let r = increasing_root(g, target, 0.0, 1.0).unwrap();
            assert!((g(r).0 - target).abs() <= 4.0 * f64::EPSILON * target, "target {target:e}: r = {r:e}");
        }
    }

    /// How many evaluations of g a solve takes.
    fn evaluations(g: impl Fn(f64) -> (f64, f64), target: f64, lo: f64, hi: f64) -> (Result<f64, TheoryError>, usize) {
        let count = std::cell::Cell::new(0);
        let r = increasing_root(
            |r| {
                count.set(count.get() + 1);
                g(r)
            },
            target,
            lo,
            hi,
        );
        (r, count.get())
    }

    /// The safeguards cost little, and the counts are the contract: Newton from the right on a
    /// convex g converges quadratically, so a root 10⁻³⁰⁰ below a unit bracket takes 16
    /// evaluations (measured, the most over these targets); without a usable derivative the
    /// galloping from 0 and the geometric splits bracket 10⁻³⁰⁰ within about twenty evaluations
    /// and the arithmetic halving ends 53 later (measured: at most 68 from 0, 61 from
    /// lo = 10⁻³⁰⁰/2). The bounds leave 10 % for rounding-level changes of the path; a solve
    /// whose Newton steps are refused, whose gallop only adds to its exponent, or whose splits
    /// only halve takes from 90 to several hundred and fails them.
    #[test]
    fn solves_take_few_evaluations() {
        for target in [1e-300, 1e-100, 1e-8, 0.3, 2.9] {
            let (r, n) = evaluations(tan_like, target, 0.0, 1.0);
            assert!(r.is_ok() && n <= 18, "Newton, target {target:e}: {n} evaluations, {r:?}");
        }
        let no_slope = |r: f64| (r, f64::NAN);
        for target in [1e-300, 1e-150, 1e-8, 0.3] {
            let (r, n) = evaluations(no_slope, target, 0.0, 1.0);
            assert!(r.is_ok() && n <= 75, "bisection from 0, target {target:e}: {n} evaluations, {r:?}");
            let (r, n) = evaluations(no_slope, target, 1e-300 * 0.5, 1.0);
            assert!(r.is_ok() && n <= 67, "bisection from 1e-300/2, target {target:e}: {n} evaluations, {r:?}");
        }
    }
}
