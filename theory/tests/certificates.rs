//! The certificates the prox solvers rely on, measured: derivatives of the families against
//! differences, weak-convexity moduli against Hessians, minorants and lower bounds against values,
//! the threshold of the indefinite quadratic against the inner Hessian, and the potentials'
//! Hessian and Bregman moduli. Seeds are fixed (printed in failure messages).

use infconv_theory::family::registry::{self as families, SeedGen};
use infconv_theory::family::Structure;
use infconv_theory::family::scalar::Side;
use infconv_theory::linalg::symmetric_eigen_range;
use infconv_theory::potential::registry;
use infconv_theory::prox::certificate::{CERTIFIED, certificate};
use infconv_theory::{Matrix, Vector};

const SEEDS: u64 = 16;

fn points(g: &mut SeedGen, m: usize, n: usize, scale: f64) -> Vec<Vector> {
    (0..n).map(|_| Vector::from_fn(m, |_, _| scale * g.normal())).collect()
}

#[test]
fn smooth_families_gradients_and_hessians_match_differences() {
    for name in ["smooth-nonconvex", "indefinite-quadratic"] {
        for seed in 0..SEEDS {
            let m = 1 + (seed as usize % 3);
            let f = families::build(name, m, seed).unwrap();
            let mut g = SeedGen::new(seed, "points");
            for z in points(&mut g, m, 8, 1.5) {
                let grad = f.subgradient(&z).unwrap();
                let hess = f.hessian(&z).unwrap().unwrap();
                let h = 1e-5;
                for j in 0..m {
                    let mut zp = z.clone();
                    let mut zm = z.clone();
                    zp[j] += h;
                    zm[j] -= h;
                    let fd = (f.value(&zp).unwrap() - f.value(&zm).unwrap()) / (2.0 * h);
                    assert!((fd - grad[j]).abs() <= 1e-7 * (1.0 + grad[j].abs()), "{name} seed {seed}: ∂{j}f");
                    let col = (f.subgradient(&zp).unwrap() - f.subgradient(&zm).unwrap()) / (2.0 * h);
                    assert!((col - hess.column(j)).norm() <= 1e-6 * (1.0 + hess.norm()), "{name} seed {seed}: Hessian column {j}");
                }
            }
        }
    }
}

#[test]
fn weak_convexity_moduli_are_valid() {
    for name in ["smooth-nonconvex", "indefinite-quadratic"] {
        for seed in 0..SEEDS {
            let m = 1 + (seed as usize % 3);
            let f = families::build(name, m, seed).unwrap();
            let r = f.weak_convexity_modulus().unwrap();
            let mut g = SeedGen::new(seed, "modulus");
            let mut tightest = f64::INFINITY;
            for z in points(&mut g, m, 64, 3.0) {
                let (lmin, _) = symmetric_eigen_range(&f.hessian(&z).unwrap().unwrap());
                assert!(lmin + r >= -1e-12, "{name} seed {seed}: λ_min(∇²f) = {lmin} < −r = {}", -r);
                tightest = tightest.min(lmin + r);
            }
            if name == "indefinite-quadratic" {
                assert!(tightest.abs() < 1e-12, "r = ρ is exact for a quadratic");
            }
        }
    }
    for name in ["l1-smooth", "mcp", "separable-sum"] {
        for seed in 0..SEEDS {
            let f = families::build(name, 3, seed).unwrap();
            let r = f.weak_convexity_modulus().unwrap();
            let Structure::Separable(terms) = f.structure() else { panic!() };
            for s in terms {
                for k in 0..400 {
                    let t = -4.0 + 8.0 * k as f64 / 399.0;
                    assert!(s.second(t, Side::Right) + r >= -1e-12, "{name} seed {seed}: f″({t}) < −r");
                }
                if s.has_kink() {
                    assert!(s.derivative(0.0, Side::Left) <= s.derivative(0.0, Side::Right), "{name}: convex kink");
                }
            }
        }
    }
    for name in ["neg-l1", "sphere", "ellipse"] {
        assert!(families::build(name, 2, 0).unwrap().weak_convexity_modulus().is_none(), "{name} has no modulus");
    }
}

