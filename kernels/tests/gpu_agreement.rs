//! The wgpu backend (f32; Mesa lavapipe in CI) against the serial f64 reference at
//! n ∈ {1, 7, 256, 431,080, 4,000,000}. Without an adapter the tests print a visible skip line,
//! except with `CI=true`, where a missing adapter fails the run.

mod common;

use common::*;
use infconv_kernels::potential::PotentialKind;
use infconv_kernels::tolerance::Arith;
use infconv_kernels::GpuBackend;

/// The backend, or None (after printing why) outside CI.
fn gpu() -> Option<GpuBackend> {
    infconv_kernels::gpu::device_or_skip("the wgpu tests", GpuBackend::new(), |d| d.adapter().to_string()).unwrap()
}

#[test]
fn wgpu_agrees_with_reference_at_every_size() {
    let Some(b) = gpu() else { return };
    for (si, &n) in SIZES.iter().enumerate() {
        let kinds = if n >= 4_000_000 {
            // The radial bounded and the per-coordinate case (see cpu_agreement.rs for the time budget).
            vec![PotentialKind::Tan, PotentialKind::LogSep]
        } else {
            PotentialKind::BUILTIN.to_vec()
        };
        for (ki, kind) in kinds.into_iter().enumerate() {
            let seed = 5000 + 1000 * si as u64 + ki as u64;
            let m = if n >= 4_000_000 { 2 } else { 4 };
            let t0 = std::time::Instant::now();
            check_all_kernels(&b, Arith::Gpu, n, m, kind, seed);
            check_fused_step(&b, Arith::Gpu, n, m, kind, seed + 77);
            println!("wgpu n = {n} {kind}: {:.2} s", t0.elapsed().as_secs_f64());
        }
    }
    print_worst("wgpu-f32");
}
