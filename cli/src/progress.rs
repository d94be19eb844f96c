//! How the command line shows a run's progress: an indicatif bar on stderr (drawn only when stderr
//! is a terminal), JSON lines of the logged records on stdout with `--json`, notes as lines.

use indicatif::{ProgressBar, ProgressStyle};
use infconv_train::observe::{Event, Observe};

/// The observer of `infconv train` and `infconv table1`.
pub struct Bar {
    bar: ProgressBar,
    json: bool,
}

impl Bar {
    /// A bar when `draw`, JSON lines of the records when `json`.
    pub fn new(draw: bool, json: bool) -> Self {
        let bar = if draw { ProgressBar::new(0) } else { ProgressBar::hidden() };
        if let Ok(style) = ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} it ({per_sec}, eta {eta}) {msg}") {
            bar.set_style(style);
        }
        Bar { bar, json }
    }
}

impl Observe for Bar {
    fn observe(&mut self, event: &Event<'_>) {
        match event {
            Event::Start { iteration, total } => {
                self.bar.reset();
                self.bar.set_length(*total as u64);
                self.bar.set_position(*iteration as u64);
            }
            Event::Step { iteration, .. } => self.bar.set_position(*iteration as u64),
            Event::Phase(m) => self.bar.set_message(m.to_string()),
            Event::Logged(r) => {
                if self.json {
                    // A record holds only numbers and strings; it always serializes.
                    if let Ok(line) = serde_json::to_string(r) {
                        println!("{line}");
                    }
                }
                self.bar.set_message(format!("test error {:.2} %, objective {:.4}", 100.0 * r.test_error, r.objective));
            }
            Event::Finish => self.bar.finish_and_clear(),
            Event::Note(line) => self.bar.suspend(|| eprintln!("  {line}")),
        }
    }
}
