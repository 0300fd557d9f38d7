// In C++, a task handed to a thread pool with a reference to a local (`[&text] { ... }`) reads
// freed stack memory if the function returns before the task runs: a use-after-free that shows
// up now and then. A spawned tokio task may outlive the function that spawned it (even one that
// awaits it at once can be cancelled at that `.await`), so `tokio::spawn` takes only a
// `'static` future, and a future that borrows a local does not compile (E0597). Move owned data
// into the task instead.
async fn count_words(text: &str) -> usize {
    text.split_whitespace().count()
}

async fn count_in_a_task() -> usize {
    let text = String::from("the quick brown fox");
    let task = tokio::spawn(count_words(&text));
    task.await.unwrap_or(0)
}

fn main() {
    let _ = count_in_a_task();
}
