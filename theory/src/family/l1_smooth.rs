//! l1-smooth: f(z) = μ‖z‖₁ + Σᵢ (hᵢzᵢ²/2 + bᵢzᵢ + aᵢ cos(ωᵢzᵢ + cᵢ)), weakly convex and
//! nonsmooth (docs/checks.md): r = maxᵢ max(0, |aᵢ|ωᵢ² − hᵢ); ∂f(z) ∋ μ sign(zᵢ) + smooth′ with
//! the interval μ[−1, 1] at zᵢ = 0. The smooth part is separable so that the whole family is,
//! which the nonsmooth solver ([`crate::prox::nonsmooth`]) uses.

use crate::random::SeedGen;
use super::scalar::ScalarTerm;
use super::separable_sum::SeparableFamily;

/// One coordinate: h ∈ [0.5, 1.5], b ~ N(0, 0.3²), |a| ∈ [0.2, 0.6], ω ∈ [0.5, 1.5], μ ∈ [0.2, 0.8].
pub fn l1_term(g: &mut SeedGen) -> ScalarTerm {
    ScalarTerm {
        h: g.uniform(0.5, 1.5),
        b: 0.3 * g.normal(),
        a: g.sign() * g.uniform(0.2, 0.6),
        omega: g.uniform(0.5, 1.5),
        c: g.uniform(0.0, std::f64::consts::TAU),
        kappa: g.uniform(0.2, 0.8),
        mcp: None,
    }
}

/// The generated l1-smooth family in dimension m.
pub fn generate(m: usize, g: &mut SeedGen) -> SeparableFamily {
    SeparableFamily::new("l1-smooth", (0..m).map(|_| l1_term(g)).collect()).expect("h > 0")
}
