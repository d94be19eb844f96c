//! Algorithm 1 with quad is synchronous EASGD (Zhang, Choromanska, LeCun 2015): the consensus step
//! with τ = 1/(2M) is the arithmetic mean, and the iterates equal those of a direct implementation
//! of EASGD's equations written here independently.

use infconv_theory::distributed::algorithm1::worker_rng;
use infconv_theory::distributed::least_squares::LeastSquares;
use infconv_theory::distributed::risk::minibatch;
use infconv_theory::distributed::{Algorithm1, Config, Consensus, EmpiricalRisk, Order};
use infconv_theory::potential::layerwise::Layerwise;
use infconv_theory::potential::log::Log;
use infconv_theory::potential::quad::Quad;
use infconv_theory::potential::scaled::Scaled;
use infconv_theory::{Domain, Vector};
use std::sync::Arc;

const SEED: u64 = 2015;

fn problem() -> Arc<dyn EmpiricalRisk> {
    Arc::new(LeastSquares::generated(60, 5, SEED).unwrap())
}

fn config(m: usize, kappa: f64, batch: Option<usize>) -> Config {
    Config { workers: m, lambda: 0.5, tau: 0.0, sigma: 0.05, kappa, nu: 1e-3, batch, seed: SEED, order: Order::Jacobi, fraction: 0.99, consensus: Consensus::Linearized }
}

/// Synchronous EASGD, equations (5)–(6) of Zhang et al. (2015), with elastic coefficient ρ and
/// learning rate η, every worker running Nesterov momentum δ (look-ahead form v ← δv − η g(x + δv),
/// x ← x + v) on its elastic objective f(x) + (ν/2)‖x‖² + (ρ/2)‖x − x̃‖²; the center moves by
/// ηρ Σᵢ (yⁱ − x̃) at the workers' look-ahead points yⁱ = xⁱ + δvⁱ (δ = 0: plain EASGD).
/// Returns the center and the look-ahead points after each iteration.
fn easgd_reference(f: &dyn EmpiricalRisk, m: usize, eta: f64, rho: f64, delta: f64, nu: f64, batch: Option<usize>, iters: usize) -> Vec<(Vector, Vec<Vector>)> {
    let d = f.dim();
    let mut center = Vector::zeros(d);
    let mut x = vec![Vector::zeros(d); m];
    let mut v = vec![Vector::zeros(d); m];
    let mut rngs: Vec<_> = (0..m).map(|j| worker_rng(SEED, j)).collect();
    let mut out = Vec::new();
    for _ in 0..iters {
        let look: Vec<Vector> = (0..m).map(|i| &x[i] + &v[i] * delta).collect();
        let new_center = &center + look.iter().map(|y| (y - &center) * (eta * rho)).sum::<Vector>();
        for i in 0..m {
            let b = match batch {
                Some(b) => minibatch(&mut rngs[i], f.samples(), b),
                None => (0..f.samples()).collect(),
            };
            let g = f.loss_and_gradient(&look[i], &b).unwrap().1 + &look[i] * nu + (&look[i] - &center) * rho;
            v[i] = &v[i] * delta - g * eta;
            x[i] += &v[i];
        }
        center = new_center;
        out.push((center.clone(), (0..m).map(|i| &x[i] + &v[i] * delta).collect()));
    }
    out
}

/// Runs Algorithm 1 with quad alongside a reference trajectory and returns the largest relative
/// difference of the consensus and the copies over all iterations.
fn largest_difference(c: Config, f: Arc<dyn EmpiricalRisk>, reference: &[(Vector, Vec<Vector>)]) -> f64 {
    let m = c.workers;
    let mut alg = Algorithm1::new(c, vec![f; m], Arc::new(Quad::new()), Vector::zeros(5)).unwrap();
    let mut worst: f64 = 0.0;
    for (center, looks) in reference {
        alg.step().unwrap();
        worst = worst.max(rel(&alg.u, center));
        for j in 0..m {
            worst = worst.max(rel(&alg.z[j], &looks[j]));
        }
    }
    worst
}

