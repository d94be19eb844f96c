//! Minibatches of Algorithm 1, line 4: every worker walks the whole training set (as in the paper's
//! experiments) in its own shuffled epochs. The order is a pure function of (seed, worker, epoch),
//! so a run resumed from a checkpoint draws exactly the batches the uninterrupted run draws.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// The sample order of one worker.
#[derive(Debug, Clone)]
pub struct Sampler {
    seed: u64,
    worker: usize,
    len: usize,
    epoch: Option<(usize, Vec<u32>)>,
}

impl Sampler {
    /// Worker j's order over `len` ≥ 1 samples.
    pub fn new(seed: u64, worker: usize, len: usize) -> Sampler {
        Sampler { seed, worker, len, epoch: None }
    }

    /// The permutation of epoch e (Fisher–Yates with a ChaCha8 stream keyed by seed, worker, e).
    pub fn permutation(seed: u64, worker: usize, epoch: usize, len: usize) -> Vec<u32> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5ee_d0fb_a7c4);
        rng.set_stream(((worker as u64) << 40) ^ epoch as u64);
        let mut p: Vec<u32> = (0..len as u32).collect();
        p.shuffle(&mut rng);
        p
    }

    /// The indices of the minibatch of iteration t (0-based): positions t·b … t·b + b − 1 of the
    /// concatenated epochs.
    pub fn batch(&mut self, t: usize, b: usize, out: &mut Vec<usize>) {
        out.clear();
        for pos in t * b..t * b + b {
            let (e, k) = (pos / self.len, pos % self.len);
            if self.epoch.as_ref().is_none_or(|(ce, _)| *ce != e) {
                self.epoch = Some((e, Self::permutation(self.seed, self.worker, e, self.len)));
            }
            out.push(self.epoch.as_ref().map(|(_, p)| p[k] as usize).unwrap_or(0));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_epoch_visits_every_sample_once_and_workers_differ() {
        let (len, b) = (103, 10);
        let mut s0 = Sampler::new(7, 0, len);
        let mut s1 = Sampler::new(7, 1, len);
        let (mut seen, mut out, mut out1) = (vec![0usize; len], Vec::new(), Vec::new());
        let mut differs = false;
        // 103 iterations of 10 = 10 whole epochs.
        for t in 0..len {
            s0.batch(t, b, &mut out);
            s1.batch(t, b, &mut out1);
            differs |= out != out1;
            for &i in &out {
                seen[i] += 1;
            }
        }
        assert!(seen.iter().all(|&c| c == 10), "every sample once per epoch: {seen:?}");
        assert!(differs, "workers must draw different orders");
    }

    #[test]
    fn batches_are_a_pure_function_of_the_iteration() {
        let mut a = Sampler::new(3, 2, 50);
        let mut fresh = Sampler::new(3, 2, 50);
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for t in 0..20 {
            a.batch(t, 7, &mut x);
        }
        a.batch(20, 7, &mut x);
        fresh.batch(20, 7, &mut y);
        assert_eq!(x, y);
    }
}
