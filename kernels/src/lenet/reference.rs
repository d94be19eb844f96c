//! The f64 reference of LeNet-5: one sample at a time, plain index loops that follow the
//! definitions (convolution as the sum over (input channel, ky, kx), max-pool over 2×2 windows,
//! backpropagation by the chain rule). It is slow and meant to be read: the gradient checks
//! test it against central differences, and the f32 paths are tested against it.
//!
//! Besides the loss and its gradient it exposes the [`Pattern`] of the piecewise-linear part
//! (which window entry every max-pool routes, which ReLU of the FC layer is on) and, for a given
//! pattern, the absolute-value companion of the network ([`f32_bound`]) from which the f32
//! tolerances of `tolerance.rs` are formed.

use super::{
    Arch, BatchStats, C1, C2, CLASSES, FLAT, HIDDEN, IMAGE_SIDE, K, Offsets, P1, P2, PIXELS, S1, S2, check_shapes,
    ensure_finite, ensure_finite_loss, softmax_nll,
};
use crate::error::{KernelError, Result, ensure_len};
use crate::tolerance;

/// "No entry routed" in a [`Pattern`]: the window's maximum is ≤ 0, so ReLU∘max is 0 there.
pub const OFF: u8 = 4;

/// The piecewise-linear state of the network on a batch: for every max-pool output (sample-major,
/// then channel, y, x) the routed window entry 0..4 (in the order (0,0), (0,1), (1,0), (1,1)) or
/// [`OFF`], and for every unit of the Caffe variant's FC 800→500 whether its ReLU is on. Two
/// parameter vectors with the same pattern lie on the same smooth piece of the loss.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pattern {
    /// Routing of pool 1 (20·12·12 per sample).
    pub pool1: Vec<u8>,
    /// Routing of pool 2 (50·4·4 per sample).
    pub pool2: Vec<u8>,
    /// ReLU states of FC 800→500 (500 per sample; empty for the paper variant).
    pub fc1: Vec<bool>,
}

impl Pattern {
    /// The number of units whose state differs (patterns of the same batch and architecture).
    pub fn mismatches(&self, other: &Pattern) -> usize {
        fn diff<T: PartialEq>(a: &[T], b: &[T]) -> usize {
            a.iter().zip(b).filter(|(x, y)| x != y).count() + a.len().abs_diff(b.len())
        }
        diff(&self.pool1, &other.pool1) + diff(&self.pool2, &other.pool2) + diff(&self.fc1, &other.fc1)
    }
}

/// The activations of one sample.
struct Trace {
    x: Vec<f64>,
    a1: Vec<f64>,
    p1: Vec<f64>,
    r1: Vec<u8>,
    a2: Vec<f64>,
    p2: Vec<f64>,
    r2: Vec<u8>,
    on: Vec<bool>,
    h: Vec<f64>,
    z: Vec<f64>,
}

impl Trace {
    fn new() -> Self {
        Trace {
            x: vec![0.0; PIXELS],
            a1: vec![0.0; C1 * S1 * S1],
            p1: vec![0.0; C1 * P1 * P1],
            r1: vec![OFF; C1 * P1 * P1],
            a2: vec![0.0; C2 * S2 * S2],
            p2: vec![0.0; FLAT],
            r2: vec![OFF; FLAT],
            on: vec![false; HIDDEN],
            h: vec![0.0; HIDDEN],
            z: vec![0.0; CLASSES],
        }
    }

    /// The input of the last FC layer.
    fn last_in(&self, arch: Arch) -> &[f64] {
        match arch {
            Arch::Caffe => &self.h,
            Arch::Paper => &self.p2,
        }
    }
}

/// The routing of one samples' units, imposed instead of decided.
#[derive(Clone, Copy)]
struct Forced<'a> {
    pool1: &'a [u8],
    pool2: &'a [u8],
    fc1: &'a [bool],
}

