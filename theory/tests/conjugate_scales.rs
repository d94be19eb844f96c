//! ∇φ* across the magnitudes of y: for every potential of the registry that is not a control,
//! w = ∇φ*(y) must exist and map back, ∇φ(w) = y, for ‖y‖ from 1e-300 to 1e-2 in dimensions 1 to
//! 3 (seeded random directions). The small end is where a root solve that starts from a bracket
//! of unit size has to travel hundreds of orders of magnitude (tan, tan-sep, layered-tan and cosh
//! invert ∇φ numerically); the closed forms must stay exact there too.
//!
//! The comparison is ‖∇φ(w) − y‖ / ‖y‖ with both scaled by 1/‖y‖ first (a plain norm squares
//! 1e-300 to 0), against [`ROUND_TRIP_REL`]: ∇φ is a closed form of a few operations and the root
//! is solved to a few ε relative, so the round trip is exact to a few ε times the condition of ∇φ
//! near 0 (≈ 1); 1e-10 leaves a wide margin and still catches a root that stopped early.

use infconv_theory::Vector;
use infconv_theory::linalg::scaled_norm;
use infconv_theory::potential::registry::{self, Group};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const ROUND_TRIP_REL: f64 = 1e-10;
const SEED: u64 = 300;
const SCALES: [f64; 10] = [1e-300, 1e-280, 1e-250, 1e-200, 1e-150, 1e-100, 1e-50, 1e-20, 1e-8, 1e-2];

#[test]
fn the_conjugate_gradient_inverts_the_gradient_at_every_scale() {
    println!("seed {SEED}");
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut failures = Vec::new();
    for info in registry::all().into_iter().filter(|p| p.group != Group::Control) {
        let mut worst = 0.0f64;
        for m in 1..=3 {
            let phi = info.build(m).unwrap();
            for scale in SCALES {
                let d = Vector::from_fn(m, |_, _| rng.random_range(-1.0..1.0));
                let y = &d / scaled_norm(&d) * scale;
                let back = phi.conjugate_gradient(&y).and_then(|w| phi.gradient(&w));
                match back {
                    Ok(g) => {
                        let r = scaled_norm(&((&g - &y) / scale));
                        worst = worst.max(r);
                        if !(r <= ROUND_TRIP_REL) {
                            failures.push(format!("{} m = {m} ‖y‖ = {scale:e}: ‖∇φ(∇φ*(y)) − y‖/‖y‖ = {r:e}", info.name));
                        }
                    }
                    Err(e) => failures.push(format!("{} m = {m} ‖y‖ = {scale:e}: {e}", info.name)),
                }
            }
        }
        println!("{:12} worst round trip {worst:.1e}", info.name);
    }
    assert!(failures.is_empty(), "seed {SEED}:\n{}", failures.join("\n"));
}
