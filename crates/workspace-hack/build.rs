//! Empty: cargo builds the build-dependencies of Cargo.toml only for a
//! crate with a build script.
fn main() {}
