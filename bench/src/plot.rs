//! The plot of docs/performance.md: seconds per fused step against n, one line per backend.

use crate::suite::BenchRecord;
use plotters::prelude::*;

/// Writes an SVG of seconds per call of `kernel`/`potential` (M = `workers`) against n, one line
/// per backend (log-log).
pub fn time_vs_n(records: &[BenchRecord], kernel: &str, potential: &str, workers: usize, path: &std::path::Path) -> Result<(), String> {
    let mut backends: Vec<String> = records
        .iter()
        .filter(|r| r.kernel == kernel && r.potential == potential && r.workers == workers && r.seconds_per_call.is_some())
        .map(|r| r.backend.clone())
        .collect();
    backends.sort();
    backends.dedup();
    let pts = |b: &str| -> Vec<(f64, f64)> {
        let mut v: Vec<(f64, f64)> = records
            .iter()
            .filter(|r| r.kernel == kernel && r.potential == potential && r.workers == workers && r.backend == b)
            .filter_map(|r| r.seconds_per_call.map(|t| (r.n as f64, t)))
            .collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        v
    };
    let all: Vec<(f64, f64)> = backends.iter().flat_map(|b| pts(b)).collect();
    if all.is_empty() {
        return Err("no data to plot".into());
    }
    let (xmin, xmax) = all.iter().fold((f64::MAX, 0.0f64), |a, p| (a.0.min(p.0), a.1.max(p.0)));
    let (ymin, ymax) = all.iter().fold((f64::MAX, 0.0f64), |a, p| (a.0.min(p.1), a.1.max(p.1)));
    let root = SVGBackend::new(path, (900, 600)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let mut chart = ChartBuilder::on(&root)
        .caption(format!("{kernel} ({potential}, M = {workers}): seconds per call"), ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .build_cartesian_2d((xmin * 0.8..xmax * 1.25).log_scale(), (ymin * 0.5..ymax * 2.0).log_scale())
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("n (parameters)")
        .y_desc("seconds per call")
        .x_label_formatter(&|x| format!("{x:.0e}"))
        .y_label_formatter(&|y| format!("{y:.0e}"))
        .draw()
        .map_err(|e| e.to_string())?;
    for (i, b) in backends.iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        chart
            .draw_series(LineSeries::new(pts(b), color.stroke_width(2)))
            .map_err(|e| e.to_string())?
            .label(b.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
        chart.draw_series(pts(b).into_iter().map(|p| Circle::new(p, 3, color.filled()))).map_err(|e| e.to_string())?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}
