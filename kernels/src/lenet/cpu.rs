//! The f32 CPU path of LeNet-5: im2col + sgemm (the `matrixmultiply` crate: packed, blocked,
//! AVX/FMA-dispatched at run time) for both convolutions and the FC layers, all buffers owned by
//! the instance (no allocation per call), single-threaded per call, so that the M workers of
//! Algorithm 1 run in parallel one instance each.
//!
//! Layouts for a chunk of n samples (n ≤ max_batch):
//! * conv 1: col1 [25][n·576] (row ky·5 + kx, column s·576 + y·24 + x), a1 = W₁[20×25]·col1 + b₁
//!   as [20][n·576];
//! * pool 1: p1 [n][20][12][12] (sample-major, what conv 2's im2col reads);
//! * conv 2: col2 [500][n·64] (row ci·25 + ky·5 + kx, as W₂'s [50][20][5][5]), a2 [50][n·64];
//! * pool 2: p2 [n][800] (c·16 + y·4 + x, the flattening of the interface);
//! * FC: h [n][500] = p2·W_fc1ᵀ + b (W_fc1 out-major [500][800]), z [n][10].
//!
//! ReLU then max-pool is computed as max-pool then ReLU (they commute), routing the gradient to
//! the first maximal window entry when the maximum is positive: the convention of the reference.

use super::reference::{OFF, Pattern};
use super::{
    Arch, Batch, BatchStats, C1, C2, CLASSES, FLAT, HIDDEN, IMAGE_SIDE, K, Offsets, P1, P2, PIXELS, S1, S2,
    check_f32_inputs, chunk_losses,
};
use crate::error::{KernelError, Result, ensure_len};

/// "No entry routed" for the index buffers of the pools.
const NONE: u32 = u32::MAX;

/// C ← α·A·B + β·C for row/column-strided f32 matrices (A m×k, B k×n, C m×n), through
/// `matrixmultiply::sgemm`, after checking that every index lies inside its slice.
fn sgemm(
    (m, k, n): (usize, usize, usize),
    a: &[f32],
    (rsa, csa): (usize, usize),
    b: &[f32],
    (rsb, csb): (usize, usize),
    beta: f32,
    c: &mut [f32],
    rsc: usize,
) {
    if m == 0 || n == 0 {
        return;
    }
    let last = |rows: usize, cols: usize, rs: usize, cs: usize| (rows - 1) * rs + (cols.max(1) - 1) * cs;
    assert!(k == 0 || last(m, k, rsa, csa) < a.len(), "sgemm: A out of bounds");
    assert!(k == 0 || last(k, n, rsb, csb) < b.len(), "sgemm: B out of bounds");
    assert!(last(m, n, rsc, 1) < c.len(), "sgemm: C out of bounds");
    // SAFETY: the asserts above keep every element A[i][l] = a[i·rsa + l·csa] (i < m, l < k),
    // B[l][j] and C[i][j] inside their slices; C does not alias A or B (a &mut borrow).
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            rsa as isize,
            csa as isize,
            b.as_ptr(),
            rsb as isize,
            csb as isize,
            beta,
            c.as_mut_ptr(),
            rsc as isize,
            1,
        );
    }
}

/// First maximal entry of a 2×2 window of a map whose rows are `row` apart, starting at `base`
/// (the window's top-left): (index, value).
#[inline(always)]
fn window_max(a: &[f32], base: usize, row: usize) -> (usize, f32) {
    let mut best = (base, a[base]);
    for idx in [base + 1, base + row, base + row + 1] {
        if a[idx] > best.1 {
            best = (idx, a[idx]);
        }
    }
    best
}

/// The f32 LeNet-5 of one worker, with its scratch buffers for up to `max_batch` samples per
/// pass (larger batches are processed in chunks of `max_batch`).
#[derive(Debug, Clone)]
pub struct LeNetCpu {
    arch: Arch,
    o: Offsets,
    max_batch: usize,
    col1: Vec<f32>,
    a1: Vec<f32>,
    p1: Vec<f32>,
    idx1: Vec<u32>,
    col2: Vec<f32>,
    a2: Vec<f32>,
    p2: Vec<f32>,
    idx2: Vec<u32>,
    h: Vec<f32>,
    z: Vec<f32>,
    dz: Vec<f32>,
    dh: Vec<f32>,
    dp2: Vec<f32>,
    da2: Vec<f32>,
    dcol2: Vec<f32>,
    dp1: Vec<f32>,
    da1: Vec<f32>,
}

