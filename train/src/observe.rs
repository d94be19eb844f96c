//! Progress of a run, told to an observer: the library reports what happens, and only the command
//! line decides how to show it (a progress bar, JSON lines, nothing).
//!
//! ```
//! use infconv_train::observe::{Event, Observe};
//! struct Count(usize);
//! impl Observe for Count {
//!     fn observe(&mut self, event: &Event<'_>) {
//!         if let Event::Step { .. } = event { self.0 += 1; }
//!     }
//! }
//! let mut c = Count(0);
//! c.observe(&Event::Step { iteration: 1, total: 10 });
//! assert_eq!(c.0, 1);
//! ```

use crate::driver::LogRecord;

/// What a run tells its observer.
#[derive(Debug)]
pub enum Event<'a> {
    /// The run starts at `iteration` of `total` (non-zero when resumed).
    Start { iteration: usize, total: usize },
    /// One iteration of Algorithm 1 (or mSGD) is done.
    Step { iteration: usize, total: usize },
    /// A slow phase begins (evaluation, the Corollary 5.1 solve): one line saying which.
    Phase(&'a str),
    /// A record was logged (the last one carries the Corollary 5.1 figures).
    Logged(&'a LogRecord),
    /// The run is over.
    Finish,
    /// A line worth printing as it is (a grid of runs says one per configuration).
    Note(&'a str),
}

/// An observer of a run (in the manner of argmin's `Observe`).
pub trait Observe {
    /// Called for every event, in order.
    fn observe(&mut self, event: &Event<'_>);
}

/// Observes nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Observe for Silent {
    fn observe(&mut self, _: &Event<'_>) {}
}

impl<F: FnMut(&Event<'_>)> Observe for F {
    fn observe(&mut self, event: &Event<'_>) {
        self(event)
    }
}