/// Index of window entry r (0..4) of pooled output (py, px) in a map of side `side`.
fn window(side: usize, py: usize, px: usize, r: u8) -> usize {
    let (dy, dx) = ((r / 2) as usize, (r % 2) as usize);
    (2 * py + dy) * side + 2 * px + dx
}

/// ReLU then 2×2 max-pool of one channel: the first maximal ReLU value is routed when positive.
fn relu_pool(a: &[f64], side: usize, py: usize, px: usize) -> u8 {
    let mut best = 0u8;
    let mut best_v = a[window(side, py, px, 0)].max(0.0);
    for r in 1..4u8 {
        let v = a[window(side, py, px, r)].max(0.0);
        if v > best_v {
            best = r;
            best_v = v;
        }
    }
    if best_v > 0.0 { best } else { OFF }
}

/// The forward pass of one sample (`forced`: use that pattern instead of deciding it).
fn forward(arch: Arch, o: &Offsets, w: &[f64], image: &[f64], forced: Option<Forced>, t: &mut Trace) {
    t.x.copy_from_slice(image);
    // Conv 1: a1[c][y][x] = b[c] + Σ w[c][ky][kx] · x[y + ky][x + kx].
    for c in 0..C1 {
        for y in 0..S1 {
            for x in 0..S1 {
                let mut s = w[o.conv1_b + c];
                for ky in 0..K {
                    for kx in 0..K {
                        s += w[o.conv1_w + (c * K + ky) * K + kx] * t.x[(y + ky) * IMAGE_SIDE + x + kx];
                    }
                }
                t.a1[(c * S1 + y) * S1 + x] = s;
            }
        }
    }
    // ReLU + pool 1.
    for c in 0..C1 {
        let a = &t.a1[c * S1 * S1..(c + 1) * S1 * S1];
        for py in 0..P1 {
            for px in 0..P1 {
                let j = (c * P1 + py) * P1 + px;
                let r = match forced {
                    Some(f) => f.pool1[j],
                    None => relu_pool(a, S1, py, px),
                };
                t.r1[j] = r;
                t.p1[j] = if r == OFF { 0.0 } else { a[window(S1, py, px, r)] };
            }
        }
    }
    // Conv 2: a2[c][y][x] = b[c] + Σ w[c][ci][ky][kx] · p1[ci][y + ky][x + kx].
    for c in 0..C2 {
        for y in 0..S2 {
            for x in 0..S2 {
                let mut s = w[o.conv2_b + c];
                for ci in 0..C1 {
                    for ky in 0..K {
                        for kx in 0..K {
                            s += w[o.conv2_w + ((c * C1 + ci) * K + ky) * K + kx] * t.p1[(ci * P1 + y + ky) * P1 + x + kx];
                        }
                    }
                }
                t.a2[(c * S2 + y) * S2 + x] = s;
            }
        }
    }
    // ReLU + pool 2, flattened as c·16 + y·4 + x.
    for c in 0..C2 {
        let a = &t.a2[c * S2 * S2..(c + 1) * S2 * S2];
        for py in 0..P2 {
            for px in 0..P2 {
                let j = (c * P2 + py) * P2 + px;
                let r = match forced {
                    Some(f) => f.pool2[j],
                    None => relu_pool(a, S2, py, px),
                };
                t.r2[j] = r;
                t.p2[j] = if r == OFF { 0.0 } else { a[window(S2, py, px, r)] };
            }
        }
    }
    // FC 800→500 + ReLU (Caffe).
    if arch == Arch::Caffe {
        for u in 0..HIDDEN {
            let mut s = w[o.fc1_b + u];
            for i in 0..FLAT {
                s += w[o.fc1_w + u * FLAT + i] * t.p2[i];
            }
            t.on[u] = match forced {
                Some(f) => f.fc1[u],
                None => s > 0.0,
            };
            t.h[u] = if t.on[u] { s } else { 0.0 };
        }
    }
    // The last FC layer.
    let n_in = arch.last_in();
    for k in 0..CLASSES {
        let mut s = w[o.fc2_b + k];
        let inp = t.last_in(arch);
        for i in 0..n_in {
            s += w[o.fc2_w + k * n_in + i] * inp[i];
        }
        t.z[k] = s;
    }
}

