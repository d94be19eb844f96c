//! The batched separable φ-prox on the wgpu backend (f32, `shaders/prox.wgsl`): one dispatch
//! over the coordinates, the summary counts merged with atomics, one read-back.

use super::context::GpuBackend;
use crate::error::{KernelError, Result};
use crate::potential::PotentialKind;
use crate::prox::{Fault, SepProx, SepProxReport, SepTerm, STOP_MULT, check_io, max_iterations, non_finite};

/// Invocations per workgroup of `prox.wgsl`.
const WG: usize = 256;
/// At most this many workgroups per dispatch (the grid-stride loop covers the rest).
const MAX_GROUPS: usize = 65_535;

/// The uniform block of `prox.wgsl` (same field order).
#[repr(C)]
#[derive(Clone, Copy, Debug, bytemuck::Pod, bytemuck::Zeroable)]
struct ProxParams {
    n: u32,
    kind: u32,
    term: u32,
    fault: u32,
    max_iter: u32,
    stride: u32,
    pad0: u32,
    pad1: u32,
    ie2: f32,
    inv_lambda: f32,
    rho: f32,
    s_max: f32,
    inv_delta: f32,
    delta: f32,
    stop: f32,
    eps4: f32,
    a: f32,
    p1: f32,
    p2: f32,
    p3: f32,
}

fn params(p: &SepProx, n: usize, stride: usize) -> Result<ProxParams> {
    let code = p.potential.gpu_code().ok_or_else(|| crate::error::KernelError::NoGpuKernel { name: p.potential.name().to_string() })?;
    let eps = f32::EPSILON as f64;
    let (term, a, p1, p2, p3) = match p.term {
        SepTerm::QuadCos { a, b, omega } => (0, a, omega, b * omega, b * omega * omega),
        SepTerm::QuadLog { a, mu, eps } => (1, a, 2.0 * mu, eps * eps, 0.0),
    };
    Ok(ProxParams {
        n: n as u32,
        kind: code,
        term,
        fault: match p.fault {
            Fault::None => 0,
            Fault::WrongDerivative => 1,
            Fault::NewtonSign => 2,
        },
        max_iter: max_iterations(eps),
        stride: stride as u32,
        pad0: 0,
        pad1: 0,
        ie2: (1.0 / (p.eta * p.eta)) as f32,
        inv_lambda: (1.0 / p.lambda) as f32,
        // f32::MAX stands for ∞ (quad): the bracket is then −G(0)/δ.
        rho: p.radius().min(f32::MAX as f64) as f32,
        s_max: if p.potential == PotentialKind::Quad { f32::MAX } else { p.potential.s_max() as f32 },
        inv_delta: ((1.0 + 1e-3) / p.delta()) as f32,
        delta: p.delta() as f32,
        stop: (STOP_MULT * eps) as f32,
        eps4: (4.0 * eps) as f32,
        a: a as f32,
        p1: p1 as f32,
        p2: p2 as f32,
        p3: p3 as f32,
    })
}

impl GpuBackend {
    /// x = P(v) of the separable φ-prox `p` (see [`crate::prox`]) in f32 on the device, and, if
    /// given, the status of every coordinate. Uploads v and c, runs one dispatch, reads back x
    /// (and the statuses) and the summary. Errors on shape mismatches, non-finite inputs, and
    /// batches beyond the device's storage-binding limit.
    pub fn sep_prox(&self, p: &SepProx, v: &[f32], c: &[f32], x: &mut [f32], status: Option<&mut [u8]>) -> Result<SepProxReport> {
        check_io(v.len(), c.len(), x.len(), status.as_ref().map(|s| s.len()))?;
        let n = v.len();
        if let Some(i) = v.iter().position(|a| !a.is_finite()) {
            return Err(non_finite("v", i, v[i] as f64));
        }
        if let Some(i) = c.iter().position(|a| !a.is_finite()) {
            return Err(non_finite("c", i, c[i] as f64));
        }
        if n == 0 {
            return Ok(SepProxReport { n, unconverged: 0, by_bracket: 0, first_unconverged: None, max_residual: 0.0, newton_steps: 0, bisections: 0 });
        }
        let bytes = (n * 4) as u64;
        if bytes > self.max_binding || n > u32::MAX as usize / 2 {
            return Err(KernelError::Gpu(format!("n = {n} f32 = {bytes} bytes exceeds the adapter's storage binding limit of {} bytes", self.max_binding)));
        }
        let groups = n.div_ceil(WG).min(MAX_GROUPS);
        let gp = params(p, n, groups * WG)?;
        let usage = wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::COPY_SRC;
        let mk = |label: &str, size: u64| {
            self.device.create_buffer(&wgpu::BufferDescriptor { label: Some(label), size, usage, mapped_at_creation: false })
        };
        let (bv, bc, bx, bs, bsum) = (mk("v", bytes), mk("c", bytes), mk("x", bytes), mk("status", bytes), mk("summary", 32));
        let uni = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("sep-prox params"),
            size: std::mem::size_of::<ProxParams>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        self.queue.write_buffer(&uni, 0, bytemuck::bytes_of(&gp));
        self.queue.write_buffer(&bv, 0, bytemuck::cast_slice(v));
        self.queue.write_buffer(&bc, 0, bytemuck::cast_slice(c));
        self.queue.write_buffer(&bsum, 0, bytemuck::cast_slice(&[0u32, 0, u32::MAX, 0, 0, 0, 0, 0]));
        let entries: Vec<wgpu::BindGroupEntry> = [&uni, &bv, &bc, &bx, &bs, &bsum]
            .iter()
            .enumerate()
            .map(|(i, b)| wgpu::BindGroupEntry { binding: i as u32, resource: b.as_entire_binding() })
            .collect();
        let bind = self.device.create_bind_group(&wgpu::BindGroupDescriptor { label: Some("sep-prox"), layout: &self.prox.layout, entries: &entries });
        let mut enc = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
        {
            let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor { label: None, timestamp_writes: None });
            pass.set_pipeline(&self.prox.pipeline);
            pass.set_bind_group(0, &bind, &[]);
            pass.dispatch_workgroups(groups as u32, 1, 1);
        }
        self.queue.submit([enc.finish()]);
        x.copy_from_slice(&self.read_f32(&bx, 0, n)?);
        if let Some(s) = status {
            let raw = self.read_f32(&bs, 0, n)?;
            for (o, r) in s.iter_mut().zip(bytemuck::cast_slice::<f32, u32>(&raw)) {
                *o = (*r).min(255) as u8;
            }
        }
        let sum_raw = self.read_f32(&bsum, 0, 8)?;
        let sum: &[u32] = bytemuck::cast_slice(&sum_raw);
        Ok(SepProxReport {
            n,
            unconverged: sum[0] as usize,
            by_bracket: sum[1] as usize,
            first_unconverged: (sum[2] != u32::MAX).then_some(sum[2] as usize),
            max_residual: f32::from_bits(sum[3]) as f64,
            newton_steps: sum[4] as u64,
            bisections: sum[5] as u64,
        })
    }
}
