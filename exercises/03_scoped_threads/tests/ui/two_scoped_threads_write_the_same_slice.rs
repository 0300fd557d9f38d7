// Two threads updating the same values is a data race: `*score += 1` is a read, then a write,
// and the other thread's write can land in between and be lost. In Java or C++ this compiles
// and the final values depend on timing. Rust rejects it: each closure needs a mutable borrow
// of `scores`, and there can only be one at a time (E0499). Give each thread its own piece,
// with `chunks_mut` or `split_at_mut`.
use std::thread;

fn main() {
    let mut scores = vec![1, 2, 3];
    thread::scope(|s| {
        s.spawn(|| {
            for score in scores.iter_mut() {
                *score += 1;
            }
        });
        s.spawn(|| {
            for score in scores.iter_mut() {
                *score *= 2;
            }
        });
    });
    println!("{scores:?}");
}
