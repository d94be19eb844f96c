//! Random draws shared by the generators of the theory crate and the checks: [`SeedGen`], the
//! deterministic generator of the seeded families and test points, over `rand_chacha`'s
//! ChaCha8, and the Box–Muller transform.

use crate::Vector;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Box–Muller: a standard normal from two uniforms u₁ ∈ (0, 1], u₂ ∈ [0, 1).
pub fn box_muller(u1: f64, u2: f64) -> f64 {
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A standard normal draw from any `rand` generator.
pub fn normal(rng: &mut impl Rng) -> f64 {
    let u1 = 1.0 - rng.random::<f64>(); // (0, 1]
    let u2 = rng.random::<f64>();
    box_muller(u1, u2)
}

/// One SplitMix64 step: a bijective 64-bit mixer (used only to spread (seed, label) over the
/// 32-byte ChaCha seed).
fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a of a byte sequence: stable across Rust versions and platforms (unlike `DefaultHasher`).
fn fnv1a_bytes(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// FNV-1a of the label.
fn fnv1a(label: &str) -> u64 {
    fnv1a_bytes(label.bytes())
}

/// The 32-byte ChaCha seed of (seed, label): the seed itself, then three words mixing the
/// label's FNV-1a hash with the seed. Deterministic, and distinct labels give unrelated streams.
pub fn chacha_seed(seed: u64, label: &str) -> [u8; 32] {
    let h = fnv1a(label);
    let words = [seed, splitmix(h ^ seed), splitmix(h.rotate_left(32) ^ splitmix(seed)), splitmix(h ^ 0x5EED)];
    let mut out = [0u8; 32];
    for (k, w) in words.iter().enumerate() {
        out[8 * k..8 * k + 8].copy_from_slice(&w.to_le_bytes());
    }
    out
}

/// The random stream of a list of labels (a check, a potential, a family, a dimension…): ChaCha8
/// seeded from the seed mixed with the FNV-1a hash of the labels (each closed by a 0xff byte). A
/// record, a benchmark or a test draws from its own stream, so it replays identically whatever
/// else runs; ChaCha8Rng is value-stable across platforms and rand_chacha releases.
pub fn stream(seed: u64, labels: &[&str]) -> ChaCha8Rng {
    let bytes = labels.iter().flat_map(|l| l.bytes().chain(std::iter::once(0xff)));
    ChaCha8Rng::seed_from_u64(seed ^ fnv1a_bytes(bytes))
}

/// A uniform draw in [lo, hi).
pub fn uniform(rng: &mut impl Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.random::<f64>()
}

/// A log-uniform draw in [lo, hi) (lo > 0).
pub fn log_uniform(rng: &mut impl Rng, lo: f64, hi: f64) -> f64 {
    (uniform(rng, lo.ln(), hi.ln())).exp()
}

/// A direction drawn uniformly from the unit sphere of ℝᵐ.
pub fn unit_direction(rng: &mut impl Rng, m: usize) -> Vector {
    loop {
        let d = Vector::from_fn(m, |_, _| normal(rng));
        let n = d.norm();
        if n > 1e-12 {
            return d / n;
        }
    }
}

/// The deterministic generator of the theory crate: ChaCha8 seeded from (seed, label), so that
/// the families of one seed differ by label and every draw is reproducible from the two.
#[derive(Debug, Clone)]
pub struct SeedGen(ChaCha8Rng);

impl SeedGen {
    /// A generator from a seed and a label (so that families of one seed differ).
    pub fn new(seed: u64, label: &str) -> Self {
        SeedGen(ChaCha8Rng::from_seed(chacha_seed(seed, label)))
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    /// Uniform in [0, 1) (53 random bits).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [lo, hi).
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        box_muller(u1, u2)
    }
    /// ±1.
    pub fn sign(&mut self) -> f64 {
        if self.next_u64() & 1 == 0 { 1.0 } else { -1.0 }
    }
    /// A uniform unit vector of ℝᵐ.
    pub fn direction(&mut self, m: usize) -> Vector {
        loop {
            let d = Vector::from_fn(m, |_, _| self.normal());
            let n = d.norm();
            if n > 1e-9 {
                return d / n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_label_dependent() {
        let draw = |seed, label| {
            let mut g = SeedGen::new(seed, label);
            (0..4).map(|_| g.next_u64()).collect::<Vec<_>>()
        };
        assert_eq!(draw(7, "ellipse"), draw(7, "ellipse"));
        assert_ne!(draw(7, "ellipse"), draw(7, "sphere"));
        assert_ne!(draw(7, "ellipse"), draw(8, "ellipse"));
        let mut g = SeedGen::new(1, "x");
        for _ in 0..1000 {
            let u = g.unit();
            assert!((0.0..1.0).contains(&u));
        }
        assert!((g.direction(3).norm() - 1.0).abs() < 1e-15);
    }
}
