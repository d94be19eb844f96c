//! The dual-number extension path ([`FromDual`]) at extreme magnitudes: every call returns in
//! bounded time, and ∇φ* of a super-exponential potential is right where its preimage is
//! representable (Lemma 3.2: ∇φ* = (∇φ)⁻¹).

use infconv_theory::potential::dual::{DualPotential, FromDual};
use infconv_theory::{ConjugateGradient, Domain, TheoryError, Vector};
use num_dual::DualNum;

mod common;
use common::bounded;

infconv_theory::dual_potential! {
    /// φ(w) = exp(‖w‖²) − 1 on ℝᵐ: super-exponential growth, ∇φ(w) = 2 exp(‖w‖²) w.
    ExpSq, "exp-sq",
    |w| {
        let s: D = w.iter().map(|t| t.clone() * t.clone()).sum();
        s.exp_m1()
    },
    contains = |w| w.iter().all(|t| t.is_finite())
}

infconv_theory::dual_potential! {
    /// φ(w) = −log(1 − ‖w‖²) on the unit ball, through the extension path (a bounded domain for
    /// the ray probe).
    LogBall, "log-ball",
    |w| {
        let s: D = w.iter().map(|t| t.clone() * t.clone()).sum();
        -(-s).ln_1p()
    },
    contains = |w| w.iter().fold(0.0f64, |m, t| m.max(t.abs())) < 1.0 && w.iter().map(|t| t * t).sum::<f64>() < 1.0
}

/// The radius r of ∇φ*(y) for exp-sq, independently of the crate: 2r exp(r²) = ρ solved in logs,
/// g(r) = ln 2 + ln r + r² − ln ρ (increasing), by bisection to the last bit.
fn expsq_radius(ln_rho: f64) -> f64 {
    let g = |r: f64| std::f64::consts::LN_2 + r.ln() + r * r - ln_rho;
    let (mut lo, mut hi) = (1e-300, 100.0);
    for _ in 0..2000 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if g(mid) < 0.0 { lo = mid } else { hi = mid }
    }
    0.5 * (lo + hi)
}

/// |rᵢ − r̂ᵢ| relative: r is found by Newton to a relative gradient residual of 8ε; the relative
/// error in r is that divided by d ln g / d ln r = 1 + 2r² ≥ 1, so a few ε; 1e-12 leaves room.
const RADIUS_REL: f64 = 1e-12;

#[test]
fn conjugate_gradient_of_a_super_exponential_potential_at_huge_y() {
    // (‖y‖, direction, ln ‖y‖): the mixed directions have ‖y‖² beyond f64::MAX.
    let cases: Vec<(Vector, f64)> = vec![
        (Vector::from_vec(vec![1e200, 0.0]), 200.0 * std::f64::consts::LN_10),
        (Vector::from_vec(vec![6e199, -8e199]), 200.0 * std::f64::consts::LN_10),
        (Vector::from_vec(vec![1e300, 0.0]), 300.0 * std::f64::consts::LN_10),
        (Vector::from_vec(vec![-6e299, 8e299]), 300.0 * std::f64::consts::LN_10),
        (Vector::from_vec(vec![1e300, 1e300, -1e300]), 300.0 * std::f64::consts::LN_10 + 0.5 * 3f64.ln()),
    ];
    for (y, ln_rho) in cases {
        let yc = y.clone();
        let w = bounded("∇φ* of exp-sq", move || FromDual(ExpSq).conjugate_gradient(&yc))
            .unwrap_or_else(|e| panic!("∇φ*(y) for y = {y:?}: {e}"));
        let r = expsq_radius(ln_rho);
        let u = { let a = y.amax(); let ys = &y / a; &ys / ys.norm() };
        let err = (&w - &u * r).amax() / r;
        assert!(err <= RADIUS_REL, "y = {y:?}: w = {w:?}, expected radius {r} along ŷ (error {err:e})");
    }
}

/// The planted control of the comparison above: a radius off by one part in 1e9 is flagged.
#[test]
fn radius_comparison_flags_a_wrong_radius() {
    let r = expsq_radius(200.0 * std::f64::consts::LN_10);
    let wrong = r * (1.0 + 1e-9);
    assert!((wrong - r).abs() / r > RADIUS_REL);
}

