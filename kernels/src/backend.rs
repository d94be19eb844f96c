//! The one interface of the kernels: a backend owns a device-resident EASGD state (u, zⱼ, vⱼ, δⱼ
//! of model (15)) and runs the kernels of Algorithm 1 on it. Two implementations: the CPU
//! backend (f32 and f64, multi-threaded, `cpu/`) and the wgpu backend (f32, WGSL, `gpu/`); the
//! serial f64 reference (`reference.rs`) is written separately and is what the tests compare to.

use crate::error::{KernelError, Result, ensure_len};
use crate::layers::LayerTable;
use crate::potential::{Params, PotentialKind};

/// The arithmetic of a backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// IEEE single.
    F32,
    /// IEEE double.
    F64,
}

impl Precision {
    /// "f32" or "f64".
    pub fn name(self) -> &'static str {
        match self {
            Precision::F32 => "f32",
            Precision::F64 => "f64",
        }
    }
}

/// The state of model (15) on the host, in f64: u ∈ ℝⁿ and, worker-major (zⱼ occupies
/// `j*n..(j+1)*n`), the copies zⱼ, the momenta vⱼ and the loss gradients δⱼ of (16).
#[derive(Debug, Clone, PartialEq)]
pub struct HostState {
    /// The layer table of (18).
    pub layers: LayerTable,
    /// The number of workers M.
    pub workers: usize,
    /// The consensus u.
    pub u: Vec<f64>,
    /// The copies z₁ … z_M.
    pub z: Vec<f64>,
    /// The Nesterov momenta v₁ … v_M.
    pub v: Vec<f64>,
    /// The loss gradients δ₁ … δ_M of (16) (∇ of the minibatch loss at zⱼ, without ∇R).
    pub delta: Vec<f64>,
}

impl HostState {
    /// A state with checked shapes (M ≥ 1; z, v, δ of length M·n; u of length n).
    pub fn new(layers: LayerTable, workers: usize, u: Vec<f64>, z: Vec<f64>, v: Vec<f64>, delta: Vec<f64>) -> Result<Self> {
        let s = HostState { layers, workers, u, z, v, delta };
        s.check()?;
        Ok(s)
    }

    /// Zero momenta and loss gradients, z and u as given.
    pub fn at_rest(layers: LayerTable, workers: usize, u: Vec<f64>, z: Vec<f64>) -> Result<Self> {
        let mn = layers.len() * workers;
        HostState::new(layers, workers, u, z, vec![0.0; mn], vec![0.0; mn])
    }

    /// n.
    pub fn n(&self) -> usize {
        self.layers.len()
    }

    /// zⱼ.
    pub fn z_of(&self, j: usize) -> &[f64] {
        &self.z[j * self.n()..(j + 1) * self.n()]
    }

    /// The shape checks.
    pub fn check(&self) -> Result<()> {
        if self.workers == 0 {
            return Err(KernelError::InvalidParameter {
                name: "workers",
                value: "0".into(),
                expected: "M ≥ 1 workers",
            });
        }
        let n = self.layers.len();
        ensure_len("u", self.u.len(), n)?;
        ensure_len("z", self.z.len(), n * self.workers)?;
        ensure_len("v", self.v.len(), n * self.workers)?;
        ensure_len("δ", self.delta.len(), n * self.workers)?;
        Ok(())
    }
}

/// What one fused step of Algorithm 1 did.
#[derive(Debug, Clone, PartialEq)]
pub struct StepReport {
    /// The consensus step length t_u ∈ (0, 1] (1 unless cut).
    pub consensus_t: f64,
    /// The worker step lengths tⱼ ∈ (0, 1].
    pub worker_t: Vec<f64>,
    /// How many of these step lengths were cut below 1 by the feasibility bound.
    pub cuts: usize,
}

/// The stationarity measures of Corollary 5.1 at the current state.
#[derive(Debug, Clone, PartialEq)]
pub struct Residuals {
    /// (5a) with g = 0 and A the stacked identity: ‖(1/λ) Σⱼ ∇φ̂(u − zⱼ)‖.
    pub r5a: f64,
    /// (5b) per worker with ∇fⱼ(zⱼ) = δⱼ + νzⱼ: ‖δⱼ + νzⱼ − (1/λ)∇φ̂(u − zⱼ)‖.
    pub r5b: Vec<f64>,
    /// The consensus distance maxⱼ ‖u − zⱼ‖.
    pub consensus_distance: f64,
}

/// A backend of the kernels. All methods check shapes and parameters and return typed errors.
pub trait Backend {
    /// The backend's copy of the state.
    type State;

    /// A short name ("cpu-f64-t2", "wgpu-f32 (llvmpipe)", …).
    fn name(&self) -> String;
    /// The arithmetic.
    fn precision(&self) -> Precision;

    /// Copies a host state to the backend.
    fn load(&self, host: &HostState) -> Result<Self::State>;
    /// Copies the backend's state back (u, z, v, δ).
    fn store(&self, st: &Self::State) -> Result<HostState>;
    /// Replaces the loss gradients δⱼ (M·n values).
    fn set_delta(&self, st: &mut Self::State, delta: &[f64]) -> Result<()>;
    /// Sets the directions (du ∈ ℝⁿ, dzⱼ ∈ ℝⁿ worker-major) for [`Backend::feasibility_bound`].
    fn set_directions(&self, st: &mut Self::State, du: &[f64], dz: &[f64]) -> Result<()>;

    /// gⱼ = ∇φ̂(u − zⱼ) of (18) for every worker, kept in the state (radial per layer, separable per
    /// coordinate). Errors if some u − zⱼ is outside dom φ̂.
    fn grad_phi(&self, st: &mut Self::State, kind: PotentialKind, eta: f64) -> Result<()>;
    /// The gⱼ of the last [`Backend::grad_phi`] (M·n values, worker-major).
    fn read_grad(&self, st: &Self::State) -> Result<Vec<f64>>;
    /// ‖(u − zⱼ)ₗ‖² for every worker j and layer l (M·L values, worker-major): the segmented
    /// reduction of the radial potentials.
    fn layer_sq_norms(&self, st: &mut Self::State) -> Result<Vec<f64>>;
    /// For every worker j, the largest t* ≥ 0 such that (u + t du) − (zⱼ + t dzⱼ) stays in the
    /// (safety-shrunk, see [`PotentialKind::safe_sq_radius`]) domain for all t < t*: per layer
    /// for radial potentials, per coordinate for separable ones; +∞ for unbounded potentials.
    fn feasibility_bound(&self, st: &mut Self::State, kind: PotentialKind, eta: f64) -> Result<Vec<f64>>;
    /// The consensus step of Algorithm 1 (line 3), cut by the feasibility bound; returns t_u.
    fn consensus_step(&self, st: &mut Self::State, p: &Params) -> Result<f64>;
    /// The worker step of Algorithm 1 (lines 5–6 with (17) and Nesterov momentum, see
    /// [`Params`]) at the current u; returns the tⱼ.
    fn worker_step(&self, st: &mut Self::State, p: &Params) -> Result<Vec<f64>>;
    /// Consensus step then worker step, fused (the norms of u_new − zⱼ are accumulated while u is
    /// written, and for quad, whose ∇ needs no norm, both steps are one pass).
    fn step(&self, st: &mut Self::State, p: &Params) -> Result<StepReport>;
    /// The residuals of (5a), (5b) and the consensus distance.
    fn residuals(&self, st: &mut Self::State, p: &Params) -> Result<Residuals>;
}
