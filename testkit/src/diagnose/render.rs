//! The diagnosis as text: one entry per thread, then what the threads do to each other.
//!
//! The text has no blank line, because readers of libtest's output (the checker) take a panic
//! message to end at the first one.

use super::analysis::{Analysis, Doing, Finding, Place};
use super::classify::Wait;
use super::{CONCLUSION, HEADER};
use std::fmt::Write;

/// How the text says where the stacks came from.
pub enum Source {
    Gdb,
    /// The stacks' memory, named by addr2line, and why not gdb.
    Scan(String),
    /// /proc alone, and why.
    Proc(String),
}

pub fn render(analysis: &Analysis, source: &Source) -> String {
    let mut out = match source {
        Source::Gdb => format!("{HEADER}:"),
        Source::Scan(why) => {
            format!(
                "{HEADER} (read from the stacks' memory, as {why}: the places are likely, not certain):"
            )
        }
        Source::Proc(why) => {
            format!("{HEADER} (from /proc only, as {why}: no file or line for the waits):")
        }
    };
    if analysis.findings.is_empty() {
        out.push_str("\n- no thread is in this package's code");
    }
    for finding in &analysis.findings {
        out.push('\n');
        out.push_str(&entry(analysis, finding));
    }
    for conclusion in conclusions(analysis, source) {
        let _ = write!(out, "\n{CONCLUSION}{conclusion}");
    }
    out
}

fn entry(analysis: &Analysis, finding: &Finding) -> String {
    let name = &analysis.names[&finding.tid].long;
    let mut out = format!("- {name} {}", doing(&finding.doing));
    let mut places = finding.places.iter();
    if let Some(place) = places.next() {
        let _ = write!(out, " at {}", quoted(place));
    }
    for place in places {
        let _ = write!(out, "\n    called from {}", quoted(place));
    }
    if let Some((held, _)) = &finding.held {
        let _ = write!(out, "\n    it holds the lock taken at {}", quoted(held));
    }
    if let Some(holders) = analysis.holders.get(&finding.tid).filter(|h| !h.is_empty()) {
        let _ = write!(
            out,
            "\n    the lock it waits for is held by {}",
            list(holders.iter().map(|&tid| analysis.short(tid)))
        );
    } else if analysis.holder_unknown.contains(&finding.tid)
        && matches!(&finding.doing, Doing::Waits(wait) if wait.lock_method().is_some())
    {
        out.push_str("\n    which thread holds the lock it waits for is not known");
    }
    if let Some(&joined) = analysis.joins.get(&finding.tid) {
        let _ = write!(out, "\n    {}", joined_thread(analysis, finding, joined));
    }
    match finding.doing {
        Doing::Running => out.push_str("\n    it waits for nothing: a loop that never ends?"),
        Doing::Waits(Wait::RuntimeIdle) => out.push_str(
            "\n    every task and future on it waits, and nothing will wake one. A waiting future \
             is on no thread's stack, so no line can be shown: look at what each `.await` \
             waits for.",
        ),
        Doing::Waits(Wait::Print) => out.push_str(
            "\n    a print inside a loop that never ends? Printing also slows the loop down, \
             and the test holds all it prints in memory.",
        ),
        _ => {}
    }
    out
}

fn doing(doing: &Doing) -> String {
    match doing {
        Doing::Running => "is running, not blocked,".to_string(),
        Doing::Waits(wait) => wait.phrase().to_string(),
        Doing::Futex => "waits on a futex (a lock, a Condvar, a channel or a join)".to_string(),
        Doing::RuntimeFutex => "runs an async runtime and waits on a futex: most likely the \
             runtime is idle, every future waiting for a wake-up that never comes (unless a \
             blocking call, such as a std lock or channel, stopped the thread)"
            .to_string(),
        Doing::Sleeps => "sleeps".to_string(),
        Doing::Blocked(wchan) => kernel_wait(wchan).to_string(),
    }
}

