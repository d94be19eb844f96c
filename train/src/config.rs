//! The configuration of one training run: LeNet-5 trained with Algorithm 1 on model
//! (15) (M workers, a potential of Table 2 with η of (18), λ, τ, σ, κ, ν) or with the mSGD baseline.

use crate::error::TrainError;
use infconv_kernels::lenet::Arch;
use infconv_kernels::{Params, PotentialKind};
use serde::{Deserialize, Serialize};

/// What trains: Algorithm 1 with a potential, or plain SGD with Nesterov momentum (Figure 1's mSGD).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Method {
    /// Algorithm 1 on model (15) with this φ of (18).
    Algorithm1(PotentialKind),
    /// One model, zᵢ ← Nesterov SGD on fⱼ (the baseline of Figure 1).
    Msgd,
}

impl Method {
    /// "msgd" or the potential's name.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Algorithm1(k) => k.name(),
            Method::Msgd => "msgd",
        }
    }

    /// Parses "msgd" or the name of any potential registered in the theory crate's registry with
    /// a kernel form (the Table 2 ones and those added with `registry::register`). A registered
    /// potential without one (quad-Q, the controls) is refused with the reason.
    pub fn parse(s: &str) -> Result<Method, TrainError> {
        if s == "msgd" {
            return Ok(Method::Msgd);
        }
        s.parse::<PotentialKind>().map(Method::Algorithm1).map_err(|e| match e {
            infconv_kernels::KernelError::UnknownPotential { .. } => {
                TrainError::input(format!("unknown potential '{s}': expected msgd or one of {}", PotentialKind::known_names()))
            }
            e => TrainError::Kernel(e),
        })
    }

    /// Whether the wgpu engine can run this method: mSGD and the Table 2 potentials (they have
    /// WGSL functions); a registered profile runs on the CPU only. The error names the potential.
    pub fn gpu_supported(&self) -> Result<(), TrainError> {
        match self {
            Method::Algorithm1(k) if k.gpu_code().is_none() => {
                Err(infconv_kernels::KernelError::NoGpuKernel { name: k.name().to_string() }.into())
            }
            _ => Ok(()),
        }
    }
}

/// Every knob of a run. Serialized into the checkpoint, so a resumed run uses exactly these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// A potential name of the theory registry with a kernel form (Table 2: quad, cubic, cubic-reg,
    /// tan, tan-sep, log, log-sep; or a registered profile) or "msgd".
    pub method: String,
    /// "caffe" (431,080 parameters) or "paper" (one FC layer, 33,580).
    pub arch: String,
    /// M ≥ 1 (mSGD: 1).
    pub workers: usize,
    /// Iterations of Algorithm 1 (each: one consensus step and one minibatch step per worker).
    pub iterations: usize,
    /// Minibatch size per worker (20 in the paper).
    pub batch: usize,
    /// η > 0 of (18).
    pub eta: f64,
    /// λ > 0 of (15).
    pub lambda: f64,
    /// τ ≥ 0, the consensus step (Algorithm 1, line 3).
    pub tau: f64,
    /// σ > 0, the worker step.
    pub sigma: f64,
    /// κ ∈ [0, 1), Nesterov momentum.
    pub kappa: f64,
    /// ν ≥ 0, R(z) = (ν/2)‖z‖².
    pub nu: f64,
    /// Fraction-to-boundary factor of the line search, in (0, 1).
    pub fraction: f64,
    /// "gauss-seidel" (default): the workers step against uᵗ⁺¹ as Algorithm 1's line 5 reads (the
    /// fused kernel step; its line search keeps uᵗ⁺¹ − zⱼᵗ⁺¹ in dom φ̂); "jacobi": against uᵗ as
    /// in (17), which with quad and τ = 1/(2M) is synchronous EASGD (unbounded potentials only:
    /// the workers' line search against uᵗ cannot keep uᵗ⁺¹ − zⱼᵗ⁺¹ inside a bounded domain).
    pub order: String,
    /// The seed of the initialisation and of every worker's sample order.
    pub seed: u64,
    /// Evaluate and log every this many iterations (and at the end).
    pub log_every: usize,
    /// Training images used for the logged train loss/error and objective (a fixed strided
    /// subset; 0: all).
    pub eval_samples: usize,
    /// Use only the first this many training images (0: all), for quick runs.
    pub train_limit: usize,
    /// Write a checkpoint every this many iterations (0: only at the end).
    pub checkpoint_every: usize,
    /// Inner gradient iterations of the φ-prox behind the envelope stationarity measure.
    pub prox_iterations: usize,
    /// Training images behind the Corollary 5.1 figures at the end of a run (the first ones of
    /// the evaluation order; 0: all).
    #[serde(default)]
    pub stationarity_samples: usize,
    /// k ≥ 1: the workers take k − 1 purely local steps (their minibatch gradient, R and momentum,
    /// without the elastic term of (16)) between two steps of Algorithm 1; k = 1 is Algorithm 1
    /// exactly (EASGD's communication period).
    #[serde(default = "one")]
    pub comm_period: usize,
}

