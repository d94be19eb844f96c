//! The batched separable φ-prox: for a separable potential φ and a separable f,
//!
//!   P(v) = argmin_x f(x) + (1/λ) φ(v − x)                                  (3), Definition 3.3
//!
//! splits into n scalar problems. With φ(w) = Σᵢ h(wᵢ²/η²) (quad, tan-sep, log-sep with the
//! η-scaling of (18)) and f(x) = Σᵢ fᵢ(xᵢ), coordinate i solves the optimality condition of
//! (12), ∇φ(v − x)/λ ∈ ∂f(x), which for C² fᵢ reads, in w = v − x,
//!
//!   G(w) = φ′(w)/λ − fᵢ′(vᵢ − w) = 0,   |w| < ρ = η√s_max (dom φ).
//!
//! **Uniqueness.** φ″(w) = (2h′(s) + 4s h″(s))/η² ≥ μ = 2/η² on dom φ (h′(0) = 1, h′, h″ ≥ 0 for
//! the three potentials), and fᵢ″ ≥ −r (r the weak-convexity modulus of the term, see
//! [`SepTerm::weak_convexity_modulus`]), so G′ ≥ δ = μ/λ − r. For λ < λ_u = μ/r the scalar
//! objective is strongly convex, G is strictly increasing and its root is the unique global
//! minimizer: this is Theorem 4.3's "λ sufficiently small" made explicit (the same certificate
//! μ/λ > r as the theory crate's `phi_prox`; λ_f of Definition 3.3 is ∞ here, the terms being
//! bounded below). For λ ≥ λ_u (up to [`UNIQUENESS_MARGIN`]) [`SepProx::new`] returns a typed
//! error instead of an answer that might be a non-global stationary point.
//!
//! **Algorithm** (per coordinate, [`scalar`]): safeguarded Newton on G inside a bracket that
//! holds the root and stays in dom φ: from G(0) = −f′(v) and G′ ≥ δ, the root lies between 0
//! and −G(0)/δ, intersected with (−ρ, ρ). A Newton step is taken when it lands strictly inside
//! the bracket and the last step halved |G|; otherwise the step bisects. Every evaluation
//! narrows the bracket by the sign of G; points where the potential's domain test fails in the
//! working precision count as "beyond the root". A coordinate has converged when
//! (A) |G| ≤ [`STOP_MULT`]·ε·S_stop, S_stop = |φ′|/λ + |f″||x| + T_f + δ(|w| + |x|) (T_f the
//! magnitude of f′'s terms): with G′ ≥ δ this bounds the distance to the root however steep G is
//! near the boundary (a test relative to G′(w)|w| would accept points at the boundary, where
//! G′ explodes); or (B) the bracket has closed to 4ε relative (roots so close to the boundary
//! that G's rounding exceeds (A)). Otherwise it is flagged after [`max_iterations`]. Per
//! coordinate the backends return x, optionally a status ([`STATUS_RESIDUAL`],
//! [`STATUS_BRACKET`], [`STATUS_UNCONVERGED`]); the report counts them and the Newton and
//! bisection steps. Typically 3–5 Newton steps per coordinate.
//!
//! Backends: [`crate::CpuBackend::sep_prox`] (f32 and f64, rayon tiles) and
//! [`crate::GpuBackend::sep_prox`] (f32, WGSL `prox.wgsl`), checked against the serial f64
//! [`mod@reference`] with the tolerance of [`crate::tolerance::prox_x_tol`].
//!
//! ```
//! use infconv_kernels::prox::{SepProx, SepTerm};
//! use infconv_kernels::{CpuBackend, PotentialKind};
//! let term = SepTerm::QuadCos { a: 1.0, b: 0.5, omega: 2.0 };
//! let p = SepProx::new(PotentialKind::TanSep, 1.0, 0.2, term).unwrap();
//! let (v, c) = (vec![0.3f64, -0.8], vec![1.0f64, 0.0]);
//! let mut x = vec![0.0f64; 2];
//! let rep = CpuBackend::<f64>::single_thread().sep_prox(&p, &v, &c, &mut x, None).unwrap();
//! assert_eq!(rep.unconverged, 0);
//! assert!(x.iter().zip(&v).all(|(x, v)| (v - x).abs() < p.radius()));
//! // λ beyond the uniqueness bound (r = |b|ω² − a = 1, μ = 2): a typed error, not an answer.
//! assert!(SepProx::new(PotentialKind::TanSep, 1.0, 2.5, term).is_err());
//! ```

pub mod reference;
pub mod scalar;

use crate::error::{KernelError, Result};
use crate::potential::{PotentialKind, check_eta};

/// Relative margin below λ_u = μ/r that λ must keep: λ r ≤ (1 − margin) μ, so that δ = μ/λ − r
/// is at least margin·μ/λ and the initial bracket −G(0)/δ stays finite.
pub const UNIQUENESS_MARGIN: f64 = 1e-3;

