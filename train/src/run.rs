//! One run of `infconv train` in a run folder: `checkpoint.bin`, `log.jsonl`, `log.csv`,
//! `figure1.svg` and, at the end, `summary.json` (the last record, the configuration, the data
//! source and the machine). A fresh run needs a new or empty folder; `--resume` continues the
//! folder's checkpoint with the configuration stored in it.

use crate::checkpoint::{Checkpoint, write_atomic};
use crate::config::TrainConfig;
use crate::dataset::TrainData;
use crate::driver::{LogRecord, Trainer};
use crate::gpu_engine::GpuDevices;
use crate::logfile::RunLog;
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

fn prepare_fresh(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| format!("--out {}: cannot read the folder ({e})", dir.display()))?;
        if entries.next().is_some() {
            return Err(format!(
                "--out {}: the folder is not empty; expected a new or empty folder (continue a run there with --resume {})",
                dir.display(),
                dir.display()
            ));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("--out {}: cannot create the folder ({e})", dir.display()))
}

/// The configuration a run will use: `cfg` for a fresh run, the checkpoint's for `--resume`.
pub fn load_resume(dir: &Path) -> Result<Checkpoint, String> {
    let p = checkpoint_path(dir);
    if !p.exists() {
        return Err(format!("--resume {}: no checkpoint.bin there; expected the folder of an earlier `infconv train --out`", dir.display()));
    }
    Checkpoint::load(&p)
}

/// Runs to the configured number of iterations on the CPU engine; `obs` sees every step and every
/// logged record (the last one carries the Corollary 5.1 figures).
pub fn run(cfg: Option<TrainConfig>, data: Arc<TrainData>, opts: &RunOptions, obs: &mut impl Observe) -> Result<LogRecord, String> {
    run_with(cfg, data, opts, None, obs)
}

/// [`run`] on the wgpu engine when `gpu` is given (see `gpu_engine.rs`).
pub fn run_with(
    cfg: Option<TrainConfig>,
    data: Arc<TrainData>,
    opts: &RunOptions,
    gpu: Option<GpuDevices>,
    obs: &mut impl Observe,
) -> Result<LogRecord, String> {
    let dir = &opts.out;
    let (mut tr, mut log) = if opts.resume {
        let ck = load_resume(dir)?;
        let it = ck.header.iteration;
        let tr = Trainer::from_checkpoint_on(ck, data, opts.threads, gpu)?;
        (tr, RunLog::resume(dir, it)?)
    } else {
        let cfg = cfg.ok_or("a fresh run needs a configuration")?;
        cfg.validate()?;
        prepare_fresh(dir)?;
        let tr = Trainer::new_on(cfg, data, opts.threads, gpu)?;
        (tr, RunLog::create(dir)?)
    };
    let cfg = tr.config().clone();
    obs.observe(&Event::Start { iteration: tr.iteration(), total: cfg.iterations });
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
        "last": last,
        "seconds": {
            "training": last.seconds,
            "evaluation": evaluation,
            "stationarity": stationarity,
            "wall": started.elapsed().as_secs_f64(),
            "note": "this invocation's evaluation and Corollary 5.1 time; training is the run's total (resumed runs included)",
        },
    });
    let text = serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?;
    write_atomic(&dir.join("summary.json"), text.as_bytes())?;
    Ok(last)
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
