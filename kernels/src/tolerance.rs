//! Every tolerance of the kernel tests, with its derivation.
//!
//! Notation: ε is the machine epsilon of the arithmetic (2⁻²³ for f32, 2⁻⁵² for f64), u = ε/2 the
//! unit roundoff. A sum of k terms computed in any order of depth D (the longest chain of
//! additions a term goes through) has |error| ≤ γ_D Σ|terms|, γ_D = D u/(1 − D u) (Higham,
//! *Accuracy and Stability of Numerical Algorithms*, §4.2). We use these worst-case bounds with a
//! small safety factor, so a test failure means a real defect, not bad luck; the tests print the
//! worst ratio error/tolerance they saw (typically far below 1).
//!
//! * Reductions (‖(u − zⱼ)ₗ‖²): all terms are ≥ 0, so Σ|terms| is the result and the bound is
//!   relative. The CPU backend forms d = u − z in its precision T (relative error u_T) and adds
//!   the squares in T over 16 lanes per sub-block of 256 elements (16 additions per lane, then a
//!   lane tree of 4 levels: depth 20 in T), then adds the sub-block sums in f64 (depth ≤ n in
//!   f64): error ≤ γ₂₂(T) + γₙ(f64). The GPU backend adds in f32: each of 256 invocations adds
//!   [`GPU_PER_THREAD`] elements serially, a workgroup tree adds 8 levels, and the per-layer sum
//!   adds the tiles of the layer serially: depth D = GPU_PER_THREAD + 8 + ⌈n/GPU_TILE⌉.
//! * ∇φ̂ = (2h′(s)/η²)·d: the factor's relative error is cond_h(s)·rel(s) plus its own
//!   evaluation error, with cond_h(s) = |s h″(s)/h′(s)| (0 quad, ½ cubic, ≤ ½ cubic-reg,
//!   2s·tan s for tan, s/(1 − s) for log). sec² is evaluated as 1/cos² (f32: the shader's own
//!   polynomial; std's cos on the CPU), whose relative error grows like ε/cos(s) near π/2: we
//!   bound evaluation by 8ε(1 + cond_h(s)).
//! * Steps (Algorithm 1): every output is x + (terms) with terms = products of gradients and
//!   step sizes; its error is bounded by a multiple of ε·(|x| + Σ|terms|), the multiple being the
//!   relative error of the gradient factors (above) times a constant for the few roundings of
//!   the update formula and of the step length t (t* is the root of a quadratic whose constant
//!   term c = ‖d‖² − ρ² stays ≥ 0.5ρ² in the test states, so its condition number is ≤ 3).

use crate::backend::Precision;
use crate::potential::PotentialKind;

/// Invocations per workgroup of the WGSL kernels.
pub const GPU_WORKGROUP: usize = 256;
/// Elements each invocation handles serially per tile.
pub const GPU_PER_THREAD: usize = 16;
/// Elements per tile (one workgroup) of the WGSL kernels.
pub const GPU_TILE: usize = GPU_WORKGROUP * GPU_PER_THREAD;

/// The arithmetic whose errors a tolerance bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arith {
    /// The CPU backend in f32 or f64 (f64 accumulation).
    Cpu(Precision),
    /// The wgpu backend (f32 throughout).
    Gpu,
}

impl Arith {
    /// ε of the element arithmetic.
    pub fn eps(self) -> f64 {
        match self {
            Arith::Cpu(Precision::F64) => f64::EPSILON,
            _ => f32::EPSILON as f64,
        }
    }
}

/// The depth D of the summation of n terms (see the module doc).
pub fn sum_depth(a: Arith, n: usize) -> f64 {
    match a {
        Arith::Cpu(_) => n as f64,
        Arith::Gpu => (GPU_PER_THREAD + 8 + n.div_ceil(GPU_TILE)) as f64,
    }
}

/// Relative tolerance of a sum of n non-negative terms (per-layer squared norms).
pub fn sum_rel(a: Arith, n: usize) -> f64 {
    match a {
        // γ₂₂ in T (2 roundings forming d², depth 20 of the lane sums), γ_n in f64; ×2 safety.
        Arith::Cpu(_) => 2.0 * (22.0 * a.eps() / 2.0 + sum_depth(a, n) * f64::EPSILON),
        // γ_{D+2} in f32 (2 more roundings: forming and squaring d); ×2 safety → (D + 2)ε.
        Arith::Gpu => (sum_depth(a, n) + 2.0) * a.eps(),
    }
}

/// cond_h(s) = |s h″(s)/h′(s)|, the relative condition number of the factor 2h′(s).
pub fn cond_h(kind: PotentialKind, s: f64) -> f64 {
    match kind {
        PotentialKind::Quad => 0.0,
        PotentialKind::Cubic | PotentialKind::CubicReg => 0.5,
        PotentialKind::Tan | PotentialKind::TanSep => 2.0 * s * s.tan().abs(),
        PotentialKind::Log | PotentialKind::LogSep => s / (1.0 - s),
    }
}

/// Relative tolerance of one component of ∇φ̂ whose factor is evaluated at the scaled squared
/// norm s of a layer of n_l elements (n_l = 1 for separable potentials).
pub fn grad_rel(a: Arith, kind: PotentialKind, s: f64, n_l: usize) -> f64 {
    let c = cond_h(kind, s);
    c * sum_rel(a, n_l) + 8.0 * a.eps() * (1.0 + c) + 4.0 * a.eps()
}

