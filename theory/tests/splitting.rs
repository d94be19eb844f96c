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
