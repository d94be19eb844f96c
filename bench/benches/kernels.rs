//! Criterion benches of the kernels of model (15): each kernel on CPU one thread, CPU all threads
//! (f64 and f32) and wgpu (f32), n from 10³ to 10⁷ (M = 4) and at LeNet size (M ∈ {4, 8});
//! the triad bandwidth baseline over the same bytes and the numpy peer of the fused step in the
//! same run; the batched separable φ-prox ("sep-prox") at M = 4 sizes. `INFCONV_BENCH_QUICK=1`
//! restricts to n ∈ {10⁴, LeNet}.
//!
//! `cargo bench -p infconv-bench --bench kernels` (criterion's report: target/criterion/).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use infconv_bench::peer::{PeerConfig, run_peer};
use infconv_bench::suite::{bench_state, table_for};
use infconv_kernels::backend::{Backend, HostState};
use infconv_kernels::potential::{Params, PotentialKind};
use infconv_kernels::{CpuBackend, GpuBackend, LENET5_PARAMS};
use rayon::prelude::*;
use std::hint::black_box;
use std::time::Duration;

fn sizes() -> Vec<(usize, usize)> {
    if std::env::var("INFCONV_BENCH_QUICK").is_ok() {
        return vec![(10_000, 4), (LENET5_PARAMS, 4)];
    }
    vec![(1_000, 4), (10_000, 4), (100_000, 4), (LENET5_PARAMS, 4), (LENET5_PARAMS, 8), (1_000_000, 4), (10_000_000, 4)]
}

/// Elements of n a call moves at least (as in `suite.rs`).
fn elements(kernel: &str, n: usize, m: usize) -> usize {
    n * match kernel {
        "layer_sq_norms" => m + 1,
        "grad_phi" | "residuals" => 2 * m + 1,
        "feasibility_bound" => 2 * m + 2,
        "consensus_step" => m + 2,
        "worker_step" => 5 * m + 1,
        _ => 5 * m + 2,
    }
}

const KERNELS: [&str; 8] =
    ["layer_sq_norms", "grad_phi", "feasibility_bound", "consensus_step", "worker_step", "step/tan", "step/quad", "residuals"];

fn bench_backend<B: Backend>(c: &mut Criterion, label: &str, elem: usize, b: &B, h: &HostState) {
    let (n, m) = (h.n(), h.workers);
    let tan = Params::new(PotentialKind::Tan);
    let quad = Params::new(PotentialKind::Quad);
    for kernel in KERNELS {
        let Ok(mut st) = b.load(h) else {
            eprintln!("{label}: skipped at n = {n}, M = {m} (the backend refuses the state)");
            return;
        };
        b.set_directions(&mut st, &vec![1e-3; n], &vec![-1e-3; n * m]).expect("shapes");
        let mut g = c.benchmark_group(kernel);
        g.sample_size(10).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(1));
        g.throughput(Throughput::Bytes((elements(kernel.split('/').next().unwrap_or(kernel), n, m) * elem) as u64));
        let id = BenchmarkId::new(label, format!("n={n}/M={m}"));
        g.bench_function(id, |bench| {
            bench.iter(|| match kernel {
                "layer_sq_norms" => drop(black_box(b.layer_sq_norms(&mut st))),
                "grad_phi" => drop(black_box(b.grad_phi(&mut st, PotentialKind::Tan, 1.0))),
                "feasibility_bound" => drop(black_box(b.feasibility_bound(&mut st, PotentialKind::Tan, 1.0))),
                "consensus_step" => drop(black_box(b.consensus_step(&mut st, &tan))),
                "worker_step" => drop(black_box(b.worker_step(&mut st, &tan))),
                "step/tan" => drop(black_box(b.step(&mut st, &tan))),
                "step/quad" => drop(black_box(b.step(&mut st, &quad))),
                _ => drop(black_box(b.residuals(&mut st, &tan))),
            })
        });
        g.finish();
    }
}

