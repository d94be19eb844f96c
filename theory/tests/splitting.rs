//! Model (4), alternating minimization (14a)–(14b) and PALM on a small smooth instance.

use infconv_theory::family::registry as families;
use infconv_theory::potential::registry;
use infconv_theory::splitting::{InnerSolve, Quadratic, SplittingModel, alternating_minimization, palm};
use infconv_theory::{Matrix, TheoryError, Vector};

fn model(potential: &str, lambda: f64) -> SplittingModel {
    let a = Matrix::from_row_slice(2, 2, &[1.0, 0.2, -0.1, 0.9]);
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
    let w = Matrix::from_row_slice(2, 2, &[1.0, 0.2, -0.1, 0.9]) * &u - &z;
    let fz = families::build("smooth-nonconvex", 2, 5).unwrap().value(&z).unwrap();
    let want = fz + (-(1.0 - w.norm_squared()).ln()) / 0.05 + 0.5 * 2.0 * (&u - Vector::from_vec(vec![0.3, -0.2])).norm_squared();
    let got = m.value(&u, &z).unwrap();
    assert!((got - want).abs() <= 1e-13 * (1.0 + want.abs()), "F(u, z) = {got}, by its parts {want}");
}
