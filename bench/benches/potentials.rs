//! ∇φ and ∇φ* of the paper's potentials at m = 1,000, the per-layer cost that Algorithm 1 pays.

use criterion::{Criterion, criterion_group, criterion_main};
use infconv_theory::Vector;
use infconv_theory::potential::registry;
use std::hint::black_box;

fn potentials(c: &mut Criterion) {
    let m = 1000;
    let w = Vector::from_fn(m, |i, _| 0.3 * ((i as f64) * 0.7).sin() / (m as f64).sqrt());
    for name in ["quad", "cubic", "tan", "tan-sep", "log", "log-sep"] {
        let phi = registry::build(name, m).expect("registry potential");
        let y = phi.gradient(&w).expect("w is inside every domain");
        c.bench_function(&format!("gradient/{name}/m=1000"), |b| b.iter(|| phi.gradient(black_box(&w))));
        c.bench_function(&format!("conjugate_gradient/{name}/m=1000"), |b| {
            b.iter(|| phi.conjugate_gradient(black_box(&y)))
        });
    }
}

criterion_group!(benches, potentials);
criterion_main!(benches);
