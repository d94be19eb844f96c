// Adding a potential to the wgpu backend (the one place that says what WGSL must provide; the
// CPU backend needs none of this: any profile registered in the theory crate with a kernel form
// runs there, see docs/adding-a-potential.md).
//
// The wgpu backend runs only the kinds that have a code here, PotentialKind::gpu_code in
// kernels/src/potential.rs (0 quad, 1 cubic, 2 cubic-reg, 3 tan, 4 tan-sep, 5 log, 6 log-sep);
// for any other kind it returns KernelError::NoGpuKernel before dispatching. A new kind needs:
//   1. a variant of PotentialKind with the next code in gpu_code, chosen in PotentialKind::from_form
//      (a ClosedForm of the theory crate's Profile::closed_form, so that the registry entry maps to it);
//   2. a case of that code in two_dh (prelude.wgsl): 2h'(s) in f32 for 0 <= s < s_max, finite there,
//      with relative error within 8 eps (1 + cond_h(s)) (kernels/src/tolerance.rs), cond_h(s) =
//      |s h''(s)/h'(s)| in tolerance::cond_h; no f64 and no builtin transcendental whose accuracy
//      WGSL leaves open (use the polynomials of this file);
//   3. for a separable kind used by the phi-prox, a branch of phi_d (prox.wgsl) giving
//      (phi'(w), phi''(w), 1) inside the domain and (0, 0, 0) outside;
//   4. the closed forms of the CPU fast path (real.rs two_dh, reference.rs h_prime,
//      tolerance::cond_h); kernels/tests/gpu_agreement.rs then checks it on the adapter.

// Shared f32 math of the WGSL kernels (prepended to every shader module): our own polynomial
// cos on [0, pi/2] (the builtins' accuracy is not specified tightly enough; f64 transcendental
// functions are garbage on lavapipe).

// cos s for s in [0, pi/2] as sin(pi/2 - s), pi/2 split into two f32s so that r keeps its
// relative accuracy near the boundary of tan's domain; sin by its Taylor polynomial to r^13
// (truncation < 6e-8 relative at r = pi/2).
fn cos_acc(s: f32) -> f32 {
    let r = (1.5707963705062866 - s) - 4.371139e-8;
    let r2 = r * r;
    return r * (1.0 + r2 * (-1.6666667e-1 + r2 * (8.3333333e-3 + r2 * (-1.9841270e-4
        + r2 * (2.7557319e-6 + r2 * (-2.5052108e-8 + r2 * 1.6059044e-10))))));
}


// (sin a, cos a) for |a| < 2^16 pi/2: Cody-Waite reduction a = k pi/2 + r with pi/2 split in three
// (the first part has 8 significant bits, so k * part is exact for k < 2^16), |r| <= pi/4, and
// Taylor polynomials (sin to r^9, cos to r^10: truncation < 3e-9 at pi/4).
fn sin_cos(a: f32) -> vec2<f32> {
    let k = round(a * 0.63661977236758134);
    let r = ((a - k * 1.5703125) - k * 4.837512969970703125e-4) - k * 7.5497899548918821e-8;
    let r2 = r * r;
    let s = r * (1.0 + r2 * (-1.6666667e-1 + r2 * (8.3333333e-3 + r2 * (-1.9841270e-4 + r2 * 2.7557319e-6))));
    let c = 1.0 + r2 * (-0.5 + r2 * (4.1666667e-2 + r2 * (-1.3888889e-3 + r2 * (2.4801587e-5 - r2 * 2.7557319e-7))));
    switch (i32(k) & 3) {
        case 0: { return vec2<f32>(s, c); }
        case 1: { return vec2<f32>(c, -s); }
        case 2: { return vec2<f32>(-s, -c); }
        default: { return vec2<f32>(-c, s); }
    }
}

// Not NaN and not +-inf (by the exponent bits: comparisons may assume finite values).
fn is_finite(a: f32) -> bool {
    return (bitcast<u32>(a) & 0x7f800000u) != 0x7f800000u;
}