impl LeNetCpu {
    /// An instance for batches of up to `max_batch` samples per pass (≥ 1; about 0.5 MB per
    /// sample of scratch).
    ///
    /// ```
    /// use infconv_kernels::lenet::{Arch, Batch, LeNetCpu, init_params, PIXELS};
    /// let w: Vec<f32> = init_params(Arch::Caffe, 3).iter().map(|&x| x as f32).collect();
    /// let mut net = LeNetCpu::new(Arch::Caffe, 20).unwrap();
    /// let images = vec![0.25f32; 2 * PIXELS];
    /// let batch = Batch::new(&images, &[1, 2]).unwrap();
    /// let mut grad = vec![0.0f32; w.len()];
    /// let s = net.loss_grad(&w, &batch, &mut grad).unwrap();
    /// assert_eq!((s.count, net.evaluate(&w, &batch).unwrap().count), (2, 2));
    /// ```
    pub fn new(arch: Arch, max_batch: usize) -> Result<Self> {
        if max_batch == 0 {
            return Err(KernelError::InvalidParameter {
                name: "max_batch",
                value: "0".into(),
                expected: "at least one sample per pass",
            });
        }
        Ok(Self::with_capacity(arch, max_batch))
    }

    /// [`LeNetCpu::new`] for max_batch ≥ 1.
    pub(crate) fn with_capacity(arch: Arch, max_batch: usize) -> Self {
        let n = max_batch;
        let z = |len: usize| vec![0.0f32; len];
        LeNetCpu {
            arch,
            o: Offsets::of(arch),
            max_batch,
            col1: z(K * K * n * S1 * S1),
            a1: z(C1 * n * S1 * S1),
            p1: z(n * C1 * P1 * P1),
            idx1: vec![NONE; n * C1 * P1 * P1],
            col2: z(C1 * K * K * n * S2 * S2),
            a2: z(C2 * n * S2 * S2),
            p2: z(n * FLAT),
            idx2: vec![NONE; n * FLAT],
            h: z(if arch == Arch::Caffe { n * HIDDEN } else { 0 }),
            z: z(n * CLASSES),
            dz: z(n * CLASSES),
            dh: z(if arch == Arch::Caffe { n * HIDDEN } else { 0 }),
            dp2: z(n * FLAT),
            da2: z(C2 * n * S2 * S2),
            dcol2: z(C1 * K * K * n * S2 * S2),
            dp1: z(n * C1 * P1 * P1),
            da1: z(C1 * n * S1 * S1),
        }
    }

    /// The architecture.
    pub fn arch(&self) -> Arch {
        self.arch
    }

    /// The most samples per pass.
    pub fn max_batch(&self) -> usize {
        self.max_batch
    }

    /// Loss and errors of the batch, and the gradient of its MEAN loss into `grad` (overwritten).
    pub fn loss_grad(&mut self, params: &[f32], batch: &Batch, grad: &mut [f32]) -> Result<BatchStats> {
        check_f32_inputs(self.arch, params, batch)?;
        ensure_len("gradient", grad.len(), self.arch.num_params())?;
        grad.fill(0.0);
        let stats = self.accumulate_grad(params, batch, 1.0 / batch.len() as f64, grad)?;
        match grad.iter().position(|g| !g.is_finite()) {
            None => Ok(stats),
            Some(i) => Err(KernelError::NonFinite { what: "gradient coordinate", index: i, value: grad[i] as f64 }),
        }
    }

    /// Loss and errors of the batch (forward only).
    pub fn evaluate(&mut self, params: &[f32], batch: &Batch) -> Result<BatchStats> {
        check_f32_inputs(self.arch, params, batch)?;
        self.evaluate_unchecked(params, batch)
    }

