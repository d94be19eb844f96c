//! Wrong parameters must be rejected, with a typed error naming the value and what was expected;
//! shapes that do not fit are errors, never panics.

use infconv_theory::potential::cubic::Cubic;
use infconv_theory::potential::layerwise::Layerwise;
use infconv_theory::potential::log::Log;
use infconv_theory::potential::quad_q::QuadQ;
use infconv_theory::potential::registry;
use infconv_theory::potential::scaled::Scaled;
use infconv_theory::potential::{Domain, Gradient, Value, fraction_to_boundary};
use infconv_theory::{Matrix, TheoryError, Vector};

fn invalid(e: TheoryError, name: &str) {
    match &e {
        TheoryError::InvalidParameter { name: n, .. } => assert_eq!(*n, name, "{e}"),
        other => panic!("expected InvalidParameter for {name}, got {other:?}"),
    }
    assert!(e.to_string().contains("expected"), "the message says what was expected: {e}");
}

#[test]
fn eta_must_be_positive_and_finite() {
    for eta in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        invalid(Scaled::new(Log::new(), eta).unwrap_err(), "η");
    }
    assert!(Scaled::new(Log::new(), 0.5).is_ok());
}

#[test]
fn cubic_reg_needs_a_positive_epsilon() {
    for eps in [0.0, -0.1, f64::NAN] {
        invalid(Cubic::regularized(eps).unwrap_err(), "ε");
    }
}

#[test]
fn quad_q_needs_a_symmetric_positive_definite_matrix() {
    let not_square = Matrix::zeros(2, 3);
    invalid(QuadQ::new(not_square).unwrap_err(), "Q");
    let asym = Matrix::from_row_slice(2, 2, &[1.0, 0.5, 0.0, 1.0]);
    invalid(QuadQ::new(asym).unwrap_err(), "Q");
    let indefinite = Matrix::from_row_slice(2, 2, &[1.0, 2.0, 2.0, 1.0]);
    invalid(QuadQ::new(indefinite).unwrap_err(), "Q");
    let q = QuadQ::tridiagonal(3).unwrap();
    let e = q.value(&Vector::zeros(2)).unwrap_err();
    assert!(matches!(e, TheoryError::DimensionMismatch { expected: 3, got: 2, .. }), "{e:?}");
}

#[test]
fn layer_tables_must_be_non_empty_and_positive_and_fit() {
    invalid(Layerwise::new(Log::new(), vec![]).unwrap_err(), "layers");
    invalid(Layerwise::new(Log::new(), vec![3, 0]).unwrap_err(), "layers");
    invalid(Layerwise::new(QuadQ::tridiagonal(2).unwrap(), vec![2]).unwrap_err(), "inner potential");
    let l = Layerwise::new(Log::new(), vec![2, 3]).unwrap();
    assert!(matches!(l.gradient(&Vector::zeros(4)), Err(TheoryError::DimensionMismatch { expected: 5, got: 4, .. })));
    assert!(!l.contains(&Vector::zeros(4)));
}

#[test]
fn registry_rejects_unknown_names_and_dimension_zero() {
    let e = registry::build("tanh", 2).unwrap_err();
    assert!(e.to_string().contains("tan-sep") && e.to_string().contains("tanh"), "{e}");
    invalid(registry::build("log", 0).unwrap_err(), "dimension");
}

#[test]
fn fraction_to_boundary_rejects_fractions_outside_0_1() {
    let log = Log::new();
    let w = Vector::zeros(2);
    let d = Vector::from_vec(vec![1.0, 0.0]);
    for f in [0.0, 1.0, 1.5, -0.1, f64::NAN] {
        invalid(fraction_to_boundary(&log, &w, &d, f).unwrap_err(), "fraction");
    }
    let t = fraction_to_boundary(&log, &w, &d, 0.99).unwrap();
    assert!((t - 0.99).abs() < 1e-15, "t = {t}");
}

#[test]
fn max_step_needs_a_start_inside_and_a_fitting_direction() {
    let log = Log::new();
    let outside = Vector::from_vec(vec![2.0, 0.0]);
    assert!(matches!(log.max_step(&outside, &outside), Err(TheoryError::OutsideDomain { .. })));
    assert!(matches!(
        log.max_step(&Vector::zeros(2), &Vector::zeros(3)),
        Err(TheoryError::DimensionMismatch { .. })
    ));
}

#[test]
fn prox_entry_points_reject_a_bad_lambda() {
    use infconv_theory::family::registry as families;
    use infconv_theory::prox::{envelope_gradient, oracle, phi_prox};
    let (phi, f) = (Log::new(), families::build("smooth-nonconvex", 2, 1).unwrap());
    let v = Vector::from_vec(vec![0.1, 0.2]);
    for lambda in [0.0, -1.0, -1e-300, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        invalid(phi_prox(&phi, f.as_ref(), lambda, &v).unwrap_err(), "lambda");
        invalid(oracle::global(&phi, f.as_ref(), lambda, &v).unwrap_err(), "lambda");
        invalid(envelope_gradient(&phi, lambda, &v, &v).unwrap_err(), "lambda");
    }
}

#[test]
fn check_ids_name_their_hypotheses() {
    use infconv_theory::potential::assumption::Assumption;
    for a in Assumption::ALL {
        assert_eq!(Assumption::from_id(a.id()), Some(a), "{a}");
        assert_eq!(a.to_string(), a.id(), "Display writes the check id");
    }
    for id in ["", "A6", "a1", "L3.4"] {
        assert_eq!(Assumption::from_id(id), None, "{id:?}");
    }
}
