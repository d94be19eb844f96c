//! What the prox solvers must know about a potential φ beyond (A1)–(A5): a global lower bound μ of
//! the Hessian's eigenvalues on dom φ, its growth (which decides the threshold λ_f of
//! Definition 3.3 for functions unbounded below), a radial lower bound φ(w) ≥ q‖w‖² + c‖w‖³, and
//! the radius of a ball around 0 that contains dom φ. Derived by hand per potential of the
//! registry (below); a potential without an entry gets no certificate, and the prox solvers refuse
//! it with a typed error.
//!
//! | potential | μ = inf λ_min(∇²φ) | growth | φ ≥ | dom φ ⊂ ball of radius |
//! |---|---|---|---|---|
//! | quad ‖w‖² | 2 | quadratic, Q = I | ‖w‖² | ∞ |
//! | quad-Q wᵀQw | 2 λ_min(Q) | quadratic, Q | λ_min(Q)‖w‖² | ∞ |
//! | cubic ‖w‖³ | 0 (∇²φ(0) = 0) | super-quadratic | ‖w‖³ | ∞ |
//! | cubic-reg ‖w‖³ + ε‖w‖² | 2ε | super-quadratic | ε‖w‖² + ‖w‖³ | ∞ |
//! | tan tan(‖w‖²) | 2 (2 sec²(s) I + 8 sec²(s)tan(s) wwᵀ ⪰ 2I) | bounded domain | – | √(π/2) |
//! | tan-sep | 2 | bounded domain | – | √m √(π/2) |
//! | log −log(1 − ‖w‖²) | 2 (2/(1 − s) I + 4/(1 − s)² wwᵀ ⪰ 2I) | bounded domain | – | 1 |
//! | log-sep | 2 | bounded domain | – | √m |
//! | eta-log log(w/η), η = 0.5 | 2/η² | bounded domain | – | η |
//! | layered-tan, η = 2 | 2/η² | bounded domain | – | η √(π/2) √(layers) |
//! | cosh Σ(cosh wᵢ − 1) | 1 | super-quadratic | ‖w‖²/2 | ∞ |
//! | Σₗ φ(wₗ) over L layers (18) | μ of φ | as φ | q‖w‖² + c‖w‖³/√L | √L × that of φ |
//!
//! A cubic term of a layerwise sum bounds the Bregman distance per layer, with each layer's own
//! ‖w*ₗ‖ (see [`PhiCertificate::bregman_modulus`]).

use crate::potential::Legendre;
use crate::{Matrix, TheoryError};

/// How φ grows.
#[derive(Debug, Clone, PartialEq)]
pub enum Growth {
    /// φ(w) = wᵀQw.
    Quadratic(Matrix),
    /// φ(w)/‖w‖² → ∞.
    SuperQuadratic,
    /// dom φ is bounded.
    BoundedDomain,
}

/// The certificate of a potential (see the module table).
#[derive(Debug, Clone, PartialEq)]
pub struct PhiCertificate {
    /// Potential name.
    pub name: String,
    /// ∇²φ(w) ⪰ μ I on dom φ.
    pub mu: f64,
    /// Growth class.
    pub growth: Growth,
    /// φ(w) ≥ q‖w‖² + c‖w‖³: (q, c).
    pub radial_lower: (f64, f64),
    /// dom φ ⊂ {‖w‖ ≤ outer_radius} (`+∞` when unbounded).
    pub outer_radius: f64,
    /// φ(w) = Σᵢ φ₁(wᵢ) (so that (3) splits by coordinate for a separable f).
    pub separable: bool,
    /// φ(w) = h(‖w‖²) with h increasing (so the φ-prox of a sphere is the radial projection).
    pub radial: bool,
    /// k with ∇²φ(u) ⪰ k‖u‖ I (cubic terms: ∇²‖u‖³ = 3(‖u‖I + uuᵀ/‖u‖) ⪰ 3‖u‖I), 0 if unused;
    /// for a layerwise sum (18) it holds per layer, with the layer's own ‖uₗ‖.
    pub cubic_curvature: f64,
    /// The layer sizes of a layerwise sum φ̂(w) = Σₗ φ(wₗ) of (18); empty for a single block.
    pub layers: Vec<usize>,
}

