//! `C4.4-sweep`: Corollary 4.4 as users meet it — alternating minimization (14a)–(14b) with
//! *local* inner solves (damped Newton from the previous z, `InnerSolve::Local`), over λ from well
//! below μ/r to the large λ of the `C4.4` control.
//!
//! Per potential (the paper potentials with μ > 0, so that λ·r/μ is defined) and per value of
//! λ·r/μ in [`RATIOS`] (log-spaced, 0.1 … 50): [`MODELS`] models (4) with the `C4.4` control's
//! multimodal f (½·0.1‖z‖² + bᵀz + two cosines of amplitude 1.5 and frequency 4; r ≈ 48), A = I +
//! 0.3·N and g(u) = (γ/2)‖u − c‖² with γ = 1 + 2r‖A‖² (as in `C4.4`), each run from two starts:
//! (u, z) = (0, 0), and a random z₀ ~ N(0, 1.5²) with u₀ = A⁻¹z₀. The models are the same for
//! every λ; each run has at most 5000 outer iterations. At each run's end point (ū, z̄),
//! independently of the run, the global oracle at Aū and central differences of its envelope give
//! ∇e(Aū), and the run *satisfies (7)* when ‖∇g(ū) + Aᵀ∇e(Aū)‖ / (‖A‖ max(‖∇e‖, 1)) ≤
//! [`CENTRAL_DIFF_REL`] (the test of `C4.4`) — what a user needs of the run's answer, whether or
//! not the run stopped with (5a)–(5b) residuals ≤ [`C44_STATIONARY`]; the runs that did not (at
//! the smallest λ the residual of (5a) can stall at the rounding floor of the coupling term,
//! ~1e-7 for tan-sep at λ·r/μ = 0.1) are counted in the note.
//!
//! Claim: for λ·r/μ ≤ 1 the inner problem is strongly convex (μ/λ ≥ r), its local minimizer is
//! the global one, and Corollary 4.4 applies — the fraction satisfying (7) is 1; above, the local
//! inner solve may stop at a non-global minimizer and the fraction falls. The record holds when
//! every run with λ·r/μ ≤ 1 satisfies (7); the note gives the fraction at every λ·r/μ and where it
//! first falls below 1. `infconv verify --out DIR` draws the fractions (`figures::c44_sweep`).

use super::c44::{condition_7, wavy};
use crate::outcome::{Outcome, Part, Verdict};
use crate::prox_checks::Setup;
use crate::rng::{normal, stream};
use crate::tolerance::{C44_STATIONARY, CENTRAL_DIFF_REL};
use infconv_theory::family::Family;
use infconv_theory::potential::registry;
use infconv_theory::prox::certificate::certificate;
use infconv_theory::splitting::alternating::solve_u;
use infconv_theory::splitting::{InnerSolve, Quadratic, SplittingModel, alternating_minimization};
use infconv_theory::{Matrix, TheoryError, Vector};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The check id.
pub const ID: &str = "C4.4-sweep";
/// The values of λ·r/μ (log-spaced from 0.1 to 50).
pub const RATIOS: [f64; 9] = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0];
/// Models (4) per value of λ·r/μ (each run from two starts).
pub const MODELS: usize = 3;
const M: usize = 2;
const MAX_OUTER: usize = 5000;

/// How (14b) is solved in a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inner {
    /// Damped Newton from the previous z (`InnerSolve::Local`).
    Local,
    /// The inner solve stopped before its first step: z stays at z₀ (a planted bug: the sweep
    /// must flag it).
    StoppedEarly,
}

/// The fraction at one value of λ·r/μ.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// λ·r/μ.
    pub ratio: f64,
    /// λ.
    pub lambda: f64,
    /// Runs.
    pub runs: usize,
    /// Runs whose end point satisfies (7).
    pub satisfied: usize,
    /// Runs that did not reach (5a)–(5b) residuals ≤ `C44_STATIONARY` (or failed).
    pub not_stationary: usize,
}

impl Point {
    /// The fraction of runs satisfying (7).
    pub fn fraction(&self) -> f64 {
        if self.runs == 0 { 0.0 } else { self.satisfied as f64 / self.runs as f64 }
    }
}

/// The potentials of the sweep: the paper potentials with μ > 0 (λ·r/μ needs μ).
pub fn potentials() -> Vec<&'static str> {
    crate::catalogue::paper_potentials()
        .into_iter()
        .filter(|p| registry::build(p, M).and_then(|phi| certificate(phi.as_ref(), M)).is_ok_and(|c| c.mu > 0.0))
        .collect()
}

/// The verdict the catalogue expects: every potential of [`potentials`] meets what Corollary 4.4
/// assumes of φ, and the f of the sweep is C², hence prox-regular, with λ_f = ∞: `holds`.
pub fn expected(_potential: &str) -> Verdict {
    Verdict::Holds
}

/// One run's end: whether it satisfies (7), and whether it reached (5a)–(5b).
fn judge_run(model: &SplittingModel, setup: &Setup, u: &Vector, z: &Vector) -> Result<(bool, bool), String> {
    let stationary = model.residual_5a(u, z).map_err(|e| e.to_string())? <= C44_STATIONARY
        && model.residual_5b(u, z).map_err(|e| e.to_string())? <= C44_STATIONARY;
    let (_, r7) = condition_7(setup, &model.a, model.lambda, model.g.as_ref(), u)?;
    Ok((r7 <= CENTRAL_DIFF_REL, stationary))
}

