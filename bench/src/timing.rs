//! A small timer for [`crate::run`]: repeat a call until a minimum time has passed, three times,
//! and keep the best mean (the least disturbed by the other processes of the machine).

use std::time::Instant;

/// Seconds per call of `f`: one warm-up call, then the best of 3 batches of ≥ `min_time`/3 each.
pub fn seconds_per_call(min_time: f64, mut f: impl FnMut()) -> f64 {
    f();
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let t0 = Instant::now();
        let mut reps = 0u32;
        loop {
            f();
            reps += 1;
            let el = t0.elapsed().as_secs_f64();
            if el >= min_time / 3.0 {
                best = best.min(el / reps as f64);
                break;
            }
        }
    }
    best
}