/// A coordinate counts as converged when |G| ≤ STOP_MULT·ε·S_stop (see the module doc and
/// `tolerance.rs`, where the error of the computed G is bounded by 24·ε·S).
pub const STOP_MULT: f64 = 8.0;

/// The iteration cap of the safeguarded Newton in a precision with machine epsilon `eps`: the
/// mantissa bits plus 24 (so that pure bisection would still close the bracket to rounding).
pub fn max_iterations(eps: f64) -> u32 {
    (-eps.log2()).ceil() as u32 + 24
}

/// Per-coordinate status: converged with |G| ≤ STOP_MULT·ε·S_stop.
pub const STATUS_RESIDUAL: u8 = 0;
/// Per-coordinate status: converged with the bracket closed to 4ε relative (roots where G is
/// too steep for the residual test, near the boundary of dom φ).
pub const STATUS_BRACKET: u8 = 1;
/// Per-coordinate status: not converged within [`max_iterations`] (or a non-finite input).
pub const STATUS_UNCONVERGED: u8 = 2;

/// The separable scalar terms fᵢ, with parameters per batch and a datum cᵢ per coordinate.
/// Both are C², bounded below and (for the parameters the tests use) nonconvex, so that the
/// prox is genuinely nonconvex; their f′, f″ are in closed form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SepTerm {
    /// fᵢ(x) = (a/2)(x − cᵢ)² + b cos(ωx): a least-squares fit with a periodic nonconvex term;
    /// in one dimension the theory crate's `smooth-nonconvex` family (H = a, linear term −a cᵢ,
    /// one cosine). f″ = a − bω² cos(ωx) ≥ a − |b|ω², so r = max(0, |b|ω² − a).
    QuadCos {
        /// a ≥ 0.
        a: f64,
        /// b (any sign).
        b: f64,
        /// ω ≥ 0.
        omega: f64,
    },
    /// fᵢ(x) = (a/2)(x − cᵢ)² + μ log(1 + x²/ε²): least squares with the (smoothed, nonconvex)
    /// Cauchy/log sparsity penalty. p″(x) = 2μ(ε² − x²)/(ε² + x²)² ≥ −μ/(4ε²) (at x² = 3ε²),
    /// so r = max(0, μ/(4ε²) − a).
    QuadLog {
        /// a ≥ 0.
        a: f64,
        /// μ ≥ 0.
        mu: f64,
        /// ε > 0.
        eps: f64,
    },
}

impl SepTerm {
    /// "quad-cos" or "quad-log".
    pub fn name(&self) -> &'static str {
        match self {
            SepTerm::QuadCos { .. } => "quad-cos",
            SepTerm::QuadLog { .. } => "quad-log",
        }
    }

    /// r with fᵢ″ ≥ −r everywhere (see the variants).
    pub fn weak_convexity_modulus(&self) -> f64 {
        match *self {
            SepTerm::QuadCos { a, b, omega } => (b.abs() * omega * omega - a).max(0.0),
            SepTerm::QuadLog { a, mu, eps } => (mu / (4.0 * eps * eps) - a).max(0.0),
        }
    }

    fn validate(&self) -> Result<()> {
        let bad = |name: &'static str, v: f64, expected: &'static str| {
            Err(KernelError::InvalidParameter { name, value: format!("{v}"), expected })
        };
        match *self {
            SepTerm::QuadCos { a, b, omega } => {
                if !(a >= 0.0 && a.is_finite()) {
                    return bad("a", a, "a finite a ≥ 0 (quad-cos)");
                }
                if !b.is_finite() {
                    return bad("b", b, "a finite amplitude b (quad-cos)");
                }
                if !(omega >= 0.0 && omega.is_finite()) {
                    return bad("ω", omega, "a finite frequency ω ≥ 0 (quad-cos)");
                }
            }
            SepTerm::QuadLog { a, mu, eps } => {
                if !(a >= 0.0 && a.is_finite()) {
                    return bad("a", a, "a finite a ≥ 0 (quad-log)");
                }
                if !(mu >= 0.0 && mu.is_finite()) {
                    return bad("μ", mu, "a finite weight μ ≥ 0 (quad-log)");
                }
                if !(eps > 0.0 && eps.is_finite()) {
                    return bad("ε", eps, "a finite smoothing ε > 0 (quad-log)");
                }
            }
        }
        Ok(())
    }
}

/// A planted defect, for the negative controls of the tests only (never set it otherwise).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    /// The kernel as written.
    #[default]
    None,
    /// f′ of the term with the wrong sign of its nonconvex part (b sin → −b sin, or the
    /// penalty's derivative negated): the kernel solves a different equation.
    WrongDerivative,
    /// The Newton step with the wrong sign (w + G/G′): the safeguard must still converge (by
    /// bisection).
    NewtonSign,
}

