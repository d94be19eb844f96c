//! Table 2 written out independently of the crate's profile code: each potential's value,
//! gradient and ∇φ* straight from the formulas (docs/potentials.md), compared with the registry
//! potentials on seeded random points of their domains; and the η-scaling of (18) against
//! num-dual derivatives of the scaled *value*.
//!
//! Tolerances: values and gradients are a handful of f64 operations, so they agree to a few ε
//! times the condition of the formula (≤ ~10 on the sampled zone, 95 % of the way to the
//! boundary): [`VALUE_REL`] = 1e-12. ∇φ* is a root (tan, tan-sep: bisection here, Newton in the
//! crate) or a closed form with a square root: [`CONJ_REL`] = 1e-10.

use infconv_theory::potential::registry;
use infconv_theory::potential::scaled::Scaled;
use infconv_theory::{ConjugateGradient, Domain, Gradient, Hessian, Legendre, Matrix, Value, Vector};
use num_dual::DualNum;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const VALUE_REL: f64 = 1e-12;
const CONJ_REL: f64 = 1e-10;
const SEED: u64 = 2019;
const POINTS: usize = 200;

/// max |a − b| / max(max |b|, 1e-300): relative in the max norm (absolute near 0 would hide a
/// wrong factor on small points).
fn rel(a: &[f64], b: &[f64]) -> f64 {
    let scale = b.iter().fold(0.0f64, |m, x| m.max(x.abs())).max(1e-300);
    a.iter().zip(b).fold(0.0f64, |m, (x, y)| m.max((x - y).abs())) / scale
}

/// The comparison every check below uses: Err with a message when the lengths differ or the
/// relative difference exceeds `tol` (or is NaN).
fn compare(what: &str, got: &[f64], want: &[f64], tol: f64) -> Result<f64, String> {
    if got.len() != want.len() {
        return Err(format!("{what}: {} coordinates, the formula has {} (got {got:?}, want {want:?})", got.len(), want.len()));
    }
    let e = rel(got, want);
    if e <= tol { Ok(e) } else { Err(format!("{what}: relative difference {e:e} > {tol:e} (got {got:?}, want {want:?})")) }
}

// ---- Table 2, written out ----

fn norm2(w: &[f64]) -> f64 {
    w.iter().map(|x| x * x).sum()
}

/// tridiag(0.4, 1, 0.4), the registry's Q.
fn q_matrix(m: usize) -> Matrix {
    Matrix::from_fn(m, m, |i, j| if i == j { 1.0 } else if i.abs_diff(j) == 1 { 0.4 } else { 0.0 })
}

/// The r ≥ 0 with 2r sec²(r²) = ρ, by bisection on [0, √(π/2)) to the last bit.
fn tan_radius(rho: f64) -> f64 {
    let g = |r: f64| 2.0 * r / (r * r).cos().powi(2);
    let (mut lo, mut hi) = (0.0, std::f64::consts::FRAC_PI_2.sqrt());
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if g(mid) < rho { lo = mid } else { hi = mid }
    }
    0.5 * (lo + hi)
}

struct Formula {
    value: fn(&[f64]) -> f64,
    gradient: fn(&[f64]) -> Vec<f64>,
    conj: fn(&[f64]) -> Vec<f64>,
    /// A random point of the domain (95 % of the way to the boundary at most).
    sample: fn(&mut ChaCha8Rng, usize) -> Vec<f64>,
}

fn ball(rng: &mut ChaCha8Rng, m: usize, radius: f64) -> Vec<f64> {
    let d: Vec<f64> = (0..m).map(|_| rng.random_range(-1.0..1.0)).collect();
    let n = norm2(&d).sqrt().max(1e-12);
    let r = radius * rng.random_range(0.0..1.0f64).powf(1.0 / m as f64);
    d.iter().map(|x| x / n * r).collect()
}

fn cube(rng: &mut ChaCha8Rng, m: usize, half: f64) -> Vec<f64> {
    (0..m).map(|_| rng.random_range(-half..half)).collect()
}

fn radial_conj(y: &[f64], r_of: impl Fn(f64) -> f64) -> Vec<f64> {
    let rho = norm2(y).sqrt();
    if rho == 0.0 { vec![0.0; y.len()] } else { y.iter().map(|t| t / rho * r_of(rho)).collect() }
}

