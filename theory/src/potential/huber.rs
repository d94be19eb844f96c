//! Negative control `huber`: the Huber function of ‖w‖ with threshold 1,
//! φ(w) = ‖w‖²/2 for ‖w‖ ≤ 1 and ‖w‖ − ½ beyond. C¹, but linear along rays beyond the threshold:
//! not strictly convex ((A1) fails), Hessian singular there ((A3) fails), linear growth ((A4)
//! fails), ‖∇φ‖ ≤ 1 (Lemma 3.2 fails).

use super::profile::Profile;
use super::radial::Radial;
use num_dual::DualNum;

/// The profile h(s) = s/2 for s ≤ 1, √s − ½ beyond, written once (its derivatives come from
/// dual numbers).
#[derive(Debug, Clone, Copy, Default)]
pub struct HuberProfile;

impl Profile for HuberProfile {
    fn name(&self) -> String {
        "huber".into()
    }
    fn s_max(&self) -> f64 {
        f64::INFINITY
    }
    fn h_dual<D: DualNum<Primitive = f64>>(&self, s: D) -> D {
        if s.re() <= 1.0 { s * 0.5 } else { s.sqrt() - 0.5 }
    }
}

/// huber = Huber(‖·‖) with threshold 1.
pub type Huber = Radial<HuberProfile>;

impl Radial<HuberProfile> {
    /// The Huber control.
    pub fn new() -> Self {
        Radial::from_profile(HuberProfile)
    }
}
