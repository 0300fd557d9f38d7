// Handing each worker a slice of the text with a plain `thread::spawn`.
// In C++ a detached thread that holds a `string_view` into the text may read it after the
// owning `std::string` was freed: a use-after-free. Rust rejects it: `thread::spawn` needs a
// `'static` closure, and `line` borrows `text`, which lives only until `main` ends (E0597).
// Use `thread::scope`, which joins its threads before the borrowed data can go away.
use std::thread;

fn main() {
    let text = String::from("the river\nthe stone\na stone of the river");
    let mut workers = Vec::new();
    for line in text.lines() {
        workers.push(thread::spawn(move || line.split_whitespace().count()));
    }
    let total: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    println!("{total}");
}
