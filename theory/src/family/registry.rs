//! The named families and their seeded generators: `build(name, m, seed)` is deterministic, so a
//! proptest strategy over seeds is one over families.
//!
//! ```
//! use infconv_theory::family::registry;
//! let err = registry::build("lasso", 2, 0).unwrap_err();
//! assert!(err.to_string().contains("l1-smooth")); // the error lists the known names
//! ```

use super::ellipse::EllipsoidSurface;
use super::indefinite_quadratic::IndefiniteQuadratic;
use super::smooth_nonconvex::SmoothNonconvex;
use super::{Family, separable_sum::SeparableFamily};
use crate::TheoryError;
use crate::random::SeedGen;

/// A named family: summary and whether it is a negative control.
#[derive(Debug, Clone, Copy)]
pub struct FamilyInfo {
    /// Command-line name.
    pub name: &'static str,
    /// One line: formula.
    pub summary: &'static str,
    /// A negative control (name starts with `neg-`).
    pub control: bool,
}

const ALL: &[FamilyInfo] = &[
    FamilyInfo { name: "smooth-nonconvex", summary: "½zᵀHz + bᵀz + Σₖ aₖcos(⟨ωₖ,z⟩ + cₖ), H ≻ 0", control: false },
    FamilyInfo { name: "indefinite-quadratic", summary: "½zᵀHz + bᵀz, λ_min(H) = −ρ < 0 (λ_f = 2/ρ for quad)", control: false },
    FamilyInfo { name: "l1-smooth", summary: "μ‖z‖₁ + Σᵢ hᵢzᵢ²/2 + bᵢzᵢ + aᵢcos(ωᵢzᵢ + cᵢ)", control: false },
    FamilyInfo { name: "mcp", summary: "Σᵢ MCP_{μ,γ}(zᵢ) + hᵢzᵢ²/2 + bᵢzᵢ", control: false },
    FamilyInfo { name: "sphere", summary: "indicator of {‖z‖ = R}", control: false },
    FamilyInfo { name: "ellipse", summary: "indicator of {Σᵢ zᵢ²/aᵢ² = 1}", control: false },
    FamilyInfo { name: "separable-sum", summary: "Σᵢ fᵢ(zᵢ), coordinates cycling smooth / ℓ1+smooth / MCP", control: false },
    FamilyInfo { name: "neg-abs", summary: "−|z| on ℝ (not prox-regular at 0)", control: true },
    FamilyInfo { name: "neg-l1", summary: "−‖z‖₁ (not prox-regular at 0)", control: true },
    FamilyInfo {
        name: "neg-indef-quad-above",
        summary: "indefinite-quadratic, checked with λ above its threshold λ_f",
        control: true,
    },
];

/// Every named family.
pub fn all() -> &'static [FamilyInfo] {
    ALL
}

/// The names, in a fixed order.
pub fn known_names() -> Vec<&'static str> {
    ALL.iter().map(|f| f.name).collect()
}

/// The entry of a name, or an error listing the known names.
pub fn info(name: &str) -> Result<&'static FamilyInfo, TheoryError> {
    ALL.iter().find(|f| f.name == name).ok_or_else(|| TheoryError::InvalidParameter {
        name: "family",
        value: format!("{name:?} (known: {})", known_names().join(", ")),
        expected: "one of the known families",
    })
}

/// The family `name` in dimension m ≥ 1, generated from `seed`.
pub fn build(name: &str, m: usize, seed: u64) -> Result<Box<dyn Family>, TheoryError> {
    let info = info(name)?;
    if m == 0 {
        return Err(TheoryError::InvalidParameter { name: "dimension", value: "0".into(), expected: "m ≥ 1" });
    }
    let mut g = SeedGen::new(seed, info.name);
    Ok(match info.name {
        "smooth-nonconvex" => Box::new(SmoothNonconvex::generate(m, &mut g)),
        "indefinite-quadratic" => Box::new(IndefiniteQuadratic::generate("indefinite-quadratic", m, &mut g)),
        "neg-indef-quad-above" => Box::new(IndefiniteQuadratic::generate("neg-indef-quad-above", m, &mut g)),
        "l1-smooth" => Box::new(super::l1_smooth::generate(m, &mut g)),
        "mcp" => Box::new(super::mcp::generate(m, &mut g)),
        "sphere" => Box::new(super::sphere::generate(m, &mut g)),
        "ellipse" => Box::new(EllipsoidSurface::generate(m, &mut g)),
        "separable-sum" => Box::new(SeparableFamily::generate(m, &mut g)),
        "neg-abs" => Box::new(super::neg_abs::neg_abs(m)?),
        "neg-l1" => Box::new(super::neg_abs::neg_l1(m)?),
        _ => unreachable!("every entry of ALL is built above"),
    })
}
