//! The tile kernels of the CPU backend: each pass visits every tile once (in parallel), streams
//! u and the M copies of that tile, and returns one [`Red`] per worker; `fold` combines them per
//! layer in tile order.

use super::state::CpuState;
use super::{CpuBackend, SharedMut};
use crate::feasibility::coordinate_max_step;
use crate::layers::Tile;
use crate::potential::PotentialKind;
use crate::real::{Real, two_dh};

/// Per-(tile or layer, worker) reductions: s = ‖d‖², b = ⟨d, e⟩, a = ‖e‖² (d = u − zⱼ, e the
/// direction of d), the smallest per-coordinate step to the boundary, and maxᵢ dᵢ².
#[derive(Debug, Clone, Copy)]
pub(crate) struct Red {
    pub s: f64,
    pub b: f64,
    pub a: f64,
    pub tmin: f64,
    pub max_sq: f64,
    /// ‖z‖², ‖v‖², ‖δ‖², then max zᵢ², vᵢ², δᵢ² (worker apply only).
    pub zvd: [f64; 6],
}

impl Default for Red {
    fn default() -> Self {
        Red { s: 0.0, b: 0.0, a: 0.0, tmin: f64::INFINITY, max_sq: 0.0, zvd: [0.0; 6] }
    }
}

/// Sums, per layer and worker (worker-major M·L), the per-tile reductions in tile order.
pub(crate) fn fold<T: Real>(st: &CpuState<T>, per_tile: &[Vec<Red>]) -> Vec<Red> {
    let l_count = st.layers.num_layers();
    let mut out = vec![Red::default(); st.m * l_count];
    for (tile, reds) in st.tiles.iter().zip(per_tile) {
        for (j, r) in reds.iter().enumerate() {
            let o = &mut out[j * l_count + tile.layer];
            o.s += r.s;
            o.b += r.b;
            o.a += r.a;
            o.tmin = o.tmin.min(r.tmin);
            o.max_sq = o.max_sq.max(r.max_sq);
            for k in 0..3 {
                o.zvd[k] += r.zvd[k];
                o.zvd[k + 3] = o.zvd[k + 3].max(r.zvd[k + 3]);
            }
        }
    }
    out
}

/// How a pass gets ∇φ̂ from d = u − zⱼ: a factor per (worker, layer) for radial potentials
/// (from the cached norms), or per coordinate for separable ones.
#[derive(Debug, Clone)]
pub(crate) enum Factors<T> {
    PerLayer { f: Vec<T>, layers: usize },
    PerCoord { kind: PotentialKind, inv_eta2: T },
    /// A registered separable profile: the factor 2h′(dᵢ²/η²)/η² in f64, rounded to T.
    CoordProfile { profile: &'static dyn infconv_theory::potential::kernel::KernelProfile, inv_eta2: f64 },
}

impl<T: Real> Factors<T> {
    /// Factors 2h′(s/η²)/η², computed in f64 from the f64 norms for radial potentials.
    pub(crate) fn new(kind: PotentialKind, eta: f64, norms: &[f64], layers: usize) -> Self {
        let ie2 = 1.0 / (eta * eta);
        if let (true, PotentialKind::Profile(p)) = (kind.is_separable(), kind) {
            Factors::CoordProfile { profile: p.profile(), inv_eta2: ie2 }
        } else if kind.is_separable() {
            Factors::PerCoord { kind, inv_eta2: T::from_f64(ie2) }
        } else {
            Factors::PerLayer { f: norms.iter().map(|&s| T::from_f64(two_dh::<f64>(kind, s * ie2) * ie2)).collect(), layers }
        }
    }
}

/// Calls `body` with the gradient map d ↦ ∇φ̂ component of worker j in `tile`, monomorphized so
/// that the radial case is a constant multiply the compiler vectorizes.
macro_rules! with_grad {
    ($fac:expr, $j:expr, $tile:expr, |$g:ident| $body:expr) => {
        match $fac {
            Factors::PerLayer { f, layers } => {
                let c = f[$j * layers + $tile.layer];
                let $g = |d: T| c * d;
                $body
            }
            // One closure per separable kind, so that the loop has no branch on the kind and
            // vectorizes.
            Factors::PerCoord { kind: PotentialKind::TanSep, inv_eta2 } => {
                let ie2 = *inv_eta2;
                let two = T::from_f64(2.0);
                let $g = |d: T| {
                    let c = crate::real::cos_quadrant(d * d * ie2);
                    two / (c * c) * ie2 * d
                };
                $body
            }
            Factors::PerCoord { kind: PotentialKind::LogSep, inv_eta2 } => {
                let ie2 = *inv_eta2;
                let (two, one) = (T::from_f64(2.0), T::from_f64(1.0));
                let $g = |d: T| two / (one - d * d * ie2) * ie2 * d;
                $body
            }
            Factors::CoordProfile { profile, inv_eta2 } => {
                let (h, ie2) = (*profile, *inv_eta2);
                let $g = |d: T| {
                    let x = d.to_f64();
                    T::from_f64(2.0 * h.dh(x * x * ie2) * ie2 * x)
                };
                $body
            }
            Factors::PerCoord { kind, inv_eta2 } => {
                let (k, ie2) = (*kind, *inv_eta2);
                let $g = |d: T| two_dh::<T>(k, d * d * ie2) * ie2 * d;
                $body
            }
        }
    };
}

#[inline(always)]
fn range<'a, T>(x: &'a [T], j: usize, n: usize, t: &Tile) -> &'a [T] {
    &x[j * n + t.start..j * n + t.end]
}

