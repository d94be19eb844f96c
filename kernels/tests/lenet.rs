//! LeNet-5: the f64 reference against central differences, the f32 CPU path against
//! the f64 reference with the bounds of `tolerance.rs`, the data-set passes' independence of the
//! thread count, a training sanity run, and the typed errors. Every check has a negative control
//! (a planted bug the same check flags). Worst ratios error/tolerance are printed.

mod lenet_common;

use infconv_kernels::KernelError;
use infconv_kernels::lenet::reference::{self, Pattern};
use infconv_kernels::lenet::{
    Arch, Batch, BatchStats, DATASET_CHUNK, LeNetCpu, PIXELS, evaluate_dataset, init_params, loss_f64, loss_grad_dataset,
    loss_grad_f64,
};
use infconv_kernels::tolerance::{LENET_FD_H, LENET_FD_REL};
use lenet_common::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

// ------------------------------------------------------------------------------------------
// Central differences of the f64 reference
// ------------------------------------------------------------------------------------------

/// Mean loss and pattern at x + t·d.
fn mean_loss_at(arch: Arch, x: &[f64], d: &[f64], t: f64, images: &[f64], labels: &[u8]) -> (f64, Pattern) {
    let xt: Vec<f64> = x.iter().zip(d).map(|(a, b)| a + t * b).collect();
    let (s, p) = reference::loss_and_pattern_f64(arch, &xt, images, labels).unwrap();
    (s.mean_loss(), p)
}

/// The directions of the check: for every layer a random one and one along the computed
/// gradient of that layer plus noise (so ∇f·d is of the order of the scale); two global random
/// ones; unit vectors at sampled coordinates of every layer (first, last and 4 random).
fn directions(arch: Arch, g: &[f64], rng: &mut ChaCha8Rng) -> Vec<(String, Vec<f64>)> {
    let t = arch.layer_table();
    let n = t.len();
    let mut out = Vec::new();
    let unit = |mut d: Vec<f64>| {
        let k = 1.0 / norm(&d);
        d.iter_mut().for_each(|v| *v *= k);
        d
    };
    for (l, &(name, _)) in arch.layers().iter().enumerate() {
        let r = t.range(l);
        let mut d = vec![0.0; n];
        r.clone().for_each(|i| d[i] = rng.random_range(-1.0..1.0));
        out.push((format!("{name} random"), unit(d)));
        let gl = norm(&g[r.clone()]);
        let mut d = vec![0.0; n];
        let noise: Vec<f64> = r.clone().map(|_| rng.random_range(-1.0..1.0)).collect();
        let nn = norm(&noise);
        for (k, i) in r.clone().enumerate() {
            d[i] = if gl > 0.0 { g[i] / gl } else { 0.0 } + 0.5 * noise[k] / nn;
        }
        out.push((format!("{name} along gradient"), unit(d)));
        let mut coords = vec![r.start, r.end - 1];
        coords.extend((0..4).map(|_| rng.random_range(r.clone())));
        for i in coords {
            let mut d = vec![0.0; n];
            d[i] = 1.0;
            out.push((format!("{name} coordinate {i}"), d));
        }
    }
    for k in 0..2 {
        out.push((format!("global random {k}"), unit((0..n).map(|_| rng.random_range(-1.0..1.0)).collect())));
    }
    out
}

/// The check: |(f(x+hd) − f(x−hd))/2h − g·d| / (LENET_FD_REL ‖∇f‖‖d‖) for every direction on
/// which x − hd, x, x + hd share the pattern (others are skipped and counted). `g_true` is the
/// reference's gradient (for the scale), `g` the gradient under test.
struct FdResult {
    worst: f64,
    worst_at: String,
    checked: usize,
    skipped: usize,
    per_layer_checked: Vec<usize>,
}

