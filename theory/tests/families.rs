//! One harness for every family of the registry: what each family computes (value, subgradient,
//! Hessian, distance to ∂f, nearest subgradient) is held to its value by differences and to the
//! definitions, and what it declares (weak-convexity modulus, minorants, lower bound, λ_f,
//! prox-regularity, fixed dimension, how it decreases) is held to samples of the function.
//! The expected verdicts come from each family's declarations, not from a table of names.

use infconv_theory::family::registry::{self, Decrease, FamilyHypothesis};
mod common;

use common::central_gradient;
use infconv_theory::family::scalar::Side;
use infconv_theory::family::{Family, Structure};
use infconv_theory::prox::certificate::certificate;
use infconv_theory::random::SeedGen;
use infconv_theory::{Matrix, Vector};

/// Every family is built from seeds 0..SEEDS, in dimension 1 + seed mod 3 (or its fixed one).
const SEEDS: u64 = 16;
/// Central differences against derivatives (see `common::central_gradient`), relative to
/// max(1, ‖∇f‖).
const DIFF_REL: f64 = 1e-6;
/// Inequalities between O(1) sums, allowed to fail by their rounding only.
const ROUND_REL: f64 = 1e-12;

/// The families of every seed, each with its seed and dimension; a family of a fixed dimension
/// refuses the others.
fn families() -> Vec<(&'static registry::FamilyInfo, u64, usize, Box<dyn Family>)> {
    let mut out = Vec::new();
    for info in registry::all() {
        for seed in 0..SEEDS {
            let m = info.fixed_dim.unwrap_or(1 + seed as usize % 3);
            if let Some(d) = info.fixed_dim {
                assert!(registry::build(info.name, d + 1, seed).is_err(), "{} exists only in dimension {d}", info.name);
            }
            let f = registry::build(info.name, m, seed).unwrap();
            assert_eq!((f.name(), f.dim()), (info.name.to_string(), m));
            out.push((info, seed, m, f));
        }
    }
    out
}

/// Sample points of dom f: on the surface for an ellipsoid indicator, anywhere otherwise, at
/// radii from 0.05 to 3.
fn points(f: &dyn Family, g: &mut SeedGen) -> Vec<Vector> {
    let m = f.dim();
    (0..40)
        .map(|k| {
            let z = Vector::from_fn(m, |_, _| g.normal()) * [0.05, 0.5, 1.0, 3.0][k % 4];
            match f.structure() {
                Structure::Ellipsoid(d) => {
                    let s: f64 = z.iter().zip(d).map(|(x, di)| di * x * x).sum();
                    z / s.sqrt()
                }
                _ => z,
            }
        })
        .collect()
}

/// Where f is finite around z (every family but the indicators), its subgradient is its gradient
/// by central differences, and its Hessian, where it has one, the differences of that gradient.
#[test]
fn derivatives_match_central_differences() {
    let mut worst = 0.0f64;
    for (info, seed, m, f) in families() {
        if matches!(f.structure(), Structure::Ellipsoid(_)) {
            continue;
        }
        let mut g = SeedGen::new(seed, info.name);
        for z in points(f.as_ref(), &mut g) {
            let grad = f.subgradient(&z).unwrap();
            let rel = (&grad - central_gradient(|x| f.value(x).unwrap(), &z)).norm() / grad.norm().max(1.0);
            worst = worst.max(rel);
            assert!(rel <= DIFF_REL, "{} (m = {m}, seed {seed}) at {z:?}: ∇f off differences by {rel:e}", info.name);
            if let Some(h) = f.hessian(&z) {
                let h = h.unwrap();
                let fd = Matrix::from_fn(m, m, |i, j| {
                    let s = 1e-6 * (1.0 + z[j].abs());
                    let (mut p, mut q) = (z.clone(), z.clone());
                    p[j] += s;
                    q[j] -= s;
                    (f.subgradient(&p).unwrap()[i] - f.subgradient(&q).unwrap()[i]) / (2.0 * s)
                });
                let rel = (&h - fd).norm() / h.norm().max(1.0);
                assert!(rel <= DIFF_REL, "{} (seed {seed}, m = {m}) at {z:?}: ∇²f off differences by {rel:e}", info.name);
            }
        }
    }
    println!("families: worst relative gap of ∇f to central differences {worst:.2e}");
}

