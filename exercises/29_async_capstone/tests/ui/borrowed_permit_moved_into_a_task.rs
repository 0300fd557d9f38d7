// A permit gives its slot back to the semaphore when it is dropped, so it points at the
// semaphore. In C++, a task handed a permit of a semaphore that lives on the caller's stack can
// outlive that frame: when the task ends, it releases into freed memory. `acquire` gives a
// `SemaphorePermit<'_>` that borrows the semaphore, and `tokio::spawn` wants a `'static` task,
// so moving that permit into a task does not compile (E0597). Share the semaphore through an
// `Arc` and take an owned permit with `Arc::clone(&slots).acquire_owned()`.
use std::time::Duration;
use tokio::sync::Semaphore;

async fn fetch_all(urls: Vec<String>) {
    let slots = Semaphore::new(3);
    for url in urls {
        let permit = slots.acquire().await.unwrap();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(10)).await;
            println!("fetched {url}");
            drop(permit);
        });
    }
}

fn main() {
    drop(fetch_all(Vec::new()));
}