/// Lanes of the in-precision partial sums.
const LANES: usize = 16;
/// Sub-block after which the lane sums are added in f64: each lane adds SUB/LANES = 16 terms in
/// T, so the sums of f32 data stay within ~20 u32 relative (see `tolerance.rs`), and the inner
/// loops vectorize in T's width.
const SUB: usize = 256;

/// ‖d‖² and max dᵢ² of d = u − z: in T over 16 lanes per sub-block of 256, then in f64.
#[inline(always)]
fn sq_and_max<T: Real>(u: &[T], z: &[T]) -> (f64, f64) {
    let (mut s, mut m) = (0.0f64, T::default());
    for (cu, cz) in u.chunks(SUB).zip(z.chunks(SUB)) {
        let mut acc = [T::default(); LANES];
        let mut mx = [T::default(); LANES];
        let mut iu = cu.chunks_exact(LANES);
        let mut iz = cz.chunks_exact(LANES);
        for (a, b) in (&mut iu).zip(&mut iz) {
            for k in 0..LANES {
                let d = a[k] - b[k];
                acc[k] = acc[k] + d * d;
                mx[k] = if d * d > mx[k] { d * d } else { mx[k] };
            }
        }
        for (a, b) in iu.remainder().iter().zip(iz.remainder()) {
            let d = *a - *b;
            acc[0] = acc[0] + d * d;
            mx[0] = if d * d > mx[0] { d * d } else { mx[0] };
        }
        s += acc.iter().map(|x| x.to_f64()).sum::<f64>();
        m = mx.iter().fold(m, |a, &b| if b > a { b } else { a });
    }
    (s, m.to_f64())
}