/// dist(y, ∂f(z)) is attained at the nearest subgradient, the subgradient itself is at distance 0,
/// and for an ellipsoid indicator ∂ι_M(z) = span{Dz}: a y = αDz + t (t ⟂ Dz) is at distance ‖t‖.
#[test]
fn distances_are_attained_at_the_nearest_subgradient() {
    for (info, seed, m, f) in families() {
        let mut g = SeedGen::new(seed, info.name);
        for z in points(f.as_ref(), &mut g) {
            let y = Vector::from_fn(m, |_, _| 2.0 * g.normal());
            let d = f.subdifferential_distance(&z, &y).unwrap();
            let near = f.nearest_subgradient(&z, &y).unwrap();
            assert!((d - (&y - &near).norm()).abs() <= ROUND_REL * (1.0 + d), "{} (seed {seed}, m = {m}): distance {d}, to the nearest subgradient {}", info.name, (&y - &near).norm());
            let sub = f.subgradient(&z).unwrap();
            assert!(f.subdifferential_distance(&z, &sub).unwrap() <= ROUND_REL * (1.0 + sub.norm()), "{}: the subgradient is not in ∂f", info.name);
            if let Structure::Ellipsoid(dd) = f.structure() {
                let n = Vector::from_fn(m, |i, _| dd[i] * z[i]);
                let t = &y - &n * (y.dot(&n) / n.norm_squared());
                assert!((d - t.norm()).abs() <= ROUND_REL * (1.0 + d), "{}: distance {d}, by hand {}", info.name, t.norm());
                let off = &z * 1.1;
                assert_eq!(f.value(&off).unwrap(), f64::INFINITY, "{}: off the surface", info.name);
                assert_eq!(f.subdifferential_distance(&off, &y).unwrap(), f64::INFINITY);
                assert!(f.nearest_subgradient(&off, &y).is_err() && f.subgradient(&off).is_err());
                assert_eq!(f.value(&z).unwrap(), 0.0);
            }
        }
    }
}

