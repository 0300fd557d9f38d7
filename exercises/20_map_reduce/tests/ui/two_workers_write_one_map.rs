// Two workers counting straight into one shared map.
// In Java, two threads calling `put` on one `HashMap` at once can lose entries or corrupt the
// table during a resize; in Go, concurrent map writes crash the program ("fatal error:
// concurrent map writes"), or race silently. Rust rejects it: both closures need `&mut totals`
// at the same time, and there may be only one mutable borrow (E0499). Give each worker a map of
// its own and merge the results after `join`.
use std::collections::HashMap;
use std::thread;

fn count_into(totals: &mut HashMap<String, usize>, text: &str) {
    for word in text.split_whitespace() {
        *totals.entry(word.to_lowercase()).or_insert(0) += 1;
    }
}

fn main() {
    let (first, second) = ("the river the stone", "a stone of the river");
    let mut totals = HashMap::new();
    thread::scope(|s| {
        s.spawn(|| count_into(&mut totals, first));
        s.spawn(|| count_into(&mut totals, second));
    });
    println!("{totals:?}");
}
