//! Legendre potentials φ (Definition 3.1) and the assumptions (A1)–(A5) they are held to.
//!
//! Small orthogonal traits, one concern each: [`Value`], [`Gradient`], [`Hessian`],
//! [`ConjugateGradient`] (∇φ*) and [`Domain`]; [`Legendre`] bundles them with a name. Every
//! potential works in any dimension unless [`Legendre::fixed_dim`] says otherwise.
//!
//! The rules every implementation keeps:
//! - outside `dom φ` the value is `+∞`, never NaN; gradient and Hessian exist on the open domain
//!   only and return [`TheoryError::OutsideDomain`] elsewhere;
//! - a NaN coordinate or a dimension that does not fit is a typed error, never a panic.
//!
//! ```
//! use infconv_theory::{Vector, Value, Gradient, ConjugateGradient, Domain};
//! use infconv_theory::potential::log::Log;
//!
//! let phi = Log::new(); // φ(w) = −log(1 − ‖w‖²), dom φ = {‖w‖ < 1}
//! let w = Vector::from_vec(vec![0.3, -0.4]);
//! let y = phi.gradient(&w).unwrap();              // ∇φ(w) = 2w/(1 − ‖w‖²)
//! let back = phi.conjugate_gradient(&y).unwrap(); // Lemma 3.2: ∇φ* = (∇φ)⁻¹
//! assert!((back - &w).norm() < 1e-14);
//! assert_eq!(phi.value(&Vector::from_vec(vec![1.0, 0.0])).unwrap(), f64::INFINITY);
//! assert!(phi.max_step(&w, &w).unwrap() > 0.0); // largest t with w + t·w in dom φ: here t = 1
//! ```

/// The two potentials of one profile h, as Table 2 pairs them: radial `$radial` = h(‖w‖²) and
/// separable `$sep` = Σᵢ h(wᵢ²), each with its constructor `new()`.
macro_rules! radial_and_separable {
    ($profile:ident, $radial:ident = $rdoc:literal, $sep:ident = $sdoc:literal) => {
        #[doc = $rdoc]
        pub type $radial = super::radial::Radial<$profile>;
        #[doc = $sdoc]
        pub type $sep = super::separable::Separable<super::separable::Squared<$profile>>;

        impl super::radial::Radial<$profile> {
            #[doc = $rdoc]
            pub fn new() -> Self {
                super::radial::Radial::from_profile($profile)
            }
        }

        impl super::separable::Separable<super::separable::Squared<$profile>> {
            #[doc = $sdoc]
            pub fn new() -> Self {
                super::separable::Separable::from_scalar(super::separable::Squared($profile))
            }
        }

        impl Default for super::radial::Radial<$profile> {
            fn default() -> Self {
                Self::new()
            }
        }

        impl Default for super::separable::Separable<super::separable::Squared<$profile>> {
            fn default() -> Self {
                Self::new()
            }
        }
    };
}

pub mod assumption;
pub mod conjugate;
pub mod cosh;
pub mod cubic;
pub mod dual;
pub mod entropy_box;
pub mod huber;
pub mod kernel;
pub mod layerwise;
pub mod log;
pub mod log1p_sq;
pub mod profile;
pub mod quad;
pub mod quad_q;
pub mod radial;
pub mod registry;
pub mod scaled;
pub mod separable;
pub mod tan;
pub mod tilted_quad;

use crate::{Matrix, TheoryError, Vector};
use std::fmt;

/// φ(w), `+∞` outside `dom φ`.
pub trait Value {
    /// The value φ(w): finite on `dom φ`, `+∞` outside; an error only for a NaN coordinate or a
    /// dimension that does not fit.
    fn value(&self, w: &Vector) -> Result<f64, TheoryError>;
}

/// ∇φ(w) on the open domain.
pub trait Gradient {
    /// The gradient ∇φ(w); [`TheoryError::OutsideDomain`] where φ is not differentiable.
    fn gradient(&self, w: &Vector) -> Result<Vector, TheoryError>;
}

/// ∇²φ(w) on the open domain.
pub trait Hessian {
    /// The Hessian ∇²φ(w) (symmetric); [`TheoryError::OutsideDomain`] outside the open domain.
    fn hessian(&self, w: &Vector) -> Result<Matrix, TheoryError>;
}