fn one() -> usize {
    1
}

/// The share of a run's work that evaluation may take by default ([`TrainConfig::size_to_run`]),
/// in forward passes of one image (a backward pass costs about two): the test-set evaluations,
/// the train-loss and objective evaluations, and the Corollary 5.1 figures at the end.
pub const EVAL_SHARE: [f64; 3] = [0.04, 0.04, 0.08];

/// Which of the evaluation knobs the user set (the others [`TrainConfig::size_to_run`] sizes).
#[derive(Debug, Clone, Copy, Default)]
pub struct Given {
    /// `--log-every` was given.
    pub log_every: bool,
    /// `--eval-samples` was given.
    pub eval_samples: bool,
    /// `--prox-iterations` was given.
    pub prox_iterations: bool,
    /// `--stationarity-samples` was given.
    pub stationarity_samples: bool,
}

/// τ = η²/(2M): the consensus step of Algorithm 1 (line 3) that moves u to the mean of the copies
/// for quad (∇φ̂(w) = 2w/η²), i.e. EASGD's moving rate α = 1/M; for the other potentials it is the
/// same step at w = 0 (their curvature at 0 is that of quad, or 0 for cubic). The paper's Table 1
/// grid instead ties τ = σ ∈ {0.001, 0.005}, a center that moves 2τM/η² ≈ 4 % of the way per
/// iteration: far slower to reach low test error in a short run (docs/results.md).
pub fn mean_tau(eta: f64, workers: usize) -> f64 {
    eta * eta / (2.0 * workers.max(1) as f64)
}

impl TrainConfig {
    /// The defaults of `infconv train`: the log potential with 4 workers, Table 1's batch 20,
    /// ν = 1e-4 and κ = 0.9, η = 1, λ = 0.05, σ = 0.01 and τ = η²/(2M) (see [`mean_tau`]),
    /// 4,000 iterations: ≤ 3 % test error on the embedded digits in a few minutes on 2 cores
    /// (docs/results.md).
    pub fn default_for(method: Method) -> TrainConfig {
        let workers = if method == Method::Msgd { 1 } else { 4 };
        TrainConfig {
            method: method.name().to_string(),
            arch: Arch::Caffe.name().to_string(),
            workers,
            iterations: 4000,
            batch: 20,
            eta: 1.0,
            lambda: 0.05,
            tau: mean_tau(1.0, workers),
            sigma: 0.01,
            kappa: 0.9,
            nu: 1e-4,
            fraction: 0.99,
            order: "gauss-seidel".into(),
            seed: 42,
            log_every: 250,
            eval_samples: 2000,
            train_limit: 0,
            checkpoint_every: 1000,
            prox_iterations: 10,
            stationarity_samples: 0,
            comm_period: 1,
        }
    }

