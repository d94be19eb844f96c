//! The images of a run in the form the LeNet kernels take (f32 pixels x/255, row-major), with the
//! fixed evaluation subset of the training set that the logged train loss and objective use.

use crate::error::TrainError;
use crate::data::Split;
use infconv_kernels::lenet::PIXELS;

/// A labelled set of images as f32.
#[derive(Debug, Clone, Default)]
pub struct Images {
    /// count × 784 pixels in [0, 1].
    pub x: Vec<f32>,
    /// count labels < 10.
    pub y: Vec<u8>,
}

impl Images {
    /// The number of images.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// No images.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// A fixed strided subset of about `k` images (every ⌈N/k⌉-th; all for k = 0 or k ≥ N).
    pub fn strided(&self, k: usize) -> Images {
        let k = if k == 0 { self.len() } else { k.min(self.len()) };
        let stride = self.len().div_ceil(k.max(1)).max(1);
        let idx: Vec<usize> = (0..self.len()).step_by(stride).collect();
        let mut out = Images::default();
        self.gather(&idx, &mut out.x, &mut out.y);
        out
    }

    /// Gathers the images at `idx` into `x`, `y` (cleared first).
    pub fn gather(&self, idx: &[usize], x: &mut Vec<f32>, y: &mut Vec<u8>) {
        x.clear();
        y.clear();
        for &i in idx {
            x.extend_from_slice(&self.x[i * PIXELS..(i + 1) * PIXELS]);
            y.push(self.y[i]);
        }
    }
}

/// Training set, evaluation subset of it, and test set.
#[derive(Debug, Clone)]
pub struct TrainData {
    /// What every worker samples from.
    pub train: Images,
    /// A fixed strided subset of `train` (every ⌈N/K⌉-th image) for the logged figures.
    pub eval: Images,
    /// The held-out set.
    pub test: Images,
    /// Where the images came from.
    pub source: String,
}

fn to_images(d: &crate::data::Dataset, limit: usize) -> Result<Images, TrainError> {
    if d.pixels() != PIXELS {
        return Err(format!("images of {}×{} pixels: LeNet-5 expects 28×28", d.rows, d.cols).into());
    }
    let count = if limit == 0 { d.len() } else { limit.min(d.len()) };
    let mut x = d.images_f32();
    x.truncate(count * PIXELS);
    Ok(Images { x, y: d.labels[..count].to_vec() })
}

impl TrainData {
    /// From a loaded split: the first `train_limit` training images (0: all) and an evaluation
    /// subset of `eval_samples` of them (0: all).
    pub fn from_split(split: &Split, train_limit: usize, eval_samples: usize) -> Result<TrainData, TrainError> {
        let train = to_images(&split.train, train_limit)?;
        let test = to_images(&split.test, 0)?;
        if train.is_empty() || test.is_empty() {
            return Err(format!("{}: expected a non-empty training and test set", split.source).into());
        }
        let eval = train.strided(eval_samples);
        Ok(TrainData { train, eval, test, source: split.source.clone() })
    }
}