/// ∇φ*, the gradient of the convex conjugate: by Lemma 3.2 the inverse of ∇φ.
pub trait ConjugateGradient {
    /// ∇φ*(y), the unique w ∈ int dom φ with ∇φ(w) = y; [`TheoryError::NoPreimage`] when y is
    /// not in the range of ∇φ (possible only when φ is not Legendre).
    fn conjugate_gradient(&self, y: &Vector) -> Result<Vector, TheoryError>;
}

/// The domain of φ: membership, and the geometry that fraction-to-boundary steps need.
pub trait Domain {
    /// `w ∈ dom φ` (false for NaN coordinates or a dimension that does not fit).
    fn contains(&self, w: &Vector) -> bool;
    /// The largest feasible step from `w ∈ dom φ` along `d`: `sup { t ≥ 0 : w + t d ∈ dom φ }`,
    /// `+∞` when the ray never leaves the domain. Fraction-to-boundary line searches take a fixed
    /// fraction (< 1) of it.
    fn max_step(&self, w: &Vector, d: &Vector) -> Result<f64, TheoryError>;
    /// The radius of the largest ball around 0 inside `dom φ` (`+∞` for `ℝᵐ`).
    fn inradius(&self) -> f64;
    /// The distance from `w` to the boundary of `dom φ` (`+∞` for `ℝᵐ`, 0 outside).
    fn boundary_distance(&self, w: &Vector) -> f64;
}

/// A potential φ of the paper: value, derivatives, ∇φ* and domain, with a name.
///
/// That a type implements `Legendre` says what it offers, not that (A1)–(A5) hold: the
/// conformance suite of `infconv-verify` measures that, and the negative controls of the
/// registry implement this trait too.
pub trait Legendre: Value + Gradient + Hessian + ConjugateGradient + Domain + Send + Sync + fmt::Debug {
    /// Display name, as used on the command line (`log`, `tan-sep`, …).
    fn name(&self) -> String;
    /// The dimension this potential is bound to, if any (quad-Q, layerwise sums).
    fn fixed_dim(&self) -> Option<usize> {
        None
    }
    /// Value, gradient and Hessian computed independently with dual numbers (num-dual) from a
    /// generic value, for checking the closed forms; `None` if the potential has no generic value.
    fn dual_derivatives(&self, _w: &Vector) -> Option<Result<(f64, Vector, Matrix), TheoryError>> {
        None
    }
}

/// Fraction-to-boundary step: `t = min(1, fraction · max_step(w, d))`, the step length a line
/// search starts from, so that `w + t d` stays strictly inside `dom φ` (`fraction ∈ (0, 1)`).
/// Close to the boundary the computed point can round onto or past it; the step is then halved
/// until `w + t d ∈ dom φ` holds for the point as computed (0 in the worst case), so iterates never
/// leave the domain.
pub fn fraction_to_boundary<D: Domain + ?Sized>(
    dom: &D,
    w: &Vector,
    d: &Vector,
    fraction: f64,
) -> Result<f64, TheoryError> {
    if !(fraction > 0.0 && fraction < 1.0) {
        return Err(TheoryError::InvalidParameter {
            name: "fraction",
            value: format!("{fraction}"),
            expected: "a number in (0, 1)",
        });
    }
    let mut t = (fraction * dom.max_step(w, d)?).min(1.0);
    while t > 0.0 && !dom.contains(&(w + d * t)) {
        t *= 0.5;
    }
    Ok(t)
}

/// The checks shared by every implementation: finite coordinates and, if bound, the dimension.
pub(crate) fn check_point(what: &'static str, fixed: Option<usize>, w: &Vector) -> Result<(), TheoryError> {
    if let Some(m) = fixed {
        crate::error::ensure_dim(what, m, w.len())?;
    }
    if w.iter().any(|v| v.is_nan()) {
        return Err(TheoryError::NonFinite { what });
    }
    Ok(())
}

