//! `A5`: φ(0) = 0 and ∇φ(0) = 0, directly, to [`A5_ABS`].

use crate::outcome::{Outcome, Part};
use crate::tolerance::A5_ABS;
use infconv_theory::{Legendre, Vector};
use rand_chacha::ChaCha8Rng;

/// Runs `A5` on φ in dimension m (the stream is unused: the check is deterministic).
pub fn check(phi: &dyn Legendre, m: usize, _rng: &mut ChaCha8Rng) -> Outcome {
    let zero = Vector::zeros(m);
    let v = phi.value(&zero).map(f64::abs).unwrap_or(f64::NAN);
    let g = phi.gradient(&zero).map(|g| g.norm()).unwrap_or(f64::NAN);
    Outcome::from_parts(
        vec![Part::upper("|φ(0)|", v, A5_ABS, 1, String::new()), Part::upper("‖∇φ(0)‖", g, A5_ABS, 1, String::new())],
        "",
    )
}
