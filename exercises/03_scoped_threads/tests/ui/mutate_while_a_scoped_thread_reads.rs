// Changing a vector while another thread reads it is a data race.
// In C++, `push_back` may reallocate the buffer while the other thread is still iterating over
// the old one: it reads freed memory, or sums garbage. Rust rejects it: the scoped thread holds
// a shared borrow of `readings` until the scope ends, and a shared borrow excludes any mutable
// one (E0502). Change the vector before the scope, or after it.
use std::thread;

fn main() {
    let mut readings = vec![1, 2, 3];
    thread::scope(|s| {
        s.spawn(|| {
            let total: i32 = readings.iter().sum();
            println!("{total}");
        });
        readings.push(4); // races with the sum above
    });
}
