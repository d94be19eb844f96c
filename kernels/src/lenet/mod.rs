//! LeNet-5 on MNIST: the per-worker loss fⱼ of model (15) (mean negative
//! log-likelihood of a softmax over a minibatch) and its gradient δⱼ of (16), in three forms:
//!
//! * [`mod@reference`]: an f64 reference in straightforward loops, written for clarity (gradient
//!   checks, and the reference of the f32 paths);
//! * [`LeNetCpu`]: the fast f32 CPU path (im2col + sgemm), one instance per worker;
//! * [`evaluate_dataset`] / [`loss_grad_dataset`]: whole data sets on several threads, with a
//!   result that does not depend on the number of threads;
//! * [`LeNetGpu`]: the f32 wgpu path (WGSL, direct loops; lavapipe where there is no GPU).
//!
//! Architecture (Caffe's LeNet, [`Arch::Caffe`], 431,080 parameters): input 1×28×28 →
//! Conv(20, 5×5) → ReLU → MaxPool 2×2 → Conv(50, 5×5) → ReLU → MaxPool 2×2 → flatten 800
//! (index c·16 + y·4 + x) → FC 800→500 → ReLU → FC 500→10 → softmax. [`Arch::Paper`] replaces
//! the two FC layers by one FC 800→10 (33,580 parameters), as the paper's section 6 writes it.
//!
//! The parameter vector is cut as [`crate::layers::LENET5`] (each weight tensor and each bias is
//! one layer of (18)): `conv1.w [20][1][5][5]`, `conv1.b [20]`, `conv2.w [50][20][5][5]`,
//! `conv2.b [50]`, `fc1.w [500][800]` (out-major), `fc1.b [500]`, `fc2.w [10][500]`, `fc2.b [10]`;
//! the paper variant ends with `fc.w [10][800]`, `fc.b [10]`.
//!
//! Conventions shared by every path (so that they agree exactly on the piecewise-linear
//! structure): ReLU′(0) = 0; a max-pool window sends its gradient to the first maximal entry in
//! the order (0,0), (0,1), (1,0), (1,1); a sample is an error when the first maximal logit is not
//! its label.

mod cpu;
mod dataset;
mod gpu;
mod init;
pub mod reference;

pub use cpu::LeNetCpu;
pub use gpu::LeNetGpu;
pub use dataset::{DATASET_CHUNK, evaluate_dataset, loss_grad_dataset};
pub use init::init_params;
pub use reference::{loss_f64, loss_grad_f64};

use crate::error::{KernelError, Result};
use crate::layers::{LENET5, LayerTable};

/// Side of an input image.
pub const IMAGE_SIDE: usize = 28;
/// Pixels of an input image.
pub const PIXELS: usize = IMAGE_SIDE * IMAGE_SIDE;
/// Number of classes.
pub const CLASSES: usize = 10;

/// Kernel side of both convolutions.
pub(crate) const K: usize = 5;
/// Channels and sides of the feature maps.
pub(crate) const C1: usize = 20;
pub(crate) const S1: usize = IMAGE_SIDE - K + 1; // 24
pub(crate) const P1: usize = S1 / 2; // 12
pub(crate) const C2: usize = 50;
pub(crate) const S2: usize = P1 - K + 1; // 8
pub(crate) const P2: usize = S2 / 2; // 4
/// Length of the flattened feature vector (50·4·4).
pub(crate) const FLAT: usize = C2 * P2 * P2;
/// Hidden units of the Caffe variant's first FC layer.
pub(crate) const HIDDEN: usize = 500;

/// Which LeNet-5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Arch {
    /// Caffe's LeNet: FC 800→500 → ReLU → FC 500→10 (431,080 parameters; the default).
    #[default]
    Caffe,
    /// The paper's section 6: a single FC 800→10 (33,580 parameters).
    Paper,
}

impl Arch {
    /// Both variants.
    pub const ALL: [Arch; 2] = [Arch::Caffe, Arch::Paper];

