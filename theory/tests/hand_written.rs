//! The traits implemented by hand, as a user adds a potential without a generic value: what the
//! provided defaults and the shared step rule do with such an implementation.

use infconv_theory::potential::{ConjugateGradient, Domain, Gradient, Hessian, Legendre, Value, fraction_to_boundary};
use infconv_theory::{Matrix, TheoryError, Vector};

mod common;
use common::bounded;

/// φ(w) = ½‖w‖² on ℝᵐ, written by hand: no generic value, so no dual-number derivatives.
#[derive(Debug)]
struct HandQuad;

impl Value for HandQuad {
    fn value(&self, w: &Vector) -> Result<f64, TheoryError> {
        Ok(0.5 * w.norm_squared())
    }
}
impl Gradient for HandQuad {
    fn gradient(&self, w: &Vector) -> Result<Vector, TheoryError> {
        Ok(w.clone())
    }
}
impl Hessian for HandQuad {
    fn hessian(&self, w: &Vector) -> Result<Matrix, TheoryError> {
        Ok(Matrix::identity(w.len(), w.len()))
    }
}
impl ConjugateGradient for HandQuad {
    fn conjugate_gradient(&self, y: &Vector) -> Result<Vector, TheoryError> {
        Ok(y.clone())
    }
}
impl Domain for HandQuad {
    fn contains(&self, w: &Vector) -> bool {
        w.iter().all(|t| t.is_finite())
    }
    fn max_step(&self, _w: &Vector, _d: &Vector) -> Result<f64, TheoryError> {
        Ok(f64::INFINITY)
    }
    fn inradius(&self) -> f64 {
        f64::INFINITY
    }
    fn boundary_distance(&self, _w: &Vector) -> f64 {
        f64::INFINITY
    }
}
impl Legendre for HandQuad {
    fn name(&self) -> String {
        "hand-quad".into()
    }
}

/// A potential without a generic value has no independent derivatives to offer: the default
/// answers `None`, so the conformance checks that compare closed forms with dual numbers skip it
/// rather than compare with made-up numbers; it is bound to no dimension.
#[test]
fn defaults_of_a_hand_written_potential() {
    let phi = HandQuad;
    for m in [1, 3] {
        let w = Vector::from_element(m, 0.5);
        assert!(phi.dual_derivatives(&w).is_none(), "m = {m}: no generic value, no dual derivatives");
    }
    assert_eq!(phi.fixed_dim(), None);
}

/// A domain whose geometry contradicts its membership test (max_step says 1, nothing is inside):
/// the halving of the fraction-to-boundary step stops at t = 0, in bounded time, instead of
/// halving 0 forever.
#[derive(Debug)]
struct Nowhere;

impl Domain for Nowhere {
    fn contains(&self, _w: &Vector) -> bool {
        false
    }
    fn max_step(&self, _w: &Vector, _d: &Vector) -> Result<f64, TheoryError> {
        Ok(1.0)
    }
    fn inradius(&self) -> f64 {
        0.0
    }
    fn boundary_distance(&self, _w: &Vector) -> f64 {
        0.0
    }
}

#[test]
fn fraction_to_boundary_stops_at_zero_on_a_contradicting_domain() {
    let t = bounded("fraction_to_boundary on an empty domain", || {
        fraction_to_boundary(&Nowhere, &Vector::zeros(2), &Vector::from_vec(vec![1.0, -1.0]), 0.5)
    });
    assert_eq!(t.unwrap(), 0.0);
    // With a consistent domain the same rule takes the whole fraction.
    let t = fraction_to_boundary(&HandQuad, &Vector::zeros(2), &Vector::from_vec(vec![1.0, -1.0]), 0.5).unwrap();
    assert_eq!(t, 1.0, "min(1, 0.5 · ∞)");
}
