//! The CPU backend (f64 and f32, one thread and all threads) against the serial f64 reference at
//! n ∈ {1, 7, 256, 431,080, 4,000,000} with random layer tables (LeNet-5's at 431,080).

mod common;

use common::*;
use infconv_kernels::backend::{Backend, Precision};
use infconv_kernels::potential::PotentialKind;
use infconv_kernels::tolerance::Arith;
use infconv_kernels::CpuBackend;

/// The 4,000,000 size runs a subset of the potentials (one of each family) to keep the suite fast.
fn kinds_for(n: usize) -> Vec<PotentialKind> {
    if n >= 4_000_000 {
        vec![PotentialKind::Quad, PotentialKind::Tan, PotentialKind::LogSep]
    } else {
        PotentialKind::ALL.to_vec()
    }
}

fn run<B: Backend>(b: &B, a: Arith, label: &str) {
    for (si, &n) in SIZES.iter().enumerate() {
        for (ki, kind) in kinds_for(n).into_iter().enumerate() {
            let seed = 1000 * si as u64 + ki as u64;
            // M = 4 workers; 2 at 4,000,000 (the reference's f64 copies of M·n are the cost).
            let m = if n >= 4_000_000 { 2 } else { 4 };
            check_all_kernels(b, a, n, m, kind, seed);
            check_fused_step(b, a, n, m, kind, seed + 77);
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
    for kind in PotentialKind::ALL {
        check_all_kernels(&b, Arith::Cpu(Precision::F32), infconv_kernels::LENET5_PARAMS, 8, kind, 9);
        check_fused_step(&b, Arith::Cpu(Precision::F32), infconv_kernels::LENET5_PARAMS, 8, kind, 10);
    }
    print_worst("cpu-f32-t1");
}
