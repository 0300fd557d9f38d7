//! Progress shown on stderr while the course builds and runs. Hidden when stderr is not a
//! terminal, so logs and machine reports stay clean.

use crate::pipeline::Progress;
use crate::pipeline::compile::BuildProgress;
use crate::pipeline::course::Exercise;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub struct TerminalProgress {
    bar: ProgressBar,
    compiled: AtomicUsize,
}

impl TerminalProgress {
    pub fn new(visible: bool) -> TerminalProgress {
        let target = if visible {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix:.bold} {wide_msg}")
                .expect("a valid template"),
        );
        bar.set_prefix("Building");
        bar.set_message("the exercises");
        bar.enable_steady_tick(Duration::from_millis(120));
        TerminalProgress {
            bar,
            compiled: AtomicUsize::new(0),
        }
    }

    /// Says that this build is the first one, which builds every dependency and so takes a
    /// while; later builds are quick, and do not say it.
    pub fn first_build(&self) {
        self.bar
            .set_message("the exercises (the first build takes a minute or two)");
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl BuildProgress for TerminalProgress {
    fn cargo_says(&self, line: &str) {
        // cargo's status lines ("Compiling x", "Downloading y") say why the build takes its
        // time. A wait for a file lock is not among them: the build says it in its own words.
        if !line.is_empty() && !line.starts_with("warning") {
            let compiled = self.compiled.load(Ordering::Relaxed);
            // Exercises built early are tested while the rest build.
            let tested = match self.bar.position() {
                0 => String::new(),
                n => format!(", {n} exercises tested"),
            };
            self.bar
                .set_message(format!("{compiled} crates built{tested} · {line}"));
        }
    }

    fn compiled(&self, _name: &str) {
        self.compiled.fetch_add(1, Ordering::Relaxed);
    }

    fn waits_for_another_cargo(&self) {
        let line = "Waiting for another cargo to finish with this course (often your editor's \
                    rust-analyzer): the check goes on when it is done.";
        // One line that stays, even when the progress display is hidden.
        if self.bar.is_hidden() {
            eprintln!("{line}");
        } else {
            self.bar.println(line);
        }
    }
}

impl crate::pipeline::grade::GradeProgress for TerminalProgress {
    fn submission(&self, index: usize, count: usize, label: &str) {
        self.bar
            .println(format!("Grading {}/{count}: {label}", index + 1));
    }
}

impl Progress for TerminalProgress {
    /// The build is over: the bar counts the exercises tested so far, and all `count`.
    fn running(&self, count: usize) {
        self.bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {prefix:.bold} [{bar:30}] {pos}/{len} exercises",
            )
            .expect("a valid template")
            .progress_chars("#>-"),
        );
        self.bar.set_prefix("Testing");
        self.bar.set_length(count as u64);
    }

    fn ran(&self, _exercise: &Exercise) {
        self.bar.inc(1);
    }
}
