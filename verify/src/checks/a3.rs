//! `A3`: φ is C² on int dom φ with ∇²φ ≻ 0.
//!
//! Measured at 0, near 0, in the bulk and near the boundary:
//! - positive definiteness: the smallest eigenvalue of the Jacobi-scaled Hessian
//!   D^{−1/2}∇²φ D^{−1/2} exceeds [`HESSIAN_PD_REL`] on the trusted zone and at 0 (a zero Hessian,
//!   as cubic's at 0, gives 0 and is flagged). In one dimension the scaled Hessian is 1 whenever
//!   ∇²φ > 0, so a Hessian at rounding level (huber beyond 1, where two terms cancel) is caught by
//!   the consistency parts below instead: its closed form and num-dual disagree at O(1).
//! - Hessian consistency: the closed form against num-dual ([`IDENTITY_REL`], trusted zone) and
//!   against central differences of ∇φ ([`CENTRAL_DIFF_REL`], away from the boundary).

use super::{Worst, central_diff_hessian, no_dual_note};
use crate::outcome::Outcome;
use crate::sampling::points;
use crate::tolerance::{CENTRAL_DIFF_REL, HESSIAN_PD_REL, IDENTITY_REL};
use infconv_theory::Legendre;
use infconv_theory::linalg::{jacobi_scaled_min_eigen, rel_dist_mat, symmetric_eigen_range};
use rand_chacha::ChaCha8Rng;

/// Runs `A3` on φ in dimension m.
pub fn check(phi: &dyn Legendre, m: usize, rng: &mut ChaCha8Rng) -> Outcome {
    let pts = points(phi, m, rng);
    let (mut pd, mut pd_far) = (Worst::smallest(), Worst::smallest());
    let (mut dual, mut cd) = (Worst::largest(), Worst::largest());
    let mut no_dual = 0;
    for s in &pts {
        let Ok(h) = phi.hessian(&s.w).map_err(|e| pd.add(f64::NAN, || format!("{}: Hessian failed inside dom φ: {e}", s.describe(phi)))) else {
            continue;
        };
        let (lo, hi) = symmetric_eigen_range(&h);
        let ratio = jacobi_scaled_min_eigen(&h);
        let at = || format!("{}: λ_min = {lo:.3e}, λ_max = {hi:.3e}", s.describe(phi));
        if s.trusted { pd.add(ratio, at) } else { pd_far.add(ratio, at) }
        if s.trusted {
            match phi.dual_derivatives(&s.w) {
                Some(Ok((_, _, hd))) => dual.add(rel_dist_mat(&h, &hd), || s.describe(phi)),
                Some(Err(_)) | None => no_dual += 1,
            }
        }
        if s.central_diff
            && s.w.norm() > 0.0
            && let Some(c) = central_diff_hessian(phi, &s.w)
        {
            cd.add(rel_dist_mat(&h, &c), || s.describe(phi));
        }
    }
    let mut parts = vec![pd.part("λ_min of the Jacobi-scaled ∇²φ", HESSIAN_PD_REL)];
    if dual.cases() > 0 {
        parts.push(dual.part("∇²φ closed vs num-dual", IDENTITY_REL));
    }
    parts.push(cd.part("∇²φ vs central differences of ∇φ", CENTRAL_DIFF_REL));
    let notes: Vec<String> = pd_far.report("λ_min of the Jacobi-scaled ∇²φ closer to the boundary (not judged)").into_iter().chain(no_dual_note(no_dual)).collect();
    Outcome::from_parts(parts, &notes.join("; "))
}
