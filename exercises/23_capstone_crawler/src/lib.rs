//! Exercise 23 (capstone): crawl a link graph with a pool of worker threads.
//!
//! There is no network here: a "fetch" is a function from a page to the pages it links to,
//! and the tests pass in one that reads an in-memory graph (and counts every visit).
//! See README.md for the lesson.

use crossbeam_channel::unbounded;
use std::collections::HashSet;
use std::sync::Mutex;
use std::thread;

/// A page is known by its number.
pub type Page = u32;

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
    let (work_tx, work_rx) = unbounded::<Page>();
    work_tx.send(start).expect("the receiver is alive");

    thread::scope(|s| {
        for _ in 0..workers {
            let work_tx = work_tx.clone();
            let work_rx = work_rx.clone();
            let (visited, fetch) = (&visited, &fetch);
            s.spawn(move || {
                // TODO: the termination problem. This loop ends only when the channel is
                // closed, that is, when every `Sender` has been dropped. But every worker
                // holds a `Sender` (it needs one to queue the links it finds), so the channel
                // never closes and the crawl never ends. "The queue is empty" is not the end
                // either: a worker may be fetching a page right now whose links are not
                // queued yet. The crawl is over when the queue is empty AND no worker is busy.
                // Keep count of the pages queued or being fetched, and when it drops to zero,
                // tell every worker to stop.
                for page in work_rx.iter() {
                    for link in fetch(page) {
                        if visited.lock().unwrap().insert(link) {
                            work_tx.send(link).expect("the receiver is alive");
                        }
                    }
                }
            });
        }
        // The original sender is not needed once the workers have their clones.
        drop(work_tx);
    });

    visited.into_inner().unwrap()
}
