//! Times the batched separable φ-prox of the bench suite on the CPU backend (best of 10 calls)
//! at n = 431,080. `cargo run --release -p infconv-bench --example sep_prox`.

use infconv_bench::suite::{sep_prox_batch, sep_prox_problem};
use infconv_kernels::CpuBackend;
use std::time::Instant;

fn main() {
    let n = 431_080;
    let p = sep_prox_problem();
    let (v, c) = sep_prox_batch(n);
    let (v32, c32): (Vec<f32>, Vec<f32>) = (v.iter().map(|&a| a as f32).collect(), c.iter().map(|&a| a as f32).collect());
    for threads in [1, 2] {
        let b = CpuBackend::<f32>::new(threads).unwrap();
        let mut x = vec![0.0f32; n];
        let mut best = f64::INFINITY;
        for _ in 0..10 {
            let t0 = Instant::now();
            b.sep_prox(&p, &v32, &c32, &mut x, None).unwrap().ensure_converged().unwrap();
            best = best.min(t0.elapsed().as_secs_f64());
        }
        println!("cpu-f32-t{threads}: {:.2} ms ({:.0} ns/coord)", best * 1e3, best * 1e9 / n as f64);
        let b = CpuBackend::<f64>::new(threads).unwrap();
        let mut x = vec![0.0f64; n];
        let mut best = f64::INFINITY;
        for _ in 0..10 {
            let t0 = Instant::now();
            b.sep_prox(&p, &v, &c, &mut x, None).unwrap().ensure_converged().unwrap();
            best = best.min(t0.elapsed().as_secs_f64());
        }
        println!("cpu-f64-t{threads}: {:.2} ms ({:.0} ns/coord)", best * 1e3, best * 1e9 / n as f64);
    }
}
