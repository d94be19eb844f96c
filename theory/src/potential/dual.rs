//! The extension path: a potential written once as a value generic over
//! `num_dual::DualNum<Primitive = f64>`, plus a domain test, becomes a full [`Legendre`]
//! potential with no further code: gradient and Hessian from num-dual, ∇φ* from the safeguarded
//! Newton of [`conjugate`](super::conjugate), and the domain geometry from bisection on the
//! domain test. The conformance suite then applies to it unchanged.
//!
//! ```
//! use infconv_theory::potential::dual::FromDual;
//! use infconv_theory::{Vector, Gradient, ConjugateGradient};
//!
//! infconv_theory::dual_potential! {
//!     /// φ(w) = Σᵢ wᵢ⁴/4 + wᵢ²/2 on ℝᵐ.
//!     Quartic, "quartic",
//!     |w| w.iter().map(|t| t.powi(4) * 0.25 + t.powi(2) * 0.5).sum(),
//!     contains = |w| w.iter().all(|t| t.is_finite())
//! }
//!
//! let phi = FromDual(Quartic);
//! let w = Vector::from_vec(vec![0.5, -2.0]);
//! let y = phi.gradient(&w).unwrap();              // wᵢ³ + wᵢ, by dual numbers
//! assert!((y[1] - (-10.0)).abs() < 1e-12);
//! let back = phi.conjugate_gradient(&y).unwrap(); // by safeguarded Newton
//! assert!((back - w).norm() < 1e-10);
//! ```

use super::conjugate::newton_conjugate;
use super::{ConjugateGradient, Domain, Gradient, Hessian, Legendre, Value, check_point, dual_hessian};
use crate::{Matrix, TheoryError, Vector};
use num_dual::DualNum;
use std::fmt::Debug;

/// What a researcher writes to add a potential: its value, generic over dual numbers, and its
/// domain test. The domain must be open, convex and contain 0.
///
/// Where num-dual's chain rule yields NaN at a point where φ is finite (`powf` at 0, `sqrt` of
/// 0), the gradient is the agreeing limit of the symmetric one-sided gradients, or a typed error
/// when they disagree (a kink); the Hessian stays a typed error there ((A3) is judged violated,
/// as for cubic at 0). Note that num-dual's `abs` returns the right derivative at 0
/// (signum(0) = 1): a kink written with `abs` itself is not seen by the dual numbers.
pub trait DualPotential: Debug + Clone + Send + Sync {
    /// Command-line name.
    fn name(&self) -> String;
    /// φ(w) for w in the domain, written once for any `DualNum` (f64 included).
    fn value_dual<D: DualNum<Primitive = f64>>(&self, w: &[D]) -> D;
    /// `w ∈ dom φ`.
    fn contains(&self, w: &[f64]) -> bool;
    /// The inradius of the domain, if known; the default probes the coordinate rays by bisection.
    fn inradius(&self) -> Option<f64> {
        None
    }
}

