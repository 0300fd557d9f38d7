use capstone_crawler::{Page, crawl};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Condvar, Mutex, PoisonError};
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

/// Something a test's fetch does before it returns the links (see [`recorded_crawl`]).
type Hook = Box<dyn Fn(Page) + Send + Sync>;

/// Crawls `web` from `start` with `workers` threads, under a time limit, recording every fetch.
/// Each fetch calls `hook(page)` (if any) before it returns the page's links; the hook may
/// block, to force a schedule.
fn recorded_crawl(
    what: &str,
    hint: &str,
    web: Web,
    start: Page,
    workers: usize,
    hook: Option<Hook>,
) -> Record {
    within_or_explain(STEP_LIMIT + SCOUT_HOLD, what, hint, move || {
        let visits = Mutex::new(HashMap::<Page, usize>::new());
        let fetch_threads = Mutex::new(HashSet::new());
        let fetching = AtomicUsize::new(0);

        let visited = crawl(start, workers, |page| {
            fetching.fetch_add(1, Ordering::SeqCst);
            *visits.lock().unwrap().entry(page).or_default() += 1;
            fetch_threads.lock().unwrap().insert(thread::current().id());
            if let Some(hook) = &hook {
                hook(page);
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

/// The first `n` fetches of pages in `pages` wait for each other at a barrier: they can only
/// all return if `n` workers fetch at the same time. Later fetches of those pages pass.
struct Gate {
    pages: HashSet<Page>,
    places_left: AtomicUsize,
    barrier: Barrier,
}

impl Gate {
    fn new(n: usize, pages: impl IntoIterator<Item = Page>) -> Gate {
        Gate {
            pages: pages.into_iter().collect(),
            places_left: AtomicUsize::new(n),
            barrier: Barrier::new(n),
        }
    }

    fn pass(&self, page: Page) {
        let take_a_place = |left: usize| left.checked_sub(1);
        if self.pages.contains(&page)
            && self
                .places_left
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, take_a_place)
                .is_ok()
        {
            self.barrier.wait();
        }
    }
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
    let record = recorded_crawl(what, TERMINATION_HINT, web.clone(), start, workers, None);
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

/// How long the last scout of [`a_wide_fan_out_keeps_every_worker_busy_and_ends`] waits for
/// the other workers to quit. A worker that quits when it finds the queue empty does so at
/// once, so the wait ends early and the test sees it. A correct worker never quits there, and
/// this pause only makes its crawl slower: it never decides whether a correct crawl passes.
const SCOUT_HOLD: Duration = Duration::from_millis(300);

/// Counts the worker threads that have ended: lives in a worker's thread-local storage, so it
/// is dropped when that thread ends.
struct ExitCount(Arc<(Mutex<usize>, Condvar)>);

impl Drop for ExitCount {
    fn drop(&mut self) {
        let (ended, changed) = &*self.0;
        *ended.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        changed.notify_all();
    }
}

thread_local! {
    static EXIT_COUNT: RefCell<Option<ExitCount>> = const { RefCell::new(None) };
}

#[test]
fn a_wide_fan_out_keeps_every_worker_busy_and_ends() {
    const LEAVES: Page = 600;
    const WORKERS: usize = 4;
    const START: Page = 1000;
    const SCOUTS: [Page; WORKERS] = [1001, 1002, 1003, 1004];
    // The start page links to 4 scouts. The last scout leads to a hub (page 0) that links to
    // 600 leaves; each leaf links back to the hub and on to the next leaf.
    let mut web: Web = (1..=LEAVES)
        .map(|leaf| (leaf, vec![0, leaf % LEAVES + 1]))
        .collect();
    web.insert(0, (1..=LEAVES).collect());
    web.insert(START, SCOUTS.to_vec());
    web.insert(SCOUTS[WORKERS - 1], vec![0]);

    // The 4 scouts are fetched at the same time, by all 4 workers. Then the first three return
    // no links while the last one holds on: the queue is empty, and one worker is busy. A
    // worker must not quit now. When the last scout returns, the hub's 600 leaves follow, and
    // the first 4 leaf fetches wait for each other: 4 workers must still be there.
    let scouts = Gate::new(WORKERS, SCOUTS);
    let leaves = Gate::new(WORKERS, 1..=LEAVES);
    let ended = Arc::new((Mutex::new(0), Condvar::new()));
    let hook: Hook = Box::new(move |page| {
        if SCOUTS.contains(&page) {
            EXIT_COUNT.with(|slot| {
                slot.borrow_mut()
                    .get_or_insert_with(|| ExitCount(Arc::clone(&ended)));
            });
            scouts.pass(page);
            if page == SCOUTS[WORKERS - 1] {
                let (count, changed) = &*ended;
                let count = count.lock().unwrap_or_else(PoisonError::into_inner);
                let _ = changed.wait_timeout_while(count, SCOUT_HOLD, |n| *n < WORKERS - 1);
            }
        }
        leaves.pass(page);
    });

    let what = "a hub with 600 leaves, 4 workers";
    let hint = format!(
        "not all {WORKERS} workers were fetching at the same time: do workers quit when they find \
         the queue empty while another worker is still fetching? An empty queue is not the end \
         while a page is being fetched: its links are about to arrive, and every worker must \
         still be there to take them. (The first {WORKERS} fetches of the scout pages, and later \
         of the leaf pages, wait for each other here, so {WORKERS} workers must take pages from \
         the same queue and fetch at the same time; and the crawl must end by itself.)"
    );
    let record = recorded_crawl(what, &hint, web.clone(), START, WORKERS, Some(hook));
    check(what, &web, START, WORKERS, &record);
    assert_eq!(
        record.fetch_threads.len(),
        WORKERS,
        "{what}: expected exactly {WORKERS} threads to fetch pages"
    );
}

#[test]
fn pages_linked_twice_are_fetched_once() {
    // The start page lists page 3 twice (real pages often do), then page 4. The first fetch of
    // page 3 waits until page 4 is being fetched. So if page 3 was queued twice, the second
    // copy is taken from the queue while the first is still being fetched.
    let web = Web::from([(0, vec![3, 3, 4]), (3, vec![5]), (4, vec![5])]);
    let gate = Gate::new(2, [3, 4]);
    let hook: Hook = Box::new(move |page| gate.pass(page));
    let what = "a page that links to page 3 twice, 2 workers";
    let record = recorded_crawl(what, TERMINATION_HINT, web.clone(), 0, 2, Some(hook));
    check(what, &web, 0, 2, &record);
}
