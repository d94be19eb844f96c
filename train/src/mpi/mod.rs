//! Algorithm 1 across processes: the transport the [`Trainer`](crate::Trainer) talks to, and the
//! split of the M workers of model (15) over the P ranks.
//!
//! The scheme (docs/scaling.md): the ranks hold contiguous blocks of workers; each rank draws the
//! minibatches of its own workers (the sampler is a pure function of (seed, worker, epoch)) and
//! computes their loss gradients δⱼ of (16) on its own LeNet instances, the expensive part of an
//! iteration. The δⱼ are then gathered in worker order, and every rank runs the same fused kernel
//! step of Algorithm 1 (lines 3 and 5, with the consensus sum Σⱼ ∇φ̂(u − zⱼ) and the line search's
//! feasibility bound over all M workers) on a replicated state. So u and every zⱼ are, bit for bit,
//! those of the single-process CPU engine for every P: the kernel sees the same inputs and sums
//! over the workers in the same order.
//!
//! With `--comm-period k` the workers take k − 1 purely local steps between the elastic
//! interactions; the ranks then gather the zⱼ, vⱼ and δⱼ of their workers only every k-th
//! iteration.
//!
//! The single-process transport [`Single`] is always built; the MPI transport (`world.rs`) only
//! with the `mpi` feature.

pub mod model;
#[cfg(feature = "mpi")]
pub mod world;

use crate::error::TrainError;
use serde::Serialize;
use std::time::Instant;

/// What the transport did, counted per rank (written into summary.json).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct CommStats {
    /// Collective calls made.
    pub calls: u64,
    /// Bytes this rank sent, counted as a ring all-gather sends them: every block but the one of
    /// the next rank (the MPI library may pick another algorithm; the volume is the same order).
    pub bytes_sent: u64,
    /// Bytes this rank received (every other rank's block).
    pub bytes_received: u64,
    /// Wall-clock seconds inside the collective calls (waiting for slower ranks included).
    pub seconds: f64,
}

impl CommStats {
    /// Adds one all-gather of blocks of `sizes` bytes (rank order) seen from `rank`.
    pub fn add_gather(&mut self, rank: usize, sizes: &[usize], since: Instant) {
        let p = sizes.len();
        let total: usize = sizes.iter().sum();
        self.calls += 1;
        if p > 1 {
            self.bytes_sent += (total - sizes[(rank + 1) % p]) as u64;
            self.bytes_received += (total - sizes[rank]) as u64;
        }
        self.seconds += since.elapsed().as_secs_f64();
    }
}

/// The collectives Algorithm 1 needs across ranks. Every rank calls them in the same order.
pub trait Transport {
    /// This rank, 0 ≤ rank < size.
    fn rank(&self) -> usize;
    /// P, the number of ranks.
    fn size(&self) -> usize;
    /// All-gather: every rank contributes `mine` (`counts[rank]` values); `out` (Σ counts values)
    /// receives the blocks in rank order.
    fn all_gather_f32(&mut self, mine: &[f32], counts: &[usize], out: &mut [f32]) -> Result<(), TrainError>;
    /// All-gather of byte strings of any length; the result lists them in rank order.
    fn all_gather_bytes(&mut self, mine: &[u8]) -> Result<Vec<Vec<u8>>, TrainError>;
    /// Rank 0's bytes on every rank (`mine` is read on rank 0 only).
    fn broadcast_bytes(&mut self, mine: &[u8]) -> Result<Vec<u8>, TrainError>;
    /// The counters so far.
    fn stats(&self) -> CommStats;
    /// Ends every rank now with `code` (MPI_Abort); a single process just exits.
    fn abort(&self, code: i32) -> !;
}

/// One process: every collective is the identity.
#[derive(Debug, Default)]
pub struct Single;

