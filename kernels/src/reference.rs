//! The serial f64 reference of every kernel: the formulas of (15)–(18) and Algorithm 1 written
//! the straightforward way, one loop per formula, independently of the optimized CPU code (it
//! does not use `real.rs` nor the tiles). The tests compare every backend to it.

use crate::backend::{HostState, Residuals, StepReport};
use crate::error::{KernelError, Result};
use crate::layers::LayerTable;
use crate::potential::{Params, PotentialKind, check_eta};
use infconv_theory::distributed::{residual_5a, residual_5b_entry};

/// h′(s) of the profile h (φ = h(‖w‖²) radial, Σᵢ h(wᵢ²) separable), written out per Table 2
/// potential; a registered profile's own h′ otherwise.
pub fn h_prime(kind: PotentialKind, s: f64) -> f64 {
    match kind {
        PotentialKind::Quad => 1.0,
        PotentialKind::Cubic => 1.5 * s.sqrt(),
        PotentialKind::CubicReg => 1.5 * s.sqrt() + 0.01,
        PotentialKind::Tan | PotentialKind::TanSep => 1.0 / (s.cos() * s.cos()),
        PotentialKind::Log | PotentialKind::LogSep => 1.0 / (1.0 - s),
        PotentialKind::Profile(p) => p.profile().dh(s),
    }
}

fn sq_norm(x: &[f64]) -> f64 {
    x.iter().map(|a| a * a).sum()
}

/// ∇φ̂(w) of (18): per layer 2h′(‖wₗ/η‖²) wₗ/η² (radial) or per coordinate 2h′((wᵢ/η)²) wᵢ/η²
/// (separable). Errors outside dom φ̂ (worker index 0).
pub fn grad_phi(layers: &LayerTable, kind: PotentialKind, eta: f64, w: &[f64]) -> Result<Vec<f64>> {
    check_eta(eta)?;
    crate::error::ensure_len("w", w.len(), layers.len())?;
    let mut g = vec![0.0; w.len()];
    for l in 0..layers.num_layers() {
        let r = layers.range(l);
        if kind.is_separable() {
            for i in r {
                let s = (w[i] / eta) * (w[i] / eta);
                if s >= kind.s_max() {
                    return Err(KernelError::OutsideDomain { worker: 0, index: i, scaled_sq_norm: s, bound: kind.s_max() });
                }
                g[i] = 2.0 * h_prime(kind, s) * w[i] / (eta * eta);
            }
        } else {
            let s = sq_norm(&w[r.clone()]) / (eta * eta);
            if s >= kind.s_max() {
                return Err(KernelError::OutsideDomain { worker: 0, index: l, scaled_sq_norm: s, bound: kind.s_max() });
            }
            for i in r {
                g[i] = 2.0 * h_prime(kind, s) * w[i] / (eta * eta);
            }
        }
    }
    Ok(g)
}

fn diff(st: &HostState, j: usize) -> Vec<f64> {
    st.u.iter().zip(st.z_of(j)).map(|(a, b)| a - b).collect()
}

fn with_worker(e: KernelError, j: usize) -> KernelError {
    match e {
        KernelError::OutsideDomain { index, scaled_sq_norm, bound, .. } => {
            KernelError::OutsideDomain { worker: j, index, scaled_sq_norm, bound }
        }
        e => e,
    }
}

/// gⱼ = ∇φ̂(u − zⱼ) for every worker, worker-major.
pub fn grad_all(st: &HostState, kind: PotentialKind, eta: f64) -> Result<Vec<f64>> {
    let mut out = Vec::with_capacity(st.z.len());
    for j in 0..st.workers {
        out.extend(grad_phi(&st.layers, kind, eta, &diff(st, j)).map_err(|e| with_worker(e, j))?);
    }
    Ok(out)
}

/// ‖(u − zⱼ)ₗ‖², worker-major (M·L values).
pub fn layer_sq_norms(st: &HostState) -> Vec<f64> {
    let mut out = Vec::new();
    for j in 0..st.workers {
        let d = diff(st, j);
        for l in 0..st.layers.num_layers() {
            out.push(sq_norm(&d[st.layers.range(l)]));
        }
    }
    out
}

use crate::feasibility::{coordinate_max_step, radial_max_step};

/// max t ≥ 0 keeping d + t e inside the safe domain, per layer or per coordinate, minimized.
fn max_step(layers: &LayerTable, kind: PotentialKind, eta: f64, d: &[f64], e: &[f64]) -> f64 {
    if !kind.is_bounded() {
        return f64::INFINITY;
    }
    let rho2 = kind.safe_sq_radius(eta);
    let mut t = f64::INFINITY;
    if kind.is_separable() {
        for i in 0..d.len() {
            t = t.min(coordinate_max_step(d[i], e[i], rho2.sqrt()));
        }
    } else {
        for l in 0..layers.num_layers() {
            let r = layers.range(l);
            let a = sq_norm(&e[r.clone()]);
            let b: f64 = r.clone().map(|i| d[i] * e[i]).sum();
            let c = sq_norm(&d[r]) - rho2;
            t = t.min(radial_max_step(a, b, c));
        }
    }
    t
}

