//! Exercise 23 (capstone): crawl a link graph with a pool of worker threads.
//!
//! There is no network here: a "fetch" is a function from a page to the pages it links to,
//! and the tests pass in one that reads an in-memory graph (and counts every visit).
//! See README.md for the lesson.

use crossbeam_channel::unbounded;
use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// A page is known by its number.
pub type Page = u32;

/// What travels on the work channel: a page to fetch, or the order to stop.
enum Job {
    Fetch(Page),
    Stop,
}

/// Crawls everything reachable from `start`, using exactly `workers` threads to fetch pages,
/// and returns the set of pages it visited.
///
/// - `fetch(page)` returns the pages that `page` links to. It may be called from any of the
///   worker threads, but **at most once per page**: visiting a page twice is a bug.
/// - Every page reachable from `start` (including `start`) is fetched; no other page is.
/// - Pages are fetched by `workers` threads at the same time (not by the calling thread).
/// - It returns once the crawl is complete: nothing left to fetch, and no worker still
///   fetching. By then every worker thread has finished.
///
/// # Panics
///
/// If `workers` is 0.
pub fn crawl<F>(start: Page, workers: usize, fetch: F) -> HashSet<Page>
where
    F: Fn(Page) -> Vec<Page> + Sync,
{
    assert!(workers > 0, "a crawl needs at least one worker");

    // Every page ever queued. `insert` returns false for a page already seen, so each page
    // is queued, and fetched, once.
    let visited = Mutex::new(HashSet::from([start]));
    // The frontier: pages waiting for a worker. A crossbeam channel has clonable receivers,
    // so all the workers can take from one queue.
    let (work_tx, work_rx) = unbounded::<Job>();
    // Pages queued or being fetched right now. The crawl is over exactly when this is zero:
    // the queue alone cannot tell, because a page being fetched may still add links to it.
    let pending = AtomicUsize::new(1);
    work_tx
        .send(Job::Fetch(start))
        .expect("the receiver is alive");

    thread::scope(|s| {
        for _ in 0..workers {
            let work_tx = work_tx.clone();
            let work_rx = work_rx.clone();
            let (visited, fetch, pending) = (&visited, &fetch, &pending);
            s.spawn(move || {
                while let Ok(Job::Fetch(page)) = work_rx.recv() {
                    let links = fetch(page);
                    // This page is fetched: it is no longer pending.
                    if pending.fetch_sub(1, Ordering::AcqRel) == 1 {
                        for _ in 0..workers {
                            work_tx.send(Job::Stop).expect("the receiver is alive");
                        }
                    }
                    for link in links {
                        if visited.lock().unwrap().insert(link) {
                            // Count the link before it is queued, so the count can never
                            // reach zero while the link waits in the channel.
                            pending.fetch_add(1, Ordering::AcqRel);
                            work_tx
                                .send(Job::Fetch(link))
                                .expect("the receiver is alive");
                        }
                    }
                }
            });
        }
    });

    visited.into_inner().unwrap()
}
