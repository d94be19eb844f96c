//! Properties of the kernels beyond agreement: EASGD as the quad special case, agreement of the
//! f64 reference with the theory crate's Layerwise<Scaled<φ>>, and typed errors.

mod common;

use common::*;
use infconv_kernels::backend::{Backend, HostState};
use infconv_kernels::layers::LayerTable;
use infconv_kernels::potential::{Params, PotentialKind};
use infconv_kernels::{CpuBackend, GpuBackend, KernelError, reference};
use infconv_theory::potential::layerwise::Layerwise;
use infconv_theory::potential::scaled::Scaled;
use infconv_theory::{Legendre, Vector};

fn gpu_or_skip() -> Option<GpuBackend> {
    match GpuBackend::new() {
        Ok(b) => Some(b),
        Err(e) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("CI=true and no wgpu adapter: {e}");
            }
            println!("SKIPPED: no wgpu adapter ({e})");
            None
        }
    }
}

/// With quad (‖w‖², ∇ = 2w/η² after (18)) and τ = η²/(2M) the consensus step is the mean of the
/// zⱼ: synchronous EASGD. (With η = 1 this is τ = 1/(2M).)
fn check_mean<B: Backend>(b: &B, rel: f64, eta: f64) {
    for (n, m) in [(1, 4), (7, 8), (431_080, 4)] {
        let h = random_state(n, m, PotentialKind::Quad, eta, 42 + n as u64);
        let mut p = Params::new(PotentialKind::Quad);
        p.eta = eta;
        p.tau = eta * eta / (2.0 * m as f64);
        let mut st = b.load(&h).unwrap();
        assert_eq!(b.consensus_step(&mut st, &p).unwrap(), 1.0);
        let got = b.store(&st).unwrap();
        for i in 0..n {
            let mean = (0..m).map(|j| h.z[j * n + i]).sum::<f64>() / m as f64;
            let scale = h.u[i].abs() + (0..m).map(|j| h.z[j * n + i].abs()).sum::<f64>();
            assert!((got.u[i] - mean).abs() <= rel * scale, "{}: u[{i}] = {} ≠ mean {mean}", b.name(), got.u[i]);
        }
    }
}

#[test]
fn quad_consensus_with_tau_one_over_2m_is_the_mean() {
    check_mean(&CpuBackend::<f64>::new(0).unwrap(), 64.0 * f64::EPSILON, 1.0);
    check_mean(&CpuBackend::<f64>::new(0).unwrap(), 64.0 * f64::EPSILON, 0.5);
    check_mean(&CpuBackend::<f32>::new(0).unwrap(), 64.0 * f32::EPSILON as f64, 1.0);
    if let Some(g) = gpu_or_skip() {
        check_mean(&g, 64.0 * f32::EPSILON as f64, 1.0);
    }
    // And the reference itself.
    let h = random_state(7, 3, PotentialKind::Quad, 1.0, 3);
    let mut hr = h.clone();
    let mut p = Params::new(PotentialKind::Quad);
    p.tau = 1.0 / 6.0;
    reference::consensus_step(&mut hr, &p).unwrap();
    for i in 0..7 {
        let mean = (0..3).map(|j| h.z[j * 7 + i]).sum::<f64>() / 3.0;
        assert!((hr.u[i] - mean).abs() < 1e-15);
    }
}

fn theory(kind: PotentialKind, eta: f64, layers: Vec<usize>) -> Box<dyn Legendre> {
    fn lw<P: Legendre + 'static>(p: P, eta: f64, layers: Vec<usize>) -> Box<dyn Legendre> {
        Box::new(Layerwise::new(Scaled::new(p, eta).unwrap(), layers).unwrap())
    }
    // The registry's potential of the kind's name (the dimension is not bound for these).
    lw(infconv_theory::potential::registry::build(kind.name(), 1).unwrap(), eta, layers)
}

#[test]
fn reference_gradient_agrees_with_theory_layerwise_scaled() {
    let mut worst: f64 = 0.0;
    for (k, kind) in PotentialKind::BUILTIN.into_iter().enumerate() {
        for (n, eta) in [(1, 0.7), (7, 2.0), (256, 0.5)] {
            let h = random_state(n, 1, kind, eta, 300 + k as u64 * 10 + n as u64);
            let w: Vec<f64> = (0..n).map(|i| h.u[i] - h.z[i]).collect();
            let ours = reference::grad_phi(&h.layers, kind, eta, &w).unwrap();
            let phi = theory(kind, eta, h.layers.sizes().to_vec());
            let theirs = phi.gradient(&Vector::from_vec(w.clone())).unwrap();
            let scale = theirs.iter().fold(0.0f64, |a, b| a.max(b.abs())).max(1e-300);
            for i in 0..n {
                let r = (ours[i] - theirs[i]).abs() / scale;
                worst = worst.max(r);
                assert!(r <= 1e-12, "{kind}, n = {n}, η = {eta}: element {i}: {} vs {}", ours[i], theirs[i]);
            }
        }
    }
    println!("worst residual [reference vs theory] grad_phi: {worst:.3e} (relative to max |∇|, tolerance 1e-12)");
}

