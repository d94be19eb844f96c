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

    /// The published reference outputs: SplitMix64 (Vigna) from state 0 gives 0xe220a8397b1dcdaf,
    /// then 0x6e789e6aa1b965f4; FNV-1a 64 (Fowler, Noll, Vo) of "", "a" and "foobar" is
    /// 0xcbf29ce484222325, 0xaf63dc4c8601ec8c, 0x85944171f73967e8.
    #[test]
    fn mixers_match_their_reference_vectors() {
        assert_eq!(splitmix(0), 0xe220_a839_7b1d_cdaf);
        assert_eq!(splitmix(0x9E37_79B9_7F4A_7C15), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a("foobar"), 0x8594_4171_f739_67e8);
        let seed = chacha_seed(7, "ellipse");
        assert_eq!(seed[..8], 7u64.to_le_bytes(), "the first word is the seed itself");
        let h = fnv1a("ellipse");
        assert_eq!(seed[8..16], splitmix(h ^ 7).to_le_bytes());
        assert_eq!(seed[16..24], splitmix(h.rotate_left(32) ^ splitmix(7)).to_le_bytes());
        assert_eq!(seed[24..], splitmix(h ^ 0x5EED).to_le_bytes());
    }

    /// Box–Muller at points where it is known: u₁ = 1 gives 0, u₁ = e^{−1/2} with u₂ = 0 gives 1,
    /// u₁ = e^{−2} with u₂ = ½ gives −2.
    #[test]
    fn box_muller_at_known_points() {
        assert_eq!(box_muller(1.0, 0.3), 0.0);
        assert!((box_muller((-0.5f64).exp(), 0.0) - 1.0).abs() <= 1e-15);
        assert!((box_muller((-2.0f64).exp(), 0.5) + 2.0).abs() <= 1e-15);
    }

    /// The draws have their distributions: 40,000 draws put the sample mean of a standard normal
    /// within 5 standard errors (5/√n = 0.025) of 0 and its variance within 5·√(2/n) = 0.035 of 1;
    /// uniform and log-uniform draws stay in [lo, hi) with the mean of x (uniform) or of ln x
    /// (log-uniform) within 5 standard errors of the midpoint; unit directions have norm 1 and
    /// mean near 0 (each coordinate has variance 1/m).
    #[test]
    fn draws_have_their_distributions() {
        const N: usize = 40_000;
        let five_se = |var: f64| 5.0 * (var / N as f64).sqrt();
        let mut rng = stream(11, &["random-test"]);
        let mut g = SeedGen::new(11, "random-test");
        let xs: Vec<f64> = (0..N).map(|_| normal(&mut rng)).collect();
        let ys: Vec<f64> = (0..N).map(|_| g.normal()).collect();
        for (name, v) in [("normal", &xs), ("SeedGen::normal", &ys)] {
            let mean = v.iter().sum::<f64>() / N as f64;
            let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / N as f64;
            assert!(mean.abs() <= five_se(1.0) && (var - 1.0).abs() <= five_se(2.0), "{name}: mean {mean}, variance {var}");
        }
        let (lo, hi) = (2.0, 5.0);
        let us: Vec<f64> = (0..N).map(|_| uniform(&mut rng, lo, hi)).collect();
        let gs: Vec<f64> = (0..N).map(|_| g.uniform(lo, hi)).collect();
        for (name, v) in [("uniform", &us), ("SeedGen::uniform", &gs)] {
            assert!(v.iter().all(|x| (lo..hi).contains(x)), "{name} left [{lo}, {hi})");
            let mean = v.iter().sum::<f64>() / N as f64;
            assert!((mean - 3.5).abs() <= five_se(0.75), "{name}: mean {mean}");
        }
        let ls: Vec<f64> = (0..N).map(|_| log_uniform(&mut rng, 1e-3, 1e3)).collect();
        assert!(ls.iter().all(|x| (1e-3..1e3 * (1.0 + 1e-15)).contains(x)), "log-uniform left its range");
        let mean_log = ls.iter().map(|x| x.ln()).sum::<f64>() / N as f64;
        let span = 2.0 * 1e3f64.ln();
        assert!(mean_log.abs() <= five_se(span * span / 12.0), "log-uniform: mean of ln x {mean_log}");
        let m = 3;
        let mut sum = Vector::zeros(m);
        let mut sum_g = Vector::zeros(m);
        for _ in 0..N {
            let d = unit_direction(&mut rng, m);
            let e = g.direction(m);
            assert!((d.norm() - 1.0).abs() <= 4.0 * f64::EPSILON && (e.norm() - 1.0).abs() <= 4.0 * f64::EPSILON);
            sum += d;
            sum_g += e;
        }
        for (name, s) in [("unit_direction", sum), ("SeedGen::direction", sum_g)] {
            assert!(s.iter().all(|x| (x / N as f64).abs() <= five_se(1.0 / m as f64)), "{name}: mean {:?}", s / N as f64);
        }
        let signs: f64 = (0..N).map(|_| g.sign()).sum();
        assert!((signs / N as f64).abs() <= five_se(1.0), "sign: mean {}", signs / N as f64);
    }

    /// A stream is a function of the seed and the labels, and the label boundaries count.
    #[test]
    fn streams_depend_on_seed_and_labels() {
        let draw = |seed, labels: &[&str]| {
            let mut r = stream(seed, labels);
            (0..3).map(|_| r.next_u64()).collect::<Vec<_>>()
        };
        assert_eq!(draw(3, &["a", "b"]), draw(3, &["a", "b"]));
        assert_ne!(draw(3, &["a", "b"]), draw(3, &["ab"]));
        assert_ne!(draw(3, &["a", "b"]), draw(4, &["a", "b"]));
    }
}
