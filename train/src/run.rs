//! One run of `infconv train` in a run folder: `checkpoint.bin`, `log.jsonl`, `log.csv`,
//! `figure1.svg` and, at the end, `summary.json` (the last record, the configuration, the data
//! source and the machine). A fresh run needs a new or empty folder; `--resume` continues the
//! folder's checkpoint with the configuration stored in it.

use crate::error::TrainError;
use crate::atomic::write_atomic;
use crate::checkpoint::Checkpoint;
use crate::config::TrainConfig;
use crate::dataset::TrainData;
use crate::driver::{LogRecord, Trainer};
use crate::gpu_engine::GpuDevices;
use crate::logfile::RunLog;
use crate::mpi::Team;
use crate::observe::{Event, Observe};
use crate::plot::figure1;
use crate::stationarity::corollary_5_1;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where and how a run goes.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The run folder.
    pub out: PathBuf,
    /// Continue the folder's checkpoint (the configuration comes from it).
    pub resume: bool,
    /// CPU threads (0: one per core).
    pub threads: usize,
}

/// The checkpoint file of a run folder.
pub fn checkpoint_path(dir: &Path) -> PathBuf {
    dir.join("checkpoint.bin")
}

fn prepare_fresh(dir: &Path) -> Result<(), TrainError> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| TrainError::input(format!("--out {}: cannot read the folder ({e})", dir.display())))?;
        if entries.next().is_some() {
            return Err(TrainError::input(format!(
                "--out {}: the folder is not empty; expected a new or empty folder (continue a run there with --resume {})",
                dir.display(),
                dir.display()
            )));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| TrainError::input(format!("--out {}: cannot create the folder ({e})", dir.display())))
}

/// The configuration a run will use: `cfg` for a fresh run, the checkpoint's for `--resume`.
pub fn load_resume(dir: &Path) -> Result<Checkpoint, TrainError> {
    let p = checkpoint_path(dir);
    if !p.exists() {
        return Err(TrainError::input(format!("--resume {}: no checkpoint.bin there; expected the folder of an earlier `infconv train --out`", dir.display())));
    }
    Checkpoint::load(&p)
}

/// Runs to the configured number of iterations on the CPU engine; `obs` sees every step and every
/// logged record (the last one carries the Corollary 5.1 figures).
pub fn run(cfg: Option<TrainConfig>, data: Arc<TrainData>, opts: &RunOptions, obs: &mut impl Observe) -> Result<LogRecord, TrainError> {
    run_with(cfg, data, opts, None, obs)
}

/// [`run`] on the wgpu engine when `gpu` is given (see `gpu_engine.rs`).
pub fn run_with(
    cfg: Option<TrainConfig>,
    data: Arc<TrainData>,
    opts: &RunOptions,
    gpu: Option<GpuDevices>,
    obs: &mut impl Observe,
) -> Result<LogRecord, TrainError> {
    run_team(cfg, data, opts, gpu, None, obs)?.ok_or_else(|| TrainError::Failed("the run logged nothing".into()))
}