/// Adds the gradient of Σₖ dz[k]·z[k] (z the logits of the traced sample) to `g`.
fn backward(arch: Arch, o: &Offsets, w: &[f64], t: &Trace, dz: &[f64], g: &mut [f64]) {
    let n_in = arch.last_in();
    // The last FC layer: z = W·in + b.
    let mut d_in = vec![0.0; n_in];
    let inp = t.last_in(arch);
    for k in 0..CLASSES {
        g[o.fc2_b + k] += dz[k];
        for i in 0..n_in {
            g[o.fc2_w + k * n_in + i] += dz[k] * inp[i];
            d_in[i] += dz[k] * w[o.fc2_w + k * n_in + i];
        }
    }
    // FC 800→500 through its ReLU (Caffe).
    let dp2 = match arch {
        Arch::Paper => d_in,
        Arch::Caffe => {
            let mut dp2 = vec![0.0; FLAT];
            for u in 0..HIDDEN {
                let du = if t.on[u] { d_in[u] } else { 0.0 };
                g[o.fc1_b + u] += du;
                for i in 0..FLAT {
                    g[o.fc1_w + u * FLAT + i] += du * t.p2[i];
                    dp2[i] += du * w[o.fc1_w + u * FLAT + i];
                }
            }
            dp2
        }
    };
    // Pool 2 (+ ReLU): the routed entry gets the gradient.
    let mut da2 = vec![0.0; C2 * S2 * S2];
    for c in 0..C2 {
        for py in 0..P2 {
            for px in 0..P2 {
                let j = (c * P2 + py) * P2 + px;
                if t.r2[j] != OFF {
                    da2[c * S2 * S2 + window(S2, py, px, t.r2[j])] += dp2[j];
                }
            }
        }
    }
    // Conv 2.
    let mut dp1 = vec![0.0; C1 * P1 * P1];
    for c in 0..C2 {
        for y in 0..S2 {
            for x in 0..S2 {
                let d = da2[(c * S2 + y) * S2 + x];
                g[o.conv2_b + c] += d;
                for ci in 0..C1 {
                    for ky in 0..K {
                        for kx in 0..K {
                            let wi = o.conv2_w + ((c * C1 + ci) * K + ky) * K + kx;
                            let pi = (ci * P1 + y + ky) * P1 + x + kx;
                            g[wi] += d * t.p1[pi];
                            dp1[pi] += d * w[wi];
                        }
                    }
                }
            }
        }
    }
    // Pool 1 (+ ReLU).
    let mut da1 = vec![0.0; C1 * S1 * S1];
    for c in 0..C1 {
        for py in 0..P1 {
            for px in 0..P1 {
                let j = (c * P1 + py) * P1 + px;
                if t.r1[j] != OFF {
                    da1[c * S1 * S1 + window(S1, py, px, t.r1[j])] += dp1[j];
                }
            }
        }
    }
    // Conv 1.
    for c in 0..C1 {
        for y in 0..S1 {
            for x in 0..S1 {
                let d = da1[(c * S1 + y) * S1 + x];
                g[o.conv1_b + c] += d;
                for ky in 0..K {
                    for kx in 0..K {
                        g[o.conv1_w + (c * K + ky) * K + kx] += d * t.x[(y + ky) * IMAGE_SIDE + x + kx];
                    }
                }
            }
        }
    }
}

fn check_inputs(arch: Arch, params: &[f64], images: &[f64], labels: &[u8]) -> Result<()> {
    ensure_len("LeNet parameters", params.len(), arch.num_params())?;
    check_shapes(images.len(), labels)?;
    ensure_finite("parameter", params)?;
    ensure_finite("pixel", images)
}

