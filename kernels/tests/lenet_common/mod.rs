//! Shared machinery of the LeNet-5 tests: digit-like synthetic images, test parameters, and the
//! comparison of an f32 result with the f64 reference under the bounds of `tolerance.rs`.
#![allow(dead_code)]

use infconv_kernels::lenet::reference::{self, Pattern};
use infconv_kernels::lenet::{Arch, BatchStats, CLASSES, IMAGE_SIDE, PIXELS, init_params, loss_grad_f64};
use infconv_kernels::tolerance::{lenet_forward_depth, lenet_grad_depth, lenet_prob_rel};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Ten digit-like templates: each class is a fixed set of 3 random strokes (segments of width
/// ~2 px) on a blank (exactly 0) background, as MNIST digits are.
pub fn templates(seed: u64) -> Vec<Vec<f32>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..CLASSES)
        .map(|_| {
            let mut img = vec![0.0f32; PIXELS];
            for _ in 0..3 {
                let (x0, y0): (f64, f64) = (rng.random_range(6.0..22.0), rng.random_range(6.0..22.0));
                let (x1, y1): (f64, f64) = (rng.random_range(6.0..22.0), rng.random_range(6.0..22.0));
                for t in 0..=40 {
                    let t = t as f64 / 40.0;
                    let (cx, cy) = (x0 + t * (x1 - x0), y0 + t * (y1 - y0));
                    for y in 0..IMAGE_SIDE {
                        for x in 0..IMAGE_SIDE {
                            let d2 = (x as f64 - cx).powi(2) + (y as f64 - cy).powi(2);
                            if d2 < 2.0 {
                                img[y * IMAGE_SIDE + x] = 1.0;
                            }
                        }
                    }
                }
            }
            img
        })
        .collect()
}

/// n images of random classes: a template shifted by up to ±2 px, with noise on the stroke
/// pixels (the background stays exactly 0), quantized to k/255 like MNIST.
pub fn digits(n: usize, seed: u64) -> (Vec<f32>, Vec<u8>) {
    let tpl = templates(1234);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut images = vec![0.0f32; n * PIXELS];
    let mut labels = Vec::with_capacity(n);
    for s in 0..n {
        let l = rng.random_range(0..CLASSES);
        labels.push(l as u8);
        let (dx, dy): (i32, i32) = (rng.random_range(-2..=2), rng.random_range(-2..=2));
        for y in 0..IMAGE_SIDE as i32 {
            for x in 0..IMAGE_SIDE as i32 {
                let (sx, sy) = (x - dx, y - dy);
                if (0..IMAGE_SIDE as i32).contains(&sx) && (0..IMAGE_SIDE as i32).contains(&sy) {
                    let v = tpl[l][(sy as usize) * IMAGE_SIDE + sx as usize];
                    if v > 0.0 {
                        let q = (v as f64 * rng.random_range(0.5..1.0) * 255.0).round() / 255.0;
                        images[s * PIXELS + (y as usize) * IMAGE_SIDE + x as usize] = q as f32;
                    }
                }
            }
        }
    }
    (images, labels)
}

/// Xavier weights and random biases U(−0.1, 0.1) (so that the bias gradients and the ReLU
/// thresholds are exercised), all f32-representable so that f32 and f64 see the same numbers.
pub fn test_params(arch: Arch, seed: u64) -> Vec<f64> {
    let mut w = init_params(arch, seed);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xb1a5);
    let t = arch.layer_table();
    for (l, &(name, _)) in arch.layers().iter().enumerate() {
        if name.ends_with(".b") {
            for i in t.range(l) {
                w[i] = rng.random_range(-0.1..0.1);
            }
        }
    }
    w.iter().map(|&x| x as f32 as f64).collect()
}

pub fn to_f32(x: &[f64]) -> Vec<f32> {
    x.iter().map(|&v| v as f32).collect()
}

pub fn to_f64(x: &[f32]) -> Vec<f64> {
    x.iter().map(|&v| v as f64).collect()
}

pub fn norm(x: &[f64]) -> f64 {
    x.iter().map(|v| v * v).sum::<f64>().sqrt()
}

pub fn dot(x: &[f64], y: &[f64]) -> f64 {
    x.iter().zip(y).map(|(a, b)| a * b).sum()
}

pub struct F32Comparison {
    /// Worst-case (rigorous) bound: loss and per-coordinate gradient ratios.
    pub loss_ratio: f64,
    pub grad_ratio: f64,
    pub grad_worst_at: usize,
    /// Probabilistic normwise check: loss and worst per-layer gradient ratios.
    pub prob_loss_ratio: f64,
    pub prob_grad_ratio: f64,
    pub prob_worst_layer: &'static str,
    pub pattern_mismatches: usize,
}

impl F32Comparison {
    pub fn worst(&self) -> f64 {
        self.loss_ratio.max(self.grad_ratio).max(self.prob_loss_ratio).max(self.prob_grad_ratio)
    }
}

/// Compares an f32 (loss, gradient) with the f64 reference at the same (f32-representable)
/// inputs, with the bound of `reference::f32_bound`.
pub fn compare_f32(arch: Arch, x: &[f64], images: &[f32], labels: &[u8], loss32: &BatchStats, g32: &[f32], pattern32: &Pattern) -> F32Comparison {
    let img64 = to_f64(images);
    let mut g64 = vec![0.0; x.len()];
    let s64 = loss_grad_f64(arch, x, &img64, labels, &mut g64).unwrap();
    let bound = reference::f32_bound(arch, x, &img64, labels).unwrap();
    let loss_ratio = (loss32.loss_sum - s64.loss_sum).abs() / bound.loss_sum;
    // Error counts may differ only where the f64 logit gap is within twice the logit bound.
    let ambiguous = bound.logit_gap.iter().zip(&bound.logit_err).filter(|(g, e)| **g <= 2.0 * **e).count();
    assert!(
        loss32.errors.abs_diff(s64.errors) <= ambiguous,
        "{arch}: error counts {} (f32) vs {} (f64), {ambiguous} near-ties",
        loss32.errors,
        s64.errors
    );
    assert_eq!(loss32.count, s64.count);
    let mut grad_ratio = 0.0;
    let mut grad_worst_at = 0;
    for i in 0..x.len() {
        let diff = (g32[i] as f64 - g64[i]).abs();
        let r = if diff == 0.0 { 0.0 } else { diff / bound.grad[i] };
        if r > grad_ratio {
            grad_ratio = r;
            grad_worst_at = i;
        }
    }
    // Normwise per layer under the probabilistic model.
    let b = labels.len();
    let prob_loss_ratio = (loss32.loss_sum - s64.loss_sum).abs() / (lenet_prob_rel(lenet_forward_depth(arch)) * s64.loss_sum);
    let t = arch.layer_table();
    let mut prob_grad_ratio = 0.0;
    let mut prob_worst_layer = "";
    for (l, &(name, _)) in arch.layers().iter().enumerate() {
        let r = t.range(l);
        let diff: Vec<f64> = r.clone().map(|i| g32[i] as f64 - g64[i]).collect();
        let ratio = norm(&diff) / (lenet_prob_rel(lenet_grad_depth(arch, b)) * norm(&g64[r]));
        if ratio > prob_grad_ratio {
            prob_grad_ratio = ratio;
            prob_worst_layer = name;
        }
    }
    F32Comparison {
        loss_ratio,
        grad_ratio,
        grad_worst_at,
        prob_loss_ratio,
        prob_grad_ratio,
        prob_worst_layer,
        pattern_mismatches: pattern32.mismatches(&bound.pattern),
    }
}