/// A declared modulus r makes f + (r/2)‖·‖² convex: midpoint convexity on random pairs (and, for
/// the indefinite quadratic, r is exactly −λ_min(∇²f)). Where no modulus is declared (a concave
/// kink, a nonconvex surface), no r works: r = 1e3 fails midpoint convexity on a pair found by the
/// kink at 0 or two antipodal points of the surface. Prox-regularity is declared false exactly for the
/// families that declare they break it.
#[test]
fn declared_weak_convexity_holds_or_fails_as_declared() {
    for (info, seed, m, f) in families() {
        let mut g = SeedGen::new(seed, info.name);
        let big = |r: f64, z: &Vector| f.value(z).unwrap() + 0.5 * r * z.norm_squared();
        let midpoint_gap = |r: f64, a: &Vector, b: &Vector| big(r, &((a + b) * 0.5)) - 0.5 * (big(r, a) + big(r, b));
        assert_eq!(f.prox_regular(), info.breaks != Some(FamilyHypothesis::ProxRegular), "{}: prox-regularity against its declaration", info.name);
        match f.weak_convexity_modulus() {
            Some(r) => {
                let pts = points(f.as_ref(), &mut g);
                for (a, b) in pts.iter().zip(pts.iter().rev()) {
                    let gap = midpoint_gap(r, a, b);
                    assert!(gap <= ROUND_REL * (1.0 + big(r, a).abs() + big(r, b).abs()), "{} (seed {seed}, m = {m}): f + (r/2)‖·‖² with r = {r} not convex between {a:?} and {b:?} (gap {gap:e})", info.name);
                }
                // Where f is C², ∇²f + rI ⪰ 0 at the samples (exactly singular somewhere for the
                // quadratic families, where r = −λ_min(H) is the sharp modulus); a separable f has
                // f″ᵢ + r ≥ 0 on every smooth piece of every coordinate.
                if f.hessian(&Vector::zeros(m)).is_some() {
                    let mut tightest = f64::INFINITY;
                    for z in &pts {
                        let lmin = infconv_theory::linalg::symmetric_eigen_range(&f.hessian(z).unwrap().unwrap()).0;
                        assert!(lmin + r >= -ROUND_REL * (1.0 + r), "{} (seed {seed}): λ_min(∇²f) = {lmin} < −r = {}", info.name, -r);
                        tightest = tightest.min(lmin + r);
                    }
                    if info.decrease == Decrease::Quadratic {
                        assert!(tightest.abs() <= ROUND_REL * (1.0 + r), "{} (seed {seed}): r = {r} is not sharp ({tightest:e})", info.name);
                    }
                }
                if let Structure::Separable(terms) = f.structure() {
                    for (i, term) in terms.iter().enumerate() {
                        for k in 0..400 {
                            let t = -4.0 + 8.0 * k as f64 / 399.0;
                            assert!(term.second(t, Side::Right) + r >= -ROUND_REL * (1.0 + r), "{} (seed {seed}): f″{i}({t}) < −r = {}", info.name, -r);
                        }
                    }
                }
            }
            None => {
                let pair = match f.structure() {
                    Structure::Ellipsoid(_) => {
                        // Antipodal points of the surface: their midpoint 0 is off it.
                        let p = points(f.as_ref(), &mut g).swap_remove(0);
                        (p.clone(), -p)
                    }
                    _ => (Vector::from_element(m, -1e-4), Vector::from_element(m, 1e-4)),
                };
                let gap = midpoint_gap(1e3, &pair.0, &pair.1);
                assert!(gap > 0.0, "{} (seed {seed}, m = {m}) declares no modulus, yet r = 1e3 convexifies the pair {pair:?}", info.name);
            }
        }
    }
}

