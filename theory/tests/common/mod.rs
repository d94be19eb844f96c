//! Helpers shared by the integration tests of the theory crate. Each test binary uses some of
//! them.
#![allow(dead_code)]

use infconv_theory::Vector;
use std::sync::mpsc;
use std::time::Duration;

/// Wall-clock limit of one call in the bounded-time tests. The calls tested this way take
/// milliseconds; the limit only separates "returns" from "hangs".
pub const CALL_LIMIT: Duration = Duration::from_secs(10);

/// Runs `f` on its own thread and fails the test if it does not return within [`CALL_LIMIT`].
pub fn bounded<R: Send + 'static>(what: &str, f: impl FnOnce() -> R + Send + 'static) -> R {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(CALL_LIMIT) {
        Ok(r) => r,
        Err(e) => panic!("{what}: no answer within {CALL_LIMIT:?} ({e})"),
    }
}

/// The gradient of `value` at z by central differences with step h = 1e-6 (1 + |zᵢ|): truncation
/// O(h²|f‴|) and rounding O(ε|f|/h) are both near 1e-10 for functions with O(1) derivatives, so
/// a comparison at 1e-6 relative has a wide margin, and a wrong factor or sign misses it by
/// orders of magnitude.
pub fn central_gradient(value: impl Fn(&Vector) -> f64, z: &Vector) -> Vector {
    Vector::from_fn(z.len(), |i, _| {
        let h = 1e-6 * (1.0 + z[i].abs());
        let (mut p, mut q) = (z.clone(), z.clone());
        p[i] += h;
        q[i] -= h;
        (value(&p) - value(&q)) / (2.0 * h)
    })
}
