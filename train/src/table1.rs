//! Table 1 of the paper: every potential of Table 2 trained over a grid of (σ = τ, κ, λ, η), the
//! best configuration per potential reported (lowest test error, ties by objective). Each
//! configuration is one run folder below the table's folder; a finished run (its `summary.json`
//! exists) is read back instead of trained again, so an interrupted grid continues where it
//! stopped.

use crate::error::TrainError;
use crate::config::{Method, TrainConfig};
use crate::dataset::TrainData;
use crate::driver::LogRecord;
use crate::observe::{Event, Observe};
use crate::run::{RunOptions, run};
use infconv_kernels::PotentialKind;
use serde::Serialize;
use std::path::Path;
use std::sync::Arc;

/// The potentials of Table 2, in the paper's order.
pub const TABLE2: [PotentialKind; 6] =
    [PotentialKind::Quad, PotentialKind::Cubic, PotentialKind::Tan, PotentialKind::TanSep, PotentialKind::Log, PotentialKind::LogSep];

/// How τ is set in a grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TauRule {
    /// τ = σ (the paper's grid).
    EqualSigma,
    /// τ = η²/(2M), the mean of the copies for quad (see `config::mean_tau`).
    Mean,
}

/// A grid of (σ, τ, κ, λ, η).
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// σ values.
    pub sigma: Vec<f64>,
    /// τ from σ or from η and M.
    pub tau: TauRule,
    /// κ values.
    pub kappa: Vec<f64>,
    /// λ values.
    pub lambda: Vec<f64>,
    /// η values.
    pub eta: Vec<f64>,
}

impl Grid {
    /// The paper's grid (section 6): σ = τ ∈ {0.001, 0.005}, κ ∈ {0.9, 0.99}, λ ∈ {0.1, 0.05,
    /// 0.025, 0.01, 0.005, 0.0025}, η ∈ {0.5, 1, 2}: 72 configurations per potential.
    pub fn paper() -> Grid {
        Grid {
            sigma: vec![0.001, 0.005],
            tau: TauRule::EqualSigma,
            kappa: vec![0.9, 0.99],
            lambda: vec![0.1, 0.05, 0.025, 0.01, 0.005, 0.0025],
            eta: vec![0.5, 1.0, 2.0],
        }
    }

    /// The small grid that fits a 2-core machine: σ = 0.01, τ = η²/(2M), κ = 0.9,
    /// λ ∈ {0.1, 0.05}, η = 1 (2 configurations per potential). Both keep σ·L/λ well below the
    /// stability limit of the momentum step (L = 2/η² for every potential at w = 0): λ = 0.01
    /// puts quad at σ·2/λ = 2 and diverges.
    pub fn small() -> Grid {
        Grid { sigma: vec![0.01], tau: TauRule::Mean, kappa: vec![0.9], lambda: vec![0.1, 0.05], eta: vec![1.0] }
    }

    /// By name: "small" or "paper".
    pub fn by_name(name: &str) -> Result<Grid, TrainError> {
        match name {
            "small" => Ok(Grid::small()),
            "paper" => Ok(Grid::paper()),
            _ => Err(TrainError::input(format!("--grid {name}: expected small or paper"))),
        }
    }

    /// Every configuration for a potential, from a base configuration.
    pub fn configs(&self, kind: PotentialKind, base: &TrainConfig) -> Vec<TrainConfig> {
        let mut out = Vec::new();
        for &s in &self.sigma {
            for &k in &self.kappa {
                for &l in &self.lambda {
                    for &e in &self.eta {
                        let mut c = base.clone();
                        c.method = kind.name().into();
                        c.sigma = s;
                        c.tau = match self.tau {
                            TauRule::EqualSigma => s,
                            TauRule::Mean => super::config::mean_tau(e, c.workers),
                        };
                        c.kappa = k;
                        c.lambda = l;
                        c.eta = e;
                        out.push(c);
                    }
                }
            }
        }
        out
    }
}

/// The folder name of a configuration.
pub fn run_name(c: &TrainConfig) -> String {
    format!("{}-s{}-t{}-k{}-l{}-e{}", c.method, c.sigma, c.tau, c.kappa, c.lambda, c.eta)
}

/// One row of the table: the best run of a potential.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The potential.
    pub potential: String,
    /// Its best configuration.
    pub config: TrainConfig,
    /// That run's last record.
    pub last: LogRecord,
    /// Configurations tried.
    pub tried: usize,
    /// Of those, how many failed (diverged: a non-finite loss, or an iterate the line search
    /// could not keep in the domain).
    pub failed: usize,
}

/// The marker file of a configuration that failed (holds the error).
pub const FAILED: &str = "FAILED.txt";

