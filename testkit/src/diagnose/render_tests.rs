//! Tests of how a diagnosis reads.

use super::super::analysis::Name;
use super::*;
use std::collections::HashMap;

fn place(line: u32, text: &str) -> Place {
    Place {
        file: "src/lib.rs".into(),
        line,
        text: Some(text.into()),
    }
}

fn teller(tid: u32, called_from: u32) -> Finding {
    Finding {
        tid,
        doing: Doing::Waits(Wait::Lock),
        places: vec![
            place(14, "let _second = second.lock().unwrap();"),
            place(called_from, "transfer(&a, &b)"),
        ],
        held: Some((place(12, "let _first = first.lock().unwrap();"), 0)),
    }
}

fn named(tids: &[(u32, &str)]) -> HashMap<u32, Name> {
    tids.iter()
        .map(|&(tid, name)| {
            let name = Name {
                short: name.into(),
                long: name.into(),
            };
            (tid, name)
        })
        .collect()
}

#[test]
fn a_lock_order_cycle_names_both_lines_of_both_threads() {
    let analysis = Analysis {
        findings: vec![teller(7, 30), teller(9, 31)],
        names: named(&[(7, "teller-0"), (9, "teller-1")]),
        holders: [(7, vec![9]), (9, vec![7])].into(),
        holder_unknown: Default::default(),
        joins: HashMap::new(),
    };
    let text = render(&analysis, &Source::Gdb);
    assert_eq!(
        text,
        "where each thread waits:
- teller-0 waits for a lock at src/lib.rs:14: `let _second = second.lock().unwrap();`
    called from src/lib.rs:30: `transfer(&a, &b)`
    it holds the lock taken at src/lib.rs:12: `let _first = first.lock().unwrap();`
    the lock it waits for is held by teller-1
- teller-1 waits for a lock at src/lib.rs:14: `let _second = second.lock().unwrap();`
    called from src/lib.rs:31: `transfer(&a, &b)`
    it holds the lock taken at src/lib.rs:12: `let _first = first.lock().unwrap();`
    the lock it waits for is held by teller-0
=> teller-0 holds the lock taken at src/lib.rs:12 and waits at src/lib.rs:14; teller-1 holds \
the lock taken at src/lib.rs:12 and waits at src/lib.rs:14: a lock-order cycle. Each thread \
waits for a lock that the next one holds, so none of them ever gets it: take the locks in one \
global order."
    );
}

#[test]
fn a_lonely_lock_wait_after_a_lock_is_a_probable_self_deadlock() {
    let analysis = Analysis {
        findings: vec![teller(7, 30)],
        names: named(&[(7, "teller-0")]),
        holders: [(7, vec![])].into(),
        holder_unknown: Default::default(),
        joins: HashMap::new(),
    };
    let text = render(&analysis, &Source::Gdb);
    assert!(
        text.contains(
            "=> probably a self-deadlock: teller-0 waits at src/lib.rs:14 for a lock that no \
                 other thread holds, after it took one at src/lib.rs:12."
        ),
        "{text}"
    );
}

#[test]
fn a_lock_whose_holder_is_not_certain_says_so_and_names_nobody() {
    let mut waiter = teller(7, 30);
    waiter.held = None;
    let analysis = Analysis {
        findings: vec![waiter],
        names: named(&[(7, "reader")]),
        holders: [(7, vec![])].into(),
        holder_unknown: [7].into(),
        joins: HashMap::new(),
    };
    let text = render(&analysis, &Source::Gdb);
    assert!(
        text.contains("\n    which thread holds the lock it waits for is not known"),
        "{text}"
    );
    assert!(!text.contains("held by"), "{text}");
}

#[test]
fn kernel_waits_are_told_in_a_learners_words_or_not_at_all() {
    let blocked = |wchan: &str| Finding {
        tid: 5,
        doing: Doing::Blocked(wchan.into()),
        places: Vec::new(),
        held: None,
    };
    let analysis = Analysis {
        findings: vec![blocked("lock_mm_and_find_vma"), blocked("pipe_write")],
        names: named(&[(5, "total")]),
        holders: HashMap::new(),
        holder_unknown: Default::default(),
        joins: HashMap::new(),
    };
    let text = render(&analysis, &Source::Gdb);
    assert!(!text.contains("lock_mm_and_find_vma"), "{text}");
    assert!(!text.contains("pipe_write"), "{text}");
    assert!(text.contains("- total is in the kernel\n"), "{text}");
    assert!(
        text.contains("- total waits to write to a pipe that is full"),
        "{text}"
    );
}

#[test]
fn a_receive_that_never_ends_says_a_sender_is_alive() {
    let analysis = Analysis {
        findings: vec![Finding {
            tid: 3,
            doing: Doing::Waits(Wait::Receive),
            places: vec![place(47, "for reading in rx {")],
            held: None,
        }],
        names: named(&[(3, "collector")]),
        holders: HashMap::new(),
        holder_unknown: Default::default(),
        joins: HashMap::new(),
    };
    let text = render(&analysis, &Source::Proc("gdb is not installed".into()));
    assert!(text.starts_with(
        "where each thread waits (from /proc only, as gdb is not installed: no file or line \
             for the waits):\n- collector waits to receive from a channel at src/lib.rs:47: \
             `for reading in rx {`\n=> the receive at src/lib.rs:47: `for reading in rx {` never \
             ends: a Sender of its channel is still alive."
    ));
    assert!(!text.contains("\n\n"));
}
