//! Criterion benches of LeNet-5: the f32 worker step (forward + backward, batch 20,
//! one thread: what each of Algorithm 1's workers runs per iteration), `evaluate` on 1000
//! images (one thread), and `evaluate_dataset` on 1000 images over all cores; both
//! architectures; the wgpu worker step when there is an adapter. Inputs are seeded random images (the timings do not depend on the values).
//!
//! `cargo bench -p infconv-bench --bench lenet` (criterion's report: target/criterion/).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use infconv_kernels::lenet::{Arch, Batch, LeNetCpu, LeNetGpu, PIXELS, evaluate_dataset, init_params};
use std::hint::black_box;
use std::time::Duration;

fn data(n: usize) -> (Vec<f32>, Vec<u8>) {
    // Fixed pseudo-random images and labels.
    let mut next = infconv_bench::suite::symmetric_draws("lenet-data");
    let images = (0..n * PIXELS).map(|_| (0.5 * (next() + 1.0)) as f32).collect();
    let labels = (0..n).map(|_| ((5.0 * (next() + 1.0)) as u8).min(9)).collect();
    (images, labels)
}

fn bench_lenet(c: &mut Criterion) {
    for arch in Arch::ALL {
        let w: Vec<f32> = init_params(arch, 1).iter().map(|&x| x as f32).collect();
        let (images, labels) = data(1000);
        let mut g = c.benchmark_group(format!("lenet-{arch}"));
        g.sample_size(20).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));

        let mut net = LeNetCpu::new(arch, 20).expect("max_batch > 0");
        let mut grad = vec![0.0f32; w.len()];
        let batch = Batch::new(&images[..20 * PIXELS], &labels[..20]).expect("shapes");
        g.throughput(Throughput::Elements(20));
        g.bench_function(BenchmarkId::new("worker_step", "b=20/1 thread"), |b| {
            b.iter(|| black_box(net.loss_grad(&w, &batch, &mut grad).expect("finite")))
        });

        let all = Batch::new(&images, &labels).expect("shapes");
        let mut eval_net = LeNetCpu::new(arch, 100).expect("max_batch > 0");
        g.throughput(Throughput::Elements(1000));
        g.bench_function(BenchmarkId::new("evaluate", "n=1000/1 thread"), |b| {
            b.iter(|| black_box(eval_net.evaluate(&w, &all).expect("finite")))
        });
        g.bench_function(BenchmarkId::new("evaluate_dataset", "n=1000/all threads"), |b| {
            b.iter(|| black_box(evaluate_dataset(arch, &w, &images, &labels, 0).expect("finite")))
        });
        // The wgpu path (lavapipe where there is no GPU: a CPU device, not a GPU timing).
        match LeNetGpu::new(arch, 20) {
            Ok(mut gpu) => {
                g.throughput(Throughput::Elements(20));
                g.bench_function(BenchmarkId::new("worker_step", format!("b=20/wgpu {}", gpu.adapter())), |b| {
                    b.iter(|| black_box(gpu.loss_grad(&w, &batch, &mut grad).expect("finite")))
                });
            }
            Err(e) => eprintln!("lenet-{arch}: wgpu skipped ({e})"),
        }
        g.finish();
    }
}

criterion_group!(benches, bench_lenet);
criterion_main!(benches);
