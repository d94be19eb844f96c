//! Corollary 5.1 at LeNet size: at the end of a run (ū, z̄ⱼ), with fⱼ the loss on the run's whole
//! training set plus R (every worker sees the whole set, so all fⱼ are the same f):
//! - (5a): ‖(1/λ) Σⱼ ∇φ̂(ū − z̄ⱼ)‖ and (5b): maxⱼ ‖∇fⱼ(z̄ⱼ) − (1/λ)∇φ̂(ū − z̄ⱼ)‖ (the kernels'
//!   residuals with δⱼ the full-data gradients), and the consensus distance maxⱼ ‖ū − z̄ⱼ‖;
//! - the envelope stationarity measure ‖Σⱼ ∇e fⱼ(ū)‖ of section 5, ∇e fⱼ(ū) = ∇φ̂(ū − P fⱼ(ū))/λ
//!   (gradient formula (13)), where P f(ū) = argmin_z f(z) + (1/λ)φ̂(ū − z) is solved by K gradient
//!   iterations with backtracking, started from the z̄ⱼ whose (5b) residual is smallest. The
//!   measure is only as good as that inner solve: its residual is reported beside it.

use crate::error::TrainError;
use crate::config::Method;
use crate::dataset::Images;
use crate::driver::Trainer;
use crate::objective::{grad_phi_hat, norm, phi_hat};
use infconv_kernels::lenet;
use infconv_theory::linesearch::{Armijo, Search};

/// The Armijo search of the inner prox: c = ½ (f32 rounding of the trial point makes tiny steps
/// useless), halving, 30 trials per iteration.
const PROX_ARMIJO: Armijo = Armijo { c: 0.5, shrink: 0.5, max_trials: 30 };

/// The figures printed at the end of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Stationarity {
    /// (5a); None for mSGD.
    pub r5a: Option<f64>,
    /// (5b), worst worker; for mSGD ‖∇f(w)‖.
    pub r5b: f64,
    /// maxⱼ ‖ū − z̄ⱼ‖.
    pub consensus: f64,
    /// ‖Σⱼ ∇e fⱼ(ū)‖; None for mSGD.
    pub envelope: Option<f64>,
    /// ‖∇Ψ‖ of the inner prox problem at the returned P.
    pub prox_residual: Option<f64>,
    /// Inner iterations and backtracking cuts spent.
    pub prox_iterations: usize,
}

fn full_grad(tr: &Trainer, d: &Images, params: &[f32], grad: &mut [f32]) -> Result<f64, TrainError> {
    let s = lenet::loss_grad_dataset(tr.arch(), params, &d.x, &d.y, tr.threads(), grad)?;
    Ok(s.loss_sum / s.count as f64)
}

fn full_loss(tr: &Trainer, d: &Images, params: &[f32]) -> Result<f64, TrainError> {
    let s = lenet::evaluate_dataset(tr.arch(), params, &d.x, &d.y, tr.threads())?;
    Ok(s.loss_sum / s.count as f64)
}

