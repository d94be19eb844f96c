//! `L3.4`: Lemma 3.4 for λ ∈ (0, λ_f): (i) P(v) ≠ ∅ and bounded; (ii) e continuous; (iii) for
//! vₖ → v̄ every cluster point of zₖ ∈ P(vₖ) lies in P(v̄).
//!
//! Measured with the oracle at v̄ and at vₖ = v̄ + δd, δ = 1e-6(1 + ‖v̄‖): (i) the oracle returns
//! at least one finite minimizer (a failure to, or an unbounded problem, counts 1); (ii)
//! |e(vₖ) − e(v̄)|/(1 + |e(v̄)|) ≤ [`L34_CONTINUITY_REL`]; (iii) dist(zₖ, P(v̄))/(1 + ‖zₖ‖) ≤
//! [`L34_CLUSTER_REL`] for every zₖ ∈ P(vₖ).

use super::{Case, Setup, at};
use crate::outcome::{Outcome, Part};
use crate::rng;
use crate::tolerance::{L34_CLUSTER_REL, L34_CONTINUITY_REL};
use infconv_theory::prox::oracle;
use rand_chacha::ChaCha8Rng;

/// The measurement of L3.4 on the cases.
pub fn measure(setup: &Setup, cases: &[Case], rng: &mut ChaCha8Rng) -> Outcome {
    let (phi, f) = (setup.phi.as_ref(), setup.f.as_ref());
    let (mut empty, mut cont, mut clus) = (0usize, 0.0f64, 0.0f64);
    let (mut d_empty, mut d_cont, mut d_clus) = (String::new(), String::new(), String::new());
    for c in cases {
        let o = match oracle::global(phi, f, c.lambda, &c.v) {
            Ok(o) if !o.minimizers.is_empty() && o.minimizers.iter().all(|z| z.iter().all(|x| x.is_finite())) => o,
            Ok(_) => {
                empty += 1;
                d_empty = format!("{}: no minimizer", at(c));
                continue;
            }
            Err(e) => {
                empty += 1;
                d_empty = format!("{}: {e}", at(c));
                continue;
            }
        };
        let d = rng::unit_direction(rng, c.v.len());
        let vk = &c.v + d * (1e-6 * (1.0 + c.v.norm()));
        match oracle::global(phi, f, c.lambda, &vk) {
            Ok(ok) => {
                let r = (ok.envelope - o.envelope).abs() / (1.0 + o.envelope.abs());
                if r >= cont {
                    cont = r;
                    d_cont = at(c);
                }
                for zk in &ok.minimizers {
                    let dist = o.minimizers.iter().map(|z| (z - zk).norm()).fold(f64::INFINITY, f64::min) / (1.0 + zk.norm());
                    if dist >= clus {
                        clus = dist;
                        d_clus = at(c);
                    }
                }
            }
            Err(e) => {
                empty += 1;
                d_empty = format!("v + δd for {}: {e}", at(c));
            }
        }
    }
    Outcome::from_parts(
        vec![
            Part::upper("(i) P(v) empty or unbounded (count)", empty as f64, 0.0, cases.len(), d_empty),
            Part::upper("(ii) continuity of e", cont, L34_CONTINUITY_REL, cases.len(), d_cont),
            Part::upper("(iii) cluster points in P(v)", clus, L34_CLUSTER_REL, cases.len(), d_clus),
        ],
        "",
    )
}