    /// [`LeNetCpu::evaluate`] after the caller's checks.
    pub(crate) fn evaluate_unchecked(&mut self, params: &[f32], batch: &Batch) -> Result<BatchStats> {
        let mut stats = BatchStats::default();
        for start in (0..batch.len()).step_by(self.max_batch) {
            let chunk = batch.slice(start, (start + self.max_batch).min(batch.len()));
            self.forward(params, chunk.images(), chunk.len());
            stats.add(&self.losses(chunk.labels(), start, None)?);
        }
        Ok(stats)
    }

    /// The [`Pattern`] the f32 forward pass takes on the batch (for the f32-vs-f64 tests: the
    /// error bounds of `tolerance.rs` hold on a common pattern).
    pub fn pattern(&mut self, params: &[f32], batch: &Batch) -> Result<Pattern> {
        check_f32_inputs(self.arch, params, batch)?;
        let mut pat = Pattern::default();
        for start in (0..batch.len()).step_by(self.max_batch) {
            let chunk = batch.slice(start, (start + self.max_batch).min(batch.len()));
            let n = chunk.len();
            self.forward(params, chunk.images(), n);
            let route = |idx: u32, map_base: usize, side: usize, py: usize, px: usize| -> u8 {
                if idx == NONE {
                    return OFF;
                }
                let local = idx as usize - map_base;
                let (y, x) = (local / side, local % side);
                ((y - 2 * py) * 2 + (x - 2 * px)) as u8
            };
            for s in 0..n {
                for c in 0..C1 {
                    for py in 0..P1 {
                        for px in 0..P1 {
                            let j = ((s * C1 + c) * P1 + py) * P1 + px;
                            pat.pool1.push(route(self.idx1[j], c * n * S1 * S1 + s * S1 * S1, S1, py, px));
                        }
                    }
                }
            }
            for s in 0..n {
                for c in 0..C2 {
                    for py in 0..P2 {
                        for px in 0..P2 {
                            let j = s * FLAT + (c * P2 + py) * P2 + px;
                            pat.pool2.push(route(self.idx2[j], c * n * S2 * S2 + s * S2 * S2, S2, py, px));
                        }
                    }
                }
            }
            if self.arch == Arch::Caffe {
                pat.fc1.extend(self.h[..n * HIDDEN].iter().map(|&h| h > 0.0));
            }
        }
        Ok(pat)
    }

    /// Adds `scale` × the gradient of the batch's summed loss to `grad` (not cleared), in
    /// chunks of `max_batch`; the loss and errors of the batch. The caller checks the inputs.
    pub(crate) fn accumulate_grad(&mut self, params: &[f32], batch: &Batch, scale: f64, grad: &mut [f32]) -> Result<BatchStats> {
        let mut stats = BatchStats::default();
        for start in (0..batch.len()).step_by(self.max_batch) {
            let chunk = batch.slice(start, (start + self.max_batch).min(batch.len()));
            self.forward(params, chunk.images(), chunk.len());
            stats.add(&self.losses(chunk.labels(), start, Some(scale))?);
            self.backward(params, chunk.len(), grad);
        }
        Ok(stats)
    }