fn formulas(name: &str) -> Formula {
    match name {
        "quad" => Formula {
            value: norm2,
            gradient: |w| w.iter().map(|t| 2.0 * t).collect(),
            conj: |y| y.iter().map(|t| t / 2.0).collect(),
            sample: |g, m| ball(g, m, 3.0),
        },
        "cubic" => Formula {
            value: |w| norm2(w).powf(1.5),
            gradient: |w| {
                let r = norm2(w).sqrt();
                w.iter().map(|t| 3.0 * r * t).collect()
            },
            conj: |y| {
                let rho = norm2(y).sqrt();
                if rho == 0.0 { vec![0.0; y.len()] } else { y.iter().map(|t| t / (3.0 * rho).sqrt()).collect() }
            },
            sample: |g, m| ball(g, m, 3.0),
        },
        "tan" => Formula {
            value: |w| norm2(w).tan(),
            gradient: |w| {
                let c = norm2(w).cos();
                w.iter().map(|t| 2.0 * t / (c * c)).collect()
            },
            conj: |y| radial_conj(y, tan_radius),
            sample: |g, m| ball(g, m, 0.95 * std::f64::consts::FRAC_PI_2.sqrt()),
        },
        "tan-sep" => Formula {
            value: |w| w.iter().map(|t| (t * t).tan()).sum(),
            gradient: |w| w.iter().map(|t| 2.0 * t / (t * t).cos().powi(2)).collect(),
            conj: |y| y.iter().map(|t| t.signum() * tan_radius(t.abs()) * if *t == 0.0 { 0.0 } else { 1.0 }).collect(),
            sample: |g, m| cube(g, m, 0.95 * std::f64::consts::FRAC_PI_2.sqrt()),
        },
        "log" => Formula {
            // −log(1 − s) as −ln_1p(−s): the same number without the rounding of 1 − s, whose
            // relative error ε/s in the result would dominate for small s.
            value: |w| -(-norm2(w)).ln_1p(),
            gradient: |w| {
                let q = 1.0 - norm2(w);
                w.iter().map(|t| 2.0 * t / q).collect()
            },
            // (√(1+ρ²) − 1)/ρ, rationalized to ρ/(√(1+ρ²) + 1) (no cancellation for small ρ).
            conj: |y| radial_conj(y, |rho| rho / ((1.0 + rho * rho).sqrt() + 1.0)),
            sample: |g, m| ball(g, m, 0.95),
        },
        "log-sep" => Formula {
            value: |w| w.iter().map(|t| -(-(t * t)).ln_1p()).sum(),
            gradient: |w| w.iter().map(|t| 2.0 * t / (1.0 - t * t)).collect(),
            conj: |y| y.iter().map(|&t| t / ((1.0 + t * t).sqrt() + 1.0)).collect(),
            sample: |g, m| cube(g, m, 0.95),
        },
        "quad-Q" => Formula {
            value: |w| {
                let v = Vector::from_column_slice(w);
                v.dot(&(q_matrix(w.len()) * &v))
            },
            gradient: |w| (q_matrix(w.len()) * Vector::from_column_slice(w) * 2.0).as_slice().to_vec(),
            conj: |y| {
                let x = q_matrix(y.len()).lu().solve(&Vector::from_column_slice(y)).unwrap();
                (x * 0.5).as_slice().to_vec()
            },
            sample: |g, m| ball(g, m, 3.0),
        },
        _ => unreachable!(),
    }
}

const TABLE2: [&str; 7] = ["quad", "cubic", "tan", "tan-sep", "log", "log-sep", "quad-Q"];

/// Worst relative differences (value, gradient, ∇φ*) of a registry potential against formulas.
fn check_against(name: &str, fm: &Formula, m: usize, rng: &mut ChaCha8Rng) -> Result<(f64, f64, f64), String> {
    let phi = registry::build(name, m).unwrap();
    let mut worst = (0.0f64, 0.0f64, 0.0f64);
    for _ in 0..POINTS {
        let w = (fm.sample)(rng, m);
        let wv = Vector::from_column_slice(&w);
        let label = |what: &str| format!("{name} m = {m} {what} at {w:?}");
        worst.0 = worst.0.max(compare(&label("value"), &[phi.value(&wv).unwrap()], &[(fm.value)(&w)], VALUE_REL)?);
        let g = phi.gradient(&wv).unwrap();
        worst.1 = worst.1.max(compare(&label("gradient"), g.as_slice(), &(fm.gradient)(&w), VALUE_REL)?);
        // ∇φ* at the gradient of the sample (so that the preimage lies in the sampled zone).
        let y = (fm.gradient)(&w);
        let c = phi.conjugate_gradient(&Vector::from_column_slice(&y)).unwrap();
        worst.2 = worst.2.max(compare(&label("∇φ*"), c.as_slice(), &(fm.conj)(&y), CONJ_REL)?);
    }
    Ok(worst)
}

