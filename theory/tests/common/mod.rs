//! Helpers shared by the integration tests of the theory crate.

use infconv_theory::Vector;

/// The gradient of `value` at z by central differences with step h = 1e-6 (1 + |zᵢ|): truncation
/// O(h²|f‴|) and rounding O(ε|f|/h) are both near 1e-10 for functions with O(1) derivatives, so
/// a comparison at 1e-6 relative has a wide margin, and a wrong factor or sign misses it by
/// orders of magnitude.
pub fn central_gradient(value: impl Fn(&Vector) -> f64, z: &Vector) -> Vector {
    Vector::from_fn(z.len(), |i, _| {
        let h = 1e-6 * (1.0 + z[i].abs());
        let (mut p, mut q) = (z.clone(), z.clone());
        p[i] += h;
        q[i] -= h;
        (value(&p) - value(&q)) / (2.0 * h)
    })
}