impl Transport for Single {
    fn rank(&self) -> usize {
        0
    }
    fn size(&self) -> usize {
        1
    }
    fn all_gather_f32(&mut self, mine: &[f32], _counts: &[usize], out: &mut [f32]) -> Result<(), TrainError> {
        if mine.len() != out.len() {
            return Err(TrainError::Team(format!("all-gather of {} values into {}", mine.len(), out.len())));
        }
        out.copy_from_slice(mine);
        Ok(())
    }
    fn all_gather_bytes(&mut self, mine: &[u8]) -> Result<Vec<Vec<u8>>, TrainError> {
        Ok(vec![mine.to_vec()])
    }
    fn broadcast_bytes(&mut self, mine: &[u8]) -> Result<Vec<u8>, TrainError> {
        Ok(mine.to_vec())
    }
    fn stats(&self) -> CommStats {
        CommStats::default()
    }
    fn abort(&self, code: i32) -> ! {
        std::process::exit(code)
    }
}

/// The workers of rank r of P: the contiguous block ⌊rM/P⌋ .. ⌊(r+1)M/P⌋.
pub fn workers_of(rank: usize, size: usize, m: usize) -> std::ops::Range<usize> {
    rank * m / size..(rank + 1) * m / size
}

/// A transport with the split of the workers over its ranks.
pub struct Team {
    /// The collectives.
    pub transport: Box<dyn Transport>,
    /// M.
    pub workers: usize,
    /// 0, except in the test of the bit-identity check: `INFCONV_TEST_SHIFT_RANK=r` makes rank r
    /// (of P > 1) draw the minibatches of the next iteration, a fault the check must flag.
    pub stream_shift: usize,
}

impl Team {
    /// One process owning every worker.
    pub fn single(workers: usize) -> Team {
        Team { transport: Box::new(Single), workers, stream_shift: 0 }
    }

    /// `transport`'s ranks sharing M workers; an error when P > M (a rank without a worker).
    pub fn new(transport: Box<dyn Transport>, workers: usize) -> Result<Team, TrainError> {
        let p = transport.size();
        if p > workers {
            return Err(TrainError::input(format!(
                "{p} MPI ranks for --workers {workers}: expected at most one rank per worker (P ≤ M; mSGD trains one model, so P = 1)"
            )));
        }
        let shift_rank = std::env::var("INFCONV_TEST_SHIFT_RANK").ok().and_then(|r| r.parse::<usize>().ok());
        let stream_shift = (p > 1 && shift_rank == Some(transport.rank())) as usize;
        Ok(Team { transport, workers, stream_shift })
    }

    /// This rank.
    pub fn rank(&self) -> usize {
        self.transport.rank()
    }

    /// P.
    pub fn size(&self) -> usize {
        self.transport.size()
    }

    /// Rank 0 (the one that writes files and logs).
    pub fn is_root(&self) -> bool {
        self.rank() == 0
    }

    /// This rank's workers.
    pub fn mine(&self) -> std::ops::Range<usize> {
        workers_of(self.rank(), self.size(), self.workers)
    }

    /// Gathers per-worker blocks of `per` values (worker-major, `all.len()` = M·per): this rank's
    /// block of `all` in, everyone's out.
    pub fn gather_workers(&mut self, all: &mut [f32], per: usize) -> Result<(), TrainError> {
        if self.size() == 1 {
            return Ok(());
        }
        let (p, m) = (self.size(), self.workers);
        let counts: Vec<usize> = (0..p).map(|r| workers_of(r, p, m).len() * per).collect();
        let mine = self.mine();
        let local = all[mine.start * per..mine.end * per].to_vec();
        self.transport.all_gather_f32(&local, &counts, all)
    }

    /// Gathers the (loss sum, sample count) of every worker's minibatch, in worker order, from
    /// this rank's workers' `mine`.
    pub fn gather_losses(&mut self, mine: &[(f64, usize)]) -> Result<Vec<(f64, usize)>, TrainError> {
        if self.size() == 1 {
            return Ok(mine.to_vec());
        }
        let bytes: Vec<u8> = mine.iter().flat_map(|&(l, c)| l.to_le_bytes().into_iter().chain((c as u64).to_le_bytes())).collect();
        let all = self.transport.all_gather_bytes(&bytes)?;
        let out: Vec<(f64, usize)> = all
            .iter()
            .flat_map(|b| b.chunks_exact(16))
            .map(|c| {
                let mut l = [0u8; 8];
                let mut k = [0u8; 8];
                l.copy_from_slice(&c[..8]);
                k.copy_from_slice(&c[8..]);
                (f64::from_le_bytes(l), u64::from_le_bytes(k) as usize)
            })
            .collect();
        if out.len() != self.workers {
            return Err(TrainError::Team(format!("gathered the losses of {} workers, expected M = {}", out.len(), self.workers)));
        }
        Ok(out)
    }

