//! A histogram that many threads count into at the same time.

use std::rc::Rc;
use std::sync::Mutex;
use std::thread;

/// Counts in a fixed number of buckets, shared between threads.
///
/// What the tests expect: a clone is another handle to the **same** buckets, not a copy of
/// them. Whatever one handle records, every other handle sees at once, from any thread.
// `derive(Clone)` clones the `Arc`: a new pointer to the same `Mutex`, and one more owner of it.
#[derive(Debug, Clone)]
pub struct Histogram {
    // `Arc` lets many handles (and threads) own the buckets together; `Mutex` lets them
    // change the buckets through those shared handles, one at a time.
    buckets: Rc<Mutex<Vec<u64>>>,
}

impl Histogram {
    /// A histogram with `buckets` buckets, all at zero.
    pub fn new(buckets: usize) -> Self {
        Histogram {
            buckets: Rc::new(Mutex::new(vec![0; buckets])),
        }
    }

    /// Adds one to `bucket`. Panics if there is no such bucket.
    pub fn record(&self, bucket: usize) {
        // The guard unlocks when it is dropped at the end of this call, so a thread holds the
        // lock for one increment only.
        let mut buckets = self
            .buckets
            .lock()
            .expect("a thread panicked while recording");
        buckets[bucket] += 1;
    }

    /// The counts right now, one per bucket.
    pub fn counts(&self) -> Vec<u64> {
        // A copy, so the caller holds no lock while it looks at the numbers.
        self.buckets
            .lock()
            .expect("a thread panicked while recording")
            .clone()
    }
}

/// How often each letter `a` to `z` appears in `texts`, ignoring case and everything that is
/// not an ASCII letter. Each text is counted by its own thread, and all threads record into
/// one shared [`Histogram`].
pub fn letter_counts(texts: Vec<String>) -> Vec<u64> {
    let histogram = Histogram::new(26);
    let workers: Vec<_> = texts
        .into_iter()
        .map(|text| {
            let histogram = histogram.clone();
            thread::spawn(move || {
                for byte in text.bytes().filter(u8::is_ascii_alphabetic) {
                    histogram.record(usize::from(byte.to_ascii_lowercase() - b'a'));
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a counting thread panicked");
    }
    histogram.counts()
}
