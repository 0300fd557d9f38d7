// Two reads from one socket at the same time split its bytes between them: in C or Go, two
// readers of one connection each get half of a frame, and both frames are garbage. A
// `read_message` future borrows the connection mutably for as long as it exists, so Rust
// refuses to start a second read while the first one is still alive (E0499). To restart a
// read that is kept across a loop, let the read own the connection and hand it back.
use select_cancel::connection;

async fn read_all() {
    let (_peer, mut conn) = connection();
    let read = conn.read_message();
    tokio::pin!(read);
    while let Some(message) = (&mut read).await {
        println!("{message}");
        read.set(conn.read_message());
    }
}

fn main() {
    drop(read_all());
}
