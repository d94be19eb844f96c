//! Model (4), alternating minimization (14a)–(14b) and PALM on a small smooth instance.

mod common;

use common::central_gradient;
use infconv_theory::family::registry as families;
use infconv_theory::potential::registry;
use infconv_theory::splitting::{InnerSolve, Quadratic, SplittingModel, alternating_minimization, palm};
use infconv_theory::{Matrix, TheoryError, Vector};

/// A formula evaluated by the code and again by hand in a few flops: rounding only.
const BY_HAND_REL: f64 = 1e-13;
/// A solver's point against a closed form: the u-step stops at its rounding floor (a step below
/// 16ε of the iterate), so the point is good to a few hundred ε relative; 1e-12 leaves a margin.
const CLOSED_FORM_REL: f64 = 1e-12;
/// An optimality condition written out by hand at a solver's point: the residual of a point good
/// to 1e-14 relative, times curvatures up to about 1e3 here (∇φ/λ near the boundary), is near
/// 1e-11; 1e-9 leaves a margin and is still 1e7 below what a wrong step or sign leaves.
const OPTIMALITY_ABS: f64 = 1e-9;
/// The stopping tolerance of the runs of alternating minimization; the by-hand residual at the
/// end may exceed it by rounding only, so it is judged at OPTIMALITY_ABS.
const RUN_TOL: f64 = 1e-10;
/// Central differences (see `common::central_gradient`).
const DIFF_REL: f64 = 1e-6;

/// The A of the 2-D instances: well conditioned, not diagonal.
fn coupling() -> Matrix {
    Matrix::from_row_slice(2, 2, &[1.0, 0.2, -0.1, 0.9])
}

fn model(potential: &str, lambda: f64) -> SplittingModel {
    let a = coupling();
    let g = Quadratic { gamma: 2.0, center: Vector::from_vec(vec![0.3, -0.2]) };
    SplittingModel::new(families::build("smooth-nonconvex", 2, 5).unwrap(), g, a, registry::build(potential, 2).unwrap(), lambda).unwrap()
}

#[test]
fn alternating_minimization_and_palm_reach_the_same_stationary_point() {
    for potential in ["quad", "log", "tan-sep"] {
        let m = model(potential, 0.05);
        let zero = Vector::zeros(2);
        let am = alternating_minimization(&m, &zero, &zero, InnerSolve::Exact, 1e-10, 500).unwrap();
        assert!(am.r5a <= 1e-10 && am.r5b <= 1e-10, "{potential}: AM residuals {:e} {:e}", am.r5a, am.r5b);
        let p = palm(&m, &zero, &zero, 0.01, 0.01, 1e-10, 200_000).unwrap();
        assert!(p.r5a <= 1e-10 && p.r5b <= 1e-10, "{potential}: PALM residuals {:e} {:e} after {}", p.r5a, p.r5b, p.iterations);
        let d = (&am.u - &p.u).norm() + (&am.z - &p.z).norm();
        println!("{potential}: AM {} iterations, PALM {} iterations, distance {d:.2e}", am.iterations, p.iterations);
        assert!(d <= 1e-7, "{potential}: AM and PALM stationary points differ by {d:e}");
    }
}

#[test]
fn bad_models_are_rejected() {
    let g = Quadratic { gamma: 1.0, center: Vector::zeros(2) };
    let f = || families::build("smooth-nonconvex", 2, 5).unwrap();
    let phi = || registry::build("quad", 2).unwrap();
    let e = SplittingModel::new(f(), g.clone(), Matrix::identity(3, 2), phi(), 0.1).err().unwrap();
    assert!(matches!(e, TheoryError::DimensionMismatch { .. }), "{e:?}");
    let e = SplittingModel::new(f(), g.clone(), Matrix::identity(2, 2), phi(), 0.0).err().unwrap();
    assert!(e.to_string().contains("lambda"), "{e}");
    let bad_g = Quadratic { gamma: -1.0, center: Vector::zeros(2) };
    assert!(SplittingModel::new(f(), bad_g, Matrix::identity(2, 2), phi(), 0.1).is_err());
    let m = model("quad", 0.05);
    assert!(palm(&m, &Vector::zeros(2), &Vector::zeros(2), 0.0, 0.1, 1e-9, 10).is_err());
}