fn finished(dir: &Path) -> Option<LogRecord> {
    let text = std::fs::read_to_string(dir.join("summary.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    serde_json::from_value(v.get("last")?.clone()).ok()
}

/// Runs (or reads back) every configuration and returns the best per potential; `obs` sees every
/// run's progress and a [`Event::Note`] line per configuration.
pub fn table1(
    grid: &Grid,
    base: &TrainConfig,
    potentials: &[PotentialKind],
    data: Arc<TrainData>,
    dir: &Path,
    threads: usize,
    obs: &mut impl Observe,
) -> Result<Vec<Row>, TrainError> {
    std::fs::create_dir_all(dir).map_err(|e| TrainError::input(format!("--out {}: cannot create the folder ({e})", dir.display())))?;
    let mut rows = Vec::new();
    for &kind in potentials {
        let configs = grid.configs(kind, base);
        let mut best: Option<(TrainConfig, LogRecord)> = None;
        let mut failed = 0;
        for c in &configs {
            let sub = dir.join(run_name(c));
            if let Ok(why) = std::fs::read_to_string(sub.join(FAILED)) {
                note(obs, &format!("{}: failed earlier ({})", run_name(c), why.trim()));
                failed += 1;
                continue;
            }
            let last = match finished(&sub) {
                Some(r) => {
                    note(obs, &format!("{}: done earlier, test error {:.2} %", run_name(c), 100.0 * r.test_error));
                    r
                }
                None => {
                    if sub.exists() {
                        std::fs::remove_dir_all(&sub).map_err(|e| format!("{}: cannot clear an unfinished run ({e})", sub.display()))?;
                    }
                    let opts = RunOptions { out: sub.clone(), resume: false, threads };
                    match run(Some(c.clone()), data.clone(), &opts, obs) {
                        Ok(r) => {
                            note(obs, &format!("{}: test error {:.2} %, objective {:.4}, {:.0} s", run_name(c), 100.0 * r.test_error, r.objective, r.seconds));
                            r
                        }
                        // A configuration that diverges is a result of the grid, not the end of it.
                        Err(e) => {
                            note(obs, &format!("{}: FAILED: {e}", run_name(c)));
                            std::fs::create_dir_all(&sub).map_err(|e| format!("{}: {e}", sub.display()))?;
                            crate::atomic::write_atomic(&sub.join(FAILED), e.to_string().as_bytes())?;
                            failed += 1;
                            continue;
                        }
                    }
                }
            };
            let better = match &best {
                None => true,
                Some((_, b)) => (last.test_error, last.objective) < (b.test_error, b.objective),
            };
            if better {
                best = Some((c.clone(), last));
            }
        }
        match best {
            Some((config, last)) => rows.push(Row { potential: kind.name().into(), config, last, tried: configs.len(), failed }),
            None => note(obs, &format!("{kind}: every configuration failed; no row")),
        }
    }
    Ok(rows)
}

fn note(obs: &mut impl Observe, line: &str) {
    obs.observe(&Event::Note(line));
}

/// The Markdown table, in the paper's columns (plus the configuration and the Corollary 5.1
/// figures). Losses are means per image; the paper's test loss column is a sum over its 10,000
/// test images, so the sum over ours is given beside it.
pub fn markdown(rows: &[Row], test_images: usize, note: &str) -> String {
    let mut s = String::new();
    s += &format!("{note}\n\n");
    s += "| φ | objective | train loss (nll, mean) | train error | test loss (nll, mean / sum) | test error | σ | τ | κ | λ | η | cuts | (5a) | (5b) | consensus | envelope | configs (failed) |\n";
    s += "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    let e = |x: Option<f64>| x.map(|v| format!("{v:.2e}")).unwrap_or_else(|| "–".into());
    for r in rows {
        let l = &r.last;
        s += &format!(
            "| {} | {:.4} | {:.4} | {:.2} % | {:.4} / {:.1} | {:.2} % | {} | {} | {} | {} | {} | {} | {} | {} | {:.2e} | {} | {} ({}) |\n",
            r.potential,
            l.objective,
            l.train_loss,
            100.0 * l.train_error,
            l.test_loss,
            l.test_loss * test_images as f64,
            100.0 * l.test_error,
            r.config.sigma,
            r.config.tau,
            r.config.kappa,
            r.config.lambda,
            r.config.eta,
            l.cuts,
            e(l.residual_5a),
            e(l.residual_5b),
            l.consensus,
            e(l.envelope_stationarity),
            r.tried,
            r.failed
        );
    }
    s
}

/// The base configuration of a grid: Table 1's M = 4, batch 20, ν = 1e-4.
pub fn base_config(iterations: usize, seed: u64) -> TrainConfig {
    let mut c = TrainConfig::default_for(Method::Algorithm1(PotentialKind::Quad));
    c.iterations = iterations;
    c.seed = seed;
    c.log_every = (iterations / 10).max(1);
    c.checkpoint_every = 0;
    c
}
