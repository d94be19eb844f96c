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
    /// a global minimizer for cubic, whose μ is 0 (sampling gives the sharp constant 3‖w*‖/2 for
    /// k = 3; we use the proven 1.5‖w*‖ = (k/2)‖w*‖).
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
    certificate_by_name(&name, phi, m)
}

/// The name without its trailing η-scalings "(·/η)" (η > 0).
fn unscaled(name: &str) -> &str {
    let mut base = name;
    while let Some(pos) = base.rfind("(·/")
        && base[pos + "(·/".len()..].strip_suffix(')').and_then(|e| e.parse::<f64>().ok()).is_some_and(|eta| eta > 0.0)
    {
        base = &base[..pos];
    }
    base
}

/// φ(w) = wᵀQw with Q = ∇²φ(0)/2 read off φ: μ = 2λ_min(Q), φ ≥ λ_min(Q)‖w‖².
fn quad_q(
    c: impl Fn(f64, Growth, (f64, f64), f64, bool, bool) -> PhiCertificate,
    phi: &dyn Legendre,
    m: usize,
) -> Result<PhiCertificate, TheoryError> {
    let q = phi.hessian(&crate::Vector::zeros(m))? * 0.5;
    let (lmin, _) = crate::linalg::symmetric_eigen_range(&q);
    Ok(c(2.0 * lmin, Growth::Quadratic(q), (lmin, 0.0), f64::INFINITY, m == 1, m == 1))
}

fn certificate_by_name(name: &str, phi: &dyn Legendre, m: usize) -> Result<PhiCertificate, TheoryError> {
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
    // quad-Q reads Q off φ itself (Q = ∇²φ(0)/2), so under "quad-Q(·/η)" the Q it reads is
    // already that of the scaled potential: certified as it stands, not rescaled again.
    if unscaled(name) == "quad-Q" {
        return quad_q(c, phi, m);
    }
    if let Some(pos) = name.rfind("(·/")
        && let Some(eta) = name[pos + "(·/".len()..].strip_suffix(')').and_then(|e| e.parse::<f64>().ok())
        && eta > 0.0
    {
        // φ_η(w) = φ(w/η): ∇²φ_η = ∇²φ(w/η)/η², dom scaled by η.
        let mut k = certificate_by_name(&name[..pos], phi, m)?;
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
        let mut k = certificate_by_name(inner, phi, biggest)?;
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

