//! Every public entry point of the potentials, the φ-prox/φ-envelope and the families, fed inputs
//! across all magnitudes: {0, ±1e-300, ±1e-150, ±1e-8, ±1, ±1e8, ±1e150, ±1e300, NaN, ±∞} per
//! coordinate (all combinations in dimension 1 and 2, seeded random mixes in dimension 3), and
//! λ, η from the same set. Each call must
//! - return within [`CALL_LIMIT`] (run on its own thread, `recv_timeout`),
//! - not panic (a panic drops the channel: reported with its message),
//! - not return NaN inside an `Ok`: values may be +∞ (outside dom φ, or overflow of a value that
//!   is +∞ in the limit), vectors and matrices in an `Ok` are finite; everything else is a typed
//!   `TheoryError`.
//!
//! The seed of the random mixes is [`SEED`] (printed); every failure is listed with its input.

use infconv_theory::family::{Family, registry as families};
use infconv_theory::potential::layerwise::Layerwise;
use infconv_theory::potential::registry;
use infconv_theory::potential::scaled::Scaled;
use infconv_theory::prox::certificate::certificate;
use infconv_theory::prox::{self, jacobian, newton, oracle};
use infconv_theory::{Legendre, Matrix, TheoryError, Vector};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

/// Per-call wall-clock limit. The slowest legitimate call (the global oracle on a 49³ grid) takes
/// well under a second in release; a call that takes longer is taken to hang.
const CALL_LIMIT: Duration = Duration::from_secs(2);
/// Seed of the random mixes in dimension 3.
const SEED: u64 = 20190416;

/// The magnitudes of the brief, plus ±f64::MAX (where ‖w‖² + Σwᵢ was ∞ − ∞).
const MAGS: [f64; 20] = [
    0.0,
    1e-300,
    -1e-300,
    1e-150,
    -1e-150,
    1e-8,
    -1e-8,
    1.0,
    -1.0,
    1e8,
    -1e8,
    1e150,
    -1e150,
    1e300,
    -1e300,
    f64::MAX,
    -f64::MAX,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
];

/// What a call returned, reduced to what is checked.
enum Out {
    /// A scalar value: not NaN (+∞ allowed; −∞ only where `neg_inf_ok`).
    Scalar(f64),
    /// Numbers that must all be finite (vectors, matrices, minimizers).
    Finite(Vec<f64>),
    /// A typed error (or a boolean answer): nothing more to check.
    Typed,
}

fn scalar(r: Result<f64, TheoryError>) -> Out {
    r.map_or(Out::Typed, Out::Scalar)
}
fn vector(r: Result<Vector, TheoryError>) -> Out {
    r.map_or(Out::Typed, |v| Out::Finite(v.as_slice().to_vec()))
}
fn matrix(r: Result<Matrix, TheoryError>) -> Out {
    r.map_or(Out::Typed, |m| Out::Finite(m.as_slice().to_vec()))
}

type Job = Box<dyn FnOnce() -> Out + Send>;
type Answer = Result<Out, String>;

/// A worker thread that runs jobs one at a time and answers each on a channel; the caller waits
/// for each answer with a deadline. (A thread per call costs ~0.2 ms here; a hung worker is
/// abandoned and replaced.)
struct Worker {
    jobs: mpsc::Sender<Job>,
    answers: mpsc::Receiver<Answer>,
}

impl Worker {
    fn spawn() -> Self {
        let (jtx, jrx) = mpsc::channel::<Job>();
        let (atx, arx) = mpsc::channel::<Answer>();
        std::thread::spawn(move || {
            for job in jrx {
                let r = catch_unwind(AssertUnwindSafe(job)).map_err(|p| {
                    p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default()
                });
                if atx.send(r).is_err() {
                    break;
                }
            }
        });
        Worker { jobs: jtx, answers: arx }
    }
}

/// The failures found, and how many calls were made.
struct Log {
    failures: Vec<String>,
    calls: usize,
    slowest: (Duration, String),
    worker: Worker,
    started: Instant,
}

