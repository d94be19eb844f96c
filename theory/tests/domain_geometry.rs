//! The domain geometry every potential declares (`contains`, `max_step`, `inradius`,
//! `boundary_distance`), checked for consistency along rays for every registry potential, with
//! the domain test as the reference:
//!
//! - t(d) = max_step(0, d) is where the ray leaves dom φ: 0.999·t·d ∈ dom φ, 1.001·t·d ∉ dom φ;
//! - along the same ray, max_step(t/2·d, d) = t/2 (a convex domain is left once);
//! - inradius = the smallest t(d), over random directions and the coordinate axes (attained on
//!   an axis for a box, on every direction for a ball), never above any t(d);
//! - beyond the boundary (1.5·t·d) φ = +∞ and the gradient and Hessian are typed errors;
//! - boundary_distance(0) = inradius, and boundary_distance(w) ≤ max_step(w, d) for unit d
//!   (+∞ everywhere when dom φ = ℝᵐ).
//!
//! Tolerance [`REL`] = 1e-9: each figure is a closed form or a bisection to ~1e-12 relative.

use infconv_theory::potential::registry;
use infconv_theory::random::{stream, unit_direction};
use infconv_theory::{Domain, Gradient, Hessian, Value, Vector};

const SEED: u64 = 7;
const M: usize = 3;
const DIRECTIONS: usize = 16;
const REL: f64 = 1e-9;

fn close(a: f64, b: f64) -> bool {
    (a.is_infinite() && b.is_infinite() && a.signum() == b.signum()) || (a - b).abs() <= REL * a.abs().max(b.abs()).max(1e-300)
}

#[test]
fn declared_geometry_agrees_along_rays() {
    let mut checked = 0;
    let mut names = Vec::new();
    for p in registry::all() {
        let Ok(phi) = registry::build(p.name, M) else { continue };
        names.push(phi.name());
        let m = phi.fixed_dim().unwrap_or(M);
        let mut rng = stream(SEED, &["domain-geometry", p.name]);
        let mut dirs: Vec<Vector> = (0..DIRECTIONS).map(|_| unit_direction(&mut rng, m)).collect();
        dirs.extend((0..m).map(|i| Vector::from_fn(m, |j, _| if i == j { 1.0 } else { 0.0 })));
        let r = phi.inradius();
        assert!(r > 0.0, "{}: inradius {r} (dom φ is open and contains 0)", p.name);
        assert!(close(phi.boundary_distance(&Vector::zeros(m)), r), "{}: boundary_distance(0) = {} but inradius = {r}", p.name, phi.boundary_distance(&Vector::zeros(m)));
        let mut smallest = f64::INFINITY;
        for d in &dirs {
            let t = phi.max_step(&Vector::zeros(m), d).unwrap_or_else(|e| panic!("{}: max_step(0, {d:?}): {e}", p.name));
            assert!(t > 0.0, "{}: max_step(0, d) = {t}", p.name);
            smallest = smallest.min(t);
            assert!(r <= t * (1.0 + REL), "{}: inradius {r} above the exit {t} along {:?}", p.name, d.as_slice());
            if t.is_finite() {
                assert!(phi.contains(&(d * (0.999 * t))), "{}: 0.999·t·d ∉ dom φ (t = {t}, d = {:?})", p.name, d.as_slice());
                assert!(!phi.contains(&(d * (1.001 * t))), "{}: 1.001·t·d ∈ dom φ (t = {t}, d = {:?})", p.name, d.as_slice());
                let half = phi.max_step(&(d * (0.5 * t)), d).unwrap_or_else(|e| panic!("{}: max_step(t/2·d, d): {e}", p.name));
                assert!(close(half, 0.5 * t), "{}: max_step(t/2·d, d) = {half}, expected {}", p.name, 0.5 * t);
                // Beyond the boundary: φ = +∞, and no gradient or Hessian (a typed error).
                let out = d * (1.5 * t);
                assert_eq!(phi.value(&out).unwrap_or(f64::INFINITY), f64::INFINITY, "{}: φ finite beyond its domain", p.name);
                assert!(phi.gradient(&out).is_err() && phi.hessian(&out).is_err(), "{}: derivatives beyond the domain at {:?}", p.name, out.as_slice());
                let w = d * (0.5 * t);
                let bd = phi.boundary_distance(&w);
                assert!(bd <= half * (1.0 + REL) && bd > 0.0, "{}: boundary_distance(w) = {bd} vs the exit {half} along d", p.name);
            } else {
                assert!(phi.contains(&(d * 1e6)), "{}: unbounded along {:?} but 1e6·d ∉ dom φ", p.name, d.as_slice());
                assert_eq!(phi.max_step(d, d).ok(), Some(f64::INFINITY), "{}: unbounded along {:?}, but not from d", p.name, d.as_slice());
                if r.is_infinite() {
                    assert_eq!(phi.boundary_distance(d), f64::INFINITY, "{}: dom φ = ℝᵐ but a finite boundary distance at {:?}", p.name, d.as_slice());
                }
            }
        }
        assert!(close(smallest, r), "{}: inradius {r}, smallest exit over {} directions {smallest}", p.name, dirs.len());
        checked += 1;
    }
    // Reports and certificates tell potentials apart by name: none empty, no two alike.
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert!(sorted.len() == names.len() && names.iter().all(|n| !n.is_empty()), "potential names empty or repeated: {names:?}");
    println!("domain geometry consistent for {checked} registry potentials (seed {SEED}, m = {M})");
    assert!(checked >= 10, "only {checked} potentials checked");
}

/// A closed domain keeps φ finite on its boundary, an open one does not: entropy-box is
/// (1+t)ln(1+t) + (1−t)ln(1−t) on the closed box, 2 ln 2 per coordinate at |t| = 1 and +∞
/// beyond (the declaration that makes (A2) fail for it); log-sep, on the open box, is +∞ at
/// |t| = 1 already.
#[test]
fn closed_and_open_boxes_at_their_boundary() {
    let entropy = registry::build("entropy-box", 2).unwrap();
    let corner = Vector::from_vec(vec![1.0, -1.0]);
    let face = Vector::from_vec(vec![1.0, 0.5]);
    let expect_face = 2.0 * std::f64::consts::LN_2 + (1.5f64 * 1.5f64.ln() + 0.5 * 0.5f64.ln());
    assert!((entropy.value(&corner).unwrap() - 4.0 * std::f64::consts::LN_2).abs() <= 1e-15, "entropy-box at a corner");
    assert!((entropy.value(&face).unwrap() - expect_face).abs() <= 1e-15, "entropy-box on a face");
    assert!(entropy.contains(&corner), "the closed box contains its corners");
    assert_eq!(entropy.value(&Vector::from_vec(vec![1.0 + 1e-12, 0.0])).unwrap_or(f64::INFINITY), f64::INFINITY, "entropy-box beyond its box");
    let log_sep = registry::build("log-sep", 2).unwrap();
    assert!(!log_sep.contains(&face), "the open box does not contain its faces");
    assert_eq!(log_sep.value(&face).unwrap_or(f64::INFINITY), f64::INFINITY, "log-sep on a face of its box");
}