fn rel(a: &Vector, b: &Vector) -> f64 {
    (a - b).norm() / b.norm().max(1e-300)
}

#[test]
fn quad_with_tau_one_over_2m_averages_the_copies() {
    for m in [2, 4, 8] {
        let mut c = config(m, 0.9, Some(5));
        c.tau = 1.0 / (2.0 * m as f64);
        let mut alg = Algorithm1::new(c, vec![problem(); m], Arc::new(Quad::new()), Vector::zeros(5)).unwrap();
        alg.run(3).unwrap(); // copies now differ (different minibatches)
        for _ in 0..5 {
            let before = alg.z.clone();
            let mean = before.iter().sum::<Vector>() / m as f64;
            alg.step().unwrap();
            assert!(rel(&alg.u, &mean) <= 1e-14, "M = {m}: u − mean = {:e}", rel(&alg.u, &mean));
        }
        let spread = alg.z.iter().map(|z| (z - &alg.u).norm()).fold(0.0, f64::max);
        assert!(spread > 1e-6, "the test must see different copies (spread {spread:e})");
    }
}

#[test]
fn iterates_equal_synchronous_easgd() {
    let f = problem();
    for (kappa, batch) in [(0.0, Some(5)), (0.9, Some(5)), (0.9, None)] {
        let m = 4;
        let mut c = config(m, kappa, batch);
        // quad: ∇φ̂ = 2w, so (1/λ)∇φ̂ = ρ w with ρ = 2/λ; η = σ; center step ηρ = 2τ.
        let rho = 2.0 / c.lambda;
        c.tau = c.sigma * rho / 2.0;
        let reference = easgd_reference(f.as_ref(), m, c.sigma, rho, kappa, c.nu, batch, 40);
        let worst = largest_difference(c, f.clone(), &reference);
        println!("κ = {kappa}, batch {batch:?}: worst relative difference {worst:.3e} over 40 iterations");
        assert!(worst <= 1e-12, "κ = {kappa}: Algorithm 1 and EASGD differ by {worst:e}");
    }
}

#[test]
fn bounded_potentials_cut_steps_and_stay_in_the_domain() {
    let f = problem();
    let m = 4;
    // Large steps and a small domain: log per layer with η = 0.05 (radius 0.05).
    let phi = Arc::new(Layerwise::new(Scaled::new(Log::new(), 0.05).unwrap(), vec![3, 2]).unwrap());
    let mut c = config(m, 0.9, Some(5));
    c.sigma = 0.5;
    c.tau = 0.5;
    let mut alg = Algorithm1::new(c, vec![f; m], phi.clone(), Vector::zeros(5)).unwrap();
    for _ in 0..200 {
        alg.step().unwrap();
        for z in &alg.z {
            assert!(phi.contains(&(&alg.u - z)), "u − zⱼ left dom φ̂ at iteration {}", alg.iterations);
        }
    }
    assert!(alg.cuts > 0, "these steps must be cut");
    println!("{} cuts in {} iterations", alg.cuts, alg.iterations);
}

#[test]
fn bad_configurations_are_rejected() {
    let f = problem();
    let phi = Arc::new(Quad::new());
    let base = Config { tau: 0.1, ..config(2, 0.9, Some(5)) };
    let cases: Vec<(&str, Config)> = vec![
        ("workers", Config { workers: 0, ..base.clone() }),
        ("λ", Config { lambda: 0.0, ..base.clone() }),
        ("τ", Config { tau: -1.0, ..base.clone() }),
        ("κ", Config { kappa: 1.0, ..base.clone() }),
        ("batch", Config { batch: Some(0), ..base.clone() }),
    ];
    for (name, c) in cases {
        let err = Algorithm1::new(c, vec![f.clone(); 2], phi.clone(), Vector::zeros(5)).err().expect("rejected");
        assert!(err.to_string().contains(name), "{name}: {err}");
    }
    let mut ok = base.clone();
    ok.tau = 0.1;
    assert!(Algorithm1::new(ok.clone(), vec![f.clone(); 3], phi.clone(), Vector::zeros(5)).is_err(), "3 risks for 2 workers");
    assert!(Algorithm1::new(ok, vec![f.clone(); 2], phi, Vector::zeros(4)).is_err(), "wrong dimension");
}

