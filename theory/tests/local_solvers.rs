//! The local solvers of the φ-prox, each against a reference that shares none of its code:
//!
//! - damped Newton (`prox::newton::newton_local`) on φ = ‖·‖² and an indefinite quadratic f,
//!   where the stationary point of (3) solves a linear system written out here; in 1-D with a
//!   bounded dom φ, against the root of F′ found by bisection here, from starts where the first
//!   Newton steps leave dom φ (fraction to the boundary and backtracking must act); and from a
//!   start where ∇²F is indefinite (the Levenberg shift or the gradient fallback must act), judged
//!   by the local-minimum conditions at the returned point;
//! - Lagrange–Newton on an ellipse (`prox::manifold::kkt_local`), against the minimum of
//!   θ ↦ φ(v − z(θ)) over the ellipse's parametrization z(θ) = (a cos θ, b sin θ), found by a dense
//!   grid and a bisection on the derivative here.
//!
//! Tolerances: the solvers stop when the optimality residual reaches its rounding floor (a few
//! ε times the size of its terms), so a point agrees with an exact reference to
//! [`POINT_REL`] = 1e-10 relative when the problem's curvature is of order one (the cases below
//! keep it above 0.1), and values to [`VALUE_REL`] = 1e-12. The residual itself is judged at
//! [`RESIDUAL_REL`] = 1e-9 of its terms' size.

use infconv_theory::family::ellipse::EllipsoidSurface;
use infconv_theory::family::indefinite_quadratic::IndefiniteQuadratic;
use infconv_theory::family::{Family, Structure};
use infconv_theory::potential::{Legendre, registry};
use infconv_theory::prox::{manifold, newton};
use infconv_theory::{Matrix, Vector};

const POINT_REL: f64 = 1e-10;
const VALUE_REL: f64 = 1e-12;
const RESIDUAL_REL: f64 = 1e-9;

fn v(x: &[f64]) -> Vector {
    Vector::from_vec(x.to_vec())
}

/// F(z) = f(z) + φ(v − z)/λ, evaluated here from f and φ.
fn inner(phi: &dyn Legendre, f: &dyn Family, lambda: f64, v: &Vector, z: &Vector) -> f64 {
    f.value(z).unwrap() + phi.value(&(v - z)).unwrap() / lambda
}

/// ∇F(z) = ∇f(z) − ∇φ(v − z)/λ and the size of its terms.
fn inner_gradient(phi: &dyn Legendre, f: &dyn Family, lambda: f64, v: &Vector, z: &Vector) -> (Vector, f64) {
    let gf = f.subgradient(z).unwrap();
    let gphi = phi.gradient(&(v - z)).unwrap() / lambda;
    let scale = gf.norm() + gphi.norm();
    (gf - gphi, scale)
}

