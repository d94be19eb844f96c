//! The splitting model (4), F(u, z) = f(z) + φ(Au − z)/λ + g(u) (g quadratic, ℓ1 or a box
//! indicator, each through its own prox), its stationarity conditions
//! (5a)–(5b) and the translated condition (7), and alternating minimization (14a)–(14b) with exact
//! or inexact inner solves, plus the PALM variant ([`alternating`]).

pub mod alternating;
pub mod model;

pub use alternating::{InnerSolve, Run, alternating_minimization, palm};
pub use model::{BoxIndicator, G, L1, Quadratic, SplittingModel};