/// The comparison above can fail: Algorithm 1 in Gauss–Seidel order (line 5 linearizes at u^{t+1})
/// is not synchronous EASGD, and the same comparison flags it.
#[test]
fn gauss_seidel_order_is_not_easgd() {
    let f = problem();
    let m = 4;
    let mut c = config(m, 0.9, Some(5));
    let rho = 2.0 / c.lambda;
    c.tau = c.sigma * rho / 2.0;
    c.order = Order::GaussSeidel;
    let reference = easgd_reference(f.as_ref(), m, c.sigma, rho, 0.9, c.nu, Some(5), 40);
    let worst = largest_difference(c, f.clone(), &reference);
    assert!(worst > 1e-6, "Gauss–Seidel must differ from EASGD, differs by {worst:e}");
}

/// Algorithm 1 on the nonconvex tiny MLP with a bounded layerwise potential (log per layer, η = 1),
/// stochastic with momentum: the training loss falls, the copies stay in dom φ̂, and the
/// backpropagated gradient matches central differences.
#[test]
fn algorithm1_trains_the_tiny_mlp() {
    use infconv_theory::distributed::mlp::TinyMlp;
    let mlp = TinyMlp::generated(200, 2, 8, SEED).unwrap();
    let init = mlp.initial(SEED);
    // Backpropagation against central differences (f64, relative 1e-6).
    let all: Vec<usize> = (0..mlp.samples()).collect();
    let (_, g) = mlp.loss_and_gradient(&init, &all).unwrap();
    let h = 1e-6;
    for i in 0..init.len() {
        let (mut p, mut q) = (init.clone(), init.clone());
        p[i] += h;
        q[i] -= h;
        let d = (mlp.loss_and_gradient(&p, &all).unwrap().0 - mlp.loss_and_gradient(&q, &all).unwrap().0) / (2.0 * h);
        assert!((d - g[i]).abs() <= 1e-6 * g.norm().max(1.0), "parameter {i}: backprop {} vs central difference {d}", g[i]);
    }
    let f: Arc<dyn EmpiricalRisk> = Arc::new(mlp.clone());
    let phi = Arc::new(Layerwise::new(Log::new(), mlp.layers()).unwrap());
    let c = Config { workers: 4, lambda: 1.0, tau: 0.05, sigma: 0.2, kappa: 0.9, nu: 1e-4, batch: Some(20), seed: SEED, order: Order::Jacobi, fraction: 0.99, consensus: Consensus::Linearized };
    let mut alg = Algorithm1::new(c, vec![f.clone(); 4], phi.clone(), init.clone()).unwrap();
    let before = f.full(&init).unwrap().0;
    for _ in 0..4000 {
        alg.step().unwrap();
        for z in &alg.z {
            assert!(phi.contains(&(&alg.u - z)));
        }
    }
    let after = f.full(&alg.u).unwrap().0;
    println!("tiny MLP: loss {before:.4} → {after:.4} after 4000 iterations ({} cuts)", alg.cuts);
    assert!(after < 0.5 * before, "the consensus model must learn: {before} → {after}");
}

