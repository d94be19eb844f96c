//! Profiles h: a potential written as h(s) of s = t² serves twice: radially, φ(w) = h(‖w‖²)
//! ([`Radial`](super::radial::Radial)), and separably, φ(w) = Σᵢ h(wᵢ²)
//! ([`Separable`](super::separable::Separable) with [`Squared`](super::separable::Squared)).
//!
//! Derivatives (docs/potentials.md): ∇φ(w) = 2h′(s) w and ∇²φ(w) = 2h′(s) I + 4h″(s) wwᵀ with
//! s = ‖w‖²; the radial inverse r(ρ) solves 2r h′(r²) = ρ, so that ∇φ*(y) = r(‖y‖) y/‖y‖.

use crate::TheoryError;
use crate::roots::increasing_root;
use num_dual::DualNum;
use std::fmt::Debug;

/// The Table 2 profiles that downstream backends may specialise with their own closed forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClosedForm {
    /// h(s) = s.
    Quad,
    /// h(s) = s^{3/2}.
    Cubic,
    /// h(s) = s^{3/2} + ε s with ε = [`CUBIC_REG_EPS`](super::cubic::CUBIC_REG_EPS).
    CubicReg,
    /// h(s) = tan s on [0, π/2).
    Tan,
    /// h(s) = −log(1 − s) on [0, 1).
    Log,
}

/// A profile h on `[0, s_max)` with h(0) = 0; see the module documentation.
pub trait Profile: Debug + Clone + Send + Sync {
    /// Name of the radial potential h(‖w‖²) (`log`, `tan`, …).
    fn name(&self) -> String;
    /// h(s) for `s ∈ [0, s_max)`. The default evaluates [`h_dual`](Self::h_dual) at a real
    /// number; a closed form overrides it where it is faster or more accurate.
    fn h(&self, s: f64) -> f64 {
        self.h_dual(s)
    }
    /// h′(s); the default differentiates [`h_dual`](Self::h_dual) with a dual number.
    fn dh(&self, s: f64) -> f64 {
        num_dual::first_derivative(|x| self.h_dual(x), s).1
    }
    /// h″(s); may be infinite at s = 0 (cubic), where it multiplies wwᵀ = 0. The default
    /// differentiates [`h_dual`](Self::h_dual) twice with a hyper-dual number.
    fn d2h(&self, s: f64) -> f64 {
        num_dual::second_derivative(|x| self.h_dual(x), s).2
    }
    /// The open end of the domain in s: `dom = { s < s_max }`; `+∞` for `ℝᵐ`.
    fn s_max(&self) -> f64;
    /// h written once, generically, for dual numbers: num-dual differentiates it, for the default
    /// [`dh`](Self::dh) and [`d2h`](Self::d2h) and to check closed forms that override them.
    fn h_dual<D: DualNum<Primitive = f64>>(&self, s: D) -> D;
    /// The radial inverse: r ≥ 0 with 2r h′(r²) = ρ (ρ ≥ 0). The default is a safeguarded
    /// Newton–bisection; profiles override it with a closed form where one exists.
    fn radial_inverse(&self, rho: f64) -> Result<f64, TheoryError> {
        radial_inverse_numeric(self, rho)
    }
    /// The Table 2 profile this is, if any: backends may then use their own closed forms
    /// ([`KernelForm`](super::kernel::KernelForm)). `None` (the default) for every other profile.
    fn closed_form(&self) -> Option<ClosedForm> {
        None
    }
}

/// Declares a profile written once: a unit struct, the potential's name, the open end `s_max`
/// of its domain in s, and h generically over dual numbers ([`Profile::h_dual`]); closed forms
/// of h, h′, h″ or the radial inverse may follow a `;` as further methods of the impl.
///
/// ```
/// use infconv_theory::potential::profile::Profile;
///
/// infconv_theory::profile! {
///     /// h(s) = s + s²/2 on [0, ∞).
///     pub QuarticProfile, "quartic-sq", s_max = f64::INFINITY, |s| s.clone() + s.clone() * s * 0.5
/// }
/// assert_eq!(QuarticProfile.name(), "quartic-sq");
/// assert_eq!(QuarticProfile.dh(2.0), 3.0); // h′ = 1 + s, from a dual number
/// ```
#[macro_export]
macro_rules! profile {
    ($(#[$attr:meta])* $vis:vis $ty:ident, $name:literal, s_max = $s_max:expr, |$s:ident| $h:expr $(; $($method:tt)*)?) => {
        $crate::__named_unit! {
            $(#[$attr])* $vis $ty: $crate::potential::profile::Profile, $name,
            fn s_max(&self) -> f64 {
                $s_max
            }
            fn h_dual<D: $crate::num_dual::DualNum<Primitive = f64>>(&self, $s: D) -> D {
                $h
            }
            $($($method)*)?
        }
    };
}

/// The unit struct and the named impl that [`profile!`] and
/// [`dual_potential!`](crate::dual_potential) declare.
#[doc(hidden)]
#[macro_export]
macro_rules! __named_unit {
    ($(#[$attr:meta])* $vis:vis $ty:ident: $trait:path, $name:literal, $($item:tt)*) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $ty;

        impl $trait for $ty {
            fn name(&self) -> String {
                $name.into()
            }
            $($item)*
        }
    };
}

/// The safeguarded Newton–bisection solution of 2r h′(r²) = ρ on `[0, √s_max)`.
pub fn radial_inverse_numeric<P: Profile + ?Sized>(p: &P, rho: f64) -> Result<f64, TheoryError> {
    if rho < 0.0 || !rho.is_finite() {
        return Err(TheoryError::InvalidParameter {
            name: "ρ",
            value: format!("{rho}"),
            expected: "a finite number ≥ 0",
        });
    }
    let s_max = p.s_max();
    let eval = |r: f64| {
        let s = r * r;
        if s >= s_max {
            return (f64::INFINITY, f64::INFINITY);
        }
        let dh = p.dh(s);
        let g = 2.0 * r * dh;
        let dg = 2.0 * dh + if s > 0.0 { 4.0 * s * p.d2h(s) } else { 0.0 };
        (g, dg)
    };
    increasing_root(eval, rho, 0.0, s_max.sqrt())
}
