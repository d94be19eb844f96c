//! The check catalogue (docs/checks.md): ids, statements, and the verdict each (check,
//! potential[, family]) is expected to reach. Expectations are statements about mathematics,
//! derived from what each potential and family declares on paper (the registries), never
//! produced by the code under test.

use crate::outcome::Verdict;
use infconv_theory::potential::assumption::Assumption;
use infconv_theory::potential::registry;

/// What a check is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A potential φ alone (family is null in the report).
    Potential,
    /// A potential and a function family f.
    PotentialAndFamily,
    /// A function family f alone (the potential column reads [`NO_POTENTIAL`]).
    Family,
}

/// The potential column of a check of f alone.
pub const NO_POTENTIAL: &str = "-";

/// `L3.4-dom`, Lemma 3.4 (i)'s domain identity dom e = dom f + dom φ, where it has content: the
/// prox potentials with a round bounded domain × the families with a bounded domain
/// (`prox_checks::l34_domain`).
pub const L34_DOM: CheckInfo = CheckInfo {
    id: "L3.4-dom",
    statement: "Lemma 3.4 (i): dom e = dom f + dom φ (e finite exactly there)",
    subject: Subject::PotentialAndFamily,
};

/// `D4.2-(11)`, prox-regularity (Definition 4.2): inequality (11) with the family's declared
/// weak-convexity modulus (`checks::d42`), on every registered family.
pub const D42: CheckInfo = CheckInfo {
    id: "D4.2-(11)",
    statement: "Definition 4.2, inequality (11): f(z′) ≥ f(z) + ⟨y, z′ − z⟩ − (r/2)‖z′ − z‖² with r the declared weak-convexity modulus; r unbounded at a concave kink",
    subject: Subject::Family,
};

/// One catalogued statement.
#[derive(Debug, Clone, Copy)]
pub struct CheckInfo {
    /// The id used verbatim in code, tests, docs and the report.
    pub id: &'static str,
    /// The paper's statement.
    pub statement: &'static str,
    /// What it applies to.
    pub subject: Subject,
}

/// The conformance checks of a potential, in report order.
pub const POTENTIAL_CHECKS: &[CheckInfo] = &[
    CheckInfo { id: "A1", statement: "φ proper lsc convex, Legendre (Def 3.1)", subject: Subject::Potential },
    CheckInfo { id: "A2", statement: "dom φ open", subject: Subject::Potential },
    CheckInfo { id: "A3", statement: "φ C² with ∇²φ ≻ 0 on int dom φ", subject: Subject::Potential },
    CheckInfo { id: "A4", statement: "φ super-coercive", subject: Subject::Potential },
    CheckInfo { id: "A5", statement: "φ(0) = 0, ∇φ(0) = 0", subject: Subject::Potential },
    CheckInfo { id: "L3.2", statement: "∇φ bijective with inverse ∇φ* (Lemma 3.2 (ii)); dom ∂φ = int dom φ for φ and φ* (Lemma 3.2 (i))", subject: Subject::Potential },
];

/// The verdict the catalogue expects of a potential check, derived from what the potential
/// declares in the registry (`PotentialInfo::breaks`): `violated` exactly at the hypotheses it
/// breaks on paper (cubic at A3, each control at what it breaks on purpose), `holds` elsewhere.
/// A name the registry does not know is expected to hold everything.
pub fn expected_for_potential(check: &str, potential: &str) -> Verdict {
    let broken = match (registry::info(potential), Assumption::from_id(check)) {
        (Ok(info), Some(a)) => info.breaks.contains(&a),
        _ => false,
    };
    if broken { Verdict::Violated } else { Verdict::Holds }
}

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

/// `T4.3-local`, Theorem 4.3 where it is local: λ between μ/r and λ_f (the inner problem of (3)
/// nonconvex), on the paper potentials × the families with a weak-convexity modulus r > 0
/// (`prox_checks::t43_local`).
pub const T43_LOCAL: CheckInfo = CheckInfo {
    id: "T4.3-local",
    statement: "Theorem 4.3 for μ/r < λ < λ_f: where P(v) is one nondegenerate point, e is differentiable with (13) and P Lipschitz with DP; at a tie e has a kink",
    subject: Subject::PotentialAndFamily,
};

/// `C4.4-sweep`, Corollary 4.4 as users meet it: alternating minimization with local inner solves
/// over λ·r/μ from 0.1 to 50 (`checks::c44_sweep`).
pub const C44_SWEEP: CheckInfo = CheckInfo {
    id: "C4.4-sweep",
    statement: "Corollary 4.4 over λ: with local inner solves, every stationary point of (4) satisfies (7) while λ·r/μ ≤ 1; the fraction falls above",
    subject: Subject::PotentialAndFamily,
};

/// The problem of `C4.4-sweep`, as it appears in the report's family column.
pub const C44_SWEEP_FAMILY: &str = "wavy-lambda-sweep";

/// `C4.4`, Corollary 4.4 (translation of stationarity) on model (4); its family is f's.
pub const C44: CheckInfo = CheckInfo {
    id: "C4.4",
    statement: "Corollary 4.4: a stationary point of (4) (alternating minimization) satisfies (7), with z̄ = P(Aū), for λ small",
    subject: Subject::PotentialAndFamily,
};

