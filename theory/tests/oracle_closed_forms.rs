//! The global oracle's coordinate-wise path (separable φ and f) and its manifold path in 1-D and
//! 3-D, against minimizers written out by hand:
//!
//! - φ = ‖·‖² and fᵢ(t) = κ|t| + ht²/2 + bt: qᵢ(t) = fᵢ(t) + (vᵢ − t)²/λ is convex for
//!   h + 2/λ > 0, with the minimizer t₊ = (2vᵢ/λ − b − κ)/(h + 2/λ) if that is > 0, t₋ = (2vᵢ/λ − b
//!   + κ)/(h + 2/λ) if that is < 0, and 0 otherwise (soft thresholding);
//! - φ = ‖·‖² and fᵢ(t) = −|t|: the two candidates vᵢ ± λ/2 have values ∓vᵢ − λ/4, so P is the one
//!   on vᵢ's side, and at vᵢ = 0 both: P(0) has 2ᵐ points and e(0) = −mλ/4;
//! - φ = Σᵢ −log(1 − wᵢ²) and fᵢ(t) = κ|t|: away from 0 the optimality condition
//!   κ sign(t) = 2w/((1 − w²)λ), w = vᵢ − t, is the quadratic κλs w² + 2w − κλs = 0 with root
//!   w = s(√(1 + (κλ)²) − 1)/(κλ), s = sign(vᵢ); t = 0 when |vᵢ| < 1 and |2vᵢ/(1 − vᵢ²)| ≤ κλ;
//! - a radial φ on the sphere ‖z‖ = R in 3-D: P(v) = Rv/‖v‖, and at v = 0 every point of the
//!   sphere is a minimizer; on the two points {±a} (the 1-D ellipse): the nearer one, both at 0.
//!
//! Tolerances: the coordinate oracle bisects to the last bit, so points agree to
//! [`POINT_REL`] = 1e-12 relative; the manifold oracle refines by Lagrange–Newton to the rounding
//! floor, [`MANIFOLD_ABS`] = 1e-9. Values to [`VALUE_REL`] = 1e-12.

use infconv_theory::family::ellipse::EllipsoidSurface;
use infconv_theory::family::scalar::ScalarTerm;
use infconv_theory::family::separable_sum::SeparableFamily;
use infconv_theory::family::sphere::sphere;
use infconv_theory::potential::registry;
use infconv_theory::prox::oracle;
use infconv_theory::{Matrix, TheoryError, Vector};

const POINT_REL: f64 = 1e-12;
const MANIFOLD_ABS: f64 = 1e-9;
const VALUE_REL: f64 = 1e-12;

fn term(h: f64, b: f64, kappa: f64) -> ScalarTerm {
    ScalarTerm { h, b, kappa, ..ScalarTerm::zero() }
}

fn close(a: &Vector, b: &Vector) -> bool {
    (a - b).amax() <= POINT_REL * (1.0 + b.amax())
}

#[test]
fn soft_thresholding_near_and_far() {
    let phi = registry::build("quad", 2).unwrap();
    // κ = 0.8 and 0.3, with a quadratic and a linear part.
    let terms = vec![term(0.5, 0.2, 0.8), term(2.0, -0.4, 0.3)];
    let f = SeparableFamily::new("soft-threshold", terms.clone()).unwrap();
    let lambda = 0.5;
    let soft = |i: usize, v: f64| -> f64 {
        let ScalarTerm { h, b, kappa, .. } = terms[i];
        let den = h + 2.0 / lambda;
        let (tp, tm) = ((2.0 * v / lambda - b - kappa) / den, (2.0 * v / lambda - b + kappa) / den);
        if tp > 0.0 {
            tp
        } else if tm < 0.0 {
            tm
        } else {
            0.0
        }
    };
    // Thresholded to 0 in both, in one, far out (the search radius must reach 1e3).
    for v in [[0.05, 0.02], [1.3, -0.01], [-2.0, 3.0], [1e3, -2.5e3], [-0.2, 0.0]] {
        let v = Vector::from_vec(v.to_vec());
        let want = Vector::from_fn(2, |i, _| soft(i, v[i]));
        let o = oracle::global(phi.as_ref(), &f, lambda, &v).unwrap();
        assert!(o.minimizers.len() == 1 && close(&o.minimizers[0], &want), "v = {:?}: oracle {:?}, soft thresholding {want:?}", v.as_slice(), o.minimizers);
        let e = (0..2).map(|i| terms[i].value(want[i]) + (v[i] - want[i]).powi(2) / lambda).sum::<f64>();
        assert!((o.envelope - e).abs() <= VALUE_REL * (1.0 + e.abs()), "v = {:?}: e = {}, closed form {e}", v.as_slice(), o.envelope);
    }
}

