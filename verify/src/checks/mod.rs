//! The conformance checks of a potential: `A1`–`A5` (assumptions of section 3) and `L3.2`
//! (Lemma 3.2). Each takes a potential, a dimension and a random stream and returns an
//! [`Outcome`](crate::Outcome); [`crate::conformance`] runs them over dimensions and potentials.
//! Derivative consistency (closed form vs num-dual vs central differences) belongs to `A1`
//! (gradient) and `A3` (Hessian).

pub mod a1;
pub mod a2;
pub mod a3;
pub mod a4;
pub mod a5;
pub mod c44;
pub mod c44_sweep;
pub mod c51;
pub mod d42;
pub mod l32;

use crate::outcome::{Outcome, Part};
use infconv_theory::{Legendre, Matrix, Vector};
use rand_chacha::ChaCha8Rng;

/// The signature every potential check has.
pub type PotentialCheckFn = fn(&dyn Legendre, usize, &mut ChaCha8Rng) -> Outcome;

/// The check function of an id.
pub fn potential_check(id: &str) -> Option<PotentialCheckFn> {
    Some(match id {
        "A1" => a1::check,
        "A2" => a2::check,
        "A3" => a3::check,
        "A4" => a4::check,
        "A5" => a5::check,
        "L3.2" => l32::check,
        _ => return None,
    })
}

/// The worst (largest) residual of a component, with where it occurred. NaN is worst of all.
#[derive(Debug)]
pub(crate) struct Worst {
    worst: f64,
    at: String,
    cases: usize,
    lower: bool,
}

impl Worst {
    /// Tracks the largest residual (an upper-bound component).
    pub(crate) fn largest() -> Worst {
        Worst { worst: 0.0, at: String::new(), cases: 0, lower: false }
    }

    /// Tracks the smallest figure (a lower-bound component).
    pub(crate) fn smallest() -> Worst {
        Worst { worst: f64::INFINITY, at: String::new(), cases: 0, lower: true }
    }

    pub(crate) fn add(&mut self, r: f64, at: impl FnOnce() -> String) {
        self.cases += 1;
        let worse = if r.is_nan() {
            !self.worst.is_nan()
        } else if self.lower {
            r < self.worst
        } else {
            r > self.worst
        };
        if worse || self.cases == 1 {
            self.worst = r;
            self.at = at();
        }
    }

    pub(crate) fn cases(&self) -> usize {
        self.cases
    }

    pub(crate) fn part(self, name: &'static str, tol: f64) -> Part {
        if self.lower {
            Part::lower(name, self.worst, tol, self.cases, self.at)
        } else {
            Part::upper(name, self.worst, tol, self.cases, self.at)
        }
    }

    /// A note for figures that are measured but not judged (outside the trusted zone).
    pub(crate) fn report(&self, name: &str) -> Option<String> {
        (self.cases > 0).then(|| format!("{name}: {:.3e} over {} points ({})", self.worst, self.cases, self.at))
    }
}

/// Central differences of φ, coordinate by coordinate, with the step chosen from a ladder (see
/// [`ladder`]). `None` if no step keeps both probes in dom φ.
pub fn central_diff_gradient(phi: &dyn Legendre, w: &Vector) -> Option<Vector> {
    let m = w.len();
    let mut g = Vector::zeros(m);
    for i in 0..m {
        let d = ladder(phi, w, i, |plus, minus, h| {
            let (fp, fm) = (phi.value(plus).ok()?, phi.value(minus).ok()?);
            let rounding = 4.0 * f64::EPSILON * (fp.abs() + fm.abs()) / (2.0 * h);
            (fp.is_finite() && fm.is_finite()).then(|| (Vector::from_element(1, (fp - fm) / (2.0 * h)), rounding))
        })?;
        g[i] = d[0];
    }
    Some(g)
}

/// Central differences of ∇φ: column j ≈ (∇φ(w + h eⱼ) − ∇φ(w − h eⱼ))/(2h), symmetrized.
pub fn central_diff_hessian(phi: &dyn Legendre, w: &Vector) -> Option<Matrix> {
    let m = w.len();
    let mut h = Matrix::zeros(m, m);
    for j in 0..m {
        let col = ladder(phi, w, j, |plus, minus, step| {
            let (gp, gm) = (phi.gradient(plus).ok()?, phi.gradient(minus).ok()?);
            let rounding = 4.0 * f64::EPSILON * (gp.norm() + gm.norm()) / (2.0 * step);
            Some(((gp - gm) / (2.0 * step), rounding))
        })?;
        h.set_column(j, &col);
    }
    Some((&h + h.transpose()) * 0.5)
}