/// The exact consensus step (14a) with quad is the mean of the copies whatever τ is (the
/// minimizer of Σⱼ ‖u − zⱼ‖²), and with cubic it brings u to the point where Σⱼ ∇φ̂(u − zⱼ) = 0.
#[test]
fn the_exact_consensus_step_minimizes_the_coupling() {
    use infconv_theory::potential::cubic::Cubic;

    let f = problem();
    for exact_with_cubic in [false, true] {
        let mut c = config(4, 0.9, Some(5));
        c.tau = 0.01; // irrelevant to the exact step
        let phi: Arc<dyn infconv_theory::Legendre> = if exact_with_cubic { Arc::new(Cubic::new()) } else { Arc::new(Quad::new()) };
        let mut alg = Algorithm1::new(c, vec![f.clone(); 4], phi.clone(), Vector::zeros(5)).unwrap();
        alg.run(3).unwrap();
        alg.set_consensus(Consensus::Exact);
        let before = alg.z.clone();
        alg.step().unwrap();
        let sum: Vector = before.iter().map(|z| phi.gradient(&(&alg.u - z)).unwrap()).sum();
        let scale: f64 = before.iter().map(|z| phi.gradient(&(&alg.u - z)).unwrap().norm()).sum();
        assert!(sum.norm() <= 1e-12 * scale.max(1e-300), "Σⱼ ∇φ̂(u − zⱼ) = {:e} (scale {scale:e})", sum.norm());
        if !exact_with_cubic {
            let mean = before.iter().sum::<Vector>() / 4.0;
            assert!(rel(&alg.u, &mean) <= 1e-14);
        }
    }
}

/// Algorithm 1 in one dimension with one worker, written out here from the module's rule, with
/// log (dom φ̂ = (−1, 1), ∇φ̂(w) = 2w/(1 − w²)) and a target far outside the domain, so that
/// nearly every step is cut: consensus u ← u + t du, du = −τ∇φ̂(u − z); worker
/// Δ = f′(z) + νz − ∇φ̂(u_old − z)/λ, v′ = κv − σΔ, s = κv′ − σΔ, z ← z + t s, v ← t v′, where
/// t = min(1, 0.99·t*) and t* is the step at which u − z reaches ±1.
#[test]
fn cut_steps_follow_the_velocity_rule() {
    // τ = 1e-3: the consensus step pulls u − z toward 0 and is never cut; τ = 5: it overshoots
    // the far edge and is cut too.
    for tau in [1e-3, 5.0] {
        let (lambda, sigma, kappa, nu, target) = (1.0, 0.5, 0.9, 0.01, 10.0);
        let f: Arc<dyn EmpiricalRisk> = Arc::new(LeastSquares::new(infconv_theory::Matrix::from_element(1, 1, 1.0), Vector::from_element(1, target)).unwrap());
        let c = Config { workers: 1, lambda, tau, sigma, kappa, nu, batch: None, seed: SEED, order: Order::Jacobi, fraction: 0.99, consensus: Consensus::Linearized };
        let mut alg = Algorithm1::new(c, vec![f], Arc::new(Log::new()), Vector::zeros(1)).unwrap();
        let grad_phi = |w: f64| 2.0 * w / (1.0 - w * w);
        // The cut of a move of w by d inside (−1, 1).
        let cut = |w: f64, d: f64| {
            let t_star = if d > 0.0 { (1.0 - w) / d } else if d < 0.0 { (-1.0 - w) / d } else { f64::INFINITY };
            (0.99 * t_star).min(1.0)
        };
        let (mut u, mut z, mut v) = (0.0f64, 0.0f64, 0.0f64);
        let (mut consensus_cuts, mut worker_cuts) = (0usize, 0usize);
        let mut worst = 0.0f64;
        for it in 0..30 {
            let u_old = u;
            let du = -tau * grad_phi(u - z);
            let t = cut(u - z, du);
            consensus_cuts += usize::from(t < 1.0);
            u += t * du;
            let delta = (z - target) + nu * z - grad_phi(u_old - z) / lambda;
            let v1 = kappa * v - sigma * delta;
            let s = kappa * v1 - sigma * delta;
            let t = cut(u - z, -s);
            worker_cuts += usize::from(t < 1.0);
            z += t * s;
            v = t * v1;
            alg.step().unwrap();
            let gap = [(alg.u[0], u), (alg.z[0][0], z), (alg.velocity()[0][0], v)].iter().map(|(a, b)| (a - b).abs() / b.abs().max(1e-300)).fold(0.0, f64::max);
            worst = worst.max(gap);
            assert!(gap <= 1e-12, "τ = {tau}, iteration {it}: (u, z, v) = ({}, {}, {}), by hand ({u}, {z}, {v})", alg.u[0], alg.z[0][0], alg.velocity()[0][0]);
            assert_eq!(alg.cuts, consensus_cuts + worker_cuts, "τ = {tau}, iteration {it}: cuts");
            assert_eq!(alg.iterations, it + 1, "τ = {tau}: iterations counted");
        }
        assert!(worker_cuts >= 10 && (tau < 1.0 || consensus_cuts >= 10), "τ = {tau}: the case must cut steps ({consensus_cuts} consensus, {worker_cuts} worker cuts)");
        println!("1-D Algorithm 1, τ = {tau}: worst relative gap to the hand-written rule {worst:.2e}, {consensus_cuts} consensus and {worker_cuts} worker cuts");
    }
}