/// Computes the Corollary 5.1 figures (module doc); `progress` is told each inner iteration.
pub fn corollary_5_1(tr: &mut Trainer, mut progress: impl FnMut(&str)) -> Result<Stationarity, TrainError> {
    tr.sync()?;
    let n = tr.layers().len();
    let m = tr.config().workers;
    let cfg = tr.config().clone();
    let (nu, lambda, eta) = (cfg.nu, cfg.lambda, cfg.eta);
    let z = tr.z().to_vec();
    // fⱼ: the loss on the whole training set, or on a strided subset of it where the run sized
    // the evaluation (`stationarity_samples`).
    let data = tr.shared_data();
    let subset;
    let set = if cfg.stationarity_samples == 0 || cfg.stationarity_samples >= data.train.len() {
        &data.train
    } else {
        subset = data.train.strided(cfg.stationarity_samples);
        &subset
    };
    let mut delta = vec![0f32; m * n];
    for j in 0..m {
        progress(&format!("full-data gradient of worker {}", j + 1));
        full_grad(tr, set, &z[j * n..(j + 1) * n], &mut delta[j * n..(j + 1) * n])?;
    }
    let kind = match tr.method() {
        Method::Msgd => {
            let r: f64 = delta.iter().zip(&z).map(|(&g, &w)| (g as f64 + nu * w as f64).powi(2)).sum::<f64>().sqrt();
            return Ok(Stationarity { r5a: None, r5b: r, consensus: 0.0, envelope: None, prox_residual: None, prox_iterations: 0 });
        }
        Method::Algorithm1(k) => k,
    };
    let res = tr.kernel_residuals(&delta)?;
    let best = (0..m).min_by(|&a, &b| res.r5b[a].total_cmp(&res.r5b[b])).unwrap_or(0);
    let u: Vec<f32> = tr.u().to_vec();
    let layers = tr.layers().clone();
    // Ψ(x) = f(x) + (1/λ)φ̂(ū − x), f = mean loss + (ν/2)‖x‖²; ∇Ψ = ∇f + νx − ∇φ̂(ū − x)/λ.
    let psi = |tr: &Trainer, x: &[f32]| -> Result<f64, TrainError> {
        let c = phi_hat(kind, eta, &layers, &u, x);
        if !c.is_finite() {
            return Ok(f64::INFINITY);
        }
        let xn = norm(x);
        Ok(full_loss(tr, set, x)? + 0.5 * nu * xn * xn + c / lambda)
    };
    let mut g = vec![0f32; n];
    let mut gphi = vec![0f64; n];
    let mut w = vec![0f64; n];
    let mut grad_psi = |tr: &Trainer, x: &[f32], out: &mut Vec<f64>| -> Result<f64, TrainError> {
        let loss = full_grad(tr, set, x, &mut g)?;
        for i in 0..n {
            w[i] = u[i] as f64 - x[i] as f64;
        }
        grad_phi_hat(kind, eta, &layers, &w, &mut gphi)?;
        out.clear();
        out.extend((0..n).map(|i| g[i] as f64 + nu * x[i] as f64 - gphi[i] / lambda));
        Ok(loss)
    };
    let mut x: Vec<f32> = z[best * n..(best + 1) * n].to_vec();
    let mut gx = Vec::with_capacity(n);
    grad_psi(tr, &x, &mut gx)?;
    let mut px = psi(tr, &x)?;
    let mut alpha = 2.0 * cfg.sigma;
    let mut spent = 0;
    for k in 0..cfg.prox_iterations {
        progress(&format!("prox iteration {}/{}: ‖∇Ψ‖ = {:.3e}", k + 1, cfg.prox_iterations, norm(&gx)));
        let gn2: f64 = gx.iter().map(|a| a * a).sum();
        let search = PROX_ARMIJO.search(px, -gn2, alpha, |t| {
            let trial: Vec<f32> = x.iter().zip(&gx).map(|(&a, &d)| (a as f64 - t * d) as f32).collect();
            Ok::<_, TrainError>(Some((psi(tr, &trial)?, trial)))
        })?;
        match search {
            Search::Accepted { t, value, payload, trials } => {
                spent += trials;
                x = payload;
                px = value;
                alpha = t;
            }
            Search::Exhausted { trials, .. } => {
                spent += trials;
                break;
            }
        }
        grad_psi(tr, &x, &mut gx)?;
        alpha *= 2.0;
    }
    let prox_residual = norm(&gx);
    for i in 0..n {
        w[i] = u[i] as f64 - x[i] as f64;
    }
    grad_phi_hat(kind, eta, &layers, &w, &mut gphi)?;
    // Σⱼ ∇e fⱼ(ū) = M ∇φ̂(ū − P f(ū))/λ, all fⱼ being f.
    let envelope = m as f64 * norm(&gphi) / lambda;
    Ok(Stationarity {
        r5a: Some(res.r5a),
        r5b: res.r5b.iter().copied().fold(0.0, f64::max),
        consensus: res.consensus_distance,
        envelope: Some(envelope),
        prox_residual: Some(prox_residual),
        prox_iterations: spent,
    })
}
