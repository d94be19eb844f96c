//! `infconv train`: one configuration of Algorithm 1 (or mSGD) on LeNet-5 and MNIST, in a run
//! folder with checkpoints, logs and Figure 1; `--resume DIR` continues a run exactly.

use crate::progress::Bar;
use infconv_train::data;
use infconv_train::config::Given;
use infconv_train::{GpuDevices, LogRecord, Method, RunOptions, TrainConfig, TrainData, TrainError};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::sync::Arc;

/// Where the kernels run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackendChoice {
    /// The CPU backends (f32, multi-threaded).
    Cpu,
    /// wgpu: the kernels' state and the LeNet gradients on the first adapter (an error if none).
    Gpu,
    /// wgpu where the adapter is a real GPU, else the CPU (lavapipe is slower than the CPU engine).
    Auto,
}

/// The flags of `infconv train` (defaults: the log potential, 4 workers; see docs/results.md).
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// φ of (18): quad, cubic, cubic-reg, tan, tan-sep, log, log-sep; or msgd (the baseline).
    #[arg(long, default_value = "log")]
    pub potential: String,
    /// Workers M (mSGD: 1).
    #[arg(long)]
    pub workers: Option<usize>,
    /// Iterations of Algorithm 1.
    #[arg(long)]
    pub iterations: Option<usize>,
    /// Minibatch per worker.
    #[arg(long)]
    pub batch: Option<usize>,
    /// η of (18).
    #[arg(long, allow_negative_numbers = true)]
    pub eta: Option<f64>,
    /// λ of (15).
    #[arg(long, allow_negative_numbers = true)]
    pub lambda: Option<f64>,
    /// τ, the consensus step (default η²/(2M): the mean of the copies for quad).
    #[arg(long, allow_negative_numbers = true)]
    pub tau: Option<f64>,
    /// σ, the worker step (default 0.01).
    #[arg(long, allow_negative_numbers = true)]
    pub sigma: Option<f64>,
    /// κ, Nesterov momentum.
    #[arg(long, allow_negative_numbers = true)]
    pub kappa: Option<f64>,
    /// ν of R = (ν/2)‖·‖².
    #[arg(long, allow_negative_numbers = true)]
    pub nu: Option<f64>,
    /// Seed of the initialisation and of the sample orders.
    #[arg(long)]
    pub seed: Option<u64>,
    /// jacobi (workers against uᵗ, (17): synchronous EASGD for quad) or gauss-seidel (against
    /// uᵗ⁺¹, line 5; the fused kernel step).
    #[arg(long)]
    pub order: Option<String>,
    /// LeNet variant: caffe (431,080 parameters) or paper (one FC layer).
    #[arg(long)]
    pub arch: Option<String>,
    /// Log (and evaluate) every this many iterations.
    #[arg(long)]
    pub log_every: Option<usize>,
    /// Training images behind the logged train loss and objective (0: all).
    #[arg(long)]
    pub eval_samples: Option<usize>,
    /// Use only the first N training images (0: all).
    #[arg(long)]
    pub train_limit: Option<usize>,
    /// Checkpoint every this many iterations (0: only at the end).
    #[arg(long)]
    pub checkpoint_every: Option<usize>,
    /// Inner iterations of the prox behind the envelope stationarity measure.
    #[arg(long)]
    pub prox_iterations: Option<usize>,
    /// Training images behind the Corollary 5.1 figures at the end (0: all). Unset, this and the
    /// three flags above are sized to the run, so that evaluation costs at most about a fifth of
    /// the training.
    #[arg(long)]
    pub stationarity_samples: Option<usize>,
    /// k: the workers take k − 1 local steps between elastic interactions (1: Algorithm 1).
    #[arg(long)]
    pub comm_period: Option<usize>,
    /// Where the kernels run.
    #[arg(long, value_enum, default_value_t = BackendChoice::Cpu)]
    pub backend: BackendChoice,
    /// An MNIST-format IDX folder (default: the embedded 8,000/2,000 digits).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// The run folder (new or empty; default runs/<potential>-m<M>-s<seed>[-k]).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Continue the run in DIR from its checkpoint, with its configuration.
    #[arg(long, value_name = "DIR", conflicts_with = "out")]
    pub resume: Option<PathBuf>,
    /// Print one JSON record per logged step on stdout.
    #[arg(long)]
    pub json: bool,
    /// CPU threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