/// The nonsmooth g of model (4) against their definitions, written out here: g = β‖u‖₁ +
/// (γ/2)‖u − c‖² has the prox coordinate uᵢ = (xᵢ + tγcᵢ − tβsᵢ)/(1 + tγ) with sᵢ = sign(uᵢ)
/// (from β sᵢ + γ(uᵢ − cᵢ) + (uᵢ − xᵢ)/t = 0), and uᵢ = 0 when that formula's sign disagrees with
/// both choices; the box indicator is 0 on the closed box and +∞ off it, with the projection as
/// its prox; F(u, z) of (4) is f(z) + φ(Au − z)/λ + g(u).
#[test]
fn the_nonsmooth_g_and_the_value_of_model_4_match_their_definitions() {
    use infconv_theory::splitting::{BoxIndicator, G, L1};
    let (beta, gamma) = (0.7, 1.5);
    let c = Vector::from_vec(vec![0.4, -1.0, 0.0]);
    let g = L1 { beta, gamma, center: c.clone() };
    assert_eq!(g.dim(), 3);
    let u = Vector::from_vec(vec![0.5, -2.0, 0.0]);
    let want = beta * 2.5 + 0.5 * gamma * (0.01 + 1.0 + 0.0);
    assert!((g.value(&u) - want).abs() <= 1e-15 * want, "g(u) = {}, by hand {want}", g.value(&u));
    for t in [0.1, 1.0, 4.0] {
        let x = Vector::from_vec(vec![2.0, -0.3, 0.05]);
        let p = g.prox(&x, t);
        for i in 0..3 {
            let plus = (x[i] + t * gamma * c[i] - t * beta) / (1.0 + t * gamma);
            let minus = (x[i] + t * gamma * c[i] + t * beta) / (1.0 + t * gamma);
            let want = if plus > 0.0 { plus } else if minus < 0.0 { minus } else { 0.0 };
            assert!((p[i] - want).abs() <= 1e-15 * (1.0 + want.abs()), "t = {t}, coordinate {i}: prox {}, by hand {want}", p[i]);
        }
    }
    let b = BoxIndicator { lo: Vector::from_vec(vec![-1.0, 0.0, 2.0]), hi: Vector::from_vec(vec![1.0, 0.5, 3.0]) };
    assert_eq!(b.dim(), 3);
    assert_eq!(b.value(&Vector::from_vec(vec![-1.0, 0.5, 2.5])), 0.0, "the box is closed");
    assert_eq!(b.value(&Vector::from_vec(vec![0.0, 0.6, 2.5])), f64::INFINITY);
    assert_eq!(b.prox(&Vector::from_vec(vec![-4.0, 0.2, 7.0]), 0.3), Vector::from_vec(vec![-1.0, 0.2, 3.0]));
    // F(u, z) of (4), by its parts.
    let m = model("log", 0.05);
    let (u, z) = (Vector::from_vec(vec![0.1, -0.2]), Vector::from_vec(vec![0.3, 0.1]));
    let w = coupling() * &u - &z;
    let fz = families::build("smooth-nonconvex", 2, 5).unwrap().value(&z).unwrap();
    let want = fz + (-(1.0 - w.norm_squared()).ln()) / 0.05 + 0.5 * 2.0 * (&u - Vector::from_vec(vec![0.3, -0.2])).norm_squared();
    let got = m.value(&u, &z).unwrap();
    assert!((got - want).abs() <= 1e-13 * (1.0 + want.abs()), "F(u, z) = {got}, by its parts {want}");
}

/// Model (4) with a given g and a diagonal or general A, φ and λ, f = smooth-nonconvex (seed 5).
fn model_with(g: Box<dyn infconv_theory::splitting::G>, a: Matrix, potential: &str, lambda: f64) -> SplittingModel {
    let m = a.nrows();
    SplittingModel::with_g(families::build("smooth-nonconvex", m, 5).unwrap(), g, a, registry::build(potential, m).unwrap(), lambda).unwrap()
}

