//! `D4.2-(11)`: prox-regularity (Definition 4.2), inequality (11), measured per family.
//!
//! For a family f with a declared weak-convexity modulus r_f (`Family::weak_convexity_modulus`,
//! f + r_f‖·‖²/2 convex, hence (11) with r = r_f at every z̄), pairs z, z′ near z̄ and
//! y ∈ ∂f(z) (the family's `subgradient`, the element of least norm at a kink) give
//!
//!   r(z, z′, y) = 2 (f(z) + ⟨y, z′ − z⟩ − f(z′)) / ‖z′ − z‖²,
//!
//! the smallest r for which (11) holds at that pair. The measured modulus is the largest r over
//! the pairs, less the rounding of the numerator ([`R11_ROUNDING`] times its scale, divided by
//! ‖z′ − z‖²/2). Judged:
//! - measured/declared ≤ 1 + [`R11_REL`] (families with a declared modulus);
//! - r bounded as z′ → z: along a ladder ‖z′ − z‖ = 10^{−k/2}, k = 2 … 8, the running maximum of
//!   max(r, 0) must not diverge (growth ratio < [`GROWTH_RATIO_MIN`], the divergence test of the `A2`
//!   check). A concave kink (−|t| at 0 for y = −1, z′ on the other side) gives r = 4/‖z′ − z‖:
//!   the controls `neg-abs` and `neg-l1` (not prox-regular at 0) are flagged by it.
//!
//! The points z̄ include 0 (the kinks of the ℓ1, MCP and −|·| terms) and random points; z is z̄
//! itself or z̄ moved by 1e-3; the directions include the coordinate axes (across each kink).
//! Families that are indicators of manifolds (`sphere`, `ellipse`) declare no modulus (their r in
//! (11) depends on ‖y‖): not applicable.

use crate::divergence::growth_ratio;
use crate::outcome::{Outcome, Part, Verdict};
use crate::rng::{normal, stream, unit_direction};
use crate::tolerance::{EPS, GROWTH_RATIO_MIN, R11_REL, R11_ROUNDING};
use infconv_theory::family::registry::{self, FamilyHypothesis};
use infconv_theory::family::Family;
use infconv_theory::Vector;

/// The check id.
pub const ID: &str = "D4.2-(11)";
/// Dimension of the families (their `fixed_dim` where they have one).
const M: usize = 2;
/// Random points z̄ besides 0.
const RANDOM_POINTS: usize = 5;
/// Random directions per z besides the coordinate axes (both signs).
const RANDOM_DIRECTIONS: usize = 4;
/// The ladder ‖z′ − z‖ = 10^{−k/2}, k = LADDER.
const LADDER: std::ops::RangeInclusive<i32> = 2..=8;

/// The verdict expected of `D4.2-(11)` for a family, from its declarations: violated for the
/// families that break prox-regularity on purpose, not applicable for those that declare no
/// modulus (the indicators), holds elsewhere.
pub fn expected(family_name: &str) -> Verdict {
    match registry::info(family_name) {
        Ok(info) if info.breaks == Some(FamilyHypothesis::ProxRegular) => Verdict::Violated,
        Ok(info) => match registry::build(info.name, info.fixed_dim.unwrap_or(M), 0).map(|f| f.weak_convexity_modulus()) {
            Ok(Some(_)) => Verdict::Holds,
            _ => Verdict::NotApplicable,
        },
        Err(_) => Verdict::Holds,
    }
}

/// Runs `D4.2-(11)` on the registered family `family_name`.
pub fn check(family_name: &str, seed: u64) -> Outcome {
    let m = registry::info(family_name).ok().and_then(|i| i.fixed_dim).unwrap_or(M);
    match registry::build(family_name, m, seed) {
        Ok(f) => measure(f.as_ref(), seed),
        Err(e) => super::failed(format!("could not build {family_name}: {e}")),
    }
}

