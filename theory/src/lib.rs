//! # infconv-theory
//!
//! The mathematical objects of Laude, Wu, Cremers, *Optimization of Inf-Convolution Regularized
//! Nonconvex Composite Problems* (AISTATS 2019), in f64:
//!
//! Modules, one line each:
//!
//! - [`distributed`]: model (15) and Algorithm 1 with Nesterov momentum and boundary cuts;
//! - [`error`]: [`TheoryError`], the typed errors of every entry point;
//! - [`family`]: nonconvex function families f with certificates (r, λ_f) and the controls;
//! - [`linalg`]: small linear-algebra helpers shared with the checks;
//! - [`linesearch`]: Armijo backtracking, the one sufficient-decrease search of the workbench;
//! - [`potential`]: Legendre potentials φ: Table 2, (18), dual-number path, negative controls;
//! - [`prox`]: the φ-prox (3) and φ-envelope (2): fast solver, global oracle, Jacobian, (13);
//! - [`random`]: seeded random draws shared by the generators and the checks;
//! - [`roots`]: safeguarded Newton–bisection for increasing scalar equations (∇φ*), and the one
//!   bisection on a monotone test ([`roots::bisect`]);
//! - [`splitting`]: model (4), alternating minimization (14a)–(14b) and PALM.
//!
//! Formulas of the potentials: docs/potentials.md; the families and the prox's ground truth:
//! docs/checks.md.
//!
//! Every function that takes user input returns a [`TheoryError`] rather than panicking, and no NaN
//! leaves the API: outside its domain a potential's value is `+∞`.

pub mod distributed;
pub mod error;
pub mod family;
pub mod linalg;
pub mod linesearch;
pub mod potential;
pub mod prox;
pub mod random;
pub mod roots;
pub mod splitting;

pub use error::TheoryError;
/// The dual numbers that profiles are written in (see [`profile!`]).
pub use num_dual;
pub use potential::{
    ConjugateGradient, Domain, Gradient, Hessian, Legendre, Value, registry::PotentialInfo,
};

/// The vector type of the theory crate (dynamic dimension, f64).
pub type Vector = nalgebra::DVector<f64>;
/// The matrix type of the theory crate.
pub type Matrix = nalgebra::DMatrix<f64>;