impl Default for Log {
    fn default() -> Self {
        Log { failures: Vec::new(), calls: 0, slowest: (Duration::ZERO, String::new()), worker: Worker::spawn(), started: Instant::now() }
    }
}

impl Log {
    /// A fuzz run: panics silenced (each is caught and logged), the seed printed, and the run's
    /// random stream (`SEED ^ salt`).
    fn start(salt: u64) -> (Log, ChaCha8Rng) {
        quiet_panics();
        println!("fuzz seed {SEED}");
        (Log::default(), ChaCha8Rng::seed_from_u64(SEED ^ salt))
    }
}

impl Log {
    /// [`Log::call`] of `f(obj, x)` on clones of `obj` and `x` (the call runs on the worker thread).
    fn on<T: Clone + Send + 'static>(&mut self, label: impl Fn() -> String, obj: &T, x: &Vector, f: impl FnOnce(&T, &Vector) -> Out + Send + 'static) {
        let (o, x) = (obj.clone(), x.clone());
        self.call(label, move || f(&o, &x));
    }

    /// Runs `f` on the worker thread with the per-call limit and checks its result.
    fn call(&mut self, label: impl Fn() -> String, f: impl FnOnce() -> Out + Send + 'static) {
        self.calls += 1;
        let start = Instant::now();
        let res = match self.worker.jobs.send(Box::new(f)) {
            Ok(()) => self.worker.answers.recv_timeout(CALL_LIMIT).map_err(|_| ()),
            Err(_) => Err(()),
        };
        let took = start.elapsed();
        if took > self.slowest.0 {
            self.slowest = (took, label());
        }
        if res.is_err() {
            self.worker = Worker::spawn(); // the old one hangs (or died): abandon it
        }
        let problem = match res {
            Err(()) => Some(format!("no answer within {CALL_LIMIT:?}")),
            Ok(Err(msg)) => Some(format!("panicked: {msg}")),
            Ok(Ok(Out::Scalar(x))) if x.is_nan() => Some("Ok(NaN)".into()),
            Ok(Ok(Out::Scalar(x))) if x == f64::NEG_INFINITY => Some("Ok(−∞)".into()),
            Ok(Ok(Out::Finite(v))) if v.iter().any(|x| !x.is_finite()) => Some(format!("Ok with non-finite entries {v:?}")),
            Ok(Ok(_)) => None,
        };
        if let Some(p) = problem {
            self.failures.push(format!("{}: {p}", label()));
        }
    }
}

/// The points of dimension m: every combination of MAGS for m ≤ 2, `count` seeded mixes for m = 3.
fn points(m: usize, count: usize, rng: &mut ChaCha8Rng) -> Vec<Vector> {
    match m {
        1 => MAGS.iter().map(|&x| Vector::from_element(1, x)).collect(),
        2 => MAGS.iter().flat_map(|&a| MAGS.iter().map(move |&b| Vector::from_vec(vec![a, b]))).collect(),
        _ => (0..count).map(|_| Vector::from_fn(m, |_, _| MAGS[rng.random_range(0..MAGS.len())])).collect(),
    }
}

