//! The wgpu LeNet-5 (f32 WGSL; Mesa lavapipe in CI) against the f64 reference with the bounds of
//! `tolerance.rs` (the same checks as the CPU path), and against the f32 CPU path. Without an
//! adapter the tests print a visible skip line, except with `CI=true`, where a missing adapter
//! fails the run.

mod lenet_common;

use infconv_kernels::lenet::{Arch, Batch, LeNetCpu, LeNetGpu, PIXELS};
use infconv_kernels::tolerance::{lenet_grad_depth, lenet_prob_rel};
use lenet_common::*;

/// The device path, or None (after printing why) outside CI.
fn gpu(arch: Arch, max_batch: usize) -> Option<LeNetGpu> {
    infconv_kernels::gpu::device_or_skip("the wgpu LeNet tests", LeNetGpu::new(arch, max_batch), |d| d.adapter().to_string()).unwrap()
}

/// Normwise per-layer distance of two f32 gradients relative to the f64 one's norm, in units of
/// the probabilistic tolerance of ONE f32 path (two paths: ≤ 2).
fn layer_distance(arch: Arch, a: &[f32], b: &[f32], g64: &[f64], batch: usize) -> (f64, &'static str) {
    let t = arch.layer_table();
    let mut worst = (0.0, "");
    for (l, &(name, _)) in arch.layers().iter().enumerate() {
        let r = t.range(l);
        let d: Vec<f64> = r.clone().map(|i| a[i] as f64 - b[i] as f64).collect();
        let ratio = norm(&d) / (lenet_prob_rel(lenet_grad_depth(arch, batch)) * norm(&g64[r]));
        if ratio > worst.0 {
            worst = (ratio, name);
        }
    }
    worst
}

#[test]
fn wgpu_lenet_agrees_with_reference_and_cpu() {
    let mut worst: f64 = 0.0;
    for (ai, arch) in Arch::ALL.into_iter().enumerate() {
        // (batch, max_batch): one sample, and the training batch in chunks (8 + 8 + 4) — the
        // unchunked b = 20 adds nothing the CPU test does not cover and costs seconds on lavapipe.
        for (ci, &(b, max_batch)) in [(1usize, 20usize), (20, 8)].iter().enumerate() {
            let Some(mut g) = gpu(arch, max_batch) else { return };
            let seed = 600 + 10 * ai as u64 + ci as u64;
            let x = test_params(arch, seed);
            let w32 = to_f32(&x);
            let (images, labels) = digits(b, seed);
            let batch = Batch::new(&images, &labels).unwrap();
            let mut ggpu = vec![0.0f32; x.len()];
            let t0 = std::time::Instant::now();
            let sg = g.loss_grad(&w32, &batch, &mut ggpu).unwrap();
            let step = t0.elapsed();
            assert_eq!(sg, g.evaluate(&w32, &batch).unwrap(), "{arch} seed {seed}: loss_grad and evaluate disagree");
            // The device's own pattern: compare_f32 requires it equal to the f64 one.
            let pat = g.pattern(&w32, &batch).unwrap();
            let mut cpu = LeNetCpu::new(arch, max_batch).unwrap();
            assert_eq!(pat, cpu.pattern(&w32, &batch).unwrap(), "{arch} seed {seed}: device and CPU patterns differ");
            let c = compare_f32(arch, &x, &images, &labels, &sg, &ggpu, &pat);
            let mut gcpu = vec![0.0f32; x.len()];
            cpu.loss_grad(&w32, &batch, &mut gcpu).unwrap();
            let mut g64 = vec![0.0; x.len()];
            infconv_kernels::lenet::loss_grad_f64(arch, &x, &to_f64(&images), &labels, &mut g64).unwrap();
            let (cross, cross_layer) = layer_distance(arch, &ggpu, &gcpu, &g64, b);
            println!(
                "worst residual [wgpu vs f64, {arch}, b = {b}, max_batch = {max_batch}]: worst-case bound: loss {:.3e}, gradient {:.3e}; probabilistic: loss {:.3e}, gradient {:.3e} ({}); wgpu vs CPU {:.3e} ({cross_layer}) of 2; step {:.1} ms",
                c.loss_ratio,
                c.grad_ratio,
                c.prob_loss_ratio,
                c.prob_grad_ratio,
                c.prob_worst_layer,
                cross,
                step.as_secs_f64() * 1e3
            );
            assert_eq!(c.pattern_mismatches, 0, "{arch} seed {seed}: patterns differ");
            assert!(c.worst() <= 1.0, "{arch} seed {seed}: wgpu outside the bounds (worst ratio {:.3e})", c.worst());
            assert!(cross <= 2.0, "{arch} seed {seed}: wgpu and CPU differ by {cross:.3e} × the one-path tolerance in {cross_layer}");
            worst = worst.max(c.worst());
        }
    }
    println!("worst residual [wgpu vs f64, all]: {worst:.3e}");
}