/// ∇φ of log, φ(w) = −ln(1 − ‖w‖²), written out: 2w/(1 − ‖w‖²).
fn log_gradient(w: &Vector) -> Vector {
    w * (2.0 / (1.0 - w.norm_squared()))
}

/// (14a) against closed forms: with φ = ‖·‖² the u-step minimizes g(u) + ‖Au − z‖²/λ. For the
/// quadratic g that is the linear system (γI + 2AᵀA/λ)u = γc + 2Aᵀz/λ; for A diagonal it
/// separates, and with g = β‖u‖₁ + (γ/2)‖u − c‖² each coordinate is
/// S_β(γcᵢ + 2aᵢzᵢ/λ)/(γ + 2aᵢ²/λ) (S the soft threshold), with g the box indicator it is
/// clamp(zᵢ/aᵢ, loᵢ, hiᵢ). The points z put some coordinates on the kink and some off it.
#[test]
fn the_u_step_matches_its_closed_forms() {
    use infconv_theory::splitting::alternating::solve_u;
    use infconv_theory::splitting::{BoxIndicator, L1};
    let lambda = 0.5;
    // Smooth g: damped Newton.
    let a = coupling();
    let (gamma, c) = (2.0, Vector::from_vec(vec![0.3, -0.2]));
    let m = model_with(Box::new(Quadratic { gamma, center: c.clone() }), a.clone(), "quad", lambda);
    let z = Vector::from_vec(vec![0.4, -0.7]);
    let lhs = Matrix::identity(2, 2) * gamma + a.transpose() * &a * (2.0 / lambda);
    let want = lhs.lu().solve(&(&c * gamma + a.transpose() * &z * (2.0 / lambda))).unwrap();
    let got = solve_u(&m, &z, &Vector::from_vec(vec![5.0, -3.0])).unwrap();
    assert!((&got - &want).norm() <= CLOSED_FORM_REL * want.norm(), "smooth g: u = {got:?}, linear system {want:?}");
    // ℓ1 + quadratic g, diagonal A: forward–backward.
    let diag = [0.5, 2.0, 1.0, 1.5];
    let a = Matrix::from_diagonal(&Vector::from_vec(diag.to_vec()));
    let (beta, gamma) = (0.8, 0.3);
    let c = Vector::from_vec(vec![0.2, -0.4, 1.0, 0.0]);
    let m = model_with(Box::new(L1 { beta, gamma, center: c.clone() }), a, "quad", lambda);
    for z in [Vector::from_vec(vec![1.0, -0.05, 0.0, -2.0]), Vector::from_vec(vec![-0.3, 0.9, 0.1, 0.05])] {
        let got = solve_u(&m, &z, &Vector::zeros(4)).unwrap();
        let mut zeros = 0;
        for i in 0..4 {
            let p = gamma * c[i] + 2.0 * diag[i] * z[i] / lambda;
            let want = p.signum() * (p.abs() - beta).max(0.0) / (gamma + 2.0 * diag[i] * diag[i] / lambda);
            zeros += usize::from(want == 0.0);
            assert!((got[i] - want).abs() <= CLOSED_FORM_REL * (1.0 + want.abs()), "ℓ1 g, z = {z:?}, coordinate {i}: u = {}, closed form {want}", got[i]);
        }
        assert!(zeros > 0 && zeros < 4, "z = {z:?} should put some coordinates on the kink and some off it ({zeros} at 0)");
    }
    // Box g, diagonal A, started outside the box.
    let lo = Vector::from_vec(vec![-1.0, 0.0, 0.5, -2.0]);
    let hi = Vector::from_vec(vec![1.0, 0.25, 2.0, 2.0]);
    let m = model_with(Box::new(BoxIndicator { lo: lo.clone(), hi: hi.clone() }), Matrix::from_diagonal(&Vector::from_vec(diag.to_vec())), "quad", lambda);
    let z = Vector::from_vec(vec![1.0, -0.5, 1.2, 0.3]);
    let got = solve_u(&m, &z, &Vector::from_element(4, 9.0)).unwrap();
    for i in 0..4 {
        let want = (z[i] / diag[i]).clamp(lo[i], hi[i]);
        assert!((got[i] - want).abs() <= CLOSED_FORM_REL * (1.0 + want.abs()), "box g, coordinate {i}: u = {}, projection {want}", got[i]);
    }
}

