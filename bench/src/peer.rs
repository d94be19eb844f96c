//! The numpy peer: `peers/easgd_numpy.py` run with `python3`, one fused step of Algorithm 1 per
//! configuration (what a user would otherwise write).

use serde::{Deserialize, Serialize};
use std::io::Write;
use std::process::{Command, Stdio};

/// One configuration of the peer.
#[derive(Debug, Clone, Serialize)]
pub struct PeerConfig {
    /// "quad" or "tan".
    pub potential: String,
    /// "float32" or "float64".
    pub dtype: String,
    /// M.
    pub workers: usize,
    /// Layer sizes.
    pub layers: Vec<usize>,
    /// Seconds of measurement.
    pub min_time: f64,
}

/// One answer of the peer.
#[derive(Debug, Clone, Deserialize)]
pub struct PeerResult {
    /// As in the configuration.
    pub potential: String,
    /// As in the configuration.
    pub dtype: String,
    /// As in the configuration.
    pub workers: usize,
    /// n.
    pub n: usize,
    /// numpy's version.
    pub numpy: String,
    /// Best mean seconds per step.
    pub seconds_per_call: f64,
}

/// The peer script (next to this crate's sources).
pub fn script() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("peers").join("easgd_numpy.py")
}

/// Runs the peer on every configuration; an error (python3 or numpy missing, …) as a message.
pub fn run_peer(cfgs: &[PeerConfig]) -> Result<Vec<PeerResult>, String> {
    let mut child = Command::new("python3")
        .arg(script())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("python3: {e}"))?;
    let input = serde_json::to_string(cfgs).map_err(|e| e.to_string())?;
    child.stdin.take().ok_or("no stdin")?.write_all(input.as_bytes()).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("numpy peer failed: {}", String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("")));
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).map_err(|e| format!("peer output {l:?}: {e}")))
        .collect()
}