/// The batched separable φ-prox (`infconv_bench::suite::sep_prox_problem`, tan-sep with
/// quad-cos) on the CPU (f64/f32, one and all threads) and wgpu; throughput over the 3n elements
/// it must move (read v, c; write x).
fn sep_prox(c: &mut Criterion, n: usize, all: usize, gpu: Option<&GpuBackend>) {
    use infconv_bench::suite::{sep_prox_batch, sep_prox_problem};
    let p = sep_prox_problem();
    let (v, cc) = sep_prox_batch(n);
    let mut g = c.benchmark_group("sep-prox");
    g.sample_size(10).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(1));
    let id = |label: &str| BenchmarkId::new(label.to_string(), format!("n={n}"));
    let (v32, c32): (Vec<f32>, Vec<f32>) = (v.iter().map(|&a| a as f32).collect(), cc.iter().map(|&a| a as f32).collect());
    g.throughput(Throughput::Bytes((3 * n * 8) as u64));
    for (label, b) in [("cpu-f64-t1".to_string(), CpuBackend::<f64>::single_thread()), (format!("cpu-f64-t{all}"), CpuBackend::<f64>::new(all).expect("pool"))] {
        let mut x = vec![0.0f64; n];
        g.bench_function(id(&label), |bench| bench.iter(|| drop(black_box(b.sep_prox(&p, &v, &cc, &mut x, None)))));
    }
    g.throughput(Throughput::Bytes((3 * n * 4) as u64));
    for (label, b) in [("cpu-f32-t1".to_string(), CpuBackend::<f32>::single_thread()), (format!("cpu-f32-t{all}"), CpuBackend::<f32>::new(all).expect("pool"))] {
        let mut x = vec![0.0f32; n];
        g.bench_function(id(&label), |bench| bench.iter(|| drop(black_box(b.sep_prox(&p, &v32, &c32, &mut x, None)))));
    }
    if let Some(gb) = gpu {
        let mut x = vec![0.0f32; n];
        g.bench_function(id("wgpu-f32"), |bench| bench.iter(|| drop(black_box(gb.sep_prox(&p, &v32, &c32, &mut x, None)))));
    }
    g.finish();
}

/// The triad a ← b + s·c over the fused step's bytes (f32 and f64), one thread and all threads.
fn triad(c: &mut Criterion, n: usize, m: usize) {
    let mut g = c.benchmark_group("triad");
    g.sample_size(10).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(1));
    for elem in [4usize, 8] {
        let bytes = elements("step", n, m) * elem;
        let len = bytes / 24;
        let (b, cc) = (vec![1.0f64; len], vec![2.0f64; len]);
        let mut a = vec![0.0f64; len];
        g.throughput(Throughput::Bytes((3 * len * 8) as u64));
        g.bench_function(BenchmarkId::new(format!("t1/step-bytes-f{}", elem * 8), format!("n={n}/M={m}")), |bench| {
            bench.iter(|| {
                for ((a, b), c) in a.iter_mut().zip(&b).zip(&cc) {
                    *a = b + 0.5 * c;
                }
                black_box(&mut a);
            })
        });
        g.bench_function(BenchmarkId::new(format!("all/step-bytes-f{}", elem * 8), format!("n={n}/M={m}")), |bench| {
            bench.iter(|| {
                a.par_chunks_mut(16 * 1024).zip(b.par_chunks(16 * 1024)).zip(cc.par_chunks(16 * 1024)).for_each(|((a, b), c)| {
                    for ((a, b), c) in a.iter_mut().zip(b).zip(c) {
                        *a = b + 0.5 * c;
                    }
                });
                black_box(&mut a);
            })
        });
    }
    g.finish();
}

/// The numpy peer of the fused step, timed by the peer itself (criterion's custom timing).
fn numpy(c: &mut Criterion, n: usize, m: usize) {
    let mut g = c.benchmark_group("step-numpy");
    g.sample_size(10).warm_up_time(Duration::from_millis(100)).measurement_time(Duration::from_secs(1));
    for pot in ["quad", "tan"] {
        for dtype in ["float32", "float64"] {
            let cfg = PeerConfig { potential: pot.into(), dtype: dtype.into(), workers: m, layers: table_for(n).sizes().to_vec(), min_time: 0.3 };
            match run_peer(&[cfg]) {
                Ok(r) => {
                    let t = r[0].seconds_per_call;
                    g.bench_function(BenchmarkId::new(format!("{pot}/{dtype}"), format!("n={n}/M={m}")), |bench| {
                        bench.iter_custom(|iters| Duration::from_secs_f64(t * iters as f64))
                    });
                }
                Err(e) => eprintln!("numpy peer skipped: {e}"),
            }
        }
    }
    g.finish();
}

fn kernels(c: &mut Criterion) {
    let all = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let gpu = GpuBackend::new();
    if let Err(e) = &gpu {
        eprintln!("wgpu skipped: {e}");
    }
    for (n, m) in sizes() {
        let h = bench_state(n, m);
        bench_backend(c, "cpu-f64-t1", 8, &CpuBackend::<f64>::single_thread(), &h);
        bench_backend(c, &format!("cpu-f64-t{all}"), 8, &CpuBackend::<f64>::new(all).expect("pool"), &h);
        bench_backend(c, "cpu-f32-t1", 4, &CpuBackend::<f32>::single_thread(), &h);
        bench_backend(c, &format!("cpu-f32-t{all}"), 4, &CpuBackend::<f32>::new(all).expect("pool"), &h);
        if let Ok(g) = &gpu {
            bench_backend(c, "wgpu-f32", 4, g, &h);
        }
        if m == 4 {
            sep_prox(c, n, all, gpu.as_ref().ok());
        }
        triad(c, n, m);
        numpy(c, n, m);
    }
}

criterion_group!(benches, kernels);
criterion_main!(benches);
