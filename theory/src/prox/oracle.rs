//! The global oracle: the slow, certain reference for the φ-prox (3) and the φ-envelope (2)
//! (docs/checks.md, "Ground truth of the prox").
//!
//! 1. **Region.** Every minimizer z satisfies F(z) ≤ F(v) = f(v) (z = v is feasible: φ(0) = 0 by
//!    (A5)). With the family's minorant f(z) ≥ −a‖z‖² − b‖z‖ − c and the potential's radial
//!    lower bound φ(w) ≥ q‖w‖² + c₃‖w‖³, every z with w = v − z of norm s beyond the last root R
//!    of ψ(s) = (qs² + c₃s³)/λ − a(‖v‖ + s)² − b(‖v‖ + s) − c − f(v) has F(z) > F(v). For a bounded
//!    dom φ, R is its outer radius. When ψ never becomes positive (q/λ ≤ a, no cubic term: λ at or
//!    above the threshold of Definition 3.3) the oracle reports [`TheoryError::Unbounded`]. For a
//!    quadratic φ and a family with a quadratic minorant (the indefinite quadratic) the region is
//!    the exact sublevel ellipsoid instead (`quadratic_radius`), so the oracle refuses exactly
//!    from λ_f = 2/ρ_Q on, not from the cruder 2λ_min(Q)/ρ of the isotropic bound.
//! 2. **Dense sampling** of v − dom φ within that region: a grid of 4001 points in 1-D, 241² in
//!    2-D, 49³ in 3-D (720 angles on an ellipse, 60 × 120 on an ellipsoid surface in 3-D).
//! 3. **Local refinement** from every discrete local minimum of the grid (the best
//!    [`MAX_STARTS`]): damped Newton for C² f, coordinate descent with exact coordinate case
//!    analysis (within two grid spacings) for separable f, Lagrange–Newton for manifolds.
//! 4. **Every near-optimal minimizer** is kept: e(v) is the best refined value, and P(v) every
//!    refined point within [`TIE_REL`]·(1 + |e(v)|) of it, deduplicated at [`DEDUP_REL`], so a
//!    two-valued P is seen.
//!
//! Separable problems (separable φ and separable f) split by coordinate: each coordinate gets the
//! 1-D oracle, P(v) is the product of the coordinate sets and e(v) the sum, in any dimension.
//! Otherwise the oracle works for m ≤ 3.

use super::certificate::{Growth, PhiCertificate, certificate};
use super::nonsmooth::{Line, coordinate_descent};
use super::{inner_objective, manifold, newton, validate};
use crate::family::scalar::ScalarTerm;
use crate::family::{Family, Minorant, Structure};
use crate::potential::Legendre;
use crate::{TheoryError, Vector};

/// Refined points whose value is within TIE_REL·(1 + |e|) of e(v) are global minimizers.
pub const TIE_REL: f64 = 1e-9;
/// Refined points closer than DEDUP_REL·(1 + ‖z‖) are one minimizer.
pub const DEDUP_REL: f64 = 1e-6;
/// Local refinements per oracle call.
pub const MAX_STARTS: usize = 12;
/// Largest product of coordinate sets listed for a separable problem.
pub const MAX_LISTED: usize = 64;

/// What the oracle found.
#[derive(Debug, Clone)]
pub struct OracleResult {
    /// Every global minimizer within the tolerance (P(v)).
    pub minimizers: Vec<Vector>,
    /// e(v).
    pub envelope: f64,
    /// Every refined local minimizer with its value (starting points for [`continuation`]).
    pub local_minima: Vec<(Vector, f64)>,
    /// Grid spacing used (for the refinement windows of a continuation).
    pub spacing: f64,
}

/// The oracle (module doc).
pub fn global(phi: &dyn Legendre, f: &dyn Family, lambda: f64, v: &Vector) -> Result<OracleResult, TheoryError> {
    validate(phi, f, lambda, v)?;
    let m = v.len();
    let cert = certificate(phi, m)?;
    match f.structure() {
        Structure::Separable(terms) if cert.separable => separable(phi, &cert, f, terms, lambda, v),
        _ if m > 3 => Err(TheoryError::InvalidParameter {
            name: "dimension",
            value: format!("{m}"),
            expected: "m ≤ 3 for the global oracle (or a separable φ with a separable f)",
        }),
        Structure::Ellipsoid(d) => on_manifold(phi, f, d, lambda, v),
        _ => on_grid(phi, &cert, f, lambda, v),
    }
}