/// Steps of the ladder: h_k = h₀·10^{−k/2}, k = 0..[`LADDER_STEPS`].
const LADDER_STEPS: i32 = 30;

/// A central difference along eᵢ with the step chosen where it is most reliable: on the ladder
/// h_k = h₀·10^{−k/2} (h₀ = min(1, R, dist/2), down to 1e-15·h₀), the estimate D_{k+1} that
/// minimizes the error estimate ‖D_{k+1} − D_k‖ + ρ(h_{k+1}), where ‖D_{k+1} − D_k‖ tracks the
/// truncation error (∝ h²) and ρ(h) = 4ε(|f(w+h)| + |f(w−h)|)/(2h) bounds the rounding error, which
/// the differences alone miss where both estimates round to the same value (a plateau of zeros).
/// This finds the step whatever the scale of wᵢ, of φ and of its derivatives (cubic near 0 needs
/// h ≪ ‖w‖; an affine offset in ∇φ needs h ≫ ‖w‖). `diff` returns (estimate, ρ(h)).
fn ladder(
    phi: &dyn Legendre,
    w: &Vector,
    i: usize,
    diff: impl Fn(&Vector, &Vector, f64) -> Option<(Vector, f64)>,
) -> Option<Vector> {
    let h0 = 1f64.min(phi.inradius()).min(0.5 * phi.boundary_distance(w));
    let mut best: Option<(f64, Vector)> = None;
    let mut prev: Option<Vector> = None;
    for k in 0..=LADDER_STEPS {
        let h0k = h0 * 10f64.powf(-0.5 * f64::from(k));
        let h = (w[i] + h0k) - w[i]; // exactly representable
        if !(h > 0.0) {
            prev = None;
            continue;
        }
        let mut plus = w.clone();
        plus[i] += h;
        let mut minus = w.clone();
        minus[i] -= h;
        let d = diff(&plus, &minus, h);
        if let (Some(p), Some((d, rounding))) = (&prev, &d) {
            let err = (d - p).norm() + rounding;
            if best.as_ref().is_none_or(|(e, _)| err < *e) {
                best = Some((err, d.clone()));
            }
        }
        prev = d.map(|(d, _)| d);
    }
    best.map(|(_, d)| d)
}

/// The note of a potential check whose dual-number reference was unavailable at `count` points
/// (a potential without a generic value offers none, `Legendre::dual_derivatives` = `None`; the
/// part comparing with it is then left out of the record, and this note says so).
pub fn no_dual_note(count: usize) -> Option<String> {
    (count > 0).then(|| format!("num-dual reference unavailable at {count} points"))
}

/// The outcome of a check that could not run at all (e.g. its potential failed to build).
pub fn failed(reason: String) -> Outcome {
    Outcome::from_parts(vec![Part::upper("evaluation", f64::INFINITY, 0.0, 1, String::new())], &reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use infconv_theory::potential::registry;

    /// Where num-dual has no second derivative (cubic at 0) A1 and A3 say so in the note; where
    /// it has one everywhere (log) they say nothing about it, and no note has an empty segment.
    #[test]
    fn the_missing_dual_reference_is_noted_and_only_then() {
        for (name, missing) in [("cubic", true), ("log", false)] {
            let phi = registry::build(name, 2).unwrap();
            for (id, check) in [("A1", a1::check as PotentialCheckFn), ("A3", a3::check)] {
                let o = check(phi.as_ref(), 2, &mut crate::rng::stream(crate::rng::DEFAULT_SEED, &["no-dual", id, name]));
                if id == "A3" {
                    assert_eq!(o.note.contains("num-dual reference unavailable at"), missing, "{id} on {name}: {}", o.note);
                } else if !missing {
                    assert!(!o.note.contains("num-dual reference unavailable"), "{id} on {name}: {}", o.note);
                }
                assert!(!o.note.split("; ").any(|s| s.trim().is_empty()), "{id} on {name}: an empty note segment in {:?}", o.note);
            }
        }
    }
}
