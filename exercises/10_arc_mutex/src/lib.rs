//! A histogram that many threads count into at the same time.

use std::sync::Mutex;
use std::thread;

/// Counts in a fixed number of buckets, shared between threads.
///
/// What the tests expect: a clone is another handle to the **same** buckets, not a copy of
/// them. Whatever one handle records, every other handle sees at once, from any thread.
#[derive(Debug)]
pub struct Histogram {
    // TODO: every handle must point at ONE shared `Vec`. A `Mutex` alone cannot be shared by
    // handles that each own one; put it behind a shared owner as well.
    buckets: Mutex<Vec<u64>>,
}

impl Clone for Histogram {
    fn clone(&self) -> Self {
        // TODO: this copies the counts into a brand-new histogram, so whatever the clone
        // records is lost to everyone else. A clone must share the original's buckets.
        let copy = self
            .buckets
            .lock()
            .expect("a thread panicked while recording")
            .clone();
        Histogram {
            buckets: Mutex::new(copy),
        }
    }
}

impl Histogram {
    /// A histogram with `buckets` buckets, all at zero.
    pub fn new(buckets: usize) -> Self {
        // TODO: build the buckets to match the field's new type.
        Histogram {
            buckets: Mutex::new(vec![0; buckets]),
        }
    }

    /// Adds one to `bucket`. Panics if there is no such bucket.
    pub fn record(&self, bucket: usize) {
        let mut buckets = self
            .buckets
            .lock()
            .expect("a thread panicked while recording");
        buckets[bucket] += 1;
    }

    /// The counts right now, one per bucket.
    pub fn counts(&self) -> Vec<u64> {
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
