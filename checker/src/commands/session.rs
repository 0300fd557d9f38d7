//! How one invocation of the checker checks exercises: parallelism, progress display, cache.

use crate::fatal::Result;
use crate::pipeline;
use crate::pipeline::compile;
use crate::pipeline::course::{Course, Exercise};
use crate::pipeline::course_tests;
use crate::pipeline::verdict::Checked;
use crate::platform::toolchain;
use crate::report::progress::TerminalProgress;
use crate::state::State;
use console::Style;

/// How this invocation checks exercises.
pub struct Context {
    pub jobs: usize,
    pub show_progress: bool,
    pub use_cache: bool,
}

impl Context {
    /// Checks `exercises`, from the cache where their inputs did not change.
    pub fn check(&self, course: &Course, exercises: &[&Exercise]) -> Result<Vec<Checked>> {
        let progress = TerminalProgress::new(self.show_progress);
        if compile::is_first_build(course) {
            progress.first_build();
        }
        let mut checked = if self.use_cache {
            let (checked, note) = pipeline::check_cached(course, exercises, self.jobs, &progress)?;
            warn(note);
            checked
        } else {
            pipeline::check(course, exercises, self.jobs, None, &progress)?
        };
        progress.finish();
        warn_once_of_an_unpinned_toolchain(course);
        // After the cache: git's view of the test files is not among a verdict's inputs.
        let changes = course_tests::changes(course, exercises);
        course_tests::mark_deleted(&changes, &mut checked);
        warn(course_tests::changed_warning(&changes));
        Ok(checked)
    }
}

/// Says once (remembered in `.checker/`) that the compiler is not the one the course pins.
fn warn_once_of_an_unpinned_toolchain(course: &Course) {
    let Some(note) = toolchain::mismatch_note(&course.root) else {
        return;
    };
    let (mut state, _) = State::load(&course.state_dir());
    if state.first_time_toolchain_note(&note) {
        warn(Some(note));
        let _ = state.save();
    }
}

/// Prints a warning that does not stop the checker.
pub fn warn(note: Option<String>) {
    if let Some(note) = note {
        eprintln!(
            "{} {note}",
            Style::new()
                .yellow()
                .bold()
                .for_stderr()
                .apply_to("warning:")
        );
    }
}
