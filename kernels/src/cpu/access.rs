//! Direct access to the CPU backend's state in its own precision, for drivers that compute the
//! loss gradients δⱼ of (16) on the host (the LeNet training): reading u and zⱼ and
//! writing δⱼ without the f64 round trip of [`Backend::store`](crate::Backend::store) /
//! [`Backend::set_delta`](crate::Backend::set_delta).

use super::CpuBackend;
use super::state::CpuState;
use crate::error::{Result, ensure_len};
use crate::real::Real;

impl<T: Real> CpuState<T> {
    /// The consensus u.
    pub fn u(&self) -> &[T] {
        &self.u
    }

    /// The copy zⱼ of worker j (`None` if j ≥ M).
    pub fn z_of(&self, j: usize) -> Option<&[T]> {
        let n = self.n();
        (j < self.m).then(|| &self.z[j * n..(j + 1) * n])
    }

    /// All copies, worker-major (zⱼ is `j*n..(j+1)*n`).
    pub fn z(&self) -> &[T] {
        &self.z
    }

    /// All Nesterov momenta, worker-major.
    pub fn v(&self) -> &[T] {
        &self.v
    }
}

impl<T: Real> CpuBackend<T> {
    /// Replaces the loss gradients δⱼ (M·n values, worker-major) from values already in T; the
    /// same effect as [`Backend::set_delta`](crate::Backend::set_delta) of their f64 widening.
    pub fn set_delta_native(&self, st: &mut CpuState<T>, delta: &[T]) -> Result<()> {
        ensure_len("δ", delta.len(), st.z.len())?;
        st.delta.copy_from_slice(delta);
        super::step::refresh_delta_norms(st);
        Ok(())
    }

    /// Replaces the consensus u (n values in T). The cached norms ‖(u − zⱼ)ₗ‖² and the a-priori
    /// bounds are dropped, so the next kernel recomputes them: the Jacobi order of (17), where
    /// the workers step against the old u, is run as consensus step, u put back, worker step, new
    /// u put in.
    pub fn set_u_native(&self, st: &mut CpuState<T>, u: &[T]) -> Result<()> {
        ensure_len("u", u.len(), st.u.len())?;
        st.u.copy_from_slice(u);
        st.norms_valid = false;
        st.aux_valid = false;
        Ok(())
    }
}