/// Refinement of the local minima of a nearby oracle call at a new v (a continuation: for v
/// close to the earlier point the global minimizers are continuations of its local minima).
/// Separable problems are re-solved by the exact coordinate oracle.
pub fn continuation(phi: &dyn Legendre, f: &dyn Family, lambda: f64, v: &Vector, near: &OracleResult) -> Result<OracleResult, TheoryError> {
    validate(phi, f, lambda, v)?;
    let cert = certificate(phi, v.len())?;
    if let Structure::Separable(terms) = f.structure()
        && cert.separable
    {
        return separable(phi, &cert, f, terms, lambda, v);
    }
    let mut cands = Vec::new();
    for (z0, _) in &near.local_minima {
        // Keep the start feasible for the new v: move it along with v if needed.
        let start = if inner_objective(phi, f, lambda, v, z0).map(|x| x.is_finite()).unwrap_or(false) { z0.clone() } else { continue };
        if let Some(c) = refine(phi, f, lambda, v, &start, near.spacing) {
            cands.push(c);
        }
    }
    aggregate(cands, near.spacing)
}

fn refine(phi: &dyn Legendre, f: &dyn Family, lambda: f64, v: &Vector, z0: &Vector, spacing: f64) -> Option<(Vector, f64)> {
    match f.structure() {
        Structure::Smooth => newton::newton_local(phi, f, lambda, v, z0).ok().map(|l| (l.z, l.value)),
        Structure::Separable(terms) => {
            let (z, _) = coordinate_descent(phi, terms, lambda, v, z0, Some(2.0 * spacing)).ok()?;
            let val = inner_objective(phi, f, lambda, v, &z).ok()?;
            val.is_finite().then_some((z, val))
        }
        Structure::Ellipsoid(d) => manifold::kkt_local(phi, d, lambda, v, z0).ok().map(|k| (k.z, k.value)),
    }
}

fn aggregate(mut cands: Vec<(Vector, f64)>, spacing: f64) -> Result<OracleResult, TheoryError> {
    cands.retain(|(_, x)| x.is_finite());
    cands.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut uniq: Vec<(Vector, f64)> = Vec::new();
    for (z, x) in cands {
        if !uniq.iter().any(|(u, _)| (u - &z).norm() <= DEDUP_REL * (1.0 + z.norm())) {
            uniq.push((z, x));
        }
    }
    let Some(&(_, e)) = uniq.first().map(|(z, x)| (z, *x)).as_ref() else {
        return Err(TheoryError::Unbounded {
            what: "v",
            reason: "no point of dom f lies in v − dom φ: e(v) = +∞, P(v) = ∅ (Lemma 3.4 (i))".into(),
        });
    };
    let minimizers = uniq.iter().filter(|(_, x)| *x <= e + TIE_REL * (1.0 + e.abs())).map(|(z, _)| z.clone()).collect();
    Ok(OracleResult { minimizers, envelope: e, local_minima: uniq, spacing })
}

/// The last root R of the region bound ψ of the module doc.
fn search_radius(cert: &PhiCertificate, mn: &Minorant, lambda: f64, v: &Vector, fv: f64) -> Result<f64, TheoryError> {
    let vnorm = v.norm();
    if cert.outer_radius.is_finite() {
        return Ok(cert.outer_radius);
    }
    if let (Growth::Quadratic(q), Some((a, g))) = (&cert.growth, &mn.quadratic) {
        return quadratic_radius(q, a, g, lambda, v, fv);
    }
    let (q, c3) = cert.radial_lower;
    if c3 <= 0.0 && q / lambda <= mn.a {
        return Err(TheoryError::Unbounded {
            what: "the inner objective of (3)",
            reason: format!("the potential's growth q/λ = {:.3e} does not dominate the family's −a‖z‖², a = {:.3e}", q / lambda, mn.a),
        });
    }
    let psi = |s: f64| cert.lower_at(s) / lambda - mn.a * (vnorm + s).powi(2) - mn.b * (vnorm + s) - mn.c - fv;
    let mut s = 0.25;
    for _ in 0..400 {
        // ψ is a polynomial with positive leading coefficient: convex beyond its inflection, so
        // once positive and increasing there it stays positive.
        let inflect = if c3 > 0.0 { ((mn.a - q / lambda) / (3.0 * c3 / lambda)).max(0.0) } else { 0.0 };
        if s > inflect && psi(s) > 0.0 && psi(1.01 * s) > psi(s) {
            return Ok(s);
        }
        s *= 1.25;
    }
    Err(TheoryError::Unbounded { what: "the inner objective of (3)", reason: "no finite search radius".into() })
}

