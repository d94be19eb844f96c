//! A potential written once, in this file only, reaches the checks and `infconv train` on the CPU:
//! registered with one `registry::register` call (value, declared `breaks`, kernel form), it gets
//! the conformance records of (A1)–(A5) and Lemma 3.2, is a valid `--potential` name, and trains
//! LeNet-5 with Algorithm 1 on model (15) with finite figures and every u − zⱼ inside dom φ̂ of
//! (18). (The kernels' CPU steps against the f64 reference for test-only profiles, with the
//! planted-factor control, are `kernels/tests/extension_profile.rs`.)
//!
//! * quartic-sq: φ(w) = ‖w‖² + ‖w‖⁴/2, radial profile h(s) = s + s²/2 on ℝᵐ (exp(‖w‖²) − 1 would
//!   overflow at the ‖w‖ ≈ 25–50 where the conformance suite samples unbounded domains);
//! * frac-sep: φ(w) = Σᵢ wᵢ²/(1 − wᵢ²), separable profile h(s) = s/(1 − s) on s < 1 (bounded, so
//!   that training exercises the fraction-to-boundary line search of the profile path).

use infconv_kernels::PotentialKind;
use infconv_theory::potential::kernel::KernelForm;
use infconv_theory::potential::radial::Radial;
use infconv_theory::potential::registry::{self, Group, PotentialInfo};
use infconv_theory::potential::separable::{Separable, Squared};
use infconv_theory::potential::assumption::Assumption;
use infconv_theory::prox::certificate::{Growth, PhiCertificate};
use infconv_train::{Event, Method, Observe, RunOptions, TrainConfig, TrainData, data};
use infconv_verify::conformance::records;
use infconv_verify::selection::Selection;
use std::sync::{Arc, Once};

infconv_theory::profile! {
    /// h(s) = s + s²/2 on [0, ∞), written once: h, h′ and h″ all come from this value.
    QuarticProfile, "quartic-sq", s_max = f64::INFINITY, |s| s.clone() + s.clone() * s * 0.5
}

infconv_theory::profile! {
    /// h(s) = s/(1 − s) on [0, 1), per coordinate, written once.
    FracProfile, "frac", s_max = 1.0, |s| s.clone() / (-s + 1.0)
}

/// The prox certificate of quartic-sq, derived by hand: h(s) = s + s²/2 gives
/// ∇²φ = 2h′(s)I + 4h″(s)wwᵀ = 2(1 + s)I + 4wwᵀ ⪰ 2I (μ = 2), φ ≥ ‖w‖² (q = 1), growth
/// super-quadratic, dom φ = ℝᵐ.
fn quartic_certificate(m: usize) -> PhiCertificate {
    PhiCertificate {
        name: "quartic-sq".into(),
        mu: 2.0,
        growth: Growth::SuperQuadratic,
        radial_lower: (1.0, 0.0),
        outer_radius: f64::INFINITY,
        separable: m == 1,
        radial: true,
        cubic_curvature: 0.0,
        layers: Vec::new(),
    }
}

/// Registers the test's potentials once per process (tests run on several threads).
fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        registry::register(PotentialInfo {
            name: "quartic-sq",
            group: Group::Extension,
            summary: "‖w‖² + ‖w‖⁴/2 on ℝᵐ",
            breaks: &[],
            certificate: Some(quartic_certificate),
            build: |_| Ok(Box::new(Radial::from_profile(QuarticProfile))),
            kernel: Some(KernelForm::Radial(&QuarticProfile)),
        })
        .unwrap();
        registry::register(PotentialInfo {
            name: "frac-sep",
            group: Group::Extension,
            summary: "Σᵢ wᵢ²/(1 − wᵢ²) on |wᵢ| < 1",
            breaks: &[],
            certificate: None,
            build: |_| Ok(Box::new(Separable::from_scalar(Squared(FracProfile)))),
            kernel: Some(KernelForm::Separable(&FracProfile)),
        })
        .unwrap();
        // Control for the conformance records: the same quartic-sq, falsely declaring that it breaks
        // (A3); its A3 record must come out not as expected.
        registry::register(PotentialInfo {
            name: "quartic-sq-false-claim",
            group: Group::Control,
            summary: "quartic-sq declaring a broken (A3) it does not break",
            breaks: &[Assumption::A3],
            certificate: None,
            build: |_| Ok(Box::new(Radial::from_profile(QuarticProfile))),
            kernel: None,
        })
        .unwrap();
    });
}

