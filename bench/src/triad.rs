//! The bandwidth baseline: the triad a ← b + s·c (read 2, write 1 array) over the same number of
//! bytes as the kernel call it is compared with, on the same number of threads.

use crate::timing::seconds_per_call;
use rayon::prelude::*;

/// Bytes per second of a triad moving `bytes` bytes in total (3 arrays of bytes/24 f64 each) on
/// `threads` threads (a fresh rayon pool; 1 thread runs serially).
pub fn triad_bytes_per_second(bytes: usize, threads: usize, min_time: f64) -> f64 {
    let len = (bytes / 24).max(1024);
    let b = vec![1.0f64; len];
    let c = vec![2.0f64; len];
    let mut a = vec![0.0f64; len];
    let s = 0.5;
    let t = if threads <= 1 {
        seconds_per_call(min_time, || {
            for ((a, b), c) in a.iter_mut().zip(&b).zip(&c) {
                *a = b + s * c;
            }
            std::hint::black_box(&mut a);
        })
    } else {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("rayon pool");
        pool.install(|| {
            seconds_per_call(min_time, || {
                a.par_chunks_mut(16 * 1024).zip(b.par_chunks(16 * 1024)).zip(c.par_chunks(16 * 1024)).for_each(
                    |((a, b), c)| {
                        for ((a, b), c) in a.iter_mut().zip(b).zip(c) {
                            *a = b + s * c;
                        }
                    },
                );
                std::hint::black_box(&mut a);
            })
        })
    };
    (3 * len * 8) as f64 / t
}
