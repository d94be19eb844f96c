//! Random draws shared by the generators of the theory crate and the checks.

use rand::Rng;

/// Box–Muller: a standard normal from two uniforms u₁ ∈ (0, 1], u₂ ∈ [0, 1).
pub fn box_muller(u1: f64, u2: f64) -> f64 {
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A standard normal draw from any `rand` generator.
pub fn normal(rng: &mut impl Rng) -> f64 {
    let u1 = 1.0 - rng.random::<f64>(); // (0, 1]
    let u2 = rng.random::<f64>();
    box_muller(u1, u2)
}