/// In one sweep over a block (in L1 right after the worker update wrote it): ‖u − z‖² and, with
/// `ZV`, ‖z‖², ‖v‖² (same summation as [`sq_and_max`]: T lanes per sub-block of 256, then f64);
/// with `MAX` (separable potentials) the maxima of the squares too. Returns
/// [s, max_d², ‖z‖², ‖v‖², max z², max v²] (zeros where not computed).
#[inline(always)]
fn sq3<T: Real, const MAX: bool, const ZV: bool>(u: &[T], z: &[T], v: &[T]) -> [f64; 6] {
    let mut out = [0.0f64; 6];
    let mut mxs = [T::default(); 3];
    for ((cu, cz), cv) in u.chunks(SUB).zip(z.chunks(SUB)).zip(v.chunks(SUB)) {
        let mut acc = [[T::default(); LANES]; 3];
        let mut mx = [[T::default(); LANES]; 3];
        let mut iu = cu.chunks_exact(LANES);
        let mut iz = cz.chunks_exact(LANES);
        let mut iv = cv.chunks_exact(LANES);
        for ((a, b), c) in (&mut iu).zip(&mut iz).zip(&mut iv) {
            for k in 0..LANES {
                let d = a[k] - b[k];
                let (dd, zz, vv) = (d * d, b[k] * b[k], c[k] * c[k]);
                acc[0][k] = acc[0][k] + dd;
                if MAX {
                    mx[0][k] = if dd > mx[0][k] { dd } else { mx[0][k] };
                }
                if ZV {
                    acc[1][k] = acc[1][k] + zz;
                    acc[2][k] = acc[2][k] + vv;
                }
                if MAX && ZV {
                    mx[1][k] = if zz > mx[1][k] { zz } else { mx[1][k] };
                    mx[2][k] = if vv > mx[2][k] { vv } else { mx[2][k] };
                }
            }
        }
        for ((a, b), c) in iu.remainder().iter().zip(iz.remainder()).zip(iv.remainder()) {
            let d = *a - *b;
            let (dd, zz, vv) = (d * d, *b * *b, *c * *c);
            acc[0][0] = acc[0][0] + dd;
            if MAX {
                mx[0][0] = if dd > mx[0][0] { dd } else { mx[0][0] };
            }
            if ZV {
                acc[1][0] = acc[1][0] + zz;
                acc[2][0] = acc[2][0] + vv;
            }
            if MAX && ZV {
                mx[1][0] = if zz > mx[1][0] { zz } else { mx[1][0] };
                mx[2][0] = if vv > mx[2][0] { vv } else { mx[2][0] };
            }
        }
        for q in 0..3 {
            out[[0, 2, 3][q]] += acc[q].iter().map(|x| x.to_f64()).sum::<f64>();
            if MAX {
                mxs[q] = mx[q].iter().fold(mxs[q], |a, &b| if b > a { b } else { a });
            }
        }
    }
    if MAX {
        (out[1], out[4], out[5]) = (mxs[0].to_f64(), mxs[1].to_f64(), mxs[2].to_f64());
    }
    out
}

/// Σ x² and max xᵢ² (same summation as [`sq_and_max`]).
#[inline(always)]
pub(crate) fn sq_sum_max<T: Real>(x: &[T]) -> (f64, f64) {
    let (mut s, mut m) = (0.0f64, T::default());
    for c in x.chunks(SUB) {
        let mut acc = [T::default(); LANES];
        let mut mx = [T::default(); LANES];
        let mut it = c.chunks_exact(LANES);
        for a in &mut it {
            for k in 0..LANES {
                let q = a[k] * a[k];
                acc[k] = acc[k] + q;
                mx[k] = if q > mx[k] { q } else { mx[k] };
            }
        }
        for a in it.remainder() {
            let q = *a * *a;
            acc[0] = acc[0] + q;
            mx[0] = if q > mx[0] { q } else { mx[0] };
        }
        s += acc.iter().map(|x| x.to_f64()).sum::<f64>();
        m = mx.iter().fold(m, |a, &b| if b > a { b } else { a });
    }
    (s, m.to_f64())
}

/// Σ x·y and Σ y·y (same summation as [`sq_and_max`]).
#[inline(always)]
fn dot_sq<T: Real>(x: &[T], y: &[T]) -> (f64, f64) {
    let (mut bs, mut as_) = (0.0f64, 0.0f64);
    for (cx, cy) in x.chunks(SUB).zip(y.chunks(SUB)) {
        let mut b = [T::default(); LANES];
        let mut a = [T::default(); LANES];
        let mut ix = cx.chunks_exact(LANES);
        let mut iy = cy.chunks_exact(LANES);
        for (p, q) in (&mut ix).zip(&mut iy) {
            for k in 0..LANES {
                b[k] = b[k] + p[k] * q[k];
                a[k] = a[k] + q[k] * q[k];
            }
        }
        for (p, q) in ix.remainder().iter().zip(iy.remainder()) {
            b[0] = b[0] + *p * *q;
            a[0] = a[0] + *q * *q;
        }
        bs += b.iter().map(|x| x.to_f64()).sum::<f64>();
        as_ += a.iter().map(|x| x.to_f64()).sum::<f64>();
    }
    (bs, as_)
}

/// min over coordinates of the step to the boundary |d + t e| < ρ.
fn coord_tmin<T: Real>(d: &[T], e: &[T], rho: f64) -> f64 {
    d.iter().zip(e).fold(f64::INFINITY, |t, (&d, &e)| t.min(coordinate_max_step(d.to_f64(), e.to_f64(), rho)))
}

