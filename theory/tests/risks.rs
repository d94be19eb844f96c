//! The empirical risks of section 5.2 against their definitions: the mean loss and its gradient
//! over a minibatch (16), the gradient against central differences of the loss, and the values
//! that follow from the definitions without the code (the least-squares sum written out, the
//! logistic loss log 2 at z = 0, the label symmetry of logistic regression).

mod common;

use common::central_gradient;
use infconv_theory::distributed::EmpiricalRisk;
use infconv_theory::distributed::least_squares::LeastSquares;
use infconv_theory::distributed::logistic::Logistic;
use infconv_theory::distributed::mlp::TinyMlp;
use infconv_theory::distributed::risk::minibatch;
use infconv_theory::random::SeedGen;
use infconv_theory::{Matrix, Vector};
use rand::SeedableRng;

const SEED: u64 = 52;

/// Central differences of the loss (see `common::central_gradient`).
const DIFF_REL: f64 = 1e-6;

fn normal_vector(g: &mut SeedGen, d: usize) -> Vector {
    Vector::from_fn(d, |_, _| g.normal())
}

fn risks() -> Vec<(&'static str, Box<dyn EmpiricalRisk>)> {
    vec![
        ("least squares", Box::new(LeastSquares::generated(40, 4, SEED).unwrap())),
        ("logistic", Box::new(Logistic::generated(40, 4, SEED).unwrap())),
        ("tiny MLP", Box::new(TinyMlp::generated(40, 3, 4, SEED).unwrap())),
    ]
}

/// ∇ of the mean loss against central differences, over the full data and a minibatch with a
/// repeated index, at random points; and the minibatch mean is the mean of the one-sample losses.
#[test]
fn gradients_match_central_differences_and_batches_average() {
    let mut worst = 0.0f64;
    for (name, f) in risks() {
        let mut g = SeedGen::new(SEED, name);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(SEED);
        for trial in 0..4 {
            let z = normal_vector(&mut g, f.dim()) * 0.7;
            let batch = if trial == 0 { (0..f.samples()).collect() } else { let mut b = minibatch(&mut rng, f.samples(), 6); b.push(b[0]); b };
            let (loss, grad) = f.loss_and_gradient(&z, &batch).unwrap();
            let fd = central_gradient(|x| f.loss_and_gradient(x, &batch).unwrap().0, &z);
            let rel = (&grad - &fd).norm() / fd.norm().max(1e-3);
            worst = worst.max(rel);
            assert!(rel <= DIFF_REL, "{name} (seed {SEED}, trial {trial}): ∇ off central differences by {rel:e} relative");
            let singles: Vec<(f64, Vector)> = batch.iter().map(|&i| f.loss_and_gradient(&z, &[i]).unwrap()).collect();
            let k = batch.len() as f64;
            let mean_loss = singles.iter().map(|s| s.0).sum::<f64>() / k;
            let mean_grad = singles.iter().fold(Vector::zeros(f.dim()), |acc, s| acc + &s.1) / k;
            assert!((loss - mean_loss).abs() <= 1e-13 * (1.0 + loss.abs()), "{name}: batch loss {loss}, mean of singles {mean_loss}");
            assert!((&grad - &mean_grad).norm() <= 1e-13 * (1.0 + grad.norm()), "{name}: batch gradient is not the mean of singles");
            if trial == 0 {
                let (fl, fg) = f.full(&z).unwrap();
                assert_eq!((fl, fg), (loss, grad), "{name}: full() is the batch of every sample");
            }
        }
    }
    println!("risks: worst relative gap of ∇ to central differences {worst:.2e}");
}

/// The least-squares loss written out from the data handed in: (1/2|B|) Σ_{i∈B} (aᵢᵀz − bᵢ)².
#[test]
fn least_squares_is_half_the_mean_squared_residual() {
    let a = Matrix::from_row_slice(3, 2, &[1.0, 2.0, -1.0, 0.5, 0.0, 3.0]);
    let b = Vector::from_vec(vec![1.0, -2.0, 0.5]);
    let f = LeastSquares::new(a, b).unwrap();
    assert_eq!((f.dim(), f.samples(), f.layers()), (2, 3, vec![2]));
    let z = Vector::from_vec(vec![0.5, -1.0]);
    // Residuals: 0.5 − 2 − 1 = −2.5; −0.5 − 0.5 + 2 = 1; −3 − 0.5 = −3.5.
    let (loss, grad) = f.loss_and_gradient(&z, &[0, 2]).unwrap();
    assert!((loss - (6.25 + 12.25) / 4.0).abs() <= 1e-15, "loss {loss}");
    let want = Vector::from_vec(vec![-2.5 * 1.0 + 0.0, -2.5 * 2.0 - 3.5 * 3.0]) / 2.0;
    assert!((&grad - &want).norm() <= 1e-15, "gradient {grad:?}, by hand {want:?}");
    assert!(LeastSquares::new(Matrix::zeros(0, 2), Vector::zeros(0)).is_err());
    assert!(LeastSquares::new(Matrix::zeros(3, 2), Vector::zeros(2)).is_err());
    assert!(f.loss_and_gradient(&z, &[]).is_err(), "an empty batch");
    assert!(f.loss_and_gradient(&z, &[3]).is_err(), "an index past the samples");
    assert!(f.loss_and_gradient(&Vector::zeros(3), &[0]).is_err(), "a parameter of the wrong length");
}

