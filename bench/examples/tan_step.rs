//! Profiling aid for the fused tan step at LeNet size (M = 4): best-of-many milliseconds per
//! step, per consensus and per worker step, on the CPU backend in f32/f64 on 1 and 2 threads,
//! and the triad over the same bytes. `cargo run --release -p infconv-bench --example tan_step`.

use infconv_bench::suite::bench_state;
use infconv_bench::triad::triad_bytes_per_second;
use infconv_kernels::backend::Backend;
use infconv_kernels::potential::{Params, PotentialKind};
use infconv_kernels::{CpuBackend, LENET5_PARAMS};
use std::time::Instant;

fn best_ms(reps: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut best = f64::INFINITY;
    for _ in 0..reps {
        let t0 = Instant::now();
        f();
        best = best.min(t0.elapsed().as_secs_f64());
    }
    best * 1e3
}

fn run<B: Backend>(b: &B, elem: usize, threads: usize) {
    let (n, m) = (LENET5_PARAMS, 4);
    let h = bench_state(n, m);
    let bytes = (5 * m + 2) * n * elem;
    let tri = bytes as f64 / triad_bytes_per_second(bytes, threads, 0.3) * 1e3;
    for kind in [PotentialKind::Quad, PotentialKind::Tan] {
        let p = Params::new(kind);
        let mut st = b.load(&h).unwrap();
        let step = best_ms(60, || drop(b.step(&mut st, &p).unwrap()));
        let mut st = b.load(&h).unwrap();
        b.step(&mut st, &p).unwrap();
        let cons = best_ms(60, || {
            b.consensus_step(&mut st, &p).unwrap();
        });
        let work = best_ms(60, || drop(b.worker_step(&mut st, &p).unwrap()));
        println!(
            "{} {kind}: step {step:.3} ms (bw_fraction {:.2}), consensus {cons:.3} ms, worker {work:.3} ms, triad {tri:.3} ms",
            b.name(),
            tri / step
        );
    }
}

fn main() {
    for threads in [1, 2] {
        run(&CpuBackend::<f32>::new(threads).unwrap(), 4, threads);
        run(&CpuBackend::<f64>::new(threads).unwrap(), 8, threads);
    }
}