impl<T: Real> CpuBackend<T> {
    /// ‖(u − zⱼ)ₗ‖² and max per layer; caches them in the state.
    pub(crate) fn pass_norms(&self, st: &mut CpuState<T>) {
        let n = st.n();
        let per_tile = self.map_tiles(&st.tiles, |t| {
            let u = &st.u[t.start..t.end];
            (0..st.m)
                .map(|j| {
                    let (s, max_sq) = sq_and_max(u, range(&st.z, j, n, t));
                    Red { s, max_sq, ..Red::default() }
                })
                .collect()
        });
        let red = fold(st, &per_tile);
        st.norms = red.iter().map(|r| r.s).collect();
        st.max_sq = red.iter().map(|r| r.max_sq).collect();
        st.norms_valid = true;
    }

    /// gⱼ = ∇φ̂(u − zⱼ) into `st.grad`.
    pub(crate) fn pass_grad(&self, st: &mut CpuState<T>, fac: &Factors<T>) {
        let n = st.n();
        let g = SharedMut::new(&mut st.grad);
        let (u_all, z_all, tiles, m) = (&st.u, &st.z, &st.tiles, st.m);
        self.map_tiles(tiles, |t| {
            let u = &u_all[t.start..t.end];
            for j in 0..m {
                let z = range(z_all, j, n, t);
                // SAFETY: tile t of worker j is written only here.
                let out = unsafe { g.slice(j * n + t.start, t.end - t.start) };
                with_grad!(fac, j, t, |gf| {
                    for i in 0..out.len() {
                        out[i] = gf(u[i] - z[i]);
                    }
                });
            }
        });
    }

    /// Σⱼ ∇φ̂(u − zⱼ) over the block `b0..b0 + acc.len()` of a tile into `acc`.
    #[inline(always)]
    fn sum_grads(z_all: &[T], m: usize, n: usize, fac: &Factors<T>, t: &Tile, b0: usize, u: &[T], acc: &mut [T]) {
        acc.iter_mut().for_each(|a| *a = T::default());
        for j in 0..m {
            let z = &z_all[j * n + b0..j * n + b0 + acc.len()];
            with_grad!(fac, j, t, |gf| {
                for i in 0..acc.len() {
                    acc[i] = acc[i] + gf(u[i] - z[i]);
                }
            });
        }
    }

    /// The consensus direction du = −τ Σⱼ ∇φ̂(u − zⱼ) and, per worker, ⟨d, du⟩, ‖du‖² (radial)
    /// or the per-coordinate step to the boundary (separable, radius ρ).
    pub(crate) fn pass_consensus_bound(&self, st: &CpuState<T>, fac: &Factors<T>, tau: f64, sep_rho: Option<f64>) -> Vec<Red> {
        let n = st.n();
        let per_tile = self.map_tiles(&st.tiles, |t| {
            let mut reds = vec![Red::default(); st.m];
            let mut du = [T::default(); BLK];
            let mut d = [T::default(); BLK];
            let mt = T::from_f64(-tau);
            for (b0, b1) in blocks(t) {
                let len = b1 - b0;
                let u = &st.u[b0..b1];
                let du = &mut du[..len];
                Self::sum_grads(&st.z, st.m, n, fac, t, b0, u, du);
                du.iter_mut().for_each(|x| *x = mt * *x);
                for (j, r) in reds.iter_mut().enumerate() {
                    let z = &st.z[j * n + b0..j * n + b1];
                    let d = &mut d[..len];
                    for i in 0..len {
                        d[i] = u[i] - z[i];
                    }
                    match sep_rho {
                        Some(rho) => r.tmin = r.tmin.min(coord_tmin(d, du, rho)),
                        None => {
                            let (b, a) = dot_sq(d, du);
                            r.b += b;
                            r.a += a;
                        }
                    }
                }
            }
            reds
        });
        fold(st, &per_tile)
    }