/// (14a) with a nonsmooth g, a general A and the log potential (no closed form): the optimality
/// condition 0 ∈ ∂g(u) + Aᵀ∇φ(Au − z)/λ written out coordinatewise with ∇φ by hand, for ℓ1
/// (r = −(Aᵀ∇φ/λ + γ(u − c)) must equal β sign uᵢ off 0 and lie in [−β, β] at 0) and the box
/// (r must be ≤ 0 at loᵢ, ≥ 0 at hiᵢ and 0 inside).
#[test]
fn the_forward_backward_u_step_meets_the_optimality_condition() {
    use infconv_theory::splitting::alternating::forward_backward_u;
    use infconv_theory::splitting::{BoxIndicator, L1};
    let lambda = 0.2;
    let a = Matrix::from_row_slice(3, 3, &[0.6, 0.1, -0.2, 0.0, 0.5, 0.1, 0.2, -0.1, 0.7]);
    let z = Vector::from_vec(vec![0.0, -0.25, 0.3]);
    let (beta, gamma, c) = (1.0, 0.5, Vector::from_vec(vec![-0.3, 0.0, 0.0]));
    let m = model_with(Box::new(L1 { beta, gamma, center: c.clone() }), a.clone(), "log", lambda);
    let u = forward_backward_u(&m, &z, &Vector::zeros(3)).unwrap();
    let r = -(a.transpose() * log_gradient(&(&a * &u - &z)) / lambda + (&u - &c) * gamma);
    let mut kinks = 0;
    for i in 0..3 {
        let miss = if u[i] != 0.0 { (r[i] - beta * u[i].signum()).abs() } else { (r[i].abs() - beta).max(0.0) };
        kinks += usize::from(u[i] == 0.0);
        assert!(miss <= OPTIMALITY_ABS, "ℓ1 g, coordinate {i}: u = {}, r = {}, misses ∂g by {miss:e}", u[i], r[i]);
    }
    assert!(kinks > 0 && kinks < 3, "the case should have coordinates at the kink and off it: u = {u:?}");
    let lo = Vector::from_vec(vec![0.3, -1.0, -1.0]);
    let hi = Vector::from_vec(vec![1.0, 1.0, 0.2]);
    let m = model_with(Box::new(BoxIndicator { lo: lo.clone(), hi: hi.clone() }), a.clone(), "log", lambda);
    let u = forward_backward_u(&m, &z, &Vector::from_vec(vec![0.5, 0.0, 0.0])).unwrap();
    let r = -(a.transpose() * log_gradient(&(&a * &u - &z)) / lambda);
    let mut faces = 0;
    for i in 0..3 {
        assert!(lo[i] <= u[i] && u[i] <= hi[i], "u = {u:?} left the box");
        let miss = if u[i] == lo[i] {
            faces += 1;
            r[i].max(0.0)
        } else if u[i] == hi[i] {
            faces += 1;
            (-r[i]).max(0.0)
        } else {
            r[i].abs()
        };
        assert!(miss <= OPTIMALITY_ABS, "box g, coordinate {i}: u = {}, r = {}, misses the normal cone by {miss:e}", u[i], r[i]);
    }
    assert!(faces > 0 && faces < 3, "the case should have coordinates on a face and inside: u = {u:?}");
}

