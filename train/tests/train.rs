//! Training at LeNet size, in the library: Algorithm 1 with quad and τ = η²/(2M) in the Jacobi
//! order (17) is synchronous EASGD (Zhang, Choromanska, LeCun 2015), checked against a direct
//! implementation of EASGD's equations written here; the Gauss–Seidel order (line 5) is the
//! control that must differ; a short run learns; bad configurations are named errors.

use infconv_kernels::lenet::{Arch, Batch, LeNetCpu, PIXELS};
use infconv_train::sampler::Sampler;
use infconv_train::{Method, TrainConfig, TrainData, Trainer};
use infconv_train::{data, tolerance};
use infconv_kernels::PotentialKind;
use std::sync::Arc;

const SEED: u64 = 2015;

fn digits(train: usize) -> Arc<TrainData> {
    let split = data::embedded().expect("the embedded digits load");
    Arc::new(TrainData::from_split(&split, train, 200).unwrap())
}

fn quad_config(m: usize, order: &str) -> TrainConfig {
    let mut c = TrainConfig::default_for(Method::Algorithm1(PotentialKind::Quad));
    c.workers = m;
    c.eta = 1.0;
    c.tau = c.eta * c.eta / (2.0 * m as f64);
    c.lambda = 0.05;
    c.sigma = 0.005;
    c.kappa = 0.9;
    c.nu = 1e-4;
    c.order = order.into();
    c.seed = SEED;
    c
}

/// Synchronous EASGD, eqs. (5)–(6) of Zhang et al. (2015), in its own notation: workers xⁱ with
/// Nesterov momentum δ in the look-ahead form (vⁱ ← δvⁱ − η g(yⁱ), xⁱ ← xⁱ + vⁱ, yⁱ = xⁱ + δvⁱ) on
/// the elastic objective f(x) + (ν/2)‖x‖² + (ρ/2)‖x − x̃‖², and the center x̃ ← x̃ + α Σᵢ (yⁱ − x̃),
/// both from the same (old) values. The loss gradient g is LeNet's (the f32 CPU path, at yⁱ
/// rounded to f32) on the batches of the same sample order. Returns (x̃, [yⁱ]) after each iteration.
fn easgd(data: &TrainData, init: &[f32], m: usize, eta: f64, rho: f64, alpha: f64, delta: f64, nu: f64, iters: usize) -> Vec<(Vec<f64>, Vec<Vec<f64>>)> {
    let n = init.len();
    let mut center: Vec<f64> = init.iter().map(|&a| a as f64).collect();
    let mut x = vec![center.clone(); m];
    let mut v = vec![vec![0.0; n]; m];
    let mut net = LeNetCpu::new(Arch::Caffe, 20).unwrap();
    let mut samplers: Vec<Sampler> = (0..m).map(|j| Sampler::new(SEED, j, data.train.len())).collect();
    let (mut idx, mut bx, mut by) = (Vec::new(), Vec::new(), Vec::new());
    let mut g = vec![0f32; n];
    let mut out = Vec::new();
    for t in 0..iters {
        let look: Vec<Vec<f64>> = (0..m).map(|i| (0..n).map(|k| x[i][k] + delta * v[i][k]).collect()).collect();
        let mut new_center = center.clone();
        for y in &look {
            for k in 0..n {
                new_center[k] += alpha * (y[k] - center[k]);
            }
        }
        for i in 0..m {
            samplers[i].batch(t, 20, &mut idx);
            data.train.gather(&idx, &mut bx, &mut by);
            let y32: Vec<f32> = look[i].iter().map(|&a| a as f32).collect();
            net.loss_grad(&y32, &Batch::new(&bx, &by).unwrap(), &mut g).unwrap();
            for k in 0..n {
                let grad = g[k] as f64 + nu * look[i][k] + rho * (look[i][k] - center[k]);
                v[i][k] = delta * v[i][k] - eta * grad;
                x[i][k] += v[i][k];
            }
        }
        center = new_center;
        out.push((center.clone(), (0..m).map(|i| (0..n).map(|k| x[i][k] + delta * v[i][k]).collect()).collect()));
    }
    out
}

/// max over iterations of the largest coordinate difference relative to 1 + the largest |coordinate|.
fn largest_difference(cfg: TrainConfig, data: &Arc<TrainData>, reference: &[(Vec<f64>, Vec<Vec<f64>>)]) -> Vec<f64> {
    let m = cfg.workers;
    let mut tr = Trainer::new(cfg, data.clone(), 2).unwrap();
    let n = tr.layers().len();
    let mut worst = Vec::new();
    for (center, ys) in reference {
        tr.step().unwrap();
        let scale = 1.0 + center.iter().fold(0.0f64, |a, &b| a.max(b.abs()));
        let mut d = tr.u().iter().zip(center).fold(0.0f64, |a, (&p, &q)| a.max((p as f64 - q).abs()));
        for j in 0..m {
            let z = &tr.z()[j * n..(j + 1) * n];
            d = ys[j].iter().zip(z).fold(d, |a, (&q, &p)| a.max((p as f64 - q).abs()));
        }
        worst.push(d / scale);
    }
    worst
}

