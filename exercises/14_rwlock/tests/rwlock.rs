use std::sync::{Arc, Barrier};
use std::thread;

use rwlock::PriceList;
use testkit::{STEP_LIMIT, within, within_or_explain};

const READERS: usize = 4;

const SET_HINT: &str = "`set` never returned, on a list that no other thread uses: does \
     `write_with` ask for the write lock while this thread still holds a read guard? A read lock \
     cannot be upgraded: the writer waits for every reader to leave, itself included, forever.";

/// A new list with one product in it, set through `write_with`.
fn list_with(product: &'static str, cents: u64) -> Arc<PriceList> {
    within_or_explain(STEP_LIMIT, "set on a new list", SET_HINT, move || {
        let list = Arc::new(PriceList::new());
        assert_eq!(
            list.set(product, cents),
            None,
            "`set` of a new product returns None"
        );
        list
    })
}

#[test]
fn readers_hold_the_lock_at_the_same_time() {
    let list = list_with("tea", 250);
    let readers_inside = within_or_explain(
        STEP_LIMIT,
        "4 readers meeting inside read_with",
        "readers could not hold the lock at the same time: each reader waits inside \
         `read_with` for the other three, but only one of them got in. Is the list behind a \
         Mutex, or does `read_with` take the write lock? An RwLock's read lock lets any number \
         of readers in together.",
        move || {
            // Every reader waits here, inside its read section, until all of them have arrived.
            let all_inside = Arc::new(Barrier::new(READERS));
            let readers: Vec<_> = (0..READERS)
                .map(|_| {
                    let list = Arc::clone(&list);
                    let all_inside = Arc::clone(&all_inside);
                    thread::spawn(move || {
                        list.read_with(|prices| {
                            all_inside.wait();
                            prices.get("tea").copied()
                        })
                    })
                })
                .collect();
            readers
                .into_iter()
                .map(|reader| reader.join().expect("a reader thread panicked"))
                .collect::<Vec<_>>()
        },
    );
    assert_eq!(
        readers_inside,
        vec![Some(250); READERS],
        "every reader should have seen tea at 250 cents"
    );
}

#[test]
fn a_reader_does_not_turn_away_a_second_reader() {
    let list = list_with("tea", 250);
    within(STEP_LIMIT, "a read inside a read", move || {
        let second = list.read_with(|_| list.try_read_with(|prices| prices.get("tea").copied()));
        assert_eq!(
            second,
            Some(Some(250)),
            "`try_read_with` could not get in while another reader was inside `read_with` (None \
             means it was turned away): does it ask for more than a read lock (`try_write`), or \
             is the list behind a Mutex? Readers share an RwLock's read lock."
        );
    });
}

#[test]
fn a_writer_has_the_list_to_itself() {
    let list = list_with("tea", 250);
    within_or_explain(
        STEP_LIMIT,
        "a read attempt inside a write",
        "`try_read_with` waited while a writer held the list (the writer is this same thread, \
         inside `write_with`): `try_read_with` must not wait, but return None at once. \
         `try_read` never waits.",
        move || {
            let reader_got_in = list.write_with(|prices| {
                prices.insert("tea".to_string(), 300);
                list.try_read_with(|_| ()).is_some()
            });
            assert!(
                !reader_got_in,
                "`try_read_with` got in while a writer was inside `write_with`: a writer must have \
             the list to itself, so take a write lock in `write_with`"
            );
            assert_eq!(
                list.get("tea"),
                Some(300),
                "the writer set tea to 300, but a reader afterwards did not see it"
            );
        },
    );
}

#[test]
fn reads_and_writes_from_many_threads_add_up() {
    let list = list_with("visits", 0);
    within(STEP_LIMIT, "4 writers and 4 readers", move || {
        let writers: Vec<_> = (0..4)
            .map(|_| {
                let list = Arc::clone(&list);
                thread::spawn(move || {
                    for _ in 0..100 {
                        list.write_with(|prices| {
                            *prices.entry("visits".to_string()).or_insert(0) += 1
                        });
                    }
                })
            })
            .collect();
        let readers: Vec<_> = (0..4)
            .map(|_| {
                let list = Arc::clone(&list);
                thread::spawn(move || {
                    // The count may only go up, whatever the readers and writers interleave to.
                    let mut last = 0;
                    for _ in 0..100 {
                        let now = list.get("visits").expect("visits vanished from the list");
                        assert!(
                            now >= last,
                            "a reader saw visits go down from {last} to {now}"
                        );
                        last = now;
                    }
                })
            })
            .collect();
        for handle in writers.into_iter().chain(readers) {
            handle.join().expect("a reader or writer thread panicked");
        }
        assert_eq!(
            list.get("visits"),
            Some(400),
            "4 writers added 1 to visits 100 times each, so it should be 400: was an update lost?"
        );
        assert_eq!(
            list.set("visits", 7),
            Some(400),
            "`set` returns the old price"
        );
    });
}