    /// u ← u + t·du and, per worker, ‖u_new − zⱼ‖² (and the maxima for separable potentials):
    /// the norms of the worker step.
    pub(crate) fn pass_consensus_apply(&self, st: &mut CpuState<T>, fac: &Factors<T>, tau: f64, t_u: f64) {
        let n = st.n();
        let m = st.m;
        let separable = matches!(fac, Factors::PerCoord { .. } | Factors::CoordProfile { .. });
        let ushared = SharedMut::new(&mut st.u);
        let (z_all, tiles) = (&st.z, &st.tiles);
        let per_tile = self.map_tiles(tiles, |t| {
            let mut reds = vec![Red::default(); m];
            let mut acc = [T::default(); BLK];
            let c = T::from_f64(-tau * t_u);
            for (b0, b1) in blocks(t) {
                let len = b1 - b0;
                // SAFETY: this block of u is written only here; other tiles touch only their own.
                let u = unsafe { ushared.slice(b0, len) };
                let acc = &mut acc[..len];
                Self::sum_grads(z_all, m, n, fac, t, b0, u, acc);
                for i in 0..len {
                    u[i] = u[i] + c * acc[i];
                }
                for (j, r) in reds.iter_mut().enumerate() {
                    // The maxima only for separable potentials (radial ones never read them).
                    let z = &z_all[j * n + b0..j * n + b1];
                    let q = if separable { sq3::<T, true, false>(u, z, z) } else { sq3::<T, false, false>(u, z, z) };
                    r.s += q[0];
                    r.max_sq = r.max_sq.max(q[1]);
                }
            }
            reds
        });
        let red = fold(st, &per_tile);
        st.norms = red.iter().map(|r| r.s).collect();
        st.max_sq = red.iter().map(|r| r.max_sq).collect();
        st.norms_valid = true;
        st.maxima_valid = separable;
    }

    /// Per worker, the direction e = −dzⱼ of u − zⱼ of the worker step and its bound data.
    pub(crate) fn pass_worker_bound(&self, st: &CpuState<T>, fac: &Factors<T>, k: &WorkerConsts<T>, sep_rho: Option<f64>) -> Vec<Red> {
        let n = st.n();
        let per_tile = self.map_tiles(&st.tiles, |t| {
            let mut d = [T::default(); BLK];
            let mut e = [T::default(); BLK];
            (0..st.m)
                .map(|j| {
                    let mut r = Red::default();
                    for (b0, b1) in blocks(t) {
                        let len = b1 - b0;
                        let u = &st.u[b0..b1];
                        let (z, v, dl) = (&st.z[j * n + b0..j * n + b1], &st.v[j * n + b0..j * n + b1], &st.delta[j * n + b0..j * n + b1]);
                        let (d, e) = (&mut d[..len], &mut e[..len]);
                        with_grad!(fac, j, t, |gf| {
                            for i in 0..len {
                                d[i] = u[i] - z[i];
                                let delta = dl[i] + k.nu * z[i] - gf(d[i]) * k.inv_lambda;
                                let vn = k.kappa * v[i] + delta;
                                e[i] = k.sigma * (delta + k.kappa * vn);
                            }
                        });
                        match sep_rho {
                            Some(rho) => r.tmin = r.tmin.min(coord_tmin(d, e, rho)),
                            None => {
                                let (b, a) = dot_sq(d, e);
                                r.b += b;
                                r.a += a;
                            }
                        }
                    }
                    r
                })
                .collect()
        });
        fold(st, &per_tile)
    }

