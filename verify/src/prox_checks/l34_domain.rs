//! `L3.4-dom`: Lemma 3.4 (i), the domain identity dom e = dom f + dom φ.
//!
//! Where it has content: f with a bounded domain (the indicators of the manifolds `sphere`,
//! `ellipse`, dom f = M) and φ with a bounded, round domain (dom φ the open ball of radius ρ:
//! the radial potentials log, tan, eta-log). Then dom f + dom φ = {v : dist(v, M) < ρ}, computed
//! here independently of the prox solvers: dist(v, M) by a dense sampling of M in m = 2
//! (2·10⁵ points of the parametrization z(θ) = (a₁ cos θ, a₂ sin θ), aᵢ = dᵢ^{−1/2}; its error,
//! ≲ (spacing)²/(2·radius of curvature) ≈ 1e-9, is far inside the band below), ρ the ray
//! boundary of φ (equal along every ray for a round domain, which is checked).
//!
//! Points v = z₀ + sρd (z₀ on M, d a random unit vector, s uniform in [0, 2.5]) are classified
//! inside (dist < (1 − [`L34_DOMAIN_BAND`])ρ) or outside (dist > (1 + band)ρ); the band between is
//! not judged (there the feasible arc of M is thin and the oracle's grid may miss it). Judged:
//! inside, the oracle (λ = ½ < λ_f = ∞) returns a finite e(v) (count of failures); outside, it
//! returns no finite value (count of finite ones).

use super::Setup;
use crate::outcome::{Outcome, Part, Verdict};
use crate::rng::{stream, uniform, unit_direction};
use crate::sampling::ray_boundary;
use crate::tolerance::L34_DOMAIN_BAND;
use infconv_theory::family::Structure;
use infconv_theory::prox::oracle;
use infconv_theory::{TheoryError, Vector};

/// The check id.
pub const ID: &str = "L3.4-dom";
/// Points v per record.
const POINTS: usize = 40;
/// Samples of M for dist(v, M).
const MANIFOLD_SAMPLES: usize = 200_000;
/// λ of the envelope (the indicators have λ_f = ∞).
pub const LAMBDA: f64 = 0.5;
/// Dimension.
const M: usize = 2;

/// The potentials with a round bounded domain among `potentials` (the ray boundary is finite and
/// the same along 8 random rays, to 1e-12 relative).
pub fn round_domain(potentials: &[&'static str]) -> Vec<&'static str> {
    potentials
        .iter()
        .copied()
        .filter(|p| {
            let Ok(phi) = infconv_theory::potential::registry::build(p, M) else { return false };
            let mut rng = stream(0, &[ID, p]);
            let t: Vec<f64> = (0..8).map(|_| ray_boundary(phi.as_ref(), &unit_direction(&mut rng, M))).collect();
            t.iter().all(|x| x.is_finite() && (x - t[0]).abs() <= 1e-12 * t[0])
        })
        .collect()
}

/// The families with a bounded domain that `L3.4-dom` runs on.
pub const FAMILIES: &[&str] = &["sphere", "ellipse"];

/// The expected verdict: the identity holds for every pair it runs on.
pub fn expected() -> Verdict {
    Verdict::Holds
}

/// Runs `L3.4-dom` on a registered pair.
pub fn check(potential: &str, family_name: &str, seed: u64) -> Outcome {
    match Setup::new(potential, family_name, M, seed) {
        Ok(s) => measure(&s, seed),
        Err(e) => crate::checks::failed(format!("could not build {potential} × {family_name}: {e}")),
    }
}

fn semi_axes(setup: &Setup) -> Result<Vec<f64>, TheoryError> {
    match setup.f.structure() {
        Structure::Ellipsoid(d) if d.len() == M && d.iter().all(|x| *x > 0.0) => Ok(d.iter().map(|x| 1.0 / x.sqrt()).collect()),
        _ => Err(TheoryError::InvalidParameter { name: "family", value: setup.f.name(), expected: "an ellipsoid surface in m = 2" }),
    }
}

/// Measures the domain identity on `setup` (φ round, f an ellipsoid surface in m = 2), with
/// e(v) from the global oracle.
pub fn measure(setup: &Setup, seed: u64) -> Outcome {
    let finite = |v: &Vector| {
        oracle::global(setup.phi.as_ref(), setup.f.as_ref(), LAMBDA, v).map(|o| o.envelope.is_finite() && !o.minimizers.is_empty()).unwrap_or(false)
    };
    measure_with(setup, seed, &finite)
}

/// Measures the domain identity on `setup` with `finite(v)` saying whether a prox evaluator
/// finds e(v) finite (with λ = [`LAMBDA`]): the oracle in [`measure`], another evaluator in a
/// test.
pub fn measure_with(setup: &Setup, seed: u64, finite: &dyn Fn(&Vector) -> bool) -> Outcome {
    let ax = match semi_axes(setup) {
        Ok(ax) => ax,
        Err(e) => return crate::checks::failed(e.to_string()),
    };
    let phi = setup.phi.as_ref();
    let mut rng = stream(seed, &[ID, &phi.name(), &setup.f.name()]);
    let rho = ray_boundary(phi, &unit_direction(&mut rng, M));
    if !rho.is_finite() {
        return crate::checks::failed(format!("{}: dom φ is not bounded", phi.name()));
    }
    let point = |th: f64| Vector::from_vec(vec![ax[0] * th.cos(), ax[1] * th.sin()]);
    let samples: Vec<Vector> = (0..MANIFOLD_SAMPLES).map(|k| point(std::f64::consts::TAU * k as f64 / MANIFOLD_SAMPLES as f64)).collect();
    let dist = |v: &Vector| samples.iter().map(|z| (v - z).norm()).fold(f64::INFINITY, f64::min);
    let (mut inside, mut outside, mut bad_in, mut bad_out) = (0usize, 0usize, Vec::new(), Vec::new());
    for _ in 0..POINTS {
        let z0 = point(uniform(&mut rng, 0.0, std::f64::consts::TAU));
        let v = &z0 + unit_direction(&mut rng, M) * (uniform(&mut rng, 0.0, 2.5) * rho);
        let dv = dist(&v);
        let finite = finite(&v);
        let at = || format!("v = {:?}, dist(v, M)/ρ = {:.4}", v.as_slice(), dv / rho);
        if dv < (1.0 - L34_DOMAIN_BAND) * rho {
            inside += 1;
            if !finite {
                bad_in.push(at());
            }
        } else if dv > (1.0 + L34_DOMAIN_BAND) * rho {
            outside += 1;
            if finite {
                bad_out.push(at());
            }
        }
    }
    let first = |b: &Vec<String>| b.first().cloned().unwrap_or_default();
    let parts = vec![
        Part::upper("(i) e(v) not finite for v ∈ dom f + dom φ (count)", bad_in.len() as f64, 0.0, inside, first(&bad_in)),
        Part::upper("(i) e(v) finite for v ∉ dom f + dom φ (count)", bad_out.len() as f64, 0.0, outside, first(&bad_out)),
    ];
    Outcome::from_parts(parts, &format!("ρ = {rho:.6e}, semi-axes {:?}: {inside} points inside, {outside} outside (band ±{L34_DOMAIN_BAND}ρ not judged)", ax))
}