/// φ = ‖·‖², f(z) = ½zᵀHz + bᵀz: F is quadratic with ∇F(z) = Hz + b − 2(v − z)/λ, so the
/// stationary point solves (H + 2I/λ) z = 2v/λ − b, and one Newton step reaches it from any start.
#[test]
fn newton_on_a_quadratic_reaches_the_linear_systems_solution_in_one_step() {
    let phi = registry::build("quad", 2).unwrap();
    // H has eigenvalues −1 and 3 (rotated), b = (0.3, −0.7): λ_f = 2/ρ = 2.
    let (c, s) = (0.6f64, 0.8f64);
    let rot = Matrix::from_row_slice(2, 2, &[c, -s, s, c]);
    let h = &rot * Matrix::from_diagonal(&v(&[-1.0, 3.0])) * rot.transpose();
    let b = v(&[0.3, -0.7]);
    let f = IndefiniteQuadratic::new("indefinite-quadratic", h.clone(), b.clone()).unwrap();
    let mut worst: f64 = 0.0;
    for lambda in [0.05, 0.5, 1.5, 1.9] {
        for (vv, z0) in [(v(&[1.0, 2.0]), v(&[1.0, 2.0])), (v(&[-3.0, 0.5]), v(&[40.0, -25.0])), (v(&[1e-3, 0.0]), v(&[0.0, 0.0]))] {
            let a = &h + Matrix::identity(2, 2) * (2.0 / lambda);
            let exact = a.lu().solve(&(&vv * (2.0 / lambda) - &b)).unwrap();
            let l = newton::newton_local(phi.as_ref(), &f, lambda, &vv, &z0).unwrap();
            let err = (&l.z - &exact).norm() / (1.0 + exact.norm());
            worst = worst.max(err);
            assert!(err <= POINT_REL, "λ = {lambda}, v = {vv:?}: z = {:?}, exact {exact:?} (rel. error {err:.2e})", l.z);
            let f_exact = inner(phi.as_ref(), &f, lambda, &vv, &exact);
            assert!((l.value - f_exact).abs() <= VALUE_REL * (1.0 + f_exact.abs()), "λ = {lambda}: F = {}, exact {f_exact}", l.value);
            // Newton on a quadratic: one step, then the stopping test (a second step only if the
            // first one stops a rounding short of the floor).
            assert!(l.iterations <= 2, "λ = {lambda}, v = {vv:?}: {} Newton steps on a quadratic", l.iterations);
        }
    }
    eprintln!("newton on a quadratic: worst relative point error {worst:.2e}");
}

/// The 1-D problem F(z) = −ρz²/2 + bz + φ(v − z)/λ with φ = −log(1 − w²) (dom φ = (−1, 1)):
/// F″ = −ρ + φ″(w)/λ ≥ −ρ + 2/λ > 0 for λ < 2/ρ, so the minimizer is the one root of F′ on
/// (v − 1, v + 1), found here by bisection. The starts lie near the ends of that interval, where
/// the full Newton step leaves it.
#[test]
fn newton_with_a_bounded_domain_matches_the_bisection_root() {
    let phi = registry::build("log", 1).unwrap();
    let rho = 1.5;
    let mut worst: f64 = 0.0;
    for (b, vv, lambda) in [(0.4, 0.3, 0.5), (-2.0, -0.1, 1.0), (5.0, 2.0, 0.2), (0.0, 0.0, 1.3)] {
        let f = IndefiniteQuadratic::new("indefinite-quadratic", Matrix::from_element(1, 1, -rho), v(&[b])).unwrap();
        let vv = v(&[vv]);
        let dfz = |z: f64| -> f64 { -rho * z + b - phi.gradient(&v(&[vv[0] - z])).unwrap()[0] / lambda };
        // F′ → −∞ at z → v − 1 (w → 1) and +∞ at z → v + 1.
        let (mut lo, mut hi) = (vv[0] - 1.0 + 1e-15, vv[0] + 1.0 - 1e-15);
        assert!(dfz(lo) < 0.0 && dfz(hi) > 0.0);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if dfz(mid) < 0.0 { lo = mid } else { hi = mid }
        }
        let root = 0.5 * (lo + hi);
        for start in [vv[0], vv[0] - 0.999, vv[0] + 0.999, vv[0] - 0.5] {
            let l = newton::newton_local(phi.as_ref(), &f, lambda, &vv, &v(&[start])).unwrap();
            let err = (l.z[0] - root).abs() / (1.0 + root.abs());
            worst = worst.max(err);
            assert!(err <= POINT_REL, "b = {b}, v = {vv:?}, λ = {lambda}, start {start}: z = {}, root {root} (rel. error {err:.2e})", l.z[0]);
            assert!(phi.contains(&(&vv - &l.z)), "the iterate left dom φ");
        }
    }
    eprintln!("newton in 1-D with dom φ = (−1, 1): worst relative point error {worst:.2e}");
}

