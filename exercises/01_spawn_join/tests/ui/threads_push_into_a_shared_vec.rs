// Collecting results by letting every thread push into one shared list is a data race.
// In Go, `go func() { partials = append(partials, sum) }()` from many goroutines corrupts the
// slice or loses results, and reading it without waiting races with the writers. Rust rejects
// it: `move` gives the one `Vec` to the first thread, so it cannot also go to the next one or
// be read afterwards (E0382). Return each partial sum from its thread and collect it with `join`.
use std::thread;

fn main() {
    let numbers: Vec<u64> = (1..=100).collect();
    let mut partials = Vec::new();
    for chunk in numbers.chunks(25) {
        let chunk = chunk.to_vec();
        thread::spawn(move || partials.push(chunk.iter().sum::<u64>()));
    }
    println!("{}", partials.iter().sum::<u64>());
}
