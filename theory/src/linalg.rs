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

#[cfg(test)]
mod tests {
    use super::*;

    /// A rotation of diag(−1, 3): eigenvalues −1 and 3; the antisymmetric part added on top is
    /// ignored.
    #[test]
    fn eigen_range_of_the_symmetric_part() {
        let (c, s) = (0.6, 0.8);
        let r = Matrix::from_row_slice(2, 2, &[c, -s, s, c]);
        let h = &r * Matrix::from_diagonal(&Vector::from_vec(vec![-1.0, 3.0])) * r.transpose();
        let skew = Matrix::from_row_slice(2, 2, &[0.0, 5.0, -5.0, 0.0]);
        let (lo, hi) = symmetric_eigen_range(&(h + skew));
        assert!((lo + 1.0).abs() <= 1e-14 && (hi - 3.0).abs() <= 1e-14, "({lo}, {hi})");
    }

    /// D^{−1/2}HD^{−1/2} of [[4, 2], [2, 9]] is [[1, 1/3], [1/3, 1]] with least eigenvalue 2/3;
    /// a diagonal with an entry ≤ 0 gives min Dᵢᵢ / max |Dᵢᵢ|.
    #[test]
    fn jacobi_scaling_is_scale_free() {
        let h = Matrix::from_row_slice(2, 2, &[4.0, 2.0, 2.0, 9.0]);
        assert!((jacobi_scaled_min_eigen(&h) - 2.0 / 3.0).abs() <= 1e-15);
        assert!((jacobi_scaled_min_eigen(&(h * 1e-9)) - 2.0 / 3.0).abs() <= 1e-14, "invariant under scaling");
        let d = |a: f64, b: f64| jacobi_scaled_min_eigen(&Matrix::from_diagonal(&Vector::from_vec(vec![a, b])));
        assert_eq!(d(-2.0, 4.0), -0.5);
        assert_eq!(d(-2.0, -1.0), -1.0);
        assert_eq!(d(0.0, 3.0), 0.0);
        assert_eq!(d(0.0, 0.0), 0.0);
    }

    #[test]
    fn relative_distances_fall_back_to_absolute_at_zero() {
        let (a, b) = (Vector::from_vec(vec![3.0, 4.0]), Vector::from_vec(vec![0.0, 8.0]));
        assert_eq!(rel_dist(&a, &b), 5.0 / 8.0);
        assert_eq!(rel_dist(&a, &Vector::zeros(2)), 5.0);
        let (am, bm) = (Matrix::from_row_slice(1, 2, &[3.0, 4.0]), Matrix::from_row_slice(1, 2, &[0.0, 8.0]));
        assert_eq!(rel_dist_mat(&am, &bm), 5.0 / 8.0);
        assert_eq!(rel_dist_mat(&am, &Matrix::zeros(1, 2)), 5.0);
    }

    /// Cholesky where h is positive definite; for diag(1, −1) the first shift 1e-12‖h‖·10ᵏ that
    /// makes it definite is μ = √2 (k = 12), so p = (r₀/(1 + √2), r₁/(√2 − 1)); nothing for h = 0
    /// or a non-finite h.
    #[test]
    fn shifted_solves_follow_the_levenberg_sequence() {
        let rhs = Vector::from_vec(vec![1.0, 2.0]);
        let h = Matrix::from_row_slice(2, 2, &[4.0, 1.0, 1.0, 3.0]);
        let p = solve_spd_shifted(&h, &rhs).unwrap();
        assert!((&h * &p - &rhs).norm() <= 1e-15 * rhs.norm() * 4.0, "residual of the definite solve");
        let p = solve_spd_shifted(&Matrix::from_diagonal(&Vector::from_vec(vec![1.0, -1.0])), &rhs).unwrap();
        let mu = 1e-12 * 2f64.sqrt() * 1e12;
        let want = Vector::from_vec(vec![1.0 / (1.0 + mu), 2.0 / (mu - 1.0)]);
        assert!((&p - &want).norm() <= 1e-12 * want.norm(), "{p:?} against {want:?}");
        assert!(solve_spd_shifted(&Matrix::zeros(2, 2), &rhs).is_none());
        assert!(solve_spd_shifted(&Matrix::from_diagonal(&Vector::from_vec(vec![f64::NAN, 1.0])), &rhs).is_none());
        assert!(solve_spd_shifted(&Matrix::from_diagonal(&Vector::from_vec(vec![f64::INFINITY, -1.0])), &rhs).is_none());
    }

    #[test]
    fn scaled_norms_and_units_survive_extreme_magnitudes() {
        for s in [1e-300, 1e-200, 1.0, 1e200, 1e300] {
            let x = Vector::from_vec(vec![3.0 * s, -4.0 * s]);
            assert!((scaled_norm(&x) / (5.0 * s) - 1.0).abs() <= 4.0 * f64::EPSILON, "scale {s}: {}", scaled_norm(&x));
            let u = scaled_unit(&x).unwrap();
            assert!((&u - Vector::from_vec(vec![0.6, -0.8])).norm() <= 4.0 * f64::EPSILON, "scale {s}: {u:?}");
        }
        assert_eq!(scaled_norm(&Vector::zeros(3)), 0.0);
        assert!(scaled_norm(&Vector::from_vec(vec![1.0, f64::NAN])).is_nan());
        assert!(scaled_norm(&Vector::from_vec(vec![f64::NAN, 1.0])).is_nan());
        assert_eq!(scaled_norm(&Vector::from_vec(vec![1.0, f64::NEG_INFINITY])), f64::INFINITY);
        assert_eq!(scaled_norm(&Vector::from_vec(vec![f64::MAX, f64::MAX])), f64::INFINITY);
        assert!(scaled_unit(&Vector::zeros(2)).is_none());
        assert!(scaled_unit(&Vector::from_vec(vec![1.0, f64::NAN])).is_none());
        assert!(scaled_unit(&Vector::from_vec(vec![1.0, f64::INFINITY])).is_none());
    }
}