/// The region of (1.) for φ(w) = wᵀQw and f(z) ≥ ½zᵀAz + gᵀz: in w = v − z the bound
/// ψ(w) = ½(v − w)ᵀA(v − w) + gᵀ(v − w) + wᵀQw/λ is a quadratic with Hessian B = A + 2Q/λ; if
/// B ≻ 0 its sublevel set {ψ ≤ f(v)} is an ellipsoid around w* = argmin ψ of radius
/// √(2(f(v) − ψ(w*))/λ_min(B)), so every minimizer has ‖w‖ ≤ ‖w*‖ + that radius. If B is not
/// positive definite, λ ≥ λ_f and the inner problem is unbounded below along an eigenvector.
fn quadratic_radius(q: &crate::Matrix, a: &crate::Matrix, g: &Vector, lambda: f64, v: &Vector, fv: f64) -> Result<f64, TheoryError> {
    let b = a + q * (2.0 / lambda);
    let (bmin, _) = crate::linalg::symmetric_eigen_range(&b);
    if !(bmin > 0.0) {
        return Err(TheoryError::Unbounded {
            what: "the inner objective of (3)",
            reason: format!("A + 2Q/λ has eigenvalue {bmin:.3e} ≤ 0: λ is at or above the threshold λ_f of Definition 3.3"),
        });
    }
    let psi = |w: &Vector| -> f64 {
        let z = v - w;
        0.5 * z.dot(&(a * &z)) + g.dot(&z) + w.dot(&(q * w)) / lambda
    };
    let rhs = a * v + g;
    let w_star = b.clone().cholesky().map(|ch| ch.solve(&rhs)).ok_or(TheoryError::Unbounded {
        what: "the inner objective of (3)",
        reason: "A + 2Q/λ is not numerically positive definite".into(),
    })?;
    let gap = (fv - psi(&w_star)).max(0.0);
    // 5 % and a relative rounding allowance on top of the exact ellipsoid bound.
    Ok(1.05 * (w_star.norm() + (2.0 * gap / bmin).sqrt()) + 1e-12 * (1.0 + v.norm()))
}

fn grid_size(m: usize) -> usize {
    match m {
        1 => 4001,
        2 => 241,
        _ => 49,
    }
}

/// Indices of the discrete local minima of values on an n^m grid (axis neighbours), best first.
fn discrete_minima(values: &[f64], n: usize, m: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let stride: Vec<usize> = (0..m).map(|k| n.pow(k as u32)).collect();
    for (idx, &x) in values.iter().enumerate() {
        if !x.is_finite() {
            continue;
        }
        let mut is_min = true;
        for k in 0..m {
            let coord = (idx / stride[k]) % n;
            if coord > 0 && values[idx - stride[k]] < x {
                is_min = false;
            }
            if coord + 1 < n && values[idx + stride[k]] < x {
                is_min = false;
            }
        }
        if is_min {
            out.push(idx);
        }
    }
    out.sort_by(|a, b| values[*a].total_cmp(&values[*b]));
    out
}

