//! The certificates the prox solvers rely on, measured: derivatives of the families against
//! differences, weak-convexity moduli against Hessians, minorants and lower bounds against values,
//! the threshold of the indefinite quadratic against the inner Hessian, and the potentials'
//! Hessian and Bregman moduli. Seeds are fixed (printed in failure messages).

use infconv_theory::family::registry as families;
use infconv_theory::random::SeedGen;
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

/// Every seed of the smooth families, in dimensions 1–3: (name, seed, m, f, n points drawn from
/// the stream `label` at `scale`).
fn smooth_cases(label: &str, n: usize, scale: f64, mut check: impl FnMut(&str, u64, usize, &dyn infconv_theory::family::Family, Vec<Vector>)) {
    for name in ["smooth-nonconvex", "indefinite-quadratic"] {
        for seed in 0..SEEDS {
            let m = 1 + (seed as usize % 3);
            let f = families::build(name, m, seed).unwrap();
            let mut g = SeedGen::new(seed, label);
            check(name, seed, m, f.as_ref(), points(&mut g, m, n, scale));
        }
    }
}

#[test]
fn smooth_families_gradients_and_hessians_match_differences() {
    smooth_cases("points", 8, 1.5, |name, seed, m, f, zs| {
        for z in zs {
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
    });
}

#[test]
fn weak_convexity_moduli_are_valid() {
    smooth_cases("modulus", 64, 3.0, |name, seed, _m, f, zs| {
        let r = f.weak_convexity_modulus().unwrap();
        let mut tightest = f64::INFINITY;
        for z in zs {
            let (lmin, _) = symmetric_eigen_range(&f.hessian(&z).unwrap().unwrap());
            assert!(lmin + r >= -1e-12, "{name} seed {seed}: λ_min(∇²f) = {lmin} < −r = {}", -r);
            tightest = tightest.min(lmin + r);
        }
        if name == "indefinite-quadratic" {
            assert!(tightest.abs() < 1e-12, "r = ρ is exact for a quadratic");
        }
    });
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

/// The counterexample to a layerwise certificate built on the full norm: layers [1, 1], cubic
/// per layer, w* = (1, 0), d = (0, δ). The Bregman distance is |δ|³ (layer 2 is ‖·‖³ at 0 and
/// layer 1 does not move), so any bound (μ*/2)δ² with μ* > 0 fails for small δ.
#[test]
fn layerwise_bregman_modulus_uses_each_layers_own_norm() {
    use infconv_theory::potential::cubic::Cubic;
    use infconv_theory::potential::layerwise::Layerwise;
    use infconv_theory::{Gradient, Legendre, Value};
    let phi = Layerwise::new(Cubic::new(), vec![1, 1]).unwrap();
    let cert = certificate(&phi, 2).unwrap();
    let ws = Vector::from_vec(vec![1.0, 0.0]);
    for delta in [1e-1, 1e-2, 1e-3] {
        let w = Vector::from_vec(vec![1.0, delta]);
        let d = phi.value(&w).unwrap() - phi.value(&ws).unwrap() - phi.gradient(&ws).unwrap().dot(&(&w - &ws));
        assert!((d - delta.powi(3)).abs() <= 1e-15, "D = {d}, expected δ³ = {}", delta.powi(3));
        // The full-norm modulus (μ + (k/2)‖w*‖ = 1.5) claims D ≥ 0.75δ²: false here.
        let full_norm = cert.mu + 0.5 * cert.cubic_curvature * ws.norm();
        assert!(d < 0.5 * full_norm * delta * delta, "the control must be violated at δ = {delta}");
        let bound = 0.5 * cert.bregman_modulus(&ws) * delta * delta;
        assert!(d >= bound, "δ = {delta}: D = {d} < certified {bound}");
    }
    assert_eq!(cert.bregman_modulus(&ws), 0.0, "layer 2 has ‖w*₂‖ = 0: no quadratic lower bound");
    // Both layers away from 0: the modulus is set by the smaller layer norm.
    let ws = Vector::from_vec(vec![2.0, -0.5]);
    assert!((cert.bregman_modulus(&ws) - 1.5 * 0.5).abs() <= 1e-15);
    // And the radial lower bound Σₗ‖wₗ‖³ ≥ ‖w‖³/√L holds with equality at equal layer norms.
    let w = Vector::from_vec(vec![1.0, -1.0]);
    assert!(phi.value(&w).unwrap() >= cert.lower_at(w.norm()) * (1.0 - 1e-15));
    assert!(phi.value(&w).unwrap() < w.norm().powi(3), "the full-norm cubic bound would be false here");
    let _ = phi.name();
}

/// The prox consequence: a stationary point that the full-norm certificate declares the global
/// minimizer of (3), while the global oracle finds strictly lower values. f(z) = −12 z₁ +
/// cos z₂ (H = 0, r = 1), φ = Σₗ |wₗ|³ over layers [1, 1], λ = 1, v = 0: Newton from z = v
/// stops at z* = (2, 0) (∂₂F = −sin 0 = 0: a local maximum in z₂), w* = (−2, 0). The full-norm
/// modulus 1.5‖w*‖ = 3 exceeds r = 1; the per-layer modulus 1.5 min(2, 0) = 0 does not, and the
/// fast solver refuses.
#[test]
fn layerwise_certificate_refuses_a_stationary_point_that_is_not_global() {
    use infconv_theory::family::smooth_nonconvex::{Cosine, SmoothNonconvex};
    use infconv_theory::potential::cubic::Cubic;
    use infconv_theory::potential::layerwise::Layerwise;
    use infconv_theory::prox::{self, newton, oracle};
    use infconv_theory::TheoryError;
    use infconv_theory::family::Family;
    let phi = Layerwise::new(Cubic::new(), vec![1, 1]).unwrap();
    let f = SmoothNonconvex::new(
        Matrix::zeros(2, 2),
        Vector::from_vec(vec![-12.0, 0.0]),
        vec![Cosine { a: 1.0, omega: Vector::from_vec(vec![0.0, 1.0]), c: 0.0 }],
    )
    .unwrap();
    let (lambda, v) = (1.0, Vector::zeros(2));
    let r = f.weak_convexity_modulus().unwrap();
    assert!((r - 1.0).abs() <= 1e-15);
    let cert = certificate(&phi, 2).unwrap();
    let local = newton::newton_local(&phi, &f, lambda, &v, &v).unwrap();
    let w_star = &v - &local.z;
    assert!((&local.z - Vector::from_vec(vec![2.0, 0.0])).norm() <= 1e-12, "z* = {:?}", local.z);
    // The full-norm certificate would certify z* as the unique global minimizer …
    let full_norm = cert.mu + 0.5 * cert.cubic_curvature * w_star.norm();
    assert!(full_norm / lambda > r * (1.0 + prox::CERTIFICATE_MARGIN), "control: full-norm μ* = {full_norm}");
    // … but the oracle finds lower values (z₂ ≈ ±0.39 beats the local maximum of cos at 0).
    let o = oracle::global(&phi, &f, lambda, &v).unwrap();
    assert!(o.envelope < local.value - 1e-3, "oracle e(v) = {} vs F(z*) = {}", o.envelope, local.value);
    assert!(o.minimizers.iter().all(|z| z[1].abs() > 0.1), "{:?}", o.minimizers);
    // The per-layer certificate does not certify, and the fast solver refuses.
    assert!(cert.bregman_modulus(&w_star) / lambda <= r);
    let fam: &dyn Family = &f;
    let res = prox::phi_prox(&phi, fam, lambda, &v);
    assert!(matches!(res, Err(TheoryError::NotCertified { .. })), "{res:?}");
}