/// The subdifferential distances, residuals (5a), (5b), (7) and the count of nonsmooth
/// coordinates against the definitions written out here.
#[test]
fn residuals_and_subdifferential_distances_match_their_definitions() {
    use infconv_theory::splitting::model::residual_7;
    use infconv_theory::splitting::{BoxIndicator, G, L1};
    // ℓ1: coordinates 0 and 2 off the kink, 1 at it (inside and outside [−β, β] − γc).
    let (beta, gamma, c) = (0.5, 2.0, Vector::from_vec(vec![1.0, 0.25, -1.0]));
    let g = L1 { beta, gamma, center: c.clone() };
    let u = Vector::from_vec(vec![2.0, 0.0, -0.5]);
    for y in [Vector::from_vec(vec![3.0, 0.1, 0.0]), Vector::from_vec(vec![-1.0, 2.0, 1.5])] {
        let r1 = y[0] - gamma * (2.0 - 1.0) - beta;
        let r2 = ((y[1] + gamma * 0.25).abs() - beta).max(0.0);
        let r3 = y[2] - gamma * (-0.5 + 1.0) + beta;
        let want = (r1 * r1 + r2 * r2 + r3 * r3).sqrt();
        let got = g.subdifferential_distance(&u, &y);
        assert!((got - want).abs() <= BY_HAND_REL * (1.0 + want), "ℓ1, y = {y:?}: {got}, by hand {want}");
    }
    assert_eq!(g.nonsmooth_coordinates(&u), 1);
    assert!(g.smooth(&u).is_none());
    // The box: inside, on the lower and the upper face, and outside.
    let b = BoxIndicator { lo: Vector::from_vec(vec![-1.0, -1.0, -1.0]), hi: Vector::from_vec(vec![1.0, 1.0, 1.0]) };
    let u = Vector::from_vec(vec![-1.0, 0.3, 1.0]);
    for (y, want) in [
        (Vector::from_vec(vec![-2.0, 0.0, 3.0]), 0.0),
        (Vector::from_vec(vec![2.0, 0.5, -3.0]), (4.0f64 + 0.25 + 9.0).sqrt()),
        (Vector::from_vec(vec![-0.1, -0.4, 0.0]), 0.4),
    ] {
        let got = b.subdifferential_distance(&u, &y);
        assert!((got - want).abs() <= BY_HAND_REL * (1.0 + want), "box, y = {y:?}: {got}, by hand {want}");
    }
    assert_eq!(b.subdifferential_distance(&Vector::from_vec(vec![0.0, 1.5, 0.0]), &Vector::zeros(3)), f64::INFINITY);
    assert_eq!(b.nonsmooth_coordinates(&u), 2);
    assert_eq!(b.nonsmooth_coordinates(&Vector::zeros(3)), 0);
    // The quadratic g: a single gradient γ(u − c).
    let q = Quadratic { gamma: 3.0, center: Vector::from_vec(vec![1.0, -1.0]) };
    let (gq, hq) = q.smooth(&Vector::from_vec(vec![2.0, 0.0])).unwrap();
    assert_eq!((gq, hq), (Vector::from_vec(vec![3.0, 3.0]), Matrix::identity(2, 2) * 3.0));
    let got = q.subdifferential_distance(&Vector::from_vec(vec![2.0, 0.0]), &Vector::from_vec(vec![0.0, 7.0]));
    assert!((got - 5.0).abs() <= BY_HAND_REL, "quadratic g: {got}, by hand 5");
    assert_eq!(q.nonsmooth_coordinates(&Vector::zeros(2)), 0);
    let p = q.prox(&Vector::from_vec(vec![4.0, 2.0]), 0.5);
    // argmin (3/2)‖u − c‖² + ‖u − x‖²: u = (3c + 2x)/5.
    assert!((&p - Vector::from_vec(vec![11.0 / 5.0, 1.0 / 5.0])).norm() <= BY_HAND_REL, "quadratic prox {p:?}");
    // (5a), (5b) and (7) on model (4) with φ = log, by hand.
    let lambda = 0.3;
    let a = coupling();
    let gl1 = L1 { beta: 0.2, gamma: 0.5, center: Vector::from_vec(vec![0.1, 0.0]) };
    let m = model_with(Box::new(gl1.clone()), a.clone(), "log", lambda);
    let (u, z) = (Vector::from_vec(vec![0.2, 0.0]), Vector::from_vec(vec![-0.1, 0.3]));
    let y = log_gradient(&(&a * &u - &z)) / lambda;
    let mul = m.multiplier(&u, &z).unwrap();
    assert!((&mul - &y).norm() <= BY_HAND_REL * y.norm(), "multiplier {mul:?}, by hand {y:?}");
    let s = -(a.transpose() * &y);
    let d1 = s[0] - 0.5 * (0.2 - 0.1) - 0.2;
    let d2 = (s[1].abs() - 0.2).max(0.0);
    let want5a = (d1 * d1 + d2 * d2).sqrt();
    let got5a = m.residual_5a(&u, &z).unwrap();
    assert!((got5a - want5a).abs() <= BY_HAND_REL * (1.0 + want5a), "(5a): {got5a}, by hand {want5a}");
    let want5b = (central_gradient(|x| m.f.value(x).unwrap(), &z) - &y).norm();
    let got5b = m.residual_5b(&u, &z).unwrap();
    assert!((got5b - want5b).abs() <= DIFF_REL * (1.0 + want5b), "(5b): {got5b}, by hand {want5b}");
    let ge = Vector::from_vec(vec![0.7, -0.4]);
    let s = -(a.transpose() * &ge);
    let d1 = s[0] - 0.5 * (0.2 - 0.1) - 0.2;
    let d2 = (s[1].abs() - 0.2).max(0.0);
    let want7 = (d1 * d1 + d2 * d2).sqrt();
    let got7 = residual_7(&a, &gl1, &u, &ge);
    assert!((got7 - want7).abs() <= BY_HAND_REL * (1.0 + want7), "(7): {got7}, by hand {want7}");
}

