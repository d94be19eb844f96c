//! One run of `infconv train` in a run folder: `checkpoint.bin`, `log.jsonl`, `log.csv`,
//! `figure1.svg` and, at the end, `summary.json` (the last record, the configuration, the data
//! source and the machine). A fresh run needs a new or empty folder; `--resume` continues the
//! folder's checkpoint with the configuration stored in it.

use super::checkpoint::{Checkpoint, write_atomic};
use super::config::TrainConfig;
use super::dataset::TrainData;
use super::driver::{LogRecord, Trainer};
use super::gpu_engine::GpuDevices;
use super::logfile::RunLog;
use super::plot::figure1;
use super::stationarity::corollary_5_1;
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
    /// Draw a progress bar on stderr (when it is a terminal).
    pub progress: bool,
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

/// Runs to the configured number of iterations on the CPU engine; `emit` sees every logged record
/// (the last one carries the Corollary 5.1 figures).
pub fn run(cfg: Option<TrainConfig>, data: Arc<TrainData>, opts: &RunOptions, emit: impl FnMut(&LogRecord)) -> Result<LogRecord, String> {
    run_with(cfg, data, opts, None, emit)
}

/// [`run`] on the wgpu engine when `gpu` is given (see `gpu_engine.rs`).
pub fn run_with(
    cfg: Option<TrainConfig>,
    data: Arc<TrainData>,
    opts: &RunOptions,
    gpu: Option<GpuDevices>,
    mut emit: impl FnMut(&LogRecord),
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
    let bar = if opts.progress { indicatif::ProgressBar::new(cfg.iterations as u64) } else { indicatif::ProgressBar::hidden() };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} it ({per_sec}, eta {eta}) {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_position(tr.iteration() as u64);
    if tr.iteration() == 0 && log.records().is_empty() {
        bar.set_message("evaluating the initial point");
        let r = tr.record()?;
        log.append(&r)?;
        emit(&r);
    }
    let ck_path = checkpoint_path(dir);
    let mut last = log.records().last().cloned();
    while tr.iteration() < cfg.iterations {
        tr.step()?;
        bar.inc(1);
        let it = tr.iteration();
        let done = it == cfg.iterations;
        if it % cfg.log_every == 0 || done {
            bar.set_message("evaluating");
            let mut r = tr.record()?;
            if done {
                let st = corollary_5_1(&mut tr, |m| bar.set_message(m.to_string()))?;
                r.residual_5a = st.r5a;
                r.residual_5b = Some(st.r5b);
                r.envelope_stationarity = st.envelope;
                r.prox_residual = st.prox_residual;
            }
            log.append(&r)?;
            emit(&r);
            bar.set_message(format!("test error {:.2} %, objective {:.4}", 100.0 * r.test_error, r.objective));
            last = Some(r);
        }
        if (cfg.checkpoint_every > 0 && it % cfg.checkpoint_every == 0) || done {
            tr.save_and_reload(&ck_path)?;
        }
    }
    bar.finish_and_clear();
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
