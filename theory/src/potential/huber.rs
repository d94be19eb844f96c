//! Negative control `huber`: the Huber function of ‖w‖ with threshold 1,
//! φ(w) = ‖w‖²/2 for ‖w‖ ≤ 1 and ‖w‖ − ½ beyond. C¹, but linear along rays beyond the threshold:
//! not strictly convex ((A1) fails), Hessian singular there ((A3) fails), linear growth ((A4)
//! fails), ‖∇φ‖ ≤ 1 (Lemma 3.2 fails).

use super::radial::Radial;

crate::profile! {
    /// The profile h(s) = s/2 for s ≤ 1, √s − ½ beyond, written once (its derivatives come from
    /// dual numbers).
    pub HuberProfile, "huber", s_max = f64::INFINITY, |s| if s.re() <= 1.0 { s * 0.5 } else { s.sqrt() - 0.5 }
}

/// huber = Huber(‖·‖) with threshold 1.
pub type Huber = Radial<HuberProfile>;

impl Radial<HuberProfile> {
    /// The Huber control.
    pub fn new() -> Self {
        Radial::from_profile(HuberProfile)
    }
}
