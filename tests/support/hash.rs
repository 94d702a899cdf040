//! SHA-256 computed here, not by auditview, so tests check auditview's
//! hashes independently.

#![allow(
    dead_code,
    reason = "each test file uses its own part (so `expect` would not hold in all)"
)]

use std::path::Path;

use sha2::{Digest, Sha256};

/// SHA-256 as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// SHA-256 of a file's bytes (see `sha256_hex`).
pub fn sha256_of(path: &Path) -> String {
    sha256_hex(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}
