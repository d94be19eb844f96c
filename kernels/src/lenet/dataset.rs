//! Whole data sets on several threads (rayon, one [`LeNetCpu`] per thread): the data set is cut
//! into fixed chunks of [`DATASET_CHUNK`] samples, every chunk is computed by one thread on its
//! own, and the chunk results are added in chunk order (in f64), so the result is bitwise the
//! same for every number of threads.

use super::{Arch, Batch, BatchStats, LeNetCpu, check_f32_inputs};
use crate::error::{KernelError, Result, ensure_len};
use rayon::prelude::*;

/// Samples per chunk of the data-set passes.
pub const DATASET_CHUNK: usize = 50;

fn pool(threads: usize) -> Result<rayon::ThreadPool> {
    let threads = if threads == 0 { std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) } else { threads };
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| KernelError::InvalidParameter {
        name: "threads",
        value: format!("{threads} ({e})"),
        expected: "a number of threads the OS can start",
    })
}

fn chunks(n: usize) -> Vec<(usize, usize)> {
    (0..n).step_by(DATASET_CHUNK).map(|s| (s, (s + DATASET_CHUNK).min(n))).collect()
}

/// Loss and errors of the whole data set (images n×784, labels n) on `threads` threads (0: one
/// per core); bitwise independent of `threads`.
pub fn evaluate_dataset(arch: Arch, params: &[f32], images: &[f32], labels: &[u8], threads: usize) -> Result<BatchStats> {
    let batch = Batch::new(images, labels)?;
    check_f32_inputs(arch, params, &batch)?;
    let chunks = chunks(batch.len());
    let per_chunk: Vec<Result<BatchStats>> = pool(threads)?.install(|| {
        chunks
            .par_iter()
            .map_init(
                || LeNetCpu::with_capacity(arch, DATASET_CHUNK),
                |net, &(s, e)| net.evaluate_unchecked(params, &batch.slice(s, e)),
            )
            .collect()
    });
    let mut total = BatchStats::default();
    for r in per_chunk {
        total.add(&r?);
    }
    Ok(total)
}

/// Loss and errors of the whole data set and the gradient of its MEAN loss into `grad`
/// (overwritten) on `threads` threads (0: one per core); bitwise independent of `threads`. The
/// chunk gradients are added in chunk order in f64, then rounded to f32 once.
pub fn loss_grad_dataset(
    arch: Arch,
    params: &[f32],
    images: &[f32],
    labels: &[u8],
    threads: usize,
    grad: &mut [f32],
) -> Result<BatchStats> {
    let n_params = arch.num_params();
    let batch = Batch::new(images, labels)?;
    check_f32_inputs(arch, params, &batch)?;
    ensure_len("gradient", grad.len(), n_params)?;
    let pool = pool(threads)?;
    let t = pool.current_num_threads();
    let chunks = chunks(batch.len());
    let scale = 1.0 / batch.len() as f64;
    let mut nets: Vec<LeNetCpu> = (0..t.min(chunks.len())).map(|_| LeNetCpu::with_capacity(arch, DATASET_CHUNK)).collect();
    let mut bufs: Vec<Vec<f32>> = vec![vec![0.0; n_params]; nets.len()];
    let mut acc = vec![0.0f64; n_params];
    let mut total = BatchStats::default();
    for round in chunks.chunks(nets.len()) {
        let stats: Vec<Result<BatchStats>> = pool.install(|| {
            nets.par_iter_mut()
                .zip(bufs.par_iter_mut())
                .zip(round.par_iter())
                .map(|((net, buf), &(s, e))| {
                    buf.fill(0.0);
                    net.accumulate_grad(params, &batch.slice(s, e), scale, buf)
                })
                .collect()
        });
        for (r, buf) in stats.into_iter().zip(&bufs) {
            total.add(&r?);
            for (a, &g) in acc.iter_mut().zip(buf) {
                *a += g as f64;
            }
        }
    }
    for (g, &a) in grad.iter_mut().zip(&acc) {
        *g = a as f32;
    }
    match grad.iter().position(|g| !g.is_finite()) {
        None => Ok(total),
        Some(i) => Err(KernelError::NonFinite { what: "gradient coordinate", index: i, value: acc[i] }),
    }
}
