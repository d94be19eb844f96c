//! `--sweep-lambda`: the largest λ at which formula (13) still holds at a given v — the
//! "λ sufficiently small" of Theorem 4.3, measured.
//!
//! holds(λ) means, at v: the probes of `D3.3` stay above the oracle's e(v) (the inner problem is
//! bounded), the oracle finds a single global minimizer, and (13) agrees with central differences
//! of e to [`CENTRAL_DIFF_REL`]. λ runs over a geometric grid of [`GRID`] points on
//! [λ_min, λ_max]; the first failure is bracketed with the last success and bisected
//! ([`BISECTIONS`] times, in log λ). If every grid point holds, no threshold is found.

use crate::error::VerifyError;
use infconv_theory::roots::{Midpoint, bisect};
use super::d33::{lowest_probe, probe_directions};
use super::t43_gradient13::residual;
use super::t43_lipschitz::spread;
use super::Setup;
use crate::rng;
use crate::tolerance::{CENTRAL_DIFF_REL, D33_BELOW_REL, PROX_UNIQUE_REL};
use infconv_theory::Vector;
use infconv_theory::prox::oracle;

/// Grid points of the sweep.
pub const GRID: usize = 48;
/// Bisection steps once a failure is bracketed.
pub const BISECTIONS: usize = 40;

/// The result of a sweep.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The largest λ found where (13) holds, with the smallest failing λ above it; `None` when
    /// (13) held on the whole range.
    pub threshold: Option<(f64, f64)>,
    /// Why the first failing λ failed.
    pub failure: Option<String>,
    /// The certified λ_f(φ) of the family, for comparison.
    pub certified: f64,
    /// λ values evaluated.
    pub evaluations: usize,
}

/// Whether (13) holds at (λ, v) (module doc); the error says why not.
pub fn formula13_holds(setup: &Setup, lambda: f64, v: &Vector) -> Result<(), String> {
    let mut r = rng::stream(0, &["sweep-probes"]);
    let dirs = probe_directions(setup, v, &mut r);
    let low = lowest_probe(setup, lambda, v, &dirs);
    let o = oracle::global(setup.phi.as_ref(), setup.f.as_ref(), lambda, v).map_err(|e| format!("oracle: {e}"))?;
    if (o.envelope - low) / (1.0 + o.envelope.abs()) > D33_BELOW_REL {
        return Err(format!("the inner problem is unbounded below (probe {low:.3e} < e(v) = {:.3e})", o.envelope));
    }
    if spread(&o) > PROX_UNIQUE_REL {
        return Err(format!("P(v) is multivalued ({} minimizers)", o.minimizers.len()));
    }
    let res = residual(setup, lambda, v, &o)?;
    if res > CENTRAL_DIFF_REL {
        return Err(format!("(13) residual {res:.3e} > {CENTRAL_DIFF_REL:e}"));
    }
    Ok(())
}

/// The sweep over [lambda_min, lambda_max] at v (module doc).
pub fn sweep_lambda(setup: &Setup, v: &Vector, lambda_min: f64, lambda_max: f64) -> Result<Sweep, VerifyError> {
    if !(lambda_min > 0.0 && lambda_max > lambda_min && lambda_max.is_finite()) {
        return Err(VerifyError::Input(format!("invalid λ range [{lambda_min}, {lambda_max}]: expected 0 < λ_min < λ_max < ∞")));
    }
    let certified = setup.threshold();
    let ratio = (lambda_max / lambda_min).ln();
    let mut evaluations = 0;
    let mut last_ok: Option<f64> = None;
    for k in 0..=GRID {
        let lam = lambda_min * (ratio * k as f64 / GRID as f64).exp();
        evaluations += 1;
        if let Err(why) = formula13_holds(setup, lam, v) {
            let Some(lo) = last_ok else {
                return Ok(Sweep { threshold: Some((0.0, lam)), failure: Some(why), certified, evaluations });
            };
            let mut reason = why;
            let (lo, hi) = bisect(lo, lam, BISECTIONS, Midpoint::Geometric, |mid| {
                evaluations += 1;
                formula13_holds(setup, mid, v).map_err(|w| reason = w).is_ok()
            });
            return Ok(Sweep { threshold: Some((lo, hi)), failure: Some(reason), certified, evaluations });
        }
        last_ok = Some(lam);
    }
    Ok(Sweep { threshold: None, failure: None, certified, evaluations })
}