fn selection(potential: &str, check: Option<&str>) -> Selection {
    Selection { check: check.map(String::from), potential: Some(potential.into()), family: None }
}

#[test]
fn conformance_records_of_the_registered_potentials_are_as_declared() {
    register();
    for name in ["quartic-sq", "frac-sep"] {
        let recs = records(&selection(name, None), &[1, 2, 3], 42);
        let checks: Vec<&str> = recs.iter().filter(|r| r.family.is_none()).map(|r| r.check.as_str()).collect();
        for id in ["A1", "A2", "A3", "A4", "A5", "L3.2"] {
            assert!(checks.contains(&id), "{name}: no {id} record among {checks:?}");
        }
        for r in &recs {
            eprintln!("{name} {}: {:?} (expected {:?}), worst {:.3e} / tol {:.3e}", r.check, r.verdict, r.expected, r.worst, r.tol);
            assert!(r.as_expected(), "{name} {}: {:?}, expected {:?} ({})", r.check, r.verdict, r.expected, r.note);
        }
    }
    // Control: a false declaration is caught by the same records.
    let recs = records(&selection("quartic-sq-false-claim", Some("A3")), &[1, 2, 3], 42);
    assert_eq!(recs.len(), 1);
    assert!(!recs[0].as_expected(), "a false 'breaks A3' passed: {:?}", recs[0].verdict);
}

/// The φ-prox of the registered potential, with the certificate it declares: the fast solver
/// agrees with the global oracle (an independent dense search), and the prox checks of Theorem
/// 4.3 (formula (13) against central differences of e) hold on every prox-regular family and are
/// violated on the non-prox-regular controls, as the families declare. Control: a registered
/// potential that declares no certificate is refused by name.
#[test]
fn the_registered_potential_is_proxed_and_checked() {
    use infconv_theory::family::indefinite_quadratic::IndefiniteQuadratic;
    use infconv_theory::prox::{oracle, phi_prox};
    use infconv_theory::{Matrix, Vector};
    register();
    let f = IndefiniteQuadratic::new("test-quadratic", Matrix::from_diagonal(&Vector::from_vec(vec![-0.5, 1.0])), Vector::from_vec(vec![0.1, -0.2]))
        .unwrap();
    let v = Vector::from_vec(vec![0.2, -0.1]);
    let phi = registry::build("quartic-sq", 2).unwrap();
    let sol = phi_prox(phi.as_ref(), &f, 0.1, &v).unwrap();
    let o = oracle::global(phi.as_ref(), &f, 0.1, &v).unwrap();
    assert_eq!(o.minimizers.len(), 1, "one global minimizer expected at λ = 0.1");
    let gap = (&sol.z - &o.minimizers[0]).norm() / (1.0 + o.minimizers[0].norm());
    println!("quartic-sq: fast solver vs oracle {gap:.2e}, e = {:.6}", sol.envelope);
    assert!(gap <= infconv_verify::tolerance::PROX_AGREEMENT, "fast solver {} vs oracle {}", sol.z, o.minimizers[0]);
    // The prox checks take it up by its declarations.
    assert!(infconv_verify::catalogue::prox_potentials().contains(&"quartic-sq"));
    let recs = infconv_verify::prox_checks::records(&selection("quartic-sq", Some("T4.3-gradient13")), 42);
    assert!(recs.len() >= 10, "one record per family, got {}", recs.len());
    for r in &recs {
        assert!(r.as_expected(), "{} {:?}: {:?} expected {:?}: {}", r.check, r.family, r.verdict, r.expected, r.note);
    }
    // Control: a registered potential that declares no certificate (frac-sep) is refused by name.
    let bare = registry::build("frac-sep", 2).unwrap();
    let e = phi_prox(bare.as_ref(), &f, 0.1, &v).unwrap_err().to_string();
    assert!(e.contains("frac-sep") && e.contains("no prox certificate"), "{e}");
}