fn fd_check(arch: Arch, x: &[f64], g_true: &[f64], g: &[f64], images: &[f64], labels: &[u8], dirs: &[(String, Vec<f64>)]) -> FdResult {
    let (_, p0) = reference::loss_and_pattern_f64(arch, x, images, labels).unwrap();
    let scale = norm(g_true);
    let t = arch.layer_table();
    let mut res = FdResult { worst: 0.0, worst_at: String::new(), checked: 0, skipped: 0, per_layer_checked: vec![0; t.num_layers()] };
    for (name, d) in dirs {
        let (fp, pp) = mean_loss_at(arch, x, d, LENET_FD_H, images, labels);
        let (fm, pm) = mean_loss_at(arch, x, d, -LENET_FD_H, images, labels);
        if pp != p0 || pm != p0 {
            res.skipped += 1;
            continue;
        }
        let fd = (fp - fm) / (2.0 * LENET_FD_H);
        let ratio = (fd - dot(g, d)).abs() / (LENET_FD_REL * scale * norm(d));
        if ratio > res.worst {
            res.worst = ratio;
            res.worst_at = name.clone();
        }
        res.checked += 1;
        if let Some(i) = d.iter().position(|&v| v != 0.0) {
            res.per_layer_checked[t.layer_of(i)] += 1;
        }
    }
    res
}

/// Parameters, two digits, the reference gradient there and the probe directions of a seed.
struct GradientCase {
    x: Vec<f64>,
    images: Vec<f64>,
    labels: Vec<u8>,
    g: Vec<f64>,
    dirs: Vec<(String, Vec<f64>)>,
}

fn gradient_case(arch: Arch, seed: u64) -> GradientCase {
    let x = test_params(arch, seed);
    let (images, labels) = digits(2, seed);
    let images = to_f64(&images);
    let mut g = vec![0.0; x.len()];
    loss_grad_f64(arch, &x, &images, &labels, &mut g).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let dirs = directions(arch, &g, &mut rng);
    GradientCase { x, images, labels, g, dirs }
}

#[test]
fn reference_gradient_matches_central_differences() {
    for (ai, arch) in Arch::ALL.into_iter().enumerate() {
        let seed = 100 + ai as u64;
        let GradientCase { x, images, labels, g, dirs } = gradient_case(arch, seed);
        let r = fd_check(arch, &x, &g, &g, &images, &labels, &dirs);
        println!(
            "worst residual [f64 central differences, {arch}]: ratio {:.3e} at {} ({} directions checked, {} skipped: pattern changes within ±h)",
            r.worst, r.worst_at, r.checked, r.skipped
        );
        assert!(r.worst <= 1.0, "{arch} seed {seed}: |fd − ∇f·d| = {:.3e} × tolerance at {}", r.worst, r.worst_at);
        // Enough directions survive the pattern test in every layer.
        for (l, &c) in r.per_layer_checked.iter().enumerate() {
            assert!(c >= 5, "{arch} seed {seed}: only {c} directions checked in layer {}", arch.layers()[l].0);
        }
    }
}

/// Planted bugs in the gradient: the same check must flag each of them.
/// Each of `blocks` consecutive rows × cols blocks of `g` read as its transpose: entry (i, j)
/// takes the value stored at (j, i) of a cols × rows block.
fn transpose_blocks(g: &mut [f64], blocks: usize, rows: usize, cols: usize) {
    let orig = g.to_vec();
    for b in 0..blocks {
        let o = b * rows * cols;
        for i in 0..rows {
            for j in 0..cols {
                g[o + i * cols + j] = orig[o + j * rows + i];
            }
        }
    }
}

#[test]
fn central_difference_check_flags_planted_bugs() {
    let arch = Arch::Caffe;
    let seed = 100;
    let GradientCase { x, images, labels, g, dirs } = gradient_case(arch, seed);
    let t = arch.layer_table();
    type Bug<'a> = (&'static str, Box<dyn Fn(&mut [f64]) + 'a>);
    let bugs: Vec<Bug> = vec![
        ("conv2.w sign flipped", Box::new(|g: &mut [f64]| g[t.range(2)].iter_mut().for_each(|v| *v = -*v))),
        ("conv1.w kernels transposed (ky ↔ kx)", Box::new(|g: &mut [f64]| transpose_blocks(&mut g[t.range(0)], 20, 5, 5))),
        ("fc2.w read transposed ([500][10])", Box::new(|g: &mut [f64]| transpose_blocks(&mut g[t.range(6)], 1, 10, 500))),
        ("fc1.b scaled by 1.01", Box::new(|g: &mut [f64]| g[t.range(5)].iter_mut().for_each(|v| *v *= 1.01))),
    ];
    for (name, bug) in bugs {
        let mut gb = g.clone();
        bug(&mut gb);
        let r = fd_check(arch, &x, &g, &gb, &images, &labels, &dirs);
        println!("planted bug [{name}]: worst ratio {:.3e} at {}", r.worst, r.worst_at);
        assert!(r.worst > 1.0, "the central-difference check missed the planted bug {name} (worst ratio {:.3e})", r.worst);
    }
}

