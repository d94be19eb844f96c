//! One LeNet-5 worker step of Algorithm 1 on the CPU backend, timed the way
//! `bench/peers/lenet_torch.py` times PyTorch's: forward, backward (batch 20, f32) and the
//! worker update of the log potential per layer with Nesterov momentum (ν = 1e-4, λ = 0.05,
//! σ = 0.005, κ = 0.9; u = z + noise with ‖u − z‖² = 0.1 per layer), one thread, median / p10 /
//! p90 of 200 steps after 20 warm-up steps, on one fixed random batch.
//!
//! `cargo run --release -p infconv-bench --example lenet_step [-- --json]`

use infconv_kernels::lenet::{Arch, Batch, LeNetCpu, PIXELS, init_params};
use infconv_kernels::{Backend, CpuBackend, HostState, Params, PotentialKind};
use std::time::Instant;

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let arch = Arch::Caffe;
    let layers = arch.layer_table();
    let z: Vec<f64> = init_params(arch, 1).iter().map(|&x| x as f32 as f64).collect();
    // u = z + w with ‖w‖² = 0.1 on every layer (inside the log domain ‖w‖ < 1).
    let mut draw = infconv_bench::suite::symmetric_draws("lenet-step");
    let mut next = move || 0.5 * draw();
    let mut u = z.clone();
    for l in 0..layers.num_layers() {
        let r = layers.range(l);
        let w: Vec<f64> = r.clone().map(|_| next()).collect();
        let norm = w.iter().map(|a| a * a).sum::<f64>().sqrt();
        for (i, wi) in r.zip(w) {
            u[i] += wi * (0.1f64).sqrt() / norm;
        }
    }
    let images: Vec<f32> = (0..20 * PIXELS).map(|_| (next() + 0.5) as f32).collect();
    let labels: Vec<u8> = (0..20).map(|k| (k % 10) as u8).collect();
    let batch = Batch::new(&images, &labels).expect("shapes");

    let backend = CpuBackend::<f32>::single_thread();
    let host = HostState::at_rest(layers.clone(), 1, u, z).expect("shapes");
    let mut st = backend.load(&host).expect("load");
    let mut p = Params::new(PotentialKind::Log);
    p.lambda = 0.05;
    p.sigma = 0.005;
    p.kappa = 0.9;
    p.nu = 1e-4;
    let mut net = LeNetCpu::new(arch, 20).expect("net");
    let mut grad = vec![0f32; layers.len()];
    let mut times = Vec::new();
    for k in 0..220 {
        let t0 = Instant::now();
        let zj = st.z_of(0).expect("worker 0").to_vec();
        net.loss_grad(&zj, &batch, &mut grad).expect("finite");
        backend.set_delta_native(&mut st, &grad).expect("δ");
        backend.worker_step(&mut st, &p).expect("step");
        if k >= 20 {
            times.push(t0.elapsed().as_secs_f64() * 1e3);
        }
    }
    times.sort_by(f64::total_cmp);
    let q = |f: f64| times[((times.len() - 1) as f64 * f).round() as usize];
    if json {
        println!(
            "{{\"framework\": \"infconv\", \"threads\": 1, \"batch\": 20, \"params\": {}, \"median_ms\": {:.3}, \"p10_ms\": {:.3}, \"p90_ms\": {:.3}}}",
            layers.len(),
            q(0.5),
            q(0.1),
            q(0.9)
        );
    } else {
        println!("LeNet-5 worker step (forward, backward, log update), batch 20, 1 thread: median {:.2} ms (p10 {:.2}, p90 {:.2})", q(0.5), q(0.1), q(0.9));
    }
}