#[test]
fn the_concave_kink_gives_both_points_at_zero_and_the_near_one_elsewhere() {
    let phi = registry::build("quad", 2).unwrap();
    let f = infconv_theory::family::neg_abs::neg_l1(2).unwrap();
    for lambda in [0.1, 1.0, 7.0] {
        let h = lambda / 2.0;
        let o = oracle::global(phi.as_ref(), &f, lambda, &Vector::zeros(2)).unwrap();
        assert_eq!(o.minimizers.len(), 4, "λ = {lambda}: P(0) = {:?}", o.minimizers);
        for sx in [-1.0, 1.0] {
            for sy in [-1.0, 1.0] {
                let want = Vector::from_vec(vec![sx * h, sy * h]);
                assert!(o.minimizers.iter().any(|z| close(z, &want)), "λ = {lambda}: {want:?} missing from P(0) = {:?}", o.minimizers);
            }
        }
        assert!((o.envelope + lambda / 2.0).abs() <= VALUE_REL * (1.0 + lambda), "λ = {lambda}: e(0) = {}, −mλ/4 = {}", o.envelope, -lambda / 2.0);
        // Off 0 in the first coordinate only: two points, on v₁'s side.
        let v = Vector::from_vec(vec![0.3 * h, 0.0]);
        let o = oracle::global(phi.as_ref(), &f, lambda, &v).unwrap();
        assert_eq!(o.minimizers.len(), 2, "λ = {lambda}, v = {v:?}: {:?}", o.minimizers);
        assert!(o.minimizers.iter().all(|z| (z[0] - (v[0] + h)).abs() <= POINT_REL * (1.0 + h)), "λ = {lambda}: {:?}", o.minimizers);
    }
}

#[test]
fn log_sep_with_an_l1_term_matches_the_quadratics_root() {
    let phi = registry::build("log-sep", 3).unwrap();
    let kappa = 1.2;
    let f = SeparableFamily::new("l1", vec![term(0.0, 0.0, kappa); 3]).unwrap();
    for lambda in [0.2, 1.0, 4.0] {
        let kl = kappa * lambda;
        let want_t = |v: f64| -> f64 {
            // t = 0 needs |vᵢ| < 1 (w = vᵢ in dom φ) and 0 ∈ κ[−1, 1] − φ′(vᵢ)/λ.
            if v.abs() < 1.0 && (2.0 * v / (1.0 - v * v)).abs() <= kl {
                return 0.0;
            }
            let w = v.signum() * ((1.0 + kl * kl).sqrt() - 1.0) / kl;
            v - w
        };
        // dom: |vᵢ − t| < 1; v near the kink, beyond the threshold, and far out.
        let v = Vector::from_vec(vec![0.05, -0.9, 3.5]);
        let want = Vector::from_fn(3, |i, _| want_t(v[i]));
        let o = oracle::global(phi.as_ref(), &f, lambda, &v).unwrap();
        assert!(o.minimizers.len() == 1 && close(&o.minimizers[0], &want), "λ = {lambda}: oracle {:?}, closed form {want:?}", o.minimizers);
    }
}