#[test]
fn table2_potentials_match_the_formulas() {
    println!("seed {SEED}");
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    for name in TABLE2 {
        let fm = formulas(name);
        let mut worst = (0.0f64, 0.0f64, 0.0f64);
        for m in 1..=4 {
            let w = check_against(name, &fm, m, &mut rng).unwrap_or_else(|e| panic!("{e} (seed {SEED})"));
            worst = (worst.0.max(w.0), worst.1.max(w.1), worst.2.max(w.2));
        }
        println!("{name:8} worst relative: value {:.1e}, gradient {:.1e}, ∇φ* {:.1e}", worst.0, worst.1, worst.2);
    }
}

/// The planted bug: quad's gradient written as w (the ½‖w‖² convention, a factor 2 off) and
/// log's value without its minus sign, each compared with the registry by the same function,
/// must be flagged.
#[test]
fn planted_wrong_factor_is_flagged() {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut wrong = formulas("quad");
    wrong.gradient = |w| w.to_vec();
    let err = check_against("quad", &wrong, 3, &mut rng).unwrap_err();
    assert!(err.contains("gradient"), "{err}");
    let mut wrong = formulas("log");
    wrong.value = |w| (-norm2(w)).ln_1p();
    let err = check_against("log", &wrong, 2, &mut rng).unwrap_err();
    assert!(err.contains("value"), "{err}");
    let mut wrong = formulas("cubic");
    wrong.conj = |y| y.iter().map(|t| t / (2.0 * norm2(y).sqrt()).sqrt()).collect();
    let err = check_against("cubic", &wrong, 2, &mut rng).unwrap_err();
    assert!(err.contains("∇φ*"), "{err}");
}

// ---- η-scaling (18): num-dual over the scaled value ----

/// φ(w/η) for the radial and separable Table 2 potentials, generic over dual numbers.
fn scaled_value<D: DualNum<Primitive = f64>>(name: &str, eta: f64, w: &[D]) -> D {
    let u: Vec<D> = w.iter().map(|t| t.clone() / eta).collect();
    let s: D = u.iter().map(|t| t.clone() * t.clone()).sum();
    match name {
        "quad" => s,
        "cubic-reg" => s.clone().sqrt() * s.clone() + s * 0.01,
        "tan" => s.tan(),
        "log" => -(-s).ln_1p(),
        "tan-sep" => u.iter().map(|t| (t.clone() * t.clone()).tan()).sum(),
        "log-sep" => u.iter().map(|t| -(-(t.clone() * t.clone())).ln_1p()).sum(),
        _ => unreachable!(),
    }
}

/// Worst relative difference of Scaled's gradient and Hessian (its closed chain rule, and its
/// dual_derivatives) from num-dual applied to the scaled value itself.
fn scaled_check(name: &str, eta: f64, gradient_off_by_eta: bool, rng: &mut ChaCha8Rng) -> Result<f64, String> {
    let mut worst = 0.0f64;
    for m in 1..=3 {
        let phi = Scaled::new(registry::build(name, m).unwrap(), eta).unwrap();
        for _ in 0..50 {
            let radius = 0.9 * phi.inradius().min(3.0);
            let w = Vector::from_column_slice(&ball(rng, m, radius));
            let (_, g, h) = num_dual::hessian(|x: nalgebra::DVector<num_dual::Dual2DVec64>| scaled_value(name, eta, x.as_slice()), &w);
            let mut gs = phi.gradient(&w).unwrap();
            if gradient_off_by_eta {
                gs *= eta; // the planted bug: ∇φ(w/η) without the 1/η of the chain rule
            }
            let hs = phi.hessian(&w).unwrap();
            let (_, gd, hd) = phi.dual_derivatives(&w).unwrap().unwrap();
            let label = format!("{name}(·/{eta}) m = {m} at {:?}", w.as_slice());
            worst = worst.max(compare(&format!("{label} gradient"), gs.as_slice(), g.as_slice(), VALUE_REL)?);
            worst = worst.max(compare(&format!("{label} Hessian"), hs.as_slice(), h.as_slice(), VALUE_REL)?);
            worst = worst.max(compare(&format!("{label} dual gradient"), gd.as_slice(), g.as_slice(), VALUE_REL)?);
            worst = worst.max(compare(&format!("{label} dual Hessian"), hd.as_slice(), h.as_slice(), VALUE_REL)?);
        }
    }
    Ok(worst)
}