/// Every method of a potential at every point (and every direction for max_step).
fn potential_calls(log: &mut Log, name: &str, phi: Arc<dyn Legendre>, pts: &[Vector], dirs: &[Vector]) {
    {
        let p = phi.clone();
        log.call(|| format!("{name}: inradius"), move || Out::Scalar(p.inradius()));
    }
    for w in pts {
        let lab = |what: &str| {
            let s = format!("{name}: {what} at w = {:?}", w.as_slice());
            move || s.clone()
        };
        log.on(lab("value"), &phi, w, |o, x| scalar(o.value(x)));
        log.on(lab("gradient"), &phi, w, |o, x| vector(o.gradient(x)));
        log.on(lab("hessian"), &phi, w, |o, x| matrix(o.hessian(x)));
        log.on(lab("conjugate_gradient"), &phi, w, |o, x| vector(o.conjugate_gradient(x)));
        let (p, x) = (phi.clone(), w.clone());
        log.call(lab("contains"), move || {
            let _ = p.contains(&x);
            Out::Typed
        });
        let (p, x) = (phi.clone(), w.clone());
        log.call(lab("boundary_distance"), move || {
            let d = p.boundary_distance(&x);
            if d >= 0.0 { Out::Scalar(d) } else { Out::Scalar(f64::NAN) }
        });
        let (p, x) = (phi.clone(), w.clone());
        log.call(lab("dual_derivatives"), move || match p.dual_derivatives(&x) {
            Some(Ok((v, g, h))) => {
                let mut all = vec![v];
                all.extend_from_slice(g.as_slice());
                all.extend_from_slice(h.as_slice());
                Out::Finite(all)
            }
            _ => Out::Typed,
        });
        for d in dirs {
            let (p, x, dd) = (phi.clone(), w.clone(), d.clone());
            let s = format!("{name}: max_step at w = {:?}, d = {:?}", w.as_slice(), d.as_slice());
            log.call(
                move || s.clone(),
                move || match p.max_step(&x, &dd) {
                    Ok(t) if t >= 0.0 => Out::Scalar(t),
                    Ok(_) => Out::Scalar(f64::NAN),
                    Err(_) => Out::Typed,
                },
            );
        }
    }
}

#[test]
fn potentials_return_in_bounded_time_without_nan() {
    let (mut log, mut rng) = Log::start(0);
    for m in 1..=3usize {
        let pts = points(m, 120, &mut rng);
        // Directions for max_step: a few magnitudes, from the in-domain points only (it errs on
        // the others anyway).
        let dirs: Vec<Vector> = [1e-300, 1.0, -1e8, 1e300, f64::NAN]
            .iter()
            .map(|&s| Vector::from_fn(m, |i, _| if i % 2 == 0 { s } else { -0.5 * s }))
            .collect();
        for info in registry::all() {
            let phi: Arc<dyn Legendre> = Arc::from(info.build(m).unwrap());
            potential_calls(&mut log, &format!("{} (m = {m})", info.name), phi, &pts, &dirs);
        }
    }
    // η-scaling and layerwise sums (18), with η over the magnitudes (invalid η: typed error).
    for &eta in &MAGS {
        let pts = points(2, 0, &mut rng);
        for inner in ["log", "cubic", "cosh", "tan-sep"] {
            match Scaled::new(registry::build(inner, 2).unwrap(), eta) {
                Ok(s) => potential_calls(&mut log, &format!("{inner}(·/{eta:e})"), Arc::new(s), &pts, &[]),
                Err(_) => log.call(|| "Scaled::new".into(), || Out::Typed),
            }
        }
    }
    let pts3 = points(3, 200, &mut rng);
    for inner in ["tan", "cubic", "cosh", "log-sep"] {
        let lw = Layerwise::new(Scaled::new(registry::build(inner, 1).unwrap(), 2.0).unwrap(), vec![1, 2]).unwrap();
        potential_calls(&mut log, &format!("layerwise {inner}"), Arc::new(lw), &pts3, &[]);
    }
    report(log);
}