#[test]
fn radial_potentials_on_the_sphere_in_three_dimensions() {
    let radius = 1.3;
    let f = sphere(3, radius).unwrap();
    for name in ["quad", "log", "cubic"] {
        let phi = registry::build(name, 3).unwrap();
        // Directions on an axis, on the seam of the oracle's angle grid (ϕ = 0) and generic.
        for dir in [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.6, 0.0, -0.8], [0.48, -0.6, 0.64]] {
            let dir = Vector::from_vec(dir.to_vec());
            // Within dom φ of the sphere (log: ‖v − z‖ < 1).
            for s in [0.5, 1.2] {
                let v = &dir * (radius * s);
                let want = &dir * radius;
                let o = oracle::global(phi.as_ref(), &f, 0.3, &v).unwrap();
                let err = o.minimizers.iter().map(|z| (z - &want).amax()).fold(f64::INFINITY, f64::min);
                assert!(o.minimizers.len() == 1 && err <= MANIFOLD_ABS, "{name}, v = {:?}: oracle {:?}, Rv/‖v‖ = {want:?}", v.as_slice(), o.minimizers);
            }
        }
        // At the centre every point of the sphere is a minimizer: more than one is listed, all
        // on the sphere at the same value φ(R)/λ.
        if name != "log" {
            let o = oracle::global(phi.as_ref(), &f, 0.3, &Vector::zeros(3)).unwrap();
            assert!(o.minimizers.len() >= 2, "{name}: P(0) = {:?}", o.minimizers);
            assert!(o.minimizers.iter().all(|z| (z.norm() - radius).abs() <= MANIFOLD_ABS), "{name}: {:?}", o.minimizers);
        }
    }
}

#[test]
fn the_one_dimensional_ellipse_is_two_points() {
    let f = EllipsoidSurface::from_axes("two-points", &[0.8]).unwrap();
    let phi = registry::build("quad", 1).unwrap();
    for (v, want) in [(0.3, vec![0.8]), (-2.0, vec![-0.8]), (0.0, vec![-0.8, 0.8])] {
        let o = oracle::global(phi.as_ref(), &f, 1.0, &Vector::from_vec(vec![v])).unwrap();
        let mut got: Vec<f64> = o.minimizers.iter().map(|z| z[0]).collect();
        got.sort_by(f64::total_cmp);
        assert_eq!(got, want, "v = {v}");
        let e = (v - want[0]).powi(2);
        assert!((o.envelope - e).abs() <= VALUE_REL * (1.0 + e), "v = {v}: e = {}, closed form {e}", o.envelope);
    }
    // With a bounded dom φ, a v farther than its radius from both points: e = +∞, a typed error.
    let log = registry::build("log", 1).unwrap();
    let err = oracle::global(log.as_ref(), &f, 1.0, &Vector::from_vec(vec![2.5]));
    assert!(matches!(err, Err(TheoryError::Unbounded { .. })), "{err:?}");
}

/// φ = ‖·‖² on the ellipsoid zᵀDz = 1 in 3-D (axes 0.8, 1.1, 1.5): P(v) is the nearest point,
/// zᵢ = vᵢ/(1 + s dᵢ) with s the one root of Σ dᵢvᵢ²/(1 + s dᵢ)² = 1 above −1/max dᵢ (the
/// secular equation of the Lagrange system (v − z)/λ·2 = 2tDz with s = λt), found by bisection
/// here. Points inside the ellipsoid have several KKT points (nearest, farthest, saddles), so
/// the oracle's grid of starts must reach the right basin.
#[test]
fn nearest_point_on_a_three_dimensional_ellipsoid() {
    let axes = [0.8, 1.1, 1.5];
    let d: Vec<f64> = axes.iter().map(|a| 1.0 / (a * a)).collect();
    let f = EllipsoidSurface::from_axes("ellipsoid", &axes).unwrap();
    let phi = registry::build("quad", 3).unwrap();
    let mut worst: f64 = 0.0;
    for v in [[0.1, 0.2, 0.3], [-0.3, 0.05, -0.2], [1.2, -0.9, 0.4], [0.0, 0.6, -1.9], [-0.05, -0.5, 0.0]] {
        let v = Vector::from_vec(v.to_vec());
        let g = |s: f64| (0..3).map(|i| d[i] * v[i] * v[i] / (1.0 + s * d[i]).powi(2)).sum::<f64>() - 1.0;
        let dmax = d.iter().cloned().fold(0.0, f64::max);
        let (mut lo, mut hi) = (-1.0 / dmax, 1.0);
        while g(hi) > 0.0 {
            hi *= 2.0;
        }
        for _ in 0..300 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if g(mid) > 0.0 { lo = mid } else { hi = mid }
        }
        let s = 0.5 * (lo + hi);
        let want = Vector::from_fn(3, |i, _| v[i] / (1.0 + s * d[i]));
        let o = oracle::global(phi.as_ref(), &f, 0.5, &v).unwrap();
        let err = o.minimizers.iter().map(|z| (z - &want).amax()).fold(f64::INFINITY, f64::min);
        worst = worst.max(err);
        assert!(o.minimizers.len() == 1 && err <= MANIFOLD_ABS, "v = {:?}: oracle {:?}, nearest point {want:?}", v.as_slice(), o.minimizers);
    }
    eprintln!("nearest point on a 3-D ellipsoid: worst error {worst:.2e}");
}

