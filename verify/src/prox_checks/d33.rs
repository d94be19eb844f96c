//! `D3.3`: φ-prox-boundedness (Definition 3.3). For λ below the family's threshold λ_f the bound
//! (10), e(v) ≥ β near v̄, must hold; above a finite threshold it must fail.
//!
//! Measured per case, independently of the threshold certificate: β is the oracle's e at v̄ and
//! two nearby points (when the oracle cannot bound the problem, F(v) = f(v)); then the inner
//! objective F(z) = f(z) + φ(v − z)/λ is probed along rays z = v − t d (t = 0.01·2ᵏ, k ≤ 45, while
//! t d ∈ dom φ) in the coordinate directions, 16 random directions and the eigenvectors of ∇²f(v)
//! where f is C². The residual is how far the lowest probe falls below β, relative to 1 + |β|:
//! ≤ [`D33_BELOW_REL`] when e(v) is a true lower bound, ~10²⁰ when F is unbounded below.

use super::{Case, Setup, at};
use crate::outcome::{Outcome, Part};
use crate::rng;
use crate::tolerance::D33_BELOW_REL;
use infconv_theory::prox::{inner_objective, oracle};
use infconv_theory::Vector;
use rand_chacha::ChaCha8Rng;

/// The probing directions at v (module doc).
pub fn probe_directions(setup: &Setup, v: &Vector, rng: &mut ChaCha8Rng) -> Vec<Vector> {
    let m = v.len();
    let mut dirs = Vec::new();
    for i in 0..m {
        let mut e = Vector::zeros(m);
        e[i] = 1.0;
        dirs.push(-&e);
        dirs.push(e);
    }
    for _ in 0..16 {
        dirs.push(rng::unit_direction(rng, m));
    }
    if let Some(Ok(h)) = setup.f.hessian(v) {
        let eig = nalgebra::SymmetricEigen::new((&h + h.transpose()) * 0.5);
        for k in 0..m {
            let u = eig.eigenvectors.column(k).into_owned();
            dirs.push(-&u);
            dirs.push(u);
        }
    }
    dirs
}

/// The lowest probe value of F along the rays from v (module doc).
pub fn lowest_probe(setup: &Setup, lambda: f64, v: &Vector, dirs: &[Vector]) -> f64 {
    let mut low = f64::INFINITY;
    for d in dirs {
        for k in 0..46 {
            let t = 0.01 * 2f64.powi(k);
            let w = d * t;
            if !setup.phi.contains(&w) {
                break;
            }
            let z = v - &w;
            if let Ok(x) = inner_objective(setup.phi.as_ref(), setup.f.as_ref(), lambda, v, &z)
                && x < low
            {
                low = x;
            }
        }
    }
    low
}

/// The measurement of D3.3 on the cases.
pub fn measure(setup: &Setup, cases: &[Case], rng: &mut ChaCha8Rng) -> Outcome {
    let (phi, f) = (setup.phi.as_ref(), setup.f.as_ref());
    let mut worst = 0.0f64;
    let mut detail = String::new();
    let mut unbounded = 0;
    for c in cases {
        let m = c.v.len();
        let mut pts = vec![c.v.clone()];
        for _ in 0..2 {
            pts.push(&c.v + rng::unit_direction(rng, m) * (1e-3 * (1.0 + c.v.norm())));
        }
        for v in &pts {
            let beta = match oracle::global(phi, f, c.lambda, v) {
                Ok(o) => o.envelope,
                Err(_) => {
                    unbounded += 1;
                    f.value(v).unwrap_or(0.0)
                }
            };
            let dirs = probe_directions(setup, v, rng);
            let low = lowest_probe(setup, c.lambda, v, &dirs);
            let r = ((beta - low) / (1.0 + beta.abs())).max(0.0);
            if r > worst || detail.is_empty() {
                worst = worst.max(r);
                detail = format!("{} (lowest probe {low:.3e}, β = {beta:.3e})", at(c));
            }
        }
    }
    Outcome::from_parts(
        vec![Part::upper("probe below e(v)", worst, D33_BELOW_REL, cases.len(), detail)],
        &format!("λ_f = {:.4e}; the oracle found no lower bound at {unbounded} points", setup.threshold()),
    )
}
