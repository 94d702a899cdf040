//! The one way tests run the real binary: in a folder, without the
//! caller's AUDITVIEW_GEOIP, and reading what it printed.

#![allow(
    dead_code,
    reason = "each test file uses its own part (so `expect` would not hold in all)"
)]

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};

/// The crate's folder: where `assets/samples` and `tests/fixtures` are.
pub fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `auditview` to be run in `dir`, for a test that needs more than its
/// output (stdin, a signal, its own environment).
pub fn binary_in(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_auditview"));
    command.current_dir(dir).env_remove("AUDITVIEW_GEOIP");
    command
}

/// `auditview` to be run in the crate's folder (see `binary_in`).
pub fn binary() -> Command {
    binary_in(crate_dir())
}

/// `auditview ARGS` run in `dir`.
pub fn auditview_in<S: AsRef<OsStr>>(dir: &Path, args: impl IntoIterator<Item = S>) -> Output {
    binary_in(dir)
        .args(args)
        .output()
        .expect("the auditview binary runs")
}

/// `auditview ARGS` run in the crate's folder (paths like `assets/samples`).
pub fn auditview<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> Output {
    auditview_in(crate_dir(), args)
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

/// What one run of the binary gave back, as text.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `auditview ARGS` in the crate folder, with `env` added to the child's
/// environment; its exit code and outputs.
pub fn run<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>, env: &[(&str, &str)]) -> Run {
    let output = binary_in(crate_dir())
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("the auditview binary runs");
    Run {
        code: output.status.code().expect("auditview exits with a code"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// A case file made by the CLI (`auditview case new CASE EVIDENCE...`), as
/// an investigator would before opening it in the window.
pub fn case_made_by_cli(case: &Path, evidence: &[&Path]) {
    let mut args = vec![OsStr::new("case"), OsStr::new("new"), case.as_os_str()];
    args.extend(evidence.iter().map(|p| p.as_os_str()));
    ok(&auditview(args));
}