    /// zⱼ ← zⱼ − tⱼσ(Δⱼ + κvⱼ'), vⱼ ← tⱼvⱼ' (the velocity rule of [`Params`]) and, for the next
    /// step, ‖u − zⱼ_new‖² per layer (and its maximum for separable potentials); with `exact_aux` also ‖zⱼ‖², ‖vⱼ‖² (and maxima) for
    /// the a-priori bound (otherwise the caller updates upper bounds of them, see `step.rs`).
    /// The reductions run per block of [`BLK`] right after the block's update, while it is in
    /// L1 (as separate sweeps over the tile in L2, four of them, they took half of the worker
    /// step); ‖δⱼ‖² is never recomputed here (δ does not change in a step: `load` and
    /// `set_delta` compute it).
    pub(crate) fn pass_worker_apply(&self, st: &mut CpuState<T>, fac: &Factors<T>, k: &WorkerConsts<T>, t_w: &[f64], exact_aux: bool) {
        let n = st.n();
        let m = st.m;
        let separable = matches!(fac, Factors::PerCoord { .. } | Factors::CoordProfile { .. });
        let zs = SharedMut::new(&mut st.z);
        let vs = SharedMut::new(&mut st.v);
        let (u_all, delta, tiles) = (&st.u, &st.delta, &st.tiles);
        let per_tile = self.map_tiles(tiles, |t| {
            (0..m)
                .map(|j| {
                    let step = T::from_f64(-t_w[j]) * k.sigma;
                    let tj = T::from_f64(t_w[j]);
                    let mut r = Red::default();
                    for (b0, b1) in blocks(t) {
                        let len = b1 - b0;
                        let u = &u_all[b0..b1];
                        // SAFETY: block b0..b1 of worker j's z and v is touched only here.
                        let (z, v) = unsafe { (zs.slice(j * n + b0, len), vs.slice(j * n + b0, len)) };
                        let dl = &delta[j * n + b0..j * n + b1];
                        with_grad!(fac, j, t, |gf| {
                            for i in 0..len {
                                let delta = dl[i] + k.nu * z[i] - gf(u[i] - z[i]) * k.inv_lambda;
                                let vn = k.kappa * v[i] + delta;
                                z[i] = z[i] + step * (delta + k.kappa * vn);
                                v[i] = tj * vn;
                            }
                        });
                        let q = match (separable, exact_aux) {
                            (true, true) => sq3::<T, true, true>(u, z, v),
                            (true, false) => sq3::<T, true, false>(u, z, v),
                            (false, true) => sq3::<T, false, true>(u, z, v),
                            (false, false) => sq3::<T, false, false>(u, z, v),
                        };
                        r.s += q[0];
                        r.max_sq = r.max_sq.max(q[1]);
                        r.zvd[0] += q[2];
                        r.zvd[1] += q[3];
                        r.zvd[3] = r.zvd[3].max(q[4]);
                        r.zvd[4] = r.zvd[4].max(q[5]);
                    }
                    r
                })
                .collect::<Vec<_>>()
        });
        let red = fold(st, &per_tile);
        st.norms = red.iter().map(|r| r.s).collect();
        st.max_sq = red.iter().map(|r| r.max_sq).collect();
        if exact_aux {
            // Keep ‖δⱼₗ‖² and max δᵢ² (slots 2 and 5) from load / set_delta.
            st.zvd = red
                .iter()
                .zip(&st.zvd)
                .map(|(r, old)| {
                    let mut q = r.zvd;
                    (q[2], q[5]) = (old[2], old[5]);
                    q
                })
                .collect();
            st.aux_valid = true;
        }
        st.norms_valid = true;
        st.maxima_valid = separable;
    }

    /// quad (∇φ̂(w) = 2w/η², no norms, no bound): consensus and worker step in one pass over the
    /// state, the minimal memory traffic.
    pub(crate) fn pass_quad_fused(&self, st: &mut CpuState<T>, eta: f64, tau: f64, k: &WorkerConsts<T>) {
        let n = st.n();
        let m = st.m;
        let c = T::from_f64(2.0 / (eta * eta));
        let us = SharedMut::new(&mut st.u);
        let zs = SharedMut::new(&mut st.z);
        let vs = SharedMut::new(&mut st.v);
        let (tiles, delta) = (&st.tiles, &st.delta);
        self.map_tiles(tiles, |t| {
            let mut acc = [T::default(); BLK];
            let ct = T::from_f64(-tau) * c;
            let cl = c * k.inv_lambda;
            let step = -k.sigma;
            for (b0, b1) in blocks(t) {
                let len = b1 - b0;
                // SAFETY: every tile touches only its own range of u and of each zⱼ, vⱼ.
                let u = unsafe { us.slice(b0, len) };
                let acc = &mut acc[..len];
                acc.iter_mut().for_each(|a| *a = T::default());
                for j in 0..m {
                    let z = unsafe { zs.slice(j * n + b0, len) };
                    for i in 0..len {
                        acc[i] = acc[i] + (u[i] - z[i]);
                    }
                }
                for i in 0..len {
                    u[i] = u[i] + ct * acc[i];
                }
                for j in 0..m {
                    let (z, v) = unsafe { (zs.slice(j * n + b0, len), vs.slice(j * n + b0, len)) };
                    let dl = &delta[j * n + b0..j * n + b1];
                    for i in 0..len {
                        let dlt = dl[i] + k.nu * z[i] - cl * (u[i] - z[i]);
                        let vn = k.kappa * v[i] + dlt;
                        z[i] = z[i] + step * (dlt + k.kappa * vn);
                        v[i] = vn;
                    }
                }
            }
        });
        st.norms_valid = false;
        st.aux_valid = false;
    }

