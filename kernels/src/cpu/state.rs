//! The CPU backend's copy of the EASGD state of (15).

use crate::backend::HostState;
use crate::layers::{LayerTable, Tile};
use crate::real::Real;

/// u, zⱼ, vⱼ, δⱼ in precision T, the gradients gⱼ of the last `grad_phi`, the directions of the
/// feasibility bound, and the cached per-layer norms ‖(u − zⱼ)ₗ‖² (valid after every step).
#[derive(Debug, Clone)]
pub struct CpuState<T: Real> {
    pub(crate) layers: LayerTable,
    pub(crate) tiles: Vec<Tile>,
    pub(crate) m: usize,
    pub(crate) u: Vec<T>,
    pub(crate) z: Vec<T>,
    pub(crate) v: Vec<T>,
    pub(crate) delta: Vec<T>,
    pub(crate) grad: Vec<T>,
    pub(crate) du: Vec<T>,
    pub(crate) dz: Vec<T>,
    /// ‖(u − zⱼ)ₗ‖², worker-major M·L, valid when `norms_valid`.
    pub(crate) norms: Vec<f64>,
    /// maxᵢ∈ₗ (u − zⱼ)ᵢ², for the domain check of the separable potentials.
    pub(crate) max_sq: Vec<f64>,
    pub(crate) norms_valid: bool,
    /// ‖zⱼₗ‖², ‖vⱼₗ‖², ‖δⱼₗ‖² and the largest squared coordinates of each, per (worker, layer):
    /// the a-priori bound of the worker step
    /// (valid when `aux_valid`; δ's entry is refreshed by `set_delta`).
    pub(crate) zvd: Vec<[f64; 6]>,
    pub(crate) aux_valid: bool,
    /// `max_sq` and the maxima in `zvd` are valid (the worker update computes them only for
    /// separable potentials).
    pub(crate) maxima_valid: bool,
}

pub(crate) fn to_t<T: Real>(x: &[f64]) -> Vec<T> {
    x.iter().map(|&a| T::from_f64(a)).collect()
}

pub(crate) fn to_f64<T: Real>(x: &[T]) -> Vec<f64> {
    x.iter().map(|a| a.to_f64()).collect()
}

impl<T: Real> CpuState<T> {
    pub(crate) fn from_host(h: &HostState, tile: usize) -> Self {
        let mn = h.z.len();
        let ml = h.workers * h.layers.num_layers();
        CpuState {
            tiles: h.layers.tiles(tile),
            layers: h.layers.clone(),
            m: h.workers,
            u: to_t(&h.u),
            z: to_t(&h.z),
            v: to_t(&h.v),
            delta: to_t(&h.delta),
            grad: vec![T::default(); mn],
            du: vec![T::default(); h.u.len()],
            dz: vec![T::default(); mn],
            norms: vec![0.0; ml],
            max_sq: vec![0.0; ml],
            norms_valid: false,
            zvd: vec![[0.0; 6]; ml],
            aux_valid: false,
            maxima_valid: false,
        }
    }

    /// n.
    pub fn n(&self) -> usize {
        self.layers.len()
    }

    /// M.
    pub fn workers(&self) -> usize {
        self.m
    }
}
