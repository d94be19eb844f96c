//! The batched separable φ-prox on the CPU backend: one pass over v, c (read) and x, the
//! residuals (written), tile-parallel with rayon; every coordinate runs
//! [`crate::prox::scalar::Consts::solve`].

use super::{CPU_TILE, CpuBackend, SharedMut};
use crate::error::Result;
use crate::layers::Tile;
use crate::prox::scalar::{Consts, ProxReal};
use crate::prox::{STATUS_BRACKET, STATUS_UNCONVERGED, SepProx, SepProxReport, check_io, non_finite};

/// Per-tile summary.
#[derive(Debug, Clone, Copy)]
struct TileSummary {
    unconverged: usize,
    by_bracket: usize,
    first_unconverged: Option<usize>,
    max_residual: f64,
    newton: u64,
    bisect: u64,
    first_bad_input: Option<usize>,
}

impl<T: ProxReal> CpuBackend<T> {
    /// x = P(v) of the separable φ-prox `p` for centers v and data c (see [`crate::prox`]),
    /// and, if given, the status of every coordinate ([`crate::prox::STATUS_RESIDUAL`], …).
    /// Errors on shape mismatches and non-finite v or c (x is then unspecified); unconverged
    /// coordinates are counted in the report (see [`SepProxReport::ensure_converged`]).
    pub fn sep_prox(&self, p: &SepProx, v: &[T], c: &[T], x: &mut [T], status: Option<&mut [u8]>) -> Result<SepProxReport> {
        check_io(v.len(), c.len(), x.len(), status.as_ref().map(|r| r.len()))?;
        let n = v.len();
        let k = Consts::<T>::new(p);
                let tiles: Vec<Tile> = (0..n).step_by(CPU_TILE).map(|s| Tile { layer: 0, start: s, end: (s + CPU_TILE).min(n) }).collect();
        let xs = SharedMut::new(x);
        let rs = status.map(SharedMut::new);
        let per_tile = self.map_tiles(&tiles, |t| {
            let len = t.end - t.start;
            // SAFETY: tiles partition 0..n; tile t writes only t.start..t.end of x and residual.
            let xo = unsafe { xs.slice(t.start, len) };
            let mut ro = rs.as_ref().map(|r| unsafe { r.slice(t.start, len) });
            let mut sum = TileSummary { unconverged: 0, by_bracket: 0, first_unconverged: None, max_residual: 0.0, newton: 0, bisect: 0, first_bad_input: None };
            for i in 0..len {
                let (vi, ci) = (v[t.start + i], c[t.start + i]);
                let sol = k.solve(vi, ci);
                xo[i] = sol.x;
                if let Some(r) = ro.as_mut() {
                    r[i] = sol.status;
                }
                sum.newton += sol.newton as u64;
                sum.bisect += sol.bisect as u64;
                let rf = sol.residual.to_f64();
                sum.by_bracket += (sol.status == STATUS_BRACKET) as usize;
                if sol.status == STATUS_UNCONVERGED {
                    sum.unconverged += 1;
                    sum.first_unconverged.get_or_insert(t.start + i);
                    if !(vi.to_f64().is_finite() && ci.to_f64().is_finite()) {
                        sum.first_bad_input.get_or_insert(t.start + i);
                    }
                }
                if rf > sum.max_residual || rf.is_nan() {
                    sum.max_residual = rf;
                }
            }
            sum
        });
        if let Some(i) = per_tile.iter().find_map(|s| s.first_bad_input) {
            let vi = v[i].to_f64();
            return Err(if vi.is_finite() { non_finite("c", i, c[i].to_f64()) } else { non_finite("v", i, vi) });
        }
        Ok(SepProxReport {
            n,
            unconverged: per_tile.iter().map(|s| s.unconverged).sum(),
            by_bracket: per_tile.iter().map(|s| s.by_bracket).sum(),
            first_unconverged: per_tile.iter().find_map(|s| s.first_unconverged),
            max_residual: per_tile.iter().map(|s| s.max_residual).fold(0.0, f64::max),
            newton_steps: per_tile.iter().map(|s| s.newton).sum(),
            bisections: per_tile.iter().map(|s| s.bisect).sum(),
        })
    }
}
