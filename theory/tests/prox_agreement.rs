//! The fast certified φ-prox (`phi_prox`: Newton for smooth f, coordinate pieces for separable
//! f, Lagrange–Newton on a manifold) against the global oracle (`oracle::global`: a grid over
//! the certified search ball, then local refinement), two solvers that share no search code,
//! for every certified registry potential × every regular family in m = 2; the gradient
//! formula (13) at the fast solver's point against central differences of its envelope; and the
//! implicit-function Jacobian DP against central differences of P (away from the kinks of a
//! separable f).
//!
//! Tolerances: both solvers refine to ~1e-10 relative in z, so the envelopes agree to
//! [`ENVELOPE_REL`] = 1e-8 and the points to [`POINT_ABS`] = 1e-6 (a flat valley amplifies the
//! value's error 1e-12 to a point error of √(1e-12)); (13) against central differences with step
//! h = 1e-5 has truncation O(h²·‖∇³e‖) and rounding O(ε|e|/h) ≈ 1e-11: [`GRADIENT13_REL`] =
//! 1e-5 relative to 1 + ‖∇e‖.
//!
//! Not vacuous: a pair counts only if the fast solver certifies at least [`MIN_CERTIFIED`] of
//! its points, and every pair reports its worst figures. Seeds are fixed (`SEED`).

use infconv_theory::family::registry as families;
use infconv_theory::potential::registry;
use infconv_theory::prox::certificate::certificate;
use infconv_theory::prox::jacobian::prox_jacobian;
use infconv_theory::prox::{envelope, envelope_gradient, oracle, phi_prox};
use infconv_theory::random::{stream, uniform, unit_direction};
use infconv_theory::{Domain, Matrix, TheoryError, Vector};

const SEED: u64 = 2019;
const M: usize = 2;
const POINTS: usize = 6;
const MIN_CERTIFIED: usize = 2;
const ENVELOPE_REL: f64 = 1e-8;
const POINT_ABS: f64 = 1e-6;
const GRADIENT13_REL: f64 = 1e-5;
const H: f64 = 1e-5;

/// Worst figures of one pair.
#[derive(Default, Debug)]
struct Worst {
    certified: usize,
    envelope: f64,
    point: f64,
    gradient: f64,
    jacobian: f64,
    /// Certified points among the far ones.
    far: usize,
}

