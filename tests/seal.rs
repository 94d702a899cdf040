//! The case's seal: every action-log entry seals the case as it left it,
//! and the case keeps the chain's head. A mark, note, tag, summary or
//! evidence row changed directly in the SQLite file, or the last entry
//! deleted, is named by `case verify` (exit 1); a log cut short and its
//! stored head rewritten to match is caught by `case verify --head` with
//! the head recorded earlier.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::cli;
use crate::support::copy_dir;

use cli::{auditview_in, ok};

/// A case of the samples with a star, a tag, a note and a summary, in a
/// folder of its own.
fn marked_case() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_dir::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples"),
        &d.join("evidence"),
    );
    for args in [
        &["case", "new", "c.auditcase", "evidence"][..],
        &["case", "star", "c.auditcase", "--user", "bob.okafor"],
        &[
            "case",
            "tag",
            "c.auditcase",
            "left the firm",
            "--user",
            "bob.okafor",
        ],
        &[
            "case",
            "note",
            "c.auditcase",
            "--user",
            "bob.okafor",
            "downloads before leaving",
        ],
        &["case", "summary", "c.auditcase", "Bob's last week"],
    ] {
        ok(&auditview_in(d, args));
    }
    ok(&auditview_in(d, ["case", "verify", "c.auditcase"]));
    let case = d.join("c.auditcase");
    (dir, case)
}

fn tamper(case: &Path, sql: &str) {
    let db = rusqlite::Connection::open(case).unwrap();
    let changed = db.execute(sql, []).unwrap();
    assert!(changed > 0, "{sql} changed nothing: not a test");
}

fn verify(case: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["case", "verify", case.to_str().unwrap()];
    args.extend(extra);
    auditview_in(case.parent().unwrap(), &args)
}

fn names(out: &Output, words: &str) {
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains(words), "expected {words:?} in:\n{said}");
}

#[test]
fn a_forged_note_a_removed_star_a_forged_tag_and_summary_are_each_named() {
    let cases: [(&str, &str); 5] = [
        (
            "UPDATE annotation SET note = 'nothing to see' WHERE note <> ''",
            "event marks (stars and notes) differ",
        ),
        (
            "UPDATE annotation SET starred = 0 WHERE starred = 1",
            "event marks (stars and notes) differ",
        ),
        (
            "UPDATE annotation_tag SET tag = 'cleared'",
            "event tags differ",
        ),
        (
            "UPDATE meta SET value = 'all fine' WHERE key = 'summary'",
            "summary and settings differ",
        ),
        ("DELETE FROM annotation_tag", "event tags differ"),
    ];
    for (sql, words) in cases {
        let (_dir, case) = marked_case();
        tamper(&case, sql);
        names(&verify(&case, &[]), words);
    }
}

#[test]
fn a_deleted_evidence_row_is_named() {
    let (_dir, case) = marked_case();
    tamper(
        &case,
        "DELETE FROM evidence WHERE sha256 = (SELECT min(sha256) FROM evidence)",
    );
    names(&verify(&case, &[]), "evidence differ");
}

#[test]
fn a_deleted_last_log_entry_is_named() {
    let (_dir, case) = marked_case();
    tamper(
        &case,
        "DELETE FROM action_log WHERE seq = (SELECT max(seq) FROM action_log)",
    );
    names(&verify(&case, &[]), "its last entries were deleted");
}

#[test]
fn a_log_cut_short_with_its_head_rewritten_is_caught_by_the_head_kept_apart() {
    let (dir, case) = marked_case();
    // Two entries that change nothing but the log: exports of the case.
    for name in ["one.csv", "two.csv"] {
        ok(&auditview_in(
            dir.path(),
            ["export", "--case", "c.auditcase", "-o", name],
        ));
    }
    let info = ok(&auditview_in(
        dir.path(),
        ["case", "info", "c.auditcase", "--json"],
    ));
    let info: serde_json::Value = serde_json::from_str(&info).unwrap();
    let head = info["action_log_head"].as_str().unwrap().to_string();
    // The export's provenance carries the head it was made under.
    let provenance: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("two.csv.provenance.json")).unwrap())
            .unwrap();
    assert_eq!(provenance["case"]["file"], "c.auditcase");
    assert_eq!(provenance["case"]["log_head"].as_str().unwrap().len(), 64);
    ok(&verify(&case, &["--head", &head]));

    // The forger deletes the last entry and makes the stored head agree.
    tamper(
        &case,
        "DELETE FROM action_log WHERE seq = (SELECT max(seq) FROM action_log)",
    );
    tamper(
        &case,
        "UPDATE meta SET value = (SELECT hash FROM action_log ORDER BY seq DESC LIMIT 1)
         WHERE key = 'log_head'",
    );
    // What the file alone can tell: nothing (docs/guide/cases-and-reports.md)...
    ok(&verify(&case, &[]));
    // ...and the head kept apart catches it.
    names(
        &verify(&case, &["--head", &head]),
        "was cut short or rewritten",
    );
}

#[test]
fn an_untouched_case_verifies_and_says_how_far_a_known_head_is() {
    let (dir, case) = marked_case();
    let info = ok(&auditview_in(
        dir.path(),
        ["case", "info", "c.auditcase", "--json"],
    ));
    let info: serde_json::Value = serde_json::from_str(&info).unwrap();
    let head = info["action_log_head"].as_str().unwrap().to_string();
    ok(&auditview_in(
        dir.path(),
        ["case", "summary", "c.auditcase", "later"],
    ));
    let said = ok(&verify(&case, &["--head", &head]));
    assert!(
        said.contains(&format!("head     {head} is entry")),
        "{said}"
    );
    assert!(said.contains("1 entry since"), "{said}");
}
