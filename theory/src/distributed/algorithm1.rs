//! Algorithm 1 (stochastic alternating linearized minimization) on model (15), in f64, with the
//! paper's variant: Nesterov momentum κ on the worker updates and, for bounded-domain potentials, a
//! fraction-to-boundary line search that keeps every u − zⱼ strictly inside dom φ̂ (cuts counted).
//!
//! One iteration t (docs/training.md):
//! 1. consensus, line 3: u ← u − τ Σⱼ ∇φ̂(u − zⱼ) (the paper folds 1/λ into τ; here τ and λ are
//!    separate knobs), the step cut so that every u − zⱼ stays in dom φ̂ — or, with
//!    [`Consensus::Exact`], the exact block minimization (14a) u ← argmin Σⱼ φ̂(u − zⱼ);
//! 2. workers, (16)–(17): Δⱼ = δⱼ + ∇R(zⱼ) − (1/λ) ∇φ̂(ū − zⱼ) with R = (ν/2)‖·‖² and ū = u^t as
//!    in (17) ([`Order::Jacobi`], synchronous EASGD) or ū = u^{t+1} as in line 5
//!    ([`Order::GaussSeidel`]);
//! 3. Nesterov momentum in the form that evaluates gradients at the stored iterate:
//!    vⱼ ← κvⱼ − σΔⱼ, zⱼ ← zⱼ + κvⱼ − σΔⱼ. (This is the Sutskever look-ahead form
//!    v ← κv − σΔ(x + κv), x ← x + v written in the look-ahead point zⱼ = xⱼ + κvⱼ, so that no
//!    gradient is ever taken at a point outside the stored, feasible iterates.)
//!
//! A cut step (the fraction-to-boundary search returns tⱼ < 1) scales both the move and the
//! stored velocity: zⱼ ← zⱼ + tⱼ(κv′ⱼ − σΔⱼ), vⱼ ← tⱼ v′ⱼ with v′ⱼ = κvⱼ − σΔⱼ. The paper says
//! only that a line search keeps the iterates feasible (section 6); this rule is the one under
//! which every iteration, cut or not, is an exact Nesterov iteration: the cut step is the uncut
//! step with step size tⱼσ taken from the velocity tⱼvⱼ (κ(κtⱼvⱼ − tⱼσΔⱼ) − tⱼσΔⱼ =
//! tⱼ(κv′ⱼ − σΔⱼ)), and tⱼv′ⱼ is that step's velocity. The iterate stays feasible because the
//! move is the searched one, and the stored velocity is the one of the step actually taken:
//! momentum that the boundary stopped is dropped (tⱼ → 0 restarts it) instead of driving the
//! next steps into the boundary again. (Keeping v′ⱼ instead would store the velocity of a step
//! that never happened.) The kernels (`infconv-kernels`, whose velocity is kept in gradient
//! units, vⱼ = −σ·theirs) apply the same rule; `kernels/tests/algorithm1_agreement.rs` holds the
//! two implementations to the same iterates.
//!
//! With quad (φ̂ = ‖·‖², ∇φ̂ = 2w) and τ = 1/(2M) the consensus step is the arithmetic mean of the
//! copies; with ρ = 2/λ, η = σ and τ = σ/λ the iteration is synchronous EASGD (Zhang, Choromanska,
//! LeCun 2015), with momentum applied to each worker's elastic gradient.

use super::risk::{EmpiricalRisk, minibatch};
use crate::potential::{Legendre, fraction_to_boundary};
use crate::{TheoryError, Vector};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// Which consensus iterate the worker step linearizes at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// ū = u^t, as in (17): synchronous (EASGD).
    Jacobi,
    /// ū = u^{t+1}, as in line 5 of Algorithm 1.
    GaussSeidel,
}

/// How the consensus step updates u.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consensus {
    /// Line 3 of Algorithm 1: u ← u − τ Σⱼ ∇φ̂(u − zⱼ).
    Linearized,
    /// The exact block minimization (14a): u ← argmin Σⱼ φ̂(u − zⱼ) (τ unused), by damped Newton
    /// with fraction-to-boundary steps. Where ∇²φ̂ vanishes at consensus (cubic), the linearized
    /// step slows to a sublinear rate and this one does not.
    Exact,
}

