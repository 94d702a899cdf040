//! No code: the crate exists for the features its Cargo.toml enables.