#[test]
fn quad_with_tau_one_over_2m_in_the_jacobi_order_is_synchronous_easgd() {
    let data = digits(400);
    let m = 4;
    let iters = 6;
    let cfg = quad_config(m, "jacobi");
    let init: Vec<f32> = infconv_kernels::lenet::init_params(Arch::Caffe, cfg.seed).iter().map(|&a| a as f32).collect();
    // quad: ∇φ̂(w) = 2w/η², so the elastic coefficient is ρ = 2/(λη²) and the moving rate of the
    // center is α = 2τ/η² = 1/M (the mean).
    let rho = 2.0 / (cfg.lambda * cfg.eta * cfg.eta);
    let alpha = 2.0 * cfg.tau / (cfg.eta * cfg.eta);
    assert_eq!(alpha, 1.0 / m as f64);
    let reference = easgd(&data, &init, m, cfg.sigma, rho, alpha, cfg.kappa, cfg.nu, iters);

    let jacobi = largest_difference(cfg.clone(), &data, &reference);
    for (t, &d) in jacobi.iter().enumerate() {
        let tol = tolerance::easgd_equivalence_rel(t + 1);
        eprintln!("iteration {}: Jacobi vs EASGD {d:.3e} (tol {tol:.3e}, ratio {:.3})", t + 1, d / tol);
        assert!(d <= tol, "iteration {}: Algorithm 1 (quad, τ = 1/(2M), Jacobi) differs from EASGD by {d:e} > {tol:e} (seed {SEED})", t + 1);
    }
    // Control: the Gauss–Seidel order (the workers against uᵗ⁺¹) is a different iteration, and the
    // same comparison must say so.
    let gs = largest_difference(quad_config(m, "gauss-seidel"), &data, &reference);
    let last = *gs.last().unwrap();
    let tol = tolerance::easgd_equivalence_rel(iters);
    eprintln!("control: Gauss–Seidel vs EASGD {last:.3e} after {iters} iterations (tol {tol:.3e})");
    assert!(last > 10.0 * tol, "the Gauss–Seidel order should differ from EASGD by ≫ {tol:e}, got {last:e}");
}

#[test]
fn a_short_log_potential_run_learns_and_keeps_every_copy_in_the_domain() {
    let data = digits(2000);
    let mut c = TrainConfig::default_for(Method::Algorithm1(PotentialKind::Log));
    c.seed = SEED;
    let mut tr = Trainer::new(c.clone(), data.clone(), 2).unwrap();
    let before = tr.record().unwrap();
    for _ in 0..150 {
        tr.step().unwrap();
    }
    let after = tr.record().unwrap();
    eprintln!("log, M = 4, 150 iterations: test error {:.3} → {:.3}, objective {:.4} → {:.4}, cuts {}", before.test_error, after.test_error, before.objective, after.objective, after.cuts);
    // Chance is 90 % error; 150 iterations of 4 × 20 images bring LeNet well below 50 %.
    assert!(after.test_error < 0.5, "test error {} after 150 iterations (seed {SEED})", after.test_error);
    assert!(after.objective < before.objective);
    // Every u − zⱼ inside dom φ̂ = {‖w‖ < 1} per layer (η = 1).
    let n = tr.layers().len();
    for j in 0..c.workers {
        let z = &tr.z()[j * n..(j + 1) * n];
        for l in 0..tr.layers().num_layers() {
            let r = tr.layers().range(l);
            let s: f64 = r.clone().map(|i| (tr.u()[i] as f64 - z[i] as f64).powi(2)).sum();
            assert!(s < 1.0, "worker {j} layer {l}: ‖u − z‖² = {s} outside the log domain");
        }
    }
    assert_eq!(tr.data().train.x.len(), 2000 * PIXELS);
}

#[test]
fn bad_configurations_are_named() {
    // Every one is an error of the input (exit status 2 at the command line), naming the value.
    let named = |e: infconv_train::TrainError, words: &[&str]| {
        assert!(e.is_bad_input(), "not typed as bad input: {e:?}");
        let text = e.to_string();
        assert!(words.iter().all(|w| text.contains(w)), "{text} does not name {words:?}");
    };
    let data = digits(100);
    let mut c = TrainConfig::default_for(Method::Algorithm1(PotentialKind::Tan));
    c.lambda = 0.0;
    named(Trainer::new(c, data.clone(), 1).err().unwrap(), &["λ = 0"]);
    let mut c = TrainConfig::default_for(Method::Algorithm1(PotentialKind::Tan));
    c.order = "jacobi".into();
    named(Trainer::new(c, data.clone(), 1).err().unwrap(), &["jacobi", "tan"]);
    let mut c = TrainConfig::default_for(Method::Msgd);
    c.workers = 3;
    named(Trainer::new(c, data.clone(), 1).err().unwrap(), &["--workers 3"]);
    named(Method::parse("tanh").unwrap_err(), &["tanh"]);
}

#[test]
fn table1_records_a_diverging_configuration_and_goes_on() {
    use infconv_train::table1::{FAILED, Grid, TauRule, base_config, table1};
    let data = digits(200);
    let dir = std::env::temp_dir().join(format!("infconv-table1-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // λ = 5e-4 puts quad at σ·2/λ = 40: the momentum step explodes within a few iterations.
    let grid = Grid { sigma: vec![0.01], tau: TauRule::Mean, kappa: vec![0.9], lambda: vec![0.05, 5e-4], eta: vec![1.0] };
    let mut base = base_config(30, SEED);
    base.eval_samples = 50;
    base.prox_iterations = 0;
    let mut lines = Vec::new();
    let rows = table1(&grid, &base, &[PotentialKind::Quad], data, &dir, 2, &mut |e: &infconv_train::Event<'_>| {
        if let infconv_train::Event::Note(l) = e {
            lines.push(l.to_string());
        }
    })
    .unwrap();
    eprintln!("{lines:#?}");
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].tried, rows[0].failed), (2, 1));
    assert_eq!(rows[0].config.lambda, 0.05);
    let failed = dir.join("quad-s0.01-t0.125-k0.9-l0.0005-e1").join(FAILED);
    let why = std::fs::read_to_string(&failed).unwrap();
    assert!(why.contains("diverged"), "{why}");
    let _ = std::fs::remove_dir_all(&dir);
}
