//! mcp: f(z) = Σᵢ MCP_{μᵢ,γᵢ}(zᵢ) + hᵢzᵢ²/2 + bᵢzᵢ, the minimax concave penalty plus a small
//! quadratic (docs/checks.md): MCP_{μ,γ}(t) = μ|t| − t²/(2γ) for |t| ≤ γμ, γμ²/2 beyond. Weakly
//! convex with r = maxᵢ max(0, 1/γᵢ − hᵢ) (MCP + t²/(2γ) is convex); the kink at 0 is convex,
//! ∂ = bᵢ + μᵢ[−1, 1] there.

use crate::random::SeedGen;
use super::scalar::ScalarTerm;
use super::separable_sum::SeparableFamily;

/// One coordinate: μ ∈ [0.5, 1], γ ∈ [1.5, 3], h ∈ [0.05, 0.3], b ~ N(0, 0.3²).
pub fn mcp_term(g: &mut SeedGen) -> ScalarTerm {
    let mu = g.uniform(0.5, 1.0);
    let gamma = g.uniform(1.5, 3.0);
    ScalarTerm { h: g.uniform(0.05, 0.3), b: 0.3 * g.normal(), mcp: Some((mu, gamma)), ..ScalarTerm::zero() }
}

/// The generated mcp family in dimension m.
pub fn generate(m: usize, g: &mut SeedGen) -> SeparableFamily {
    SeparableFamily::new("mcp", (0..m).map(|_| mcp_term(g)).collect()).expect("h > 0")
}