fn ensure_finite_grad(grad: &[f64]) -> Result<()> {
    match grad.iter().position(|g| !g.is_finite()) {
        None => Ok(()),
        Some(i) => Err(KernelError::NonFinite { what: "gradient coordinate", index: i, value: grad[i] }),
    }
}

/// Loss, errors and the gradient of the MEAN loss (1/b)Σᵢ ℓᵢ (overwrites `grad`), in f64.
///
/// ```
/// use infconv_kernels::lenet::{Arch, init_params, loss_grad_f64, PIXELS};
/// let w = init_params(Arch::Paper, 1);
/// let mut g = vec![0.0; w.len()];
/// let s = loss_grad_f64(Arch::Paper, &w, &vec![0.5; PIXELS], &[3], &mut g).unwrap();
/// assert_eq!(s.count, 1);
/// assert!(s.loss_sum > 0.0);
/// ```
pub fn loss_grad_f64(arch: Arch, params: &[f64], images: &[f64], labels: &[u8], grad: &mut [f64]) -> Result<BatchStats> {
    check_inputs(arch, params, images, labels)?;
    ensure_len("gradient", grad.len(), arch.num_params())?;
    grad.fill(0.0);
    let o = Offsets::of(arch);
    let b = labels.len();
    let mut t = Trace::new();
    let mut p = [0.0; CLASSES];
    let mut stats = BatchStats::default();
    for (i, &label) in labels.iter().enumerate() {
        forward(arch, &o, params, &images[i * PIXELS..(i + 1) * PIXELS], None, &mut t);
        let (loss, wrong) = softmax_nll(&t.z, label as usize, &mut p);
        ensure_finite_loss(i, loss)?;
        stats.add(&BatchStats { loss_sum: loss, errors: wrong as usize, count: 1 });
        // ∂ℓ/∂z = softmax(z) − e_label, and the mean divides by b.
        let dz: Vec<f64> = (0..CLASSES).map(|k| (p[k] - if k == label as usize { 1.0 } else { 0.0 }) / b as f64).collect();
        backward(arch, &o, params, &t, &dz, grad);
    }
    ensure_finite_grad(grad)?;
    Ok(stats)
}

/// Loss and errors only, in f64.
pub fn loss_f64(arch: Arch, params: &[f64], images: &[f64], labels: &[u8]) -> Result<BatchStats> {
    Ok(loss_and_pattern_f64(arch, params, images, labels)?.0)
}

/// Loss, errors and the [`Pattern`] of the batch, in f64.
pub fn loss_and_pattern_f64(arch: Arch, params: &[f64], images: &[f64], labels: &[u8]) -> Result<(BatchStats, Pattern)> {
    check_inputs(arch, params, images, labels)?;
    let o = Offsets::of(arch);
    let mut t = Trace::new();
    let mut p = [0.0; CLASSES];
    let mut stats = BatchStats::default();
    let mut pat = Pattern::default();
    for (i, &label) in labels.iter().enumerate() {
        forward(arch, &o, params, &images[i * PIXELS..(i + 1) * PIXELS], None, &mut t);
        let (loss, wrong) = softmax_nll(&t.z, label as usize, &mut p);
        ensure_finite_loss(i, loss)?;
        stats.add(&BatchStats { loss_sum: loss, errors: wrong as usize, count: 1 });
        pat.pool1.extend_from_slice(&t.r1);
        pat.pool2.extend_from_slice(&t.r2);
        if arch == Arch::Caffe {
            pat.fc1.extend_from_slice(&t.on);
        }
    }
    Ok((stats, pat))
}