#[test]
fn ray_probe_with_huge_directions_returns() {
    let w = Vector::from_vec(vec![0.25, -0.5]);
    for d in [
        Vector::from_vec(vec![1e200, 0.0]),
        Vector::from_vec(vec![1e300, -1e300]),
        Vector::from_vec(vec![f64::MAX, f64::MAX]),
        Vector::from_vec(vec![1e-300, 0.0]),
    ] {
        let (wc, dc) = (w.clone(), d.clone());
        let t = bounded("max_step of exp-sq", move || FromDual(ExpSq).max_step(&wc, &dc)).unwrap();
        assert_eq!(t, f64::INFINITY, "ℝᵐ is never left (d = {d:?})");
        let (wc, dc) = (w.clone(), d.clone());
        let t = bounded("max_step of log-ball", move || FromDual(LogBall).max_step(&wc, &dc)).unwrap();
        // Exit of the unit ball along d: ‖w + t d‖ = 1, solved in the scaled direction u = d/a.
        let a = d.amax();
        let u = &d / a;
        let (qa, qb, qc) = (u.norm_squared(), 2.0 * w.dot(&u), w.norm_squared() - 1.0);
        let s = (-qb + (qb * qb - 4.0 * qa * qc).sqrt()) / (2.0 * qa);
        let expect = s / a;
        // Bisection on the domain test: exact to a few ulps of the scaled parameter.
        assert!((t - expect).abs() <= 1e-14 * expect, "log-ball d = {d:?}: t = {t:e}, expected {expect:e}");
        assert!(t.is_finite() && t > 0.0);
    }
}

/// Where the preimage is not representable in f64 arithmetic (ψ(w) = φ(w) − ⟨y, w⟩ overflows
/// before w reaches it), the answer is a typed error, in bounded time, never a NaN.
#[test]
fn unrepresentable_preimage_is_a_typed_error() {
    infconv_theory::dual_potential! {
        Quad, "quad-dual",
        |w| w.iter().map(|t| t.clone() * t.clone()).sum(),
        contains = |w| w.iter().all(|t| t.is_finite())
    }
    for y in [Vector::from_vec(vec![1e300, -1e300]), Vector::from_vec(vec![f64::MAX, 1.0])] {
        let yc = y.clone();
        let r: Result<Vector, TheoryError> = bounded("∇φ* of quad-dual", move || FromDual(Quad).conjugate_gradient(&yc));
        match r {
            Ok(w) => assert!((&w - &y * 0.5).amax() <= 1e-12 * y.amax(), "y = {y:?}: w = {w:?}"),
            Err(e) => assert!(
                matches!(e, TheoryError::NonFinite { .. } | TheoryError::NotConverged { .. }),
                "y = {y:?}: {e:?}"
            ),
        }
    }
}

/// φ(w) = Σᵢ |wᵢ|^p written with `powf`: for 1 < p < 2 convex, C¹ with ∇φ(0) = 0, but ∇²φ
/// blows up at wᵢ = 0 (not C² there: (A3) fails at 0, like cubic). p = 1 is the kink control.
#[derive(Debug, Clone, Copy)]
struct AbsPow(f64);

impl DualPotential for AbsPow {
    fn name(&self) -> String {
        format!("abs-pow-{}", self.0)
    }
    fn value_dual<D: DualNum<Primitive = f64>>(&self, w: &[D]) -> D {
        w.iter().map(|t| t.abs().powf(self.0)).sum()
    }
    fn contains(&self, w: &[f64]) -> bool {
        w.iter().all(|t| t.is_finite())
    }
}

/// ∂ᵢφ = p|wᵢ|^{p−1} sign wᵢ, written out.
fn abs_pow_gradient(p: f64, w: &Vector) -> Vector {
    w.map(|t| p * t.abs().powf(p - 1.0) * t.signum() * if t == 0.0 { 0.0 } else { 1.0 })
}