#[test]
fn families_return_in_bounded_time_without_nan() {
    let (mut log, mut rng) = Log::start(1);
    let certs: Vec<_> = ["quad", "quad-Q", "cubic", "tan", "log-sep"]
        .iter()
        .map(|n| certificate(registry::build(n, 2).unwrap().as_ref(), 2).unwrap())
        .collect();
    for name in families::known_names() {
        for m in 1..=3usize {
            let Ok(f) = families::build(name, m, 7) else { continue };
            let f: Arc<dyn Family> = Arc::from(f);
            {
                let g = f.clone();
                log.call(
                    || format!("{name} (m = {m}): certificates"),
                    move || {
                        let mut all = vec![];
                        all.extend(g.weak_convexity_modulus());
                        if let Some(mn) = g.minorant() {
                            all.extend([mn.a, mn.b, mn.c]);
                        }
                        all.extend(g.lower_bound());
                        Out::Finite(all)
                    },
                );
            }
            for c in &certs {
                let (g, c) = (f.clone(), c.clone());
                log.call(|| format!("{name} (m = {m}): threshold"), move || {
                    let t = g.threshold(&c);
                    Out::Scalar(if t >= 0.0 { t } else { f64::NAN })
                });
            }
            let pts = points(m, 150, &mut rng);
            for z in &pts {
                let lab = |what: &str| {
                    let s = format!("{name} (m = {m}): {what} at z = {:?}", z.as_slice());
                    move || s.clone()
                };
                log.on(lab("value"), &f, z, |o, x| scalar(o.value(x)));
                log.on(lab("subgradient"), &f, z, |o, x| vector(o.subgradient(x)));
                log.on(lab("hessian"), &f, z, |o, x| o.hessian(x).map_or(Out::Typed, matrix));
                let (g, x) = (f.clone(), z.clone());
                let y = Vector::from_fn(m, |i, _| z[(i + 1) % m]);
                log.call(lab("subdifferential_distance"), move || scalar(g.subdifferential_distance(&x, &y)));
            }
        }
    }
    report(log);
}

#[test]
fn prox_entry_points_return_in_bounded_time_without_nan() {
    let (mut log, mut rng) = Log::start(2);
    let potentials = ["quad", "quad-Q", "cubic", "cubic-reg", "tan", "tan-sep", "log", "log-sep", "eta-log", "layered-tan", "cosh", "huber"];
    let lambdas = MAGS;
    for pname in potentials {
        for fname in families::known_names() {
            let m = if fname == "neg-abs" { 1 } else { 2 };
            let phi: Arc<dyn Legendre> = Arc::from(registry::build(pname, m).unwrap());
            let f: Arc<dyn Family> = Arc::from(families::build(fname, m, 3).unwrap());
            // v: a handful of mixed magnitudes per pair (seeded), plus a moderate point.
            let mut vs: Vec<Vector> = (0..3).map(|_| Vector::from_fn(m, |_, _| MAGS[rng.random_range(0..MAGS.len())])).collect();
            vs.push(Vector::from_fn(m, |i, _| 0.3 - 0.2 * i as f64));
            for &lambda in &lambdas {
                for v in &vs {
                    let lab = |what: &str| {
                        let s = format!("{what}({pname}, {fname}, λ = {lambda:e}, v = {:?})", v.as_slice());
                        move || s.clone()
                    };
                    let (p, g, x) = (phi.clone(), f.clone(), v.clone());
                    log.call(lab("phi_prox"), move || match prox::phi_prox(p.as_ref(), g.as_ref(), lambda, &x) {
                        Ok(s) => {
                            let mut all = s.z.as_slice().to_vec();
                            all.push(s.envelope);
                            Out::Finite(all)
                        }
                        Err(_) => Out::Typed,
                    });
                    let (p, g, x) = (phi.clone(), f.clone(), v.clone());
                    log.call(lab("envelope_and_gradient"), move || match prox::envelope::envelope_and_gradient(p.as_ref(), g.as_ref(), lambda, &x) {
                        Ok((z, e, gr)) => {
                            let mut all = z.as_slice().to_vec();
                            all.push(e);
                            all.extend_from_slice(gr.as_slice());
                            Out::Finite(all)
                        }
                        Err(_) => Out::Typed,
                    });
                    let z = v * 0.5;
                    let (p, g, x, zz) = (phi.clone(), f.clone(), v.clone(), z.clone());
                    log.call(lab("inner_objective"), move || scalar(prox::inner_objective(p.as_ref(), g.as_ref(), lambda, &x, &zz)));
                    let (p, x, zz) = (phi.clone(), v.clone(), z.clone());
                    log.call(lab("envelope_gradient"), move || vector(prox::envelope_gradient(p.as_ref(), lambda, &x, &zz)));
                    let (p, g, x, zz) = (phi.clone(), f.clone(), v.clone(), z.clone());
                    log.call(lab("prox_jacobian"), move || matrix(jacobian::prox_jacobian(p.as_ref(), g.as_ref(), lambda, &x, &zz)));
                    let (p, g, x, zz) = (phi.clone(), f.clone(), v.clone(), z.clone());
                    log.call(lab("lipschitz_bound"), move || scalar(jacobian::lipschitz_bound(p.as_ref(), g.as_ref(), lambda, &x, &zz)));
                    if matches!(g_structure(f.as_ref()), Kind::Smooth) {
                        let (p, g, x, zz) = (phi.clone(), f.clone(), v.clone(), z.clone());
                        log.call(lab("newton_local"), move || match newton::newton_local(p.as_ref(), g.as_ref(), lambda, &x, &zz) {
                            Ok(l) => {
                                let mut all = l.z.as_slice().to_vec();
                                all.push(l.value);
                                Out::Finite(all)
                            }
                            Err(_) => Out::Typed,
                        });
                    }
                }
            }
            // The global oracle is the slow reference: λ from the valid magnitudes, two v.
            if m == 1 || pname == "quad" || pname == "log-sep" {
                for &lambda in &[1e-300, 1e-8, 1.0, 1e8, 1e300, -1.0] {
                    for v in &vs[2..] {
                        let (p, g, x) = (phi.clone(), f.clone(), v.clone());
                        let s = format!("oracle::global({pname}, {fname}, λ = {lambda:e}, v = {:?})", v.as_slice());
                        log.call(
                            move || s.clone(),
                            move || match oracle::global(p.as_ref(), g.as_ref(), lambda, &x) {
                                Ok(o) => {
                                    let mut all: Vec<f64> = o.minimizers.iter().flat_map(|z| z.as_slice().to_vec()).collect();
                                    all.push(o.envelope);
                                    Out::Finite(all)
                                }
                                Err(_) => Out::Typed,
                            },
                        );
                    }
                }
            }
        }
    }
    report(log);
}

