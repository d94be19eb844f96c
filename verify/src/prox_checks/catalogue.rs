//! The catalogue entries of the prox checks (docs/checks.md).

use crate::catalogue::{CheckInfo, Subject};

/// The prox checks, in report order.
pub const PROX_CHECKS: &[CheckInfo] = &[
    CheckInfo {
        id: "D3.3",
        statement: "φ-prox-boundedness (Def 3.3): e(v) ≥ β near v̄ for λ < λ_f",
        subject: Subject::PotentialAndFamily,
    },
    CheckInfo {
        id: "L3.4",
        statement: "Lemma 3.4: P(v) ≠ ∅ compact; e continuous; cluster points of P(vₖ) lie in P(v)",
        subject: Subject::PotentialAndFamily,
    },
    CheckInfo {
        id: "T4.3-lipschitz",
        statement: "Theorem 4.3 (i): P single-valued and Lipschitz near v̄, DP by implicit differentiation",
        subject: Subject::PotentialAndFamily,
    },
    CheckInfo {
        id: "T4.3-formula12",
        statement: "formula (12): P = (I + ∇φ*∘λT)⁻¹",
        subject: Subject::PotentialAndFamily,
    },
    CheckInfo {
        id: "T4.3-gradient13",
        statement: "Theorem 4.3 (ii), formula (13): ∇e(v) = ∇φ(v − P(v))/λ",
        subject: Subject::PotentialAndFamily,
    },
];
