//! Checkpoints of a training run: the configuration, the counters, and the state (u, zⱼ, vⱼ) in the
//! backend's own f32 bits, so that a run resumed from one continues exactly as the uninterrupted
//! run would (the uninterrupted run also reloads its state from what it saved; see `driver.rs`).
//!
//! Format (little-endian): the magic line `INFCONV-CHECKPOINT 1\n`, a u64 header length, the JSON
//! header ([`Header`]), then u (n f32), z (M·n f32), v (M·n f32), then an FNV-1a 64 checksum of
//! everything before it. Written to a temporary file in the same folder and renamed, so a kill at
//! any moment leaves either the previous checkpoint or the new one, never half of one.

use crate::error::TrainError;
use crate::config::TrainConfig;
use serde::{Deserialize, Serialize};
use std::path::Path;

const MAGIC: &[u8] = b"INFCONV-CHECKPOINT 1\n";

/// What a checkpoint records besides the state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// The run's configuration.
    pub config: TrainConfig,
    /// Iterations done.
    pub iteration: usize,
    /// n (parameters per copy).
    pub n: usize,
    /// Line-search cuts so far.
    pub cuts: usize,
    /// Wall-clock seconds of training so far (not part of any equality check).
    pub seconds: f64,
    /// Σ minibatch loss and count since the last log (the logged batch loss).
    pub batch_loss_sum: f64,
    /// See `batch_loss_sum`.
    pub batch_loss_count: usize,
}

/// The state of a checkpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint {
    /// Counters and configuration.
    pub header: Header,
    /// The consensus u (n).
    pub u: Vec<f32>,
    /// The copies zⱼ (M·n, worker-major).
    pub z: Vec<f32>,
    /// The momenta vⱼ (M·n).
    pub v: Vec<f32>,
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn push_f32(out: &mut Vec<u8>, xs: &[f32]) {
    out.reserve(xs.len() * 4);
    for x in xs {
        out.extend_from_slice(&x.to_le_bytes());
    }
}

impl Checkpoint {
    /// The bytes of the file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let header = serde_json::to_vec(&self.header).unwrap_or_default();
        let mut out = Vec::with_capacity(64 + header.len() + 4 * (self.u.len() + self.z.len() + self.v.len()));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(header.len() as u64).to_le_bytes());
        out.extend_from_slice(&header);
        push_f32(&mut out, &self.u);
        push_f32(&mut out, &self.z);
        push_f32(&mut out, &self.v);
        let sum = fnv1a(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Parses and checks a file's bytes; `what` names the file in errors.
    pub fn from_bytes(bytes: &[u8], what: &str) -> Result<Checkpoint, TrainError> {
        let bad = |why: &str| TrainError::input(format!("{what}: not a valid infconv checkpoint ({why})"));
        if bytes.len() < MAGIC.len() + 16 || &bytes[..MAGIC.len()] != MAGIC {
            return Err(bad("missing the 'INFCONV-CHECKPOINT 1' magic line"));
        }
        let (body, tail) = bytes.split_at(bytes.len() - 8);
        let sum = u64::from_le_bytes(tail.try_into().map_err(|_| bad("truncated"))?);
        if fnv1a(body) != sum {
            return Err(bad("checksum mismatch: the file is truncated or damaged"));
        }
        let mut p = MAGIC.len();
        let hlen = u64::from_le_bytes(body[p..p + 8].try_into().map_err(|_| bad("truncated header length"))?) as usize;
        p += 8;
        let hbytes = body.get(p..p.saturating_add(hlen)).ok_or_else(|| bad("truncated header"))?;
        let header: Header = serde_json::from_slice(hbytes).map_err(|e| bad(&format!("header: {e}")))?;
        p += hlen;
        let m = header.config.workers;
        let n = header.n;
        let floats = n.checked_mul(1 + 2 * m).ok_or_else(|| bad("sizes overflow"))?;
        if body.len() - p != floats * 4 {
            return Err(bad(&format!("expected {floats} f32 values for n = {n}, M = {m}, found {} bytes", body.len() - p)));
        }
        let read = |from: usize, count: usize| -> Vec<f32> {
            body[from..from + 4 * count].chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
        };
        let u = read(p, n);
        let z = read(p + 4 * n, m * n);
        let v = read(p + 4 * n * (1 + m), m * n);
        Ok(Checkpoint { header, u, z, v })
    }

    /// Writes `path` atomically (temporary file in the same folder, fsync, rename).
    pub fn save(&self, path: &Path) -> Result<(), TrainError> {
        crate::atomic::write_atomic(path, &self.to_bytes())
    }

    /// Reads and checks `path`.
    pub fn load(path: &Path) -> Result<Checkpoint, TrainError> {
        let bytes = std::fs::read(path).map_err(TrainError::io(path, "cannot read the checkpoint"))?;
        Checkpoint::from_bytes(&bytes, &path.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Method, TrainConfig};

    fn sample() -> Checkpoint {
        let mut config = TrainConfig::default_for(Method::Msgd);
        config.workers = 2;
        let header = Header { config, iteration: 7, n: 3, cuts: 1, seconds: 0.5, batch_loss_sum: 1.25, batch_loss_count: 2 };
        Checkpoint { header, u: vec![1.0, -2.0, 0.5], z: vec![0.1; 6], v: vec![-0.0, 1e-30, 3.0, 4.0, 5.0, f32::MIN_POSITIVE] }
    }

    #[test]
    fn round_trip_is_bit_exact() {
        let c = sample();
        let back = Checkpoint::from_bytes(&c.to_bytes(), "x").unwrap();
        assert_eq!(back.header, c.header);
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back.v), bits(&c.v));
        assert_eq!(bits(&back.u), bits(&c.u));
    }

    #[test]
    fn damage_and_truncation_are_named_errors() {
        let bytes = sample().to_bytes();
        let e = Checkpoint::from_bytes(&bytes[..bytes.len() - 3], "ck.bin").unwrap_err();
        assert!(e.is_bad_input(), "{e:?}");
        let e = e.to_string();
        assert!(e.contains("ck.bin") && e.contains("checksum"), "{e}");
        let mut flipped = bytes.clone();
        let k = flipped.len() - 12;
        flipped[k] ^= 1;
        assert!(Checkpoint::from_bytes(&flipped, "ck.bin").unwrap_err().to_string().contains("checksum"));
        assert!(Checkpoint::from_bytes(b"hello", "ck.bin").unwrap_err().to_string().contains("magic"));
    }
}
