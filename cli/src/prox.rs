//! `infconv prox`: P, e and ∇e of a named potential and family at a point; `--sweep-lambda`
//! for the largest λ at which formula (13) holds there; `--plot FILE` for f, e and P of a 1-D
//! family under every paper potential.

use crate::error::CliError;
use infconv_verify::prox_checks::{Setup, sweep};
use infconv_theory::family;
use infconv_theory::potential::registry;
use infconv_theory::prox::{self, envelope_gradient, oracle};
use infconv_theory::{TheoryError, Vector};
use serde_json::json;

/// Arguments of `infconv prox`.
#[derive(clap::Args, Debug, Clone)]
pub struct ProxArgs {
    /// Potential name (e.g. quad, log, tan-sep).
    #[arg(long)]
    pub potential: String,
    /// Function family name (e.g. smooth-nonconvex, l1-smooth, neg-abs).
    #[arg(long)]
    pub family: String,
    /// The point v, comma-separated (its length is the dimension).
    #[arg(long, default_value = "0.5", allow_hyphen_values = true)]
    pub v: String,
    /// λ > 0 (a negative value is accepted by the parser and rejected with a clear error).
    #[arg(long, default_value_t = 0.1, allow_negative_numbers = true)]
    pub lambda: f64,
    /// Seed of the generated family.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Find the largest λ at which formula (13) holds at v (on [--lambda-min, --lambda-max]).
    #[arg(long)]
    pub sweep_lambda: bool,
    /// Lower end of the sweep.
    #[arg(long, default_value_t = 1e-3, allow_negative_numbers = true)]
    pub lambda_min: f64,
    /// Upper end of the sweep.
    #[arg(long, default_value_t = 1e2, allow_negative_numbers = true)]
    pub lambda_max: f64,
    /// Draw f, e and P in 1-D for every paper potential to this SVG file.
    #[arg(long)]
    pub plot: Option<String>,
}

fn parse_v(s: &str) -> Result<Vector, CliError> {
    let xs: Result<Vec<f64>, _> = s.split(',').map(|t| t.trim().parse::<f64>()).collect();
    match xs {
        Ok(xs) if !xs.is_empty() && xs.iter().all(|x| x.is_finite()) => Ok(Vector::from_vec(xs)),
        _ => Err(CliError::Input(format!("invalid --v {s:?}: expected comma-separated finite numbers, e.g. --v 0.3,-1"))),
    }
}

fn check_names(potential: &str, family_name: &str) -> Result<(), CliError> {
    registry::info(potential).map_err(|_| CliError::Input(format!("unknown potential {potential:?}; known potentials: {}", registry::known_names())))?;
    family::registry::info(family_name)
        .map_err(|_| CliError::Input(format!("unknown family {family_name:?}; known families: {}", family::registry::known_names().join(", "))))?;
    Ok(())
}

/// Runs `infconv prox`: exit 2 on bad input, 1 when no φ-prox could be computed.
pub fn main(args: &ProxArgs) -> std::process::ExitCode {
    match run(args) {
        Ok(code) => std::process::ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) => {
            eprintln!("infconv prox: {e}");
            e.exit_code()
        }
    }
}

fn run(args: &ProxArgs) -> Result<i32, CliError> {
    check_names(&args.potential, &args.family)?;
    if !(args.lambda > 0.0 && args.lambda.is_finite()) {
        return Err(CliError::Input(format!("invalid --lambda {}: expected a finite λ > 0", args.lambda)));
    }
    let v = parse_v(&args.v)?;
    if let Some(file) = &args.plot {
        infconv_verify::figures::prox_1d(&args.family, args.lambda, args.seed, file)?;
        if !args.json {
            println!("wrote {file}");
        }
    }
    let setup = Setup::new(&args.potential, &args.family, v.len(), args.seed)?;
    if args.sweep_lambda {
        let s = sweep::sweep_lambda(&setup, &v, args.lambda_min, args.lambda_max)?;
        if args.json {
            let (lo, hi) = s.threshold.map_or((None, None), |(a, b)| (Some(a), Some(b)));
            println!(
                "{}",
                json!({"potential": args.potential, "family": args.family, "v": v.as_slice(), "seed": args.seed,
                       "lambda_range": [args.lambda_min, args.lambda_max], "largest_lambda_holding": lo,
                       "smallest_lambda_failing": hi, "failure": s.failure, "certified_lambda_f": finite(s.certified),
                       "evaluations": s.evaluations})
            );
        } else {
            match s.threshold {
                Some((lo, hi)) => println!(
                    "formula (13) holds at v up to λ = {lo:.10e} and fails from λ = {hi:.10e} ({})\ncertified threshold λ_f = {:.10e}",
                    s.failure.unwrap_or_default(),
                    s.certified
                ),
                None => println!(
                    "no threshold found: formula (13) holds at v on the whole range [{:e}, {:e}] (certified λ_f = {})",
                    args.lambda_min, args.lambda_max, s.certified
                ),
            }
        }
        return Ok(0);
    }
    let (phi, f) = (setup.phi.as_ref(), setup.f.as_ref());
    let (z, e, method, others) = match prox::phi_prox(phi, f, args.lambda, &v) {
        Ok(p) => (p.z, p.envelope, p.method.to_string(), Vec::new()),
        Err(err @ (TheoryError::InvalidParameter { .. } | TheoryError::DimensionMismatch { .. } | TheoryError::NonFinite { .. })) => {
            return Err(err.into());
        }
        Err(fast_err) => match oracle::global(phi, f, args.lambda, &v) {
            Ok(o) => (o.minimizers[0].clone(), o.envelope, format!("global oracle (fast solver: {fast_err})"), o.minimizers[1..].to_vec()),
            Err(e) => return Err(CliError::Failed(format!("no φ-prox at v: {e} (fast solver: {fast_err})"))),
        },
    };
    let g = envelope_gradient(phi, args.lambda, &v, &z)?;
    if args.json {
        let others: Vec<Vec<f64>> = others.iter().map(|x| x.as_slice().to_vec()).collect();
        println!(
            "{}",
            json!({"potential": args.potential, "family": args.family, "seed": args.seed, "lambda": args.lambda,
                   "v": v.as_slice(), "prox": z.as_slice(), "envelope": e, "envelope_gradient": g.as_slice(),
                   "other_minimizers": others, "method": method})
        );
    } else {
        println!("potential {} · family {} (seed {}) · λ = {} · v = {:?}", args.potential, args.family, args.seed, args.lambda, v.as_slice());
        println!("P(v)  = {:?}", z.as_slice());
        for o in &others {
            println!("      also a global minimizer: {:?} (P is multivalued here)", o.as_slice());
        }
        println!("e(v)  = {e:.15e}");
        println!("∇e(v) = {:?}   (formula (13): ∇φ(v − P(v))/λ)", g.as_slice());
        println!("method: {method}");
    }
    Ok(0)
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