/// Alternating minimization with a nonsmooth g and either inner solve reaches a point that meets
/// (5a) and (5b) as written out here (the by-hand ℓ1 condition and ∇f by central differences);
/// the iteration limit is honoured by both solvers, and a run with limit 0 returns its start.
#[test]
fn alternating_minimization_with_a_nonsmooth_g_meets_5a_and_5b_by_hand() {
    use infconv_theory::splitting::L1;
    let lambda = 0.05;
    let a = coupling();
    let (beta, gamma, c) = (0.6, 1.0, Vector::from_vec(vec![0.3, -0.05]));
    let m = model_with(Box::new(L1 { beta, gamma, center: c.clone() }), a.clone(), "log", lambda);
    let zero = Vector::zeros(2);
    for inner in [InnerSolve::Exact, InnerSolve::Local] {
        let run = alternating_minimization(&m, &zero, &zero, inner, RUN_TOL, 2000).unwrap();
        assert!(run.iterations > 1 && run.iterations < 2000, "{inner:?}: {} iterations", run.iterations);
        let (u, z) = (&run.u, &run.z);
        let y = log_gradient(&(&a * u - z)) / lambda;
        let s = -(a.transpose() * &y) - (u - &c) * gamma;
        for i in 0..2 {
            let miss = if u[i] != 0.0 { (s[i] - beta * u[i].signum()).abs() } else { (s[i].abs() - beta).max(0.0) };
            assert!(miss <= OPTIMALITY_ABS, "{inner:?}: (5a) by hand misses by {miss:e} at coordinate {i} (u = {u:?})");
        }
        let miss5b = (central_gradient(|x| m.f.value(x).unwrap(), z) - &y).norm();
        assert!(miss5b <= DIFF_REL * (1.0 + y.norm()), "{inner:?}: (5b) by hand misses by {miss5b:e}");
        assert!(run.r5a <= RUN_TOL && run.r5b <= RUN_TOL, "{inner:?}: reported residuals {:e} {:e}", run.r5a, run.r5b);
    }
    let start = Vector::from_vec(vec![0.1, 0.2]);
    let stopped = alternating_minimization(&m, &start, &zero, InnerSolve::Local, 0.0, 0).unwrap();
    assert_eq!((stopped.iterations, &stopped.u, &stopped.z), (0, &start, &zero), "limit 0 returns the start");
    assert!(stopped.r5a > 0.0, "the start is not stationary");
    assert_eq!(alternating_minimization(&m, &zero, &zero, InnerSolve::Local, 0.0, 3).unwrap().iterations, 3);
    let smooth = model("quad", 0.05);
    assert_eq!(palm(&smooth, &zero, &zero, 0.01, 0.01, 0.0, 7).unwrap().iterations, 7);
}

