//! The [`Backend`] implementation of the CPU backend: Algorithm 1's steps as sequences of tile
//! passes (see `passes.rs`), with the norms ‖(u − zⱼ)ₗ‖² cached between passes and steps.

use super::passes::{Factors, Red, WorkerConsts};
use super::state::{CpuState, to_f64, to_t};
use super::{CPU_TILE, CpuBackend};
use crate::backend::{Backend, HostState, Precision, Residuals, StepReport};
use crate::error::{KernelError, Result, ensure_len};
use crate::feasibility::{radial_max_step, step_length};
use crate::potential::{Params, PotentialKind, check_eta};
use crate::real::{Real, two_dh};

/// Errors if some u − zⱼ is outside dom φ̂ (or NaN), from per-layer norms and maxima.
fn check_domain(kind: PotentialKind, eta: f64, m: usize, layers: usize, norms: &[f64], max_sq: &[f64]) -> Result<()> {
    let e2 = eta * eta;
    for j in 0..m {
        for l in 0..layers {
            let s = if kind.is_separable() { max_sq[j * layers + l] } else { norms[j * layers + l] } / e2;
            if !(s < kind.s_max()) {
                return Err(KernelError::OutsideDomain { worker: j, index: l, scaled_sq_norm: s, bound: kind.s_max() });
            }
        }
    }
    Ok(())
}

/// t*ⱼ per worker from per-(worker, layer) reductions.
fn t_star_per_worker(kind: PotentialKind, eta: f64, m: usize, layers: usize, s: &[f64], reds: &[Red]) -> Vec<f64> {
    let rho2 = kind.safe_sq_radius(eta);
    (0..m)
        .map(|j| {
            (0..layers)
                .map(|l| {
                    let r = &reds[j * layers + l];
                    if !kind.is_bounded() {
                        f64::INFINITY
                    } else if kind.is_separable() {
                        r.tmin
                    } else {
                        radial_max_step(r.a, r.b, s[j * layers + l] - rho2)
                    }
                })
                .fold(f64::INFINITY, f64::min)
        })
        .collect()
}

/// The largest gradient factor 2h′(s/η²)/η² of a (worker, layer): at the layer's s (radial) or
/// at its largest coordinate (separable; h′ is increasing for every potential).
fn factor_max(kind: PotentialKind, eta: f64, s: f64, max_sq: f64) -> f64 {
    let ie2 = 1.0 / (eta * eta);
    let x = if kind.is_separable() { max_sq } else { s };
    two_dh::<f64>(kind, x * ie2) * ie2
}

/// Relative slack for the a-priori bounds (the norms are f64 sums with relative error ≪ 10⁻⁹).
const A_PRIORI_SLACK: f64 = 1e-6;

/// A-priori (triangle-inequality) check that the consensus step cannot be cut. Radial: with
/// ‖du‖ₗ ≤ τ Σⱼ fⱼₗ ‖dⱼ‖ₗ, every t ≤ (ρ − ‖dⱼ‖ₗ)/‖du‖ₗ keeps the layer inside. Separable, in
/// the ∞-norm: |duᵢ| ≤ τ Σⱼ fmaxⱼₗ maxᵢ|dⱼᵢ|, and t ≤ (ρ − maxᵢ|dⱼᵢ|)/that keeps every
/// coordinate inside. If that is ≥ 1/fraction everywhere, the exact bound gives t = 1 too, and its
/// pass is skipped (same result, one pass less).
fn consensus_surely_uncut(p: &Params, m: usize, layers: usize, norms: &[f64], max_sq: &[f64]) -> bool {
    let rho = p.potential.safe_sq_radius(p.eta).sqrt();
    let sep = p.potential.is_separable();
    (0..layers).all(|l| {
        let dist = |j: usize| if sep { max_sq[j * layers + l] } else { norms[j * layers + l] }.sqrt();
        let du: f64 = (0..m)
            .map(|j| factor_max(p.potential, p.eta, norms[j * layers + l], max_sq[j * layers + l]) * dist(j))
            .sum::<f64>()
            * p.tau
            * (1.0 + A_PRIORI_SLACK);
        (0..m).all(|j| du == 0.0 || p.fraction * (rho - dist(j) * (1.0 + A_PRIORI_SLACK)) >= du)
    })
}