fn on_grid(phi: &dyn Legendre, cert: &PhiCertificate, f: &dyn Family, lambda: f64, v: &Vector) -> Result<OracleResult, TheoryError> {
    let m = v.len();
    let fv = f.value(v)?;
    let mn = f.minorant().ok_or(TheoryError::InvalidParameter { name: "family", value: f.name(), expected: "a family finite on ℝᵐ" })?;
    let r = search_radius(cert, &mn, lambda, v, fv)?;
    let n = grid_size(m);
    let spacing = 2.0 * r / (n - 1) as f64;
    let total = n.pow(m as u32);
    let point = |idx: usize| -> Vector {
        Vector::from_fn(m, |k, _| {
            let c = (idx / n.pow(k as u32)) % n;
            v[k] - r + spacing * c as f64
        })
    };
    let values: Vec<f64> = (0..total).map(|idx| inner_objective(phi, f, lambda, v, &point(idx)).unwrap_or(f64::INFINITY)).collect();
    let starts = discrete_minima(&values, n, m);
    let mut cands = Vec::new();
    for &idx in starts.iter().take(MAX_STARTS) {
        if let Some(c) = refine(phi, f, lambda, v, &point(idx), spacing) {
            cands.push(c);
        }
    }
    aggregate(cands, spacing)
}

fn on_manifold(phi: &dyn Legendre, f: &dyn Family, d: &[f64], lambda: f64, v: &Vector) -> Result<OracleResult, TheoryError> {
    let m = v.len();
    let ax: Vec<f64> = d.iter().map(|x| 1.0 / x.sqrt()).collect();
    let (points, n, dims): (Vec<Vector>, usize, usize) = match m {
        1 => (vec![Vector::from_vec(vec![-ax[0]]), Vector::from_vec(vec![ax[0]])], 2, 1),
        2 => {
            let n = 720;
            let pts = (0..n)
                .map(|k| {
                    let th = std::f64::consts::TAU * k as f64 / n as f64;
                    Vector::from_vec(vec![ax[0] * th.cos(), ax[1] * th.sin()])
                })
                .collect();
            (pts, n, 1)
        }
        _ => {
            // θ ∈ (0, π) on 120 rings, ϕ on 120 meridians (index = ring + 120·meridian).
            let n = 120;
            let mut pts = Vec::with_capacity(n * n);
            for j in 0..n {
                for i in 0..n {
                    let th = std::f64::consts::PI * (i as f64 + 0.5) / n as f64;
                    let ph = std::f64::consts::TAU * j as f64 / n as f64;
                    pts.push(Vector::from_vec(vec![ax[0] * th.sin() * ph.cos(), ax[1] * th.sin() * ph.sin(), ax[2] * th.cos()]));
                }
            }
            (pts, n, 2)
        }
    };
    let values: Vec<f64> = points.iter().map(|z| phi.value(&(v - z)).map(|p| p / lambda).unwrap_or(f64::INFINITY)).collect();
    let mut starts: Vec<usize> = if m == 1 {
        (0..2).filter(|k| values[*k].is_finite()).collect()
    } else {
        // Cyclic neighbours along the angles (discrete_minima treats ends as borders; add wrap).
        let mut s = discrete_minima(&values, n, dims);
        s.retain(|&idx| {
            if dims == 1 {
                values[(idx + 1) % n] >= values[idx] && values[(idx + n - 1) % n] >= values[idx]
            } else {
                let j = idx / n;
                let i = idx % n;
                values[i + ((j + 1) % n) * n] >= values[idx] && values[i + ((j + n - 1) % n) * n] >= values[idx]
            }
        });
        s
    };
    if m > 1 && starts.is_empty() {
        // All minima sit on the wrap-around seam of a discrete grid: fall back to the best sample.
        if let Some((idx, _)) = values.iter().enumerate().filter(|(_, x)| x.is_finite()).min_by(|a, b| a.1.total_cmp(b.1)) {
            starts.push(idx);
        }
    }
    let spacing = std::f64::consts::TAU * ax.iter().cloned().fold(0.0, f64::max) / n as f64;
    let mut cands = Vec::new();
    for &idx in starts.iter().take(MAX_STARTS) {
        if m == 1 {
            let z = points[idx].clone();
            if let Ok(val) = inner_objective(phi, f, lambda, v, &z) {
                cands.push((z, val));
            }
        } else if let Some(c) = refine(phi, f, lambda, v, &points[idx], spacing) {
            cands.push(c);
        }
    }
    aggregate(cands, spacing)
}

