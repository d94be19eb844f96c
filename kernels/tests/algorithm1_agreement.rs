//! One Algorithm 1: the theory crate's f64 `Algorithm1` and the kernels' f64 CPU step, fed the
//! same minibatch gradients δⱼ of (16), produce the same iterates u, zⱼ, velocities vⱼ and
//! residuals of (5a)/(5b), iteration by iteration, on a small least-squares problem with a
//! bounded potential and steps large enough that the fraction-to-boundary search cuts them.
//!
//! The seam is the δⱼ input of the kernels' step: each iteration the test draws worker j's
//! minibatch from the same stream the theory run draws from (`worker_rng`, `minibatch`), takes the
//! risk's gradient at the kernels' zⱼ and hands it to the kernels; the theory run computes its own.
//!
//! Two conventions differ and are translated, not changed: the kernels keep the velocity in
//! gradient units (v′ = κv + Δ), the theory crate in displacement units (v′ = κv − σΔ), so
//! v_theory = −σ v_kernels; and the kernels' line search keeps u − zⱼ inside dom φ̂ shrunk by
//! `DOMAIN_SAFETY` (a margin for the f32 kernels), which the theory run is given as its domain
//! ([`KernelDomain`]). Everything else (Gauss–Seidel order as in line 5, τ without 1/λ, the
//! fraction, the cut counting) is the same rule in both.
//!
//! Control: the kernels run with the other velocity rule (a cut step keeps the unscaled velocity)
//! must disagree with the theory run, so the comparison can fail.

use infconv_kernels::backend::{Backend, HostState};
use infconv_kernels::potential::{DOMAIN_SAFETY, Params, PotentialKind};
use infconv_kernels::tolerance::ALGORITHM1_AGREEMENT_REL;
use infconv_kernels::{CpuBackend, LayerTable};
use infconv_theory::distributed::algorithm1::worker_rng;
use infconv_theory::distributed::least_squares::LeastSquares;
use infconv_theory::distributed::risk::minibatch;
use infconv_theory::distributed::{Algorithm1, Config, Consensus, EmpiricalRisk, Order};
use infconv_theory::potential::layerwise::Layerwise;
use infconv_theory::potential::log::{Log, LogSep};
use infconv_theory::potential::scaled::Scaled;
use infconv_theory::{ConjugateGradient, Domain, Gradient, Hessian, Legendre, Matrix, TheoryError, Value, Vector};
use std::sync::Arc;

const LAYERS: [usize; 2] = [3, 2];
const DIM: usize = 5;
const WORKERS: usize = 3;
const SAMPLES: usize = 40;
const BATCH: usize = 5;
const ITERATIONS: usize = 60;
/// η of (18): the radius of dom φ̂ per layer (radial) or per coordinate (separable).
const ETA: f64 = 0.5;

/// φ̂ with the domain of the kernels' line search: s < s_max (1 − DOMAIN_SAFETY), i.e. dom φ̂
/// scaled by c = √(1 − DOMAIN_SAFETY) (the bounded domains here are balls or boxes around 0).
/// Value and derivatives are φ̂'s own.
#[derive(Debug)]
struct KernelDomain<P> {
    inner: P,
    c: f64,
}

impl<P: Legendre> Value for KernelDomain<P> {
    fn value(&self, w: &Vector) -> Result<f64, TheoryError> {
        self.inner.value(w)
    }
}
impl<P: Legendre> Gradient for KernelDomain<P> {
    fn gradient(&self, w: &Vector) -> Result<Vector, TheoryError> {
        self.inner.gradient(w)
    }
}
impl<P: Legendre> Hessian for KernelDomain<P> {
    fn hessian(&self, w: &Vector) -> Result<Matrix, TheoryError> {
        self.inner.hessian(w)
    }
}
impl<P: Legendre> ConjugateGradient for KernelDomain<P> {
    fn conjugate_gradient(&self, y: &Vector) -> Result<Vector, TheoryError> {
        self.inner.conjugate_gradient(y)
    }
}
impl<P: Legendre> Domain for KernelDomain<P> {
    fn contains(&self, w: &Vector) -> bool {
        self.inner.contains(&(w / self.c))
    }
    fn max_step(&self, w: &Vector, d: &Vector) -> Result<f64, TheoryError> {
        self.inner.max_step(&(w / self.c), &(d / self.c))
    }
    fn inradius(&self) -> f64 {
        self.c * self.inner.inradius()
    }
    fn boundary_distance(&self, w: &Vector) -> f64 {
        self.c * self.inner.boundary_distance(&(w / self.c))
    }
}
impl<P: Legendre> Legendre for KernelDomain<P> {
    fn name(&self) -> String {
        format!("{} on the kernels' line-search domain", self.inner.name())
    }
    fn fixed_dim(&self) -> Option<usize> {
        self.inner.fixed_dim()
    }
}