/// Above the convexity threshold (λ > 2/ρ) F is nonconvex; from a start where F″ < 0 the
/// solver must still descend to a local minimizer: F′ = 0 to rounding, F″ ≥ 0 there, F below
/// its start value. In 2-D, ∇²F is indefinite at the start.
#[test]
fn newton_from_an_indefinite_start_descends_to_a_local_minimizer() {
    for (name, m) in [("log", 1), ("tan", 2), ("cubic-reg", 2), ("log-sep", 2)] {
        let phi = registry::build(name, m).unwrap();
        // H = diag(−4, 1) (or −4 in 1-D), b small and nonzero: the inner Hessian at w = 0 is
        // H + ∇²φ(0)/λ = diag(−4 + 2/λ, ·), indefinite for λ = 2 (every φ here has ∇²φ(0) ≤ 2I).
        let h = Matrix::from_fn(m, m, |i, j| if i != j { 0.0 } else if i == 0 { -4.0 } else { 1.0 });
        let b = Vector::from_fn(m, |i, _| if i == 0 { 0.05 } else { -0.1 });
        let f = IndefiniteQuadratic::new("indefinite-quadratic", h, b).unwrap();
        let lambda = 2.0;
        let vv = Vector::from_fn(m, |i, _| 0.01 * (i as f64 + 1.0));
        let z0 = vv.clone();
        let hess = |z: &Vector| f.hessian(z).unwrap().unwrap() + phi.hessian(&(&vv - z)).unwrap() / lambda;
        let (lmin0, _) = infconv_theory::linalg::symmetric_eigen_range(&hess(&z0));
        assert!(lmin0 < 0.0, "{name}: the start must be a point of negative curvature");
        let l = newton::newton_local(phi.as_ref(), &f, lambda, &vv, &z0).unwrap();
        let (g, scale) = inner_gradient(phi.as_ref(), &f, lambda, &vv, &l.z);
        assert!(g.norm() <= RESIDUAL_REL * scale, "{name}: ‖∇F‖ = {:.2e} at z = {:?} (terms {scale:.2e})", g.norm(), l.z);
        let (lmin, _) = infconv_theory::linalg::symmetric_eigen_range(&hess(&l.z));
        assert!(lmin >= -1e-9, "{name}: ∇²F has eigenvalue {lmin:.3e} at the returned point (a saddle)");
        let (f0, f1) = (inner(phi.as_ref(), &f, lambda, &vv, &z0), inner(phi.as_ref(), &f, lambda, &vv, &l.z));
        assert!(f1 < f0, "{name}: F rose from {f0} to {f1}");
        assert!((l.value - f1).abs() <= VALUE_REL * (1.0 + f1.abs()), "{name}: reported F = {}, F at z = {f1}", l.value);
    }
}

/// The minimizer of φ(v − z(θ)) over the ellipse z(θ) = (a cos θ, b sin θ): the best of a
/// 20,000-point grid, then a bisection on the sign of d/dθ φ(v − z(θ)) = −⟨∇φ(v − z), z′(θ)⟩
/// between the grid neighbours.
fn ellipse_reference(phi: &dyn Legendre, ax: (f64, f64), v: &Vector) -> Vector {
    let z = |th: f64| Vector::from_vec(vec![ax.0 * th.cos(), ax.1 * th.sin()]);
    let val = |th: f64| phi.value(&(v - z(th))).unwrap_or(f64::INFINITY);
    let dval = |th: f64| {
        let dz = Vector::from_vec(vec![-ax.0 * th.sin(), ax.1 * th.cos()]);
        -phi.gradient(&(v - z(th))).unwrap().dot(&dz)
    };
    let n = 20_000;
    let step = std::f64::consts::TAU / n as f64;
    let best = (0..n).map(|k| k as f64 * step).min_by(|a, b| val(*a).total_cmp(&val(*b))).unwrap();
    let (mut lo, mut hi) = (best - step, best + step);
    assert!(dval(lo) < 0.0 && dval(hi) > 0.0, "the grid minimum is not bracketed");
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if dval(mid) < 0.0 { lo = mid } else { hi = mid }
    }
    z(0.5 * (lo + hi))
}