fn pair(potential: &str, family: &str) -> Result<Worst, String> {
    let phi = registry::build(potential, M).map_err(|e| e.to_string())?;
    let f = families::build(family, M, SEED).map_err(|e| e.to_string())?;
    let mut rng = stream(SEED, &["prox-agreement", potential, family]);
    let mut w = Worst::default();
    for k in 0..POINTS {
        // λ small enough to be certified for most points, v of moderate size.
        let lambda = [0.05, 0.2][k % 2];
        // Moderate v, and far v (k ≥ 4), where the pieces of a separable f are bracketed by
        // doubling and the oracle's search radius matters.
        let d = unit_direction(&mut rng, M);
        let v = d * if k < 4 { uniform(&mut rng, 0.2, 1.5) } else { uniform(&mut rng, 3.0, 8.0) };
        let fast = match phi_prox(phi.as_ref(), f.as_ref(), lambda, &v) {
            Ok(s) => s,
            Err(TheoryError::NotCertified { .. }) | Err(TheoryError::Unbounded { .. }) => continue,
            Err(e) => return Err(format!("{potential} × {family}, λ = {lambda}, v = {:?}: fast solver: {e}", v.as_slice())),
        };
        w.certified += 1;
        w.far += usize::from(k >= 4);
        let at = || format!("{potential} × {family} (seed {SEED}), λ = {lambda}, v = {:?}", v.as_slice());
        let o = oracle::global(phi.as_ref(), f.as_ref(), lambda, &v).map_err(|e| format!("{}: oracle: {e}", at()))?;
        let de = (fast.envelope - o.envelope).abs() / (1.0 + o.envelope.abs());
        let dz = o.minimizers.iter().map(|z| (z - &fast.z).amax()).fold(f64::INFINITY, f64::min);
        w.envelope = w.envelope.max(de);
        w.point = w.point.max(dz);
        if de > ENVELOPE_REL || dz > POINT_ABS {
            return Err(format!("{}: fast e = {:.12e} at z = {:?}, oracle e = {:.12e} at {:?}", at(), fast.envelope, fast.z.as_slice(), o.envelope, o.minimizers));
        }
        // (13) against central differences of e, where the stencil stays in dom f + dom φ.
        let g = envelope_gradient(phi.as_ref(), lambda, &v, &fast.z).map_err(|e| format!("{}: (13): {e}", at()))?;
        let mut fd = Vector::zeros(M);
        for i in 0..M {
            let mut d = Vector::zeros(M);
            d[i] = H;
            let (ep, em) = (envelope(phi.as_ref(), f.as_ref(), lambda, &(&v + &d)), envelope(phi.as_ref(), f.as_ref(), lambda, &(&v - &d)));
            match (ep, em) {
                (Ok(a), Ok(b)) => fd[i] = (a - b) / (2.0 * H),
                _ => return Err(format!("{}: e at v ± h e{i} not certified", at())),
            }
        }
        let dg = (&g - &fd).amax() / (1.0 + g.amax());
        w.gradient = w.gradient.max(dg);
        if dg > GRADIENT13_REL {
            return Err(format!("{}: (13) gives {:?}, central differences {:?}", at(), g.as_slice(), fd.as_slice()));
        }
        // DP by implicit differentiation against central differences of the fast P, where the
        // difference stencil does not cross a kink of a separable f (a coordinate of P at 0
        // on one side and not on the other).
        let jac = prox_jacobian(phi.as_ref(), f.as_ref(), lambda, &v, &fast.z).map_err(|e| format!("{}: DP: {e}", at()))?;
        let mut fd = Matrix::zeros(M, M);
        let mut crosses = false;
        for i in 0..M {
            let mut d = Vector::zeros(M);
            d[i] = H;
            let p = |w: &Vector| phi_prox(phi.as_ref(), f.as_ref(), lambda, w).map(|s| s.z);
            match (p(&(&v + &d)), p(&(&v - &d))) {
                (Ok(a), Ok(b)) => {
                    crosses |= (0..M).any(|k| (a[k] == 0.0) != (b[k] == 0.0) || (a[k] == 0.0) != (fast.z[k] == 0.0));
                    fd.set_column(i, &((a - b) / (2.0 * H)));
                }
                _ => return Err(format!("{}: P at v ± h e{i} not certified", at())),
            }
        }
        if !crosses {
            let dj = (&jac - &fd).amax() / (1.0 + jac.amax());
            w.jacobian = w.jacobian.max(dj);
            if dj > GRADIENT13_REL {
                return Err(format!("{}: DP = {jac} but central differences give {fd}", at()));
            }
        }
        // Sanity of the answer: v − z ∈ dom φ.
        if !phi.contains(&(&v - &fast.z)) {
            return Err(format!("{}: v − z ∉ dom φ", at()));
        }
    }
    Ok(w)
}

#[test]
fn fast_prox_agrees_with_the_global_oracle_and_formula_13() {
    let mut failures = Vec::new();
    let (mut pairs, mut far) = (0, 0);
    let (mut worst_e, mut worst_z, mut worst_g, mut worst_j) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for p in registry::all() {
        // The certified potentials of dimension M (the prox solvers need a certificate).
        let certified = registry::build(p.name, M).map(|phi| phi.fixed_dim().is_none_or(|d| d == M) && certificate(phi.as_ref(), M).is_ok());
        if !certified.unwrap_or(false) {
            continue;
        }
        for fam in families::all().iter().filter(|f| !f.control() && f.fixed_dim.is_none_or(|d| d == M)) {
            match pair(p.name, fam.name) {
                Ok(w) if w.certified >= MIN_CERTIFIED => {
                    pairs += 1;
                    far += w.far;
                    worst_e = worst_e.max(w.envelope);
                    worst_z = worst_z.max(w.point);
                    worst_g = worst_g.max(w.gradient);
                    worst_j = worst_j.max(w.jacobian);
                }
                Ok(w) => failures.push(format!("{} × {}: only {} of {POINTS} points certified", p.name, fam.name, w.certified)),
                Err(e) => failures.push(e),
            }
        }
    }
    println!(
        "worst residual [fast φ-prox vs oracle, seed {SEED}]: envelope {worst_e:.3e} (tol {ENVELOPE_REL:.0e}), point {worst_z:.3e} (tol {POINT_ABS:.0e}), (13) vs central differences {worst_g:.3e}, DP vs central differences {worst_j:.3e} (tol {GRADIENT13_REL:.0e} each) over {pairs} pairs ({far} far points)"
    );
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert!(pairs >= 20, "only {pairs} pairs compared");
    assert!(far >= pairs, "only {far} far points compared");
}

