//! What the step kernels of model (15) need of a potential, as an object-safe description.
//!
//! With the η-scaling of (18), φ̂(w) = Σₗ φ(wₗ/η), and a profile h (φ(w) = h(‖w‖²) radial per
//! layer, or Σᵢ h(wᵢ²) separable per coordinate), the kernels use only
//!
//! * the gradient factor ∇φ̂(w)ₗ = (2h′(‖wₗ‖²/η²)/η²)·wₗ (radial) or ∇φ̂(w)ᵢ = (2h′(wᵢ²/η²)/η²)·wᵢ
//!   (separable), i.e. h′;
//! * the end of the domain s_max (the fraction-to-boundary line search of Algorithm 1 keeps
//!   s < s_max), and h itself for the objective of (15);
//! * h″ for the separable φ-prox's Newton steps and for the condition number s h″/h′ of the factor
//!   that the kernels' rounding bounds use.
//!
//! A [`KernelForm`] in a registry entry (`PotentialInfo::kernel`) hands exactly that to the kernels
//! crate; [`ClosedForm`] tells it which Table 2 profile it is, where the kernels keep hand-written
//! closed forms (CPU fast paths and WGSL) instead of calling the profile.

use super::profile::Profile;
use std::fmt::Debug;
use std::panic::{RefUnwindSafe, UnwindSafe};

pub use super::profile::ClosedForm;

/// A profile h(s) seen through a `&'static dyn` handle (object-safe; [`Profile`] itself is not,
/// its `h_dual` is generic). Every `Profile + 'static` is one. Unwind-safe, so that the kernels'
/// `Copy` kinds holding a `&'static dyn KernelProfile` stay unwind-safe like plain data.
pub trait KernelProfile: Debug + Send + Sync + RefUnwindSafe + UnwindSafe {
    /// The profile's name.
    fn name(&self) -> String;
    /// h(s) for s ∈ [0, s_max).
    fn h(&self, s: f64) -> f64;
    /// h′(s) for s ∈ [0, s_max).
    fn dh(&self, s: f64) -> f64;
    /// h″(s) for s ∈ [0, s_max) (may be +∞ at 0).
    fn d2h(&self, s: f64) -> f64;
    /// The open end of the domain in s (+∞ for ℝᵐ).
    fn s_max(&self) -> f64;
    /// The Table 2 profile this is, if any.
    fn closed_form(&self) -> Option<ClosedForm>;
}

impl<P: Profile + RefUnwindSafe + UnwindSafe + 'static> KernelProfile for P {
    fn name(&self) -> String {
        Profile::name(self)
    }
    fn h(&self, s: f64) -> f64 {
        Profile::h(self, s)
    }
    fn dh(&self, s: f64) -> f64 {
        Profile::dh(self, s)
    }
    fn d2h(&self, s: f64) -> f64 {
        Profile::d2h(self, s)
    }
    fn s_max(&self) -> f64 {
        Profile::s_max(self)
    }
    fn closed_form(&self) -> Option<ClosedForm> {
        Profile::closed_form(self)
    }
}

/// How a potential reaches the step kernels: φ(w) = h(‖w‖²) applied per layer (radial) or
/// Σᵢ h(wᵢ²) per coordinate (separable), for a profile h registered for the whole process.
#[derive(Debug, Clone, Copy)]
pub enum KernelForm {
    /// φ(w) = h(‖w‖²), per layer in (18).
    Radial(&'static dyn KernelProfile),
    /// φ(w) = Σᵢ h(wᵢ²).
    Separable(&'static dyn KernelProfile),
}

impl KernelForm {
    /// The profile h.
    pub fn profile(&self) -> &'static dyn KernelProfile {
        match *self {
            KernelForm::Radial(p) | KernelForm::Separable(p) => p,
        }
    }

    /// Per coordinate (true) or per layer (false).
    pub fn is_separable(&self) -> bool {
        matches!(self, KernelForm::Separable(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Vector;
    use crate::potential::registry;

    /// The kernel form a registry entry hands to the kernels is the potential itself: φ(w) equals
    /// h(‖w‖²) (radial) or Σᵢ h(wᵢ²) (separable) at points of the domain, and h′, h″ are the
    /// derivatives of h by central differences (step 1e-6 (1 + s): truncation and rounding near
    /// 1e-10 relative for these profiles away from s_max).
    #[test]
    fn kernel_forms_are_the_potentials_they_describe() {
        let mut seen = 0;
        for info in registry::all() {
            let Some(form) = info.kernel else { continue };
            seen += 1;
            let phi = (info.build)(3).unwrap();
            let p = form.profile();
            for w in [vec![0.1, -0.2, 0.05], vec![0.3, 0.0, -0.1], vec![0.0, 0.0, 0.0]] {
                let w = Vector::from_vec(w);
                let want = phi.value(&w).unwrap();
                let got = if form.is_separable() { w.iter().map(|x| p.h(x * x)).sum() } else { p.h(w.norm_squared()) };
                assert!((got - want).abs() <= 1e-13 * (1.0 + want.abs()), "{}: kernel form gives {got}, φ(w) = {want}", info.name);
            }
            let top = if p.s_max().is_finite() { 0.5 * p.s_max() } else { 2.0 };
            for k in 1..=8 {
                let s = top * k as f64 / 8.0;
                let d = 1e-6 * (1.0 + s);
                let dh = (p.h(s + d) - p.h(s - d)) / (2.0 * d);
                let d2h = (p.dh(s + d) - p.dh(s - d)) / (2.0 * d);
                assert!((dh - p.dh(s)).abs() <= 1e-6 * (1.0 + dh.abs()), "{}: h′({s}) = {}, differences {dh}", info.name, p.dh(s));
                assert!((d2h - p.d2h(s)).abs() <= 1e-6 * (1.0 + d2h.abs()), "{}: h″({s}) = {}, differences {d2h}", info.name, p.d2h(s));
            }
        }
        assert!(seen >= 4, "the registry hands kernel forms to the kernels ({seen} seen)");
    }
}