/// The harness itself can fail: a NaN inside an Ok, a −∞ value, a non-finite vector, a panic and
/// a hang are each flagged, and a typed error or +∞ value is not.
#[test]
fn harness_flags_nan_panic_and_hang() {
    quiet_panics();
    let mut log = Log::default();
    log.call(|| "nan".into(), || Out::Scalar(f64::NAN));
    log.call(|| "neg-inf".into(), || Out::Scalar(f64::NEG_INFINITY));
    log.call(|| "vector".into(), || Out::Finite(vec![1.0, f64::INFINITY]));
    log.call(|| "panic".into(), || panic!("planted"));
    log.call(|| "hang".into(), || {
        std::thread::sleep(CALL_LIMIT + Duration::from_millis(500));
        Out::Typed
    });
    assert_eq!(log.failures.len(), 5, "{:?}", log.failures);
    log.call(|| "typed".into(), || Out::Typed);
    log.call(|| "inf".into(), || Out::Scalar(f64::INFINITY));
    log.call(|| "finite".into(), || Out::Finite(vec![0.0, -1e308]));
    assert_eq!(log.failures.len(), 5, "{:?}", log.failures);
    assert!(log.failures[3].contains("planted") && log.failures[4].contains("no answer"), "{:?}", log.failures);
}

/// Panics are caught and reported as failures with their message; the default hook's backtrace
/// output per call would drown the report.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|_| {}));
}

enum Kind {
    Smooth,
    Other,
}

fn g_structure(f: &dyn Family) -> Kind {
    match f.structure() {
        infconv_theory::family::Structure::Smooth => Kind::Smooth,
        _ => Kind::Other,
    }
}

fn report(log: Log) {
    println!(
        "{} calls in {:.2} s, slowest {:.3} s: {}",
        log.calls,
        log.started.elapsed().as_secs_f64(),
        log.slowest.0.as_secs_f64(),
        log.slowest.1
    );
    for f in log.failures.iter().take(400) {
        println!("FAIL {f}");
    }
    assert!(log.failures.is_empty(), "{} of {} calls failed (seed {SEED}); first: {}", log.failures.len(), log.calls, log.failures[0]);
}