/// The residuals of (15) written out with quad (φ̂ = ‖·‖², ∇φ̂ = 2w) after a few stochastic
/// iterations (the copies differ): r₅ₐ = ‖Σⱼ 2(u − zⱼ)‖/λ, r₅ᵦ = maxⱼ ‖∇fⱼ(zⱼ) + νzⱼ − 2(u − zⱼ)/λ‖,
/// the consensus distance maxⱼ ‖u − zⱼ‖ and F = Σⱼ fⱼ(zⱼ) + (ν/2)‖zⱼ‖² + ‖u − zⱼ‖²/λ.
#[test]
fn residuals_match_their_definitions() {
    let f = problem();
    let mut c = config(3, 0.9, Some(5));
    c.tau = 0.05;
    let (lambda, nu) = (c.lambda, c.nu);
    let mut alg = Algorithm1::new(c, vec![f.clone(); 3], Arc::new(Quad::new()), Vector::zeros(5)).unwrap();
    alg.run(6).unwrap();
    let r = alg.residuals().unwrap();
    let u = &alg.u;
    let r5a = alg.z.iter().map(|z| (u - z) * 2.0).sum::<Vector>().norm() / lambda;
    let per: Vec<(f64, f64, f64)> = alg
        .z
        .iter()
        .map(|z| {
            let (loss, g) = f.full(z).unwrap();
            ((g + z * nu - (u - z) * (2.0 / lambda)).norm(), (u - z).norm(), loss + 0.5 * nu * z.norm_squared() + (u - z).norm_squared() / lambda)
        })
        .collect();
    let r5b = per.iter().map(|p| p.0).fold(0.0, f64::max);
    let consensus = per.iter().map(|p| p.1).fold(0.0, f64::max);
    let objective: f64 = per.iter().map(|p| p.2).sum();
    assert!(consensus > 1e-6 && r5a > 0.0, "the copies must differ (consensus distance {consensus:e})");
    for (name, got, want) in [("r5a", r.r5a, r5a), ("r5b", r.r5b, r5b), ("consensus", r.consensus, consensus), ("objective", r.objective, objective)] {
        assert!((got - want).abs() <= 1e-12 * want.abs().max(1e-300), "{name}: {got}, by hand {want}");
    }
}

/// The knobs the rejection test above leaves out, each named in its error, and the batch switch.
#[test]
fn every_knob_is_validated() {
    let f = problem();
    let base = Config { tau: 0.1, ..config(2, 0.9, Some(5)) };
    for (name, c) in [
        ("σ", Config { sigma: 0.0, ..base.clone() }),
        ("σ", Config { sigma: f64::INFINITY, ..base.clone() }),
        ("λ", Config { lambda: f64::NAN, ..base.clone() }),
        ("κ", Config { kappa: -0.1, ..base.clone() }),
        ("ν", Config { nu: -1e-3, ..base.clone() }),
        ("ν", Config { nu: f64::INFINITY, ..base.clone() }),
        ("fraction", Config { fraction: 0.0, ..base.clone() }),
        ("fraction", Config { fraction: 1.0, ..base.clone() }),
    ] {
        let err = c.validate().err().unwrap_or_else(|| panic!("{name} accepted"));
        assert!(err.to_string().contains(name), "{name}: {err}");
    }
    assert!(Config { kappa: 0.0, nu: 0.0, ..base.clone() }.validate().is_ok(), "κ = 0 and ν = 0 are allowed");
    assert!(Config::default().validate().is_ok());
    let mut alg = Algorithm1::new(base, vec![f; 2], Arc::new(Quad::new()), Vector::zeros(5)).unwrap();
    assert!(alg.set_batch(Some(0)).is_err() && alg.config().batch == Some(5), "a rejected batch leaves the config");
    alg.set_batch(None).unwrap();
    assert_eq!(alg.config().batch, None);
    assert_eq!((alg.risks().len(), alg.velocity().len(), alg.potential().name()), (2, 2, "quad".to_string()));
}