impl PhiCertificate {
    /// A modulus of the Bregman distance at w*: D_φ(w, w*) ≥ (μ*/2)‖w − w*‖² for every w.
    ///
    /// From μ: D_φ(w, w*) = ∫₀¹ (1 − s) dᵀ∇²φ(w* + s d) d ds ≥ (μ/2)‖d‖² (d = w − w*). A cubic
    /// term adds, with ∇²φ(u) ⪰ k‖u‖I and ‖w* + sd‖ ≥ |‖w*‖ − s‖d‖|,
    /// k‖d‖² ∫₀¹ (1 − s)|‖w*‖ − s‖d‖| ds ≥ (k/4)‖w*‖‖d‖² (the integral, over ‖d‖ = β‖w*‖, is
    /// least at β = 2, where it is ‖w*‖/4). So μ* = μ + (k/2)‖w*‖ — what lets the solvers certify
    /// a global minimizer for cubic, whose μ is 0 (sampling gives the sharp constant k‖w*‖ = 3‖w*‖
    /// for k = 3, attained at d = −2w*; we use the proven (k/2)‖w*‖ = 1.5‖w*‖, half of it).
    ///
    /// A layerwise sum (18) has D_φ̂(w, w*) = Σₗ D_φ(wₗ, w*ₗ) ≥ Σₗ ((μ + (k/2)‖w*ₗ‖)/2)‖dₗ‖², and
    /// only the layers' own norms enter: μ* = μ + (k/2) minₗ ‖w*ₗ‖. (With ‖w*‖ instead, layers
    /// [1, 1], w* = (1, 0), d = (0, δ) would claim D ≥ 0.75δ² where D = |δ|³.) A w* that does not
    /// fit the layer table gets μ alone.
    pub fn bregman_modulus(&self, w_star: &crate::Vector) -> f64 {
        if self.cubic_curvature == 0.0 {
            return self.mu;
        }
        let cubic_norm = if self.layers.len() <= 1 {
            w_star.norm()
        } else if self.layers.iter().sum::<usize>() == w_star.len() {
            let mut start = 0;
            let mut least = f64::INFINITY;
            for &n in &self.layers {
                least = least.min(w_star.rows(start, n).norm());
                start += n;
            }
            least
        } else {
            0.0
        };
        self.mu + 0.5 * self.cubic_curvature * cubic_norm
    }

    /// The radial lower bound q s² + c s³ at s = ‖w‖.
    pub fn lower_at(&self, s: f64) -> f64 {
        self.radial_lower.0 * s * s + self.radial_lower.1 * s * s * s
    }
}

/// The names with a certificate.
pub const CERTIFIED: &[&str] =
    &["quad", "quad-Q", "cubic", "cubic-reg", "tan", "tan-sep", "log", "log-sep", "eta-log", "layered-tan", "cosh"];

/// The certificate of φ in dimension m (see the module table), or an error naming the certified
/// potentials.
pub fn certificate(phi: &dyn Legendre, m: usize) -> Result<PhiCertificate, TheoryError> {
    let name = phi.name();
    certificate_by_name(&name, phi, m, 1.0)
}

/// The base name and η of a name "X(·/η)" written by η-scaling (18), η finite and > 0; `None`
/// for any other name.
fn eta_suffix(name: &str) -> Option<(&str, f64)> {
    let pos = name.rfind("(·/")?;
    let eta = name[pos + "(·/".len()..].strip_suffix(')')?.parse::<f64>().ok()?;
    (eta.is_finite() && eta > 0.0).then(|| (&name[..pos], eta))
}

/// φ(w) = wᵀQw with Q = ∇²φ(0)/2: μ = 2λ_min(Q), φ ≥ λ_min(Q)‖w‖². Q is read off the potential
/// at hand, which is φ(·/s) with s = `scale`: its Hessian at 0 is ∇²φ(0)/s², so Q = s²∇²φ(·/s)(0)/2.
fn quad_q(
    c: impl Fn(f64, Growth, (f64, f64), f64, bool, bool) -> PhiCertificate,
    phi: &dyn Legendre,
    m: usize,
    scale: f64,
) -> Result<PhiCertificate, TheoryError> {
    let q = phi.hessian(&crate::Vector::zeros(m))? * (0.5 * scale * scale);
    let (lmin, _) = crate::linalg::symmetric_eigen_range(&q);
    Ok(c(2.0 * lmin, Growth::Quadratic(q), (lmin, 0.0), f64::INFINITY, m == 1, m == 1))
}

