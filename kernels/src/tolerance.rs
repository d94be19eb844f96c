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

/// cond_h(s) = |s h″(s)/h′(s)|, the relative condition number of the factor 2h′(s) (for a
/// registered profile from its h′ and h″; 0 at s = 0, +∞ where they are not finite).
pub fn cond_h(kind: PotentialKind, s: f64) -> f64 {
    match kind {
        PotentialKind::Quad => 0.0,
        PotentialKind::Cubic | PotentialKind::CubicReg => 0.5,
        PotentialKind::Tan | PotentialKind::TanSep => 2.0 * s * s.tan().abs(),
        PotentialKind::Log | PotentialKind::LogSep => s / (1.0 - s),
        PotentialKind::Profile(p) => {
            if s == 0.0 {
                return 0.0;
            }
            let c = (s * p.profile().d2h(s) / p.profile().dh(s)).abs();
            if c.is_nan() { f64::INFINITY } else { c }
        }
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

// ---------------------------------------------------------------------------------------------
// LeNet-5: central differences of the f64 reference, and the f32 paths against it.
// ---------------------------------------------------------------------------------------------
//
// Central differences (f64 reference). Along a unit direction d (‖d‖₂ = 1) on one smooth piece
// of the loss f (the same max-pool/ReLU pattern at x − hd, x and x + hd, checked by the test),
//   (f(x + hd) − f(x − hd))/2h − ∇f·d = h²/6·f‴(ξ)[d,d,d] + (δ₊ − δ₋)/2h,
// with |δ±| ≤ γ_N·f_abs the rounding of f in f64 (N ≈ 2,000 sums deep, f_abs ≈ |f| here since
// the loss terms are ≥ 0): with h = 1e-5 and f ≈ 2.3 the rounding part is ≲ 1e-10, and the
// truncation part is h²/6·|f‴| ≈ 2e-11·|f‴| (|f‴| along a unit direction is O(1)–O(10) at the
// Xavier initialisation). Both are ≤ 1e-8 relative to the scale ‖∇f‖₂‖d‖₂ ≈ 0.1–1 (the
// Cauchy–Schwarz bound of ∇f·d): the check's tolerance 1e-6 of that scale leaves two orders of
// magnitude of margin and still flags any wrong layer (a sign flip or a transposed tensor moves
// ∇f·d by ≳ 1e-4 of the scale along the directions the tests use).
//
// f32 against f64. On a fixed pattern the loss's logits and the gradient are sums of products
// (the ReLUs and max-pools only select), so the first-order forward error of every computed
// quantity is ≤ γ_N times the same quantity computed with all inputs, weights and partial
// results replaced by their absolute values (the "absolute-value companion"; Higham §3.1, §4.2),
// N the number of roundings along the longest chain:
// * forward, N_f = Σ over the layers (fan-in + 1): conv1 25+1, conv2 500+1, fc1 800+1, fc2 500+1
//   (Caffe: 1829; paper: 26 + 501 + 801 = 1328), so |δz_k| ≤ γ_{N_f}·z_abs,k =: e_z;
// * the loss −z_y + log Σ exp z_k is computed in f64 from the f32 logits: |δℓ| ≤ 2e_z (log-sum-
//   exp is 1-Lipschitz in ‖·‖∞) + f64 roundings;
// * ∂ℓ/∂z_k = p_k − [k = y]: δp_k = p_k(δz_k − Σ_j p_j δz_j), so |δp_k| ≤ 2p_k e_z, plus 4u(p_k+1)
//   for the f64→f32 rounding and the 1/b scale;
// * backward, N_b = 10 (dz·W_fc2) + 500 (·W_fc1) + 50 (conv2 input gradient) + 25 (col2im) +
//   b·576 (the longest weight-gradient sum: conv1 over the batch and the 24×24 positions) + 4;
// the gradient's error is then ≤ G_abs(γ_{N_f+N_b}|∂ℓ/∂z| + |δ∂ℓ/∂z|), G_abs the backward pass of
// the absolute-value companion ([`crate::lenet::reference::f32_bound`]). The bound needs the
// f32 path to take the same pattern (the tests compare the patterns first and require them
// equal on their inputs; a flip would be a legitimate rounding effect only at a unit whose f64
// margin is below its error bound, and the test would have to be redesigned, not loosened).
// ×2 safety.
// Worst-case γ's are pessimistic by about √N: the tests report the worst ratio seen.

/// Step h of the central differences along unit directions.
pub const LENET_FD_H: f64 = 1e-5;
/// Tolerance of |central difference − ∇f·d| relative to ‖∇f‖₂‖d‖₂.
pub const LENET_FD_REL: f64 = 1e-6;
/// Safety factor of the f32 bounds.
pub const LENET_SAFETY: f64 = 2.0;

/// γ_n = n u/(1 − n u) in f32 (u = 2⁻²⁴).
pub fn gamma_f32(n: usize) -> f64 {
    let nu = n as f64 * f32::EPSILON as f64 / 2.0;
    nu / (1.0 - nu)
}

/// N_f of the forward pass (see the LeNet section above).
pub fn lenet_forward_depth(arch: crate::lenet::Arch) -> usize {
    use crate::lenet::Arch;
    match arch {
        Arch::Caffe => 26 + 501 + 801 + 501,
        Arch::Paper => 26 + 501 + 801,
    }
}

/// γ_{N_f}: the relative (to the absolute-value companion) error of the f32 logits.
pub fn lenet_forward_gamma(arch: crate::lenet::Arch) -> f64 {
    gamma_f32(lenet_forward_depth(arch))
}

/// N_f + N_b for a batch of b samples (see the LeNet section above).
pub fn lenet_grad_depth(arch: crate::lenet::Arch, b: usize) -> usize {
    use crate::lenet::Arch;
    let fc1 = if arch == Arch::Caffe { 500 } else { 0 };
    lenet_forward_depth(arch) + 10 + fc1 + 50 + 25 + b * 576 + 4
}

/// γ_{N_f + N_b} for a batch of b samples: the relative error of the f32 gradient.
pub fn lenet_grad_gamma(arch: crate::lenet::Arch, b: usize) -> f64 {
    gamma_f32(lenet_grad_depth(arch, b))
}

// The worst-case bound above is a theorem but, through four layers, the absolute-value
// companion exceeds the signed quantities by about Π √fan-in (the logits' companion alone is
// 10³–10⁴ times |z|), so the bound sits 10⁵–10⁷ above the observed errors: it cannot see an O(1)
// error in a gradient coordinate. The tests therefore add a second,
// normwise check under the probabilistic model of rounding errors (Higham & Mary, "A new
// approach to probabilistic rounding error analysis", SISC 2019): independent mean-zero
// roundings make the error of a length-K dot product ≈ u√K relative to its value (random walk of
// the partial sums against a result of size √K·term), and the relative errors of the L stages of
// a chain add in quadrature, ≈ u√N for N = Σ K. Per layer l of the parameter vector we require
//   ‖∇ₗ(f32) − ∇ₗ(f64)‖₂ ≤ λ u √N ‖∇ₗ(f64)‖₂   and   |L(f32) − L(f64)| ≤ λ u √N_f · L(f64),
// with λ = [`LENET_PROB_LAMBDA`] = 16: the model's tail (λ = 16 standard deviations) plus a
// factor for the correlation of roundings and for the cancellation of the layer's gradient sums.
// This is a model, not a theorem (the theorem is the worst-case bound above, checked as well);
// the tests report the worst ratio of both.

/// λ of the normwise probabilistic check.
pub const LENET_PROB_LAMBDA: f64 = 16.0;

/// λ u √n: the relative normwise tolerance of an f32 chain of n roundings under the
/// probabilistic model.
pub fn lenet_prob_rel(n: usize) -> f64 {
    LENET_PROB_LAMBDA * (f32::EPSILON as f64 / 2.0) * (n as f64).sqrt()
}

/// Bound on one sample's loss error given the bound e_z of its logits' error.
pub fn lenet_loss_bound(e_z: f64, loss: f64) -> f64 {
    2.0 * e_z + 16.0 * f64::EPSILON * (loss.abs() + 1.0)
}

/// Bound on the error of ∂ℓ/∂z_k = p_k − [k = y] (before the 1/b scale).
pub fn lenet_dlogit_bound(p_k: f64, e_z: f64) -> f64 {
    2.0 * p_k * e_z + 4.0 * (f32::EPSILON as f64 / 2.0) * (p_k + 1.0)
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

/// The theory crate's f64 `Algorithm1` against the f64 CPU step (`tests/algorithm1_agreement.rs`),
/// relative to each quantity's ∞-norm: the same formulas of Algorithm 1 in the same f64
/// arithmetic, differing only in the order and form of a few operations (∇φ̂ as ∇φ(w/η)/η against
/// the factor 2h′(‖w‖²/η²)/η² times w, a division by λ against a multiplication by 1/λ, the exit
/// root of the line search in two stable forms, the velocity in displacement against gradient
/// units). Each iteration adds a few ε of relative difference per quantity, amplified by the
/// condition s/(1 − s) of log's h′ where u − zⱼ is near the boundary and carried over by the
/// momentum (Σκᵏ = 10 for κ = 0.9); the test keeps its cut steps away from the boundary's
/// conditioning (fraction 0.5, see its `config`) and measures ≤ 3·10⁻¹⁵ over 60 iterations.
/// 10⁻¹² leaves a margin of 300 and is still far below what a different rule produces (a velocity
/// not scaled on a cut differs from the third iteration on and reaches O(1); a residual without
/// 1/λ differs by the factor λ).
pub const ALGORITHM1_AGREEMENT_REL: f64 = 1e-12;
