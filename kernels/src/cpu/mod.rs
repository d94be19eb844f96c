//! The CPU backend: f32 or f64, multi-threaded with rayon over tiles (pieces of one layer).
//! Reductions accumulate in f64 (also for f32 data) with 8 independent lanes, then per layer in
//! tile order, so results do not depend on the number of threads.

mod access;
mod passes;
mod prox;
mod state;
mod step;

pub use state::CpuState;

use crate::backend::Precision;
use crate::error::{KernelError, Result};
use crate::layers::Tile;
use crate::real::Real;
use rayon::prelude::*;
use std::marker::PhantomData;
use std::sync::Arc;

/// Elements per tile of the CPU backend: 16 Ki (64 KiB of f32 per stream, so a tile of u and
/// the M copies stays in L2 between the two halves of a pass).
pub const CPU_TILE: usize = 16 * 1024;

/// Below this many elements a pass runs on the calling thread (the pool's hand-off costs more
/// than it saves).
pub const PAR_MIN: usize = 32 * 1024;

/// The CPU backend in precision T (f32 or f64) on a fixed number of threads.
#[derive(Debug, Clone)]
pub struct CpuBackend<T: Real> {
    pool: Option<Arc<rayon::ThreadPool>>,
    threads: usize,
    _t: PhantomData<T>,
}

impl<T: Real> CpuBackend<T> {
    /// A backend on `threads` threads (0: one per core).
    pub fn new(threads: usize) -> Result<Self> {
        let threads = if threads == 0 { std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) } else { threads };
        let pool = if threads > 1 {
            Some(Arc::new(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .map_err(|e| KernelError::InvalidParameter {
                        name: "threads",
                        value: format!("{threads} ({e})"),
                        expected: "a number of threads the OS can start",
                    })?,
            ))
        } else {
            None
        };
        Ok(CpuBackend { pool, threads, _t: PhantomData })
    }

    /// One thread, no pool.
    pub fn single_thread() -> Self {
        CpuBackend { pool: None, threads: 1, _t: PhantomData }
    }

    /// The number of threads.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The precision of T.
    pub fn precision_of() -> Precision {
        if T::NAME == "f32" { Precision::F32 } else { Precision::F64 }
    }

    /// Runs `f` on every tile (in parallel when there is a pool and more than one tile) and
    /// returns the results in tile order.
    pub(crate) fn map_tiles<R: Send>(&self, tiles: &[Tile], f: impl Fn(&Tile) -> R + Sync + Send) -> Vec<R> {
        match &self.pool {
            Some(pool) if tiles.len() > 1 && tiles[tiles.len() - 1].end - tiles[0].start >= PAR_MIN => {
                pool.install(|| tiles.par_iter().map(&f).collect())
            }
            _ => tiles.iter().map(f).collect(),
        }
    }
}

/// A raw pointer that tiles write through: every tile writes only its own disjoint range.
#[derive(Clone, Copy)]
pub(crate) struct SharedMut<T>(*mut T);
// SAFETY: the passes hand each tile a disjoint index range (tiles partition 0..n, and worker j's
// copy is offset by j·n), so no two threads write the same element, and nobody reads an element
// another thread writes during the same pass.
unsafe impl<T: Send> Send for SharedMut<T> {}
unsafe impl<T: Send> Sync for SharedMut<T> {}

impl<T> SharedMut<T> {
    pub(crate) fn new(s: &mut [T]) -> Self {
        SharedMut(s.as_mut_ptr())
    }
    /// # Safety
    /// `start..start + len` must be in bounds and not accessed by any other thread meanwhile.
    #[allow(clippy::mut_from_ref)]
    pub(crate) unsafe fn slice(&self, start: usize, len: usize) -> &mut [T] {
        unsafe { std::slice::from_raw_parts_mut(self.0.add(start), len) }
    }
}
