//! The floating-point types of the CPU backend (f32 and f64) and the potential factor 2h′(s).

use crate::potential::{CUBIC_REG_EPS, PotentialKind};
use std::ops::{Add, Div, Mul, Neg, Sub};

/// f32 or f64: what the CPU kernels need.
pub trait Real:
    Copy
    + Send
    + Sync
    + PartialOrd
    + Default
    + std::fmt::Debug
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + 'static
{
    /// Machine epsilon (distance from 1 to the next number).
    const EPS: f64;
    /// "f32" or "f64".
    const NAME: &'static str;
    /// Rounds an f64.
    fn from_f64(x: f64) -> Self;
    /// Widens to f64.
    fn to_f64(self) -> f64;
    /// √x.
    fn sqrt(self) -> Self;
    /// cos x.
    fn cos(self) -> Self;
    /// |x|.
    fn abs(self) -> Self;
}

impl Real for f32 {
    const EPS: f64 = f32::EPSILON as f64;
    const NAME: &'static str = "f32";
    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        f32::sqrt(self)
    }
    #[inline(always)]
    fn cos(self) -> Self {
        f32::cos(self)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f32::abs(self)
    }
}

impl Real for f64 {
    const EPS: f64 = f64::EPSILON;
    const NAME: &'static str = "f64";
    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        x
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
    #[inline(always)]
    fn cos(self) -> Self {
        f64::cos(self)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f64::abs(self)
    }
}

/// 2h′(s) for s inside the domain (s ≥ 0 the scaled squared norm): quad 2, cubic 3√s, cubic-reg
/// 3√s + 2ε, tan 2 sec² s, log 2/(1 − s). ∇φ̂ = (2h′(s)/η²)·w, see `potential.rs`.
#[inline(always)]
pub fn two_dh<T: Real>(kind: PotentialKind, s: T) -> T {
    let two = T::from_f64(2.0);
    match kind {
        PotentialKind::Quad => two,
        PotentialKind::Cubic => T::from_f64(3.0) * s.sqrt(),
        PotentialKind::CubicReg => T::from_f64(3.0) * s.sqrt() + T::from_f64(2.0 * CUBIC_REG_EPS),
        PotentialKind::Tan | PotentialKind::TanSep => {
            let c = s.cos();
            two / (c * c)
        }
        PotentialKind::Log | PotentialKind::LogSep => two / (T::from_f64(1.0) - s),
    }
}