#[test]
fn registered_names_parse_and_the_gpu_refuses_them_by_name() {
    register();
    let Method::Algorithm1(k) = Method::parse("quartic-sq").unwrap() else { panic!("quartic-sq parsed as mSGD") };
    assert!(matches!(k, PotentialKind::Profile(_)) && !k.is_separable() && !k.is_bounded());
    assert_eq!(k.name(), "quartic-sq");
    let Method::Algorithm1(k) = Method::parse("frac-sep").unwrap() else { panic!() };
    assert!(k.is_separable() && k.s_max() == 1.0);
    assert_eq!(Method::parse("tan").unwrap(), Method::Algorithm1(PotentialKind::Tan));
    let e = Method::Algorithm1(k).gpu_supported().unwrap_err();
    assert!(e.is_bad_input(), "refusing a potential on the GPU is an error of the input: {e:?}");
    let e = e.to_string();
    assert!(e.contains("frac-sep") && e.contains("WGSL"), "{e}");
    assert!(Method::Algorithm1(PotentialKind::Tan).gpu_supported().is_ok());
    let e = Method::parse("quad-Q").unwrap_err();
    assert!(e.is_bad_input(), "{e:?}");
    let e = e.to_string();
    assert!(e.contains("quad-Q is not radial or separable") && e.contains("h(s)"), "{e}");
    let e = Method::parse("quartic-sq-false-claim").unwrap_err().to_string();
    assert!(e.contains("quartic-sq-false-claim"), "{e}");
    let e = Method::parse("nope").unwrap_err();
    assert!(matches!(e, infconv_train::TrainError::Input(_)), "{e:?}");
    let e = e.to_string();
    assert!(e.contains("nope") && e.contains("quartic-sq"), "{e}");
}

struct Quiet;
impl Observe for Quiet {
    fn observe(&mut self, _: &Event<'_>) {}
}

#[test]
fn a_short_cpu_run_trains_lenet_with_each_registered_potential() {
    register();
    let split = data::embedded().expect("the embedded digits load");
    let data = Arc::new(TrainData::from_split(&split, 200, 100).unwrap());
    for name in ["quartic-sq", "frac-sep"] {
        let method = Method::parse(name).unwrap();
        let mut c = TrainConfig::default_for(method);
        c.workers = 2;
        c.tau = infconv_train::config::mean_tau(c.eta, 2);
        c.iterations = 4;
        c.log_every = 2;
        c.eval_samples = 100;
        c.checkpoint_every = 2; // also reloads the checkpoint, which names the registered potential
        c.prox_iterations = 3;
        let dir = std::env::temp_dir().join(format!("infconv-extension-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let opts = RunOptions { out: dir.clone(), resume: false, threads: 2 };
        let last = infconv_train::run(Some(c.clone()), data.clone(), &opts, &mut Quiet).unwrap();
        eprintln!("{name}: {last:?}");
        assert_eq!((last.method.as_str(), last.iterations), (name, 4));
        let figures = [last.objective, last.train_loss, last.test_loss, last.consensus, last.residual_5a.unwrap(), last.residual_5b.unwrap()];
        assert!(figures.iter().all(|x| x.is_finite()), "{name}: {figures:?}");
        assert!(last.envelope_stationarity.is_some_and(f64::is_finite), "{name}: {:?}", last.envelope_stationarity);
        // Every u − zⱼ inside dom φ̂ (η = 1): ‖(u − zⱼ)ₗ‖² < s_max per layer, or (u − zⱼ)ᵢ² < s_max.
        let ck = infconv_train::checkpoint::Checkpoint::load(&infconv_train::run::checkpoint_path(&dir)).unwrap();
        let Method::Algorithm1(k) = method else { unreachable!() };
        let layers = infconv_kernels::lenet::Arch::Caffe.layer_table();
        let n = layers.len();
        let mut worst: f64 = 0.0;
        for j in 0..c.workers {
            let d: Vec<f64> = (0..n).map(|i| ck.u[i] as f64 - ck.z[j * n + i] as f64).collect();
            for l in 0..layers.num_layers() {
                let r = layers.range(l);
                let s = if k.is_separable() { r.map(|i| d[i] * d[i]).fold(0.0, f64::max) } else { r.map(|i| d[i] * d[i]).sum() };
                worst = worst.max(s);
                assert!(s < k.s_max(), "{name}: worker {j} layer {l}: s = {s} ≥ {}", k.s_max());
            }
        }
        assert!(worst > 0.0, "{name}: the copies never moved apart, the domain check measured nothing");
        eprintln!("{name}: largest scaled squared distance {worst:.3e} (bound {})", k.s_max());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