// ------------------------------------------------------------------------------------------
// f32 CPU path against the f64 reference
// ------------------------------------------------------------------------------------------

#[test]
fn f32_cpu_agrees_with_f64_reference_within_derived_bound() {
    let mut worst: f64 = 0.0;
    for (ai, arch) in Arch::ALL.into_iter().enumerate() {
        // (batch, max_batch): one sample, a chunked batch (8 + 8 + 4), the training batch.
        for (ci, &(b, max_batch)) in [(1usize, 20usize), (20, 8), (20, 20)].iter().enumerate() {
            let seed = 200 + 10 * ai as u64 + ci as u64;
            let (x, w32, images, labels) = f32_case(arch, seed, b);
            let batch = Batch::new(&images, &labels).unwrap();
            let mut net = LeNetCpu::new(arch, max_batch).unwrap();
            let mut g32 = vec![0.0f32; x.len()];
            let s32 = net.loss_grad(&w32, &batch, &mut g32).unwrap();
            let e32 = net.evaluate(&w32, &batch).unwrap();
            assert_eq!(s32, e32, "{arch} seed {seed}: loss_grad and evaluate disagree on the loss");
            let pat = net.pattern(&w32, &batch).unwrap();
            let c = compare_f32(arch, &x, &images, &labels, &s32, &g32, &pat);
            let layer = arch.layers()[arch.layer_table().layer_of(c.grad_worst_at)].0;
            println!(
                "worst residual [f32 CPU vs f64, {arch}, b = {b}, max_batch = {max_batch}]: worst-case bound: loss {:.3e}, gradient {:.3e} (at {} in {layer}); probabilistic normwise: loss {:.3e}, gradient {:.3e} (layer {}); pattern mismatches {}",
                c.loss_ratio, c.grad_ratio, c.grad_worst_at, c.prob_loss_ratio, c.prob_grad_ratio, c.prob_worst_layer, c.pattern_mismatches
            );
            assert_eq!(c.pattern_mismatches, 0, "{arch} seed {seed}: the f32 path takes another max-pool/ReLU pattern");
            assert!(c.loss_ratio <= 1.0, "{arch} seed {seed}: loss error {:.3e} × bound", c.loss_ratio);
            assert!(c.grad_ratio <= 1.0, "{arch} seed {seed}: gradient error {:.3e} × bound at {}", c.grad_ratio, c.grad_worst_at);
            assert!(c.prob_loss_ratio <= 1.0, "{arch} seed {seed}: loss error {:.3e} × λu√N_f", c.prob_loss_ratio);
            assert!(c.prob_grad_ratio <= 1.0, "{arch} seed {seed}: gradient error {:.3e} × λu√N in layer {}", c.prob_grad_ratio, c.prob_worst_layer);
            worst = worst.max(c.worst());
        }
    }
    println!("worst residual [f32 CPU vs f64, all]: {worst:.3e}");
}

/// The f64 test parameters of a seed, their f32 rounding, and n digits.
fn f32_case(arch: Arch, seed: u64, n: usize) -> (Vec<f64>, Vec<f32>, Vec<f32>, Vec<u8>) {
    let x = test_params(arch, seed);
    let w32 = to_f32(&x);
    let (images, labels) = digits(n, seed);
    (x, w32, images, labels)
}