/// The oracle lists every refined point within TIE_REL·(1 + |e|) of e(v) (its documented tie
/// tolerance). fᵢ(t) = −|t| + βt with φ = ‖·‖², v = 0: the two local minimizers
/// t = λ(1 − β)/2 and −λ(1 + β)/2 have values −λ(1 ∓ β)²/4, apart by λβ. With λ = 1000
/// (|e| ≈ 250) a gap of 1e-7 is a tie (below 1e-9 · 251), a gap of 1e-6 is not; with λ = 0.04
/// (|e| ≈ 0.01) a gap of 1e-10 is a tie (below 1e-9 · 1.01; a tolerance proportional to |e|
/// alone, 1e-11, would miss it).
#[test]
fn near_ties_within_the_tolerance_are_both_listed() {
    let phi = registry::build("quad", 1).unwrap();
    for (lambda, beta, listed) in [(1000.0, 1e-10, 2), (1000.0, 1e-9, 1), (1000.0, 0.0, 2), (0.04, 2.5e-9, 2)] {
        let f = SeparableFamily::new("tilted-neg-abs", vec![ScalarTerm { kappa: -1.0, b: beta, ..ScalarTerm::zero() }]).unwrap();
        let o = oracle::global(phi.as_ref(), &f, lambda, &Vector::zeros(1)).unwrap();
        assert_eq!(o.minimizers.len(), listed, "β = {beta} (gap λβ = {:.1e}, tolerance {:.1e}): {:?}", lambda * beta, oracle::TIE_REL * (1.0 + o.envelope.abs()), o.minimizers);
        let best = -lambda * (1.0 + beta).powi(2) / 4.0;
        assert!((o.envelope - best).abs() <= VALUE_REL * best.abs(), "β = {beta}: e = {}, closed form {best}", o.envelope);
    }
}

/// The spacing the manifold oracle reports (its public field, the refinement window of a
/// continuation) covers its grid: no two consecutive points of the 720-angle grid on the ellipse
/// (semi-axes 0.7, 1.6) are farther apart than it, and it is not more than twice that gap.
#[test]
fn the_manifold_grid_spacing_covers_the_grid() {
    let ax = [0.7, 1.6];
    let f = EllipsoidSurface::from_axes("ellipse", &ax).unwrap();
    let phi = registry::build("quad-Q", 2).unwrap();
    let o = oracle::global(phi.as_ref(), &f, 0.5, &Vector::from_vec(vec![0.4, 0.9])).unwrap();
    let n = 720;
    let p = |k: usize| {
        let th = std::f64::consts::TAU * k as f64 / n as f64;
        Vector::from_vec(vec![ax[0] * th.cos(), ax[1] * th.sin()])
    };
    let gap = (0..n).map(|k| (p(k + 1) - p(k)).norm()).fold(0.0, f64::max);
    assert!(o.spacing >= gap && o.spacing <= 2.0 * gap, "spacing {} against the largest grid gap {gap}", o.spacing);
}

