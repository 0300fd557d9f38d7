// In C, `if (table == NULL) table = build_table();` run by two threads at once builds the
// table twice, leaks one, and can hand a reader a half-written pointer. The same code with a
// Rust `static mut` does not compile: every access to a mutable static is `unsafe` (E0133),
// because the compiler cannot rule out a data race. `OnceLock` (or `LazyLock`) is the safe
// way to build a global once.
static mut TABLE: Option<Vec<u32>> = None;

fn build_table_once() {
    if TABLE.is_none() {
        TABLE = Some((1..=10).map(|n| n * n).collect());
    }
}

fn main() {
    let workers: Vec<_> = (0..2)
        .map(|_| std::thread::spawn(build_table_once))
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
}
