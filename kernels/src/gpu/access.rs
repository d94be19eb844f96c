//! Direct f32 access to the wgpu backend's state, for drivers that compute the loss gradients δⱼ
//! of (16) outside the kernels (the LeNet training): reading u, zⱼ, vⱼ and writing δⱼ
//! and u in the device's own f32, without the f64 [`HostState`](crate::HostState) round trip of
//! [`Backend::store`](crate::Backend::store) / [`Backend::set_delta`](crate::Backend::set_delta).
//! The counterpart of `cpu/access.rs`; no kernel changes.
//!
//! ```
//! use infconv_kernels::{Backend, GpuBackend, HostState, LayerTable};
//! // Without a wgpu adapter (no lavapipe) there is nothing to show.
//! let Ok(b) = GpuBackend::new() else { return };
//! let layers = LayerTable::new(vec![2, 1]).unwrap();
//! let h = HostState::at_rest(layers, 2, vec![1.0, 2.0, 3.0], vec![0.5; 6]).unwrap();
//! let mut st = b.load(&h).unwrap();
//! assert_eq!(b.read_z_f32(&st).unwrap(), vec![0.5f32; 6]);
//! b.set_u_f32(&mut st, &[0.0, -1.0, 0.25]).unwrap();
//! assert_eq!(b.read_u_f32(&st).unwrap(), vec![0.0f32, -1.0, 0.25]);
//! b.set_delta_f32(&mut st, &[1.0; 6]).unwrap();
//! assert_eq!(b.read_delta_f32(&st).unwrap(), vec![1.0f32; 6]);
//! assert_eq!(b.store(&st).unwrap().delta, vec![1.0; 6]);
//! assert!(b.set_u_f32(&mut st, &[0.0; 2]).is_err());
//! ```

use super::context::GpuBackend;
use super::state::{DLT, GpuState, U, V, Z};
use crate::error::{Result, ensure_len};

impl GpuBackend {
    /// The consensus u (n values; one blocking read-back).
    pub fn read_u_f32(&self, st: &GpuState) -> Result<Vec<f32>> {
        self.read_f32(&st.bufs[U], 0, st.layers.len())
    }

    /// All copies zⱼ, worker-major (M·n values; one blocking read-back).
    pub fn read_z_f32(&self, st: &GpuState) -> Result<Vec<f32>> {
        self.read_f32(&st.bufs[Z], 0, st.m * st.layers.len())
    }

    /// All Nesterov momenta vⱼ, worker-major (M·n values; one blocking read-back).
    pub fn read_v_f32(&self, st: &GpuState) -> Result<Vec<f32>> {
        self.read_f32(&st.bufs[V], 0, st.m * st.layers.len())
    }

    /// All loss gradients δⱼ, worker-major (M·n values; one blocking read-back).
    pub fn read_delta_f32(&self, st: &GpuState) -> Result<Vec<f32>> {
        self.read_f32(&st.bufs[DLT], 0, st.m * st.layers.len())
    }

    /// Replaces the loss gradients δⱼ (M·n f32, worker-major): the same effect as
    /// [`Backend::set_delta`](crate::Backend::set_delta) of their f64 widening (the kernels keep
    /// no cache of δ).
    pub fn set_delta_f32(&self, st: &mut GpuState, delta: &[f32]) -> Result<()> {
        ensure_len("δ", delta.len(), st.m * st.layers.len())?;
        self.queue.write_buffer(&st.bufs[DLT], 0, bytemuck::cast_slice(delta));
        Ok(())
    }

    /// Replaces the consensus u (n f32). The cached per-layer norms ‖(u − zⱼ)ₗ‖² are dropped, so
    /// the next kernel recomputes them: the Jacobi order of (17) is run as consensus step, old u
    /// put back, worker step, new u put in (as `CpuBackend::set_u_native`).
    pub fn set_u_f32(&self, st: &mut GpuState, u: &[f32]) -> Result<()> {
        ensure_len("u", u.len(), st.layers.len())?;
        self.queue.write_buffer(&st.bufs[U], 0, bytemuck::cast_slice(u));
        st.norms_valid = false;
        Ok(())
    }
}