/// The tie tolerance TIE_REL·(1 + |e|) on the grid path (a smooth f) where |e| is small: f(z) =
/// cos 2z + βz + C in 1-D with φ = z², λ = 1, v = 0 has a double well, minimizers ±z* (sin 2z =
/// z, z* ≈ 0.948) whose values differ by about 2βz*. C shifts e(v) to 0.01; β = 5.3e-11 makes the
/// gap 1e-10, a tie under 1e-9·1.01 (both listed), while a tolerance proportional to |e| alone
/// (1e-11) would list one.
#[test]
fn near_ties_on_the_grid_path_are_listed_where_e_is_small() {
    use infconv_theory::family::smooth_nonconvex::{Cosine, SmoothNonconvex};
    let phi = registry::build("quad", 1).unwrap();
    let build = |beta: f64, shift: f64| {
        let cos2 = Cosine { a: 1.0, omega: Vector::from_element(1, 2.0), c: 0.0 };
        let constant = Cosine { a: shift, omega: Vector::zeros(1), c: 0.0 };
        SmoothNonconvex::new(Matrix::zeros(1, 1), Vector::from_element(1, beta), vec![cos2, constant]).unwrap()
    };
    let v = Vector::zeros(1);
    let e0 = oracle::global(phi.as_ref(), &build(0.0, 0.0), 1.0, &v).unwrap().envelope;
    let beta = 5.3e-11;
    let o = oracle::global(phi.as_ref(), &build(beta, 0.01 - e0), 1.0, &v).unwrap();
    assert!((o.envelope - 0.01).abs() <= 1e-6, "e(v) = {}, meant to be about 0.01", o.envelope);
    let values: Vec<f64> = o.local_minima.iter().map(|(_, x)| *x).collect();
    assert_eq!(o.minimizers.len(), 2, "gap {:.1e} within the tolerance {:.1e}: {:?} (local minima {values:?})", values.get(1).map_or(f64::NAN, |x| x - o.envelope), oracle::TIE_REL * (1.0 + o.envelope.abs()), o.minimizers);
    assert!(o.minimizers.iter().any(|z| z[0] > 0.9) && o.minimizers.iter().any(|z| z[0] < -0.9), "±z*: {:?}", o.minimizers);
}

/// The 3-D manifold grid covers the poles: from the centre of the ellipsoid with semi-axes
/// (1, 1.1, 0.5) the nearest points (φ = ‖·‖²) are the poles (0, 0, ±0.5), e(0) = 0.25/λ, while
/// the equator holds only saddles of the distance ((±1, 0, 0) at distance 1). A grid that missed
/// the polar rings would report a saddle.
#[test]
fn the_3d_manifold_grid_reaches_the_poles() {
    let f = EllipsoidSurface::from_axes("ellipse", &[1.0, 1.1, 0.5]).unwrap();
    let phi = registry::build("quad", 3).unwrap();
    let lambda = 2.0;
    let o = oracle::global(phi.as_ref(), &f, lambda, &Vector::zeros(3)).unwrap();
    assert!((o.envelope - 0.25 / lambda).abs() <= VALUE_REL * 0.25 / lambda, "e(0) = {}, the poles give {}", o.envelope, 0.25 / lambda);
    assert_eq!(o.minimizers.len(), 2, "two poles: {:?}", o.minimizers);
    for z in &o.minimizers {
        assert!((z[2].abs() - 0.5).abs() <= MANIFOLD_ABS && z[0].abs() + z[1].abs() <= MANIFOLD_ABS, "not a pole: {z:?}");
    }
}

