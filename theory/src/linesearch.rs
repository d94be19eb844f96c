//! Armijo backtracking: the one sufficient-decrease line search of the workbench.
//!
//! Along a descent direction d at x (slope s = ⟨∇f(x), d⟩ < 0), a trial step t is accepted when
//!
//! f(x + t d) ≤ f(x) + c·t·s            (Armijo's sufficient decrease, 0 < c < 1),
//!
//! and otherwise t is multiplied by the shrink factor (½: halving) and tried again, at most
//! `max_trials` times. The caller evaluates the trial point: it may fail, or leave the domain of
//! f (return `None`, which rejects the step like a too-large value), and it hands back whatever it
//! computed there (a gradient, the point) so that nothing is evaluated twice.
//!
//! ```
//! use infconv_theory::linesearch::{Armijo, Search};
//! // f(x) = x², at x = 1 along d = −f′(1) = −2: the slope is −4.
//! let f = |x: f64| x * x;
//! let armijo = Armijo { c: 1e-4, shrink: 0.5, max_trials: 30 };
//! let out = armijo.search(f(1.0), -4.0, 1.0, |t| Ok::<_, ()>(Some((f(1.0 - 2.0 * t), t)))).unwrap();
//! match out {
//!     Search::Accepted { t, value, trials, .. } => {
//!         // t = 1 gives x = −1 (no decrease); t = ½ gives x = 0.
//!         assert_eq!((t, value, trials), (0.5, 0.0, 2));
//!     }
//!     Search::Exhausted { .. } => unreachable!(),
//! }
//! ```

/// The parameters of the search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Armijo {
    /// The sufficient-decrease constant c ∈ (0, 1).
    pub c: f64,
    /// The factor a rejected step is multiplied by, in (0, 1) (½: halving).
    pub shrink: f64,
    /// The most trial steps evaluated (the first included).
    pub max_trials: usize,
}

/// The outcome of one search.
#[derive(Debug, Clone, PartialEq)]
pub enum Search<T> {
    /// A step t met the acceptance test: f(x + t d) = `value`, and what the trial computed there.
    Accepted {
        /// The accepted step.
        t: f64,
        /// f(x + t d).
        value: f64,
        /// What the trial returned with the value.
        payload: T,
        /// Trial steps evaluated.
        trials: usize,
    },
    /// No step among the `trials` evaluated was accepted (t the last one tried).
    Exhausted {
        /// The last step tried.
        t: f64,
        /// Trial steps evaluated.
        trials: usize,
    },
}

impl Armijo {
    /// Whether a value meets Armijo's condition f(x + t d) ≤ f(x) + c·t·s.
    pub fn sufficient(&self, f0: f64, slope: f64, t: f64, value: f64) -> bool {
        value.is_finite() && value <= f0 + self.c * t * slope
    }

    /// Backtracks from `t0` (module doc): `trial(t)` returns f(x + t d) with a payload, `None`
    /// where x + t d is outside the domain or f cannot be evaluated there; an `Err` ends the
    /// search.
    pub fn search<T, E>(&self, f0: f64, slope: f64, t0: f64, trial: impl FnMut(f64) -> Result<Option<(f64, T)>, E>) -> Result<Search<T>, E> {
        self.search_or(f0, slope, t0, trial, |_, _| false)
    }

    /// [`Armijo::search`], also accepting a trial where `also(value, &payload)` holds (a
    /// caller's second test, e.g. a smaller gradient at an equal value near the rounding floor,
    /// where Armijo's test can no longer tell descent apart).
    pub fn search_or<T, E>(
        &self,
        f0: f64,
        slope: f64,
        t0: f64,
        mut trial: impl FnMut(f64) -> Result<Option<(f64, T)>, E>,
        also: impl Fn(f64, &T) -> bool,
    ) -> Result<Search<T>, E> {
        let mut t = t0;
        for k in 0..self.max_trials {
            if let Some((value, payload)) = trial(t)?
                && (self.sufficient(f0, slope, t, value) || (value.is_finite() && also(value, &payload)))
            {
                return Ok(Search::Accepted { t, value, payload, trials: k + 1 });
            }
            if k + 1 < self.max_trials {
                t *= self.shrink;
            }
        }
        Ok(Search::Exhausted { t, trials: self.max_trials })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Armijo = Armijo { c: 0.5, shrink: 0.5, max_trials: 30 };

    #[test]
    fn accepts_the_first_step_with_sufficient_decrease() {
        // f(x) = x⁴/4 at x = 2, d = −f′ = −8, slope −64, c = ½: t = 1, ½, ¼, ⅛ give x = −6, −2,
        // 0, 1 with too little decrease (f = 0 > 4 − 8 at t = ¼); t = 1/16 gives x = 1.5, f ≈ 1.27 ≤ 2.
        let f = |x: f64| x.powi(4) / 4.0;
        let out = A.search(f(2.0), -64.0, 1.0, |t| Ok::<_, ()>(Some((f(2.0 - 8.0 * t), ())))).unwrap();
        let Search::Accepted { t, trials, .. } = out else { panic!("{out:?}") };
        assert_eq!((t, trials), (0.0625, 5));
        assert!(A.sufficient(f(2.0), -64.0, t, f(2.0 - 8.0 * t)));
    }

    #[test]
    fn a_trial_outside_the_domain_is_rejected_not_fatal() {
        // −log(1 − x) at x = 0.5 along d = −f′ = −2: the trial refuses t > 0.2 (say, a domain the
        // caller knows), the first step inside it, t = ⅛, decreases enough.
        let f = |x: f64| -(1.0 - x).ln();
        let out = A
            .search(f(0.5), -4.0, 1.0, |t| Ok::<_, ()>(if t > 0.2 { None } else { Some((f(0.5 - 2.0 * t), ())) }))
            .unwrap();
        let Search::Accepted { t, trials, .. } = out else { panic!("{out:?}") };
        assert_eq!((t, trials), (0.125, 4));
    }

    #[test]
    fn no_descent_exhausts_the_trials() {
        let out = A.search(0.0, -1.0, 1.0, |_| Ok::<_, ()>(Some((1.0, ())))).unwrap();
        assert_eq!(out, Search::Exhausted { t: 0.5f64.powi(29), trials: 30 });
        // The second test can still accept.
        let out = A.search_or(0.0, -1.0, 1.0, |_| Ok::<_, ()>(Some((1.0, 7))), |_, p| *p == 7).unwrap();
        assert!(matches!(out, Search::Accepted { t: 1.0, payload: 7, trials: 1, .. }));
    }

    #[test]
    fn an_error_ends_the_search() {
        let out: Result<Search<()>, &str> = A.search(0.0, -1.0, 1.0, |_| Err("bad"));
        assert_eq!(out, Err("bad"));
    }
}
