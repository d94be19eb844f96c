//! `cosh`: φ(w) = Σᵢ (cosh wᵢ − 1) on ℝᵐ, written only through the extension path
//! ([`DualPotential`]): its gradient, Hessian, ∇φ* and domain geometry all come from
//! [`FromDual`]. (A1)–(A5) hold: ψ″ = cosh ≥ 1, ψ(0) = ψ′(0) = 0, exponential growth.

use super::dual::FromDual;

crate::dual_potential! {
    /// The value and domain of Σᵢ (cosh wᵢ − 1): nothing else is written for it. (cosh t − 1 =
    /// 2 sinh²(t/2), without the cancellation of cosh t − 1 near 0.)
    pub CoshValue, "cosh",
    |w| w.iter().map(|t| (t.clone() * 0.5).sinh().powi(2) * 2.0).sum(),
    contains = |w| w.iter().all(|t| t.is_finite())
}

/// cosh = Σᵢ (cosh wᵢ − 1), a [`FromDual`] potential.
pub type Cosh = FromDual<CoshValue>;
