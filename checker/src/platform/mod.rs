//! What the checker needs from the machine, and nothing of the course: processes and their
//! budgets, memory, the sandbox, a hung process's diagnosis, the toolchain, files on disk.

pub mod diagnosis;
pub mod files;
pub mod limits;
pub mod memory;
pub mod process;
pub mod sandbox;
pub mod store;
pub mod toolchain;
