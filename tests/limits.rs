//! Limits everywhere, said as they are: a whole JSON document past the
//! record limit is a reject (never an abort), a limit of 0 is refused where
//! it means nothing, messages name the limit in force, a reader that goes
//! away ends a command quietly, and a launch naming a missing path says so.

use std::io::{Read, Write};
use std::path::Path;
use std::process::Stdio;

use crate::support::cli;

use cli::{auditview_in, json};

/// A Pydio admin export (`{"Logs": [...]}`) of about `mib` MiB.
fn big_export(path: &Path, mib: usize) {
    let record = r#"{"Level":"info","Logger":"pydio.web.frontend","Msg":"Public Link 7c1e0f9a2b44 accessed","MsgId":"1","RemoteAddress":"192.0.2.10","Ts":1710525723,"UserUuid":"cf498178a3b2"}"#;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    file.write_all(b"{\"Logs\": [").unwrap();
    let count = mib * (1 << 20) / record.len() + 1;
    for i in 0..count {
        if i > 0 {
            file.write_all(b",\n").unwrap();
        }
        file.write_all(record.as_bytes()).unwrap();
    }
    file.write_all(b"]}\n").unwrap();
}

#[test]
fn a_whole_json_document_past_the_record_limit_is_one_reject_and_the_rest_loads() {
    let dir = tempfile::tempdir().unwrap();
    big_export(&dir.path().join("export.json"), 3);
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/filter/audit.log"),
        dir.path().join("audit.log"),
    )
    .unwrap();
    let report = json(&auditview_in(
        dir.path(),
        [
            "inspect",
            "--json",
            "--max-record-mib",
            "1",
            "export.json",
            "audit.log",
        ],
    ));
    let sources = report["sources"].as_array().unwrap();
    let export = sources
        .iter()
        .find(|s| s["path"] == "export.json")
        .expect("the export is a source");
    assert_eq!(export["events"], 0);
    assert_eq!(export["rejected"], 1);
    let log = sources.iter().find(|s| s["path"] == "audit.log").unwrap();
    assert!(log["events"].as_u64().unwrap() > 0, "the other file loads");
    let rejects = report["rejects"].to_string();
    assert!(
        rejects.contains("one JSON document larger than 1.0 MB"),
        "{rejects}"
    );
    // Within the limit, the same document is read.
    let report = json(&auditview_in(
        dir.path(),
        ["inspect", "--json", "--max-record-mib", "8", "export.json"],
    ));
    assert!(report["events"].as_u64().unwrap() > 10_000);
}

#[test]
fn a_limit_of_zero_that_would_mean_nothing_is_refused() {
    for flag in ["--max-record-mib", "--max-stream-mib", "--max-gzip-ratio"] {
        let out = auditview_in(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            ["inspect", "assets/samples", flag, "0"],
        );
        assert_eq!(out.status.code(), Some(2), "{flag} 0 accepted");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("0 is not in 1.."),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A Pydio `audit.log`: the fixture's good lines, then `bad` lines that
/// are not JSON.
fn log_with_bad_lines(dir: &Path, bad: usize) {
    let mut text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/filter/audit.log"),
    )
    .unwrap();
    for i in 0..bad {
        text.push_str(&format!(
            "not a JSON record, number {i}, padded to be long enough\n"
        ));
    }
    std::fs::write(dir.join("audit.log"), text).unwrap();
}

#[test]
fn the_rejects_message_names_the_limit_in_force() {
    let dir = tempfile::tempdir().unwrap();
    log_with_bad_lines(dir.path(), 20);
    let out = auditview_in(
        dir.path(),
        ["inspect", "--max-rejects-kept", "5", "audit.log"],
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("15 more rejects between lines") && said.contains("(the limit is 5 a file)"),
        "{said}"
    );
}

#[test]
fn a_reader_that_goes_away_ends_a_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // Kept rejects with their text: far more output than a pipe holds.
    log_with_bad_lines(dir.path(), 5_000);
    let mut child = crate::support::cli::binary()
        .args(["inspect", "--json", "audit.log"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The pipe is closed here, with most of the output unread.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "{stderr}");
}

#[test]
fn a_launch_naming_a_missing_path_says_so_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::support::cli::binary()
        .arg(dir.path().join("not-there.csv"))
        .env("HOME", dir.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("not-there.csv: no such file or folder"),
        "{stderr}"
    );
    assert!(!stderr.contains("already open"), "{stderr}");
}

#[test]
fn a_case_file_larger_than_the_limit_or_damaged_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.auditcase");
    // Sparse: no disk is used.
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    let out = auditview_in(dir.path(), ["case", "info", "huge.auditcase"]);
    assert_ne!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("larger than a case file can be (2.0 GB"),
        "{stderr}"
    );
    let damaged = dir.path().join("damaged.auditcase");
    std::fs::write(
        &damaged,
        b"SQLite format 3\0 and then nothing of a database",
    )
    .unwrap();
    let out = auditview_in(dir.path(), ["case", "info", "damaged.auditcase"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not an auditview case file"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
