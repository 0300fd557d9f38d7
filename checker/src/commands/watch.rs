//! `checker watch`: checks the current exercise, then again on every save, with single-key
//! commands. File events come from the OS (inotify, FSEvents, ReadDirectoryChangesW) or, with
//! `--poll` or where no watcher can start, from polling.

use crate::commands::hint;
use crate::commands::session::{self, Context};
use crate::fatal::{Fatal, Result};
use crate::pipeline::course::{Course, Exercise};
use crate::pipeline::verdict::Checked;
use crate::report::terminal;
use crate::state::State;
use console::{Key, Style, Term};
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::Duration;

/// Saves come in bursts (an editor writes a file, then renames it): wait for this much quiet
/// before checking, so one save gives one check.
const DEBOUNCE: Duration = Duration::from_millis(100);
const POLL_INTERVAL: Duration = Duration::from_millis(250);

enum Event {
    Key(char),
    Quit,
    Changed(PathBuf),
    /// The watcher itself failed; the message says why.
    WatchError(String),
}

pub fn run(course: &Course, context: &Context, force_poll: bool) -> Result<()> {
    let term = Term::stdout();
    let (events_tx, events) = mpsc::channel();
    let _watcher = start_watcher(course, force_poll, events_tx.clone())?;
    read_keys(events_tx);

    let all: Vec<&Exercise> = course.exercises.iter().collect();
    let checked = context.check(course, &all)?;
    let Some(mut current) = first_unsolved(&checked, 0) else {
        println!("Every exercise passes already. Nothing to watch: well done!");
        return Ok(());
    };
    let mut banner = String::new();
    let mut last = show(course, context, &term, current, &banner)?;
    loop {
        match events.recv() {
            Err(_) | Ok(Event::Quit) => break,
            Ok(Event::WatchError(problem)) => {
                println!("{problem}");
            }
            Ok(Event::Changed(path)) => {
                if !path.starts_with(course.root.join(&course.exercises[current].dir)) {
                    continue;
                }
                settle(&events);
                banner.clear();
                last = show(course, context, &term, current, &banner)?;
                if last.verdict.is_passed() {
                    let all = context.check(course, &all)?;
                    match first_unsolved(&all, current + 1).or_else(|| first_unsolved(&all, 0)) {
                        Some(next) => {
                            banner = passed_banner(&course.exercises[current]);
                            current = next;
                            last = show(course, context, &term, current, &banner)?;
                        }
                        None => {
                            println!(
                                "\n{} You have finished the course: every exercise passes.",
                                Style::new().green().bold().apply_to("Congratulations!")
                            );
                            break;
                        }
                    }
                }
            }
            Ok(Event::Key('q')) => break,
            Ok(Event::Key('h')) => {
                let (mut state, note) = State::load(&course.state_dir());
                session::warn(note);
                println!(
                    "\n{}",
                    hint::show(&course.exercises[current], hint::Ask::Next, &mut state)?
                );
                let _ = state.save();
            }
            Ok(Event::Key('n')) => {
                if !last.verdict.is_passed() {
                    println!("\nThis one does not pass yet: the next exercise opens once it does.");
                    continue;
                }
                let all = context.check(course, &all)?;
                if let Some(next) = first_unsolved(&all, current + 1) {
                    current = next;
                    banner.clear();
                    last = show(course, context, &term, current, &banner)?;
                }
            }
            Ok(Event::Key('l')) => {
                let all = context.check(course, &all)?;
                println!("\n{}", terminal::list(&all));
            }
            Ok(Event::Key('c')) => {
                let all = context.check(course, &all)?;
                println!("\n{}", terminal::table(&all, term_width(&term)));
            }
            Ok(Event::Key(_)) => {}
        }
    }
    println!();
    Ok(())
}

fn first_unsolved(checked: &[Checked], from: usize) -> Option<usize> {
    (from..checked.len()).find(|&i| !checked[i].verdict.is_passed())
}

fn passed_banner(exercise: &Exercise) -> String {
    format!(
        "{} {:02} {} passes! Compare with the reference: {} solution {}\n\n",
        Style::new().green().bold().apply_to("✓"),
        exercise.number,
        exercise.name,
        terminal::CHECKER,
        exercise.name
    )
}

/// Checks the current exercise and redraws the screen with its verdict.
fn show(
    course: &Course,
    context: &Context,
    term: &Term,
    current: usize,
    banner: &str,
) -> Result<Checked> {
    let exercise = &course.exercises[current];
    if term.is_term() {
        let _ = term.clear_screen();
    } else {
        println!("\n{}", "─".repeat(60));
    }
    print!("{banner}");
    println!(
        "{} {:02} {}: {}  (checking…)",
        Style::new().bold().apply_to("Watching"),
        exercise.number,
        exercise.name,
        exercise.title
    );
    let checked = context
        .check(course, &[exercise])?
        .pop()
        .expect("one exercise checked");
    println!("{}", terminal::verdict_line(&checked));
    print!("{}", terminal::why(&checked.verdict));
    println!(
        "\n  Edit {}/src and save: it is checked again.\n  {}",
        exercise.dir.display(),
        Style::new()
            .dim()
            .apply_to("[h] next hint  [n] next exercise  [l] list  [c] check all  [q] quit")
    );
    Ok(checked)
}