/// Planted bugs in the f32 results: the same comparison must flag them.
#[test]
fn f32_comparison_flags_planted_bugs() {
    let arch = Arch::Caffe;
    let seed = 300;
    let (x, w32, images, labels) = f32_case(arch, seed, 4);
    let batch = Batch::new(&images, &labels).unwrap();
    let mut net = LeNetCpu::new(arch, 4).unwrap();
    let mut g32 = vec![0.0f32; x.len()];
    let s32 = net.loss_grad(&w32, &batch, &mut g32).unwrap();
    let pat = net.pattern(&w32, &batch).unwrap();
    // (a) conv1 kernel of channel 0 transposed in the gradient.
    let mut gb = g32.clone();
    for ky in 0..5 {
        for kx in 0..5 {
            gb[ky * 5 + kx] = g32[kx * 5 + ky];
        }
    }
    // A planted gradient bug must show in the probabilistic ratio, at the layer it was planted in.
    let flagged = |name: &str, gb: &[f32], layer: &str| {
        let c = compare_f32(arch, &x, &images, &labels, &s32, gb, &pat);
        println!(
            "planted bug [{name}]: worst-case ratio {:.3e} (blind there, see tolerance.rs), probabilistic ratio {:.3e} ({})",
            c.grad_ratio, c.prob_grad_ratio, c.prob_worst_layer
        );
        assert!(c.prob_grad_ratio > 1.0 && c.prob_worst_layer == layer, "missed {name}");
    };
    flagged("transposed conv1 kernel", &gb, "conv1.w");
    // (a′) the largest fc1 weight gradient 10 % off (one coordinate out of 400,000).
    let mut gb = g32.clone();
    let fc1 = arch.layer_table().range(4);
    let big = fc1.clone().max_by(|&i, &j| g32[i].abs().total_cmp(&g32[j].abs())).unwrap();
    gb[big] *= 1.1;
    flagged("largest fc1.w gradient × 1.1", &gb, "fc1.w");
    // (b) the f32 loss at parameters with one fc2 bias moved by 1e-2 (an off-by-a-little input).
    let mut wb = w32.clone();
    let last = wb.len() - 1;
    wb[last] += 1e-2;
    let sb = net.evaluate(&wb, &batch).unwrap();
    let c = compare_f32(arch, &x, &images, &labels, &sb, &g32, &pat);
    println!("planted bug [fc2 bias + 1e-2]: loss ratios {:.3e} (worst case, blind), {:.3e} (probabilistic)", c.loss_ratio, c.prob_loss_ratio);
    assert!(c.prob_loss_ratio > 1.0, "missed a loss computed at shifted parameters");
    // (c) a pattern from other images is reported as a mismatch.
    let (other, other_labels) = digits(4, seed + 1);
    let pb = net.pattern(&w32, &Batch::new(&other, &other_labels).unwrap()).unwrap();
    assert!(pb.mismatches(&pat) > 0, "pattern comparison blind");
}

// ------------------------------------------------------------------------------------------
// Data-set passes
// ------------------------------------------------------------------------------------------

#[test]
fn dataset_passes_are_independent_of_the_thread_count() {
    let arch = Arch::Caffe;
    let seed = 400;
    let n = 2 * DATASET_CHUNK + 17; // a partial last chunk
    let (x, w32, images, labels) = f32_case(arch, seed, n);
    let e1 = evaluate_dataset(arch, &w32, &images, &labels, 1).unwrap();
    let mut g1 = vec![0.0f32; x.len()];
    let s1 = loss_grad_dataset(arch, &w32, &images, &labels, 1, &mut g1).unwrap();
    assert_eq!(e1.loss_sum.to_bits(), s1.loss_sum.to_bits());
    for threads in [2, 3, 0] {
        let e = evaluate_dataset(arch, &w32, &images, &labels, threads).unwrap();
        assert_eq!((e.loss_sum.to_bits(), e.errors, e.count), (e1.loss_sum.to_bits(), e1.errors, e1.count), "threads = {threads}");
        let mut g = vec![0.0f32; x.len()];
        let s = loss_grad_dataset(arch, &w32, &images, &labels, threads, &mut g).unwrap();
        assert_eq!(s.loss_sum.to_bits(), s1.loss_sum.to_bits(), "threads = {threads}");
        assert!(g.iter().zip(&g1).all(|(a, b)| a.to_bits() == b.to_bits()), "gradient depends on threads = {threads}");
    }
    // Equal to the in-order sum of per-chunk evaluations (the same chunks: bitwise).
    let mut net = LeNetCpu::new(arch, DATASET_CHUNK).unwrap();
    let mut sum = BatchStats::default();
    let mut per_sample = Vec::new();
    for s in (0..n).step_by(DATASET_CHUNK) {
        let e = (s + DATASET_CHUNK).min(n);
        sum.add(&net.evaluate(&w32, &Batch::new(&images[s * PIXELS..e * PIXELS], &labels[s..e]).unwrap()).unwrap());
        for i in s..e {
            per_sample.push(net.evaluate(&w32, &Batch::new(&images[i * PIXELS..(i + 1) * PIXELS], &labels[i..=i]).unwrap()).unwrap());
        }
    }
    assert_eq!(sum.loss_sum.to_bits(), e1.loss_sum.to_bits());
    assert_eq!((sum.errors, sum.count), (e1.errors, e1.count));
    // Negative control: the bitwise comparison does see the order of the additions (a
    // reduction in completion order, emulated by shuffled orders of the per-sample losses,
    // differs from the in-order sum).
    let forward: f64 = per_sample.iter().map(|s| s.loss_sum).sum();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let differing = (0..8)
        .filter(|_| {
            let mut v: Vec<f64> = per_sample.iter().map(|s| s.loss_sum).collect();
            for i in (1..v.len()).rev() {
                v.swap(i, rng.random_range(0..=i));
            }
            v.iter().sum::<f64>().to_bits() != forward.to_bits()
        })
        .count();
    assert!(differing > 0, "order-blind sums: the bitwise check could not fail");
    // Against the f64 reference within the derived bound (per-sample batches give other GEMM
    // shapes: compare through the bound, not bitwise).
    let img64 = to_f64(&images);
    let mut g64 = vec![0.0; x.len()];
    let s64 = loss_grad_f64(arch, &x, &img64, &labels, &mut g64).unwrap();
    let bound = reference::f32_bound(arch, &x, &img64, &labels).unwrap();
    let per_sample_sum: f64 = forward;
    let r_eval = (e1.loss_sum - s64.loss_sum).abs() / bound.loss_sum;
    let r_samples = (per_sample_sum - s64.loss_sum).abs() / bound.loss_sum;
    let mut r_grad: f64 = 0.0;
    for i in 0..x.len() {
        let d = (g1[i] as f64 - g64[i]).abs();
        // + the final rounding of the f64 sum to f32.
        let tol = bound.grad[i] + g64[i].abs() * f32::EPSILON as f64;
        if d > 0.0 {
            r_grad = r_grad.max(d / tol);
        }
    }
    println!("worst residual [data set vs f64, n = {n}]: loss {r_eval:.3e}, per-sample sum {r_samples:.3e}, gradient {r_grad:.3e}");
    assert!(r_eval <= 1.0 && r_samples <= 1.0 && r_grad <= 1.0);
}

