//! `T4.3-formula12`: P(v) = (I + ∇φ*∘λT)⁻¹(v), formula (12).
//!
//! Per case, at every global minimizer z the oracle returns: y = ∇φ(v − z)/λ must lie in ∂f(z),
//! i.e. v − z = ∇φ*(λy) with y ∈ T(z): dist(y, ∂f(z))/max(‖y‖, 1) ≤ [`FORMULA12_REL`]; for C² f
//! also the resolvent itself through ∇φ*: ‖(v − z) − ∇φ*(λ∇f(z))‖/(1 + ‖v − z‖) ≤
//! [`FORMULA12_REL`]. The inverse in (12) is single-valued, so P must be too: the spread of the
//! minimizers ≤ [`PROX_UNIQUE_REL`] (for −|z| at v = 0, (I + ∇φ*∘λ∂f)⁻¹(0) = {±z*}).

use super::t43_lipschitz::spread;
use super::{Case, Setup, at, below_threshold, not_applicable};
use crate::outcome::{Outcome, Part};
use crate::tolerance::{FORMULA12_REL, PROX_UNIQUE_REL};
use infconv_theory::family::Structure;
use infconv_theory::prox::oracle;

/// The measurement of (12) on the cases.
pub fn measure(setup: &Setup, cases: &[Case]) -> Outcome {
    let (phi, f) = (setup.phi.as_ref(), setup.f.as_ref());
    let cases: Vec<&Case> = cases.iter().filter(|c| below_threshold(setup, c)).collect();
    if cases.is_empty() {
        return not_applicable("λ ≥ λ_f on every case: Theorem 4.3 needs λ < λ_f");
    }
    let smooth = matches!(f.structure(), Structure::Smooth);
    let (mut uniq, mut member, mut resolvent, mut failures) = (0.0f64, 0.0f64, 0.0f64, 0usize);
    let (mut d_u, mut d_m, mut d_r, mut d_f) = (String::new(), String::new(), String::new(), String::new());
    for c in &cases {
        let o = match oracle::global(phi, f, c.lambda, &c.v) {
            Ok(o) => o,
            Err(e) => {
                failures += 1;
                d_f = format!("{}: {e}", at(c));
                continue;
            }
        };
        let s = spread(&o);
        if s >= uniq {
            uniq = s;
            d_u = format!("{} ({} minimizers)", at(c), o.minimizers.len());
        }
        for z in &o.minimizers {
            let w = &c.v - z;
            let y = match phi.gradient(&w) {
                Ok(g) => g / c.lambda,
                Err(e) => {
                    failures += 1;
                    d_f = format!("{}: {e}", at(c));
                    continue;
                }
            };
            match f.subdifferential_distance(z, &y) {
                Ok(dist) => {
                    let r = dist / y.norm().max(1.0);
                    if r >= member {
                        member = r;
                        d_m = at(c);
                    }
                }
                Err(e) => {
                    failures += 1;
                    d_f = format!("{}: {e}", at(c));
                }
            }
            if smooth {
                let res = f.subgradient(z).and_then(|g| phi.conjugate_gradient(&(g * c.lambda)));
                match res {
                    Ok(w2) => {
                        let r = (&w - w2).norm() / (1.0 + w.norm());
                        if r >= resolvent {
                            resolvent = r;
                            d_r = at(c);
                        }
                    }
                    Err(e) => {
                        failures += 1;
                        d_f = format!("{}: ∇φ*: {e}", at(c));
                    }
                }
            }
        }
    }
    let mut parts = vec![
        Part::upper("single-valued inverse (spread of P(v))", uniq, PROX_UNIQUE_REL, cases.len(), d_u),
        Part::upper("∇φ(v − z)/λ ∈ ∂f(z)", member, FORMULA12_REL, cases.len(), d_m),
        Part::upper("solver failures (count)", failures as f64, 0.0, cases.len(), d_f),
    ];
    if smooth {
        parts.push(Part::upper("v − z = ∇φ*(λ∇f(z))", resolvent, FORMULA12_REL, cases.len(), d_r));
    }
    Outcome::from_parts(parts, "")
}