    /// Every rank's `what` must equal rank 0's: `fields` are (name, value) pairs; a difference
    /// stops every rank with an error naming the rank and the field.
    pub fn check_same(&mut self, fields: impl FnOnce() -> Result<Vec<(String, String)>, TrainError>) -> Result<(), TrainError> {
        if self.size() == 1 {
            return Ok(());
        }
        let fields = fields()?;
        let mine = serde_json::to_vec(&fields)?;
        let root = self.transport.broadcast_bytes(&mine)?;
        let root: Vec<(String, String)> = serde_json::from_slice(&root).map_err(|e| TrainError::Team(format!("rank 0's configuration: {e}")))?;
        let mut diffs = Vec::new();
        for (name, value) in &fields {
            match root.iter().find(|(n, _)| n == name) {
                Some((_, v)) if v == value => {}
                Some((_, v)) => diffs.push(format!("{name} is {value} here but {v} on rank 0")),
                None => diffs.push(format!("{name} is unknown to rank 0")),
            }
        }
        let msg = if diffs.is_empty() { String::new() } else { format!("rank {}: {}", self.rank(), diffs.join("; ")) };
        let all = self.transport.all_gather_bytes(msg.as_bytes())?;
        let bad: Vec<String> = all.into_iter().filter(|b| !b.is_empty()).map(|b| String::from_utf8_lossy(&b).into_owned()).collect();
        if bad.is_empty() {
            Ok(())
        } else {
            Err(TrainError::Team(format!("the ranks do not run the same configuration: {} (every rank needs the same flags and data)", bad.join(" | "))))
        }
    }
}

/// The number of processes an MPI launcher started this process among (1 when not under one):
/// Open MPI's `OMPI_COMM_WORLD_SIZE`, else the PMI/Slurm `PMI_SIZE`.
pub fn launcher_size() -> usize {
    ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE"]
        .iter()
        .find_map(|k| std::env::var(k).ok().and_then(|v| v.trim().parse::<usize>().ok()))
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_partition_the_workers_in_order() {
        for m in 1..=9 {
            for p in 1..=m {
                let all: Vec<usize> = (0..p).flat_map(|r| workers_of(r, p, m)).collect();
                assert_eq!(all, (0..m).collect::<Vec<_>>(), "M = {m}, P = {p}");
                assert!((0..p).all(|r| !workers_of(r, p, m).is_empty()));
            }
        }
        // Control: a split that drops the last worker is caught by the same comparison.
        let bad: Vec<usize> = (0..2).flat_map(|r| r * 3 / 2..(r + 1) * 3 / 2 - (r == 1) as usize).collect();
        assert_ne!(bad, (0..3).collect::<Vec<_>>());
    }

    #[test]
    fn more_ranks_than_workers_is_refused_naming_both() {
        struct Fake(usize);
        impl Transport for Fake {
            fn rank(&self) -> usize { 0 }
            fn size(&self) -> usize { self.0 }
            fn all_gather_f32(&mut self, _: &[f32], _: &[usize], _: &mut [f32]) -> Result<(), TrainError> { Ok(()) }
            fn all_gather_bytes(&mut self, m: &[u8]) -> Result<Vec<Vec<u8>>, TrainError> { Ok(vec![m.to_vec()]) }
            fn broadcast_bytes(&mut self, m: &[u8]) -> Result<Vec<u8>, TrainError> { Ok(m.to_vec()) }
            fn stats(&self) -> CommStats { CommStats::default() }
            fn abort(&self, code: i32) -> ! { std::process::exit(code) }
        }
        let e = Team::new(Box::new(Fake(3)), 2).err().expect("P > M refused");
        assert!(e.is_bad_input(), "{e:?}");
        let e = e.to_string();
        assert!(e.contains("3 MPI ranks") && e.contains("--workers 2"), "{e}");
        assert!(Team::new(Box::new(Fake(2)), 2).is_ok());
    }
}