// ------------------------------------------------------------------------------------------
// Training sanity
// ------------------------------------------------------------------------------------------

/// Plain SGD (batch 20, step 0.05, 100 steps) on 200 digit-like images from the Xavier start:
/// returns (initial, final) mean loss on the 200 images. `ascent` flips the step's sign (the
/// planted bug).
fn train(ascent: bool) -> (f64, f64) {
    let arch = Arch::Caffe;
    let seed = 500;
    let mut w = to_f32(&init_params(arch, seed));
    let (images, labels) = digits(200, seed);
    let all = Batch::new(&images, &labels).unwrap();
    let mut net = LeNetCpu::new(arch, 20).unwrap();
    let before = net.evaluate(&w, &all).unwrap().mean_loss();
    let mut g = vec![0.0f32; w.len()];
    let step = if ascent { -0.05f32 } else { 0.05 };
    for it in 0..100 {
        let s = (it * 20) % 200;
        let batch = Batch::new(&images[s * PIXELS..(s + 20) * PIXELS], &labels[s..s + 20]).unwrap();
        match net.loss_grad(&w, &batch, &mut g) {
            Ok(_) => w.iter_mut().zip(&g).for_each(|(w, g)| *w -= step * g),
            Err(_) => return (before, f64::INFINITY),
        }
    }
    (before, net.evaluate(&w, &all).unwrap().mean_loss())
}

/// The required factor of the loss decrease.
const TRAIN_FACTOR: f64 = 10.0;

#[test]
fn sgd_drives_the_loss_down() {
    let (before, after) = train(false);
    println!("training sanity: mean loss {before:.4} → {after:.4} (factor {:.1})", before / after);
    assert!(after * TRAIN_FACTOR <= before, "seed 500: loss {before} → {after}, expected a factor {TRAIN_FACTOR}");
    // Negative control: ascent (a sign bug in the update) fails the same criterion.
    let (b2, a2) = train(true);
    println!("training sanity, planted sign bug: {b2:.4} → {a2:.4}");
    // (written so that an infinite or NaN loss also counts as a failure of the criterion)
    let passes = a2 * TRAIN_FACTOR <= b2;
    assert!(!passes, "the criterion passes a diverging run");
}

// ------------------------------------------------------------------------------------------
// Interface and typed errors
// ------------------------------------------------------------------------------------------

