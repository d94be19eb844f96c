//! The divergence test: does a sequence sampled on a geometric scale grow without bound?
//!
//! Given x₁ ≤ … ≤ x_K (one decade, or half a decade, between samples), the growth ratio is the last
//! increment divided by the mean increment, (x_K − x_{K−1}) / ((x_K − x₁)/(K − 1)). Logarithmic
//! divergence (log, entropy gradients) gives ≈ 1, power-law or faster divergence > 1, a sequence
//! with a finite limit a geometrically small ratio, a decreasing one ≤ 0. `+∞` at the end counts
//! as divergence, NaN anywhere as its absence. Compared with
//! [`GROWTH_RATIO_MIN`](crate::tolerance::GROWTH_RATIO_MIN).

/// The growth ratio of a geometrically sampled sequence (see the module documentation).
pub fn growth_ratio(x: &[f64]) -> f64 {
    if x.len() < 3 || x.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    let k = x.len();
    if x[k - 1] == f64::INFINITY {
        return f64::INFINITY;
    }
    if x.iter().any(|v| !v.is_finite()) {
        return f64::NAN;
    }
    let mean = (x[k - 1] - x[0]) / (k - 1) as f64;
    if !(mean > 0.0) {
        return 0.0;
    }
    (x[k - 1] - x[k - 2]) / mean
}

/// A figure of φ along `rays` random rays toward the boundary of dom φ: for each ray d whose
/// boundary is at a finite t_b, `figure` at (1 − 10⁻ᵏ)·t_b·d for k = 1 … 10 (NaN where it fails).
/// Returns (t_b, the ten figures) per bounded ray and the number of rays that never left dom φ.
pub fn toward_boundary(
    phi: &dyn infconv_theory::Legendre,
    m: usize,
    rays: usize,
    rng: &mut rand_chacha::ChaCha8Rng,
    figure: impl Fn(&infconv_theory::Vector) -> f64,
) -> (Vec<(f64, Vec<f64>)>, usize) {
    let (mut bounded, mut unbounded) = (Vec::new(), 0);
    for _ in 0..rays {
        let d = crate::rng::unit_direction(rng, m);
        let tb = crate::sampling::ray_boundary(phi, &d);
        if !tb.is_finite() {
            unbounded += 1;
            continue;
        }
        bounded.push((tb, (1..=10).map(|k| figure(&(&d * ((1.0 - 10f64.powi(-k)) * tb)))).collect()));
    }
    (bounded, unbounded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::GROWTH_RATIO_MIN;

    fn decades(f: impl Fn(f64) -> f64) -> Vec<f64> {
        (1..=10).map(|k| f(10f64.powi(-k))).collect()
    }

    #[test]
    fn logarithmic_and_power_divergence_pass() {
        assert!(growth_ratio(&decades(|d| -d.ln())) >= GROWTH_RATIO_MIN);
        assert!(growth_ratio(&decades(|d| 1.0 / d)) >= GROWTH_RATIO_MIN);
    }

    #[test]
    fn finite_limits_and_decrease_fail() {
        // (1 − d) ln(1 − d) + (1 + d) … → finite: entropy at the boundary behaves like 2ln2 − d ln(1/d).
        assert!(growth_ratio(&decades(|d| 2.0 * 2f64.ln() - d * (1.0 / d).ln())) < GROWTH_RATIO_MIN);
        assert!(growth_ratio(&decades(|d| 1.0 - d)) < GROWTH_RATIO_MIN);
        assert!(growth_ratio(&decades(|d| d)) < GROWTH_RATIO_MIN);
        assert!(growth_ratio(&[1.0, f64::NAN, 3.0]).is_nan());
    }
}