/// The data's fingerprint: SHA-256 over the pixels (little-endian f32) and labels of the
/// training, evaluation and test images.
pub fn data_fingerprint(data: &TrainData) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for set in [&data.train, &data.eval, &data.test] {
        for x in &set.x {
            h.update(x.to_le_bytes());
        }
        h.update(&set.y);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What every rank must agree on: each field of the configuration, the data, the iteration to
/// start from and the program's version.
fn agreement(cfg: &TrainConfig, data: &TrainData, iteration: usize) -> Result<Vec<(String, String)>, TrainError> {
    let v = serde_json::to_value(cfg)?;
    let mut fields: Vec<(String, String)> =
        v.as_object().map(|o| o.iter().map(|(k, x)| (k.clone(), x.to_string())).collect()).unwrap_or_default();
    fields.push(("data (fingerprint of the images)".into(), data_fingerprint(data)));
    fields.push(("start iteration".into(), iteration.to_string()));
    fields.push(("infconv version".into(), env!("CARGO_PKG_VERSION").into()));
    Ok(fields)
}

/// [`run_with`] across the ranks of `team` (None: one process; see `mpi/`). Rank 0 reads and
/// writes the run folder (checkpoint, logs, figure, summary) and evaluates; the other ranks
/// compute and return `Ok(None)`. A fresh run's configuration must be the same on every rank
/// (checked against rank 0's); a resumed run's checkpoint is read by rank 0 and sent to the others.
pub fn run_team(
    cfg: Option<TrainConfig>,
    data: Arc<TrainData>,
    opts: &RunOptions,
    gpu: Option<GpuDevices>,
    team: Option<Team>,
    obs: &mut impl Observe,
) -> Result<Option<LogRecord>, TrainError> {
    let dir = &opts.out;
    let mut team = match team {
        Some(t) => t,
        None => Team::single(cfg.as_ref().map_or(1, |c| c.workers)),
    };
    let root = team.is_root();
    let (mut tr, mut log) = if opts.resume {
        let ck = if team.size() == 1 {
            load_resume(dir)?
        } else {
            let bytes = if root { load_resume(dir)?.to_bytes() } else { Vec::new() };
            let bytes = team.transport.broadcast_bytes(&bytes)?;
            crate::checkpoint::Checkpoint::from_bytes(&bytes, "rank 0's checkpoint")?
        };
        let it = ck.header.iteration;
        let tr = Trainer::from_checkpoint_on(ck, data, opts.threads, gpu)?;
        let log = if root { Some(RunLog::resume(dir, it)?) } else { None };
        (tr, log)
    } else {
        let cfg = cfg.ok_or("a fresh run needs a configuration")?;
        cfg.validate()?;
        if root {
            prepare_fresh(dir)?;
        }
        let tr = Trainer::new_on(cfg, data, opts.threads, gpu)?;
        let log = if root { Some(RunLog::create(dir)?) } else { None };
        (tr, log)
    };
    let cfg = tr.config().clone();
    team.workers = cfg.workers;
    team.check_same(|| agreement(&cfg, tr.data(), tr.iteration()))?;
    let team = Team::new(team.transport, cfg.workers)?;
    let ranks = team.size();
    tr.join(team)?;
    let (start_iteration, start_seconds) = (tr.iteration(), tr.seconds());
    obs.observe(&Event::Start { iteration: tr.iteration(), total: cfg.iterations });
    let Some(log) = log.as_mut() else {
        // Not rank 0: the same steps, flushes and checkpoint reloads, no files.
        while tr.iteration() < cfg.iterations {
            tr.step()?;
            let it = tr.iteration();
            let done = it == cfg.iterations;
            if it % cfg.log_every == 0 || done {
                tr.flush()?;
            }
            if (cfg.checkpoint_every > 0 && it % cfg.checkpoint_every == 0) || done {
                tr.save_and_reload(&checkpoint_path(dir))?;
            }
        }
        let stats = tr.team().transport.stats();
        tr.team_mut().transport.all_gather_bytes(&serde_json::to_vec(&stats)?)?;
        return Ok(None);
    };
    // Wall-clock seconds outside training: the logged evaluations and the Corollary 5.1 figures.
    let (mut evaluation, mut stationarity) = (0.0f64, 0.0f64);
    let started = std::time::Instant::now();
    if tr.iteration() == 0 && log.records().is_empty() {
        obs.observe(&Event::Phase("evaluating the initial point"));
        let t = std::time::Instant::now();
        let r = tr.record()?;
        evaluation += t.elapsed().as_secs_f64();
        log.append(&r)?;
        obs.observe(&Event::Logged(&r));
    }
    let ck_path = checkpoint_path(dir);
    let mut last = log.records().last().cloned();
    while tr.iteration() < cfg.iterations {
        tr.step()?;
        obs.observe(&Event::Step { iteration: tr.iteration(), total: cfg.iterations });
        let it = tr.iteration();
        let done = it == cfg.iterations;
        if it % cfg.log_every == 0 || done {
            tr.flush()?;
            obs.observe(&Event::Phase("evaluating"));
            let t = std::time::Instant::now();
            let mut r = tr.record()?;
            evaluation += t.elapsed().as_secs_f64();
            if done {
                let t = std::time::Instant::now();
                let st = corollary_5_1(&mut tr, |m| obs.observe(&Event::Phase(m)))?;
                stationarity += t.elapsed().as_secs_f64();
                r.residual_5a = st.r5a;
                r.residual_5b = Some(st.r5b);
                r.envelope_stationarity = st.envelope;
                r.prox_residual = st.prox_residual;
            }
            log.append(&r)?;
            obs.observe(&Event::Logged(&r));
            last = Some(r);
        }
        if (cfg.checkpoint_every > 0 && it % cfg.checkpoint_every == 0) || done {
            tr.save_and_reload(&ck_path)?;
        }
    }
    let comm = tr.team().transport.stats();
    let per_rank = tr.team_mut().transport.all_gather_bytes(&serde_json::to_vec(&comm)?)?;
    let per_rank: Vec<serde_json::Value> = per_rank.iter().map(|b| serde_json::from_slice(b).unwrap_or(serde_json::Value::Null)).collect();
    let run_iterations = tr.iteration() - start_iteration;
    obs.observe(&Event::Finish);
    let last = last.ok_or("the run logged nothing")?;
    let name = format!("{} M={}", cfg.method, cfg.workers);
    let svg = figure1(&[(name, log.records().to_vec())])?;
    write_atomic(&dir.join("figure1.svg"), svg.as_bytes())?;
    let summary = serde_json::json!({
        "config": cfg,
        "data": tr.data().source,
        "train_images": tr.data().train.len(),
        "test_images": tr.data().test.len(),
        "threads": tr.threads(),
        "backend": tr.backend_name(),
        "machine": machine(),
        "ranks": ranks,
        // This process's share: iterations and training seconds since it started (a resumed run
        // counts from the resume), and each rank's time and bytes in the collectives.
        "transport": {
            "iterations": run_iterations,
            "seconds": tr.seconds() - start_seconds,
            "per_rank": per_rank,
        },
        "last": last,
        "seconds": {
            "training": last.seconds,
            "evaluation": evaluation,
            "stationarity": stationarity,
            "wall": started.elapsed().as_secs_f64(),
            "note": "this invocation's evaluation and Corollary 5.1 time; training is the run's total (resumed runs included)",
        },
    });
    let text = serde_json::to_string_pretty(&summary)?;
    write_atomic(&dir.join("summary.json"), text.as_bytes())?;
    Ok(Some(last))
}

/// The CPU model and core count (Linux), for the summary.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| t.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|c| c.get()).unwrap_or(1);
    format!("{cpu}, {cores} cores")
}