/// Swallows the rest of a burst of file events.
fn settle(events: &Receiver<Event>) {
    loop {
        match events.recv_timeout(DEBOUNCE) {
            Ok(Event::Changed(_)) => continue,
            Ok(_) | Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

fn term_width(term: &Term) -> usize {
    term.size_checked()
        .map_or(120, |(_, columns)| columns as usize)
}

/// Watches `exercises/` for changes. Polling is used when asked for, on file systems that do
/// not report changes reliably (network shares, WSL's Windows drives), and when the OS watcher
/// cannot start; either way the watcher lives as long as the returned box.
fn start_watcher(
    course: &Course,
    force_poll: bool,
    events: Sender<Event>,
) -> Result<Box<dyn Watcher>> {
    let folder = course.root.join("exercises");
    let handler = move |result: notify::Result<notify::Event>| {
        let message = match result {
            Ok(event) if event.kind.is_access() => return,
            Ok(event) => event.paths.into_iter().map(Event::Changed).collect(),
            Err(e) => vec![Event::WatchError(format!("the file watcher reported: {e}"))],
        };
        for message in message {
            let _ = events.send(message);
        }
    };
    let mut watcher: Box<dyn Watcher> = if force_poll || events_may_not_arrive(&folder) {
        Box::new(poller(handler)?)
    } else {
        match RecommendedWatcher::new(handler.clone(), notify::Config::default()) {
            Ok(watcher) => Box::new(watcher),
            Err(_) => Box::new(poller(handler)?),
        }
    };
    watcher
        .watch(&folder, RecursiveMode::Recursive)
        .map_err(|e| {
            Fatal::new(format!(
                "cannot watch {}: {e}\n  Try `--poll`, which checks for changes every {}ms instead.",
                folder.display(),
                POLL_INTERVAL.as_millis()
            ))
        })?;
    Ok(watcher)
}

/// Network and WSL file systems, where a save made on another machine, or from Windows, sends
/// no event to a Linux watcher.
#[cfg(target_os = "linux")]
fn events_may_not_arrive(folder: &std::path::Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    const NFS: i64 = 0x6969;
    const SMB: i64 = 0x517b;
    const CIFS: i64 = 0xff53_4d42;
    const SMB2: i64 = 0xfe53_4d42;
    const V9FS: i64 = 0x0102_1997; // WSL 2's Windows drives (/mnt/c)
    const FUSE: i64 = 0x6573_5546;
    let Ok(path) = std::ffi::CString::new(folder.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: statfs writes only into the zeroed struct it is given, and the path is a valid
    // NUL-terminated string that outlives the call.
    let mut info: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(path.as_ptr(), &mut info) } != 0 {
        return false;
    }
    #[allow(clippy::unnecessary_cast)] // f_type's width differs between targets
    let kind = info.f_type as i64;
    let wsl1_drive = std::fs::read_to_string("/proc/version")
        .is_ok_and(|v| v.to_ascii_lowercase().contains("microsoft"))
        && folder.starts_with("/mnt/");
    [NFS, SMB, CIFS, SMB2, V9FS, FUSE].contains(&kind) || wsl1_drive
}

#[cfg(not(target_os = "linux"))]
fn events_may_not_arrive(_folder: &std::path::Path) -> bool {
    false
}

fn poller(handler: impl notify::EventHandler + Clone) -> Result<PollWatcher> {
    PollWatcher::new(
        handler,
        notify::Config::default()
            .with_poll_interval(POLL_INTERVAL)
            .with_compare_contents(true),
    )
    .map_err(|e| Fatal::new(format!("cannot start polling for changes: {e}")))
}

/// Reads single keys from the terminal (raw mode, so Ctrl-C arrives as a key and the terminal
/// is restored by us, not left raw), or characters from a pipe when stdin is not a terminal.
fn read_keys(events: Sender<Event>) {
    thread::spawn(move || {
        if std::io::stdin().is_terminal() {
            let term = Term::stdout();
            loop {
                let event = match term.read_key_raw() {
                    Ok(Key::Char(c)) => Event::Key(c.to_ascii_lowercase()),
                    Ok(Key::CtrlC) | Ok(Key::Escape) => Event::Quit,
                    Ok(_) => continue,
                    Err(_) => Event::Quit,
                };
                if events.send(event).is_err() {
                    return;
                }
            }
        } else {
            // A closed stdin just means no keys: keep watching files.
            for byte in std::io::stdin().lock().bytes().map_while(|b| b.ok()) {
                let c = (byte as char).to_ascii_lowercase();
                if !c.is_ascii_alphabetic() {
                    continue;
                }
                if events.send(Event::Key(c)).is_err() {
                    return;
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_local_folder_gets_os_events() {
        let here = std::env::current_dir().expect("a current folder");
        assert!(!super::events_may_not_arrive(&here));
    }
}