    /// "caffe" or "paper".
    pub fn name(self) -> &'static str {
        match self {
            Arch::Caffe => "caffe",
            Arch::Paper => "paper",
        }
    }

    /// (name, size) of every layer of (18), in the order of the parameter vector.
    pub fn layers(self) -> &'static [(&'static str, usize)] {
        const PAPER: [(&str, usize); 6] = [
            ("conv1.w", C1 * K * K),
            ("conv1.b", C1),
            ("conv2.w", C2 * C1 * K * K),
            ("conv2.b", C2),
            ("fc.w", CLASSES * FLAT),
            ("fc.b", CLASSES),
        ];
        match self {
            Arch::Caffe => &LENET5,
            Arch::Paper => &PAPER,
        }
    }

    /// The layer table of (18) (Caffe: the table of `LENET5`).
    ///
    /// ```
    /// use infconv_kernels::lenet::Arch;
    /// assert_eq!(Arch::Caffe.layer_table(), infconv_kernels::LayerTable::lenet5());
    /// assert_eq!(Arch::Paper.layer_table().len(), 33_580);
    /// ```
    pub fn layer_table(self) -> LayerTable {
        LayerTable::new(self.layers().iter().map(|&(_, s)| s).collect()).expect("LeNet layer sizes are positive")
    }

    /// The number of parameters (431,080 or 33,580).
    pub fn num_params(self) -> usize {
        self.layers().iter().map(|&(_, s)| s).sum()
    }

    /// Width of the layer that feeds the last FC layer (500 or 800).
    pub(crate) fn last_in(self) -> usize {
        match self {
            Arch::Caffe => HIDDEN,
            Arch::Paper => FLAT,
        }
    }
}

impl std::fmt::Display for Arch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Arch {
    type Err = KernelError;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "caffe" => Ok(Arch::Caffe),
            "paper" => Ok(Arch::Paper),
            _ => Err(KernelError::InvalidParameter {
                name: "LeNet architecture",
                value: s.to_string(),
                expected: "\"caffe\" (FC 800→500→10) or \"paper\" (FC 800→10)",
            }),
        }
    }
}

/// Offsets of the weight tensors and biases in the parameter vector.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Offsets {
    pub conv1_w: usize,
    pub conv1_b: usize,
    pub conv2_w: usize,
    pub conv2_b: usize,
    /// fc1 (Caffe only; equal to `fc2_w` for the paper variant).
    pub fc1_w: usize,
    pub fc1_b: usize,
    /// The last FC layer (fc2 for Caffe, fc for the paper variant).
    pub fc2_w: usize,
    pub fc2_b: usize,
    pub end: usize,
}

impl Offsets {
    pub(crate) fn of(arch: Arch) -> Self {
        let t = arch.layer_table();
        let o = t.offsets();
        match arch {
            Arch::Caffe => Offsets {
                conv1_w: o[0],
                conv1_b: o[1],
                conv2_w: o[2],
                conv2_b: o[3],
                fc1_w: o[4],
                fc1_b: o[5],
                fc2_w: o[6],
                fc2_b: o[7],
                end: o[8],
            },
            Arch::Paper => Offsets {
                conv1_w: o[0],
                conv1_b: o[1],
                conv2_w: o[2],
                conv2_b: o[3],
                fc1_w: o[4],
                fc1_b: o[4],
                fc2_w: o[4],
                fc2_b: o[5],
                end: o[6],
            },
        }
    }
}

/// A minibatch: images row-major b×784 (f32, pixels x/255 in [0, 1]) and labels < 10.
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    images: &'a [f32],
    labels: &'a [u8],
}

impl<'a> Batch<'a> {
    /// Checks the shapes (784 pixels per label, at least one sample) and the labels (< 10).
    ///
    /// ```
    /// use infconv_kernels::lenet::{Batch, PIXELS};
    /// let images = vec![0.0f32; 2 * PIXELS];
    /// assert_eq!(Batch::new(&images, &[3, 7]).unwrap().len(), 2);
    /// assert!(Batch::new(&images, &[3]).is_err()); // 1568 pixels for one label
    /// assert!(Batch::new(&images, &[3, 10]).is_err()); // label 10
    /// ```
    pub fn new(images: &'a [f32], labels: &'a [u8]) -> Result<Self> {
        check_shapes(images.len(), labels)?;
        Ok(Batch { images, labels })
    }

    /// The number of samples (≥ 1).
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Never true (a batch has at least one sample).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The images (b×784).
    pub fn images(&self) -> &'a [f32] {
        self.images
    }

    /// The labels.
    pub fn labels(&self) -> &'a [u8] {
        self.labels
    }

    /// Samples `start..end` (in range, non-empty: callers inside the crate guarantee it).
    pub(crate) fn slice(&self, start: usize, end: usize) -> Batch<'a> {
        Batch { images: &self.images[start * PIXELS..end * PIXELS], labels: &self.labels[start..end] }
    }
}