/// Lagrange–Newton on an ellipse with semi-axes (0.7, 1.6), for potentials that are not
/// radial (the radial projection does not apply): from the scaled start v/√(vᵀDv) it reaches the
/// parametrization's minimizer; from a start a quarter turn away it still ends at a KKT point
/// (the residual of the Lagrange system judged here, with the least-squares multiplier).
#[test]
fn lagrange_newton_matches_the_parametrized_minimum_on_an_ellipse() {
    let ax = (0.7, 1.6);
    let f = EllipsoidSurface::from_axes("ellipse", &[ax.0, ax.1]).unwrap();
    let Structure::Ellipsoid(d) = f.structure() else { panic!("an ellipse is an ellipsoid surface") };
    let d = d.to_vec();
    let lambda = 0.3;
    let mut worst: f64 = 0.0;
    for (name, vv) in [("quad-Q", v(&[1.5, 0.4])), ("cosh", v(&[-0.2, 2.3])), ("log-sep", v(&[0.9, 1.0])), ("tan-sep", v(&[0.3, -1.9]))] {
        let phi = registry::build(name, 2).unwrap();
        let exact = ellipse_reference(phi.as_ref(), ax, &vv);
        let z0 = manifold::normalize(&d, &vv);
        let k = manifold::kkt_local(phi.as_ref(), &d, lambda, &vv, &z0).unwrap();
        let err = (&k.z - &exact).norm() / (1.0 + exact.norm());
        worst = worst.max(err);
        assert!(err <= POINT_REL, "{name}, v = {vv:?}: z = {:?}, reference {exact:?} (rel. error {err:.2e})", k.z);
        let val = phi.value(&(&vv - &exact)).unwrap() / lambda;
        assert!((k.value - val).abs() <= VALUE_REL * (1.0 + val.abs()), "{name}: value {} against {val}", k.value);
        // KKT at the returned point: ∇φ(v − z)/λ = 2t Dz.
        let gphi = phi.gradient(&(&vv - &k.z)).unwrap() / lambda;
        let n = Vector::from_fn(2, |i, _| 2.0 * d[i] * k.z[i]);
        let r = &gphi - &n * k.t;
        assert!(r.norm() <= RESIDUAL_REL * (1.0 + gphi.norm()), "{name}: KKT residual {:.2e}", r.norm());
        // A start a quarter turn away along the ellipse, still with v − z0 ∈ dom φ.
        let th = exact[1].atan2(exact[0]) + 0.5;
        let z1 = manifold::normalize(&d, &v(&[th.cos(), th.sin()]));
        if phi.contains(&(&vv - &z1)) {
            let k1 = manifold::kkt_local(phi.as_ref(), &d, lambda, &vv, &z1).unwrap();
            let on = manifold::quadratic(&d, &k1.z);
            assert!((on - 1.0).abs() <= 1e-14, "{name}: zᵀDz = {on} at the returned point");
            let g1 = phi.gradient(&(&vv - &k1.z)).unwrap() / lambda;
            let n1 = Vector::from_fn(2, |i, _| 2.0 * d[i] * k1.z[i]);
            let t1 = g1.dot(&n1) / n1.norm_squared();
            let r1 = &g1 - &n1 * t1;
            assert!(r1.norm() <= RESIDUAL_REL * (1.0 + g1.norm()), "{name}: KKT residual {:.2e} from the far start", r1.norm());
            assert!((k1.t - t1).abs() <= RESIDUAL_REL * (1.0 + t1.abs()), "{name}: multiplier {} against {t1}", k1.t);
        }
    }
    eprintln!("Lagrange–Newton on an ellipse: worst relative point error {worst:.2e}");
}