/// Measures (11) on f (see the module documentation).
pub fn measure(f: &dyn Family, seed: u64) -> Outcome {
    let m = f.dim();
    let declared = f.weak_convexity_modulus();
    let name = f.name();
    if declared.is_none() && f.prox_regular() {
        return Outcome {
            verdict: Verdict::NotApplicable,
            cases: 0,
            worst: f64::NAN,
            tol: f64::NAN,
            note: format!("{name} declares no weak-convexity modulus (an indicator: r in (11) depends on ‖y‖)"),
            lower_bound: false,
        };
    }
    let mut rng = stream(seed, &[ID, &name]);
    let mut centers = vec![Vector::zeros(m)];
    centers.extend((0..RANDOM_POINTS).map(|_| Vector::from_fn(m, |_, _| normal(&mut rng))));
    let (mut measured, mut at_max, mut pairs) = (f64::NEG_INFINITY, String::new(), 0usize);
    let (mut growth, mut growth_at, mut rays) = (f64::NEG_INFINITY, String::new(), 0usize);
    let mut failures = Vec::new();
    for (ci, zbar) in centers.iter().enumerate() {
        for shift in [0.0, 1e-3] {
            let z = zbar + Vector::from_fn(m, |_, _| normal(&mut rng)) * shift;
            let (fz, y) = match (f.value(&z), f.subgradient(&z)) {
                (Ok(v), Ok(y)) if v.is_finite() => (v, y),
                (a, b) => {
                    failures.push(format!("z̄ #{ci}: f or ∂f failed ({:?}, {:?})", a.err(), b.err()));
                    continue;
                }
            };
            let mut dirs: Vec<Vector> = (0..m).flat_map(|i| [1.0, -1.0].map(|s| Vector::from_fn(m, |j, _| if j == i { s } else { 0.0 }))).collect();
            dirs.extend((0..RANDOM_DIRECTIONS).map(|_| unit_direction(&mut rng, m)));
            for d in &dirs {
                let mut ladder = Vec::new();
                let mut running = f64::NEG_INFINITY;
                for k in LADDER {
                    let rho = 10f64.powf(-0.5 * f64::from(k));
                    let zp = &z + d * rho;
                    let Ok(fzp) = f.value(&zp) else {
                        failures.push(format!("f failed at z′ (z̄ #{ci})"));
                        continue;
                    };
                    let delta = &zp - &z;
                    let (lin, q) = (y.dot(&delta), delta.norm_squared());
                    let rounding = 2.0 * R11_ROUNDING * (fz.abs() + fzp.abs() + lin.abs()) / q;
                    let r = 2.0 * (fz + lin - fzp) / q - rounding;
                    pairs += 1;
                    if r > measured || r.is_nan() {
                        measured = r;
                        at_max = format!("z̄ #{ci}, ‖z − z̄‖ = {shift:.0e}, ‖z′ − z‖ = {rho:.1e}, d = {:?}", d.as_slice());
                    }
                    // Only a positive r can grow without bound; a convex kink gives r → −∞ from
                    // below, which (11) allows with any r ≥ 0.
                    running = running.max(r.max(0.0));
                    ladder.push(running);
                }
                rays += 1;
                let g = growth_ratio(&ladder);
                if g > growth || g.is_nan() {
                    growth = g;
                    growth_at = format!("z̄ #{ci}, ‖z − z̄‖ = {shift:.0e}, d = {:?}: r from {:.3e} to {:.3e}", d.as_slice(), ladder.first().copied().unwrap_or(f64::NAN), ladder.last().copied().unwrap_or(f64::NAN));
                }
            }
        }
    }
    let mut parts = vec![Part::upper("r bounded as z′ → z (growth ratio of r along the ladder)", growth, GROWTH_RATIO_MIN, rays, growth_at)];
    let mut note = format!("measured r = {measured:.6e} ({at_max})");
    if let Some(r_f) = declared {
        // measured/declared; a declared 0 (f convex) is compared on the absolute scale 1.
        let ratio = measured.max(0.0) / r_f.max(EPS);
        let ratio = if r_f > 0.0 { ratio } else { 1.0 + measured.max(0.0) };
        parts.push(Part::upper("measured r / declared modulus", ratio, 1.0 + R11_REL, pairs, at_max.clone()));
        note.push_str(&format!("; declared r = {r_f:.6e}, measured/declared = {ratio:.4}"));
    } else {
        note.push_str("; no modulus declared");
    }
    if !failures.is_empty() {
        parts.push(Part::upper("evaluations of f and ∂f", failures.len() as f64, 0.0, pairs, failures.join("; ")));
    }
    Outcome::from_parts(parts, &note)
}
