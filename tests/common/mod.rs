//! What the integration tests share: running the real binary.

#![allow(
    dead_code,
    reason = "each test crate uses its own part (so `expect` would not hold in all)"
)]

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use sha2::{Digest, Sha256};

pub fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What one run of the binary gave back.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `auditview ARGS` in the crate folder (so `assets/samples` is
/// relative), with `env` added to the child's environment.
pub fn run<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>, env: &[(&str, &str)]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_auditview"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(crate_dir())
        .output()
        .expect("the auditview binary runs");
    Run {
        code: output.status.code().expect("auditview exits with a code"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// SHA-256 as lower-case hex, computed here (not by auditview) so tests
/// check auditview's hashes independently.
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