#[test]
fn fractional_power_has_a_finite_gradient_at_zero() {
    use infconv_theory::{Gradient, Hessian, Value};
    for p in [1.1, 1.5, 1.9] {
        let phi = FromDual(AbsPow(p));
        let zero = Vector::zeros(2);
        assert_eq!(phi.value(&zero).unwrap(), 0.0, "(A5): φ(0) = 0");
        let g0 = phi.gradient(&zero).unwrap();
        assert!(g0.amax() <= 1e-12, "p = {p}: (A5) ∇φ(0) = 0, got {g0:?}");
        // A mixed point: one coordinate at 0, one away from it.
        let w = Vector::from_vec(vec![0.0, -0.7]);
        let (g, expect) = (phi.gradient(&w).unwrap(), abs_pow_gradient(p, &w));
        assert!((&g - &expect).amax() <= 1e-14 * (1.0 + expect.amax()), "p = {p}: ∇φ(w) = {g:?}, expected {expect:?}");
        // ∇²φ does not exist at 0: a typed error, so (A3) is judged violated there.
        assert!(matches!(phi.hessian(&zero), Err(TheoryError::NonFinite { .. })), "p = {p}: Hessian at 0");
        // ∇φ* = (∇φ)⁻¹: wᵢ = sign yᵢ (|yᵢ|/p)^{1/(p−1)}, including a zero coordinate of y.
        for y in [Vector::from_vec(vec![1.0, -2.0]), Vector::from_vec(vec![0.0, 0.3])] {
            let w = phi.conjugate_gradient(&y).unwrap_or_else(|e| panic!("p = {p}, y = {y:?}: {e}"));
            let expect = y.map(|t| t.signum() * (t.abs() / p).powf(1.0 / (p - 1.0)) * if t == 0.0 { 0.0 } else { 1.0 });
            assert!((&w - &expect).amax() <= 1e-10 * (1.0 + expect.amax()), "p = {p}: ∇φ*(y) = {w:?}, expected {expect:?}");
        }
    }
}

/// The control: |t| written as √(t²) has a kink at 0; num-dual gives NaN there (1/(2√0) · 0),
/// the one-sided gradients ±1 disagree, and the answer is a typed error, not a made-up 0.
#[test]
fn kink_has_no_gradient_at_zero() {
    use infconv_theory::Gradient;
    infconv_theory::dual_potential! {
        SqrtAbs, "sqrt-abs",
        |w| w.iter().map(|t| (t.clone() * t.clone()).sqrt()).sum(),
        contains = |w| w.iter().all(|t| t.is_finite())
    }
    let r = FromDual(SqrtAbs).gradient(&Vector::zeros(1));
    assert!(matches!(r, Err(TheoryError::NonFinite { .. })), "{r:?}");
    // Away from the kink the same potential has its gradient ±1.
    let g = FromDual(SqrtAbs).gradient(&Vector::from_vec(vec![-0.5, 2.0])).unwrap();
    assert_eq!(g.as_slice(), &[-1.0, 1.0]);
}

/// The domain test written with the potential is the one the wrapped potential answers: inside
/// and outside the unit ball of log-ball, and a NaN or infinite coordinate is never inside.
#[test]
fn the_domain_test_reaches_the_wrapped_potential() {
    let phi = FromDual(LogBall);
    assert!(phi.contains(&Vector::from_vec(vec![0.5, -0.5])));
    for w in [vec![0.8, 0.8], vec![1.0, 0.0], vec![f64::NAN, 0.0], vec![f64::INFINITY, 0.0]] {
        assert!(!phi.contains(&Vector::from_vec(w.clone())), "{w:?} is not in the open unit ball");
    }
}

/// ½‖w‖² on the half-space {w : Σᵢ wᵢ < c}: the exit of a ray has a closed form.
#[derive(Debug, Clone, Copy)]
struct HalfSpace(f64);

impl DualPotential for HalfSpace {
    fn name(&self) -> String {
        format!("half-space-{}", self.0)
    }
    fn value_dual<D: DualNum<Primitive = f64>>(&self, w: &[D]) -> D {
        w.iter().map(|t| t.clone() * t.clone() * 0.5).sum()
    }
    fn contains(&self, w: &[f64]) -> bool {
        w.iter().all(|t| t.is_finite()) && w.iter().sum::<f64>() < self.0
    }
}

