//! Figures of the `--out` report (SVG, plotters): the residuals of every check against their
//! tolerances, and the λ-sweep of formula (13) that shows the "λ sufficiently small" of
//! Theorem 4.3.

use crate::error::VerifyError;
use crate::outcome::Verdict;
use crate::catalogue::paper_potentials;
use crate::prox_checks::Setup;
use infconv_theory::family::{self, Family};
use infconv_theory::potential::{Legendre, registry};
use crate::prox_checks::t43_gradient13::residual;
use crate::record::Record;
use crate::report::Figure;
use infconv_theory::Vector;
use infconv_theory::prox::oracle;
use plotters::prelude::*;

/// Severity of a record on a log scale: log10(worst/tol) for residuals, log10(tol/worst) for lower
/// bounds; ≤ 0 is within tolerance. Exact zeros and infinities are clamped to ±[`CLAMP`].
pub fn severity(r: &Record) -> f64 {
    let ratio = crate::outcome::tolerance_ratio(r.worst, r.tol, r.lower_bound);
    if ratio == 0.0 { -CLAMP } else { ratio.log10().clamp(-CLAMP, CLAMP) }
}

/// The range of the severity axis.
pub const CLAMP: f64 = 16.0;

fn svg_of(width: u32, height: u32, draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<(), String>) -> Result<String, VerifyError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        draw(&root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// One panel per check: how far each record's worst residual is from its tolerance
/// (log10 of worst/tol, ≤ 0 within tolerance), bars coloured by verdict.
pub fn residual_histograms(records: &[Record]) -> Result<Figure, VerifyError> {
    let mut checks: Vec<&str> = Vec::new();
    for r in records {
        if !checks.contains(&r.check.as_str()) {
            checks.push(&r.check);
        }
    }
    let cols = 4usize;
    let rows = checks.len().div_ceil(cols).max(1);
    let svg = svg_of(1400, 260 * rows as u32, |root| {
        let panels = root.split_evenly((rows, cols));
        for (panel, check) in panels.iter().zip(&checks) {
            let mut bins = vec![[0u32; 3]; (2.0 * CLAMP) as usize + 1];
            for r in records.iter().filter(|r| r.check == *check) {
                let b = (severity(r) + CLAMP).round() as usize;
                let k = match r.verdict {
                    Verdict::Holds => 0,
                    Verdict::Violated => 1,
                    Verdict::NotApplicable => 2,
                };
                let last = bins.len() - 1;
                bins[b.min(last)][k] += 1;
            }
            let top = bins.iter().map(|b| b.iter().sum::<u32>()).max().unwrap_or(1).max(1);
            let mut chart = ChartBuilder::on(panel)
                .caption(format!("{check}: log10(worst / tol)"), ("sans-serif", 16))
                .margin(8)
                .x_label_area_size(24)
                .y_label_area_size(30)
                .build_cartesian_2d(-CLAMP..CLAMP, 0f64..f64::from(top) * 1.1)
                .map_err(|e| e.to_string())?;
            chart.configure_mesh().disable_mesh().x_labels(9).y_labels(4).draw().map_err(|e| e.to_string())?;
            for (i, b) in bins.iter().enumerate() {
                let x = i as f64 - CLAMP;
                let mut base = 0.0;
                for (k, color) in [(0, BLUE), (1, RED), (2, RGBColor(150, 150, 150))] {
                    let h = f64::from(b[k]);
                    if h > 0.0 {
                        chart
                            .draw_series(std::iter::once(Rectangle::new([(x - 0.4, base), (x + 0.4, base + h)], color.filled())))
                            .map_err(|e| e.to_string())?;
                        base += h;
                    }
                }
            }
            chart
                .draw_series(LineSeries::new([(0.0, 0.0), (0.0, f64::from(top) * 1.1)], BLACK.stroke_width(1)))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    })?;
    Ok(Figure {
        file: "residuals-by-check.svg".into(),
        caption: "Each record's worst residual relative to its tolerance (log10 of worst/tol; lower bounds as \
                  tol/worst), per check: blue holds, red violated (the negative controls, right of the line \
                  at 0), grey n/a. Exact zeros sit at −16."
            .into(),
        svg,
    })
}

/// The residual of formula (13) against λ at v = 0.5 for the 1-D indefinite quadratic family (seed
/// `seed`), for quad, cubic, tan and log, with quad's certified threshold λ_f = 2/ρ: below it
/// (13) holds to rounding, above it the inner problem is unbounded for quad (plotted at the top),
/// while the other potentials have no threshold.
pub fn lambda_sweep(seed: u64) -> Result<Figure, VerifyError> {
    let potentials = ["quad", "cubic", "tan", "log"];
    let colors = [BLUE, RED, GREEN, MAGENTA];
    let v = Vector::from_element(1, 0.5);
    let grid: Vec<f64> = (0..=40).map(|i| 10f64.powf(-3.0 + 5.0 * f64::from(i) / 40.0)).collect();
    let mut curves = Vec::new();
    let mut threshold = f64::INFINITY;
    for p in potentials {
        let setup = Setup::new(p, "indefinite-quadratic", 1, seed).map_err(|e| e.to_string())?;
        if p == "quad" {
            threshold = setup.threshold();
        }
        let pts: Vec<(f64, f64)> = grid
            .iter()
            .map(|&l| {
                let r = oracle::global(setup.phi.as_ref(), setup.f.as_ref(), l, &v)
                    .map_err(|e| e.to_string())
                    .and_then(|o| residual(&setup, l, &v, &o));
                (l, r.map(|r| r.max(1e-17).log10()).unwrap_or(0.0))
            })
            .collect();
        curves.push(pts);
    }
    let svg = svg_of(900, 520, |root| {
        let mut chart = sweep_frame(root, "Formula (13) against central differences of e, indefinite quadratic f, v = 0.5")
            .build_cartesian_2d((1e-3f64..1e2f64).log_scale(), -17f64..0.5f64)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc("λ")
            .y_desc("log10 relative residual of (13) (0: undefined)")
            .draw()
            .map_err(|e| e.to_string())?;
        for ((p, pts), color) in potentials.iter().zip(&curves).zip(colors) {
            labelled_line(&mut chart, pts.clone(), color.stroke_width(2), *p)?;
        }
        if threshold.is_finite() {
            labelled_line(&mut chart, vec![(threshold, -17.0), (threshold, 0.5)], BLACK.stroke_width(1), format!("λ_f = 2/ρ = {threshold:.3} (quad)"))?;
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)
    })?;
    Ok(Figure {
        file: "lambda-sweep-formula13.svg".into(),
        caption: format!(
            "The residual of formula (13) as λ grows (Theorem 4.3: \"λ sufficiently small\"). For quad (= ‖·‖²) and \
             the indefinite quadratic f the inner problem is bounded exactly below λ_f = 2/ρ = {threshold:.3}; above it \
             e = −∞ and (13) is undefined (plotted at 0). Cubic and the bounded-domain potentials have no threshold."
        ),
        svg,
    })
}

/// f, e and P on a grid of v ∈ [−2.5, 2.5] for one potential (1-D, by the oracle).
fn curves(phi: &dyn Legendre, f: &dyn Family, lambda: f64) -> Vec<(f64, f64, f64, f64)> {
    let n = 201;
    (0..n)
        .filter_map(|k| {
            let x = -2.5 + 5.0 * k as f64 / (n - 1) as f64;
            let v = Vector::from_vec(vec![x]);
            let o = oracle::global(phi, f, lambda, &v).ok()?;
            Some((x, f.value(&v).unwrap_or(f64::INFINITY), o.envelope, o.minimizers[0][0]))
        })
        .collect()
}

/// `infconv prox --plot`: draws f (black), e (blue) and P (red) of the 1-D family for every paper potential side by side.
pub fn prox_1d(family_name: &str, lambda: f64, seed: u64, file: &str) -> Result<(), VerifyError> {
    if !file.ends_with(".svg") {
        return Err(VerifyError::Input(format!("invalid --plot {file:?}: only SVG output is built in (use a name ending in .svg)")));
    }
    let f = family::registry::build(family_name, 1, seed)?;
    let root = SVGBackend::new(file, (1600, 800)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let panels = root.split_evenly((2, 4));
    for (panel, name) in panels.iter().zip(paper_potentials()) {
        let phi = registry::build(name, 1)?;
        let pts = curves(phi.as_ref(), f.as_ref(), lambda);
        let ys: Vec<f64> = pts.iter().flat_map(|p| [p.1, p.2, p.3]).filter(|y| y.is_finite()).collect();
        let (lo, hi) = ys.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(*y), b.max(*y)));
        let (lo, hi) = if lo < hi { (lo, hi) } else { (-1.0, 1.0) };
        let mut chart = ChartBuilder::on(panel)
            .margin(12)
            .caption(format!("{name}: f black, e blue, P red"), ("sans-serif", 16))
            .x_label_area_size(24)
            .y_label_area_size(40)
            .build_cartesian_2d(-2.5f64..2.5f64, lo..hi)
            .map_err(|e| e.to_string())?;
        chart.configure_mesh().disable_x_mesh().disable_y_mesh().x_labels(5).y_labels(5).x_desc("v").draw().map_err(|e| e.to_string())?;
        let fseries: Vec<(f64, f64)> = pts.iter().filter(|p| p.1.is_finite()).map(|p| (p.0, p.1)).collect();
        chart.draw_series(LineSeries::new(fseries, &BLACK)).map_err(|e| e.to_string())?;
        chart.draw_series(LineSeries::new(pts.iter().map(|p| (p.0, p.2)), &BLUE)).map_err(|e| e.to_string())?;
        chart.draw_series(LineSeries::new(pts.iter().map(|p| (p.0, p.3)), &RED)).map_err(|e| e.to_string())?;
    }
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}

/// `C4.4-sweep`: the fraction of alternating-minimization runs (local inner solves) whose end
/// point satisfies (7), against λ·r/μ (log axis), one line per potential of the sweep, with the
/// bound λ·r/μ = 1 of the global certificate. Shares the sweeps of the records
/// (`checks::c44_sweep::cached`).
pub fn c44_sweep(seed: u64) -> Result<Figure, VerifyError> {
    use crate::checks::c44_sweep::{RATIOS, cached, potentials};
    let colors = [BLUE, RED, GREEN, MAGENTA, CYAN, RGBColor(230, 140, 0), BLACK, RGBColor(120, 70, 20)];
    let mut curves = Vec::new();
    for p in potentials() {
        let pts: Vec<(f64, f64)> = cached(p, seed)?.iter().map(|x| (x.ratio, x.fraction())).collect();
        curves.push((p, pts));
    }
    let (lo, hi) = (RATIOS[0] * 0.7, RATIOS[RATIOS.len() - 1] * 1.4);
    let svg = svg_of(900, 520, |root| {
        let mut chart = sweep_frame(root, "Corollary 4.4 with local inner solves: runs whose end point satisfies (7)")
            .build_cartesian_2d((lo..hi).log_scale(), -0.05f64..1.1f64)
            .map_err(|e| e.to_string())?;
        chart.configure_mesh().x_desc("λ·r/μ").y_desc("fraction satisfying (7)").draw().map_err(|e| e.to_string())?;
        for (k, (p, pts)) in curves.iter().enumerate() {
            let color = colors[k % colors.len()];
            // A small vertical offset per potential keeps coinciding lines visible.
            let off = 0.006 * k as f64;
            let shifted: Vec<(f64, f64)> = pts.iter().map(|(x, y)| (*x, y - off)).collect();
            labelled_line(&mut chart, shifted.clone(), color.stroke_width(2), *p)?;
            chart.draw_series(shifted.iter().map(|q| Circle::new(*q, 3, color.filled()))).map_err(|e| e.to_string())?;
        }
        labelled_line(&mut chart, vec![(1.0, -0.05), (1.0, 1.1)], BLACK.stroke_width(1), "λ·r/μ = 1 (inner problem strongly convex below)")?;
        legend(&mut chart, SeriesLabelPosition::LowerLeft)
    })?;
    Ok(Figure {
        file: "c44-sweep.svg".into(),
        caption: format!(
            "C4.4-sweep: alternating minimization (14a)–(14b) with local inner solves (damped Newton from the previous z, \
             from two starts) on {} models (4) per λ, f the multimodal f of the C4.4 control (r ≈ 48). The fraction of \
             end points that satisfy (7), with ∇e from central differences of the global oracle's envelope, against λ·r/μ. \
             Below 1 the inner problem is strongly convex and every run satisfies (7); above, local inner solves can stop at \
             non-global minimizers. Lines are offset by 0.006 per potential so that coinciding ones stay visible. Reproduce: \
             `infconv verify --check C4.4-sweep --out DIR`.",
            crate::checks::c44_sweep::MODELS
        ),
        svg,
    })
}

/// The legend of a chart's labelled series, boxed, at `position`.
fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(chart: &mut ChartContext<'a, DB, CT>, position: SeriesLabelPosition) -> Result<(), String> {
    chart.configure_series_labels().border_style(BLACK).background_style(WHITE).position(position).draw().map_err(|e| e.to_string())
}

/// A polyline drawn with `style` and entered in the legend as `label`.
fn labelled_line<'a, DB: DrawingBackend + 'a, CT: CoordTranslate<From = (f64, f64)>>(
    chart: &mut ChartContext<'a, DB, CT>,
    points: Vec<(f64, f64)>,
    style: ShapeStyle,
    label: impl Into<String>,
) -> Result<(), String> {
    chart
        .draw_series(LineSeries::new(points, style))
        .map_err(|e| e.to_string())?
        .label(label)
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], style));
    Ok(())
}

/// The frame of a full-width sweep chart: its caption, margin and label areas.
fn sweep_frame<'a, 'b, DB: DrawingBackend>(root: &'a DrawingArea<DB, plotters::coord::Shift>, caption: &str) -> ChartBuilder<'a, 'b, DB> {
    let mut frame = ChartBuilder::on(root);
    frame.caption(caption, ("sans-serif", 18)).margin(12).x_label_area_size(40).y_label_area_size(50);
    frame
}
