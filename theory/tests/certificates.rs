//! The certificates the prox solvers rely on, measured: the threshold of the indefinite quadratic
//! against the inner Hessian, and the potentials' Hessian and Bregman moduli. (The families' own
//! certificates, their derivatives, moduli, minorants and lower bounds, are measured in
//! `families.rs`.) Seeds are fixed (printed in failure messages).

use infconv_theory::family::registry as families;
use infconv_theory::random::SeedGen;
use infconv_theory::linalg::symmetric_eigen_range;
use infconv_theory::potential::registry;
use infconv_theory::prox::certificate::{CERTIFIED, certificate};
use infconv_theory::{Matrix, Vector};

const SEEDS: u64 = 16;

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