/// The same for the worker step: e = σ((1 + κ)Δ + κ²v), ‖Δ‖ ≤ ‖δ‖ + ν‖z‖ + f‖d‖/λ, in the
/// 2-norm per layer (radial) or the ∞-norm (separable).
fn workers_surely_uncut(p: &Params, m: usize, layers: usize, norms: &[f64], max_sq: &[f64], zvd: &[[f64; 6]]) -> bool {
    let rho = p.potential.safe_sq_radius(p.eta).sqrt();
    let o = if p.potential.is_separable() { 3 } else { 0 };
    (0..m).all(|j| {
        (0..layers).all(|l| {
            let k = j * layers + l;
            let f = factor_max(p.potential, p.eta, norms[k], max_sq[k]);
            let dist = if o == 3 { max_sq[k] } else { norms[k] }.sqrt();
            let delta = zvd[k][o + 2].sqrt() + p.nu * zvd[k][o].sqrt() + f * dist / p.lambda;
            let e = p.sigma * ((1.0 + p.kappa) * delta + p.kappa * p.kappa * zvd[k][o + 1].sqrt()) * (1.0 + A_PRIORI_SLACK);
            e == 0.0 || p.fraction * (rho - dist * (1.0 + A_PRIORI_SLACK)) >= e
        })
    })
}

impl<T: Real> CpuBackend<T> {
    fn ready(&self, st: &mut CpuState<T>, kind: PotentialKind, eta: f64) -> Result<Factors<T>> {
        check_eta(eta)?;
        if kind.is_separable() && !st.maxima_valid {
            // The cache holds no maxima (the last worker update was for a radial potential):
            // recompute them, and let the next worker step use the exact bound.
            st.norms_valid = false;
            st.aux_valid = false;
        }
        if !st.norms_valid {
            self.pass_norms(st);
            st.maxima_valid = true;
        }
        check_domain(kind, eta, st.m, st.layers.num_layers(), &st.norms, &st.max_sq)?;
        Ok(Factors::new(kind, eta, &st.norms, st.layers.num_layers()))
    }

    fn sep_rho(kind: PotentialKind, eta: f64) -> Option<f64> {
        kind.is_separable().then(|| kind.safe_sq_radius(eta).sqrt())
    }
}

impl<T: Real> Backend for CpuBackend<T> {
    type State = CpuState<T>;

    fn name(&self) -> String {
        format!("cpu-{}-t{}", T::NAME, self.threads)
    }

    fn precision(&self) -> Precision {
        Self::precision_of()
    }

    fn load(&self, host: &HostState) -> Result<CpuState<T>> {
        host.check()?;
        Ok(CpuState::from_host(host, CPU_TILE))
    }

    fn store(&self, st: &CpuState<T>) -> Result<HostState> {
        HostState::new(st.layers.clone(), st.m, to_f64(&st.u), to_f64(&st.z), to_f64(&st.v), to_f64(&st.delta))
    }

    fn set_delta(&self, st: &mut CpuState<T>, delta: &[f64]) -> Result<()> {
        ensure_len("δ", delta.len(), st.z.len())?;
        st.delta = to_t(delta);
        super::access::refresh_delta_norms(st);
        Ok(())
    }

    fn set_directions(&self, st: &mut CpuState<T>, du: &[f64], dz: &[f64]) -> Result<()> {
        ensure_len("du", du.len(), st.u.len())?;
        ensure_len("dz", dz.len(), st.z.len())?;
        st.du = to_t(du);
        st.dz = to_t(dz);
        Ok(())
    }

    fn grad_phi(&self, st: &mut CpuState<T>, kind: PotentialKind, eta: f64) -> Result<()> {
        let fac = self.ready(st, kind, eta)?;
        self.pass_grad(st, &fac);
        Ok(())
    }

    fn read_grad(&self, st: &CpuState<T>) -> Result<Vec<f64>> {
        Ok(to_f64(&st.grad))
    }

    fn layer_sq_norms(&self, st: &mut CpuState<T>) -> Result<Vec<f64>> {
        self.pass_norms(st);
        Ok(st.norms.clone())
    }

