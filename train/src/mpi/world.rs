//! The MPI transport (feature `mpi`): rsmpi over the system's MPI (Open MPI 4.1 in CI), launched by
//! `mpirun -n P infconv train …`. MPI's default error handler (errors are fatal) stays in force,
//! so a failed collective ends the job rather than returning.

use crate::error::TrainError;
use super::{CommStats, Transport};
use ::mpi::Count;
use ::mpi::datatype::PartitionMut;
use ::mpi::environment::Universe;
use ::mpi::topology::SimpleCommunicator;
use ::mpi::traits::*;
use std::time::Instant;

/// MPI itself: initialized by [`Mpi::init`], finalized when dropped. Keep it until every
/// [`World`] is gone (the command line holds it for the whole run, so that an error can still
/// end every rank with [`Mpi::abort`]).
pub struct Mpi {
    universe: Universe,
}

impl Mpi {
    /// Initializes MPI (once per process); an error if it was already initialized.
    pub fn init() -> Result<Mpi, TrainError> {
        let universe = ::mpi::initialize().ok_or("MPI was already initialized in this process")?;
        Ok(Mpi { universe })
    }

    /// The transport over `MPI_COMM_WORLD`.
    pub fn world(&self) -> World {
        World { world: self.universe.world(), stats: CommStats::default() }
    }

    /// This rank.
    pub fn rank(&self) -> usize {
        self.universe.world().rank() as usize
    }

    /// P.
    pub fn size(&self) -> usize {
        self.universe.world().size() as usize
    }

    /// Ends every rank of the job with `code` (MPI_Abort).
    pub fn abort(&self, code: i32) -> ! {
        self.universe.world().abort(code)
    }
}

/// `MPI_COMM_WORLD` with byte and time counters.
pub struct World {
    world: SimpleCommunicator,
    stats: CommStats,
}

fn count(x: usize, what: &str) -> Result<Count, TrainError> {
    Count::try_from(x).map_err(|_| TrainError::Team(format!("{what}: {x} values exceed MPI's 32-bit count")))
}

fn displacements(counts: &[Count]) -> Vec<Count> {
    counts.iter().scan(0, |acc, &c| {
        let d = *acc;
        *acc += c;
        Some(d)
    }).collect()
}

impl Transport for World {
    fn rank(&self) -> usize {
        self.world.rank() as usize
    }

    fn size(&self) -> usize {
        self.world.size() as usize
    }

    fn all_gather_f32(&mut self, mine: &[f32], counts: &[usize], out: &mut [f32]) -> Result<(), TrainError> {
        let t0 = Instant::now();
        let r = self.rank();
        if counts.len() != self.size() || counts[r] != mine.len() || counts.iter().sum::<usize>() != out.len() {
            return Err(TrainError::Team(format!("all-gather: {} values from rank {r} with counts {counts:?} into {}", mine.len(), out.len())));
        }
        let c = counts.iter().map(|&x| count(x, "all-gather")).collect::<Result<Vec<_>, _>>()?;
        let d = displacements(&c);
        let mut part = PartitionMut::new(out, c, &d[..]);
        self.world.all_gather_varcount_into(mine, &mut part);
        let sizes: Vec<usize> = counts.iter().map(|x| 4 * x).collect();
        self.stats.add_gather(r, &sizes, t0);
        Ok(())
    }

    fn all_gather_bytes(&mut self, mine: &[u8]) -> Result<Vec<Vec<u8>>, TrainError> {
        let t0 = Instant::now();
        // One leading byte, so that no buffer is empty: Open MPI's MPI_IN_PLACE is the address 1,
        // which is where Rust puts an empty byte vector.
        let mine = [&[1u8][..], mine].concat();
        let n = count(mine.len(), "all-gather")?;
        let mut lens = vec![0 as Count; self.size()];
        self.world.all_gather_into(&n, &mut lens[..]);
        let total = lens.iter().map(|&l| l as usize).sum::<usize>();
        let mut buf = vec![0u8; total];
        let d = displacements(&lens);
        {
            let mut part = PartitionMut::new(&mut buf[..], lens.clone(), &d[..]);
            self.world.all_gather_varcount_into(&mine[..], &mut part);
        }
        let sizes: Vec<usize> = lens.iter().map(|&l| l as usize + 4).collect();
        self.stats.add_gather(self.rank(), &sizes, t0);
        Ok(lens.iter().zip(&d).map(|(&l, &o)| buf[o as usize + 1..(o + l) as usize].to_vec()).collect())
    }

    fn broadcast_bytes(&mut self, mine: &[u8]) -> Result<Vec<u8>, TrainError> {
        let t0 = Instant::now();
        let root = self.world.process_at_rank(0);
        // One trailing byte, so that no buffer is empty (see `all_gather_bytes`).
        let mut n: u64 = mine.len() as u64 + 1;
        root.broadcast_into(&mut n);
        let mut buf = if self.rank() == 0 { [mine, &[1u8][..]].concat() } else { vec![0u8; n as usize] };
        root.broadcast_into(&mut buf[..]);
        buf.pop();
        self.stats.calls += 1;
        if self.rank() == 0 {
            self.stats.bytes_sent += (n + 8) * (self.size() as u64 - 1);
        } else {
            self.stats.bytes_received += n + 8;
        }
        self.stats.seconds += t0.elapsed().as_secs_f64();
        Ok(buf)
    }

    fn stats(&self) -> CommStats {
        self.stats
    }

    fn abort(&self, code: i32) -> ! {
        self.world.abort(code)
    }
}