#[test]
fn bad_inputs_are_typed_errors() {
    let b = CpuBackend::<f64>::single_thread();
    let layers = LayerTable::new(vec![2, 3]).unwrap();
    // Shapes.
    let e = HostState::at_rest(layers.clone(), 2, vec![0.0; 5], vec![0.0; 9]).unwrap_err();
    assert_eq!(e, KernelError::ShapeMismatch { what: "z", got: 9, expected: 10 });
    let e = HostState::at_rest(layers.clone(), 0, vec![0.0; 5], vec![]).unwrap_err();
    assert!(e.to_string().contains("workers"), "{e}");
    let h = HostState::at_rest(layers.clone(), 2, vec![0.0; 5], vec![0.1; 10]).unwrap();
    let mut st = b.load(&h).unwrap();
    assert!(matches!(b.set_delta(&mut st, &[0.0; 3]), Err(KernelError::ShapeMismatch { what: "δ", .. })));
    // Parameters.
    let mut p = Params::new(PotentialKind::Tan);
    p.lambda = -1.0;
    assert!(b.step(&mut st, &p).unwrap_err().to_string().contains("λ = -1"));
    p = Params::new(PotentialKind::Tan);
    p.eta = 0.0;
    assert!(b.step(&mut st, &p).unwrap_err().to_string().contains("η = 0"));
    assert!(b.grad_phi(&mut st, PotentialKind::Log, f64::NAN).is_err());
    // Names.
    let e = "cubic_reg".parse::<PotentialKind>().unwrap_err();
    assert!(matches!(e, KernelError::UnknownPotential { .. }) && e.to_string().contains("cubic-reg"), "{e}");
}

fn outside_state() -> HostState {
    // Layer 1 of worker 1 has ‖u − z‖ = 1.2 > 1 = the log radius at η = 1.
    let layers = LayerTable::new(vec![2, 3]).unwrap();
    let u = vec![0.0; 5];
    let mut z = vec![0.1; 10];
    z[5 + 2] = 1.2;
    z[5 + 3] = 0.0;
    z[5 + 4] = 0.0;
    HostState::at_rest(layers, 2, u, z).unwrap()
}

fn check_outside<B: Backend>(b: &B) {
    let h = outside_state();
    let mut p = Params::new(PotentialKind::Log);
    p.eta = 1.0;
    for kind in [PotentialKind::Log, PotentialKind::LogSep] {
        p.potential = kind;
        let mut st = b.load(&h).unwrap();
        let e = b.step(&mut st, &p).unwrap_err();
        match e {
            KernelError::OutsideDomain { worker, index, scaled_sq_norm, bound } => {
                assert_eq!((worker, index, bound), (1, 1, 1.0), "{}", b.name());
                assert!((scaled_sq_norm - 1.44).abs() < 1e-5);
            }
            e => panic!("{}: expected OutsideDomain, got {e}", b.name()),
        }
        // The state was not touched, and no NaN was produced.
        let after = b.store(&st).unwrap();
        assert_eq!(after.u, h.u);
        assert!(after.z.iter().all(|x| x.is_finite()));
        assert!(after.z.iter().zip(&h.z).all(|(a, b)| (a - b).abs() < 1e-7), "{}: state changed", b.name());
        assert!(b.grad_phi(&mut st, kind, 1.0).is_err());
        // A NaN is outside every domain.
        let mut hn = h.clone();
        hn.z[0] = f64::NAN;
        let mut st = b.load(&hn).unwrap();
        assert!(matches!(b.residuals(&mut st, &p), Err(KernelError::OutsideDomain { .. })), "{}", b.name());
    }
}

#[test]
fn a_state_outside_the_domain_is_an_error_not_a_nan() {
    check_outside(&CpuBackend::<f64>::single_thread());
    check_outside(&CpuBackend::<f32>::new(0).unwrap());
    if let Some(g) = gpu_or_skip() {
        check_outside(&g);
    }
    let h = outside_state();
    assert!(matches!(
        reference::step(&mut h.clone(), &Params::new(PotentialKind::Log)),
        Err(KernelError::OutsideDomain { worker: 1, index: 1, .. })
    ));
}
