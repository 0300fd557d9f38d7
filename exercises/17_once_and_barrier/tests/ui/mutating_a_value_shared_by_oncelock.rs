// In Java, a lazily built singleton `ArrayList` that every thread can still `add` to is a data
// race: ArrayList is not thread-safe, and two concurrent adds can corrupt it. `OnceLock` hands
// every thread the same shared `&T`, and nothing can be mutated through a shared reference
// (E0596). Once built, the value is read-only; if it must change, put a `Mutex` inside.
use std::sync::OnceLock;
use std::thread;

static NAMES: OnceLock<Vec<String>> = OnceLock::new();

fn main() {
    thread::scope(|s| {
        for i in 0..2 {
            s.spawn(move || {
                let names = NAMES.get_or_init(|| vec!["root".to_string()]);
                names.push(format!("worker {i}"));
            });
        }
    });
}