    /// Sizes the evaluation to the run, so that by default it costs at most about a fifth of the
    /// training: with W = iterations · M · batch · 3 forward passes of training, the records (each
    /// evaluates u on the `test` images) get [`EVAL_SHARE`]`[0]`·W, their train-loss and
    /// objective evaluations ((M + 1) subsets of `eval_samples` images each) `[1]`·W, and the
    /// Corollary 5.1 figures (M full gradients and the prox iterations, each a gradient and about
    /// two line-search evaluations, on `stationarity_samples` images) `[2]`·W. The test set is
    /// evaluated whole at least twice; where that exceeds its share, the other two shrink to
    /// compensate, down to their floors of 64 images: a run too short to pay for two passes over
    /// the test set and the floors within a fifth of its training spends more. Knobs in `given`
    /// keep their values. Deterministic: it depends on the configuration and the data sizes only.
    pub fn size_to_run(&mut self, train: usize, test: usize, given: Given) {
        let m = self.workers.max(1) as f64;
        let work = self.iterations as f64 * m * self.batch as f64 * 3.0;
        if !given.log_every {
            let records = ((EVAL_SHARE[0] * work / test.max(1) as f64).floor() - 1.0).clamp(1.0, 16.0);
            self.log_every = (self.iterations as f64 / records).ceil().max(1.0) as usize;
        }
        // The records evaluate the whole test set, at least twice (the start and the end): where
        // that costs more than its share, the excess comes out of the other two shares.
        let records = (self.iterations.div_ceil(self.log_every.max(1)) + 1) as f64;
        let overspent = (records * test as f64 - EVAL_SHARE[0] * work).max(0.0);
        let squeeze = ((EVAL_SHARE[1] + EVAL_SHARE[2]) * work - overspent).max(0.0) / ((EVAL_SHARE[1] + EVAL_SHARE[2]) * work);
        if !given.eval_samples {
            let e = (squeeze * EVAL_SHARE[1] * work / (records * (m + 1.0))).floor();
            self.eval_samples = e.clamp(64.0, 2000.0).min(train as f64) as usize;
        }
        if !given.prox_iterations || !given.stationarity_samples {
            let budget = squeeze * EVAL_SHARE[2] * work;
            let k = if given.prox_iterations { self.prox_iterations } else if budget / (3.0 * m + 50.0) >= 2000.0 { 10 } else { 3 };
            if !given.prox_iterations {
                self.prox_iterations = k;
            }
            if !given.stationarity_samples {
                let s = (budget / (3.0 * m + 5.0 * k as f64)).floor().max(64.0) as usize;
                self.stationarity_samples = if s >= train { 0 } else { s };
            }
        }
    }

    /// The method, parsed.
    pub fn method(&self) -> Result<Method, TrainError> {
        Method::parse(&self.method)
    }

    /// The architecture, parsed.
    pub fn arch(&self) -> Result<Arch, TrainError> {
        self.arch.parse::<Arch>().map_err(|e| TrainError::input(e.to_string()))
    }

    /// The kernel parameters of Algorithm 1 (for mSGD: quad with the same σ, κ, ν; τ and λ unused).
    pub fn params(&self) -> Result<Params, TrainError> {
        let kind = match self.method()? {
            Method::Algorithm1(k) => k,
            Method::Msgd => PotentialKind::Quad,
        };
        Ok(Params {
            potential: kind,
            eta: self.eta,
            lambda: self.lambda,
            tau: self.tau,
            sigma: self.sigma,
            nu: self.nu,
            kappa: self.kappa,
            fraction: self.fraction,
        })
    }