#[test]
fn minorants_and_lower_bounds_hold() {
    for name in families::known_names() {
        for seed in 0..SEEDS {
            let m = if name == "neg-abs" { 1 } else { 1 + (seed as usize % 3) };
            let f = families::build(name, m, seed).unwrap();
            let mut g = SeedGen::new(seed, "minorant");
            for scale in [0.3, 3.0, 30.0] {
                for z in points(&mut g, m, 32, scale) {
                    let fz = f.value(&z).unwrap();
                    if let Some(mn) = f.minorant() {
                        let n = z.norm();
                        assert!(fz >= -mn.a * n * n - mn.b * n - mn.c - 1e-9 * (1.0 + fz.abs()), "{name} seed {seed}: minorant");
                    }
                    if let Some(lb) = f.lower_bound() {
                        assert!(fz >= lb - 1e-9 * (1.0 + lb.abs()), "{name} seed {seed}: lower bound {lb} > f = {fz}");
                    }
                }
            }
        }
    }
}

/// λ_f = 2/ρ_Q: the inner Hessian H + 2Q/λ is positive semidefinite just below and indefinite just
/// above.
#[test]
fn indefinite_quadratic_threshold_is_the_inner_hessian_limit() {
    for p in ["quad", "quad-Q"] {
        for seed in 0..SEEDS {
            let m = 1 + (seed as usize % 3);
            let phi = registry::build(p, m).unwrap();
            let cert = certificate(phi.as_ref(), m).unwrap();
            let f = families::build("indefinite-quadratic", m, seed).unwrap();
            let lf = f.threshold(&cert);
            let h = f.hessian(&Vector::zeros(m)).unwrap().unwrap();
            let q: Matrix = phi.hessian(&Vector::zeros(m)).unwrap() * 0.5;
            let below = symmetric_eigen_range(&(&h + &q * (2.0 / (lf * (1.0 - 1e-6))))).0;
            let above = symmetric_eigen_range(&(&h + &q * (2.0 / (lf * (1.0 + 1e-6))))).0;
            assert!(below > 0.0 && above < 0.0, "{p} seed {seed}: λ_f = {lf}: {below} / {above}");
            if p == "quad" {
                let rho = f.weak_convexity_modulus().unwrap();
                assert!((lf - 2.0 / rho).abs() <= 1e-12 * lf, "quad: λ_f = 2/ρ");
            }
        }
    }
}

/// μ ≤ λ_min(∇²φ) on the domain, and the Bregman modulus D_φ(w, w*) ≥ (μ*/2)‖w − w*‖² (cubic).
#[test]
fn potential_certificates_hold() {
    for name in CERTIFIED {
        for m in 1..=3usize {
            let phi = registry::build(name, m).unwrap();
            let cert = certificate(phi.as_ref(), m).unwrap();
            let mut g = SeedGen::new(m as u64, name);
            let reach = cert.outer_radius.min(2.0);
            let mut pts = Vec::new();
            while pts.len() < 200 {
                let w = g.direction(m) * (reach * g.unit());
                if phi.contains(&w) {
                    pts.push(w);
                }
            }
            for w in &pts {
                if w.norm() > 0.0 {
                    let (lmin, _) = symmetric_eigen_range(&phi.hessian(w).unwrap());
                    assert!(lmin >= cert.mu * (1.0 - 1e-12), "{name} m = {m}: λ_min = {lmin} < μ = {}", cert.mu);
                }
                assert!(w.norm() <= cert.outer_radius, "{name}: outer radius");
            }
            for pair in pts.windows(2) {
                let (w, ws) = (&pair[0], &pair[1]);
                let d = phi.value(w).unwrap() - phi.value(ws).unwrap() - phi.gradient(ws).unwrap().dot(&(w - ws));
                let bound = 0.5 * cert.bregman_modulus(ws) * (w - ws).norm_squared();
                assert!(d >= bound * (1.0 - 1e-9) - 1e-12, "{name} m = {m}: Bregman {d} < {bound}");
            }
        }
    }
}