/// The minorants and the lower bound hold on samples out to ‖z‖ = 300; a family without a
/// minorant is not finite everywhere. A family that decreases quadratically has, against
/// φ = ‖·‖², the finite threshold λ_f: f(z) + ‖z‖²/λ is bounded below along the direction of
/// most negative curvature for λ = 0.9λ_f and unbounded for λ = 1.1λ_f; the others have λ_f = ∞.
#[test]
fn minorants_lower_bounds_and_thresholds_hold_on_samples() {
    for (info, seed, m, f) in families() {
        let mut g = SeedGen::new(seed, info.name);
        let mut pts = points(f.as_ref(), &mut g);
        if !matches!(f.structure(), Structure::Ellipsoid(_)) {
            pts.extend((0..20).map(|k| Vector::from_fn(m, |_, _| g.normal()) * [30.0, 300.0][k % 2]));
        }
        match f.minorant() {
            Some(mn) => {
                for z in &pts {
                    let v = f.value(z).unwrap();
                    let n = z.norm();
                    let low = -mn.a * n * n - mn.b * n - mn.c;
                    assert!(v >= low - ROUND_REL * (1.0 + v.abs() + low.abs()), "{} (seed {seed}, m = {m}): f = {v} below its minorant {low} at ‖z‖ = {n}", info.name);
                    if let Some((a, b)) = &mn.quadratic {
                        let q = 0.5 * z.dot(&(a * z)) + b.dot(z);
                        assert!(v >= q - ROUND_REL * (1.0 + v.abs() + q.abs()), "{}: f = {v} below its quadratic minorant {q}", info.name);
                    }
                }
            }
            None => assert!(pts.iter().any(|z| f.value(&(z * 1.5)).unwrap() == f64::INFINITY), "{}: no minorant, yet finite at every sample", info.name),
        }
        if let Some(lb) = f.lower_bound() {
            for z in &pts {
                let v = f.value(z).unwrap();
                assert!(v >= lb - ROUND_REL * (1.0 + lb.abs()), "{} (seed {seed}, m = {m}): f = {v} below its lower bound {lb}", info.name);
            }
        }
        // How the family declares it decreases far out, against what it certifies.
        match info.decrease {
            Decrease::None => assert!(f.lower_bound().is_some(), "{}: declared bounded below, without a lower bound", info.name),
            Decrease::Linear => {
                let mn = f.minorant().expect("finite on ℝᵐ");
                assert!(mn.a == 0.0 && f.lower_bound().is_none(), "{}: declared to decrease linearly, minorant {mn:?}", info.name);
            }
            Decrease::Quadratic => assert!(f.lower_bound().is_none() && f.minorant().unwrap().a > 0.0, "{}: declared to decrease quadratically", info.name),
        }
        let quad = infconv_theory::potential::registry::build("quad", m).unwrap();
        let lf = f.threshold(&certificate(quad.as_ref(), m).unwrap());
        if info.decrease == Decrease::Quadratic {
            assert!(lf.is_finite() && lf > 0.0, "{}: decreases quadratically, λ_f = {lf}", info.name);
            let h = f.hessian(&Vector::zeros(m)).unwrap().unwrap();
            let eig = nalgebra::SymmetricEigen::new(h);
            let k = eig.eigenvalues.imin();
            let dir = eig.eigenvectors.column(k).into_owned();
            let far = |lambda: f64, t: f64| f.value(&(&dir * t)).unwrap() + t * t / lambda;
            assert!(far(0.9 * lf, 1e4) > 0.0 && far(0.9 * lf, 1e4) > far(0.9 * lf, 1e2), "{}: unbounded below at 0.9 λ_f", info.name);
            assert!(far(1.1 * lf, 1e4) < -1e6, "{}: bounded below at 1.1 λ_f = {}", info.name, 1.1 * lf);
        } else {
            assert_eq!(lf, f64::INFINITY, "{}: λ_f against quad", info.name);
        }
    }
    assert!(registry::build("lasso", 2, 0).unwrap_err().to_string().contains("smooth-nonconvex"), "the error lists the known names");
    assert!(registry::build("mcp", 0, 0).is_err(), "dimension 0");
}