/// Shape and label checks shared by the f32 and f64 entry points.
pub(crate) fn check_shapes(image_len: usize, labels: &[u8]) -> Result<()> {
    if labels.is_empty() {
        return Err(KernelError::InvalidParameter {
            name: "batch size",
            value: "0 labels".into(),
            expected: "at least one sample",
        });
    }
    crate::error::ensure_len("images (784 pixels per label)", image_len, PIXELS * labels.len())?;
    if let Some((i, &l)) = labels.iter().enumerate().find(|&(_, &l)| l as usize >= CLASSES) {
        return Err(KernelError::InvalidParameter {
            name: "label",
            value: format!("{l} (sample {i})"),
            expected: "a class in 0..10",
        });
    }
    Ok(())
}

/// Loss and error count of a set of samples.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BatchStats {
    /// Σ over the samples of `−log softmax(logits)[label]` (the mean loss is `loss_sum / count`).
    pub loss_sum: f64,
    /// Samples whose first maximal logit is not the label.
    pub errors: usize,
    /// Samples.
    pub count: usize,
}

impl BatchStats {
    /// The mean loss (NaN-free: 0 for an empty set).
    pub fn mean_loss(&self) -> f64 {
        if self.count == 0 { 0.0 } else { self.loss_sum / self.count as f64 }
    }

    /// The error rate in [0, 1].
    pub fn error_rate(&self) -> f64 {
        if self.count == 0 { 0.0 } else { self.errors as f64 / self.count as f64 }
    }

    /// Adds the stats of another set of samples (in f64; the order of additions is the
    /// caller's).
    pub fn add(&mut self, other: &BatchStats) {
        self.loss_sum += other.loss_sum;
        self.errors += other.errors;
        self.count += other.count;
    }
}

/// −log softmax(z)[label] in f64 (log-sum-exp shifted by the maximum), whether the first maximal
/// logit differs from the label, and softmax(z) into `p`.
pub(crate) fn softmax_nll(z: &[f64], label: usize, p: &mut [f64]) -> (f64, bool) {
    let mut arg = 0;
    for k in 1..z.len() {
        if z[k] > z[arg] {
            arg = k;
        }
    }
    let m = z[arg];
    let mut s = 0.0;
    for k in 0..z.len() {
        p[k] = (z[k] - m).exp();
        s += p[k];
    }
    for pk in p.iter_mut() {
        *pk /= s;
    }
    let lse = m + s.ln();
    (lse - z[label], arg != label)
}

/// The first non-finite value of `xs` (parameters, pixels) as a typed error.
pub(crate) fn ensure_finite<T: Copy + Into<f64>>(what: &'static str, xs: &[T]) -> Result<()> {
    match xs.iter().position(|&x| !x.into().is_finite()) {
        None => Ok(()),
        Some(i) => Err(KernelError::NonFinite { what, index: i, value: xs[i].into() }),
    }
}

/// Parameter and batch checks of the f32 entry points: lengths and finiteness.
pub(crate) fn check_f32_inputs(arch: Arch, params: &[f32], batch: &Batch) -> Result<()> {
    crate::error::ensure_len("LeNet parameters", params.len(), arch.num_params())?;
    ensure_finite("parameter", params)?;
    ensure_finite("pixel", batch.images())
}

/// Losses and errors of a chunk of samples from their logits (row-major, `CLASSES` per sample,
/// in f64); with a scale, also ∂(scale·Σℓ)/∂z into `dz`. `first` is the chunk's first sample in
/// the batch (for the error message of a non-finite loss). Shared by the CPU and wgpu paths.
pub(crate) fn chunk_losses(logits: &[f32], labels: &[u8], first: usize, scale: Option<f64>, dz: &mut [f32]) -> Result<BatchStats> {
    let mut stats = BatchStats::default();
    let mut z = [0.0f64; CLASSES];
    let mut p = [0.0f64; CLASSES];
    for (s, &label) in labels.iter().enumerate() {
        for k in 0..CLASSES {
            z[k] = logits[s * CLASSES + k] as f64;
        }
        let (loss, wrong) = softmax_nll(&z, label as usize, &mut p);
        ensure_finite_loss(first + s, loss)?;
        stats.add(&BatchStats { loss_sum: loss, errors: wrong as usize, count: 1 });
        if let Some(scale) = scale {
            for k in 0..CLASSES {
                let onehot = if k == label as usize { 1.0 } else { 0.0 };
                dz[s * CLASSES + k] = ((p[k] - onehot) * scale) as f32;
            }
        }
    }
    Ok(stats)
}

/// A non-finite loss of sample i as a typed error.
pub(crate) fn ensure_finite_loss(i: usize, loss: f64) -> Result<()> {
    if loss.is_finite() { Ok(()) } else { Err(KernelError::NonFinite { what: "loss of sample", index: i, value: loss }) }
}
