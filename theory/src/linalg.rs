//! Small linear-algebra helpers shared by the theory and the checks.

use crate::{Matrix, Vector};

/// Smallest and largest eigenvalue of a symmetric matrix (the symmetric part is used).
pub fn symmetric_eigen_range(h: &Matrix) -> (f64, f64) {
    let sym = (h + h.transpose()) * 0.5;
    let eig = nalgebra::SymmetricEigen::new(sym);
    let min = eig.eigenvalues.iter().cloned().fold(f64::INFINITY, f64::min);
    let max = eig.eigenvalues.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    (min, max)
}

/// The smallest eigenvalue of the Jacobi-scaled matrix D^{−1/2} H D^{−1/2} (D the diagonal of
/// the symmetric part of H): a scale-free measure of positive definiteness. Where some diagonal
/// entry is ≤ 0 (H cannot be positive definite), the figure is min Dᵢᵢ / max |Dᵢᵢ| (0 for H = 0).
pub fn jacobi_scaled_min_eigen(h: &Matrix) -> f64 {
    let sym = (h + h.transpose()) * 0.5;
    let d = sym.diagonal();
    let dmin = d.iter().cloned().fold(f64::INFINITY, f64::min);
    if !(dmin > 0.0) {
        let dmax = d.amax();
        return if dmax > 0.0 { dmin / dmax } else { dmin.min(0.0) };
    }
    let s = d.map(|x| 1.0 / x.sqrt());
    let scaled = Matrix::from_fn(sym.nrows(), sym.ncols(), |i, j| s[i] * sym[(i, j)] * s[j]);
    symmetric_eigen_range(&scaled).0
}

/// Relative distance ‖a − b‖ / ‖b‖, and the absolute ‖a‖ when b = 0.
pub fn rel_dist(a: &Vector, b: &Vector) -> f64 {
    let nb = b.norm();
    let d = (a - b).norm();
    if nb > 0.0 { d / nb } else { d }
}

/// Relative distance of two matrices in the Frobenius norm, absolute when b = 0.
pub fn rel_dist_mat(a: &Matrix, b: &Matrix) -> f64 {
    let nb = b.norm();
    let d = (a - b).norm();
    if nb > 0.0 { d / nb } else { d }
}

/// Solves `h p = rhs` for a symmetric `h` that should be positive definite: Cholesky first, then a
/// Levenberg shift `h + μ I` growing from `1e-12‖h‖`; `None` when even that fails or `h` is zero.
pub fn solve_spd_shifted(h: &Matrix, rhs: &Vector) -> Option<Vector> {
    if let Some(ch) = h.clone().cholesky() {
        return Some(ch.solve(rhs));
    }
    let scale = h.norm();
    if !(scale > 0.0) || !scale.is_finite() {
        return None;
    }
    let mut mu = 1e-12 * scale;
    for _ in 0..40 {
        let shifted = h + Matrix::identity(h.nrows(), h.ncols()) * mu;
        if let Some(ch) = shifted.cholesky() {
            return Some(ch.solve(rhs));
        }
        mu *= 10.0;
    }
    None
}

/// ‖x‖₂ without overflow or underflow in the squares: with a = maxᵢ |xᵢ|, ‖x‖ = a ‖x/a‖, where
/// ‖x/a‖ ∈ [1, √m]. Finite for every finite x whose norm is representable; `+∞` only when the
/// norm itself exceeds f64::MAX (or x has an infinite coordinate), NaN only for a NaN coordinate.
/// The plain `norm()` squares first and overflows from ‖x‖ ≈ 1.3e154 on.
pub fn scaled_norm(x: &Vector) -> f64 {
    let a = x.iter().fold(0.0f64, |acc, v| if v.is_nan() { f64::NAN } else { acc.max(v.abs()) });
    if a == 0.0 || !a.is_finite() {
        return a;
    }
    let s: f64 = x.iter().map(|v| (v / a) * (v / a)).sum();
    a * s.sqrt()
}

/// x/‖x‖ computed as (x/a)/‖x/a‖ with a = maxᵢ |xᵢ|, so that it is a unit vector for every finite
/// x ≠ 0, however large or small; `None` for x = 0 or a non-finite coordinate.
pub fn scaled_unit(x: &Vector) -> Option<Vector> {
    let a = x.amax();
    if a == 0.0 || !a.is_finite() || x.iter().any(|v| v.is_nan()) {
        return None;
    }
    let xs = x / a;
    let n = xs.norm();
    Some(xs / n)
}