/// Declares a potential written once through the extension path: a unit struct, its name, φ(w)
/// generically over dual numbers ([`DualPotential::value_dual`]) and the domain test; further
/// methods (an `inradius`) may follow a `;`. Wrap it in [`FromDual`] to get a [`Legendre`]
/// potential.
///
/// ```
/// use infconv_theory::potential::dual::FromDual;
/// use infconv_theory::{Gradient, Vector};
///
/// infconv_theory::dual_potential! {
///     /// φ(w) = Σᵢ wᵢ⁴/4 + wᵢ²/2 on ℝᵐ.
///     pub Quartic, "quartic",
///     |w| w.iter().map(|t| t.powi(4) * 0.25 + t.powi(2) * 0.5).sum(),
///     contains = |w| w.iter().all(|t| t.is_finite())
/// }
/// let y = FromDual(Quartic).gradient(&Vector::from_vec(vec![-2.0])).unwrap();
/// assert_eq!(y[0], -10.0); // w³ + w, by dual numbers
/// ```
#[macro_export]
macro_rules! dual_potential {
    ($(#[$attr:meta])* $vis:vis $ty:ident, $name:literal, |$w:ident| $value:expr, contains = |$c:ident| $contains:expr $(; $($method:tt)*)?) => {
        $crate::__named_unit! {
            $(#[$attr])* $vis $ty: $crate::potential::dual::DualPotential, $name,
            fn value_dual<D: $crate::num_dual::DualNum<Primitive = f64>>(&self, $w: &[D]) -> D {
                $value
            }
            fn contains(&self, $c: &[f64]) -> bool {
                $contains
            }
            $($($method)*)?
        }
    };
}

/// A [`DualPotential`] made into a [`Legendre`] potential.
#[derive(Debug, Clone)]
pub struct FromDual<T>(pub T);

/// The reach of the ray probe: a ray from w that is still inside the domain at length
/// `UNBOUNDED_PROBE · (1 + ‖w‖)` counts as never leaving it, and `max_step` answers +∞. (The probe
/// doubles its length, so an exit beyond half that length may also be answered +∞.)
pub const UNBOUNDED_PROBE: f64 = 1e12;

impl<T: DualPotential> FromDual<T> {
    fn interior(&self, what: &'static str, w: &Vector) -> Result<(), TheoryError> {
        check_point(what, None, w)?;
        if self.contains(w) {
            Ok(())
        } else {
            Err(TheoryError::OutsideDomain { what, point_norm: crate::linalg::scaled_norm(w) })
        }
    }

    /// sup{t ≥ 0 : w + t d ∈ dom} by doubling then bisection on the domain test (convex domain).
    ///
    /// Bounded for every finite input: the direction is first divided by a = maxᵢ |dᵢ| (so its
    /// norm lies in [1, √m] and never overflows, which the plain ‖d‖ does from ≈ 1.3e154 on), the
    /// exit parameter of d is that of d/a divided by a; the doubling stops after
    /// [`MAX_DOUBLINGS`] steps or once the probe point is no longer finite, the bisection after
    /// [`MAX_BISECTIONS`].
    fn ray_exit(&self, w: &Vector, d: &Vector) -> f64 {
        let a = d.amax();
        if a == 0.0 || !a.is_finite() || d.iter().any(|v| v.is_nan()) {
            return f64::INFINITY;
        }
        let ds = d / a;
        let dn = ds.norm(); // ∈ [1, √m]
        let inside = |t: f64| {
            let p = w + &ds * t;
            p.iter().all(|v| v.is_finite()) && self.0.contains(p.as_slice())
        };
        let reach = UNBOUNDED_PROBE * (1.0 + crate::linalg::scaled_norm(w));
        let (mut lo, mut hi) = (0.0, 1.0 / dn);
        let mut doublings = 0;
        while inside(hi) {
            lo = hi;
            hi *= 2.0;
            doublings += 1;
            if hi * dn > reach || doublings >= MAX_DOUBLINGS || !hi.is_finite() {
                return f64::INFINITY;
            }
        }
        let (lo, _) = crate::roots::bisect(lo, hi, MAX_BISECTIONS, crate::roots::Midpoint::Arithmetic, inside);
        lo / a
    }
}

/// Cap of the doubling phase of the ray probe: 2¹¹⁰⁰ spans the whole f64 range.
pub const MAX_DOUBLINGS: usize = 1100;
/// Cap of the bisection phase of the ray probe (a bracket [lo, 2 lo] reaches f64 resolution in
/// 53 halvings; [0, hi] in at most 1100).
pub const MAX_BISECTIONS: usize = 1200;

impl<T: DualPotential> Value for FromDual<T> {
    fn value(&self, w: &Vector) -> Result<f64, TheoryError> {
        check_point("dual potential value", None, w)?;
        if !self.contains(w) {
            return Ok(f64::INFINITY);
        }
        let v = self.0.value_dual::<f64>(w.as_slice());
        if v.is_nan() { Err(TheoryError::NonFinite { what: "dual potential value" }) } else { Ok(v) }
    }
}

/// Smallest offset of the one-sided limits of [`FromDual`]'s gradient (for a coordinate at 0).
pub const ONE_SIDED_OFFSET: f64 = 1e-150;
/// The two one-sided gradients must agree to this relative tolerance for their mean to be
/// accepted as ∇φ(w): the continuity of ∇φ that (A1)'s essential smoothness and C¹ presume.
/// At |t|^p the sides differ by 2p·δ^{p−1} with δ = 1e-150: below 1e-6 for every p ≥ 1.05;
/// a kink (|t|: sides ±1) differs by 2.
pub const ONE_SIDED_AGREEMENT: f64 = 1e-6;

impl<T: DualPotential> FromDual<T> {
    fn raw_gradient(&self, w: &Vector) -> Vector {
        num_dual::gradient(|x: nalgebra::DVector<num_dual::DualDVec64>| self.0.value_dual(x.as_slice()), w).1
    }

    /// Where num-dual returns a NaN partial derivative at a point where φ is finite (a value
    /// written with `powf`, e.g. |t|^p with 1 < p < 2 at t = 0, whose chain rule forms
    /// 0 · ∞), the partial is the limit of the symmetric one-sided values: the gradient at
    /// w ± δu, u the indicator of the offending coordinates, δᵢ = max(δ₀, 64ε|wᵢ|). Their mean
    /// is accepted when both sides are finite, inside the domain, and agree to
    /// [`ONE_SIDED_AGREEMENT`]; otherwise φ is not differentiable there and the answer is
    /// [`TheoryError::NonFinite`] (e.g. |t| at 0).
    fn one_sided_limit(&self, w: &Vector, g: &Vector) -> Result<Vector, TheoryError> {
        let err = || TheoryError::NonFinite { what: "dual potential gradient (not differentiable here)" };
        let v = self.0.value_dual::<f64>(w.as_slice());
        if !v.is_finite() {
            return Err(err());
        }
        let bad: Vec<usize> = (0..w.len()).filter(|&i| !g[i].is_finite()).collect();
        let mut plus = w.clone();
        let mut minus = w.clone();
        for &i in &bad {
            let d = ONE_SIDED_OFFSET.max(64.0 * f64::EPSILON * w[i].abs());
            plus[i] += d;
            minus[i] -= d;
        }
        if !self.contains(&plus) || !self.contains(&minus) {
            return Err(err());
        }
        let (gp, gm) = (self.raw_gradient(&plus), self.raw_gradient(&minus));
        let mut out = g.clone();
        for &i in &bad {
            let (a, b) = (gp[i], gm[i]);
            if !(a.is_finite() && b.is_finite()) {
                return Err(err());
            }
            let mean = 0.5 * (a + b);
            if (a - b).abs() > ONE_SIDED_AGREEMENT * (1.0 + mean.abs()) {
                return Err(err());
            }
            out[i] = mean;
        }
        Ok(out)
    }
}

impl<T: DualPotential> Gradient for FromDual<T> {
    fn gradient(&self, w: &Vector) -> Result<Vector, TheoryError> {
        self.interior("dual potential gradient", w)?;
        let g = self.raw_gradient(w);
        if g.iter().all(|x| x.is_finite()) {
            return Ok(g);
        }
        if g.iter().any(|x| x.is_infinite()) {
            return Err(TheoryError::NonFinite { what: "dual potential gradient (overflow)" });
        }
        self.one_sided_limit(w, &g)
    }
}

impl<T: DualPotential> Hessian for FromDual<T> {
    fn hessian(&self, w: &Vector) -> Result<Matrix, TheoryError> {
        self.interior("dual potential Hessian", w)?;
        Ok(dual_hessian(w, |x| self.0.value_dual(x))?.2)
    }
}

impl<T: DualPotential> ConjugateGradient for FromDual<T> {
    fn conjugate_gradient(&self, y: &Vector) -> Result<Vector, TheoryError> {
        Ok(newton_conjugate(self, y)?.0)
    }
}

impl<T: DualPotential> Domain for FromDual<T> {
    fn contains(&self, w: &Vector) -> bool {
        w.iter().all(|v| v.is_finite()) && self.0.contains(w.as_slice())
    }
    fn max_step(&self, w: &Vector, d: &Vector) -> Result<f64, TheoryError> {
        crate::error::ensure_dim("max_step direction", w.len(), d.len())?;
        crate::error::ensure_finite("max_step direction", d.as_slice())?;
        self.interior("max_step start", w)?;
        Ok(self.ray_exit(w, d))
    }
    fn inradius(&self) -> f64 {
        self.0.inradius().unwrap_or_else(|| {
            let zero = Vector::zeros(1);
            let (plus, minus) = (Vector::from_element(1, 1.0), Vector::from_element(1, -1.0));
            self.ray_exit(&zero, &plus).min(self.ray_exit(&zero, &minus))
        })
    }
    fn boundary_distance(&self, w: &Vector) -> f64 {
        if !self.contains(w) {
            return 0.0;
        }
        // An upper bound: the exit distances along ±eᵢ and ±w/‖w‖.
        let m = w.len();
        let mut dist = f64::INFINITY;
        let mut dirs: Vec<Vector> = (0..m).flat_map(|i| {
            let e = Vector::from_fn(m, |j, _| if i == j { 1.0 } else { 0.0 });
            [e.clone(), -e]
        }).collect();
        if let Some(u) = crate::linalg::scaled_unit(w) {
            dirs.push(-&u);
            dirs.push(u);
        }
        for d in dirs {
            dist = dist.min(self.ray_exit(w, &d));
        }
        dist
    }
}

impl<T: DualPotential> Legendre for FromDual<T> {
    fn name(&self) -> String {
        self.0.name()
    }
    fn dual_derivatives(&self, w: &Vector) -> Option<Result<(f64, Vector, Matrix), TheoryError>> {
        Some(self.interior("num-dual derivatives", w).and_then(|_| dual_hessian(w, |x| self.0.value_dual(x))))
    }
}