/// One batched separable φ-prox problem: φ (quad, tan-sep or log-sep with η of (18)), λ, and
/// the term f (parameters per batch; the data cᵢ and centers vᵢ are per coordinate).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SepProx {
    /// φ: [`PotentialKind::Quad`], [`PotentialKind::TanSep`] or [`PotentialKind::LogSep`].
    pub potential: PotentialKind,
    /// η > 0 of (18).
    pub eta: f64,
    /// λ ∈ (0, λ_u).
    pub lambda: f64,
    /// The separable term.
    pub term: SepTerm,
    /// Test hook (see [`Fault`]).
    #[doc(hidden)]
    pub fault: Fault,
}

impl SepProx {
    /// A checked problem: η, λ > 0 finite, a separable potential, valid term parameters, and
    /// λ below the uniqueness bound λ_u = μ/r (with [`UNIQUENESS_MARGIN`]); otherwise a typed
    /// error naming the value (for λ, with λ_u).
    pub fn new(potential: PotentialKind, eta: f64, lambda: f64, term: SepTerm) -> Result<Self> {
        check_eta(eta)?;
        if !matches!(potential, PotentialKind::Quad | PotentialKind::TanSep | PotentialKind::LogSep) {
            return Err(KernelError::InvalidParameter {
                name: "potential",
                value: potential.name().into(),
                expected: "a separable potential: quad, tan-sep or log-sep",
            });
        }
        if !(lambda > 0.0 && lambda.is_finite()) {
            return Err(KernelError::InvalidParameter { name: "λ", value: format!("{lambda}"), expected: "a finite number > 0" });
        }
        term.validate()?;
        let p = SepProx { potential, eta, lambda, term, fault: Fault::None };
        if lambda * term.weak_convexity_modulus() > (1.0 - UNIQUENESS_MARGIN) * p.mu() {
            return Err(KernelError::InvalidParameter {
                name: "λ",
                value: format!("{lambda} (λ_u = μ/r = {:.6e} for {} with {})", p.lambda_unique(), term.name(), potential.name()),
                expected: "λ < (1 − 10⁻³)·λ_u: beyond it the scalar prox objective need not be strongly convex and its stationary point need not be the unique minimizer (Theorem 4.3 needs λ small enough)",
            });
        }
        Ok(p)
    }

    /// μ = 2/η², the lower bound of φ″ on dom φ.
    pub fn mu(&self) -> f64 {
        2.0 / (self.eta * self.eta)
    }

    /// λ_u = μ/r (∞ when f is convex).
    pub fn lambda_unique(&self) -> f64 {
        let r = self.term.weak_convexity_modulus();
        if r > 0.0 { self.mu() / r } else { f64::INFINITY }
    }

    /// δ = μ/λ − r > 0, the lower bound of G′.
    pub fn delta(&self) -> f64 {
        self.mu() / self.lambda - self.term.weak_convexity_modulus()
    }

    /// ρ = η√s_max: dom φ per coordinate is |w| < ρ (∞ for quad).
    pub fn radius(&self) -> f64 {
        self.eta * self.potential.s_max().sqrt()
    }
}

/// What a batched prox did (per-coordinate statuses are in the backends' optional output).
#[derive(Debug, Clone, PartialEq)]
pub struct SepProxReport {
    /// n.
    pub n: usize,
    /// Coordinates with [`STATUS_UNCONVERGED`].
    pub unconverged: usize,
    /// Coordinates that converged by the closed bracket ([`STATUS_BRACKET`]).
    pub by_bracket: usize,
    /// The first such coordinate.
    pub first_unconverged: Option<usize>,
    /// The largest relative residual |G|/S (S the rounding scale of G, see `tolerance.rs`).
    pub max_residual: f64,
    /// Newton steps taken, over all coordinates.
    pub newton_steps: u64,
    /// Bisection steps taken, over all coordinates.
    pub bisections: u64,
}

impl SepProxReport {
    /// Ok if every coordinate converged, else a typed error naming the first one.
    pub fn ensure_converged(&self) -> Result<()> {
        match self.first_unconverged {
            None => Ok(()),
            Some(i) => Err(KernelError::InvalidParameter {
                name: "sep_prox",
                value: format!("{} of {} coordinates unconverged, first {i}, worst |G|/S = {:e}", self.unconverged, self.n, self.max_residual),
                expected: "every coordinate converged (|G| ≤ 8ε·S_stop or a closed bracket)",
            }),
        }
    }
}

/// Shape checks shared by the backends: c, x (and the statuses) of the length of v.
pub(crate) fn check_io(v: usize, c: usize, x: usize, status: Option<usize>) -> Result<()> {
    crate::error::ensure_len("c", c, v)?;
    crate::error::ensure_len("x", x, v)?;
    if let Some(r) = status {
        crate::error::ensure_len("status", r, v)?;
    }
    Ok(())
}

/// The typed error for a non-finite input coordinate.
pub(crate) fn non_finite(what: &'static str, index: usize, value: f64) -> KernelError {
    KernelError::InvalidParameter {
        name: what,
        value: format!("{value} at coordinate {index}"),
        expected: "finite centers v and data c",
    }
}
