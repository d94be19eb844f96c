//! The batched separable φ-prox on the wgpu backend (f32; Mesa lavapipe in CI) against the
//! serial f64 reference at n ∈ {1, 7, 256, 431,080, 4,000,000}, with the negative controls.
//! Without an adapter the tests print a visible skip line, except with `CI=true`, where a
//! missing adapter fails the run (the convention of gpu_agreement.rs).

mod prox_common;

use infconv_kernels::GpuBackend;
use infconv_kernels::prox::reference;
use infconv_kernels::prox::{Fault, STATUS_BRACKET, STATUS_UNCONVERGED, SepProx, SepProxReport};
use infconv_kernels::tolerance::Arith;
use prox_common::*;

/// The backend, or None (after printing why) outside CI.
fn gpu() -> Option<GpuBackend> {
    infconv_kernels::gpu::device_or_skip("the wgpu tests", GpuBackend::new(), |d| d.adapter().to_string()).unwrap()
}

fn run_gpu(b: &GpuBackend, p: &SepProx, v: &[f64], c: &[f64]) -> (Vec<f64>, SepProxReport) {
    let vt: Vec<f32> = v.iter().map(|&a| a as f32).collect();
    let ct: Vec<f32> = c.iter().map(|&a| a as f32).collect();
    let mut x = vec![0.0f32; v.len()];
    let mut status = vec![9u8; v.len()];
    let rep = b.sep_prox(p, &vt, &ct, &mut x, Some(&mut status)).unwrap();
    assert_eq!(status.iter().filter(|&&s| s == STATUS_UNCONVERGED).count(), rep.unconverged);
    assert_eq!(status.iter().filter(|&&s| s == STATUS_BRACKET).count(), rep.by_bracket);
    assert!(status.iter().all(|&s| s <= STATUS_UNCONVERGED));
    (x.iter().map(|&a| a as f64).collect(), rep)
}

#[test]
fn wgpu_sep_prox_agrees_with_reference_at_every_size() {
    let Some(b) = gpu() else { return };
    agreement_sweep("wgpu-f32", Arith::Gpu, &SIZES, 7000, false, |p, v, c| run_gpu(&b, p, v, c));
}

/// The negative controls on the device: a planted wrong derivative is flagged by the same
/// comparison; a wrong-sign Newton step is caught by the safeguard (agreement holds, with
/// bisections); non-finite input is a typed error.
#[test]
fn wgpu_sep_prox_negative_controls() {
    let Some(b) = gpu() else { return };
    for p in problems() {
        let (v, c) = batch(256, 9, false);
        let refs = reference::solve_all(&p, &v, &c);
        let mut bad = p;
        bad.fault = Fault::WrongDerivative;
        let (x, _) = run_gpu(&b, &bad, &v, &c);
        let w = compare(Arith::Gpu, &p, &v, &c, &x, &refs);
        assert!(w.x > 1e3 && w.residual > 1e3, "wrong derivative not flagged on wgpu for {}: {w:?}", label(&p));
        bad.fault = Fault::NewtonSign;
        let (x, rep) = run_gpu(&b, &bad, &v, &c);
        let (_, clean) = run_gpu(&b, &p, &v, &c);
        assert_agrees(&compare(Arith::Gpu, &p, &v, &c, &x, &refs), &rep, &format!("wgpu wrong-sign Newton {}", label(&p)));
        assert!(rep.bisections > 10 * clean.bisections.max(1), "{}: {rep:?} vs clean {clean:?}", label(&p));
    }
    let p = problems()[2];
    let mut x = [0.0f32; 2];
    let e = b.sep_prox(&p, &[0.1, f32::NAN], &[0.0; 2], &mut x, None).unwrap_err();
    assert!(e.to_string().contains("NaN at coordinate 1"), "{e}");
    let e = b.sep_prox(&p, &[0.1; 2], &[0.0; 3], &mut x, None).unwrap_err();
    assert!(e.to_string().contains("c has length 3, expected 2"), "{e}");
}
