//! Writing files safely, the one place outputs are created: a target is
//! checked (`check_target`: never an input or a file the user owns, never
//! an existing file unless asked), written beside itself (`temp_beside`)
//! and renamed into place only when complete (`publish`). clippy.toml
//! forbids creating or writing files anywhere else.

mod error;
mod partial;
mod target;

pub use error::WriteError;
pub use partial::{Partial, publish, remove_partials, temp_beside};
pub use target::check_target;
