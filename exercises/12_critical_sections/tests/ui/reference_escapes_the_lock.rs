// In C++ or Java nothing stops a function from handing out a pointer into data that a mutex
// protects: `return &items[0];` compiles, the lock is released on return, and the caller then
// reads the element with no lock held, racing with every writer (in C++ the vector may even
// reallocate under it). In Rust the reference borrows from the guard, and the guard is dropped
// when the function returns, so the reference cannot leave the critical section (E0515).
use std::sync::Mutex;

fn first(items: &Mutex<Vec<String>>) -> &String {
    let guard = items.lock().unwrap();
    &guard[0]
}

fn main() {
    let items = Mutex::new(vec![String::from("ada")]);
    println!("{}", first(&items));
}