/// The multiple of (|x| + Σ|terms|) that bounds the error of a step's output, given the worst
/// factor condition number over the state (cond) and the longest layer (n_l).
pub fn step_rel(a: Arith, cond: f64, n_l: usize) -> f64 {
    // Gradient factor error (as in grad_rel) + t's error (≤ 3 × sum_rel, see module doc) + 16ε
    // for the roundings of the update formula; ×2 safety.
    2.0 * (cond * sum_rel(a, n_l) + 8.0 * a.eps() * (1.0 + cond) + 3.0 * sum_rel(a, n_l) + 16.0 * a.eps())
}

/// Relative tolerance of t* (a root of a quadratic with condition ≤ 3 in the test states, of
/// sums of n_l terms; per coordinate the bound is a quotient, n_l = 1).
pub fn bound_rel(a: Arith, n_l: usize) -> f64 {
    4.0 * (3.0 * sum_rel(a, n_l) + 8.0 * a.eps())
}

/// Tolerance of a residual norm (5a)/(5b): a sum of squares of gradient-dependent terms.
pub fn residual_rel(a: Arith, cond: f64, n: usize, n_l: usize) -> f64 {
    2.0 * (grad_rel(a, PotentialKind::Quad, 0.0, 1) + cond * sum_rel(a, n_l) + sum_rel(a, n))
}

/// The multiple K of ε·S that bounds the error of the computed G(w) = φ′(w)/λ − f′(v − w) of the
/// separable φ-prox (`prox/`), S = |φ′|/λ + (φ″/λ + |f″|)(|w| + |x|) + T_f with T_f the
/// magnitude of f′'s terms (a(|x| + |c|) + |bω|(1 + ω|x|) for quad-cos, a(|x| + |c|) + |p′| for
/// quad-log). Derivation, in units of ε (u = ε/2):
///
/// * φ′(w) = 2h′(s)w/η², s = w²/η²: s carries 3u, which moves h′ by cond_h(s)·3u; h′ itself
///   (1/cos² with the polynomial cos, or 1/(1 − s)) carries ≤ 8ε(1 + cond_h) as in
///   [`grad_rel`]; 3 more roundings form 2h′w/η² and 2 apply 1/λ: ≤ (12 + 4 cond_h)ε|φ′|/λ,
///   and since (1 + 2 cond_h)|φ′| = φ″|w|, this is ≤ 12ε·(|φ′|/λ + φ″|w|/λ).
/// * x = fl(v − w) carries u|x|, which moves f′ by |f″|·u|x|.
/// * f′: the quadratic part a(x − c) has 2 roundings (≤ ε·a(|x| + |c|)); sin(ωx) carries its own
///   error (≤ ε for std, ≤ 2ε for the shader's range-reduced polynomial) plus the rounding of
///   the argument ωx (u|ωx|): ≤ 3ε|bω|(1 + ω|x|), and 2 roundings apply bω; the log penalty's
///   p′ = 2μx/(ε² + x²) has ≤ 5 roundings: together ≤ 4ε·T_f.
/// * the difference: u(|φ′|/λ + |f′|) ≤ u·S.
///
/// Sum ≤ (12 + 1 + 4 + 1)ε·S; K = 24 keeps a margin of a third.
pub const PROX_EVAL_MULT: f64 = 24.0;

/// Tolerance of |x̃ − x*| for the separable φ-prox at a root with scale S and slope G′ = dg > 0.
///
/// A coordinate stops (`prox::scalar::Consts::solve`) either (A) at |Ĝ(w̃)| ≤ STOP_MULT·ε·Ŝ_stop(w̃)
/// (`prox::STOP_MULT`), Ŝ_stop = |φ′|/λ + |f″||x| + T_f + δ(|w| + |x|) ≤ S (φ″/λ ≥ μ/λ ≥ δ), in
/// the working precision and at w̃ rather than w* (≤ 1.25 S: w̃ is within rounding of w* and Ŝ
/// carries a few ε); or (B) with the bracket closed to 4ε·|w|, where the signs of Ĝ at its ends
/// are right up to the evaluation error, so |w̃ − w*| ≤ 4ε|w| + PROX_EVAL_MULT·ε·S/G′. In case
/// (A), |G(w̃)| ≤ (PROX_EVAL_MULT + 1.25·STOP_MULT)·ε·S, and |w̃ − w*| ≤ |G(w̃)|/min G′ over
/// [w̃, w*], bounded by 2/G′(w*) (G′ changes by far less than half over an interval of relative
/// width ~10⁻⁵). x̃ = fl(v − w̃) adds u|x|. Since S ≥ G′·(|w| + |x|) (S contains
/// (φ″/λ + |f″|)(|w| + |x|)), every term is ≤ a multiple of ε·S/G′, hence
/// tol = 2·(PROX_EVAL_MULT + 1.25·STOP_MULT + 1)·ε·S/G′(w*). For f64 backends the reference's own
/// error (it stops at |G| ≤ 4ε·S or a bracket of 2ε|w|) is inside the same bound.
pub fn prox_x_tol(a: Arith, scale: f64, dg: f64) -> f64 {
    2.0 * (PROX_EVAL_MULT + 1.25 * crate::prox::STOP_MULT + 1.0) * a.eps() * scale / dg
}

/// Tolerance of the optimality residual |G(v − x̃)| evaluated in f64 at a kernel's x̃: the
/// bound on |G(w̃)| above plus G′·u|x| ≤ ε·S for the rounding of x̃.
pub fn prox_residual_tol(a: Arith, scale: f64) -> f64 {
    (PROX_EVAL_MULT + 1.25 * crate::prox::STOP_MULT + 1.0) * a.eps() * scale
}
