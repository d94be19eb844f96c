//! The scalar roots of the feasibility bound (fraction-to-boundary line search of Algorithm 1 for
//! the bounded potentials): the largest t ≥ 0 that keeps d + t e inside the safe domain, per
//! layer (a ball of squared radius ρ²) or per coordinate (an interval (−ρ, ρ)).

/// The largest t ≥ 0 with ‖d + t e‖² < ρ², from a = ‖e‖², b = ⟨d, e⟩, c = ‖d‖² − ρ²: the
/// positive root of a t² + 2b t + c, in the form without cancellation. 0 if already outside
/// (c ≥ 0), +∞ if e = 0.
pub fn radial_max_step(a: f64, b: f64, c: f64) -> f64 {
    if c >= 0.0 || c.is_nan() {
        return 0.0;
    }
    if a <= 0.0 {
        return f64::INFINITY;
    }
    let root = (b * b - a * c).sqrt();
    if b <= 0.0 { (root - b) / a } else { -c / (b + root) }
}

/// The largest t ≥ 0 with |d + t e| < ρ: 0 if already outside, +∞ if e = 0.
#[inline(always)]
pub fn coordinate_max_step(d: f64, e: f64, rho: f64) -> f64 {
    if !(d.abs() < rho) {
        0.0
    } else if e > 0.0 {
        (rho - d) / e
    } else if e < 0.0 {
        (rho + d) / -e
    } else {
        f64::INFINITY
    }
}

/// The step length of a line search: min(1, fraction · t*) for bounded potentials, 1 otherwise.
pub fn step_length(bounded: bool, fraction: f64, t_star: f64) -> f64 {
    if bounded { (fraction * t_star).min(1.0) } else { 1.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radial_root_is_on_the_sphere() {
        // d = (0.5, 0), e = (1, 1), ρ = 1: (0.5 + t)² + t² = 1.
        let (a, b, c) = (2.0, 0.5, 0.25 - 1.0);
        let t = radial_max_step(a, b, c);
        assert!(((0.5 + t) * (0.5 + t) + t * t - 1.0).abs() < 1e-14);
        let t = radial_max_step(2.0, -0.5, c); // e = (−1, 1)
        assert!(((0.5 - t) * (0.5 - t) + t * t - 1.0).abs() < 1e-14);
        assert_eq!(radial_max_step(0.0, 0.0, -1.0), f64::INFINITY);
        assert_eq!(radial_max_step(1.0, 0.0, 0.5), 0.0);
    }

    #[test]
    fn coordinate_root_hits_the_interval_end() {
        assert_eq!(coordinate_max_step(0.5, 2.0, 1.0), 0.25);
        assert_eq!(coordinate_max_step(0.5, -3.0, 1.0), 0.5);
        assert_eq!(coordinate_max_step(1.5, -3.0, 1.0), 0.0);
        assert_eq!(coordinate_max_step(0.0, 0.0, 1.0), f64::INFINITY);
    }
}