    /// The forward pass of n ≤ max_batch samples (images n×784) into the buffers.
    fn forward(&mut self, w: &[f32], images: &[f32], n: usize) {
        let o = self.o;
        let (n1, n2) = (n * S1 * S1, n * S2 * S2);
        // Conv 1: im2col, then a1 = b + W·col1.
        for s in 0..n {
            let img = &images[s * PIXELS..(s + 1) * PIXELS];
            for ky in 0..K {
                for kx in 0..K {
                    let row = &mut self.col1[(ky * K + kx) * n1 + s * S1 * S1..][..S1 * S1];
                    for y in 0..S1 {
                        row[y * S1..(y + 1) * S1].copy_from_slice(&img[(y + ky) * IMAGE_SIDE + kx..][..S1]);
                    }
                }
            }
        }
        for c in 0..C1 {
            self.a1[c * n1..(c + 1) * n1].fill(w[o.conv1_b + c]);
        }
        sgemm((C1, K * K, n1), &w[o.conv1_w..o.conv1_b], (K * K, 1), &self.col1, (n1, 1), 1.0, &mut self.a1, n1);
        // Pool 1 + ReLU into p1 [n][20][12][12].
        for s in 0..n {
            for c in 0..C1 {
                let map = c * n1 + s * S1 * S1;
                for py in 0..P1 {
                    for px in 0..P1 {
                        let (idx, v) = window_max(&self.a1, map + 2 * py * S1 + 2 * px, S1);
                        let j = ((s * C1 + c) * P1 + py) * P1 + px;
                        (self.p1[j], self.idx1[j]) = if v > 0.0 { (v, idx as u32) } else { (0.0, NONE) };
                    }
                }
            }
        }
        // Conv 2: im2col (row ci·25 + ky·5 + kx), then a2 = b + W·col2.
        for s in 0..n {
            for ci in 0..C1 {
                let map = &self.p1[(s * C1 + ci) * P1 * P1..][..P1 * P1];
                for ky in 0..K {
                    for kx in 0..K {
                        let row = &mut self.col2[((ci * K + ky) * K + kx) * n2 + s * S2 * S2..][..S2 * S2];
                        for y in 0..S2 {
                            row[y * S2..(y + 1) * S2].copy_from_slice(&map[(y + ky) * P1 + kx..][..S2]);
                        }
                    }
                }
            }
        }
        for c in 0..C2 {
            self.a2[c * n2..(c + 1) * n2].fill(w[o.conv2_b + c]);
        }
        sgemm((C2, C1 * K * K, n2), &w[o.conv2_w..o.conv2_b], (C1 * K * K, 1), &self.col2, (n2, 1), 1.0, &mut self.a2, n2);
        // Pool 2 + ReLU into p2 [n][800].
        for s in 0..n {
            for c in 0..C2 {
                let map = c * n2 + s * S2 * S2;
                for py in 0..P2 {
                    for px in 0..P2 {
                        let (idx, v) = window_max(&self.a2, map + 2 * py * S2 + 2 * px, S2);
                        let j = s * FLAT + (c * P2 + py) * P2 + px;
                        (self.p2[j], self.idx2[j]) = if v > 0.0 { (v, idx as u32) } else { (0.0, NONE) };
                    }
                }
            }
        }
        // FC layers.
        if self.arch == Arch::Caffe {
            for s in 0..n {
                self.h[s * HIDDEN..(s + 1) * HIDDEN].copy_from_slice(&w[o.fc1_b..o.fc2_w]);
            }
            // h [n×500] += p2 [n×800] · W_fc1ᵀ (W_fc1ᵀ[i][u] = w[u·800 + i]).
            sgemm((n, FLAT, HIDDEN), &self.p2, (FLAT, 1), &w[o.fc1_w..o.fc1_b], (1, FLAT), 1.0, &mut self.h, HIDDEN);
            for v in self.h[..n * HIDDEN].iter_mut() {
                *v = v.max(0.0);
            }
        }
        let n_in = self.arch.last_in();
        for s in 0..n {
            self.z[s * CLASSES..(s + 1) * CLASSES].copy_from_slice(&w[o.fc2_b..o.end]);
        }
        let inp = if self.arch == Arch::Caffe { &self.h } else { &self.p2 };
        sgemm((n, n_in, CLASSES), inp, (n_in, 1), &w[o.fc2_w..o.fc2_b], (1, n_in), 1.0, &mut self.z, CLASSES);
    }

    /// Losses and errors of the chunk's samples from the logits (in f64); with a scale, also
    /// ∂(scale·Σℓ)/∂z into dz. `first` is the chunk's first sample in the batch (for errors).
    fn losses(&mut self, labels: &[u8], first: usize, scale: Option<f64>) -> Result<BatchStats> {
        chunk_losses(&self.z, labels, first, scale, &mut self.dz)
    }