    /// Per worker: ⟨d, e⟩, ‖e‖², ‖d‖² and the coordinate bound, e = du − dzⱼ (the standalone
    /// feasibility bound).
    pub(crate) fn pass_directions_bound(&self, st: &CpuState<T>, sep_rho: Option<f64>) -> Vec<Red> {
        let n = st.n();
        let per_tile = self.map_tiles(&st.tiles, |t| {
            let mut d = [T::default(); BLK];
            let mut e = [T::default(); BLK];
            let mut reds = vec![Red::default(); st.m];
            for (b0, b1) in blocks(t) {
                let len = b1 - b0;
                let (u, du) = (&st.u[b0..b1], &st.du[b0..b1]);
                for (j, r) in reds.iter_mut().enumerate() {
                    let (z, dz) = (&st.z[j * n + b0..j * n + b1], &st.dz[j * n + b0..j * n + b1]);
                    let (d, e) = (&mut d[..len], &mut e[..len]);
                    for i in 0..len {
                        d[i] = u[i] - z[i];
                        e[i] = du[i] - dz[i];
                    }
                    let (s, max_sq) = sq_and_max(u, z);
                    r.s += s;
                    r.max_sq = r.max_sq.max(max_sq);
                    match sep_rho {
                        Some(rho) => r.tmin = r.tmin.min(coord_tmin(d, e, rho)),
                        None => {
                            let (b, a) = dot_sq(d, e);
                            r.b += b;
                            r.a += a;
                        }
                    }
                }
            }
            reds
        });
        fold(st, &per_tile)
    }

    /// Per tile: ‖Σⱼ gⱼ‖² (in `a` of worker 0) and per worker ‖δⱼ + νzⱼ − gⱼ/λ‖² (in `b`).
    pub(crate) fn pass_residuals(&self, st: &CpuState<T>, fac: &Factors<T>, nu: f64, inv_lambda: f64) -> Vec<Red> {
        let n = st.n();
        let (nu_t, il) = (T::from_f64(nu), T::from_f64(inv_lambda));
        let per_tile = self.map_tiles(&st.tiles, |t| {
            let mut acc = [T::default(); BLK];
            let mut reds = vec![Red::default(); st.m];
            for (b0, b1) in blocks(t) {
                let len = b1 - b0;
                let u = &st.u[b0..b1];
                let acc = &mut acc[..len];
                Self::sum_grads(&st.z, st.m, n, fac, t, b0, u, acc);
                reds[0].a += acc.iter().map(|x| x.to_f64() * x.to_f64()).sum::<f64>();
                for (j, r) in reds.iter_mut().enumerate() {
                    let (z, dl) = (&st.z[j * n + b0..j * n + b1], &st.delta[j * n + b0..j * n + b1]);
                    with_grad!(fac, j, t, |gf| {
                        for i in 0..len {
                            let x = (dl[i] + nu_t * z[i] - gf(u[i] - z[i]) * il).to_f64();
                            r.b += x * x;
                        }
                    });
                }
            }
            reds
        });
        fold(st, &per_tile)
    }
}

/// Elements per block inside a tile: the scratch of a pass lives on the stack (no allocation).
const BLK: usize = 1024;

/// The blocks (absolute start, end) of a tile.
fn blocks(t: &Tile) -> impl Iterator<Item = (usize, usize)> + use<> {
    let (s, e) = (t.start, t.end);
    (s..e).step_by(BLK).map(move |b| (b, (b + BLK).min(e)))
}

/// The worker-step constants in precision T.
pub(crate) struct WorkerConsts<T> {
    pub nu: T,
    pub inv_lambda: T,
    pub kappa: T,
    pub sigma: T,
}

impl<T: Real> WorkerConsts<T> {
    pub(crate) fn new(p: &crate::potential::Params) -> Self {
        WorkerConsts {
            nu: T::from_f64(p.nu),
            inv_lambda: T::from_f64(1.0 / p.lambda),
            kappa: T::from_f64(p.kappa),
            sigma: T::from_f64(p.sigma),
        }
    }
}
