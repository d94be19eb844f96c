//! A potential that exists only in this file reaches every CPU kernel: profiles h written once
//! (theory's `Profile`), described to the kernels by a `KernelForm`, run in the CPU backend (f64
//! and f32) and agree with the serial f64 reference within the bounds of `tolerance.rs`; the same
//! comparison flags a factor planted 1 % wrong.
//!
//! * exp-sq, radial and unbounded: φ(w) = exp(‖w‖²) − 1, h(s) = eˢ − 1, per layer of (18);
//! * frac-sep, separable and bounded: φ(w) = Σᵢ wᵢ²/(1 − wᵢ²), h(s) = s/(1 − s) on s < 1, so that
//!   the fraction-to-boundary line search of the profile path is exercised too.

mod common;

use common::*;
use infconv_kernels::backend::{Backend, Precision};
use infconv_kernels::potential::PotentialKind;
use infconv_kernels::tolerance::Arith;
use infconv_kernels::CpuBackend;
use infconv_theory::potential::kernel::KernelForm;
use infconv_theory::potential::profile::Profile;
use num_dual::DualNum;

#[derive(Debug, Clone, Copy)]
struct ExpProfile {
    /// 1 for the true h′; the control plants another factor.
    planted: f64,
}

impl Profile for ExpProfile {
    fn name(&self) -> String {
        "exp-sq".into()
    }
    fn h(&self, s: f64) -> f64 {
        s.exp_m1()
    }
    fn dh(&self, s: f64) -> f64 {
        self.planted * s.exp()
    }
    fn d2h(&self, s: f64) -> f64 {
        s.exp()
    }
    fn s_max(&self) -> f64 {
        f64::INFINITY
    }
    fn h_dual<D: DualNum<Primitive = f64>>(&self, s: D) -> D {
        s.exp() - 1.0
    }
}

infconv_theory::profile! {
    /// h(s) = s/(1 − s) on [0, 1), with closed forms of h, h′ and h″ beside the dual-number value.
    FracProfile, "frac", s_max = 1.0, |s| s.clone() / (-s + 1.0);
    fn h(&self, s: f64) -> f64 {
        s / (1.0 - s)
    }
    fn dh(&self, s: f64) -> f64 {
        1.0 / ((1.0 - s) * (1.0 - s))
    }
    fn d2h(&self, s: f64) -> f64 {
        2.0 / ((1.0 - s) * (1.0 - s) * (1.0 - s))
    }
}

static EXP: ExpProfile = ExpProfile { planted: 1.0 };
static EXP_WRONG: ExpProfile = ExpProfile { planted: 1.01 };
static FRAC: FracProfile = FracProfile;

fn exp_sq() -> PotentialKind {
    PotentialKind::from_form("exp-sq", KernelForm::Radial(&EXP))
}

fn frac_sep() -> PotentialKind {
    PotentialKind::from_form("frac-sep", KernelForm::Separable(&FRAC))
}

/// n = 1, 7, 256 and LeNet-5's 431,080 with random layer tables.
const NS: [usize; 4] = [1, 7, 256, infconv_kernels::LENET5_PARAMS];

fn run<B: Backend>(b: &B, a: Arith, label: &str) {
    for (ki, kind) in [exp_sq(), frac_sep()].into_iter().enumerate() {
        assert!(matches!(kind, PotentialKind::Profile(_)) && kind.gpu_code().is_none());
        for (si, n) in NS.into_iter().enumerate() {
            let seed = 500 + 10 * si as u64 + ki as u64;
            check_all_kernels(b, a, n, 4, kind, seed);
            check_fused_step(b, a, n, 4, kind, seed + 77);
        }
    }
    print_worst(label);
}

#[test]
fn a_test_only_profile_runs_in_the_cpu_f64_kernels_as_in_the_reference() {
    run(&CpuBackend::<f64>::new(0).unwrap(), Arith::Cpu(Precision::F64), "cpu-f64 profiles");
}

#[test]
fn a_test_only_profile_runs_in_the_cpu_f32_kernels_as_in_the_reference() {
    run(&CpuBackend::<f32>::new(0).unwrap(), Arith::Cpu(Precision::F32), "cpu-f32 profiles");
}

#[test]
fn the_comparison_flags_a_factor_planted_one_percent_wrong() {
    let wrong = PotentialKind::from_form("exp-sq", KernelForm::Radial(&EXP_WRONG));
    for (label, a) in [("f64", Arith::Cpu(Precision::F64)), ("f32", Arith::Cpu(Precision::F32))] {
        let flagged = std::panic::catch_unwind(|| match a {
            Arith::Cpu(Precision::F64) => check_fused_step_against(&CpuBackend::<f64>::new(1).unwrap(), a, 256, 4, wrong, exp_sq(), 9),
            _ => check_fused_step_against(&CpuBackend::<f32>::new(1).unwrap(), a, 256, 4, wrong, exp_sq(), 9),
        });
        assert!(flagged.is_err(), "{label}: a step with h′ × 1.01 passed as the reference's");
    }
    // The true factor passes the same call (so the control fails for the planted factor only).
    check_fused_step_against(&CpuBackend::<f64>::new(1).unwrap(), Arith::Cpu(Precision::F64), 256, 4, exp_sq(), exp_sq(), 9);
}

#[test]
fn profile_kinds_are_refused_by_name_where_no_closed_form_exists() {
    // The separable φ-prox has closed forms for quad, tan-sep and log-sep only.
    let term = infconv_kernels::prox::SepTerm::QuadLog { a: 1.0, mu: 1.0, eps: 0.1 };
    assert!(infconv_kernels::prox::SepProx::new(frac_sep(), 1.0, 0.1, term).is_err());
    // The profile's h is +∞ outside its domain, never NaN.
    assert_eq!(frac_sep().h(1.0), f64::INFINITY);
    assert_eq!(frac_sep().h(f64::NAN), f64::INFINITY);
    assert_eq!(exp_sq().name(), "exp-sq");
    assert_eq!(exp_sq().to_string(), "exp-sq");
}
