// A future that has started may point into itself: the state of an `async fn` keeps its local
// variables, and a reference to one of them, side by side. In C++ a coroutine frame that is
// copied or moved after it started leaves such pointers dangling, and nothing checks it. Rust
// polls a future only through `Pin`, which promises that it never moves again. An `async fn`'s
// future is not `Unpin`, so polling it through a plain `&mut` in `select!`, to keep it across
// the turns of a loop, does not compile (E0277): pin it first, with `tokio::pin!(read)`.
use std::time::Duration;

async fn read_header() -> u32 {
    tokio::time::sleep(Duration::from_millis(10)).await;
    7
}

async fn wait_for_header() {
    let mut read = read_header();
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    loop {
        tokio::select! {
            header = &mut read => {
                println!("header {header}");
                break;
            }
            _ = ticker.tick() => println!("still waiting"),
        }
    }
}

fn main() {
    drop(wait_for_header());
}