/// The oracle against closed forms, where the answer is known without any solver:
/// - quad × indefinite-quadratic, f = ½zᵀHz + bᵀz: (H + 2I/λ) z = 2v/λ − b, unique for λ below
///   λ_f = 2/ρ; at λ = 0.9 and 0.99 λ_f the minimizer lies far from v (the search radius and the
///   grid must reach it);
/// - a radial φ × sphere ‖z‖ = R: z = R v/‖v‖ (the nearest point; φ increasing in ‖v − z‖).
#[test]
fn the_oracle_finds_closed_form_minimizers() {
    let mut rng = stream(SEED, &["oracle-closed-forms"]);
    let mut worst = 0.0f64;
    let quad = registry::build("quad", M).unwrap();
    let f = families::build("indefinite-quadratic", M, SEED).unwrap();
    let zero = Vector::zeros(M);
    let (h, b) = (f.hessian(&zero).unwrap().unwrap(), f.subgradient(&zero).unwrap());
    let rho = -h.symmetric_eigenvalues().min();
    assert!(rho > 0.0, "the family is indefinite");
    for frac in [0.3, 0.9, 0.99] {
        let lambda = frac * 2.0 / rho;
        for _ in 0..3 {
            let v = unit_direction(&mut rng, M) * uniform(&mut rng, 0.1, 2.0);
            let want = (&h + Matrix::identity(M, M) * (2.0 / lambda)).lu().solve(&(&v * (2.0 / lambda) - &b)).unwrap();
            let o = oracle::global(quad.as_ref(), f.as_ref(), lambda, &v).unwrap();
            let err = o.minimizers.iter().map(|z| (z - &want).amax()).fold(f64::INFINITY, f64::min) / (1.0 + want.amax());
            assert!(o.minimizers.len() == 1 && err <= POINT_ABS, "quad × indefinite-quadratic, λ = {frac}·λ_f, v = {:?} (seed {SEED}): oracle {:?}, closed form {want}", v.as_slice(), o.minimizers);
            worst = worst.max(err);
        }
    }
    let sphere = families::build("sphere", M, SEED).unwrap();
    let radius = match sphere.structure() {
        infconv_theory::family::Structure::Ellipsoid(d) => 1.0 / d[0].sqrt(),
        _ => panic!("sphere is an ellipsoid surface"),
    };
    for name in ["quad", "cubic", "log", "tan"] {
        let phi = registry::build(name, M).unwrap();
        for _ in 0..4 {
            let dir = unit_direction(&mut rng, M);
            // Inside and outside the sphere, within dom φ of it.
            let v = &dir * (radius * uniform(&mut rng, 0.5, 1.5)).min(radius + 0.9 * phi.max_step(&zero, &dir).unwrap());
            let want = &dir * radius;
            let o = oracle::global(phi.as_ref(), sphere.as_ref(), 0.3, &v).unwrap();
            let err = o.minimizers.iter().map(|z| (z - &want).amax()).fold(f64::INFINITY, f64::min);
            assert!(o.minimizers.len() == 1 && err <= POINT_ABS, "{name} × sphere, v = {:?} (seed {SEED}): oracle {:?}, closed form {want}", v.as_slice(), o.minimizers);
            worst = worst.max(err);
        }
    }
    println!("worst residual [oracle vs closed forms, seed {SEED}]: {worst:.3e} (tol {POINT_ABS:.0e})");
}