/// A concave risk −‖z‖²/4 (unbounded below, its gradient pointing outwards) makes the copies grow
/// by 1 + σ/2 = 1.5 per iteration (τ = 10⁻¹² keeps u near 0; ν = 0; λ = 10⁶ keeps the elastic pull
/// at 10⁻⁶; φ = ‖·/10³‖², whose gradient 2w/10⁶ stays finite). The copies overflow in z + s while
/// the step s = z/2 is still finite, the one way a copy becomes infinite without a non-finite
/// gradient: `step` must fail with a typed error at that iteration, and every step that returned
/// `Ok` must have left u and every zⱼ finite.
#[test]
fn a_diverging_run_is_an_error_and_never_a_non_finite_state() {
    struct Concave;
    impl EmpiricalRisk for Concave {
        fn dim(&self) -> usize {
            2
        }
        fn samples(&self) -> usize {
            1
        }
        fn loss_and_gradient(&self, z: &Vector, _batch: &[usize]) -> Result<(f64, Vector), infconv_theory::TheoryError> {
            Ok((-0.25 * z.norm_squared(), -z * 0.5))
        }
    }
    let m = 2;
    let c = Config { sigma: 1.0, tau: 1e-12, kappa: 0.0, nu: 0.0, lambda: 1e6, ..config(m, 0.0, None) };
    let mut alg = Algorithm1::new(c, vec![Arc::new(Concave) as Arc<dyn EmpiricalRisk>; m], Arc::new(Scaled::new(Quad::new(), 1e3).unwrap()), Vector::from_vec(vec![1.0, -2.0])).unwrap();
    let mut failed = None;
    for k in 0..5000 {
        match alg.step() {
            Ok(()) => {
                let finite = alg.u.iter().all(|x| x.is_finite()) && alg.z.iter().all(|z| z.iter().all(|x| x.is_finite()));
                assert!(finite, "iteration {k} returned Ok with a non-finite state: u = {:?}, z = {:?}", alg.u, alg.z);
            }
            Err(e) => {
                failed = Some((k, e));
                break;
            }
        }
    }
    let (k, e) = failed.expect("the copies must overflow within 5000 iterations");
    println!("diverged at iteration {k}: {e}");
    assert!(matches!(e, infconv_theory::TheoryError::NonFinite { what } if what.starts_with("Algorithm 1 iterate")), "{e:?}");
}

/// The workers' minibatch streams are distinct for every seed, the extreme ones included (a seed
/// mixed into the worker index by `&` gives every worker of seed 0 the same stream, by `|` every
/// worker of seed u64::MAX), and a stream depends on the seed.
#[test]
fn worker_streams_are_distinct_for_every_seed() {
    use rand::Rng;
    let first = |seed: u64, j: usize| worker_rng(seed, j).random::<u64>();
    for seed in [0, 1, SEED, u64::MAX] {
        let mut draws: Vec<u64> = (0..64).map(|j| first(seed, j)).collect();
        draws.sort_unstable();
        draws.dedup();
        assert_eq!(draws.len(), 64, "seed {seed}: two of 64 workers share a stream");
    }
    assert!((0..64).all(|j| first(0, j) != first(1, j) && first(SEED, j) != first(u64::MAX, j)), "a worker's stream must depend on the seed");
}
