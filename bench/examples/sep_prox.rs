//! Times the batched separable φ-prox of the bench suite on the CPU backend (f32 and f64, one and
//! two threads) at n = 431,080, with the suite's timing (repeated calls for at least 1 s).
//! `cargo run --release -p infconv-bench --example sep_prox`.

use infconv_bench::suite::time_sep_prox_cpu;
use infconv_kernels::CpuBackend;

fn main() -> Result<(), String> {
    let n = 431_080;
    let report = |name: &str, s: f64| println!("{name}: {:.2} ms ({:.0} ns/coord)", s * 1e3, s * 1e9 / n as f64);
    for threads in [1, 2] {
        let b32 = CpuBackend::<f32>::new(threads).map_err(|e| e.to_string())?;
        report(&format!("cpu-f32-t{threads}"), time_sep_prox_cpu(&b32, n, 1.0)?);
        let b64 = CpuBackend::<f64>::new(threads).map_err(|e| e.to_string())?;
        report(&format!("cpu-f64-t{threads}"), time_sep_prox_cpu(&b64, n, 1.0)?);
    }
    Ok(())
}
