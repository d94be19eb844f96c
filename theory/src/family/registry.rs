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

/// A hypothesis of Theorem 4.3 that a family can break on purpose (the negative controls).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FamilyHypothesis {
    /// f prox-regular at the point (Definition 4.1): broken at the kink of −|z| (P two-valued).
    ProxRegular,
    /// λ below the threshold λ_f of Definition 3.3: the control is checked with λ above it.
    BelowThreshold,
}

/// How f decreases far out, which decides λ_f (Definition 3.3) against a potential: finite only
/// where f decreases quadratically and φ grows exactly quadratically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decrease {
    /// f is bounded below (or +∞ off a bounded set).
    None,
    /// f decreases at most linearly (−|z|).
    Linear,
    /// f decreases quadratically along a direction of negative curvature (½zᵀHz, λ_min(H) < 0).
    Quadratic,
}

/// A named family: its formula and what it declares about itself.
#[derive(Debug, Clone, Copy)]
pub struct FamilyInfo {
    /// Command-line name.
    pub name: &'static str,
    /// One line: formula.
    pub summary: &'static str,
    /// The hypothesis it breaks on purpose (a negative control), if any.
    pub breaks: Option<FamilyHypothesis>,
    /// How it decreases far out.
    pub decrease: Decrease,
    /// The only dimension it exists in, if it is not every m ≥ 1.
    pub fixed_dim: Option<usize>,
}

impl FamilyInfo {
    /// A negative control (it breaks a hypothesis on purpose).
    pub fn control(&self) -> bool {
        self.breaks.is_some()
    }
}

const fn regular(name: &'static str, summary: &'static str, decrease: Decrease) -> FamilyInfo {
    FamilyInfo { name, summary, breaks: None, decrease, fixed_dim: None }
}

const ALL: &[FamilyInfo] = &[
    regular("smooth-nonconvex", "½zᵀHz + bᵀz + Σₖ aₖcos(⟨ωₖ,z⟩ + cₖ), H ≻ 0", Decrease::None),
    regular("indefinite-quadratic", "½zᵀHz + bᵀz, λ_min(H) = −ρ < 0 (λ_f = 2/ρ for quad)", Decrease::Quadratic),
    regular("l1-smooth", "μ‖z‖₁ + Σᵢ hᵢzᵢ²/2 + bᵢzᵢ + aᵢcos(ωᵢzᵢ + cᵢ)", Decrease::None),
    regular("mcp", "Σᵢ MCP_{μ,γ}(zᵢ) + hᵢzᵢ²/2 + bᵢzᵢ", Decrease::None),
    regular("sphere", "indicator of {‖z‖ = R}", Decrease::None),
    regular("ellipse", "indicator of {Σᵢ zᵢ²/aᵢ² = 1}", Decrease::None),
    regular("separable-sum", "Σᵢ fᵢ(zᵢ), coordinates cycling smooth / ℓ1+smooth / MCP", Decrease::None),
    FamilyInfo {
        name: "neg-abs",
        summary: "−|z| on ℝ (not prox-regular at 0)",
        breaks: Some(FamilyHypothesis::ProxRegular),
        decrease: Decrease::Linear,
        fixed_dim: Some(1),
    },
    FamilyInfo {
        name: "neg-l1",
        summary: "−‖z‖₁ (not prox-regular at 0)",
        breaks: Some(FamilyHypothesis::ProxRegular),
        decrease: Decrease::Linear,
        fixed_dim: None,
    },
    FamilyInfo {
        name: "neg-indef-quad-above",
        summary: "indefinite-quadratic, checked with λ above its threshold λ_f",
        breaks: Some(FamilyHypothesis::BelowThreshold),
        decrease: Decrease::Quadratic,
        fixed_dim: None,
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
        "separable-sum" => Box::new(separable_sum(m, &mut g)?),
        "neg-abs" => Box::new(super::neg_abs::neg_abs(m)?),
        "neg-l1" => Box::new(super::neg_abs::neg_l1(m)?),
        _ => unreachable!("every entry of ALL is built above"),
    })
}

/// The generated separable-sum: coordinate i cycles through a smooth 1-D term, an ℓ1 plus smooth
/// term and an MCP term (see `separable_sum::smooth_term`, `l1_smooth::l1_term`,
/// `mcp::mcp_term`).
fn separable_sum(m: usize, g: &mut SeedGen) -> Result<SeparableFamily, TheoryError> {
    let terms = (0..m)
        .map(|i| match i % 3 {
            0 => super::separable_sum::smooth_term(g),
            1 => super::l1_smooth::l1_term(g),
            _ => super::mcp::mcp_term(g),
        })
        .collect();
    SeparableFamily::new("separable-sum", terms)
}