#[test]
fn architectures_and_initialisation() {
    assert_eq!(Arch::Caffe.num_params(), 431_080);
    assert_eq!(Arch::Paper.num_params(), 33_580);
    assert_eq!(Arch::Caffe.layer_table(), infconv_kernels::LayerTable::lenet5());
    assert_eq!("caffe".parse::<Arch>().unwrap(), Arch::Caffe);
    assert_eq!("Paper".parse::<Arch>().unwrap(), Arch::Paper);
    let e = "lenet".parse::<Arch>().unwrap_err();
    assert!(e.to_string().contains("lenet"), "{e}");
    for arch in Arch::ALL {
        let w = init_params(arch, 9);
        assert_eq!(w.len(), arch.num_params());
        assert_eq!(w, init_params(arch, 9));
        assert_ne!(w, init_params(arch, 10));
        let t = arch.layer_table();
        for (l, &(name, size)) in arch.layers().iter().enumerate() {
            let v = &w[t.range(l)];
            if name.ends_with(".b") {
                assert!(v.iter().all(|&x| x == 0.0), "{name}");
            } else {
                let fan_in = match name {
                    "conv1.w" => 25,
                    "conv2.w" => 500,
                    "fc2.w" => 500,
                    _ => 800,
                } as f64;
                let a = (3.0 / fan_in).sqrt();
                assert!(v.iter().all(|x| x.abs() <= a), "{name} outside ±{a}");
                // Uniform on (−a, a): variance a²/3 within 10 % (sizes ≥ 500).
                let var = v.iter().map(|x| x * x).sum::<f64>() / size as f64;
                assert!((var / (a * a / 3.0) - 1.0).abs() < 0.1, "{name}: variance {var} vs {}", a * a / 3.0);
            }
        }
    }
}

#[test]
fn bad_inputs_give_typed_errors() {
    let arch = Arch::Paper;
    let w = to_f32(&init_params(arch, 1));
    let images = vec![0.5f32; 2 * PIXELS];
    assert!(matches!(Batch::new(&images, &[1]), Err(KernelError::ShapeMismatch { got: 1568, expected: 784, .. })));
    let e = Batch::new(&images, &[1, 10]).unwrap_err();
    assert!(e.to_string().contains("10 (sample 1)"), "{e}");
    assert!(Batch::new(&[], &[]).is_err());
    let batch = Batch::new(&images, &[1, 2]).unwrap();
    let mut net = LeNetCpu::new(arch, 2).unwrap();
    assert!(LeNetCpu::new(arch, 0).is_err());
    let mut g = vec![0.0f32; w.len()];
    assert!(matches!(net.loss_grad(&w[1..], &batch, &mut g), Err(KernelError::ShapeMismatch { .. })));
    assert!(matches!(net.loss_grad(&w, &batch, &mut g[1..]), Err(KernelError::ShapeMismatch { .. })));
    assert!(matches!(net.evaluate(&to_f32(&init_params(Arch::Caffe, 1)), &batch), Err(KernelError::ShapeMismatch { .. })));
    let w64 = init_params(arch, 1);
    let mut g64 = vec![0.0; w64.len()];
    assert!(loss_grad_f64(arch, &w64, &vec![0.5; PIXELS], &[11], &mut g64).is_err());
    assert!(loss_f64(arch, &w64, &vec![0.5; PIXELS - 1], &[1]).is_err());
    assert!(evaluate_dataset(arch, &w, &images, &[1], 2).is_err());
    // Non-finite parameters: a typed error, never NaN.
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        let mut wb = w.clone();
        let last = wb.len() - 1;
        wb[last - 3] = bad; // an fc bias
        let e = net.loss_grad(&wb, &batch, &mut g).unwrap_err();
        assert!(matches!(e, KernelError::NonFinite { .. }), "{bad}: {e}");
        assert!(net.evaluate(&wb, &batch).is_err());
        assert!(evaluate_dataset(arch, &wb, &images, &[1, 2], 1).is_err());
        let mut w64b = w64.clone();
        w64b[last - 3] = bad as f64;
        assert!(loss_f64(arch, &w64b, &to_f64(&images), &[1, 2]).is_err());
    }
}

// ------------------------------------------------------------------------------------------
// Real MNIST (opt-in): INFCONV_MNIST=<dir with the four idx files> cargo test --release
//   -p infconv-kernels --test lenet -- --ignored mnist --nocapture
// ------------------------------------------------------------------------------------------

