//! Every test runs on one thread with a paused tokio clock (`testkit_async::within_async`), so the
//! office's slow steps take virtual time, the same way on every run. A task that blocks that
//! one thread stops every other task: the test then times out, and its message says why.

use async_shared_state::{AuditLog, Hasher, PRINTER_STEP, Printer, Service};
use std::collections::BTreeSet;
use std::time::Duration;
use testkit::STEP_LIMIT;
use testkit_async::within_async_or_explain;
use tokio::time::Instant;

const WRITE_TAKES: Duration = Duration::from_secs(1);

const STD_GUARD_HINT: &str = "the runtime's only thread got stuck: is a `std::sync::MutexGuard` \
     held across an `.await`? The task waits at the `.await` with the lock still held, and the \
     next task on this thread then blocks in `lock()` forever. End the guard's life (a block, \
     or `drop(guard)`) before you await; if the lock must be held across an `.await`, use \
     `tokio::sync::Mutex`, whose `lock().await` waits without blocking the thread";

fn service(audit: &AuditLog, printer: Printer, hasher: Hasher) -> Service {
    Service::new(audit.clone(), printer, hasher)
}

#[test]
fn checksum_runs_while_other_tasks_keep_going() {
    let data: Vec<u8> = (0..=255).cycle().take(10_000).collect();
    let expected = Hasher::new().checksum(&data);
    let sum = within_async_or_explain(
        STEP_LIMIT,
        "checksum beside another task",
        "the runtime's only thread is stuck inside `Hasher::checksum`, which blocks the thread \
         that calls it, so no other task can run (here: the one that would let the checksum \
         finish). Blocking or CPU-heavy work on an async task stops every task on that thread. \
         Run it with `tokio::task::spawn_blocking(move || ...)` and `.await` its JoinHandle \
         (a `tokio::spawn` runs it on the same threads, and blocks them just the same). See the TODO in `Service::checksum`",
        move || async move {
            let (hasher, gate) = Hasher::gated();
            let service = service(&AuditLog::new(WRITE_TAKES), Printer::new(), hasher);
            let other_task = async {
                // Runs only if the checksum left the runtime's thread free.
                gate.started().await;
                gate.open();
            };
            let (sum, ()) = tokio::join!(service.checksum(data), other_task);
            sum
        },
    );
    assert_eq!(
        sum, expected,
        "checksum returned a wrong value: return what `Hasher::checksum` computes for the data"
    );
}

#[test]
fn print_jobs_never_mix_their_pages() {
    let (tray, took) = within_async_or_explain(
        STEP_LIMIT,
        "two print jobs at once",
        STD_GUARD_HINT,
        || async {
            let printer = Printer::new();
            let tray = printer.tray();
            let service = service(&AuditLog::new(WRITE_TAKES), printer, Hasher::new());
            let start = Instant::now();
            tokio::join!(
                service.print("faq", &["f1", "f2", "f3"]),
                service.print("news", &["n1", "n2"]),
            );
            (tray, start.elapsed())
        },
    );
    let mix_ups = tray.mix_ups();
    assert!(
        mix_ups.is_empty(),
        "the steps of two print jobs were mixed up: {}. The printer must be locked for a whole \
         job (begin, every page, end), not for each step: take one `tokio::sync::Mutex` guard \
         before `begin` and keep it until after `end`. A tokio guard may be held across an \
         `.await`. Printed: {:?}",
        mix_ups[0],
        tray.printed()
    );
    let faq = ["begin faq", "page f1", "page f2", "page f3", "end"];
    let news = ["begin news", "page n1", "page n2", "end"];
    let printed = tray.printed();
    let one_order: Vec<&str> = faq.iter().chain(&news).copied().collect();
    let other_order: Vec<&str> = news.iter().chain(&faq).copied().collect();
    assert!(
        printed == one_order || printed == other_order,
        "both jobs should be printed whole, one after the other, each step once: got {printed:?}"
    );
    assert_eq!(
        took,
        PRINTER_STEP * 9,
        "printing two jobs of 9 steps in all should take 9 printer steps"
    );
}

#[test]
fn views_are_counted_and_audited_at_the_same_time() {
    let audit = AuditLog::new(WRITE_TAKES);
    let (counts, took) = within_async_or_explain(
        STEP_LIMIT,
        "three views recorded at once",
        STD_GUARD_HINT,
        {
            let audit = audit.clone();
            move || async move {
                let service = service(&audit, Printer::new(), Hasher::new());
                let start = Instant::now();
                let (a, b, c) = tokio::join!(
                    service.record_view("faq"),
                    service.record_view("faq"),
                    service.record_view("faq"),
                );
                ([a, b, c], start.elapsed())
            }
        },
    );
    let returned: BTreeSet<u64> = counts.iter().copied().collect();
    assert_eq!(
        returned,
        BTreeSet::from([1, 2, 3]),
        "three views of one document were recorded at the same time, so they should return \
         the counts 1, 2 and 3 (in any order), but they returned {counts:?}: an update was \
         lost. Read and increment the count under one lock, in one go; a count read before an \
         `.await` and stored after it overwrites what the other tasks did meanwhile"
    );
    let most = audit.most_writes_at_once();
    assert_eq!(
        most, 3,
        "the three audit writes ran one at a time (at most {most} at once), so three views took \
         {took:?} instead of one write's {WRITE_TAKES:?}: a lock on the counts was held across \
         `audit.write(..).await`, and every other view waited for it. Update the counts, let \
         the guard go, and only then await the audit write. (A `tokio::sync::Mutex` held \
         across a slow `.await` serialises every task that needs it.)"
    );
    let mut entries = audit.entries();
    entries.sort();
    assert_eq!(
        entries,
        vec![
            ("faq".to_string(), 1),
            ("faq".to_string(), 2),
            ("faq".to_string(), 3)
        ],
        "each view should write its own new count to the audit log, once"
    );
}

#[test]
fn views_of_different_documents_are_counted_apart() {
    let audit = AuditLog::new(WRITE_TAKES);
    let counts = within_async_or_explain(STEP_LIMIT, "views of two documents", STD_GUARD_HINT, {
        let audit = audit.clone();
        move || async move {
            let service = service(&audit, Printer::new(), Hasher::new());
            let mut counts = Vec::new();
            for doc in ["faq", "news", "faq", "faq", "news"] {
                counts.push(service.record_view(doc).await);
            }
            counts
        }
    });
    assert_eq!(
        counts,
        vec![1, 1, 2, 3, 2],
        "each document has a count of its own, starting at 1"
    );
}