    fn feasibility_bound(&self, st: &mut CpuState<T>, kind: PotentialKind, eta: f64) -> Result<Vec<f64>> {
        check_eta(eta)?;
        let (m, l) = (st.m, st.layers.num_layers());
        let reds = self.pass_directions_bound(st, Self::sep_rho(kind, eta));
        let s: Vec<f64> = reds.iter().map(|r| r.s).collect();
        let mx: Vec<f64> = reds.iter().map(|r| r.max_sq).collect();
        check_domain(kind, eta, m, l, &s, &mx)?;
        Ok(t_star_per_worker(kind, eta, m, l, &s, &reds))
    }

    fn consensus_step(&self, st: &mut CpuState<T>, p: &Params) -> Result<f64> {
        p.validate()?;
        let fac = self.ready(st, p.potential, p.eta)?;
        let (m, l) = (st.m, st.layers.num_layers());
        let t_u = if p.potential.is_bounded() && !consensus_surely_uncut(p, m, l, &st.norms, &st.max_sq) {
            let reds = self.pass_consensus_bound(st, &fac, p.tau, Self::sep_rho(p.potential, p.eta));
            let ts = t_star_per_worker(p.potential, p.eta, st.m, st.layers.num_layers(), &st.norms, &reds);
            step_length(true, p.fraction, ts.into_iter().fold(f64::INFINITY, f64::min))
        } else {
            1.0
        };
        self.pass_consensus_apply(st, &fac, p.tau, t_u);
        Ok(t_u)
    }

    fn worker_step(&self, st: &mut CpuState<T>, p: &Params) -> Result<Vec<f64>> {
        p.validate()?;
        let fac = self.ready(st, p.potential, p.eta)?;
        let k = WorkerConsts::new(p);
        let (m, l) = (st.m, st.layers.num_layers());
        let surely = st.aux_valid && workers_surely_uncut(p, m, l, &st.norms, &st.max_sq, &st.zvd);
        let t_w = if p.potential.is_bounded() && !surely {
            let reds = self.pass_worker_bound(st, &fac, &k, Self::sep_rho(p.potential, p.eta));
            t_star_per_worker(p.potential, p.eta, st.m, st.layers.num_layers(), &st.norms, &reds)
                .into_iter()
                .map(|t| step_length(true, p.fraction, t))
                .collect()
        } else {
            vec![1.0; st.m]
        };
        self.pass_worker_apply(st, &fac, &k, &t_w);
        Ok(t_w)
    }

    fn step(&self, st: &mut CpuState<T>, p: &Params) -> Result<StepReport> {
        p.validate()?;
        if p.potential == PotentialKind::Quad {
            // A NaN anywhere would otherwise pass silently: quad needs no norms, so check the
            // state only through the cheap path when norms are cached.
            self.pass_quad_fused(st, p.eta, p.tau, &WorkerConsts::new(p));
            return Ok(StepReport { consensus_t: 1.0, worker_t: vec![1.0; st.m], cuts: 0 });
        }
        let consensus_t = self.consensus_step(st, p)?;
        let worker_t = self.worker_step(st, p)?;
        let cuts = (consensus_t < 1.0) as usize + worker_t.iter().filter(|&&t| t < 1.0).count();
        Ok(StepReport { consensus_t, worker_t, cuts })
    }

    fn residuals(&self, st: &mut CpuState<T>, p: &Params) -> Result<Residuals> {
        p.validate()?;
        let fac = self.ready(st, p.potential, p.eta)?;
        let reds = self.pass_residuals(st, &fac, p.nu, 1.0 / p.lambda);
        let l = st.layers.num_layers();
        let r5a = (0..l).map(|i| reds[i].a).sum::<f64>().sqrt() / p.lambda;
        let r5b = (0..st.m).map(|j| (0..l).map(|i| reds[j * l + i].b).sum::<f64>().sqrt()).collect();
        let consensus_distance =
            (0..st.m).map(|j| (0..l).map(|i| st.norms[j * l + i]).sum::<f64>().sqrt()).fold(0.0, f64::max);
        Ok(Residuals { r5a, r5b, consensus_distance })
    }
}