/// The 1-D oracle of coordinate i of a separable problem: every global minimizer of
/// qᵢ(t) = fᵢ(t) + φ₁(vᵢ − t)/λ and the minimum.
fn coordinate(phi: &dyn Legendre, cert: &PhiCertificate, term: &ScalarTerm, lambda: f64, v: &Vector, i: usize) -> Result<(Vec<f64>, f64), TheoryError> {
    let base = v.clone(); // other coordinates at wⱼ = 0, where φ₁(0) = 0 (A5)
    let line = Line::new(phi, term, lambda, v, &base, i);
    let (dlo, dhi) = line.feasible()?;
    let (a, b, c) = term.minorant();
    let r = search_radius(cert, &Minorant { a, b, c, quadratic: None }, lambda, &Vector::from_element(1, v[i]), term.value(v[i]))?;
    let lo = dlo.max(v[i] - r);
    let hi = dhi.min(v[i] + r);
    let n = grid_size(1);
    let h = (hi - lo) / (n - 1) as f64;
    let ts: Vec<f64> = (0..n).map(|k| lo + h * k as f64).collect();
    let values: Vec<f64> = ts.iter().map(|&t| line.q(t)).collect();
    let mut cands: Vec<(f64, f64)> = Vec::new();
    let mut starts: Vec<f64> = discrete_minima(&values, n, 1).into_iter().take(MAX_STARTS).map(|k| ts[k]).collect();
    starts.extend(term.breakpoints().into_iter().filter(|p| *p > lo && *p < hi));
    for t0 in starts {
        for (t, val) in line.piece_minima(Some((t0 - 2.0 * h, t0 + 2.0 * h)))? {
            cands.push((t, val));
        }
    }
    cands.retain(|(_, x)| x.is_finite());
    cands.sort_by(|x, y| x.1.total_cmp(&y.1));
    let Some(&(_, e)) = cands.first() else {
        return Err(TheoryError::Unbounded { what: "a coordinate of (3)", reason: "no finite value".into() });
    };
    let mut set: Vec<f64> = Vec::new();
    for (t, x) in cands {
        if x <= e + TIE_REL * (1.0 + e.abs()) && !set.iter().any(|s| (s - t).abs() <= DEDUP_REL * (1.0 + t.abs())) {
            set.push(t);
        }
    }
    Ok((set, e))
}