/// With z = 0 every margin is 0 and the logistic loss of each sample is log(1 + e⁰) = log 2, for
/// logistic regression and the MLP alike; the MLP's output there depends only on b₂, whose
/// derivative is the mean of −hᵢ/2. Flipping every label (flip = 1 against flip = 0, same seed and
/// so the same design) maps the loss at z to the loss at −z for logistic regression.
#[test]
fn logistic_losses_at_zero_and_under_label_flips() {
    let ln2 = std::f64::consts::LN_2;
    let lr = Logistic::generated(30, 3, SEED).unwrap();
    let (l0, g0) = lr.full(&Vector::zeros(3)).unwrap();
    assert!((l0 - ln2).abs() <= 1e-15, "logistic loss at 0: {l0}, log 2 = {ln2}");
    assert!(g0.norm() > 0.1, "the labels follow a direction, so ∇ at 0 does not vanish: {g0:?}");
    let clean = Logistic::with_label_noise(30, 3, 0.0, SEED).unwrap();
    let flipped = Logistic::with_label_noise(30, 3, 1.0, SEED).unwrap();
    let mut g = SeedGen::new(SEED, "flip");
    for _ in 0..3 {
        let z = normal_vector(&mut g, 3);
        let (a, b) = (clean.full(&z).unwrap().0, flipped.full(&-&z).unwrap().0);
        assert!((a - b).abs() <= 1e-14 * a, "flipping every label: loss(z) = {a}, flipped loss(−z) = {b}");
    }
    for bad in [-0.1, 1.5, f64::NAN] {
        assert!(Logistic::with_label_noise(30, 3, bad, SEED).is_err(), "flip = {bad}");
    }
    assert!(Logistic::generated(0, 3, SEED).is_err() && Logistic::generated(3, 0, SEED).is_err());
    let mlp = TinyMlp::generated(30, 2, 3, SEED).unwrap();
    assert_eq!((mlp.dim(), mlp.layers()), (3 * 2 + 2 * 3 + 1, vec![6, 3, 3, 1]));
    let (l0, g0) = mlp.full(&Vector::zeros(mlp.dim())).unwrap();
    assert!((l0 - ln2).abs() <= 1e-15, "MLP loss at 0: {l0}");
    assert!(g0.rows(0, mlp.dim() - 1).norm() == 0.0, "at 0 only b₂ moves the output: {g0:?}");
    let start = mlp.initial(SEED);
    assert_eq!(start, mlp.initial(SEED), "the initial point is a function of the seed");
    assert!(start.norm() > 0.1 && start != mlp.initial(SEED + 1), "a random, seed-dependent start off the saddle at 0");
    for (n, d, k) in [(0, 2, 3), (5, 1, 3), (5, 2, 0)] {
        assert!(TinyMlp::generated(n, d, k, SEED).is_err(), "n = {n}, d = {d}, hidden = {k}");
    }
}

/// The tiny MLP's labels are sign(x₁x₂): a network written by hand to compute that sign fits them.
/// With four tanh units on ±c(x₁ + x₂) and ±c(x₁ − x₂), each with bias −1, the pair on
/// s = x₁ ± x₂ sums to an even function f of s that increases with |s|, so
/// out = α(f(x₁ + x₂) − f(x₁ − x₂)) has the sign of |x₁ + x₂| − |x₁ − x₂|, that is of x₁x₂. At
/// c = 1, α = 50 its mean logistic loss must be far below log 2 (the loss of a constant 0) and
/// the opposite network's far above: labels of one class only, or unrelated to x₁x₂, cannot give
/// both.
#[test]
fn the_tiny_mlp_labels_are_the_sign_of_x1_x2() {
    let (n, d, k) = (400, 3, 4);
    let mlp = TinyMlp::generated(n, d, k, SEED).unwrap();
    let c = 1.0;
    let rows = [[c, c], [-c, -c], [c, -c], [-c, c]];
    let net = |alpha: f64| {
        let mut z = Vector::zeros(mlp.dim());
        for (j, r) in rows.iter().enumerate() {
            z[j * d] = r[0];
            z[j * d + 1] = r[1];
            z[k * d + j] = -1.0;
            z[k * d + k + j] = if j < 2 { alpha } else { -alpha };
        }
        z
    };
    let all: Vec<usize> = (0..n).collect();
    let fit = mlp.loss_and_gradient(&net(50.0), &all).unwrap().0;
    let anti = mlp.loss_and_gradient(&net(-50.0), &all).unwrap().0;
    println!("sign(x₁x₂) network: mean loss {fit:.3}; its opposite {anti:.3} (log 2 = 0.693)");
    assert!(fit < 0.2 && anti > 3.0, "mean loss {fit} of the sign(x₁x₂) network, {anti} of its opposite");
}