/// (14a) for a smooth g with the log potential, g centred far outside A⁻¹(z + dom φ), so that the
/// first Newton steps from Au₀ − z = 0 aim past the edge of dom φ, are cut by the boundary, and
/// the sufficient-decrease test decides: the result meets γ(u − c) + Aᵀ∇φ(Au − z)/λ = 0 with ∇φ
/// written out, and Au − z stays in dom φ.
#[test]
fn the_smooth_u_step_cut_by_the_boundary_meets_the_optimality_condition() {
    use infconv_theory::splitting::alternating::solve_u;
    let lambda = 0.1;
    let a = coupling();
    let (gamma, c) = (3.0, Vector::from_vec(vec![20.0, -15.0]));
    let m = model_with(Box::new(Quadratic { gamma, center: c.clone() }), a.clone(), "log", lambda);
    let z = Vector::from_vec(vec![0.1, 0.2]);
    let u0 = a.clone().lu().solve(&z).unwrap();
    let u = solve_u(&m, &z, &u0).unwrap();
    let w = &a * &u - &z;
    assert!(w.norm() < 1.0, "Au − z = {w:?} left dom φ");
    let r = (&u - &c) * gamma + a.transpose() * log_gradient(&w) / lambda;
    assert!(r.norm() <= OPTIMALITY_ABS * (1.0 + gamma * c.norm()), "optimality residual {:e} at u = {u:?}", r.norm());
}

/// PALM with a long z-step on a bounded potential, started with Au − z near the edge of dom φ
/// on the side where the z-step pushes it: the step must be cut in the direction it moves
/// Au − z (along −dz), or the iterate leaves dom φ and the run fails there.
#[test]
fn palm_cuts_long_steps_at_the_boundary() {
    let a = coupling();
    let m = model_with(Box::new(Quadratic { gamma: 2.0, center: Vector::from_vec(vec![0.3, -0.2]) }), a.clone(), "log", 100.0);
    let z0 = Vector::zeros(2);
    // The z-step moves Au − z by σ(∇f(z) − ∇φ(Au − z)/λ); with λ = 100 the second term is below
    // 0.1 at ‖Au − z‖ = 0.9, so Au − z = 0.9 ∇f(0)/‖∇f(0)‖ is pushed toward the nearest edge.
    let g0 = m.f.subgradient(&z0).unwrap();
    assert!(g0.norm() > 0.2, "the case needs ‖∇f(0)‖ above ‖∇φ/λ‖ ≈ 0.1, got {}", g0.norm());
    let u0 = a.clone().lu().solve(&(&g0 * (0.9 / g0.norm()))).unwrap();
    for iterations in [1, 2, 5, 50] {
        let run = palm(&m, &u0, &z0, 1e-4, 5.0, 0.0, iterations).unwrap();
        let w = &a * &run.u - &run.z;
        assert!(w.norm() < 1.0 && run.r5b.is_finite(), "after {iterations} steps Au − z = {w:?}");
    }
}

/// The u-step is scale-free: with φ = ‖·‖³ (cubic), A = I and g = (γ/2)‖u − c‖², the minimizer
/// lies on the segment from z to c, u = z + s(c − z)/d with d = ‖c − z‖ and
/// γ(s − d) + 3s²/λ = 0, i.e. s = λ(√(γ² + 12γd/λ) − γ)/6 = 2γd/(√(γ² + 12γd/λ) + γ) (the
/// second form without cancellation at small d). Newton needs several steps here (the
/// curvature of ‖·‖³ grows with ‖w‖), and its stopping rule must be relative to ‖u‖ at every
/// scale from 1e-6 to 1e6 (a rule in absolute terms stops a few steps early at 1e-6).
#[test]
fn the_u_step_is_scale_free() {
    use infconv_theory::splitting::alternating::solve_u;
    let gamma = 2.0;
    for scale in [1e-6, 1.0, 1e6] {
        // λ proportional to the scale keeps the problem self-similar: u/scale solves the same
        // problem at every scale, with ‖·‖³/λ as strong against g as at scale 1.
        let lambda = 0.5 * scale;
        let c = Vector::from_vec(vec![0.8, -0.6]) * scale;
        let z = Vector::from_vec(vec![0.1, 0.3]) * scale;
        let m = model_with(Box::new(Quadratic { gamma, center: c.clone() }), Matrix::identity(2, 2), "cubic", lambda);
        let d = (&c - &z).norm();
        let s = 2.0 * gamma * d / ((gamma * gamma + 12.0 * gamma * d / lambda).sqrt() + gamma);
        let want = &z + (&c - &z) * (s / d);
        let got = solve_u(&m, &z, &z).unwrap();
        let rel = (&got - &want).norm() / want.norm();
        assert!(rel <= CLOSED_FORM_REL, "scale {scale}: u = {got:?}, closed form {want:?} (relative {rel:e})");
    }
}

