//! Running the real binary from a test: in a folder, without the caller's
//! AUDITVIEW_GEOIP, and reading what it printed.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// `auditview ARGS` run in `dir`.
pub fn auditview_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_auditview"))
        .args(args)
        .current_dir(dir)
        .env_remove("AUDITVIEW_GEOIP")
        .output()
        .expect("the auditview binary runs")
}

/// `auditview ARGS` run in the crate's folder (paths like `assets/samples`).
pub fn auditview(args: &[&str]) -> Output {
    auditview_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// Its stdout, once it exited with 0 (else both outputs in the failure).
pub fn ok(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Its stdout as JSON, once it exited with 0.
pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(output)).expect("JSON on stdout")
}