impl TrainArgs {
    fn overrides(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        macro_rules! chk {
            ($($f:ident => $name:expr),*) => { $( if self.$f.is_some() { v.push($name); } )* };
        }
        chk!(workers => "--workers", iterations => "--iterations", batch => "--batch", eta => "--eta", lambda => "--lambda",
             tau => "--tau", sigma => "--sigma", kappa => "--kappa", nu => "--nu", seed => "--seed", order => "--order", arch => "--arch",
             log_every => "--log-every", eval_samples => "--eval-samples", train_limit => "--train-limit",
             checkpoint_every => "--checkpoint-every", prox_iterations => "--prox-iterations",
             stationarity_samples => "--stationarity-samples", comm_period => "--comm-period");
        v
    }

    /// The configuration the flags describe.
    pub fn config(&self) -> Result<TrainConfig, TrainError> {
        let method = Method::parse(&self.potential)?;
        let mut c = TrainConfig::default_for(method);
        macro_rules! set {
            ($($f:ident),*) => { $( if let Some(x) = self.$f.clone() { c.$f = x; } )* };
        }
        set!(workers, iterations, batch, eta, lambda, tau, sigma, kappa, nu, seed, order, arch, log_every, eval_samples, train_limit, checkpoint_every, prox_iterations, stationarity_samples, comm_period);
        if self.tau.is_none() {
            c.tau = infconv_train::config::mean_tau(c.eta, c.workers);
        }
        c.validate()?;
        Ok(c)
    }
}

/// Loads the data set: the IDX folder `dir`, or the embedded digits.
fn load_split(dir: Option<&std::path::Path>) -> Result<data::Split, TrainError> {
    Ok(match dir {
        Some(d) => data::load_dir(d)?,
        None => data::embedded()?,
    })
}

/// Loads the images a run trains on.
pub fn load_data(dir: Option<&std::path::Path>, train_limit: usize, eval_samples: usize) -> Result<TrainData, TrainError> {
    TrainData::from_split(&load_split(dir)?, train_limit, eval_samples)
}

fn default_out(c: &TrainConfig) -> PathBuf {
    let base = format!("runs/{}-m{}-s{}", c.method, c.workers, c.seed);
    let mut p = PathBuf::from(&base);
    let mut k = 2;
    while p.exists() {
        p = PathBuf::from(format!("{base}-{k}"));
        k += 1;
    }
    p
}

/// Opens the wgpu devices for `--backend gpu` (an error naming what is missing when there is no
/// adapter) or `--backend auto` (kept only on a real GPU); returns them with the words of the
/// run's opening line.
pub fn check_backend(b: BackendChoice, cfg: &TrainConfig) -> Result<(Option<GpuDevices>, String), TrainError> {
    let arch = cfg.arch()?;
    let max_m = infconv_kernels::gpu::GPU_MAX_WORKERS;
    if let Err(why) = cfg.method()?.gpu_supported() {
        // A registered profile without a WGSL function: the CPU engine runs it.
        return match b {
            BackendChoice::Gpu => Err(TrainError::input(format!("--backend gpu with --potential {}: {why}", cfg.method))),
            BackendChoice::Auto => Ok((None, format!("backend auto: cpu-f32 ({} has no WGSL function)", cfg.method))),
            BackendChoice::Cpu => Ok((None, "backend cpu-f32".into())),
        };
    }
    match b {
        BackendChoice::Cpu => Ok((None, "backend cpu-f32".into())),
        BackendChoice::Gpu if cfg.workers > max_m => {
            Err(TrainError::input(format!("--backend gpu with --workers {}: the wgpu kernels take at most {max_m} workers; use --backend cpu", cfg.workers)))
        }
        BackendChoice::Auto if cfg.workers > max_m => Ok((None, format!("backend auto: cpu-f32 (M = {} > {max_m}, the wgpu kernels' limit)", cfg.workers))),
        BackendChoice::Gpu => match GpuDevices::open(arch, cfg.batch) {
            Ok(g) => {
                let note = if g.is_cpu_device() { " (a CPU device: slower than --backend cpu)" } else { "" };
                let words = format!("backend {}{note}", g.name());
                Ok((Some(g), words))
            }
            Err(e) => Err(TrainError::input(format!(
                "--backend gpu: no usable wgpu adapter ({e}); a Vulkan driver is needed (Mesa's lavapipe: \
                 mesa-vulkan-drivers libvulkan1), or use --backend cpu"
            ))),
        },
        BackendChoice::Auto => match GpuDevices::open(arch, cfg.batch) {
            Ok(g) if !g.is_cpu_device() => {
                let words = format!("backend auto: {}", g.name());
                Ok((Some(g), words))
            }
            Ok(g) => Ok((None, format!("backend auto: cpu-f32 (the wgpu adapter {} is a CPU device)", g.adapter()))),
            Err(e) => Ok((None, format!("backend auto: cpu-f32 (no wgpu adapter: {e})"))),
        },
    }
}