    /// Adds the gradient of Σ dz·z over the chunk of n samples (after `forward` and `losses`).
    fn backward(&mut self, w: &[f32], n: usize, g: &mut [f32]) {
        let o = self.o;
        let (n1, n2) = (n * S1 * S1, n * S2 * S2);
        let n_in = self.arch.last_in();
        let dz = &self.dz[..n * CLASSES];
        // The last FC layer: g_W += dzᵀ·in, g_b += Σ dz, d_in = dz·W.
        let inp = if self.arch == Arch::Caffe { &self.h } else { &self.p2 };
        sgemm((CLASSES, n, n_in), dz, (1, CLASSES), inp, (n_in, 1), 1.0, &mut g[o.fc2_w..o.fc2_b], n_in);
        for s in 0..n {
            for k in 0..CLASSES {
                g[o.fc2_b + k] += dz[s * CLASSES + k];
            }
        }
        let d_in = if self.arch == Arch::Caffe { &mut self.dh } else { &mut self.dp2 };
        sgemm((n, CLASSES, n_in), dz, (CLASSES, 1), &w[o.fc2_w..o.fc2_b], (n_in, 1), 0.0, d_in, n_in);
        if self.arch == Arch::Caffe {
            // Through the ReLU (h = 0 ⇔ off), then FC 800→500.
            for (d, &h) in self.dh[..n * HIDDEN].iter_mut().zip(&self.h) {
                if h <= 0.0 {
                    *d = 0.0;
                }
            }
            sgemm((HIDDEN, n, FLAT), &self.dh, (1, HIDDEN), &self.p2, (FLAT, 1), 1.0, &mut g[o.fc1_w..o.fc1_b], FLAT);
            for s in 0..n {
                for u in 0..HIDDEN {
                    g[o.fc1_b + u] += self.dh[s * HIDDEN + u];
                }
            }
            sgemm((n, HIDDEN, FLAT), &self.dh, (HIDDEN, 1), &w[o.fc1_w..o.fc1_b], (FLAT, 1), 0.0, &mut self.dp2, FLAT);
        }
        // Pool 2: the routed entries get the gradient (windows are disjoint).
        self.da2[..C2 * n2].fill(0.0);
        for (j, &idx) in self.idx2[..n * FLAT].iter().enumerate() {
            if idx != NONE {
                self.da2[idx as usize] = self.dp2[j];
            }
        }
        // Conv 2: g_W += da2·col2ᵀ, g_b += row sums, dcol2 = Wᵀ·da2, then col2im into dp1.
        let kk2 = C1 * K * K;
        sgemm((C2, n2, kk2), &self.da2, (n2, 1), &self.col2, (1, n2), 1.0, &mut g[o.conv2_w..o.conv2_b], kk2);
        for c in 0..C2 {
            g[o.conv2_b + c] += self.da2[c * n2..(c + 1) * n2].iter().sum::<f32>();
        }
        sgemm((kk2, C2, n2), &w[o.conv2_w..o.conv2_b], (1, kk2), &self.da2, (n2, 1), 0.0, &mut self.dcol2, n2);
        self.dp1[..n * C1 * P1 * P1].fill(0.0);
        for s in 0..n {
            for ci in 0..C1 {
                let map = &mut self.dp1[(s * C1 + ci) * P1 * P1..][..P1 * P1];
                for ky in 0..K {
                    for kx in 0..K {
                        let row = &self.dcol2[((ci * K + ky) * K + kx) * n2 + s * S2 * S2..][..S2 * S2];
                        for y in 0..S2 {
                            let dst = &mut map[(y + ky) * P1 + kx..][..S2];
                            for (d, &v) in dst.iter_mut().zip(&row[y * S2..(y + 1) * S2]) {
                                *d += v;
                            }
                        }
                    }
                }
            }
        }
        // Pool 1.
        self.da1[..C1 * n1].fill(0.0);
        for (j, &idx) in self.idx1[..n * C1 * P1 * P1].iter().enumerate() {
            if idx != NONE {
                self.da1[idx as usize] = self.dp1[j];
            }
        }
        // Conv 1: g_W += da1·col1ᵀ, g_b += row sums.
        sgemm((C1, n1, K * K), &self.da1, (n1, 1), &self.col1, (1, n1), 1.0, &mut g[o.conv1_w..o.conv1_b], K * K);
        for c in 0..C1 {
            g[o.conv1_b + c] += self.da1[c * n1..(c + 1) * n1].iter().sum::<f32>();
        }
    }
}
