use capstone_crawler::{Page, crawl};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;
use testkit::{STEP_LIMIT, within_or_explain};

const TERMINATION_HINT: &str = "the crawl never finished. A worker looping over the work \
     channel waits until the channel closes, but every worker holds a Sender to queue the \
     links it finds, so it never closes. An empty queue is not the end either: a worker may be \
     fetching a page whose links are not queued yet. Count the pages that are queued or being \
     fetched; the worker that brings the count to zero knows the crawl is over and must tell \
     every worker to stop (for example with one stop message per worker).";

/// An in-memory web: page -> the pages it links to. A page with no entry has no links.
type Web = HashMap<Page, Vec<Page>>;

/// What the test's fetch callback saw during one crawl.
struct Record {
    visited: HashSet<Page>,
    visits: HashMap<Page, usize>,
    fetch_threads: HashSet<ThreadId>,
    still_fetching: usize,
}

/// Crawls `web` from `start` with `workers` threads, under a time limit, recording every fetch.
///
/// If `gate` is given, the first `gate.0` fetches of pages in `gate.1` wait for each other at
/// a barrier: they can only finish if that many workers fetch at the same time. The fetch of
/// `start` then also pauses for a moment, so that a worker that quits whenever it finds the
/// queue empty has quit before the gated pages are queued. (A correct crawl just waits: the
/// pause never decides whether it passes.)
fn recorded_crawl(
    what: &str,
    web: Web,
    start: Page,
    workers: usize,
    gate: Option<(usize, HashSet<Page>)>,
) -> Record {
    let hint = if gate.is_some() {
        format!(
            "{TERMINATION_HINT} (In this test the first {workers} fetches of leaf pages also \
             wait for each other, so {workers} workers must be fetching at the same time. Do \
             all {workers} workers take pages from the same queue, and do they all stay until \
             the crawl is over, even while the queue is momentarily empty?)"
        )
    } else {
        TERMINATION_HINT.to_string()
    };
    within_or_explain(STEP_LIMIT, what, &hint, move || {
        let visits = Mutex::new(HashMap::<Page, usize>::new());
        let fetch_threads = Mutex::new(HashSet::new());
        let fetching = AtomicUsize::new(0);
        let gate = gate.map(|(n, pages)| (Barrier::new(n), AtomicUsize::new(n), pages));

        let visited = crawl(start, workers, |page| {
            fetching.fetch_add(1, Ordering::SeqCst);
            *visits.lock().unwrap().entry(page).or_default() += 1;
            fetch_threads.lock().unwrap().insert(thread::current().id());
            if page == start && gate.is_some() {
                thread::sleep(Duration::from_millis(50));
            }
            if let Some((barrier, waiting_left, pages)) = &gate {
                let take_a_place = |left: usize| left.checked_sub(1);
                if pages.contains(&page)
                    && waiting_left
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, take_a_place)
                        .is_ok()
                {
                    barrier.wait();
                }
            }
            let links = web.get(&page).cloned().unwrap_or_default();
            fetching.fetch_sub(1, Ordering::SeqCst);
            links
        });

        Record {
            visited,
            visits: visits.into_inner().unwrap(),
            fetch_threads: fetch_threads.into_inner().unwrap(),
            still_fetching: fetching.load(Ordering::SeqCst),
        }
    })
}

/// The pages reachable from `start`, found the slow, sequential way.
fn reachable(web: &Web, start: Page) -> HashSet<Page> {
    let mut seen = HashSet::from([start]);
    let mut queue = VecDeque::from([start]);
    while let Some(page) = queue.pop_front() {
        for &link in web.get(&page).map(Vec::as_slice).unwrap_or_default() {
            if seen.insert(link) {
                queue.push_back(link);
            }
        }
    }
    seen
}