fn separable(phi: &dyn Legendre, cert: &PhiCertificate, f: &dyn Family, terms: &[ScalarTerm], lambda: f64, v: &Vector) -> Result<OracleResult, TheoryError> {
    let mut sets = Vec::with_capacity(terms.len());
    for (i, term) in terms.iter().enumerate() {
        sets.push(coordinate(phi, cert, term, lambda, v, i)?.0);
    }
    // The product of the coordinate sets (first MAX_LISTED).
    let mut points: Vec<Vector> = vec![v.clone()];
    for (i, set) in sets.iter().enumerate() {
        let mut next = Vec::new();
        for p in &points {
            for &t in set {
                if next.len() < MAX_LISTED {
                    let mut q = p.clone();
                    q[i] = t;
                    next.push(q);
                }
            }
        }
        points = next;
    }
    let mut cands = Vec::new();
    for z in points {
        let val = inner_objective(phi, f, lambda, v, &z)?;
        cands.push((z, val));
    }
    let mut out = aggregate(cands, 0.0)?;
    // Every listed point is a global minimizer by construction (ties were decided per coordinate).
    out.minimizers = out.local_minima.iter().map(|(z, _)| z.clone()).collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    //! The oracle's region and its starting points, against what the module doc promises: the
    //! search radius is the last root R* of ψ up to the factor of its geometric search (sound:
    //! ≥ R*; tight: ≤ 1.25 R*, or the first trial 0.25), the quadratic region is the exact
    //! sublevel ellipsoid with its 5 % allowance, and the grid's starting points are exactly the
    //! discrete local minima, best first.

    use super::*;
    use crate::Matrix;

    fn cert(q: f64, c3: f64) -> PhiCertificate {
        PhiCertificate {
            name: "test".into(),
            mu: 2.0 * q,
            growth: Growth::SuperQuadratic,
            radial_lower: (q, c3),
            outer_radius: f64::INFINITY,
            separable: false,
            radial: true,
            cubic_curvature: 0.0,
            layers: Vec::new(),
        }
    }

    fn minorant(a: f64, b: f64, c: f64) -> Minorant {
        Minorant { a, b, c, quadratic: None }
    }

    /// The last root of ψ, found here: ψ > 0 beyond it. Scans down from a point where ψ > 0 in
    /// steps of 0.1 % for the last s with ψ(s) ≤ 0, then bisects.
    fn last_root(psi: impl Fn(f64) -> f64) -> f64 {
        let mut hi = 1e6;
        assert!(psi(hi) > 0.0);
        let mut lo = hi / 1.001;
        while psi(lo) > 0.0 {
            hi = lo;
            lo /= 1.001;
            if lo < 1e-9 {
                return 0.0;
            }
        }
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if psi(mid) > 0.0 { hi = mid } else { lo = mid }
        }
        hi
    }

    #[test]
    fn search_radius_is_the_last_root_of_psi_within_the_search_factor() {
        // (q, c₃) of cubic, cubic-reg and a quadratic-growth bound; minorants with a > q/λ (the
        // inflection of ψ at s > 0) and without; ‖v‖ from 0 to 3.
        let cases = [
            // q, c3, a, b, c, λ, v, f(v)
            (0.0, 1.0, 1.0, 0.0, 0.0, 0.05, vec![0.0, 0.0], 0.0),
            (0.0, 1.0, 2.0, 0.5, 0.1, 1.0, vec![1.0, 0.0], 0.5),
            (0.01, 1.0, 3.0, 1.0, 0.0, 0.5, vec![2.0, -2.0], 4.0),
            (0.5, 0.0, 0.1, 0.2, 0.3, 1.0, vec![0.5, 1.0], 1.0),
            (1.0, 0.0, 0.0, 0.0, 0.0, 0.1, vec![3.0, 0.0], 2.0),
            (0.0, 1.0, 40.0, 0.0, 0.0, 0.01, vec![0.0, 0.1], 0.0),
        ];
        for (q, c3, a, b, c, lambda, v, fv) in cases {
            let v = Vector::from_vec(v);
            let k = cert(q, c3);
            let mn = minorant(a, b, c);
            let vn = v.norm();
            let psi = |s: f64| (q * s * s + c3 * s * s * s) / lambda - a * (vn + s).powi(2) - b * (vn + s) - c - fv;
            let r = search_radius(&k, &mn, lambda, &v, fv).unwrap();
            let root = last_root(psi);
            let at = format!("q = {q}, c₃ = {c3}, a = {a}, b = {b}, c = {c}, λ = {lambda}, v = {:?}", v.as_slice());
            assert!(r >= root && psi(r) > 0.0, "{at}: R = {r} inside the last root {root} of ψ");
            assert!(r <= (1.25 * root).max(0.25) * (1.0 + 1e-12), "{at}: R = {r}, more than 1.25 × the last root {root}");
        }
    }

    #[test]
    fn search_radius_refuses_growth_that_does_not_dominate_and_uses_a_bounded_domain() {
        // q/λ ≤ a without a cubic term: ψ never becomes positive.
        let err = search_radius(&cert(0.5, 0.0), &minorant(1.0, 0.0, 0.0), 0.5, &Vector::zeros(2), 0.0);
        assert!(matches!(err, Err(TheoryError::Unbounded { .. })), "{err:?}");
        // Just above: q/λ = 1.0000001 > a.
        assert!(search_radius(&cert(0.5, 0.0), &minorant(1.0, 0.0, 0.0), 0.5 / 1.0000001, &Vector::zeros(2), 1.0).is_ok());
        // A bounded dom φ: its outer radius, whatever ψ says.
        let mut k = cert(0.0, 0.0);
        k.outer_radius = 0.75;
        assert_eq!(search_radius(&k, &minorant(5.0, 1.0, 1.0), 10.0, &Vector::zeros(1), 0.0).unwrap(), 0.75);
    }

    /// ψ(w) = ½(v − w)ᵀA(v − w) + gᵀ(v − w) + wᵀQw/λ with A = αI, Q = βI and g = −αv: ψ is
    /// least at w* = 0 and its sublevel set {ψ ≤ ψ(0) + δ} is the ball of radius √(2δ/(α + 2β/λ)).
    /// The anisotropic case is compared with the sublevel set's extent measured along 400 rays
    /// (each ray's quadratic solved here): sound, and at most twice it plus the 5 %.
    #[test]
    fn quadratic_radius_is_the_sublevel_ellipsoid() {
        let v = Vector::from_vec(vec![0.3, -1.2]);
        for (alpha, beta, lambda, delta) in [(-1.0, 1.0, 1.0, 2.0), (0.5, 2.0, 0.1, 0.3), (-3.0, 1.0, 0.5, 10.0)] {
            let a = Matrix::identity(2, 2) * alpha;
            let q = Matrix::identity(2, 2) * beta;
            let g = -&v * alpha;
            let psi0 = 0.5 * v.dot(&(&a * &v)) + g.dot(&v);
            let r = quadratic_radius(&q, &a, &g, lambda, &v, psi0 + delta).unwrap();
            let exact = (2.0 * delta / (alpha + 2.0 * beta / lambda)).sqrt();
            assert!(r >= exact && r <= 1.05 * exact + 1e-12 * (1.0 + v.norm()) * (1.0 + 1e-12), "α = {alpha}, β = {beta}, λ = {lambda}: R = {r}, the ball's radius {exact}");
        }
        // Anisotropic: A = [[−1, 0.4], [0.4, 2]], Q = [[1, 0.2], [0.2, 0.5]], g = (0.5, −0.3).
        let a = Matrix::from_row_slice(2, 2, &[-1.0, 0.4, 0.4, 2.0]);
        let q = Matrix::from_row_slice(2, 2, &[1.0, 0.2, 0.2, 0.5]);
        let g = Vector::from_vec(vec![0.5, -0.3]);
        let lambda = 0.4;
        let fv = 0.5 * v.dot(&(&a * &v)) + g.dot(&v);
        let r = quadratic_radius(&q, &a, &g, lambda, &v, fv).unwrap();
        let b = &a + &q * (2.0 / lambda);
        let rhs = &a * &v + &g;
        let mut extent: f64 = 0.0;
        for k in 0..400 {
            let th = std::f64::consts::TAU * k as f64 / 400.0;
            let d = Vector::from_vec(vec![th.cos(), th.sin()]);
            // ψ(sd) − f(v) = ½s² dᵀBd − s dᵀ(Av + g): zero at s = 2dᵀ(Av + g)/dᵀBd.
            let s = 2.0 * d.dot(&rhs) / d.dot(&(&b * &d));
            extent = extent.max(s);
        }
        assert!(r >= extent && r <= 2.0 * 1.05 * extent, "R = {r}, the sublevel set reaches {extent}");
        // At λ beyond the threshold (A + 2Q/λ indefinite): unbounded.
        assert!(matches!(quadratic_radius(&q, &a, &g, 10.0, &v, fv), Err(TheoryError::Unbounded { .. })));
    }

    #[test]
    fn discrete_minima_are_the_points_no_axis_neighbour_undercuts_best_first() {
        // 1-D: minima at 1 (value 1), 3 (value 0) and the end 6 (value 2); a tie is a minimum
        // on both sides; non-finite values are skipped.
        let x = [3.0, 1.0, 2.0, 0.0, 5.0, 4.0, 2.0];
        assert_eq!(discrete_minima(&x, 7, 1), vec![3, 1, 6]);
        assert_eq!(discrete_minima(&[1.0, 1.0, 2.0], 3, 1), vec![0, 1]);
        assert_eq!(discrete_minima(&[f64::INFINITY, 2.0, 3.0, f64::NAN, 1.0], 5, 1), vec![4, 1]);
        // 2-D, 3 × 3, index = i + 3j: a minimum at the centre (value −1) and at the corner
        // (i, j) = (2, 2) (value 0); (0, 0) has value 1 with neighbours 2 and 3.
        #[rustfmt::skip]
        let y = [
            1.0, 2.0, 4.0,
            3.0, -1.0, 2.0,
            5.0, 2.0, 0.0,
        ];
        assert_eq!(discrete_minima(&y, 3, 2), vec![4, 8, 0]);
        // Index 1 = (1, 0) (value 1) is undercut only along the second axis, by index 4 (0.5);
        // the corners 6 and 8 lie on a plateau of 9s, where equal neighbours do not undercut.
        let z = [9.0, 1.0, 9.0, 9.0, 0.5, 9.0, 9.0, 9.0, 9.0];
        assert_eq!(discrete_minima(&z, 3, 2), vec![4, 6, 8]);
    }
}