/// The manifold solver's certificate, worked by hand for φ = ‖·‖³ (μ = 0, ∇²φ(u) ⪰ 3‖u‖I) on
/// the ellipse x² + y²/1.44 = 1, λ = 0.5. From v = (0.4, 0) the nearest point is z* = (1, 0),
/// w* = (−0.6, 0), ∇φ(w*) = 3‖w*‖w* = (−1.08, 0), so 2tDz* = ∇φ(w*)/λ gives t = −0.54/λ < 0 and
/// the Lagrangian curvature μ*/λ + 2t·max dᵢ = (1.5 · 0.6 − 1.08)/λ < 0: no certificate, the
/// solver must refuse. From v = (1.5, 0): w* = (0.5, 0), t = 0.375/λ > 0, certified, with
/// e(v) = ‖w*‖³/λ.
#[test]
fn the_manifold_certificate_refuses_inside_and_certifies_outside() {
    let phi = registry::build("cubic", 2).unwrap();
    let f = EllipsoidSurface::from_axes("ellipse", &[1.0, 1.2]).unwrap();
    let lambda = 0.5;
    let inside = infconv_theory::prox::phi_prox(phi.as_ref(), &f, lambda, &v(&[0.4, 0.0]));
    assert!(matches!(inside, Err(infconv_theory::TheoryError::NotCertified { .. })), "{inside:?}");
    let outside = infconv_theory::prox::phi_prox(phi.as_ref(), &f, lambda, &v(&[1.5, 0.0])).unwrap();
    assert!((&outside.z - v(&[1.0, 0.0])).norm() <= POINT_REL, "z = {:?}", outside.z);
    assert!((outside.envelope - 0.125 / lambda).abs() <= VALUE_REL, "e = {}", outside.envelope);
}

/// A start where the Lagrange system is singular: φ = ‖·‖², the unit circle, λ = 1, v = (½, 0),
/// z₀ = (0, 1) ⊥ v. The least-squares multiplier is t = ⟨v − z₀, z₀⟩ = −1, so the block
/// ∇²φ/λ + 2tD = 2(1 + t)I vanishes and the Newton system has no solution. The solver must not
/// pass z₀ off as a KKT point: either it answers with one (judged here) or with a typed error.
#[test]
fn lagrange_newton_never_returns_a_point_that_is_not_a_kkt_point() {
    let phi = registry::build("quad", 2).unwrap();
    let d = [1.0, 1.0];
    let vv = v(&[0.5, 0.0]);
    match manifold::kkt_local(phi.as_ref(), &d, 1.0, &vv, &v(&[0.0, 1.0])) {
        Ok(k) => {
            let g = phi.gradient(&(&vv - &k.z)).unwrap();
            let r = &g - &k.z * (2.0 * k.t);
            assert!(r.norm() <= RESIDUAL_REL * (1.0 + g.norm()), "returned z = {:?}, t = {}, KKT residual {:.2e}", k.z, k.t, r.norm());
        }
        Err(e) => assert!(matches!(e, infconv_theory::TheoryError::NotConverged { .. }), "{e:?}"),
    }
}

/// The certificate of the fast solver for cubic is read at w* = v − z, the point of φ where the
/// Bregman modulus (k/2)‖w*‖ is taken. f(z) = −z²/2 + z (ρ = 1) with cubic and v = 1: z = v is
/// stationary (f′(1) = 0 and ∇φ(0) = 0) but a local maximum (F″ = −1 there), and Newton from
/// z₀ = v stays there. At w* = 0 the modulus is 0, so the solver must refuse; read at a wrong
/// point (v + z, ‖·‖ = 2, modulus 3 > λρ) it would certify a maximum as the global minimizer.
#[test]
fn the_cubic_certificate_refuses_a_stationary_point_at_w_star_zero() {
    let f = IndefiniteQuadratic::new("indefinite-quadratic", Matrix::from_element(1, 1, -1.0), Vector::from_element(1, 1.0)).unwrap();
    let phi = registry::build("cubic", 1).unwrap();
    let cert = infconv_theory::prox::certificate::certificate(phi.as_ref(), 1).unwrap();
    let v = Vector::from_element(1, 1.0);
    let local = newton::newton_local(phi.as_ref(), &f, 1.0, &v, &v).unwrap();
    assert_eq!(local.z, v, "Newton from z₀ = v stays at the stationary point");
    let got = newton::fast(phi.as_ref(), &cert, &f, 1.0, &v);
    assert!(matches!(got, Err(infconv_theory::TheoryError::NotCertified { .. })), "a local maximum must not be certified: {got:?}");
}
