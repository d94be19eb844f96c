//! Deterministic initialisation: Caffe's "xavier" filler for the weights, U(−a, a) with
//! a = √(3/fan_in) (fan_in = in-channels·5·5 for a convolution, the input width for an FC
//! layer; Glorot & Bengio 2010 in Caffe's fan-in form), biases 0.

use super::{Arch, C1, FLAT, HIDDEN, K};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The fan-in of a weight layer by its name, None for a bias.
fn fan_in(name: &str) -> Option<usize> {
    match name {
        "conv1.w" => Some(K * K),
        "conv2.w" => Some(C1 * K * K),
        "fc1.w" | "fc.w" => Some(FLAT),
        "fc2.w" => Some(HIDDEN),
        _ => None,
    }
}

/// Parameters of `arch` from `seed` (ChaCha8): the layers are drawn in the order of the vector.
///
/// ```
/// use infconv_kernels::lenet::{Arch, init_params};
/// let w = init_params(Arch::Caffe, 7);
/// assert_eq!(w.len(), 431_080);
/// assert_eq!(w, init_params(Arch::Caffe, 7));
/// assert!(w[..500].iter().all(|x| x.abs() <= (3.0f64 / 25.0).sqrt())); // conv1.w
/// assert!(w[500..520].iter().all(|&x| x == 0.0)); // conv1.b
/// ```
pub fn init_params(arch: Arch, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(arch.num_params());
    for &(name, size) in arch.layers() {
        match fan_in(name) {
            Some(f) => {
                let a = (3.0 / f as f64).sqrt();
                out.extend((0..size).map(|_| rng.random_range(-a..a)));
            }
            None => out.extend(std::iter::repeat_n(0.0, size)),
        }
    }
    out
}