/// The ray probe finds the exit of the half-space where it lies within its reach, at every
/// scale of the direction, and answers +∞ beyond the reach (the documented meaning of
/// [`UNBOUNDED_PROBE`]), where the reach is measured in the Euclidean length of the step: along
/// (1, 1, 1, 1), whose norm is 2, an exit at parameter t lies at length 2t.
#[test]
fn ray_probe_finds_exits_within_its_reach_and_none_beyond() {
    use infconv_theory::potential::dual::UNBOUNDED_PROBE;
    let w = Vector::zeros(4);
    let ones = Vector::from_element(4, 1.0);
    // Exits at lengths 10, 1e3 and 0.4 · reach: found, exactly to the bisection's last bits.
    for length in [10.0, 1e3, 0.4 * UNBOUNDED_PROBE] {
        let c = length; // Σ (t·1) = 4t < c  ⇔  t < c/4; the length of the exit step is 2·(c/4)
        for scale in [1e-280, 1e-5, 1.0, 3e7, 1e300] {
            let d = &ones * scale;
            let expect = c / 4.0 / scale;
            let (wc, dc) = (w.clone(), d.clone());
            let t = bounded("max_step of half-space", move || FromDual(HalfSpace(c)).max_step(&wc, &dc)).unwrap();
            assert!((t - expect).abs() <= 1e-14 * expect, "exit at Σw = {c:e}, scale {scale:e}: t = {t:e}, expected {expect:e}");
        }
    }
    // Exits at lengths 1.04, 1.5 and 2 times the reach (Σw = 4t, length 2t): +∞.
    for times in [1.04, 1.5, 2.0] {
        let c = 2.0 * times * UNBOUNDED_PROBE;
        let t = FromDual(HalfSpace(c)).max_step(&w, &ones).unwrap();
        assert_eq!(t, f64::INFINITY, "an exit at length {times} × 1e12 lies beyond the reach 1e12");
    }
    // From a start of norm 1e300 the reach 1e12 (1 + ‖w‖) is not representable: on ℝᵐ the probe
    // runs until its step overflows, and the answer is still +∞, not the last finite probe.
    let far = Vector::from_vec(vec![1e300, -1e300]);
    let t = bounded("max_step from ‖w‖ = 1e300", move || FromDual(ExpSq).max_step(&far, &Vector::from_vec(vec![1.0, 1.0]))).unwrap();
    assert_eq!(t, f64::INFINITY);
}

/// ¾-power with a formula that is only meaningful on its domain (−1, 10⁻²⁰⁰): for t > 0 it adds
/// K·t² with K = 10²⁰⁰, at most 10⁻²⁰⁰ on the domain (so φ is C¹ at 0 with φ′(0) = 0), about 10⁵⁰
/// in slope at the one-sided offset 10⁻¹⁵⁰, which lies outside the domain.
#[derive(Debug, Clone, Copy)]
struct NarrowDomain;

impl DualPotential for NarrowDomain {
    fn name(&self) -> String {
        "narrow-domain".into()
    }
    fn value_dual<D: DualNum<Primitive = f64>>(&self, w: &[D]) -> D {
        w.iter()
            .map(|t| {
                let p = t.clone().abs().powf(1.5);
                if t.re() > 0.0 { p + t.clone() * t.clone() * 1e200 } else { p }
            })
            .sum()
    }
    fn contains(&self, w: &[f64]) -> bool {
        w.iter().all(|t| t.is_finite() && *t > -1.0 && *t < 1e-200)
    }
}

/// Where one side of the one-sided limit lies outside the domain, the gradient is not formed
/// from the formula there (outside dom φ, φ = +∞): the answer is a typed error, or the true
/// ∇φ(0) = 0, never the mean of a slope read outside the domain.
#[test]
fn one_sided_limit_reads_the_potential_only_on_its_domain() {
    use infconv_theory::Gradient;
    let phi = FromDual(NarrowDomain);
    // Away from 0 the formula's gradient is plain: −1.5·√0.25 at −0.25.
    let g = phi.gradient(&Vector::from_vec(vec![-0.25])).unwrap();
    assert!((g[0] + 0.75).abs() <= 1e-15, "{g:?}");
    match phi.gradient(&Vector::zeros(1)) {
        Ok(g) => assert!(g[0].abs() <= 1e-12, "∇φ(0) = 0, got {g:?} (a slope read outside the domain)"),
        Err(e) => assert!(matches!(e, TheoryError::NonFinite { .. }), "{e:?}"),
    }
}
