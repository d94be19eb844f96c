//! The CPU backend (f64 and f32, one thread and all threads) against the serial f64 reference at
//! n ∈ {1, 7, 256, 431,080, 4,000,000} with random layer tables (LeNet-5's at 431,080).

mod common;

use common::*;
use infconv_kernels::backend::{Backend, Precision};
use infconv_kernels::potential::PotentialKind;
use infconv_kernels::tolerance::Arith;
use infconv_kernels::CpuBackend;

/// At 4,000,000 the f64 reference and the tolerance scales of M·n values dominate the run time
/// (about 11 s per potential), so each backend checks a subset there: f64 the radial bounded
/// case (tan), f32 the one-pass quad and the per-coordinate log-sep; the wgpu test covers tan and
/// log-sep. Every potential is checked at every other size.
fn kinds_for(n: usize, precision: Precision) -> Vec<PotentialKind> {
    match (n >= 4_000_000, precision) {
        (false, _) => PotentialKind::BUILTIN.to_vec(),
        (true, Precision::F64) => vec![PotentialKind::Tan],
        (true, Precision::F32) => vec![PotentialKind::Quad, PotentialKind::LogSep],
    }
}

fn run<B: Backend>(b: &B, a: Arith, label: &str) {
    for (si, &n) in SIZES.iter().enumerate() {
        for (ki, kind) in kinds_for(n, b.precision()).into_iter().enumerate() {
            let seed = 1000 * si as u64 + ki as u64;
            // M = 4 workers; 2 at 4,000,000 (the reference's f64 copies of M·n are the cost).
            let m = if n >= 4_000_000 { 2 } else { 4 };
            let t0 = std::time::Instant::now();
            check_all_kernels(b, a, n, m, kind, seed);
            check_fused_step(b, a, n, m, kind, seed + 77);
            println!("{label} n = {n} {kind}: {:.2} s", t0.elapsed().as_secs_f64());
        }
    }
    print_worst(label);
}

#[test]
fn cpu_f64_all_threads_agrees_with_reference() {
    run(&CpuBackend::<f64>::new(0).unwrap(), Arith::Cpu(Precision::F64), "cpu-f64");
}

#[test]
fn cpu_f32_all_threads_agrees_with_reference() {
    run(&CpuBackend::<f32>::new(0).unwrap(), Arith::Cpu(Precision::F32), "cpu-f32");
}

#[test]
fn cpu_f32_one_thread_agrees_at_lenet_size() {
    let b = CpuBackend::<f32>::single_thread();
    for kind in PotentialKind::BUILTIN {
        check_all_kernels(&b, Arith::Cpu(Precision::F32), infconv_kernels::LENET5_PARAMS, 8, kind, 9);
        check_fused_step(&b, Arith::Cpu(Precision::F32), infconv_kernels::LENET5_PARAMS, 8, kind, 10);
    }
    print_worst("cpu-f32-t1");
}
