//! `L3.4`: Lemma 3.4 for λ ∈ (0, λ_f): (i) P(v) ≠ ∅ and bounded; (ii) e continuous; (iii) for
//! vₖ → v̄ every cluster point of zₖ ∈ P(vₖ) lies in P(v̄).
//!
//! Measured with the oracle at v̄ and at vₖ = v̄ + δd, δ = 1e-6(1 + ‖v̄‖): (i) the oracle returns
//! at least one finite minimizer (a failure to, or an unbounded problem, counts 1); (ii)
//! |e(vₖ) − e(v̄)|/(1 + |e(v̄)|) ≤ [`L34_CONTINUITY_REL`]; (iii) dist(zₖ, P(v̄))/(1 + ‖zₖ‖) ≤
//! [`L34_CLUSTER_REL`] for every zₖ ∈ P(vₖ).

use super::{Case, Failures, Setup, Tracked, at};
use crate::outcome::Outcome;
use crate::rng;
use crate::tolerance::{L34_CLUSTER_REL, L34_CONTINUITY_REL};
use infconv_theory::prox::oracle;
use rand_chacha::ChaCha8Rng;

/// The measurement of L3.4 on the cases.
pub fn measure(setup: &Setup, cases: &[Case], rng: &mut ChaCha8Rng) -> Outcome {
    let (phi, f) = (setup.phi.as_ref(), setup.f.as_ref());
    let (mut empty, mut cont, mut clus) = (Failures::default(), Tracked::default(), Tracked::default());
    for c in cases {
        let Some(o) = empty.oracle(setup, c) else { continue };
        if o.minimizers.is_empty() || !o.minimizers.iter().all(|z| z.iter().all(|x| x.is_finite())) {
            empty.add(c, "no minimizer");
            continue;
        }
        let d = rng::unit_direction(rng, c.v.len());
        let vk = &c.v + d * (1e-6 * (1.0 + c.v.norm()));
        match oracle::global(phi, f, c.lambda, &vk) {
            Ok(ok) => {
                cont.see((ok.envelope - o.envelope).abs() / (1.0 + o.envelope.abs()), || at(c));
                for zk in &ok.minimizers {
                    let dist = o.minimizers.iter().map(|z| (z - zk).norm()).fold(f64::INFINITY, f64::min) / (1.0 + zk.norm());
                    clus.see(dist, || at(c));
                }
            }
            Err(e) => empty.add(c, format!("at v + δd: {e}")),
        }
    }
    Outcome::from_parts(
        vec![
            empty.part("(i) P(v) empty or unbounded (count)", cases.len()),
            cont.upper("(ii) continuity of e", L34_CONTINUITY_REL, cases.len()),
            clus.upper("(iii) cluster points in P(v)", L34_CLUSTER_REL, cases.len()),
        ],
        "",
    )
}
