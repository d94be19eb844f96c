//! The splitting model (4), F(u, z) = f(z) + φ(Au − z)/λ + g(u), its stationarity conditions
//! (5a)–(5b) and the translated condition (7), and alternating minimization (14a)–(14b) with exact
//! or inexact inner solves, plus the PALM variant ([`alternating`]).

pub mod alternating;
pub mod model;

pub use alternating::{InnerSolve, Run, alternating_minimization, palm};
pub use model::{Quadratic, SplittingModel};
