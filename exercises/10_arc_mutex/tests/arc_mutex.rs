use arc_mutex::{Histogram, letter_counts};
use std::sync::mpsc;
use std::thread;
use testkit::{STEP_LIMIT, within};

#[test]
fn a_clone_records_into_the_same_buckets() {
    let original = Histogram::new(3);
    let handle = original.clone();
    handle.record(1);
    handle.record(1);
    original.record(2);
    assert_eq!(
        original.counts(),
        vec![0, 2, 1],
        "the original does not see what its clone recorded: `clone` must give another handle to \
         the same buckets (clone an `Arc`), not a copy of the counts"
    );
    assert_eq!(
        handle.counts(),
        vec![0, 2, 1],
        "the clone does not see what the original recorded: both must share one set of buckets"
    );
}

#[test]
fn another_thread_sees_the_counts_while_the_recorder_still_runs() {
    let (seen, final_counts) = within(STEP_LIMIT, "a recorder and a reader", || {
        let histogram = Histogram::new(4);
        let (recorded_tx, recorded_rx) = mpsc::channel();
        let (finish_tx, finish_rx) = mpsc::channel::<()>();
        let recorder = {
            let histogram = histogram.clone();
            thread::spawn(move || {
                for _ in 0..5 {
                    histogram.record(3);
                }
                recorded_tx.send(()).unwrap();
                // Stay alive until the reader has looked, so the handle is not dropped yet.
                let _ = finish_rx.recv();
            })
        };
        recorded_rx
            .recv()
            .expect("the recording thread panicked (see its message above)");
        let seen = histogram.counts();
        finish_tx.send(()).unwrap();
        recorder.join().expect("the recording thread panicked");
        (seen, histogram.counts())
    });
    assert_eq!(
        seen,
        vec![0, 0, 0, 5],
        "a thread recorded 5 in bucket 3 through its clone, but this thread does not see them: \
         do all handles share one `Arc<Mutex<..>>`?"
    );
    assert_eq!(final_counts, vec![0, 0, 0, 5]);
}

#[test]
fn many_threads_lose_no_counts() {
    // 8 texts of 1000 letters each, from a simple deterministic mix.
    let texts: Vec<String> = (0..8u32)
        .map(|t| {
            (0..1000u32)
                .map(|i| char::from(b'a' + ((i * 7 + t * 3) % 26) as u8))
                .collect()
        })
        .collect();
    let mut expected = vec![0u64; 26];
    for text in &texts {
        for byte in text.bytes() {
            expected[usize::from(byte - b'a')] += 1;
        }
    }

    let counts = within(STEP_LIMIT, "counting letters in 8 threads", move || {
        letter_counts(texts)
    });
    let total: u64 = counts.iter().sum();
    assert_eq!(
        total, 8000,
        "8 threads recorded 1000 letters each, but the histogram holds {total}: the threads' \
         counts did not all land in the one histogram that `letter_counts` returns"
    );
    assert_eq!(
        counts, expected,
        "some letters were counted in the wrong bucket"
    );
}

#[test]
fn case_and_punctuation_are_ignored() {
    let counts = within(STEP_LIMIT, "counting letters", || {
        letter_counts(vec!["Abc, ABC!".to_string(), "zz 42".to_string()])
    });
    let total: u64 = counts.iter().sum();
    assert_eq!(
        total, 8,
        "2 threads recorded 8 letters in all, but the histogram holds {total}: the threads' counts \
         did not all land in the one histogram that `letter_counts` returns (does each thread \
         record into a clone of it?)"
    );
    let mut expected = vec![0u64; 26];
    expected[0] = 2;
    expected[1] = 2;
    expected[2] = 2;
    expected[25] = 2;
    assert_eq!(
        counts, expected,
        "expected a, b, c and z twice each, and nothing else"
    );
}