/// The verdict the catalogue expects of `C4.4`: holds for the prox-regular families at λ
/// "sufficiently small" (below λ_f and μ_φ/r, where the inner problem is strongly convex and its
/// stationary point the global one); violated for the control `wavy-large-lambda` (λ far above
/// μ_φ/r with local inner solves: z̄ is only a local minimizer of the inner problem on some
/// instances, and (7) fails there).
pub fn expected_for_c44(family: &str) -> Verdict {
    if family == C44_CONTROL { Verdict::Violated } else { Verdict::Holds }
}

/// The families of model (4) that `C4.4` runs on, the last one its control.
/// `<f>+l1` and `<f>+box` take the nonsmooth g(u) = β‖u‖₁ + (γ/2)‖u − c‖² resp. the indicator of
/// a box (`checks::c44`), where (7) reads 0 ∈ ∂g(ū) + Aᵀ∇e(Aū); they hold like the quadratic g.
pub const C44_FAMILIES: &[&str] =
    &["smooth-nonconvex", "indefinite-quadratic", "smooth-nonconvex+l1", "smooth-nonconvex+box", "indefinite-quadratic+box", C44_CONTROL];

/// The large-λ control of `C4.4`.
pub const C44_CONTROL: &str = "wavy-large-lambda";

/// The problems of `C5.1`, as they appear in the report's family column (`-split`: the control,
/// whose workers' risks differ).
pub const C51_PROBLEMS: &[&str] = &["least-squares", "logistic", "mlp", "least-squares-split"];

/// `C5.1`, Corollary 5.1 on the EASGD model (15); its "family" is the empirical risk.
pub const C51: CheckInfo = CheckInfo {
    id: "C5.1",
    statement: "Corollary 5.1: at a stationary point of (15), Σⱼ ∇e fⱼ(ū) = 0; with fⱼ = f̂ also ū = z̄ⱼ, ∇f̂(ū) = 0",
    subject: Subject::PotentialAndFamily,
};

/// The verdict the catalogue expects of `C5.1` for a potential and a problem:
/// - identical risks (`least-squares`, `logistic`, and the nonconvex `mlp`): holds for every
///   potential of Table 2 (and cubic-reg) — the corollary asks for a stationary point of (15), not
///   convexity; where Algorithm 1 does not reach one, the record is `n/a` by its hypothesis. Cubic violates (A3) only at w = 0, i.e. exactly at consensus; the stationary
///   point is still reached (with the exact consensus step) and the conclusions hold there;
/// - `least-squares-split` (the control, fⱼ differ): violated, since consensus is not implied —
///   while its first conclusion, Σⱼ ∇e fⱼ(ū) = 0, is measured to hold (see the note).
pub fn expected_for_c51(_potential: &str, problem: &str) -> Verdict {
    if problem.ends_with("-split") { Verdict::Violated } else { Verdict::Holds }
}

/// Every catalogued check that `infconv verify` runs, in report order: the potential checks, the
/// prox checks of Definition 3.3, Lemma 3.4 and Theorem 4.3, `T4.3-local`, then `C4.4`,
/// `C4.4-sweep`, `C5.1`, `L3.4-dom` and `D4.2-(11)`.
pub fn all_checks() -> Vec<CheckInfo> {
    POTENTIAL_CHECKS.iter().chain(PROX_CHECKS).chain([&T43_LOCAL, &C44, &C44_SWEEP, &C51, &L34_DOM, &D42]).copied().collect()
}

/// The ids of every catalogued check that `infconv verify` runs.
pub fn known_check_ids() -> Vec<&'static str> {
    all_checks().iter().map(|c| c.id).collect()
}

/// The function families and problems that `--family` accepts.
pub fn known_families() -> Vec<&'static str> {
    let mut names = infconv_theory::family::registry::known_names();
    for extra in C44_FAMILIES.iter().chain(C51_PROBLEMS).chain(&[C44_SWEEP_FAMILY]) {
        if !names.contains(extra) {
            names.push(extra);
        }
    }
    names
}

/// The potentials the prox checks and `C4.4` apply to: every registered potential that meets, on
/// paper, what Theorem 4.3 and Corollary 4.4 assume of φ — (A1), (A2), (A4), (A5) and Lemma 3.2
/// (cubic's (A3) gap at 0 is bridged by its Bregman modulus, see [`crate::prox_checks::expected`])
/// — and has a certificate (the bounds the prox solvers need). Derived from the registry's
/// declarations, so a registered potential joins by itself.
pub fn prox_potentials() -> Vec<&'static str> {
    registry::all()
        .into_iter()
        .filter(|p| p.breaks.iter().all(|a| *a == Assumption::A3))
        .filter(|p| p.build(1).and_then(|phi| infconv_theory::prox::certificate::certificate(phi.as_ref(), 1)).is_ok())
        .map(|p| p.name)
        .collect()
}

/// The paper's potentials (Table 2 and quad-Q) among [`prox_potentials`]: those `C5.1` runs on
/// (each run is thousands of Algorithm 1 iterations; the structural and extension potentials are
/// covered by the prox checks and `C4.4`) and `infconv prox --plot` draws.
pub fn paper_potentials() -> Vec<&'static str> {
    let paper: Vec<&str> = registry::all().into_iter().filter(|p| p.group == registry::Group::Paper).map(|p| p.name).collect();
    prox_potentials().into_iter().filter(|p| paper.contains(p)).collect()
}