/// The generators of the separable coordinates draw every part of their formula in the range
/// their documentation gives (a part left out would still give a self-consistent family, which
/// the harness above cannot tell from the documented one): over 200 seeds each parameter stays in
/// its range and the normal draws b take both signs.
#[test]
fn generated_terms_draw_every_part_in_its_documented_range() {
    use infconv_theory::family::{l1_smooth::l1_term, mcp::mcp_term, neg_abs::neg_abs_term, separable_sum::smooth_term};
    let within = |x: f64, lo: f64, hi: f64| lo <= x && x <= hi;
    let tau = std::f64::consts::TAU;
    let (mut b_signs, mut smooth_c, mut l1_c) = ([0usize; 2], (f64::INFINITY, 0.0f64), (f64::INFINITY, 0.0f64));
    for seed in 0..200 {
        let mut g = SeedGen::new(seed, "generators");
        let s = smooth_term(&mut g);
        assert!(within(s.h, 0.3, 1.2) && within(s.a.abs(), 0.3, 1.0) && within(s.omega, 0.6, 1.4) && within(s.c, 0.0, tau), "smooth term {s:?}");
        assert!(s.kappa == 0.0 && s.mcp.is_none() && s.b != 0.0, "smooth term {s:?}");
        let l = l1_term(&mut g);
        assert!(within(l.h, 0.5, 1.5) && within(l.a.abs(), 0.2, 0.6) && within(l.omega, 0.5, 1.5) && within(l.c, 0.0, tau) && within(l.kappa, 0.2, 0.8), "ℓ1 term {l:?}");
        assert!(l.mcp.is_none() && l.b != 0.0, "ℓ1 term {l:?}");
        let p = mcp_term(&mut g);
        let (mu, gamma) = p.mcp.expect("an MCP term has its MCP");
        assert!(within(mu, 0.5, 1.0) && within(gamma, 1.5, 3.0) && within(p.h, 0.05, 0.3), "MCP term {p:?}");
        assert!(p.a == 0.0 && p.kappa == 0.0 && p.b != 0.0, "MCP term {p:?}");
        for b in [s.b, l.b, p.b] {
            b_signs[usize::from(b > 0.0)] += 1;
        }
        smooth_c = (smooth_c.0.min(s.c), smooth_c.1.max(s.c));
        l1_c = (l1_c.0.min(l.c), l1_c.1.max(l.c));
    }
    assert!(b_signs[0] > 200 && b_signs[1] > 200, "b should be a centred normal draw: {b_signs:?} (negative, positive)");
    // b ~ N(0, σ²) with σ = 0.5 (smooth), 0.3 (ℓ1, MCP): over 400 draws the sample mean is within
    // 4σ/20 of 0 and the sample standard deviation within 15 % of σ (its own standard error is
    // σ/√800 ≈ 3.5 %).
    for (name, sigma, draw) in [
        ("smooth", 0.5, smooth_term as fn(&mut SeedGen) -> infconv_theory::family::scalar::ScalarTerm),
        ("ℓ1", 0.3, l1_term),
        ("MCP", 0.3, mcp_term),
    ] {
        let mut g = SeedGen::new(2019, "generator spread");
        let bs: Vec<f64> = (0..400).map(|_| draw(&mut g).b).collect();
        let mean = bs.iter().sum::<f64>() / 400.0;
        let sd = (bs.iter().map(|b| (b - mean) * (b - mean)).sum::<f64>() / 399.0).sqrt();
        assert!(mean.abs() <= 4.0 * sigma / 20.0 && (sd / sigma - 1.0).abs() <= 0.15, "{name} terms: b has mean {mean:.3}, standard deviation {sd:.3}; documented N(0, {sigma}²)");
    }
    for (name, (lo, hi)) in [("smooth", smooth_c), ("ℓ1", l1_c)] {
        assert!(lo < 0.2 && hi > tau - 0.2, "the {name} terms' phases should cover [0, 2π): [{lo}, {hi}]");
    }
    let sphere = infconv_theory::family::sphere::sphere(3, 2.0).unwrap();
    assert_eq!(sphere.d(), &[0.25; 3][..], "a sphere of radius R has dᵢ = 1/R²");
    assert!(matches!(sphere.structure(), Structure::Ellipsoid(d) if d == sphere.d()));
    let k = neg_abs_term();
    assert!(k.kappa < 0.0 && k.has_kink(), "−|t| has a concave kink: {k:?}");
}

/// The generated smooth-nonconvex instance has H = BᵀB/m + 0.3 I, so eᵀHe ≥ 0.3 for unit e. H is
/// read through the family's Hessian averaged along the line t·e, t on 4001 points of
/// [−2000, 2000]: a cosine term contributes −a(ωᵀe)² cos(t ωᵀe + c), whose average over that
/// window is at most 2|a||ωᵀe|/4000 ≤ 7e-4 (|a| ≤ 1, ‖ω‖ ≤ 1.4, two terms: 1.4e-3 < 0.01).
#[test]
fn the_smooth_nonconvex_quadratic_part_has_its_documented_floor() {
    let mut worst = f64::INFINITY;
    for seed in 0..16 {
        let m = 1 + (seed as usize) % 3;
        let f = registry::build("smooth-nonconvex", m, seed).unwrap();
        let mut g = SeedGen::new(seed, "quadratic floor");
        let e = g.direction(m);
        let avg = (0..=4000)
            .map(|k| {
                let z = &e * (k as f64 - 2000.0);
                let h = f.hessian(&z).expect("smooth-nonconvex has a Hessian").unwrap();
                e.dot(&(&h * &e))
            })
            .sum::<f64>()
            / 4001.0;
        worst = worst.min(avg);
        assert!(avg >= 0.3 - 0.01, "seed {seed}, m = {m}: the average of eᵀ∇²f(te)e is {avg:.4}, below the floor 0.3 of H");
    }
    println!("least average curvature {worst:.4} (floor 0.3)");
}
