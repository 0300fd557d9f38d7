//! `checker hint`: hints one level at a time, the level remembered per exercise.

use crate::commands::session;
use crate::fatal::{Fatal, Result};
use crate::pipeline::course::{Course, Exercise};
use crate::report::terminal::CHECKER;
use crate::state::State;
use std::process::ExitCode;

/// Which hints to show.
pub enum Ask {
    /// One more than last time.
    Next,
    Level(usize),
    All,
}

/// Prints the hints asked for and remembers how far the learner has read.
pub fn run(course: &Course, exercise: &str, ask: Ask) -> Result<ExitCode> {
    let exercise = course.find(exercise)?;
    let (mut state, note) = State::load(&course.state_dir());
    session::warn(note);
    print!("{}", show(exercise, ask, &mut state)?);
    if let Err(e) = state.save() {
        session::warn(Some(format!("could not remember the hint level: {e}")));
    }
    Ok(ExitCode::SUCCESS)
}

/// Shows hints up to the asked level and remembers the highest level seen.
pub fn show(exercise: &Exercise, ask: Ask, state: &mut State) -> Result<String> {
    let count = exercise.hints.len();
    let level = match ask {
        Ask::Next => (state.hints_seen(&exercise.name) + 1).min(count),
        Ask::All => count,
        Ask::Level(level) if (1..=count).contains(&level) => level,
        Ask::Level(level) => {
            return Err(Fatal::new(format!(
                "`{}` has hints 1 to {count}; --level {level} is not one of them.",
                exercise.name
            )));
        }
    };
    if level > state.hints_seen(&exercise.name) {
        state.set_hints_seen(&exercise.name, level);
    }
    let mut out = format!(
        "Hints for {:02} {}: {}\n",
        exercise.number, exercise.name, exercise.title
    );
    for (index, hint) in exercise.hints.iter().take(level).enumerate() {
        out.push_str(&format!("\n  {}/{count}  {hint}\n", index + 1));
    }
    if level < count {
        out.push_str(&format!(
            "\nStill stuck? Ask again for the next hint: {CHECKER} hint {}\n",
            exercise.name
        ));
    } else {
        out.push_str(&format!(
            "\nThat was the last hint. The lesson is in {}/README.md.\n",
            exercise.dir.display()
        ));
    }
    Ok(out)
}