/// t*ⱼ for (u + t du) − (zⱼ + t dzⱼ), every worker.
pub fn feasibility_bound(st: &HostState, kind: PotentialKind, eta: f64, du: &[f64], dz: &[f64]) -> Result<Vec<f64>> {
    check_eta(eta)?;
    crate::error::ensure_len("du", du.len(), st.n())?;
    crate::error::ensure_len("dz", dz.len(), st.z.len())?;
    let n = st.n();
    Ok((0..st.workers)
        .map(|j| {
            let d = diff(st, j);
            let e: Vec<f64> = (0..n).map(|i| du[i] - dz[j * n + i]).collect();
            max_step(&st.layers, kind, eta, &d, &e)
        })
        .collect())
}

fn step_length(p: &Params, t_star: f64) -> f64 {
    crate::feasibility::step_length(p.potential.is_bounded(), p.fraction, t_star)
}

/// Algorithm 1, line 3: u ← u + t_u du, du = −τ Σⱼ ∇φ̂(u − zⱼ); returns t_u.
pub fn consensus_step(st: &mut HostState, p: &Params) -> Result<f64> {
    p.validate()?;
    let n = st.n();
    let g = grad_all(st, p.potential, p.eta)?;
    let mut du = vec![0.0; n];
    for j in 0..st.workers {
        for i in 0..n {
            du[i] -= p.tau * g[j * n + i];
        }
    }
    let t_star = (0..st.workers)
        .map(|j| max_step(&st.layers, p.potential, p.eta, &diff(st, j), &du))
        .fold(f64::INFINITY, f64::min);
    let t = step_length(p, t_star);
    for i in 0..n {
        st.u[i] += t * du[i];
    }
    Ok(t)
}

/// Algorithm 1, lines 5–6: Δⱼ = δⱼ + νzⱼ − ∇φ̂(u − zⱼ)/λ, v′ⱼ = κvⱼ + Δⱼ,
/// zⱼ ← zⱼ − tⱼ σ(Δⱼ + κv′ⱼ), vⱼ ← tⱼ v′ⱼ (the velocity rule of a cut step, [`Params`]); returns
/// the tⱼ.
pub fn worker_step(st: &mut HostState, p: &Params) -> Result<Vec<f64>> {
    p.validate()?;
    let n = st.n();
    let g = grad_all(st, p.potential, p.eta)?;
    let mut ts = Vec::new();
    for j in 0..st.workers {
        let mut dz = vec![0.0; n];
        let mut v_new = vec![0.0; n];
        for i in 0..n {
            let k = j * n + i;
            let delta = st.delta[k] + p.nu * st.z[k] - g[k] / p.lambda;
            v_new[i] = p.kappa * st.v[k] + delta;
            dz[i] = -p.sigma * (delta + p.kappa * v_new[i]);
        }
        let d = diff(st, j);
        let e: Vec<f64> = dz.iter().map(|x| -x).collect();
        let t = step_length(p, max_step(&st.layers, p.potential, p.eta, &d, &e));
        for i in 0..n {
            st.z[j * n + i] += t * dz[i];
            st.v[j * n + i] = t * v_new[i];
        }
        ts.push(t);
    }
    Ok(ts)
}

/// One iteration: consensus step, then worker step at the new u.
pub fn step(st: &mut HostState, p: &Params) -> Result<StepReport> {
    let tu = consensus_step(st, p)?;
    let tw = worker_step(st, p)?;
    let cuts = (tu < 1.0) as usize + tw.iter().filter(|&&t| t < 1.0).count();
    Ok(StepReport { consensus_t: tu, worker_t: tw, cuts })
}

/// The residuals of (5a), (5b) (the theory crate's definitions) and the consensus distance.
pub fn residuals(st: &HostState, p: &Params) -> Result<Residuals> {
    p.validate()?;
    let n = st.n();
    let g = grad_all(st, p.potential, p.eta)?;
    let mut sum = vec![0.0; n];
    let mut r5b = Vec::new();
    let mut dist: f64 = 0.0;
    for j in 0..st.workers {
        let mut acc = 0.0;
        for i in 0..n {
            let k = j * n + i;
            sum[i] += g[k];
            let r = residual_5b_entry(st.delta[k] + p.nu * st.z[k], g[k], p.lambda);
            acc += r * r;
        }
        r5b.push(acc.sqrt());
        dist = dist.max(sq_norm(&diff(st, j)).sqrt());
    }
    Ok(Residuals { r5a: residual_5a(sq_norm(&sum), p.lambda), r5b, consensus_distance: dist })
}
