//! Negative control `log1p-sq`: φ(w) = log(1 + ‖w‖²). Not convex for ‖w‖ > 1 ((A1), (A3) fail),
//! grows like log ((A4) fails), and ‖∇φ‖ ≤ 1, so ∇φ is not onto ℝᵐ (Lemma 3.2 fails).

use super::radial::Radial;

crate::profile! {
    /// The profile h(s) = log(1 + s), written once (its derivatives come from dual numbers).
    pub Log1pSqProfile, "log1p-sq", s_max = f64::INFINITY, |s| s.ln_1p()
}

/// log1p-sq = log(1 + ‖·‖²).
pub type Log1pSq = Radial<Log1pSqProfile>;

impl Radial<Log1pSqProfile> {
    /// φ(w) = log(1 + ‖w‖²).
    pub fn new() -> Self {
        Radial::from_profile(Log1pSqProfile)
    }
}
