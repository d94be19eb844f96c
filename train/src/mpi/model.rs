//! The cost model of docs/scaling.md: one iteration of Algorithm 1 with one worker per rank
//! (M = P), as the MPI transport runs it: each rank computes one minibatch gradient δⱼ of (16)
//! (`grad_s`), the ranks all-gather the M·n values of δ (ring: (P − 1)/P · 4Mn bytes sent per rank
//! and P − 1 latencies), and every rank runs the fused kernel step on all M workers
//! (`step_s_per_worker` · M). With `--comm-period k` the gather (then of zⱼ, vⱼ and δⱼ: 3×) and the
//! kernel step happen every k-th iteration only.

use crate::error::TrainError;
use plotters::prelude::*;

/// The measured and assumed constants.
#[derive(Debug, Clone, Copy)]
pub struct Costs {
    /// Seconds of one worker's minibatch gradient (LeNet forward and backward) on one core.
    pub grad_s: f64,
    /// Seconds of the fused kernel step per worker (n = 431,080, one core).
    pub step_s_per_worker: f64,
    /// Parameters n.
    pub n: f64,
    /// Seconds per message (latency).
    pub latency_s: f64,
}

/// Seconds of one iteration, averaged over a period of k, on a link of `gbit` Gb/s.
pub fn iteration_s(c: &Costs, p: usize, gbit: f64, k: usize) -> f64 {
    let (pf, kf) = (p as f64, k as f64);
    let m = pf;
    let beta = gbit * 1e9 / 8.0;
    let arrays = if k == 1 { 1.0 } else { 3.0 };
    let gather = if p > 1 { (pf - 1.0) * c.latency_s + arrays * (pf - 1.0) / pf * 4.0 * m * c.n / beta } else { 0.0 };
    c.grad_s + (c.step_s_per_worker * m + gather) / kf
}

/// Parallel efficiency: the gradient (the work that is spread) over the iteration.
pub fn efficiency(c: &Costs, p: usize, gbit: f64, k: usize) -> f64 {
    c.grad_s / iteration_s(c, p, gbit, k)
}

/// The projection as an SVG: efficiency over P for 10 and 100 Gb/s, k = 1 and k = 4.
pub fn svg(c: &Costs, ps: &[usize]) -> Result<String, TrainError> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (800, 500)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let xmax = *ps.last().unwrap_or(&256) as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption("projected parallel efficiency, LeNet-5, one worker per rank", ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(50)
            .build_cartesian_2d((1f64..xmax).log_scale(), 0f64..1.05)
            .map_err(|e| e.to_string())?;
        chart.configure_mesh().x_desc("ranks P (= workers M)").y_desc("efficiency").draw().map_err(|e| e.to_string())?;
        let lines = [(10.0, 1, RED), (100.0, 1, BLUE), (10.0, 4, MAGENTA), (100.0, 4, CYAN)];
        for (gbit, k, color) in lines {
            let pts: Vec<(f64, f64)> = ps.iter().map(|&p| (p as f64, efficiency(c, p, gbit, k))).collect();
            chart
                .draw_series(LineSeries::new(pts, color.stroke_width(2)))
                .map_err(|e| e.to_string())?
                .label(format!("{gbit:.0} Gb/s, --comm-period {k}"))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2)));
        }
        chart.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw().map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rank_is_the_gradient_plus_the_step_and_more_bandwidth_helps() {
        let c = Costs { grad_s: 0.02, step_s_per_worker: 0.0008, n: 431_080.0, latency_s: 2e-5 };
        assert!((iteration_s(&c, 1, 10.0, 1) - 0.0208).abs() < 1e-12);
        assert!(efficiency(&c, 64, 100.0, 1) > efficiency(&c, 64, 10.0, 1));
        assert!(efficiency(&c, 64, 10.0, 4) > efficiency(&c, 64, 10.0, 1));
        // Control: the bytes term is live (a zero-size model would not scale worse with P).
        let free = Costs { n: 0.0, ..c };
        assert!(efficiency(&free, 64, 10.0, 1) > efficiency(&c, 64, 10.0, 1));
    }
}
