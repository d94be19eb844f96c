//! # infconv-theory
//!
//! The mathematical objects of Laude, Wu, Cremers, *Optimization of Inf-Convolution Regularized
//! Nonconvex Composite Problems* (AISTATS 2019), in f64:
//!
//! - [`potential`]: Legendre potentials φ (Definition 3.1, assumptions (A1)–(A5)) with value,
//!   gradient, Hessian, ∇φ* and their domain, the paper's Table 2, η-scaling and layerwise sums as
//!   in (18), and the extension path through dual numbers ([`potential::dual`]);
//! - [`family`]: nonconvex function families f with certificates (weak convexity, threshold λ_f);
//! - [`prox`]: the φ-prox (3) and φ-envelope (2): certified fast solver, global oracle, Jacobian,
//!   gradient formula (13);
//! - [`splitting`]: model (4), alternating minimization (14a)–(14b) and PALM;
//! - [`distributed`]: model (15) and Algorithm 1 with its empirical risks.
//! - [`family`]: function families f with their certificates (weak-convexity modulus, threshold
//!   λ_f of Definition 3.3), including the not-prox-regular controls `neg-abs`, `neg-l1`.
//! - [`prox`]: the φ-prox (3) and φ-envelope (2): a certified fast solver, a global oracle, the
//!   Jacobian of P by implicit differentiation and the gradient formula (13).
//!
//! Every function that takes user input returns a [`TheoryError`] rather than panicking, and no NaN
//! leaves the API: outside its domain a potential's value is `+∞`.

pub mod distributed;
pub mod error;
pub mod family;
pub mod linalg;
pub mod potential;
pub mod prox;
pub mod random;
pub mod roots;
pub mod splitting;

pub use error::TheoryError;
pub use potential::{
    ConjugateGradient, Domain, Gradient, Hessian, Legendre, Value, registry::PotentialInfo,
};

/// The vector type of the theory crate (dynamic dimension, f64).
pub type Vector = nalgebra::DVector<f64>;
/// The matrix type of the theory crate.
pub type Matrix = nalgebra::DMatrix<f64>;