/// Computes value, gradient and Hessian of a generic value with num-dual, rejecting non-finite
/// results (num-dual yields NaN where the value is not twice differentiable, e.g. ‖w‖³ at 0).
pub(crate) fn dual_hessian(
    w: &Vector,
    f: impl Fn(&[num_dual::Dual2DVec64]) -> num_dual::Dual2DVec64,
) -> Result<(f64, Vector, Matrix), TheoryError> {
    let (v, g, h) = num_dual::hessian(|x: nalgebra::DVector<num_dual::Dual2DVec64>| f(x.as_slice()), w);
    if v.is_finite() && g.iter().all(|x| x.is_finite()) && h.iter().all(|x| x.is_finite()) {
        Ok((v, g, h))
    } else {
        Err(TheoryError::NonFinite { what: "num-dual derivatives (not twice differentiable here)" })
    }
}

/// A boxed potential is a potential: registry entries (`Box<dyn Legendre>`) can be η-scaled and
/// summed over layers. Each one-method trait forwards to the box's content.
macro_rules! forward_to_box {
    ($($tr:ident :: $f:ident($arg:ident: $ty:ty) -> $ret:ty;)*) => {$(
        impl<P: $tr + ?Sized> $tr for Box<P> {
            fn $f(&self, $arg: $ty) -> $ret {
                (**self).$f($arg)
            }
        }
    )*};
}
forward_to_box! {
    Value::value(w: &Vector) -> Result<f64, TheoryError>;
    Gradient::gradient(w: &Vector) -> Result<Vector, TheoryError>;
    Hessian::hessian(w: &Vector) -> Result<Matrix, TheoryError>;
    ConjugateGradient::conjugate_gradient(y: &Vector) -> Result<Vector, TheoryError>;
}
impl<P: Domain + ?Sized> Domain for Box<P> {
    fn contains(&self, w: &Vector) -> bool {
        (**self).contains(w)
    }
    fn max_step(&self, w: &Vector, d: &Vector) -> Result<f64, TheoryError> {
        (**self).max_step(w, d)
    }
    fn inradius(&self) -> f64 {
        (**self).inradius()
    }
    fn boundary_distance(&self, w: &Vector) -> f64 {
        (**self).boundary_distance(w)
    }
}
impl<P: Legendre + ?Sized> Legendre for Box<P> {
    fn name(&self) -> String {
        (**self).name()
    }
    fn fixed_dim(&self) -> Option<usize> {
        (**self).fixed_dim()
    }
    fn dual_derivatives(&self, w: &Vector) -> Option<Result<(f64, Vector, Matrix), TheoryError>> {
        (**self).dual_derivatives(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The interval (−1, 1) with a `max_step` that over-reports the distance to its boundary
    /// tenfold, as a rounded or careless one might.
    struct Careless;

    impl Domain for Careless {
        fn contains(&self, w: &Vector) -> bool {
            w[0].abs() < 1.0
        }
        fn max_step(&self, w: &Vector, d: &Vector) -> Result<f64, TheoryError> {
            let to_end = if d[0] > 0.0 { (1.0 - w[0]) / d[0] } else { (-1.0 - w[0]) / d[0] };
            Ok(10.0 * to_end)
        }
        fn inradius(&self) -> f64 {
            1.0
        }
        fn boundary_distance(&self, w: &Vector) -> f64 {
            1.0 - w[0].abs()
        }
    }

    /// The step is halved until the point as computed is inside, so an iterate never leaves the
    /// domain even when `max_step` is too large; within it, t = min(1, fraction · max_step).
    #[test]
    fn fraction_to_boundary_stays_inside_whatever_max_step_claims() {
        let w = Vector::from_vec(vec![0.5]);
        for d in [0.2, 1.0, -3.0, 40.0] {
            let d = Vector::from_vec(vec![d]);
            let t = fraction_to_boundary(&Careless, &w, &d, 0.99).unwrap();
            assert!(t > 0.0 && Careless.contains(&(&w + &d * t)), "d = {}: t = {t} leaves (−1, 1)", d[0]);
            assert!(t <= 1.0, "d = {}: t = {t} beyond a full step", d[0]);
        }
        // d = 0.2: the claimed 10 × 2.5 allows the full step, which is inside.
        assert_eq!(fraction_to_boundary(&Careless, &w, &Vector::from_vec(vec![0.2]), 0.99).unwrap(), 1.0);
        for bad in [0.0, 1.0, -0.5, f64::NAN] {
            assert!(fraction_to_boundary(&Careless, &w, &Vector::from_vec(vec![1.0]), bad).is_err(), "fraction {bad}");
        }
    }
}