fn fmt_opt(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.3e}")).unwrap_or_else(|| "n/a".into())
}

/// The human summary of the last record.
pub fn summary_text(r: &LogRecord, out: &std::path::Path) -> String {
    format!(
        "run folder: {}\n{} with M = {}: {} iterations in {:.1} s, {} line-search cuts\n\
         u: train error {:.2} % (eval subset), test error {:.2} %, test loss {:.4}; objective of (15) {:.4}\n\
         Corollary 5.1 at (ū, z̄ⱼ): (5a) {}, (5b) {}, consensus maxⱼ‖ū − z̄ⱼ‖ {:.3e},\n\
         envelope stationarity ‖Σⱼ ∇e fⱼ(ū)‖ {} (inner prox residual {})\n",
        out.display(),
        r.method,
        r.workers,
        r.iterations,
        r.seconds,
        r.cuts,
        100.0 * r.train_error,
        100.0 * r.test_error,
        r.test_loss,
        r.objective,
        fmt_opt(r.residual_5a),
        fmt_opt(r.residual_5b),
        r.consensus,
        fmt_opt(r.envelope_stationarity),
        fmt_opt(r.prox_residual),
    )
}

/// The processes of an MPI job (docs/scaling.md): without the `mpi` feature, a launch by
/// `mpirun -n P` with P > 1 is refused (each process would train alone).
#[cfg(not(feature = "mpi"))]
struct Job;

#[cfg(not(feature = "mpi"))]
impl Job {
    fn start() -> Result<Job, TrainError> {
        let p = infconv_train::mpi::launcher_size();
        if p > 1 {
            return Err(TrainError::input(format!(
                "started by an MPI launcher as one of {p} processes (OMPI_COMM_WORLD_SIZE or PMI_SIZE = {p}), but this infconv \
                 was built without MPI, so each process would train alone; build it with `cargo build --release --features mpi` \
                 (needs libopenmpi-dev and libclang-dev), or run it without mpirun"
            )));
        }
        Ok(Job)
    }
    fn rank(&self) -> usize {
        0
    }
    fn size(&self) -> usize {
        1
    }
    fn team(&self, _workers: usize) -> Option<infconv_train::mpi::Team> {
        None
    }
    fn broadcast(&self, mine: Vec<u8>) -> Vec<u8> {
        mine
    }
    fn fail(&self, code: u8) -> std::process::ExitCode {
        std::process::ExitCode::from(code)
    }
}

#[cfg(feature = "mpi")]
struct Job(Option<infconv_train::mpi::world::Mpi>);

#[cfg(feature = "mpi")]
impl Job {
    fn start() -> Result<Job, TrainError> {
        if infconv_train::mpi::launcher_size() > 1 {
            Ok(Job(Some(infconv_train::mpi::world::Mpi::init()?)))
        } else {
            Ok(Job(None))
        }
    }
    fn rank(&self) -> usize {
        self.0.as_ref().map_or(0, |m| m.rank())
    }
    fn size(&self) -> usize {
        self.0.as_ref().map_or(1, |m| m.size())
    }
    fn team(&self, workers: usize) -> Option<infconv_train::mpi::Team> {
        self.0.as_ref().map(|m| infconv_train::mpi::Team { transport: Box::new(m.world()), workers, stream_shift: 0 })
    }
    fn broadcast(&self, mine: Vec<u8>) -> Vec<u8> {
        use infconv_train::mpi::Transport;
        match &self.0 {
            Some(m) => m.world().broadcast_bytes(&mine).unwrap_or_default(),
            None => mine,
        }
    }
    /// With P > 1 an error ends every rank (the others may wait in a collective).
    fn fail(&self, code: u8) -> std::process::ExitCode {
        match &self.0 {
            Some(m) if m.size() > 1 => m.abort(code as i32),
            _ => std::process::ExitCode::from(code),
        }
    }
}

