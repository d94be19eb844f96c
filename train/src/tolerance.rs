//! The tolerances of the training tests, derived and named in one place: Algorithm 1 in f32
//! against a direct synchronous EASGD in f64, and the wgpu engine against the CPU engine.

/// ε of IEEE single, the arithmetic of the training kernels.
pub const EPS_F32: f64 = f32::EPSILON as f64;

/// Algorithm 1 with quad, τ = η²/(2M), Jacobi order against a direct synchronous EASGD in f64
/// (tests/train.rs), per iteration t: ‖z − y‖∞ and ‖u − x̃‖∞ relative to 1 + the largest
/// |coordinate|. Per iteration the f32 driver rounds each coordinate a handful of times (the
/// consensus sum of M terms, the worker update δ + νz + ρ(z − u), v ← κv + Δ, z − σ(Δ + κv):
/// ≤ 8 roundings), and the reference evaluates its gradients at its f64 point rounded to f32
/// (one more ε, amplified by σ·L of the loss, ≤ 1 at these step sizes): ≤ 16ε per iteration;
/// 32ε·t is that with a factor 2 of margin. A different iteration (the Gauss–Seidel order of
/// line 5 instead of (17)) moves every copy by σρ‖uᵗ⁺¹ − uᵗ‖, hundreds of ε after one
/// iteration: the test shows that it is flagged.
pub fn easgd_equivalence_rel(iterations: usize) -> f64 {
    32.0 * EPS_F32 * iterations as f64
}

// ---- `infconv train --backend gpu`: the wgpu engine against the CPU engine ----
//
// The two engines are compared one iteration at a time from a common state S = (u, zⱼ, vⱼ) in f32
// (a checkpoint of either engine, loaded into both; same minibatches). Each engine X computes
// δⱼ,X (LeNetGpu resp. LeNetCpu, f32) and then its kernel step; write Step* for the exact step.
// * Kernels: the kernels crate bounds every output of a step elementwise against the exact step
//   by rel_X · aₖ (`infconv_kernels::tolerance::step_rel`, with the condition cond of the
//   potential's factor over the state and the longest layer n_l), aₖ the sum of the absolute
//   terms of that output: for u, |u⁺| + τ Σⱼ |gⱼ|; for vⱼ, κ|vⱼ| + |δⱼ| + ν|zⱼ| + |gⱼ|/λ; for zⱼ,
//   |zⱼ⁺| + σ(1+κ)(|δⱼ| + ν|zⱼ| + |gⱼ|/λ + κ|vⱼ|), with gⱼ = |∇φ̂| at u − zⱼ and at u⁺ − zⱼ added.
//   Gauss–Seidel: the error of u⁺ reaches the worker step through gⱼ = ∇φ̂(u⁺ − zⱼ), whose
//   Jacobian per layer has norm ≤ L_g = (2h′(s)/η²)(1 + 2 cond_h(s)) (radial: the factor and its
//   rank-one derivative; separable: the same per coordinate) [`grad_phi_lipschitz`].
// * Gradients: with the same max-pool/ReLU pattern, each f32 LeNet path is within ρ = λ u √N of
//   the f64 gradient per layer, normwise (`infconv_kernels::tolerance::lenet_prob_rel`, N the
//   chain length of `lenet_grad_depth` for the batch): ‖δ_G − δ_C‖ₗ ≤ 2ρ‖∇₆₄‖ₗ ≤
//   2ρ/(1 − ρ)·‖δ_C‖ₗ [`train_engine_delta_rel`]. (The probabilistic model of the kernels' LeNet
//   checks, not a theorem; a pattern flip between the two paths would break it, and the test
//   would have to be redesigned, not loosened.)
// * The step is affine in δ when no step length is cut (t = 1; the test requires no cut in
//   either engine): u⁺ does not depend on δ, v⁺ moves by Δδ, z⁺ by σ(1+κ)Δδ.
// Per worker j and layer l, with r = rel_G + rel_C [`train_engine_step_rel`]:
//   ‖u_G − u_C‖ₗ ≤ r‖a_u‖ₗ,
//   ‖v_G − v_C‖ₗ ≤ r‖a_v‖ₗ + (L_g/λ) r‖a_u‖ₗ + D_l,
//   ‖z_G − z_C‖ₗ ≤ r‖a_z‖ₗ + σ(1+κ)((L_g/λ) r‖a_u‖ₗ + D_l),   D_l = 2ρ/(1 − ρ)·‖δ_C‖ₗ.
// Every factor is already a worst case with a safety margin, so the comparison uses these
// bounds as they stand; the test prints the worst ratio. Over several iterations the difference
// also propagates through the Hessian of the LeNet loss, which has no a-priori bound here: a
// free-running comparison is reported, not judged.

/// The normwise relative bound 2ρ/(1 − ρ) on ‖δ_G − δ_C‖ₗ/‖δ_C‖ₗ for a minibatch of `batch`
/// samples (section above).
pub fn train_engine_delta_rel(arch: infconv_kernels::lenet::Arch, batch: usize) -> f64 {
    use infconv_kernels::tolerance::{lenet_grad_depth, lenet_prob_rel};
    let rho = lenet_prob_rel(lenet_grad_depth(arch, batch));
    2.0 * rho / (1.0 - rho)
}

/// r = rel_G + rel_C: the kernels' step bounds of the wgpu and the CPU f32 backend, for the
/// factor condition `cond` and the longest layer `n_l` (section above).
pub fn train_engine_step_rel(cond: f64, n_l: usize) -> f64 {
    use infconv_kernels::Precision;
    use infconv_kernels::tolerance::{Arith, step_rel};
    step_rel(Arith::Gpu, cond, n_l) + step_rel(Arith::Cpu(Precision::F32), cond, n_l)
}

/// L_g = (2h′(s)/η²)(1 + 2 cond_h(s)): the norm of the Jacobian of ∇φ̂ on a layer (or
/// coordinate) at scaled squared norm s (section above).
pub fn grad_phi_lipschitz(kind: infconv_kernels::PotentialKind, eta: f64, s: f64) -> f64 {
    let h1 = infconv_kernels::reference::h_prime(kind, s);
    2.0 * h1 / (eta * eta) * (1.0 + 2.0 * infconv_kernels::tolerance::cond_h(kind, s))
}