/// What a thread blocked in the kernel function `wchan` waits for, in words a learner can act
/// on. The kernel's own names (`lock_mm_and_find_vma`, `ptrace_stop`...) mean nothing to one,
/// so the waits a learner's code does not cause are only said to be in the kernel.
fn kernel_wait(wchan: &str) -> &'static str {
    const WAITS: &[(&[&str], &str)] = &[
        (
            &["pipe_write", "pipe_wait_writable", "anon_pipe_write"],
            "waits to write to a pipe that is full: nobody reads what it writes",
        ),
        (
            &["pipe_read", "pipe_wait_readable", "anon_pipe_read"],
            "waits to read from a pipe that nothing writes to",
        ),
        (
            &["do_wait", "kernel_wait4", "do_waitid"],
            "waits for a child process to end",
        ),
        (
            &["n_tty_read", "tty_read"],
            "waits to read from the terminal (stdin)",
        ),
        (
            &[
                "sk_wait_data",
                "inet_csk_accept",
                "unix_stream_read_generic",
                "unix_wait_for_peer",
                "tcp_recvmsg",
                "sock_alloc_send_pskb",
            ],
            "waits on a socket: for a connection or for data",
        ),
        (
            &[
                "do_epoll_wait",
                "ep_poll",
                "do_sys_poll",
                "do_select",
                "core_sys_select",
            ],
            "waits for input or output (poll, select or epoll)",
        ),
        (
            &["hrtimer_nanosleep", "do_nanosleep", "clock_nanosleep"],
            "sleeps",
        ),
    ];
    WAITS
        .iter()
        .find(|(functions, _)| functions.contains(&wchan))
        .map_or("is in the kernel", |(_, words)| words)
}

fn joined_thread(analysis: &Analysis, finding: &Finding, joined: u32) -> String {
    let who = analysis.short(joined);
    let probably = if finding.doing == Doing::Futex {
        "probably "
    } else {
        ""
    };
    match analysis.finding(joined) {
        Some(target) => format!(
            "it {probably}joins {who}, which {}{}",
            doing(&target.doing).trim_end_matches(','),
            target
                .places
                .first()
                .map(|place| format!(" at {}:{}", place.file, place.line))
                .unwrap_or_default()
        ),
        None => format!("it {probably}joins {who}"),
    }
}

fn conclusions(analysis: &Analysis, source: &Source) -> Vec<String> {
    let mut out: Vec<String> = analysis
        .cycles()
        .iter()
        .map(|cycle| lock_cycle(analysis, cycle, source))
        .collect();
    for finding in &analysis.findings {
        if let Some(conclusion) = self_deadlock(analysis, finding) {
            out.push(conclusion);
        }
    }
    let mut receives: Vec<&Place> = analysis
        .findings
        .iter()
        .filter(|finding| finding.doing == Doing::Waits(Wait::Receive))
        .filter_map(|finding| finding.places.first())
        .collect();
    receives.dedup();
    for place in receives {
        out.push(format!(
            "the receive at {} never ends: a Sender of its channel is still alive. A receiving \
             loop ends only when every Sender has been dropped.",
            quoted(place)
        ));
    }
    out
}

/// "teller-0 holds the lock taken at src/lib.rs:12 and waits at src/lib.rs:14; teller-1 ...:
/// a lock-order cycle".
fn lock_cycle(analysis: &Analysis, cycle: &[u32], source: &Source) -> String {
    let parts: Vec<String> = cycle
        .iter()
        .enumerate()
        .map(|(i, &tid)| {
            let name = analysis.short(tid);
            let next = analysis.short(cycle[(i + 1) % cycle.len()]);
            match analysis
                .finding(tid)
                .and_then(|f| Some((f, f.held.as_ref()?)))
            {
                Some((finding, (held, waits))) => format!(
                    "{name} holds the lock taken at {} and waits at {}",
                    at(held),
                    at(&finding.places[*waits])
                ),
                None => format!("{name} waits for a lock that {next} holds"),
            }
        })
        .collect();
    let probably = match source {
        // Read from memory, the frames are likely; the cycle is the locks' own.
        Source::Gdb | Source::Scan(_) => "",
        Source::Proc(_) => "probably ",
    };
    format!(
        "{}: {probably}a lock-order cycle. Each thread waits for a lock that the next one holds, \
         so none of them ever gets it: take the locks in one global order.",
        parts.join("; ")
    )
}

/// A thread that waits for a lock nobody else holds, after taking one in the same function.
fn self_deadlock(analysis: &Analysis, finding: &Finding) -> Option<String> {
    let (held, waits) = finding.held.as_ref()?;
    if !analysis.holders.get(&finding.tid)?.is_empty()
        || analysis.holder_unknown.contains(&finding.tid)
    {
        return None;
    }
    let name = analysis.short(finding.tid);
    Some(format!(
        "probably a self-deadlock: {name} waits at {} for a lock that no other thread holds, \
         after it took one at {}. If both are the same Mutex, {name} waits for itself: a std \
         Mutex is not re-entrant.",
        at(&finding.places[*waits]),
        at(held)
    ))
}

fn at(place: &Place) -> String {
    format!("{}:{}", place.file, place.line)
}

fn quoted(place: &Place) -> String {
    match &place.text {
        Some(text) => format!("{}: `{text}`", at(place)),
        None => at(place),
    }
}

fn list(names: impl Iterator<Item = String>) -> String {
    names.collect::<Vec<_>>().join(" and ")
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;