/// Negative control: a planted bug (conv2's gradient computed from a shifted input, emulated by
/// running the device on images shifted by one pixel) is flagged by the same comparison.
#[test]
fn wgpu_comparison_flags_a_planted_bug() {
    let arch = Arch::Caffe;
    let Some(mut g) = gpu(arch, 4) else { return };
    let seed = 700;
    let x = test_params(arch, seed);
    let w32 = to_f32(&x);
    let (images, labels) = digits(4, seed);
    let mut shifted = vec![0.0f32; images.len()];
    shifted[1..].copy_from_slice(&images[..images.len() - 1]);
    let mut gg = vec![0.0f32; x.len()];
    let s = g.loss_grad(&w32, &Batch::new(&shifted, &labels).unwrap(), &mut gg).unwrap();
    let pat = g.pattern(&w32, &Batch::new(&images, &labels).unwrap()).unwrap();
    let c = compare_f32(arch, &x, &images, &labels, &s, &gg, &pat);
    // … and the pattern of the shifted images is reported as a mismatch.
    let pat_shifted = g.pattern(&w32, &Batch::new(&shifted, &labels).unwrap()).unwrap();
    assert!(pat_shifted.mismatches(&pat) > 0, "pattern read-back blind");
    println!("planted bug [input shifted by one pixel on the device]: probabilistic gradient ratio {:.3e}", c.prob_grad_ratio);
    assert!(c.prob_grad_ratio > 1.0 && c.prob_loss_ratio > 1.0, "missed a shifted input");
    assert_eq!(images.len(), 4 * PIXELS);
}

#[test]
fn wgpu_bad_inputs_give_typed_errors() {
    assert!(LeNetGpu::new(Arch::Paper, 0).is_err());
    let Some(mut g) = gpu(Arch::Paper, 2) else { return };
    let w = to_f32(&test_params(Arch::Paper, 1));
    let images = vec![0.5f32; 2 * PIXELS];
    let batch = Batch::new(&images, &[1, 2]).unwrap();
    let mut grad = vec![0.0f32; w.len()];
    assert!(g.loss_grad(&w[1..], &batch, &mut grad).is_err());
    assert!(g.loss_grad(&w, &batch, &mut grad[1..]).is_err());
    let mut wb = w.clone();
    wb[0] = f32::NAN;
    assert!(g.evaluate(&wb, &batch).is_err());
}

/// One wgpu context: the network opened on the kernels' backend computes worker j's gradient
/// from zⱼ on the device into δⱼ on the device, exactly what `loss_grad` computes from zⱼ on the
/// host (the same kernels on the same device, no atomics: bit for bit); a network on another
/// device, or a worker index beyond M, is a typed error.
#[test]
fn worker_gradients_stay_on_the_kernels_device() {
    use infconv_kernels::{Backend, GpuBackend, HostState};
    let Some(backend) = infconv_kernels::gpu::device_or_skip("the wgpu LeNet tests", GpuBackend::new(), |b| b.adapter()).unwrap() else { return };
    let arch = Arch::Paper;
    let n = arch.num_params();
    let (m, seed) = (2, 11);
    let z: Vec<f64> = (0..m).flat_map(|j| to_f32(&test_params(arch, seed + j as u64)).into_iter().map(f64::from)).collect();
    let u = z[..n].to_vec();
    let mut st = backend.load(&HostState::at_rest(arch.layer_table(), m, u, z.clone()).unwrap()).unwrap();
    let mut net = LeNetGpu::on(&backend, arch, 3).unwrap();
    let (images, labels) = digits(5, seed);
    let batch = Batch::new(&images, &labels).unwrap();
    let mut want = vec![0.0f32; m * n];
    for j in 0..m {
        let zj: Vec<f32> = z[j * n..(j + 1) * n].iter().map(|&x| x as f32).collect();
        let host = net.loss_grad(&zj, &batch, &mut want[j * n..(j + 1) * n]).unwrap();
        let dev = net.worker_gradient(&backend, &mut st, j, &batch).unwrap();
        assert_eq!(host.loss_sum.to_bits(), dev.loss_sum.to_bits(), "worker {j}: losses differ");
    }
    let got = backend.store(&st).unwrap().delta;
    let differ = got.iter().zip(&want).filter(|(a, b)| (**a as f32).to_bits() != b.to_bits()).count();
    println!("worker gradients on the kernels' device: {differ} of {} coordinates differ from loss_grad", m * n);
    assert_eq!(differ, 0, "δ on the device differs from loss_grad at {differ} coordinates");
    assert!(want.iter().any(|&g| g != 0.0), "a zero gradient proves nothing");
    assert!(net.worker_gradient(&backend, &mut st, m, &batch).is_err(), "worker index M accepted");
    let mut other = LeNetGpu::new(arch, 3).unwrap();
    assert!(other.worker_gradient(&backend, &mut st, 0, &batch).is_err(), "a network on another device accepted");
}