/// The knobs of Algorithm 1.
#[derive(Debug, Clone)]
pub struct Config {
    /// Number of workers M ≥ 1.
    pub workers: usize,
    /// λ > 0 of model (15).
    pub lambda: f64,
    /// Consensus step τ > 0.
    pub tau: f64,
    /// Worker step σ > 0.
    pub sigma: f64,
    /// Nesterov momentum κ ∈ [0, 1).
    pub kappa: f64,
    /// Weight ν ≥ 0 of R = (ν/2)‖·‖².
    pub nu: f64,
    /// Minibatch size; `None` for full-data (deterministic) gradients.
    pub batch: Option<usize>,
    /// Seed of the workers' minibatch streams.
    pub seed: u64,
    /// Jacobi (17) or Gauss–Seidel (line 5).
    pub order: Order,
    /// Fraction of the largest feasible step a move may take, in (0, 1).
    pub fraction: f64,
    /// Linearized (line 3) or exact (14a) consensus step.
    pub consensus: Consensus,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            workers: 4,
            lambda: 0.1,
            tau: 0.005,
            sigma: 0.005,
            kappa: 0.9,
            nu: 1e-4,
            batch: Some(20),
            seed: 42,
            order: Order::Jacobi,
            fraction: 0.99,
            consensus: Consensus::Linearized,
        }
    }
}

impl Config {
    /// Every knob in range, or an error naming it.
    pub fn validate(&self) -> Result<(), TheoryError> {
        let bad = |name: &'static str, value: f64, expected: &'static str| {
            Err(TheoryError::InvalidParameter { name, value: format!("{value}"), expected })
        };
        if self.workers == 0 {
            return bad("workers", 0.0, "M ≥ 1");
        }
        for (name, v) in [("λ", self.lambda), ("τ", self.tau), ("σ", self.sigma)] {
            if !(v > 0.0 && v.is_finite()) {
                return bad(name, v, "a finite number > 0");
            }
        }
        if !(0.0..1.0).contains(&self.kappa) {
            return bad("κ", self.kappa, "a momentum in [0, 1)");
        }
        if !(self.nu >= 0.0 && self.nu.is_finite()) {
            return bad("ν", self.nu, "a finite number ≥ 0");
        }
        if self.batch == Some(0) {
            return bad("batch", 0.0, "a minibatch size ≥ 1");
        }
        if !(self.fraction > 0.0 && self.fraction < 1.0) {
            return bad("fraction", self.fraction, "a number in (0, 1)");
        }
        Ok(())
    }
}

/// The stream of worker j's minibatches.
pub fn worker_rng(seed: u64, j: usize) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed ^ (j as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// (5a) for model (15), where g = 0 and A = [I, …, I] (Aᵀ sums over the copies):
/// r₅ₐ = ‖(1/λ) Σⱼ ∇φ̂(u − zⱼ)‖, from `sum_sq` = ‖Σⱼ ∇φ̂(u − zⱼ)‖² (the form in which the
/// kernels' reductions produce it). The one definition of r₅ₐ: [`Algorithm1::residuals`] and the
/// kernels' residuals (reference, CPU, wgpu) all call it.
pub fn residual_5a(sum_sq: f64, lambda: f64) -> f64 {
    sum_sq.sqrt() / lambda
}

/// (5b) for model (15), coordinate i of worker j: ∇fⱼ(zⱼ)ᵢ − (1/λ)∇φ̂(u − zⱼ)ᵢ (R included in
/// fⱼ, so ∇fⱼ(zⱼ) = δⱼ + νzⱼ); r₅ᵦ,ⱼ is the 2-norm over i. The one definition of the entry:
/// [`Algorithm1::residuals`] and the kernels' serial reference call it (the CPU and wgpu kernels
/// evaluate it in their precision and are held to the reference).
pub fn residual_5b_entry(grad_f: f64, grad_phi: f64, lambda: f64) -> f64 {
    grad_f - grad_phi / lambda
}

/// Stationarity figures of (15) on the full data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Residuals {
    /// (5a): ‖(1/λ) Σⱼ ∇φ̂(u − zⱼ)‖ (g = 0, A = [I, …, I]), see [`residual_5a`].
    pub r5a: f64,
    /// (5b): maxⱼ ‖∇fⱼ(zⱼ) + νzⱼ − ∇φ̂(u − zⱼ)/λ‖.
    pub r5b: f64,
    /// Consensus distance maxⱼ ‖u − zⱼ‖.
    pub consensus: f64,
    /// F(u, z) of (15), with R included in fⱼ.
    pub objective: f64,
}