#[test]
fn eta_scaling_matches_num_dual_of_the_scaled_value() {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED + 1);
    for name in ["quad", "cubic-reg", "tan", "log", "tan-sep", "log-sep"] {
        for eta in [0.5, 2.0, 3.7] {
            let worst = scaled_check(name, eta, false, &mut rng).unwrap_or_else(|e| panic!("{e} (seed {})", SEED + 1));
            println!("{name}(·/{eta}) worst relative {worst:.1e}");
        }
    }
}

#[test]
fn eta_scaling_check_flags_a_missing_chain_rule_factor() {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED + 1);
    let err = scaled_check("log", 2.0, true, &mut rng).unwrap_err();
    assert!(err.contains("gradient"), "{err}");
}

#[test]
fn registry_names_are_table2() {
    for name in TABLE2 {
        let phi: Box<dyn Legendre> = registry::build(name, 2).unwrap();
        assert_eq!(phi.name(), name);
    }
}

/// Every potential reports a name that begins with its registry name (certificates, records and
/// reports are keyed by it; a parameter may follow, as in `cubic-reg(ε=0.01)`), except the
/// structures of (18), which name the potential they are built from (`log(·/0.5)`); no two
/// names are alike.
#[test]
fn every_potential_reports_its_registry_name() {
    let mut names = Vec::new();
    for info in registry::all() {
        let name = info.build(2).unwrap().name();
        if info.group != registry::Group::Structure {
            assert!(name.starts_with(info.name), "{} reports the name {name:?}", info.name);
        }
        names.push(name);
    }
    let n = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), n, "two potentials report the same name: {names:?}");
}

/// The negative controls written out, value and gradient (their ∇φ is not onto, so ∇φ* is not
/// compared): huber = ‖w‖²/2 up to ‖w‖ = 1 and ‖w‖ − ½ beyond, ∇ = w or w/‖w‖; log1p-sq =
/// log(1 + ‖w‖²), ∇ = 2w/(1 + ‖w‖²). Both are written once as dual-number profiles, so this
/// is also the check of the profiles' derivatives by dual numbers.
#[test]
fn negative_controls_match_their_formulas() {
    type Pair = (&'static str, fn(&[f64]) -> f64, fn(&[f64]) -> Vec<f64>);
    let controls: [Pair; 2] = [
        (
            "huber",
            |w| {
                let s = norm2(w);
                if s <= 1.0 { 0.5 * s } else { s.sqrt() - 0.5 }
            },
            |w| {
                let r = norm2(w).sqrt();
                w.iter().map(|t| if r <= 1.0 { *t } else { t / r }).collect()
            },
        ),
        ("log1p-sq", |w| norm2(w).ln_1p(), |w| w.iter().map(|t| 2.0 * t / (1.0 + norm2(w))).collect()),
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    for (name, value, gradient) in controls {
        let mut worst = (0.0f64, 0.0f64);
        for m in 1..=4 {
            let phi = registry::build(name, m).unwrap();
            for _ in 0..POINTS {
                let w = ball(&mut rng, m, 3.0);
                let wv = Vector::from_column_slice(&w);
                let at = |what: &str| format!("{name} m = {m} {what} at {w:?} (seed {SEED})");
                worst.0 = worst.0.max(compare(&at("value"), &[phi.value(&wv).unwrap()], &[value(&w)], VALUE_REL).unwrap_or_else(|e| panic!("{e}")));
                let g = phi.gradient(&wv).unwrap();
                worst.1 = worst.1.max(compare(&at("gradient"), g.as_slice(), &gradient(&w), VALUE_REL).unwrap_or_else(|e| panic!("{e}")));
            }
        }
        println!("{name:8} worst relative: value {:.1e}, gradient {:.1e}", worst.0, worst.1);
    }
}
