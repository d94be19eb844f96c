//! Prints the cost model of docs/scaling.md and writes its plot:
//! `cargo run --release -p infconv-train --example scaling -- [GRAD_MS STEP_MS_PER_WORKER] > table`
//! writes docs/scaling.svg (defaults: the figures measured in docs/scaling.md).

use infconv_train::mpi::model::{Costs, efficiency, iteration_s, svg};

fn main() -> Result<(), String> {
    let args: Vec<f64> = std::env::args().skip(1).map(|a| a.parse::<f64>().map_err(|e| format!("{a}: expected milliseconds ({e})"))).collect::<Result<_, _>>()?;
    let (grad_ms, step_ms) = match args.as_slice() {
        [] => (20.0, 0.8),
        [g, s] => (*g, *s),
        _ => return Err("expected no arguments or GRAD_MS STEP_MS_PER_WORKER".into()),
    };
    let c = Costs { grad_s: grad_ms / 1e3, step_s_per_worker: step_ms / 1e3, n: 431_080.0, latency_s: 2e-5 };
    let ps = [1usize, 2, 4, 8, 16, 32, 64, 128, 256];
    println!("| P = M | 10 Gb/s, k = 1 | 100 Gb/s, k = 1 | 10 Gb/s, k = 4 | 100 Gb/s, k = 4 |");
    println!("|---|---|---|---|---|");
    for &p in &ps {
        let cell = |g: f64, k: usize| format!("{:.1} ms ({:.0} %)", 1e3 * iteration_s(&c, p, g, k), 100.0 * efficiency(&c, p, g, k));
        println!("| {p} | {} | {} | {} | {} |", cell(10.0, 1), cell(100.0, 1), cell(10.0, 4), cell(100.0, 4));
    }
    let text = svg(&c, &ps).map_err(|e| e.to_string())?;
    std::fs::write("docs/scaling.svg", text).map_err(|e| format!("docs/scaling.svg: {e}"))?;
    eprintln!("wrote docs/scaling.svg");
    Ok(())
}