/// φ = ‖·‖², λ = 1, on the ellipsoid with semi-axes `axes` and v = (±s, 0, …): the vertices
/// (±a₁, 0, …) are local minimizers (the caller's geometry makes sure), the nearer one global,
/// and every local minimizer is listed with its value (±a₁ − s)²; at v = 0 they tie and both are
/// P(0).
fn vertices_on_the_seam(axes: &[f64], s: f64) {
    let m = axes.len();
    let f = EllipsoidSurface::from_axes("ellipse", axes).unwrap();
    let phi = registry::build("quad", m).unwrap();
    let a1 = axes[0];
    let vertex = |x: f64| Vector::from_fn(m, |i, _| if i == 0 { x } else { 0.0 });
    for s in [s, -s] {
        let v = vertex(s);
        let o = oracle::global(phi.as_ref(), &f, 1.0, &v).unwrap();
        let near = vertex(a1 * s.signum());
        assert!(o.minimizers.len() == 1 && (&o.minimizers[0] - &near).amax() <= MANIFOLD_ABS, "m = {m}, v = {v:?}: P(v) = {:?}", o.minimizers);
        for x in [a1, -a1] {
            let want = (x - s).powi(2);
            let found = o.local_minima.iter().any(|(z, val)| (z - vertex(x)).amax() <= MANIFOLD_ABS && (val - want).abs() <= VALUE_REL * (1.0 + want));
            assert!(found, "m = {m}, v = {v:?}: the local minimizer {:?} with value {want} missing from {:?}", vertex(x), o.local_minima);
        }
    }
    let o = oracle::global(phi.as_ref(), &f, 1.0, &Vector::zeros(m)).unwrap();
    assert_eq!(o.minimizers.len(), 2, "m = {m}: P(0) = both vertices: {:?}", o.minimizers);
    for x in [a1, -a1] {
        assert!(o.minimizers.iter().any(|z| (z - vertex(x)).amax() <= MANIFOLD_ABS), "m = {m}: {:?} missing from P(0) = {:?}", vertex(x), o.minimizers);
    }
}

/// The ellipse with semi-axes (0.5, 1) from v = (±0.1, 0): the vertices (±0.5, 0) are local
/// minimizers of the distance (the radius of curvature there, 1²/0.5 = 2, exceeds both distances
/// 0.5 ∓ 0.1). The vertex (0.5, 0) sits on the seam of the 720-angle grid (θ = 0, index 0, next
/// to index 719), (−0.5, 0) inside it (index 360).
#[test]
fn the_ellipse_grid_keeps_minimizers_on_its_seam() {
    vertices_on_the_seam(&[0.5, 1.0], 0.1);
}

/// The same on the 3-D grid, whose seam is the meridian ϕ = 0 (next to ϕ = −3°): the ellipsoid
/// with semi-axes (1, 2, 1.2) and v = (±0.3, 0, 0) has local minimizers (±1, 0, 0) (radii of
/// curvature 4 and 1.44 there, above the distances 1 ∓ 0.3), (1, 0, 0) on the seam, (−1, 0, 0) on
/// the meridian ϕ = π. The poles (0, 0, ±1.2), at distance 1.24, are nearer to v than the far
/// local minimizer: grid points there are lower than it, but no neighbour of it.
#[test]
fn the_ellipsoid_grid_keeps_minimizers_on_its_seam() {
    vertices_on_the_seam(&[1.0, 2.0, 1.2], 0.3);
}