/// The forward–backward u-step is scale free as well: with c, z and β multiplied by s (φ = ‖·‖²,
/// g = β‖u‖₁ + (γ/2)‖u − c‖², A diagonal) the objective in u/s is s² times the one at s = 1, so
/// u/s must meet the soft-threshold closed form of [`the_u_step_matches_its_closed_forms`] at
/// every scale, relative to the scale. A stop at a step length in absolute terms ends early at
/// s = 1e-6 and runs to its step cap at 1e6.
#[test]
fn the_forward_backward_u_step_is_scale_free() {
    use infconv_theory::splitting::L1;
    use infconv_theory::splitting::alternating::forward_backward_u;
    let (lambda, gamma) = (0.5, 0.3);
    let diag = [0.5, 2.0, 1.0, 1.5];
    for scale in [1e-6, 1.0, 1e6] {
        let (beta, c) = (0.8 * scale, Vector::from_vec(vec![0.2, -0.4, 1.0, 0.0]) * scale);
        let z = Vector::from_vec(vec![1.0, -0.05, 0.0, -2.0]) * scale;
        let m = model_with(Box::new(L1 { beta, gamma, center: c.clone() }), Matrix::from_diagonal(&Vector::from_vec(diag.to_vec())), "quad", lambda);
        let got = forward_backward_u(&m, &z, &Vector::zeros(4)).unwrap();
        for i in 0..4 {
            let p = gamma * c[i] + 2.0 * diag[i] * z[i] / lambda;
            let want = p.signum() * (p.abs() - beta).max(0.0) / (gamma + 2.0 * diag[i] * diag[i] / lambda);
            assert!((got[i] - want).abs() <= CLOSED_FORM_REL * (scale + want.abs()), "scale {scale:e}, coordinate {i}: u = {:e}, closed form {want:e}", got[i]);
        }
    }
}

/// A start in dom g is kept as it is: the prox of g, which moves a start outside dom g into it,
/// would here move it out of dom φ. With φ = log (dom φ the unit ball), A = I, z = (1.5, 0) and
/// g = 2‖u‖₁ + 0.15‖u‖², the start u₀ = z has Au₀ − z = 0, while prox_g(u₀) = 0 has
/// ‖Au − z‖ = 1.5. The step must succeed and meet the optimality condition there.
#[test]
fn a_start_in_dom_g_is_not_moved_by_the_prox() {
    use infconv_theory::splitting::L1;
    use infconv_theory::splitting::alternating::forward_backward_u;
    let lambda = 0.2;
    let (beta, gamma) = (2.0, 0.3);
    let m = model_with(Box::new(L1 { beta, gamma, center: Vector::zeros(2) }), Matrix::identity(2, 2), "log", lambda);
    let z = Vector::from_vec(vec![1.5, 0.0]);
    let u = forward_backward_u(&m, &z, &z).unwrap();
    let r = -(log_gradient(&(&u - &z)) / lambda + &u * gamma);
    for i in 0..2 {
        let miss = if u[i] != 0.0 { (r[i] - beta * u[i].signum()).abs() } else { (r[i].abs() - beta).max(0.0) };
        assert!(miss <= OPTIMALITY_ABS, "coordinate {i}: u = {}, r = {}, misses ∂g by {miss:e}", u[i], r[i]);
    }
}