/// Checks one crawl: every reachable page fetched exactly once, nothing else fetched, and the
/// right set returned.
fn check(what: &str, web: &Web, start: Page, workers: usize, record: &Record) {
    let expected = reachable(web, start);

    let mut twice: Vec<_> = record
        .visits
        .iter()
        .filter(|&(_, &n)| n > 1)
        .map(|(page, n)| (*page, *n))
        .collect();
    twice.sort_unstable();
    twice.truncate(5);
    assert!(
        twice.is_empty(),
        "{what}: some pages were fetched more than once (page, times), e.g. {twice:?}. Check \
         and mark a page as seen in one step under the lock (`HashSet::insert` returns whether \
         it was new), before queueing it"
    );

    let mut missed: Vec<_> = expected
        .iter()
        .filter(|page| !record.visits.contains_key(page))
        .copied()
        .collect();
    missed.sort_unstable();
    let missed_count = missed.len();
    missed.truncate(5);
    assert!(
        missed.is_empty(),
        "{what}: {missed_count} reachable pages were never fetched, e.g. {missed:?}. Did the \
         crawl stop while a worker was still fetching a page whose links were not queued yet?"
    );

    let mut strays: Vec<_> = record
        .visits
        .keys()
        .filter(|page| !expected.contains(page))
        .copied()
        .collect();
    strays.sort_unstable();
    strays.truncate(5);
    assert!(
        strays.is_empty(),
        "{what}: pages that cannot be reached from page {start} were fetched, e.g. {strays:?}: \
         only follow links found on fetched pages"
    );

    assert_eq!(
        record.visited, expected,
        "{what}: `crawl` should return exactly the set of pages reachable from page {start}"
    );
    assert_eq!(
        record.still_fetching, 0,
        "{what}: `crawl` returned while a worker was still inside `fetch`: it must return only \
         after every worker has finished"
    );
    assert!(
        record.fetch_threads.len() <= workers,
        "{what}: {} different threads called `fetch`, but the crawl was given {workers} \
         workers: spawn the workers once, and let them loop over the work queue",
        record.fetch_threads.len()
    );
}

fn crawl_and_check(what: &str, web: Web, start: Page, workers: usize) {
    let record = recorded_crawl(what, web.clone(), start, workers, None);
    check(what, &web, start, workers, &record);
}

#[test]
fn small_and_cyclic_graphs_are_crawled_once_each() {
    // A lone page with no links at all, and more workers than pages.
    crawl_and_check("a single page, 8 workers", Web::new(), 7, 8);

    // A page that only links to itself.
    crawl_and_check(
        "a page linking to itself, 3 workers",
        Web::from([(1, vec![1])]),
        1,
        3,
    );

    // The start page has no links, although other pages link to it.
    crawl_and_check(
        "a start page without links, 1 worker",
        Web::from([(2, vec![1]), (3, vec![2, 1])]),
        1,
        1,
    );

    // A ring 0 -> 1 -> ... -> 9 -> 0 with shortcuts back, a self-loop, and a diamond that
    // leads back into the ring. Pages 100 and 101 link into the ring, but nothing links to
    // them: they must never be fetched.
    let mut web: Web = (0..10).map(|p| (p, vec![(p + 1) % 10])).collect();
    web.get_mut(&3).unwrap().extend([3, 0]);
    web.get_mut(&7).unwrap().extend([2, 5]);
    web.get_mut(&2).unwrap().extend([20, 21]);
    web.insert(20, vec![22]);
    web.insert(21, vec![22, 20]);
    web.insert(22, vec![0, 9]);
    web.insert(100, vec![101, 5]);
    web.insert(101, vec![100, 0]);
    crawl_and_check("a graph full of cycles, 3 workers", web, 0, 3);
}

#[test]
fn a_chain_of_2000_pages_is_followed_to_its_end() {
    // 0 -> 1 -> ... -> 1999, and the last page links back to the first. Only one page is ever
    // in the queue, so the queue is empty most of the time while the crawl is far from over.
    let mut web: Web = (0..1999).map(|p| (p, vec![p + 1])).collect();
    web.insert(1999, vec![0]);
    // A few pages off to the side, linking into the chain: unreachable.
    for p in 5000..5010 {
        web.insert(p, vec![p + 1, 1000]);
    }
    crawl_and_check("a chain of 2000 pages, 4 workers", web, 0, 4);
}

#[test]
fn a_wide_fan_out_keeps_every_worker_busy_and_ends() {
    const LEAVES: Page = 600;
    const WORKERS: usize = 4;
    // A hub linking to 600 leaves; each leaf links back to the hub and on to the next leaf.
    let mut web: Web = (1..=LEAVES)
        .map(|leaf| (leaf, vec![0, leaf % LEAVES + 1]))
        .collect();
    web.insert(0, (1..=LEAVES).collect());
    let leaves: HashSet<Page> = (1..=LEAVES).collect();

    let what = "a hub with 600 leaves, 4 workers";
    let record = recorded_crawl(what, web.clone(), 0, WORKERS, Some((WORKERS, leaves)));
    check(what, &web, 0, WORKERS, &record);
    assert_eq!(
        record.fetch_threads.len(),
        WORKERS,
        "{what}: expected exactly {WORKERS} threads to fetch pages"
    );
}
