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
    /// π/2 rounded to T (as f64), and the rest π/2 − that.
    const PIO2_HI: f64;
    /// See [`Real::PIO2_HI`].
    const PIO2_LO: f64;
    /// Taylor terms of sin r on [0, π/2] for T's precision (truncation below ε/2).
    const SIN_TERMS: usize;
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
    const PIO2_HI: f64 = std::f32::consts::FRAC_PI_2 as f64;
    const PIO2_LO: f64 = -4.371139000186243e-8;
    // r¹⁵/15! < 2.5e-9 at r = π/2.
    const SIN_TERMS: usize = 7;
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
    const PIO2_HI: f64 = std::f64::consts::FRAC_PI_2;
    const PIO2_LO: f64 = 6.123233995736766e-17;
    // r²⁵/25! < 1e-20 at r = π/2.
    const SIN_TERMS: usize = 12;
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

/// cos s for s ∈ [0, π/2] as sin(π/2 − s), with π/2 split in two so that π/2 − s keeps its
/// relative accuracy near tan's boundary, and sin by its Taylor polynomial (branch-free, so the
/// separable kernels vectorize; the same scheme as the WGSL `cos_acc`).
#[inline(always)]
pub fn cos_quadrant<T: Real>(s: T) -> T {
    const INV_FACT: [f64; 12] = [
        1.0,
        -1.0 / 6.0,
        1.0 / 120.0,
        -1.0 / 5040.0,
        1.0 / 362880.0,
        -1.0 / 39916800.0,
        1.0 / 6227020800.0,
        -1.0 / 1307674368000.0,
        1.0 / 355687428096000.0,
        -1.0 / 121645100408832000.0,
        1.0 / 51090942171709440000.0,
        -1.0 / 25852016738884976640000.0,
    ];
    let r = (T::from_f64(T::PIO2_HI) - s) + T::from_f64(T::PIO2_LO);
    let r2 = r * r;
    let mut p = T::from_f64(INV_FACT[T::SIN_TERMS - 1]);
    for k in (0..T::SIN_TERMS - 1).rev() {
        p = p * r2 + T::from_f64(INV_FACT[k]);
    }
    r * p
}

/// 2h′(s) for s inside the domain (s ≥ 0 the scaled squared norm): quad 2, cubic 3√s, cubic-reg
/// 3√s + 2ε, tan 2 sec² s, log 2/(1 − s) in T; for a registered profile 2h′(s) computed in f64
/// by the profile and rounded to T. ∇φ̂ = (2h′(s)/η²)·w of (18), see `potential.rs`.
#[inline(always)]
pub fn two_dh<T: Real>(kind: PotentialKind, s: T) -> T {
    let two = T::from_f64(2.0);
    match kind {
        PotentialKind::Quad => two,
        PotentialKind::Cubic => T::from_f64(3.0) * s.sqrt(),
        PotentialKind::CubicReg => T::from_f64(3.0) * s.sqrt() + T::from_f64(2.0 * CUBIC_REG_EPS),
        PotentialKind::Tan | PotentialKind::TanSep => {
            let c = cos_quadrant(s);
            two / (c * c)
        }
        PotentialKind::Log | PotentialKind::LogSep => two / (T::from_f64(1.0) - s),
        PotentialKind::Profile(p) => T::from_f64(2.0 * p.profile().dh(s.to_f64())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cos_quadrant_matches_std_cos() {
        let mut worst32: f64 = 0.0;
        let mut worst64: f64 = 0.0;
        for k in 0..=10_000 {
            let s = std::f64::consts::FRAC_PI_2 * (k as f64 / 10_000.0) * 0.9999;
            let c = s.cos();
            worst64 = worst64.max((cos_quadrant::<f64>(s) - c).abs() / c);
            let s32 = s as f32;
            let c32 = (s32 as f64).cos();
            worst32 = worst32.max((cos_quadrant::<f32>(s32) as f64 - c32).abs() / c32);
        }
        // Relative error a few ε near s = 0 (c ≈ 1) and, near π/2, the rounding of π/2 − s.
        assert!(worst64 < 64.0 * f64::EPSILON, "f64: {worst64:e}");
        assert!(worst32 < 64.0 * f32::EPSILON as f64, "f32: {worst32:e}");
    }
}