/// Reads an idx file (big-endian header: magic, dims) and returns (dims, data).
fn read_idx(path: &std::path::Path) -> (Vec<usize>, Vec<u8>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let ndim = bytes[3] as usize;
    let dims: Vec<usize> = (0..ndim).map(|d| u32::from_be_bytes(bytes[4 + 4 * d..8 + 4 * d].try_into().unwrap()) as usize).collect();
    let data = bytes[4 + 4 * ndim..].to_vec();
    assert_eq!(data.len(), dims.iter().product::<usize>(), "{}", path.display());
    (dims, data)
}

fn mnist(dir: &str, split: &str) -> (Vec<f32>, Vec<u8>) {
    let d = std::path::Path::new(dir);
    let (_, img) = read_idx(&d.join(format!("{split}-images-idx3-ubyte")));
    let (_, lab) = read_idx(&d.join(format!("{split}-labels-idx1-ubyte")));
    (img.iter().map(|&p| p as f32 / 255.0).collect(), lab)
}

/// One epoch of momentum SGD (batch 20, step 0.01, momentum 0.9, Caffe LeNet) on MNIST must
/// reach ≤ 3 % test error; also times 4 workers × batch 20 in parallel on the machine's cores
/// (the per-iteration cost of Algorithm 1's worker phase).
#[test]
#[ignore]
fn mnist_one_epoch_of_sgd() {
    let Ok(dir) = std::env::var("INFCONV_MNIST") else {
        println!("SKIPPED: set INFCONV_MNIST to the directory of the MNIST idx files");
        return;
    };
    use rayon::prelude::*;
    let arch = Arch::Caffe;
    let (train_x, train_y) = mnist(&dir, "train");
    let (test_x, test_y) = mnist(&dir, "t10k");
    let n = train_y.len();
    let mut w = to_f32(&init_params(arch, 1));
    let mut v = vec![0.0f32; w.len()];
    let mut g = vec![0.0f32; w.len()];
    let mut net = LeNetCpu::new(arch, 20).unwrap();
    let mut order: Vec<usize> = (0..n / 20).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for i in (1..order.len()).rev() {
        order.swap(i, rng.random_range(0..=i));
    }
    let t0 = std::time::Instant::now();
    for (it, &b) in order.iter().enumerate() {
        let batch = Batch::new(&train_x[b * 20 * PIXELS..(b + 1) * 20 * PIXELS], &train_y[b * 20..(b + 1) * 20]).unwrap();
        net.loss_grad(&w, &batch, &mut g).unwrap();
        for i in 0..w.len() {
            v[i] = 0.9 * v[i] - 0.01 * g[i];
            w[i] += v[i];
        }
        if it % 1000 == 999 {
            let e = evaluate_dataset(arch, &w, &test_x, &test_y, 0).unwrap();
            println!("iteration {}: test error {:.2} %, loss {:.4} ({:.1} s)", it + 1, 100.0 * e.error_rate(), e.mean_loss(), t0.elapsed().as_secs_f64());
        }
    }
    let step_ms = t0.elapsed().as_secs_f64() * 1e3 / order.len() as f64;
    let e = evaluate_dataset(arch, &w, &test_x, &test_y, 0).unwrap();
    println!("one epoch: test error {:.2} %, {step_ms:.2} ms per iteration (step + update, one thread)", 100.0 * e.error_rate());
    // 4 workers × batch 20 in parallel (rayon over the workers).
    let mut nets: Vec<LeNetCpu> = (0..4).map(|_| LeNetCpu::new(arch, 20).unwrap()).collect();
    let mut grads = vec![vec![0.0f32; w.len()]; 4];
    let t1 = std::time::Instant::now();
    for it in 0..200 {
        nets.par_iter_mut().zip(grads.par_iter_mut()).enumerate().for_each(|(j, (net, g))| {
            let b = (it * 4 + j) % (n / 20);
            let batch = Batch::new(&train_x[b * 20 * PIXELS..(b + 1) * 20 * PIXELS], &train_y[b * 20..(b + 1) * 20]).unwrap();
            net.loss_grad(&w, &batch, g).unwrap();
        });
    }
    println!(
        "4 workers × batch 20 on {} threads: {:.2} ms per iteration (gradients only)",
        rayon::current_num_threads(),
        t1.elapsed().as_secs_f64() * 1e3 / 200.0
    );
    assert!(e.error_rate() <= 0.03, "test error {:.2} % after one epoch", 100.0 * e.error_rate());
}
