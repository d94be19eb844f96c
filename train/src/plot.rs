//! Figure 1 of the paper for one or more runs: objective, train and test loss, and train and test
//! error against iterations (SVG, plotters).

use crate::error::TrainError;
use crate::driver::LogRecord;
use plotters::prelude::*;

const COLORS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
];

type Pick = fn(&LogRecord) -> f64;

/// Four panels (objective; train loss; test loss; test error in %) of every named run's records,
/// log-scaled where the values are positive.
pub fn figure1(runs: &[(String, Vec<LogRecord>)]) -> Result<String, TrainError> {
    let panels: [(&str, Pick); 4] = [
        ("objective of (15)", |r| r.objective),
        ("train loss (eval subset)", |r| r.train_loss),
        ("test loss", |r| r.test_loss),
        ("test error [%]", |r| 100.0 * r.test_error),
    ];
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1200, 800)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let areas = root.split_evenly((2, 2));
        for (area, (title, pick)) in areas.iter().zip(panels) {
            let pts: Vec<Vec<(f64, f64)>> = runs
                .iter()
                .map(|(_, rs)| rs.iter().map(|r| (r.iterations as f64, pick(r))).filter(|(_, y)| y.is_finite() && *y > 0.0).collect())
                .collect();
            let all: Vec<&(f64, f64)> = pts.iter().flatten().collect();
            if all.is_empty() {
                continue;
            }
            let xmax = all.iter().map(|p| p.0).fold(1.0, f64::max);
            let ymin = all.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
            let ymax = all.iter().map(|p| p.1).fold(0.0, f64::max);
            let (lo, hi) = (ymin * 0.8, ymax * 1.25);
            let mut chart = ChartBuilder::on(area)
                .caption(title, ("sans-serif", 18))
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(60)
                .build_cartesian_2d(0f64..xmax, (lo..hi).log_scale())
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .x_desc("iterations")
                .light_line_style(WHITE)
                .x_labels(6)
                .y_labels(6)
                .x_label_formatter(&|x| format!("{x:.0}"))
                .y_label_formatter(&|y| format!("{y:.3}"))
                .draw()
                .map_err(|e| e.to_string())?;
            for (k, ((name, _), p)) in runs.iter().zip(&pts).enumerate() {
                let color = COLORS[k % COLORS.len()];
                chart
                    .draw_series(LineSeries::new(p.iter().copied(), color.stroke_width(2)))
                    .map_err(|e| e.to_string())?
                    .label(name.clone())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2)));
            }
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .draw()
                .map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}