/// Runs `infconv train`; exit status 0 on success, 2 on bad input, 1 on a failure during the run.
pub fn run(args: &TrainArgs) -> std::process::ExitCode {
    use std::process::ExitCode;
    let job = match Job::start() {
        Ok(j) => j,
        Err(e) => {
            eprintln!("infconv train: {e}");
            return ExitCode::from(2);
        }
    };
    let who = if job.size() > 1 { format!("infconv train (rank {} of {})", job.rank(), job.size()) } else { "infconv train".into() };
    let root = job.rank() == 0;
    let bad = |m: &dyn std::fmt::Display| {
        eprintln!("{who}: {m}");
        job.fail(2)
    };
    let (cfg, out) = match &args.resume {
        Some(dir) => {
            let o = args.overrides();
            if !o.is_empty() {
                return bad(&format!("--resume {}: the configuration comes from the checkpoint; drop {}", dir.display(), o.join(", ")));
            }
            // Rank 0 reads the checkpoint; the others take its configuration from it.
            let mine = if root {
                match infconv_train::run::load_resume(dir) {
                    Ok(ck) => serde_json::to_vec(&ck.header.config).unwrap_or_default(),
                    Err(e) => return bad(&e),
                }
            } else {
                Vec::new()
            };
            match serde_json::from_slice::<TrainConfig>(&job.broadcast(mine)) {
                Ok(c) => (c, dir.clone()),
                Err(e) => return bad(&format!("--resume {}: rank 0's configuration: {e}", dir.display())),
            }
        }
        None => match args.config() {
            Ok(c) => {
                let out = args.out.clone().unwrap_or_else(|| default_out(&c));
                (c, out)
            }
            Err(e) => return bad(&e),
        },
    };
    let mut cfg = cfg;
    let (gpu, engine) = match check_backend(args.backend, &cfg) {
        Ok(x) => x,
        Err(e) => return bad(&e),
    };
    let split = match load_split(args.data.as_deref()) {
        Ok(s) => s,
        Err(e) => return bad(&e),
    };
    if args.resume.is_none() {
        let train = if cfg.train_limit == 0 { split.train.len() } else { cfg.train_limit.min(split.train.len()) };
        let given = Given {
            log_every: args.log_every.is_some(),
            eval_samples: args.eval_samples.is_some(),
            prox_iterations: args.prox_iterations.is_some(),
            stationarity_samples: args.stationarity_samples.is_some(),
        };
        cfg.size_to_run(train, split.test.len(), given);
    }
    let data = match TrainData::from_split(&split, cfg.train_limit, cfg.eval_samples) {
        Ok(d) => Arc::new(d),
        Err(e) => return bad(&e),
    };
    if root {
        let ranks = if job.size() > 1 { format!(", {} MPI ranks", job.size()) } else { String::new() };
        eprintln!(
            "infconv train: {} M={} on {} ({} train / {} test), seed {}, {engine}{ranks}, into {}",
            cfg.method,
            cfg.workers,
            data.source,
            data.train.len(),
            data.test.len(),
            cfg.seed,
            out.display()
        );
    }
    let opts = RunOptions { out: out.clone(), resume: args.resume.is_some(), threads: args.threads };
    let mut bar = Bar::new(root && !args.json, root && args.json);
    let team = job.team(cfg.workers);
    let result = infconv_train::run::run_team(if args.resume.is_some() { None } else { Some(cfg) }, data, &opts, gpu, team, &mut bar);
    match result {
        Ok(Some(last)) => {
            if !args.json {
                print!("{}", summary_text(&last, &out));
            }
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(e) if e.is_bad_input() => bad(&e),
        Err(e) => {
            eprintln!("{who}: {e}");
            job.fail(1)
        }
    }
}