/// The theory crate's φ̂ of (18) for a kernel kind: η-scaled per layer, on the kernels' domain.
fn theory_potential(kind: PotentialKind) -> Arc<dyn Legendre> {
    let c = (1.0 - DOMAIN_SAFETY).sqrt();
    match kind {
        PotentialKind::Log => {
            Arc::new(KernelDomain { inner: Layerwise::new(Scaled::new(Log::new(), ETA).unwrap(), LAYERS.to_vec()).unwrap(), c })
        }
        PotentialKind::LogSep => {
            Arc::new(KernelDomain { inner: Layerwise::new(Scaled::new(LogSep::new(), ETA).unwrap(), LAYERS.to_vec()).unwrap(), c })
        }
        k => panic!("no theory counterpart written for {k}"),
    }
}

/// Steps large for a domain of radius η = 0.5, so that about two thirds of the consensus and
/// worker steps get cut. The fraction-to-boundary factor is 0.5, not the default 0.99: with 0.99,
/// consecutive cuts toward the same wall each leave 1% of the remaining distance, so 1 − s shrinks
/// geometrically and the condition s/(1 − s) of log's h′ amplifies the last-bit differences of
/// the two implementations (to 2e-11 after 30 iterations at η = 0.05); 0.5 keeps the cut steps
/// where the comparison measures the rule, not the conditioning.
fn config() -> Config {
    Config {
        workers: WORKERS,
        lambda: 0.5,
        tau: 0.1,
        sigma: 0.02,
        kappa: 0.9,
        nu: 1e-3,
        batch: Some(BATCH),
        seed: 7,
        order: Order::GaussSeidel,
        fraction: 0.5,
        consensus: Consensus::Linearized,
    }
}

fn params(kind: PotentialKind, c: &Config) -> Params {
    Params {
        potential: kind,
        eta: ETA,
        lambda: c.lambda,
        tau: c.tau,
        sigma: c.sigma,
        nu: c.nu,
        kappa: c.kappa,
        fraction: c.fraction,
    }
}

/// ‖a − b‖∞ / ‖b‖∞ (b the theory run's value; 0 when both are 0).
fn rel(a: &[f64], b: &[f64]) -> f64 {
    let diff = a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max);
    let scale = b.iter().map(|y| y.abs()).fold(0.0, f64::max);
    if diff == 0.0 { 0.0 } else { diff / scale }
}

/// What a run of the two implementations measured.
struct Agreement {
    /// The worst relative difference over every iteration and quantity, with where it was.
    worst: f64,
    at: String,
    /// The theory run's cuts and the kernels' cuts.
    cuts: (usize, usize),
    /// The first iteration where the worst difference exceeded the tolerance, if any.
    first_failure: Option<usize>,
}

