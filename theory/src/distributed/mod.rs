//! Distributed training as in section 5: model (15), F(u, z) = Σⱼ fⱼ(zⱼ) + (1/λ) φ̂(u − zⱼ), with
//! empirical risks fⱼ ([`risk`]) and Algorithm 1 (stochastic alternating linearized minimization)
//! with Nesterov momentum and fraction-to-boundary line search ([`algorithm1`]).

pub mod algorithm1;
pub mod least_squares;
pub mod logistic;
pub mod mlp;
pub mod risk;

pub use algorithm1::{Algorithm1, Config, Consensus, Order, Residuals, residual_5a, residual_5b_entry};
pub use risk::EmpiricalRisk;
