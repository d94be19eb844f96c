//! The hypotheses a potential is checked against: (A1)–(A5) of section 3 and the conclusion of
//! Lemma 3.2. Each registered potential declares which of them it breaks on paper; the checks
//! derive their expected verdicts from that declaration.

use serde::Serialize;
use std::fmt;

/// One hypothesis on φ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Assumption {
    /// (A1): φ proper, lsc, convex and Legendre (Definition 3.1).
    A1,
    /// (A2): dom φ open.
    A2,
    /// (A3): φ twice continuously differentiable with ∇²φ ≻ 0 on int dom φ.
    A3,
    /// (A4): φ super-coercive.
    A4,
    /// (A5): φ(0) = 0 and ∇φ(0) = 0.
    A5,
    /// Lemma 3.2: ∇φ is a bijection onto ℝᵐ with inverse ∇φ*.
    L32,
}

impl Assumption {
    /// Every hypothesis, in the order of the report.
    pub const ALL: [Assumption; 6] = [Assumption::A1, Assumption::A2, Assumption::A3, Assumption::A4, Assumption::A5, Assumption::L32];

    /// The check id of the catalogue (`A1` … `A5`, `L3.2`).
    pub fn id(self) -> &'static str {
        match self {
            Assumption::A1 => "A1",
            Assumption::A2 => "A2",
            Assumption::A3 => "A3",
            Assumption::A4 => "A4",
            Assumption::A5 => "A5",
            Assumption::L32 => "L3.2",
        }
    }

    /// The hypothesis of a check id, if it is one.
    pub fn from_id(id: &str) -> Option<Assumption> {
        Assumption::ALL.into_iter().find(|a| a.id() == id)
    }
}

impl fmt::Display for Assumption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