/// One run of alternating minimization from (u₀, z₀).
fn run(model: &SplittingModel, u0: &Vector, z0: &Vector, inner: Inner) -> Result<(Vector, Vector), TheoryError> {
    match inner {
        Inner::Local => alternating_minimization(model, u0, z0, InnerSolve::Local, C44_STATIONARY, MAX_OUTER).map(|r| (r.u, r.z)),
        Inner::StoppedEarly => Ok((solve_u(model, z0, u0)?, z0.clone())),
    }
}

/// The sweep for one potential (module doc), computed afresh.
pub fn sweep(potential: &str, seed: u64, inner: Inner) -> Result<Vec<Point>, String> {
    let err = |e: TheoryError| e.to_string();
    let mu = certificate(registry::build(potential, M).map_err(err)?.as_ref(), M).map_err(err)?.mu;
    let mut models = Vec::new();
    for k in 0..MODELS {
        let mut rng = stream(seed, &[ID, potential, &k.to_string()]);
        let f = wavy(&mut rng).map_err(err)?;
        let r = f.weak_convexity_modulus().unwrap_or(0.0);
        let a = Matrix::identity(M, M) + Matrix::from_fn(M, M, |_, _| 0.3 * normal(&mut rng));
        let g = Quadratic { gamma: 1.0 + 2.0 * r * a.norm_squared(), center: Vector::from_fn(M, |_, _| 0.5 * normal(&mut rng)) };
        let z_random = Vector::from_fn(M, |_, _| 1.5 * normal(&mut rng));
        let u_random = a.clone().lu().solve(&z_random).ok_or("A is singular")?;
        models.push((f, r, a, g, [(Vector::zeros(M), Vector::zeros(M)), (u_random, z_random)]));
    }
    let mut points = Vec::new();
    for &ratio in &RATIOS {
        let mut p = Point { ratio, lambda: f64::NAN, runs: 0, satisfied: 0, not_stationary: 0 };
        for (f, r, a, g, starts) in &models {
            let lambda = ratio * mu / r;
            p.lambda = lambda;
            let model = SplittingModel::new(Box::new(f.clone()), g.clone(), a.clone(), registry::build(potential, M).map_err(err)?, lambda).map_err(err)?;
            let phi = registry::build(potential, M).map_err(err)?;
            let cert = certificate(phi.as_ref(), M).map_err(err)?;
            let setup = Setup { phi, f: Box::new(f.clone()), cert };
            for (u0, z0) in starts {
                p.runs += 1;
                let judged = run(&model, u0, z0, inner).map_err(err).and_then(|(u, z)| judge_run(&model, &setup, &u, &z));
                match judged {
                    Ok((satisfied, stationary)) => {
                        p.satisfied += usize::from(satisfied);
                        p.not_stationary += usize::from(!stationary);
                    }
                    Err(_) => p.not_stationary += 1,
                }
            }
        }
        points.push(p);
    }
    Ok(points)
}

type Cache = Mutex<HashMap<(String, u64), Result<Vec<Point>, String>>>;

/// The sweep with local inner solves, computed once per (potential, seed) and run: the record and
/// the report's figure share it.
pub fn cached(potential: &str, seed: u64) -> Result<Vec<Point>, String> {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let key = (potential.to_string(), seed);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let value = sweep(potential, seed, Inner::Local);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, value.clone());
    }
    value
}

/// The table of a sweep, "λ·r/μ = 0.1: 6/6, …".
pub fn table(points: &[Point]) -> String {
    points.iter().map(|p| format!("{}: {}/{}", p.ratio, p.satisfied, p.runs)).collect::<Vec<_>>().join(", ")
}

/// The outcome of a sweep (module doc): the runs failing (7) at λ·r/μ ≤ 1, held to 0.
pub fn judge(points: &[Point]) -> Outcome {
    let below: Vec<&Point> = points.iter().filter(|p| p.ratio <= 1.0).collect();
    let runs: usize = below.iter().map(|p| p.runs).sum();
    let failing: usize = below.iter().map(|p| p.runs - p.satisfied).sum();
    let worst = below.iter().filter(|p| p.satisfied < p.runs).map(|p| format!("λ·r/μ = {}", p.ratio)).collect::<Vec<_>>().join(", ");
    let falls = points
        .iter()
        .find(|p| p.satisfied < p.runs)
        .map(|p| format!("the fraction first falls below 1 at λ·r/μ = {} ({}/{})", p.ratio, p.satisfied, p.runs))
        .unwrap_or_else(|| format!("the fraction stays 1 up to λ·r/μ = {}", points.last().map_or(0.0, |p| p.ratio)));
    let not_stationary: usize = points.iter().map(|p| p.not_stationary).sum();
    let note = format!(
        "runs satisfying (7) per λ·r/μ: {}; {falls}; {not_stationary} runs did not reach (5a)–(5b)",
        table(points)
    );
    Outcome::from_parts(vec![Part::upper("runs failing (7) at λ·r/μ ≤ 1 (count)", failing as f64, 0.0, runs, worst)], &note)
}

/// Runs `C4.4-sweep` for one potential.
pub fn check(potential: &str, seed: u64) -> Outcome {
    match cached(potential, seed) {
        Ok(points) => judge(&points),
        Err(e) => super::failed(format!("the sweep could not run: {e}")),
    }
}
