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
}

impl PhiCertificate {
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
    let half_pi_sqrt = std::f64::consts::FRAC_PI_2.sqrt();
    let sm = (m as f64).sqrt();
    let c = |mu: f64, growth: Growth, radial_lower: (f64, f64), outer: f64, separable: bool, radial: bool| PhiCertificate {
        name: name.clone(),
        mu,
        growth,
        radial_lower,
        outer_radius: outer,
        separable,
        radial,
    };
    let eps = crate::potential::cubic::CUBIC_REG_EPS;
    Ok(match name.as_str() {
        "quad" => c(2.0, Growth::Quadratic(Matrix::identity(m, m)), (1.0, 0.0), f64::INFINITY, true, true),
        "quad-Q" => {
            let w0 = crate::Vector::zeros(m);
            let q = phi.hessian(&w0)? * 0.5;
            let (lmin, _) = crate::linalg::symmetric_eigen_range(&q);
            c(2.0 * lmin, Growth::Quadratic(q), (lmin, 0.0), f64::INFINITY, m == 1, m == 1)
        }
        "cubic" => c(0.0, Growth::SuperQuadratic, (0.0, 1.0), f64::INFINITY, m == 1, true),
        "cubic-reg" => c(2.0 * eps, Growth::SuperQuadratic, (eps, 1.0), f64::INFINITY, m == 1, true),
        "tan" => c(2.0, Growth::BoundedDomain, (0.0, 0.0), half_pi_sqrt, m == 1, true),
        "tan-sep" => c(2.0, Growth::BoundedDomain, (0.0, 0.0), sm * half_pi_sqrt, true, m == 1),
        "log" => c(2.0, Growth::BoundedDomain, (0.0, 0.0), 1.0, m == 1, true),
        "log-sep" => c(2.0, Growth::BoundedDomain, (0.0, 0.0), sm, true, m == 1),
        "eta-log" => {
            let eta = crate::potential::registry::ETA_LOG;
            c(2.0 / (eta * eta), Growth::BoundedDomain, (0.0, 0.0), eta, m == 1, true)
        }
        "layered-tan" => {
            let eta = crate::potential::registry::ETA_LAYERED;
            let layers = crate::potential::registry::two_layers(m).len() as f64;
            c(2.0 / (eta * eta), Growth::BoundedDomain, (0.0, 0.0), eta * half_pi_sqrt * layers.sqrt(), m == 1, m == 1)
        }
        "cosh" => c(1.0, Growth::SuperQuadratic, (0.5, 0.0), f64::INFINITY, true, m == 1),
        _ => {
            return Err(TheoryError::InvalidParameter {
                name: "potential",
                value: format!("{name:?} has no prox certificate (certified: {})", CERTIFIED.join(", ")),
                expected: "a potential of the paper, its η-scaled or layerwise variants, or cosh",
            });
        }
    })
}