/// The certificate of the potential called `name`, where `phi` is that potential scaled by
/// φ(·/s) with s = `scale` (1 at the top; each "(·/η)" peeled off multiplies it): whatever is read
/// off `phi` is first brought back to the unscaled potential, so that the η branch rescales
/// every certificate the same way.
fn certificate_by_name(name: &str, phi: &dyn Legendre, m: usize, scale: f64) -> Result<PhiCertificate, TheoryError> {
    let half_pi_sqrt = std::f64::consts::FRAC_PI_2.sqrt();
    let sm = (m as f64).sqrt();
    let c = |mu: f64, growth: Growth, radial_lower: (f64, f64), outer: f64, separable: bool, radial: bool| PhiCertificate {
        name: name.to_string(),
        mu,
        growth,
        radial_lower,
        outer_radius: outer,
        separable,
        radial,
        cubic_curvature: 0.0,
        layers: Vec::new(),
    };
    // Structural names of the registry: "X(·/η)" (η-scaling (18)), "Σₗ X over layers [..]",
    // "cubic-reg(ε=…)".
    if let Some(eps) = name.strip_prefix("cubic-reg(ε=").and_then(|r| r.strip_suffix(')')).and_then(|e| e.parse::<f64>().ok()) {
        let mut k = c(2.0 * eps, Growth::SuperQuadratic, (eps, 1.0), f64::INFINITY, m == 1, true);
        k.cubic_curvature = 3.0;
        return Ok(k);
    }
    if let Some((base, eta)) = eta_suffix(name) {
        // φ_η(w) = φ(w/η): ∇²φ_η = ∇²φ(w/η)/η², dom scaled by η.
        let mut k = certificate_by_name(base, phi, m, scale * eta)?;
        k.name = name.to_string();
        k.mu /= eta * eta;
        k.radial_lower = (k.radial_lower.0 / (eta * eta), k.radial_lower.1 / eta.powi(3));
        k.cubic_curvature /= eta.powi(3);
        k.outer_radius *= eta;
        if let Growth::Quadratic(q) = &k.growth {
            k.growth = Growth::Quadratic(q / (eta * eta));
        }
        return Ok(k);
    }
    if let Some(rest) = name.strip_prefix("Σₗ ")
        && let Some((inner, layers)) = rest.split_once(" over layers ")
    {
        let sizes: Vec<usize> = layers.trim_matches(|ch| ch == '[' || ch == ']').split(',').filter_map(|x| x.trim().parse().ok()).collect();
        let biggest = sizes.iter().copied().max().unwrap_or(m);
        let mut k = certificate_by_name(inner, phi, biggest, scale)?;
        k.name = name.to_string();
        k.outer_radius *= (sizes.len().max(1) as f64).sqrt();
        k.separable = sizes.iter().all(|&s| s == 1);
        k.radial = sizes.len() == 1 && k.radial;
        // Σₗ ‖wₗ‖³ ≥ L^{−1/2} ‖w‖³ (power means: Σ aₗ³ ≥ L^{−1/2}(Σ aₗ²)^{3/2}, equality at equal
        // layer norms); the quadratic part Σₗ q‖wₗ‖² = q‖w‖² is unchanged.
        k.radial_lower.1 /= (sizes.len().max(1) as f64).sqrt();
        k.layers = sizes;
        return Ok(k);
    }
    Ok(match name {
        "quad-Q" => return quad_q(c, phi, m, scale),
        "quad" => c(2.0, Growth::Quadratic(Matrix::identity(m, m)), (1.0, 0.0), f64::INFINITY, true, true),
        "cubic" => {
            let mut k = c(0.0, Growth::SuperQuadratic, (0.0, 1.0), f64::INFINITY, m == 1, true);
            k.cubic_curvature = 3.0;
            k
        }
        "tan" => c(2.0, Growth::BoundedDomain, (0.0, 0.0), half_pi_sqrt, m == 1, true),
        "tan-sep" => c(2.0, Growth::BoundedDomain, (0.0, 0.0), sm * half_pi_sqrt, true, m == 1),
        "log" => c(2.0, Growth::BoundedDomain, (0.0, 0.0), 1.0, m == 1, true),
        "log-sep" => c(2.0, Growth::BoundedDomain, (0.0, 0.0), sm, true, m == 1),
        "cosh" | "Σᵢ (cosh wᵢ − 1)" => c(1.0, Growth::SuperQuadratic, (0.5, 0.0), f64::INFINITY, true, m == 1),
        _ => {
            // A potential registered with its own certificate.
            if let Some(declared) = crate::potential::registry::info(name).ok().and_then(|info| info.certificate) {
                let mut k = declared(m);
                k.name = name.to_string();
                return Ok(k);
            }
            return Err(TheoryError::InvalidParameter {
                name: "potential",
                value: format!("{name:?} has no prox certificate (certified: {}, and registered potentials that declare one)", CERTIFIED.join(", ")),
                expected: "a potential of the paper, its η-scaled or layerwise variants, or cosh",
            });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Vector;
    use crate::linalg::symmetric_eigen_range;
    use crate::potential::cubic::Cubic;
    use crate::potential::layerwise::Layerwise;
    use crate::potential::quad::Quad;
    use crate::potential::quad_q::QuadQ;
    use crate::potential::registry;
    use crate::potential::scaled::Scaled;
    use crate::potential::tan::{Tan, TanSep};
    use crate::potential::log::Log;
    use crate::random::SeedGen;

    /// A lower bound checked on samples: it may be undercut only by the rounding of the sampled
    /// quantity (eigenvalues and values of O(1) sums).
    const VALID_REL: f64 = 1e-12;
    /// Tightness: the best sampled ratio of the quantity to its bound is within this of 1 (the
    /// bounds are attained at w = 0 or along a ray; the samples come within a few % of it).
    const TIGHT_REL: f64 = 0.03;
    /// Samples per potential and dimension.
    const SAMPLES: usize = 1500;

    /// A certified potential under test, with its layer table where it is a layerwise sum (for
    /// the farthest points of its domain).
    struct Case {
        phi: Box<dyn Legendre>,
        m: usize,
        layers: Vec<usize>,
    }

    /// Every certified registry potential in m = 1, 2, 3, and η-scaled and layerwise variants
    /// built here (η = 3 and 0.5, so that η² ≠ 2η and η³ ≠ 3η).
    fn cases() -> Vec<Case> {
        let mut out = Vec::new();
        for name in CERTIFIED {
            for m in 1..=3 {
                let layers = if *name == "layered-tan" { registry::two_layers(m) } else { Vec::new() };
                out.push(Case { phi: registry::build(name, m).unwrap(), m, layers });
            }
        }
        let mut add = |phi: Box<dyn Legendre>, m: usize, layers: Vec<usize>| out.push(Case { phi, m, layers });
        for eta in [3.0, 0.5] {
            for m in 1..=2 {
                add(Box::new(Scaled::new(Quad::new(), eta).unwrap()), m, vec![]);
                add(Box::new(Scaled::new(Cubic::new(), eta).unwrap()), m, vec![]);
                add(Box::new(Scaled::new(Cubic::regularized(0.01).unwrap(), eta).unwrap()), m, vec![]);
                add(Box::new(Scaled::new(Tan::new(), eta).unwrap()), m, vec![]);
                add(Box::new(Scaled::new(TanSep::new(), eta).unwrap()), m, vec![]);
            }
            add(Box::new(Scaled::new(QuadQ::tridiagonal(2).unwrap(), eta).unwrap()), 2, vec![]);
        }
        // Two scalings: the certificate read off φ and those from the table are each unscaled
        // through both.
        add(Box::new(Scaled::new(Scaled::new(QuadQ::tridiagonal(2).unwrap(), 3.0).unwrap(), 0.5).unwrap()), 2, vec![]);
        add(Box::new(Scaled::new(Scaled::new(Cubic::regularized(0.01).unwrap(), 3.0).unwrap(), 0.5).unwrap()), 2, vec![]);
        add(Box::new(Layerwise::new(Cubic::new(), vec![2, 1]).unwrap()), 3, vec![2, 1]);
        add(Box::new(Layerwise::new(Cubic::regularized(0.01).unwrap(), vec![1, 1]).unwrap()), 2, vec![1, 1]);
        add(Box::new(Layerwise::new(Log::new(), vec![2]).unwrap()), 2, vec![2]);
        add(Box::new(Layerwise::new(Scaled::new(Log::new(), 0.5).unwrap(), vec![1, 2]).unwrap()), 3, vec![1, 2]);
        add(Box::new(Layerwise::new(Scaled::new(Cubic::new(), 3.0).unwrap(), vec![1, 1, 1]).unwrap()), 3, vec![1, 1, 1]);
        out
    }

    /// Points of dom φ: 0, the axes and diagonals, and uniform directions at radii spread over
    /// [0, reach) with extra weight near 0 (where μ and the small-‖w‖ bounds are attained).
    fn samples(phi: &dyn Legendre, m: usize, reach: f64, label: &str) -> Vec<Vector> {
        let mut g = SeedGen::new(m as u64, label);
        let mut dirs: Vec<Vector> = (0..m).map(|i| Vector::from_fn(m, |j, _| if i == j { 1.0 } else { 0.0 })).collect();
        dirs.push(Vector::from_element(m, 1.0 / (m as f64).sqrt()));
        let mut pts = vec![Vector::zeros(m)];
        for d in &dirs {
            for r in [1e-3, 0.1, 0.5, 0.9, 0.99] {
                pts.push(d * (r * reach));
            }
        }
        while pts.len() < SAMPLES {
            let u = g.unit();
            let w = g.direction(m) * (reach * if pts.len() % 2 == 0 { u } else { u * u * u });
            pts.push(w);
        }
        pts.retain(|w| phi.contains(w));
        pts
    }

    fn reach(cert: &PhiCertificate) -> f64 {
        if cert.outer_radius.is_finite() { cert.outer_radius } else { 3.0 }
    }

    /// μ ≤ λ_min(∇²φ(w)) on dom φ, nearly attained (at w = 0 for all of these).
    #[test]
    fn mu_is_an_attained_lower_bound_of_the_hessian() {
        for c in cases() {
            let cert = certificate(c.phi.as_ref(), c.m).unwrap();
            let mut least = f64::INFINITY;
            for w in samples(c.phi.as_ref(), c.m, reach(&cert), "mu") {
                let Ok(h) = c.phi.hessian(&w) else { continue };
                let lmin = symmetric_eigen_range(&h).0;
                assert!(lmin >= cert.mu * (1.0 - VALID_REL) - 1e-15, "{} m = {}: λ_min = {lmin} < μ = {} at {w:?}", cert.name, c.m, cert.mu);
                least = least.min(lmin);
            }
            assert!(least <= cert.mu * (1.0 + TIGHT_REL) + 1e-12, "{} m = {}: μ = {} is not tight (least λ_min {least})", cert.name, c.m, cert.mu);
        }
    }

    /// φ(w) ≥ q‖w‖² + c‖w‖³ on dom φ; where (q, c) ≠ 0 the bound is nearly attained.
    #[test]
    fn radial_lower_bound_holds_and_is_attained() {
        for c in cases() {
            let cert = certificate(c.phi.as_ref(), c.m).unwrap();
            let mut best = f64::INFINITY;
            for w in samples(c.phi.as_ref(), c.m, reach(&cert), "radial") {
                let phi = c.phi.value(&w).unwrap();
                let lower = cert.lower_at(w.norm());
                assert!(phi >= lower * (1.0 - VALID_REL), "{} m = {}: φ = {phi} < {lower} at {w:?}", cert.name, c.m);
                if lower > 0.0 {
                    best = best.min(phi / lower);
                }
            }
            if cert.radial_lower != (0.0, 0.0) {
                assert!(best <= 1.0 + TIGHT_REL, "{} m = {}: (q, c) = {:?} not attained (best ratio {best})", cert.name, c.m, cert.radial_lower);
            }
        }
    }

    /// dom φ ⊂ {‖w‖ ≤ R}: no point just beyond R along any sampled direction is in dom, and some
    /// point of dom lies at ≥ 0.99 R (the farthest points: any direction for a ball, the diagonal
    /// of a box, equal norms in every layer of a layerwise sum). R = ∞ exactly when dom φ = ℝᵐ.
    #[test]
    fn outer_radius_encloses_the_domain_tightly() {
        for c in cases() {
            let cert = certificate(c.phi.as_ref(), c.m).unwrap();
            let mut g = SeedGen::new(c.m as u64, "outer");
            let r = cert.outer_radius;
            if !r.is_finite() {
                assert!(c.phi.contains(&(g.direction(c.m) * 1e3)), "{}: R = ∞ but dom is bounded", cert.name);
                continue;
            }
            for _ in 0..200 {
                assert!(!c.phi.contains(&(g.direction(c.m) * (r * (1.0 + 1e-9)))), "{} m = {}: a point beyond R = {r} is in dom", cert.name, c.m);
            }
            // Equal norms per block: the layers of a layerwise sum, else coordinates (a box) —
            // for a ball any direction is as far.
            let blocks = if c.layers.is_empty() { vec![1; c.m] } else { c.layers.clone() };
            let mut d = Vector::zeros(c.m);
            let mut start = 0;
            for &n in &blocks {
                for k in start..start + n {
                    d[k] = 1.0 / (n as f64).sqrt();
                }
                start += n;
            }
            let d = &d / d.norm();
            let (mut lo, mut hi) = (0.0, 2.0 * r);
            for _ in 0..200 {
                let mid = 0.5 * (lo + hi);
                if c.phi.contains(&(&d * mid)) { lo = mid } else { hi = mid }
            }
            assert!(lo >= 0.99 * r, "{} m = {}: farthest point found at {lo}, R = {r}", cert.name, c.m);
        }
    }

    /// `separable` is true exactly when φ(w) = Σᵢ φ(wᵢeᵢ), and `radial` exactly when φ(w) =
    /// φ(‖w‖e₁), on sampled points (with φ(0) = 0 for all of these).
    #[test]
    fn structure_flags_match_the_potential() {
        const STRUCT_REL: f64 = 1e-12;
        for c in cases() {
            let cert = certificate(c.phi.as_ref(), c.m).unwrap();
            let (mut separable, mut radial) = (true, true);
            for w in samples(c.phi.as_ref(), c.m, 0.9 * reach(&cert), "flags") {
                let phi = c.phi.value(&w).unwrap();
                let parts: f64 = (0..c.m).map(|i| c.phi.value(&Vector::from_fn(c.m, |j, _| if i == j { w[i] } else { 0.0 })).unwrap()).sum();
                separable &= (phi - parts).abs() <= STRUCT_REL * (1.0 + phi.abs());
                let e1 = Vector::from_fn(c.m, |j, _| if j == 0 { w.norm() } else { 0.0 });
                radial &= c.phi.value(&e1).is_ok_and(|p| (phi - p).abs() <= STRUCT_REL * (1.0 + phi.abs()));
            }
            assert_eq!(cert.separable, separable, "{} m = {}: separable flag", cert.name, c.m);
            assert_eq!(cert.radial, radial, "{} m = {}: radial flag", cert.name, c.m);
        }
    }

    /// The growth class: Quadratic(Q) exactly when φ(w) = wᵀQw (checked on samples, so an
    /// η-scaled quad carries Q/η²), SuperQuadratic when φ(w)/‖w‖² grows without bound along rays,
    /// BoundedDomain when R < ∞.
    #[test]
    fn growth_class_matches_the_potential() {
        for c in cases() {
            let cert = certificate(c.phi.as_ref(), c.m).unwrap();
            match &cert.growth {
                Growth::Quadratic(q) => {
                    for w in samples(c.phi.as_ref(), c.m, 3.0, "growth") {
                        let phi = c.phi.value(&w).unwrap();
                        let quad = w.dot(&(q * &w));
                        assert!((phi - quad).abs() <= VALID_REL * (1.0 + phi.abs()), "{}: φ = {phi}, wᵀQw = {quad}", cert.name);
                    }
                }
                Growth::SuperQuadratic => {
                    let d = Vector::from_element(c.m, 1.0 / (c.m as f64).sqrt());
                    let ratio = |s: f64| c.phi.value(&(&d * s)).unwrap() / (s * s);
                    assert!(ratio(1e3) > 10.0 * ratio(10.0), "{}: not super-quadratic", cert.name);
                    assert!(cert.outer_radius.is_infinite());
                }
                Growth::BoundedDomain => assert!(cert.outer_radius.is_finite(), "{}", cert.name),
            }
        }
    }

    /// `cubic_curvature` k: ∇²φ(u) ⪰ k‖u‖I for a single block, attained as ‖u‖ → ∞ (cubic:
    /// ∇²‖u‖³ = 3(‖u‖I + uuᵀ/‖u‖), so λ_min = 3‖u‖; scaled by η: 3‖u‖/η³; the ε‖u‖² of cubic-reg
    /// adds 2ε/η², negligible at ‖u‖ = 10³); 0 where no cubic term is used.
    #[test]
    fn cubic_curvature_is_the_attained_hessian_slope() {
        // m ≥ 2: in one dimension ∇²|u|³ = 6|u| and the slope 3 of the general bound is not attained.
        for c in cases().into_iter().filter(|c| c.layers.is_empty() && c.m >= 2) {
            let cert = certificate(c.phi.as_ref(), c.m).unwrap();
            if cert.cubic_curvature == 0.0 {
                continue;
            }
            let mut least = f64::INFINITY;
            for w in samples(c.phi.as_ref(), c.m, 1e3, "cubic") {
                if w.norm() < 1e-6 {
                    continue;
                }
                let lmin = symmetric_eigen_range(&c.phi.hessian(&w).unwrap()).0;
                assert!(lmin >= cert.cubic_curvature * w.norm() * (1.0 - VALID_REL), "{}: λ_min = {lmin} < k‖u‖", cert.name);
                least = least.min(lmin / w.norm());
            }
            assert!(least <= cert.cubic_curvature * (1.0 + TIGHT_REL), "{}: k = {} not attained ({least})", cert.name, cert.cubic_curvature);
        }
        for name in ["cubic", "cubic-reg"] {
            assert_eq!(certificate(registry::build(name, 2).unwrap().as_ref(), 2).unwrap().cubic_curvature, 3.0, "{name}: ∇²‖u‖³ ⪰ 3‖u‖I");
        }
        for name in ["quad", "tan", "log", "cosh"] {
            assert_eq!(certificate(registry::build(name, 2).unwrap().as_ref(), 2).unwrap().cubic_curvature, 0.0, "{name}");
        }
    }

    /// The layer table of a layerwise name is read back, in order.
    #[test]
    fn layerwise_names_carry_their_layer_table() {
        for c in cases() {
            let cert = certificate(c.phi.as_ref(), c.m).unwrap();
            assert_eq!(cert.layers, c.layers, "{}", cert.name);
            assert_eq!(cert.name, c.phi.name());
        }
    }

    /// Only a trailing "(·/η)" with a finite η > 0 is an η-scaling; the base keeps any earlier ones.
    #[test]
    fn eta_suffix_peels_one_trailing_scaling() {
        assert_eq!(eta_suffix("quad-Q(·/3)(·/0.5)"), Some(("quad-Q(·/3)", 0.5)));
        assert_eq!(eta_suffix("quad-Q(·/3)"), Some(("quad-Q", 3.0)));
        for name in ["quad", "quad(·/0)", "quad(·/-1)", "quad(·/inf)", "quad(·/NaN)", "quad(·/2", "quad(·/2)x"] {
            assert_eq!(eta_suffix(name), None, "{name}");
        }
    }

    /// The η of "X(·/η)" must be positive: a name with η = 0 or η < 0 has no certificate.
    #[test]
    fn scaled_names_need_a_positive_eta() {
        let quad = registry::build("quad", 2).unwrap();
        for name in ["quad(·/0)", "quad(·/-2)", "quad(·/x)"] {
            assert!(certificate_by_name(name, quad.as_ref(), 2, 1.0).is_err(), "{name}");
        }
        assert!((certificate_by_name("quad(·/2)", quad.as_ref(), 2, 1.0).unwrap().mu - 0.5).abs() <= 1e-15, "‖w/2‖² has ∇² = I/2");
    }

    /// The minimum of 2D_φ(w, w*)/‖w − w*‖² over a dense set of w: the Bregman modulus at w*.
    fn least_bregman_ratio(phi: &dyn Legendre, ws: &Vector, moving: &[usize]) -> f64 {
        let g = phi.gradient(ws).unwrap();
        let p0 = phi.value(ws).unwrap();
        let mut least = f64::INFINITY;
        let mut rng = SeedGen::new(7, "bregman");
        for k in 0..4000 {
            let mut d = Vector::zeros(ws.len());
            let dir = rng.direction(moving.len());
            for (j, &i) in moving.iter().enumerate() {
                d[i] = dir[j];
            }
            // Lengths up to 4‖w*‖ (the bound's worst case is at ‖d‖ = 2‖w*‖), also tiny ones.
            let s = 4.0 * (ws.norm() + 1.0) * ((k % 400) as f64 + 0.5) / 400.0;
            let d = d * s;
            let w = ws + &d;
            let dist = phi.value(&w).unwrap() - p0 - g.dot(&d);
            least = least.min(2.0 * dist / d.norm_squared());
        }
        least
    }

    /// D_φ(w, w*) ≥ (μ*/2)‖w − w*‖² with μ* = bregman_modulus(w*), and μ* is the proven constant
    /// μ + (k/2)‖w*‖: the sampled best constant is μ + k‖w*‖ (for cubic, 2D/‖d‖² → 3‖w*‖ for small
    /// d ⊥ w*, the least eigenvalue of ∇²‖·‖³ at w*), and the proof keeps half of the cubic part
    /// (the integral bound ‖w*‖/4 against ‖w*‖/2). So μ* = μ + (sampled − μ)/2: cubic 1.5‖w*‖,
    /// cubic-reg 2ε + 1.5‖w*‖, quad 2, a layerwise cubic 1.5 minₗ‖w*ₗ‖ (the sampled best moving
    /// only in the smaller layer). A w* that does not fit the layer table gets μ alone.
    #[test]
    fn bregman_modulus_is_valid_and_attained() {
        let ws2 = Vector::from_vec(vec![0.6, -0.8]);
        for name in ["cubic", "cubic-reg", "quad"] {
            let phi = registry::build(name, 2).unwrap();
            let cert = certificate(phi.as_ref(), 2).unwrap();
            for scale in [0.5, 1.0, 3.0] {
                let ws = &ws2 * scale;
                let mu = cert.bregman_modulus(&ws);
                let least = least_bregman_ratio(phi.as_ref(), &ws, &[0, 1]);
                assert!(least >= mu * (1.0 - 1e-9), "{name} ‖w*‖ = {scale}: least {least} < μ* = {mu}");
                let half = cert.mu + 0.5 * (least - cert.mu);
                assert!((mu - half).abs() <= TIGHT_REL * half, "{name} ‖w*‖ = {scale}: μ* = {mu}, sampled best {least}");
            }
        }
        let phi = Layerwise::new(Cubic::new(), vec![2, 1]).unwrap();
        let cert = certificate(&phi, 3).unwrap();
        for (ws, small) in [(Vector::from_vec(vec![0.6, 0.8, 2.0]), vec![0, 1]), (Vector::from_vec(vec![1.2, -1.6, 0.5]), vec![2])] {
            let mu = cert.bregman_modulus(&ws);
            let all = least_bregman_ratio(&phi, &ws, &[0, 1, 2]);
            let least = least_bregman_ratio(&phi, &ws, &small).min(all);
            assert!(least >= mu * (1.0 - 1e-9), "layers [2, 1] at {ws:?}: least {least} < μ* = {mu}");
            assert!((mu - 0.5 * least).abs() <= TIGHT_REL * mu, "layers [2, 1] at {ws:?}: μ* = {mu}, sampled best {least}");
        }
        assert_eq!(cert.bregman_modulus(&Vector::from_vec(vec![1.0, 1.0])), cert.mu, "a w* of the wrong length");
        let reg = Layerwise::new(Cubic::regularized(0.25).unwrap(), vec![1, 1]).unwrap();
        let cert = certificate(&reg, 2).unwrap();
        assert_eq!(cert.bregman_modulus(&Vector::from_vec(vec![1.0, 1.0, 1.0])), 0.5, "μ = 2ε alone");
    }

    /// q s² + c s³ is φ itself along a ray of cubic-reg (ε‖w‖² + ‖w‖³), of quad(·/3) (s²/9) and
    /// of cubic(·/3) (s³/27).
    #[test]
    fn lower_at_is_the_radial_profile_of_cubic_and_quadratic_potentials() {
        let cases: Vec<Box<dyn Legendre>> = vec![
            registry::build("cubic-reg", 1).unwrap(),
            Box::new(Scaled::new(Quad::new(), 3.0).unwrap()),
            Box::new(Scaled::new(Cubic::new(), 3.0).unwrap()),
        ];
        for phi in cases {
            let cert = certificate(phi.as_ref(), 1).unwrap();
            for s in [0.5, 1.0, 3.0, 7.0] {
                let exact = phi.value(&Vector::from_vec(vec![s])).unwrap();
                assert!((cert.lower_at(s) - exact).abs() <= 1e-13 * exact, "{}: s = {s}: {} vs {exact}", cert.name, cert.lower_at(s));
            }
        }
    }
}