/// The error bound of an f32 evaluation of the loss and of its gradient on the same pattern
/// (see `tolerance.rs`, section LeNet-5, for the derivation).
#[derive(Debug, Clone)]
pub struct F32Bound {
    /// Bound on |Σᵢ ℓᵢ(f32) − Σᵢ ℓᵢ(f64)|.
    pub loss_sum: f64,
    /// Per-coordinate bound on |∇(f32) − ∇(f64)| of the mean loss.
    pub grad: Vec<f64>,
    /// The f64 pattern the bound is valid for (the f32 path must have the same one).
    pub pattern: Pattern,
    /// Per sample: the bound on the logits' error (max over the classes), for the error count.
    pub logit_err: Vec<f64>,
    /// Per sample: the gap between the largest and the second largest f64 logit.
    pub logit_gap: Vec<f64>,
}

/// The bound of an f32 computation of (loss, gradient of the mean loss) at f32-representable
/// `params` and `images`, valid while the f32 path follows the same [`Pattern`] as the f64
/// reference. It runs the absolute-value companion of the network (|weights|, |inputs|, the
/// f64 pattern imposed) forward and backward, and scales it by the γ of `tolerance.rs`.
pub fn f32_bound(arch: Arch, params: &[f64], images: &[f64], labels: &[u8]) -> Result<F32Bound> {
    check_inputs(arch, params, images, labels)?;
    let o = Offsets::of(arch);
    let b = labels.len();
    let abs_w: Vec<f64> = params.iter().map(|x| x.abs()).collect();
    let (gamma_f, gamma_all) = (tolerance::lenet_forward_gamma(arch), tolerance::lenet_grad_gamma(arch, b));
    let mut t = Trace::new();
    let mut ta = Trace::new();
    let mut p = [0.0; CLASSES];
    let mut pat = Pattern::default();
    let mut out = F32Bound {
        loss_sum: 0.0,
        grad: vec![0.0; params.len()],
        pattern: Pattern::default(),
        logit_err: Vec::with_capacity(b),
        logit_gap: Vec::with_capacity(b),
    };
    for (i, &label) in labels.iter().enumerate() {
        let img = &images[i * PIXELS..(i + 1) * PIXELS];
        forward(arch, &o, params, img, None, &mut t);
        let (loss, _) = softmax_nll(&t.z, label as usize, &mut p);
        ensure_finite_loss(i, loss)?;
        let abs_img: Vec<f64> = img.iter().map(|x| x.abs()).collect();
        let forced = Forced { pool1: &t.r1, pool2: &t.r2, fc1: &t.on };
        forward(arch, &o, &abs_w, &abs_img, Some(forced), &mut ta);
        // Logit error ≤ γ_{N_f}·|z|_abs (first order).
        let ez = ta.z.iter().fold(0.0f64, |m, &z| m.max(gamma_f * z));
        let mut sorted = t.z.clone();
        sorted.sort_by(|a, b| b.total_cmp(a));
        out.logit_err.push(ez);
        out.logit_gap.push(sorted[0] - sorted[1]);
        out.loss_sum += tolerance::lenet_loss_bound(ez, loss);
        // |δ(∂ℓ/∂z)|/scale ≤ 2 p_k ez + 4u(p_k + 1) (softmax is 1-Lipschitz per p_k·(…)), plus
        // γ_N·|∂ℓ/∂z| for the roundings of the forward inputs and of the backward sums.
        let dz: Vec<f64> = (0..CLASSES)
            .map(|k| {
                let d = (p[k] - if k == label as usize { 1.0 } else { 0.0 }).abs();
                (gamma_all * d + tolerance::lenet_dlogit_bound(p[k], ez)) / b as f64
            })
            .collect();
        backward(arch, &o, &abs_w, &ta, &dz, &mut out.grad);
        pat.pool1.extend_from_slice(&t.r1);
        pat.pool2.extend_from_slice(&t.r2);
        if arch == Arch::Caffe {
            pat.fc1.extend_from_slice(&t.on);
        }
    }
    for g in out.grad.iter_mut() {
        *g *= tolerance::LENET_SAFETY;
    }
    out.loss_sum *= tolerance::LENET_SAFETY;
    out.pattern = pat;
    Ok(out)
}