    /// Checks every value; the message names the flag, the value and what was expected.
    pub fn validate(&self) -> Result<(), TrainError> {
        let method = self.method()?;
        self.arch()?;
        self.params()?.validate()?;
        if !(self.sigma > 0.0) {
            return Err(TrainError::input(format!("--sigma {}: expected a step size > 0", self.sigma)));
        }
        if self.workers == 0 || self.workers > 64 {
            return Err(TrainError::input(format!("--workers {}: expected 1 ≤ M ≤ 64", self.workers)));
        }
        if method == Method::Msgd && self.workers != 1 {
            return Err(TrainError::input(format!("--workers {}: mSGD trains one model; expected --workers 1", self.workers)));
        }
        if self.order != "jacobi" && self.order != "gauss-seidel" {
            return Err(TrainError::input(format!("--order {}: expected jacobi or gauss-seidel", self.order)));
        }
        if let (Method::Algorithm1(k), "jacobi") = (method, self.order.as_str()) {
            if k.is_bounded() {
                return Err(TrainError::input(format!(
                    "--order jacobi with {k}: the Jacobi order (17) needs an unbounded potential (quad, cubic, cubic-reg); \
                     with a bounded domain only gauss-seidel keeps every u − zⱼ inside"
                )));
            }
        }
        if self.iterations == 0 {
            return Err(TrainError::input("--iterations 0: expected at least one iteration"));
        }
        if self.batch == 0 || self.batch > 10_000 {
            return Err(TrainError::input(format!("--batch {}: expected 1 ≤ batch ≤ 10000", self.batch)));
        }
        if self.comm_period == 0 || self.comm_period > 1_000_000 {
            return Err(TrainError::input(format!("--comm-period {}: expected 1 ≤ k ≤ 1000000 (1: Algorithm 1 exactly)", self.comm_period)));
        }
        if method == Method::Msgd && self.comm_period != 1 {
            return Err(TrainError::input(format!("--comm-period {}: mSGD has no elastic interaction; expected --comm-period 1", self.comm_period)));
        }
        if self.log_every == 0 {
            return Err(TrainError::input("--log-every 0: expected a positive interval"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The evaluation a sized run does, in forward passes of one image, counted from the knobs
    /// (a gradient costs three forward passes, a line-search trial one): the records (the test
    /// set, and M + 1 train-loss subsets each), the M full gradients of Corollary 5.1 and its
    /// prox iterations (a gradient and about two trials each).
    fn evaluation_passes(c: &TrainConfig, train: usize, test: usize) -> f64 {
        let m = c.workers as f64;
        let records = (c.iterations.div_ceil(c.log_every) + 1) as f64;
        let per_record = test as f64 + (m + 1.0) * c.eval_samples as f64;
        let s = if c.stationarity_samples == 0 { train } else { c.stationarity_samples } as f64;
        records * per_record + 3.0 * m * s + c.prox_iterations as f64 * (3.0 + 2.0) * s
    }

    #[test]
    fn sized_evaluation_stays_within_a_fifth_of_the_training() {
        let (mut worst, mut judged, mut too_short) = ((0.0f64, String::new()), 0, 0);
        for (train, test) in [(8000, 2000), (60_000, 10_000)] {
            for workers in [1usize, 4, 8] {
                for iterations in [300usize, 1000, 4000, 20_000] {
                    let method = if workers == 1 { Method::Msgd } else { Method::Algorithm1(PotentialKind::Log) };
                    let mut c = TrainConfig::default_for(method);
                    c.workers = workers;
                    c.iterations = iterations;
                    c.size_to_run(train, test, Given::default());
                    let work = iterations as f64 * workers as f64 * c.batch as f64 * 3.0;
                    // What no sizing can avoid: two passes over the test set, and the floors.
                    let m = workers as f64;
                    let floor = 2.0 * (test as f64 + (m + 1.0) * 64.0) + (3.0 * m + 15.0) * 64.0;
                    if floor > 0.2 * work {
                        too_short += 1;
                        continue;
                    }
                    judged += 1;
                    let share = evaluation_passes(&c, train, test) / work;
                    if share > worst.0 {
                        worst = (share, format!("{train}/{test} images, M = {workers}, {iterations} iterations: {c:?}"));
                    }
                }
            }
        }
        println!("{judged} runs judged, {too_short} too short for any sizing; worst share {:.1} % at {}", 100.0 * worst.0, worst.1);
        assert!(judged >= 18, "the grid must mostly be runs where the budget can be met ({judged} judged)");
        assert!(worst.0 <= 0.2, "evaluation is {:.1} % of training at {}", 100.0 * worst.0, worst.1);
    }

    #[test]
    fn knobs_the_user_gave_are_kept() {
        let mut c = TrainConfig::default_for(Method::Algorithm1(PotentialKind::Log));
        c.iterations = 300;
        c.log_every = 7;
        c.eval_samples = 123;
        let given = Given { log_every: true, eval_samples: true, ..Given::default() };
        c.size_to_run(8000, 2000, given);
        assert_eq!((c.log_every, c.eval_samples), (7, 123));
        let mut d = c.clone();
        d.size_to_run(8000, 2000, Given::default());
        assert_ne!((d.log_every, d.eval_samples), (7, 123), "unset knobs are sized");
    }
}