/// Both poles of the 3-D grid with a bounded dom φ: φ = log (‖v − z‖ < ρ, ρ = 1) on the
/// ellipsoid with semi-axes (2, 2.2, 3) and v = (0, 0, ±2.7), and log(·/0.06) (ρ = 0.06) with v =
/// (0, 0, ±2.95): only a cap around the near pole lies in v − dom φ, so the grid must have points
/// on that cap. The small one has an angular radius below 1° (√(ρ² − 0.05²)/2 ≈ 0.017 rad, the
/// curvature radius at the pole being 2²/3), which the first ring of the grid, at 0.75°, reaches.
/// P(v) is the pole (0, 0, ±3), the nearest point (a radial φ), and e(v) = φ(v − pole)/λ.
#[test]
fn the_ellipsoid_grid_reaches_both_poles_under_a_bounded_domain() {
    use infconv_theory::potential::{Legendre, log::Log, scaled::Scaled};
    let f = EllipsoidSurface::from_axes("ellipse", &[2.0, 2.2, 3.0]).unwrap();
    let lambda = 0.5;
    let wide = registry::build("log", 3).unwrap();
    let narrow: Box<dyn Legendre> = Box::new(Scaled::new(Log::new(), 0.06).unwrap());
    for (phi, depth, rho) in [(wide, 0.3, 1.0), (narrow, 0.05, 0.06)] {
        for s in [1.0, -1.0] {
            let v = Vector::from_vec(vec![0.0, 0.0, (3.0 - depth) * s]);
            let pole = Vector::from_vec(vec![0.0, 0.0, 3.0 * s]);
            let o = oracle::global(phi.as_ref(), &f, lambda, &v).unwrap_or_else(|e| panic!("{}, v = {v:?}: {e}", phi.name()));
            assert!(o.minimizers.len() == 1 && (&o.minimizers[0] - &pole).amax() <= MANIFOLD_ABS, "{}, v = {v:?}: P(v) = {:?}", phi.name(), o.minimizers);
            let want = -(1.0 - (depth / rho) * (depth / rho)).ln() / lambda; // log: φ(w) = −log(1 − ‖w/ρ‖²)
            assert!((o.envelope - want).abs() <= VALUE_REL * (1.0 + want), "{}, v = {v:?}: e(v) = {}, expected {want}", phi.name(), o.envelope);
        }
    }
}

/// A double well inside one piece of a coordinate: φ = log-sep (−log(1 − w²) per coordinate),
/// fᵢ(t) = cos 2t (smooth, no kink), v = 0, λ = 1: qᵢ(t) = cos 2t − log(1 − t²) is even with
/// q″(0) = −4 + 2 < 0 (a local maximum at 0) and q → +∞ at ±1, so its minimizers are ±t* with
/// q′(t*) = −2 sin 2t* + 2t*/(1 − t*²) = 0, solved here by bisection on (0.1, 0.99) where q′
/// changes sign once. The coordinate oracle must find both wells of the one smooth piece: P(0) is
/// the product of {±t*} over the coordinates, 2ᵐ points, of which it lists at most `MAX_LISTED`.
#[test]
fn a_double_well_in_one_piece_gives_both_points_and_the_listing_is_capped() {
    let dq = |t: f64| -2.0 * (2.0 * t).sin() + 2.0 * t / (1.0 - t * t);
    let (mut lo, mut hi) = (0.1, 0.99);
    assert!(dq(lo) < 0.0 && dq(hi) > 0.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if dq(mid) < 0.0 { lo = mid } else { hi = mid }
    }
    let t = 0.5 * (lo + hi);
    let e1 = (2.0 * t).cos() - (1.0 - t * t).ln();
    let well = ScalarTerm { a: 1.0, omega: 2.0, ..ScalarTerm::zero() };
    for (m, listed) in [(1usize, 2usize), (2, 4), (7, oracle::MAX_LISTED)] {
        let phi = registry::build("log-sep", m).unwrap();
        let f = SeparableFamily::new("well", vec![well.clone(); m]).unwrap();
        let o = oracle::global(phi.as_ref(), &f, 1.0, &Vector::zeros(m)).unwrap();
        assert_eq!(o.minimizers.len(), listed, "m = {m}: P(0) has 2^{m} points, listed {listed}: {:?}", o.minimizers);
        assert!(o.minimizers.iter().all(|z| z.iter().all(|x| (x.abs() - t).abs() <= POINT_REL)), "m = {m}: {:?}, expected ±{t}", o.minimizers);
        if m == 1 {
            assert!(o.minimizers[0][0] * o.minimizers[1][0] < 0.0, "both wells: {:?}", o.minimizers);
        }
        let want = m as f64 * e1;
        assert!((o.envelope - want).abs() <= VALUE_REL * (1.0 + want.abs()), "m = {m}: e(0) = {}, expected {want}", o.envelope);
    }
}