/// Runs both for [`ITERATIONS`]; with `old_rule` the kernels' stored velocity is un-scaled after
/// every cut step (the rule under which a cut keeps vⱼ′ instead of tⱼvⱼ′).
fn run(kind: PotentialKind, old_rule: bool) -> Agreement {
    let c = config();
    let risk: Arc<dyn EmpiricalRisk> = Arc::new(LeastSquares::generated(SAMPLES, DIM, 11).unwrap());
    let phi = theory_potential(kind);
    let init = Vector::zeros(DIM);
    let mut theory = Algorithm1::new(c.clone(), vec![risk.clone(); WORKERS], phi, init.clone()).unwrap();
    let p = params(kind, &c);
    let backend = CpuBackend::<f64>::single_thread();
    let layers = LayerTable::new(LAYERS.to_vec()).unwrap();
    let host = HostState::at_rest(layers, WORKERS, init.as_slice().to_vec(), vec![0.0; WORKERS * DIM]).unwrap();
    let mut st = backend.load(&host).unwrap();
    let mut rngs: Vec<_> = (0..WORKERS).map(|j| worker_rng(c.seed, j)).collect();
    let mut kernel_cuts = 0;
    let mut out = Agreement { worst: 0.0, at: String::new(), cuts: (0, 0), first_failure: None };
    for it in 1..=ITERATIONS {
        // δⱼ of (16) at the kernels' zⱼ, on the minibatch the theory run draws this iteration.
        let z_now = backend.store(&st).unwrap().z;
        let mut delta = Vec::with_capacity(WORKERS * DIM);
        for (j, rng) in rngs.iter_mut().enumerate() {
            let batch = minibatch(rng, risk.samples(), BATCH);
            let zj = Vector::from_column_slice(&z_now[j * DIM..(j + 1) * DIM]);
            delta.extend(risk.loss_and_gradient(&zj, &batch).unwrap().1.iter());
        }
        backend.set_delta(&mut st, &delta).unwrap();
        let report = backend.step(&mut st, &p).unwrap();
        kernel_cuts += report.cuts;
        if old_rule {
            let mut h = backend.store(&st).unwrap();
            for (j, &t) in report.worker_t.iter().enumerate().filter(|(_, t)| **t > 0.0) {
                h.v[j * DIM..(j + 1) * DIM].iter_mut().for_each(|v| *v /= t);
            }
            st = backend.load(&h).unwrap();
        }
        theory.step().unwrap();

        // The residuals, both on the full data: the kernels' δⱼ become the full gradients.
        let h = backend.store(&st).unwrap();
        let mut full = Vec::with_capacity(WORKERS * DIM);
        for j in 0..WORKERS {
            full.extend(risk.full(&Vector::from_column_slice(h.z_of(j))).unwrap().1.iter());
        }
        let mut with_full = backend.load(&HostState { delta: full, ..h.clone() }).unwrap();
        let kr = backend.residuals(&mut with_full, &p).unwrap();
        let tr = theory.residuals().unwrap();

        let mut figures: Vec<(String, f64)> = vec![("u".into(), rel(&h.u, theory.u.as_slice()))];
        for j in 0..WORKERS {
            figures.push((format!("z{j}"), rel(h.z_of(j), theory.z[j].as_slice())));
            let v_kernel: Vec<f64> = h.v[j * DIM..(j + 1) * DIM].iter().map(|v| -c.sigma * v).collect();
            figures.push((format!("v{j}"), rel(&v_kernel, theory.velocity()[j].as_slice())));
        }
        let r5b = kr.r5b.iter().copied().fold(0.0, f64::max);
        figures.push(("r5a".into(), rel(&[kr.r5a], &[tr.r5a])));
        figures.push(("r5b".into(), rel(&[r5b], &[tr.r5b])));
        figures.push(("consensus".into(), rel(&[kr.consensus_distance], &[tr.consensus])));
        for (what, r) in figures {
            // A NaN counts as the worst difference.
            if r > out.worst || r.is_nan() {
                out.worst = r;
                out.at = format!("{what} at iteration {it}");
            }
            if (r > ALGORITHM1_AGREEMENT_REL || r.is_nan()) && out.first_failure.is_none() {
                out.first_failure = Some(it);
            }
        }
    }
    out.cuts = (theory.cuts, kernel_cuts);
    out
}

#[test]
fn theory_and_kernels_run_the_same_algorithm_1() {
    for kind in [PotentialKind::Log, PotentialKind::LogSep] {
        let a = run(kind, false);
        println!(
            "{kind}: {ITERATIONS} iterations, {} cuts (theory) / {} (kernels), worst relative difference {:.2e} ({})",
            a.cuts.0, a.cuts.1, a.worst, a.at
        );
        assert!(a.cuts.0 > 0, "{kind}: no step was cut, the velocity rule was not exercised");
        assert_eq!(a.cuts.0, a.cuts.1, "{kind}: the two runs cut different steps");
        assert!(
            a.worst <= ALGORITHM1_AGREEMENT_REL,
            "{kind}: theory and kernels differ by {:e} ({}), first at iteration {:?}",
            a.worst,
            a.at,
            a.first_failure
        );
    }
}

/// The control: the other velocity rule for cut steps (the stored velocity not scaled) is caught.
#[test]
fn the_other_velocity_rule_is_caught() {
    for kind in [PotentialKind::Log, PotentialKind::LogSep] {
        let a = run(kind, true);
        println!(
            "{kind}, unscaled velocity after a cut: worst relative difference {:.2e} ({}), first beyond {ALGORITHM1_AGREEMENT_REL:e} at iteration {:?}",
            a.worst, a.at, a.first_failure
        );
        assert!(a.first_failure.is_some(), "{kind}: the other velocity rule went unnoticed (worst {:e})", a.worst);
    }
}