/// The state of Algorithm 1: consensus u, copies zⱼ, velocities vⱼ.
pub struct Algorithm1 {
    config: Config,
    risks: Vec<Arc<dyn EmpiricalRisk>>,
    phi: Arc<dyn Legendre>,
    /// Consensus weights u.
    pub u: Vector,
    /// The workers' copies zⱼ.
    pub z: Vec<Vector>,
    velocity: Vec<Vector>,
    rngs: Vec<ChaCha8Rng>,
    /// Iterations done.
    pub iterations: usize,
    /// Line-search cuts (steps shortened to stay in dom φ̂).
    pub cuts: usize,
}

impl Algorithm1 {
    /// Starts every copy and the consensus at `init`; `risks[j]` is fⱼ (the same `Arc` M times when
    /// every worker sees the whole training set), φ̂ the (layerwise) potential.
    pub fn new(
        config: Config,
        risks: Vec<Arc<dyn EmpiricalRisk>>,
        phi: Arc<dyn Legendre>,
        init: Vector,
    ) -> Result<Self, TheoryError> {
        config.validate()?;
        crate::error::ensure_dim("risks (one per worker)", config.workers, risks.len())?;
        for r in &risks {
            crate::error::ensure_dim("risk dimension", init.len(), r.dim())?;
        }
        if let Some(m) = phi.fixed_dim() {
            crate::error::ensure_dim("potential dimension", init.len(), m)?;
        }
        crate::error::ensure_finite("initial point", init.as_slice())?;
        let m = config.workers;
        let rngs = (0..m).map(|j| worker_rng(config.seed, j)).collect();
        Ok(Algorithm1 {
            z: vec![init.clone(); m],
            velocity: vec![Vector::zeros(init.len()); m],
            u: init,
            config,
            risks,
            phi,
            rngs,
            iterations: 0,
            cuts: 0,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Switches between minibatch and full-data gradients (e.g. a stochastic warm-up that
    /// separates the copies, then deterministic iterations to a stationary point).
    pub fn set_batch(&mut self, batch: Option<usize>) -> Result<(), TheoryError> {
        let mut c = self.config.clone();
        c.batch = batch;
        c.validate()?;
        self.config = c;
        Ok(())
    }

    /// Switches the consensus step (see [`Consensus`]).
    pub fn set_consensus(&mut self, consensus: Consensus) {
        self.config.consensus = consensus;
    }

    /// The velocities vⱼ of the Nesterov momentum (module doc), worker by worker.
    pub fn velocity(&self) -> &[Vector] {
        &self.velocity
    }

    /// The risks fⱼ.
    pub fn risks(&self) -> &[Arc<dyn EmpiricalRisk>] {
        &self.risks
    }

    /// The potential φ̂.
    pub fn potential(&self) -> &Arc<dyn Legendre> {
        &self.phi
    }

    /// One iteration: consensus step, then every worker's step.
    pub fn step(&mut self) -> Result<(), TheoryError> {
        let c = self.config.clone();
        let u_old = self.u.clone();
        // 1. Consensus (line 3, or (14a) exactly), cut to keep every u − zⱼ in dom φ̂.
        if c.consensus == Consensus::Exact {
            self.exact_consensus()?;
        } else {
            let mut du = Vector::zeros(self.u.len());
            for zj in &self.z {
                du -= self.phi.gradient(&(&self.u - zj))? * c.tau;
            }
            let mut t: f64 = 1.0;
            for zj in &self.z {
                t = t.min(fraction_to_boundary(self.phi.as_ref(), &(&self.u - zj), &du, c.fraction)?);
            }
            if t < 1.0 {
                self.cuts += 1;
            }
            self.u += du * t;
        }
        // 2–3. Workers, (16)–(17), with Nesterov momentum.
        for j in 0..c.workers {
            let risk = &self.risks[j];
            let batch = match c.batch {
                Some(b) => minibatch(&mut self.rngs[j], risk.samples(), b),
                None => (0..risk.samples()).collect(),
            };
            let (_, delta) = risk.loss_and_gradient(&self.z[j], &batch)?;
            let u_bar = match c.order {
                Order::Jacobi => &u_old,
                Order::GaussSeidel => &self.u,
            };
            let elastic = self.phi.gradient(&(u_bar - &self.z[j]))?;
            let big_delta = delta + &self.z[j] * c.nu - elastic / c.lambda;
            let v_new = &self.velocity[j] * c.kappa - &big_delta * c.sigma;
            let s = &v_new * c.kappa - big_delta * c.sigma;
            // u − (zⱼ + t s) must stay in dom φ̂: move w = u − zⱼ along −s.
            let t = fraction_to_boundary(self.phi.as_ref(), &(&self.u - &self.z[j]), &(-&s), c.fraction)?;
            if t < 1.0 {
                self.cuts += 1;
            }
            // The rule of the module doc: the stored velocity is the one of the step taken.
            self.z[j] += s * t;
            self.velocity[j] = v_new * t;
        }
        self.iterations += 1;
        let all_finite = self.u.iter().all(|x| x.is_finite()) && self.z.iter().all(|z| z.iter().all(|x| x.is_finite()));
        if !all_finite {
            return Err(TheoryError::NonFinite { what: "Algorithm 1 iterate (diverged: lower σ or τ)" });
        }
        Ok(())
    }

    /// u ← argmin_u Σⱼ φ̂(u − zⱼ) (strictly convex), by damped Newton from the current u with
    /// fraction-to-boundary steps and Armijo backtracking; a gradient step where the Hessian is
    /// singular (cubic at consensus).
    fn exact_consensus(&mut self) -> Result<(), TheoryError> {
        let n = self.u.len();
        let obj = |u: &Vector| -> Result<f64, TheoryError> {
            let mut s = 0.0;
            for zj in &self.z {
                s += self.phi.value(&(u - zj))?;
            }
            Ok(s)
        };
        let mut fu = obj(&self.u)?;
        for _ in 0..100 {
            let mut g = Vector::zeros(n);
            let mut h = crate::Matrix::zeros(n, n);
            let mut scale = 0.0;
            for zj in &self.z {
                let w = &self.u - zj;
                let gj = self.phi.gradient(&w)?;
                scale += gj.norm();
                g += gj;
                h += self.phi.hessian(&w)?;
            }
            if g.norm() <= 16.0 * f64::EPSILON * scale || g.norm() == 0.0 {
                return Ok(());
            }
            let mut p = crate::linalg::solve_spd_shifted(&h, &(-&g)).unwrap_or_else(|| -&g);
            if !(p.dot(&g) < 0.0) {
                p = -&g;
            }
            let mut t: f64 = 1.0;
            for zj in &self.z {
                t = t.min(fraction_to_boundary(self.phi.as_ref(), &(&self.u - zj), &p, self.config.fraction)?);
            }
            let mut moved = false;
            for _ in 0..60 {
                let cand = &self.u + &p * t;
                let fc = obj(&cand)?;
                if fc <= fu + 1e-4 * t * g.dot(&p) {
                    moved = (&cand - &self.u).norm() > 4.0 * f64::EPSILON * self.u.norm();
                    self.u = cand;
                    fu = fc;
                    break;
                }
                t *= 0.5;
            }
            if !moved {
                return Ok(());
            }
        }
        Ok(())
    }

    /// Runs `n` iterations.
    pub fn run(&mut self, n: usize) -> Result<(), TheoryError> {
        for _ in 0..n {
            self.step()?;
        }
        Ok(())
    }

    /// The residuals of (5a), (5b), the consensus distance and F on the full data.
    pub fn residuals(&self) -> Result<Residuals, TheoryError> {
        let c = &self.config;
        let mut sum = Vector::zeros(self.u.len());
        let (mut r5b, mut consensus, mut objective) = (0.0f64, 0.0f64, 0.0);
        for (j, zj) in self.z.iter().enumerate() {
            let w = &self.u - zj;
            let gphi = self.phi.gradient(&w)?;
            let (loss, g) = self.risks[j].full(zj)?;
            let grad_f = g + zj * c.nu;
            r5b = r5b.max(grad_f.zip_map(&gphi, |a, b| residual_5b_entry(a, b, c.lambda)).norm());
            consensus = consensus.max(w.norm());
            objective += loss + 0.5 * c.nu * zj.norm_squared() + self.phi.value(&w)? / c.lambda;
            sum += gphi;
        }
        Ok(Residuals { r5a: residual_5a(sum.norm_squared(), c.lambda), r5b, consensus, objective })
    }
}
