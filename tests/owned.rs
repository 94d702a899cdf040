//! Nothing the investigator owns is written over: the case file and its
//! SQLite side files, GeoIP databases, rules, aliases and filter files, and
//! files passed over inside a loaded folder are refused as outputs, even
//! with `--force`; `convert` writes no folder inside an evidence folder.
//! Each attack of issue 25, run with the real binary.

use std::path::Path;
use std::process::Output;

use crate::support::cli;
use crate::support::copy_dir;
use crate::support::geoip;

use cli::{auditview_in, ok};
use copy_dir::copy_dir;

/// A folder with `evidence/` (the fixtures' folder) and a case of it.
fn case_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/folder"),
        &dir.path().join("evidence"),
    );
    ok(&auditview_in(
        dir.path(),
        ["case", "new", "c.auditcase", "evidence"],
    ));
    dir
}

fn refused(out: &Output, words: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains(words),
        "expected a refusal naming {words:?}, got {:?}: {stderr}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout)
    );
}

fn unchanged(dir: &Path, file: &str, before: &[u8]) {
    assert_eq!(
        std::fs::read(dir.join(file)).unwrap(),
        before,
        "{file} changed"
    );
}

/// The case still opens, its log is whole, and nothing sits beside it.
fn case_intact(dir: &Path) {
    ok(&auditview_in(dir, ["case", "verify", "c.auditcase"]));
    for side in ["c.auditcase-journal", "c.auditcase-wal", "c.auditcase-shm"] {
        assert!(!dir.join(side).exists(), "{side} left beside the case");
    }
}

#[test]
fn a_report_or_export_never_replaces_the_case_file_even_forced() {
    let dir = case_dir();
    let before = std::fs::read(dir.path().join("c.auditcase")).unwrap();
    let attempts: [&[&str]; 3] = [
        &[
            "report",
            "case",
            "c.auditcase",
            "--output",
            "c.auditcase",
            "--force",
        ],
        &[
            "export",
            "--case",
            "c.auditcase",
            "-o",
            "c.auditcase",
            "--force",
        ],
        &[
            "export",
            "--case",
            "c.auditcase",
            "-o",
            "./evidence/../c.auditcase",
            "--force",
        ],
    ];
    for args in attempts {
        refused(&auditview_in(dir.path(), args), "is the case file");
        assert_eq!(
            std::fs::read(dir.path().join("c.auditcase")).unwrap(),
            before,
            "{args:?} changed the case file"
        );
    }
    case_intact(dir.path());
}

#[test]
fn an_export_named_like_the_case_files_journal_is_refused_before_sqlite_deletes_it() {
    let dir = case_dir();
    for name in [
        "c.auditcase-journal",
        "c.auditcase-wal",
        "./c.auditcase-shm",
    ] {
        let out = auditview_in(dir.path(), ["export", "--case", "c.auditcase", "-o", name]);
        refused(&out, "side file of the case file");
        assert!(!dir.path().join(name).exists(), "{name} was written");
    }
    case_intact(dir.path());
}

#[test]
fn force_never_replaces_a_geoip_database_rules_aliases_or_filter_file() {
    let dir = case_dir();
    let d = dir.path();
    let (city, _asn) = geoip::write_databases(d);
    std::fs::write(
        d.join("rules.json"),
        r#"{"rules": [{"id": "x", "title": "x", "severity": "low", "selection": {"category": "download"}}]}"#,
    )
    .unwrap();
    std::fs::write(d.join("aliases.csv"), "person,identifier\nAlice,alice\n").unwrap();
    std::fs::write(
        d.join("filter.json"),
        r#"{"version": 1, "users": ["alice"]}"#,
    )
    .unwrap();
    let city = city.to_str().unwrap().to_string();
    let attempts: [(&[&str], &str, &str); 4] = [
        (&["--geoip", &city], &city, "GeoIP database"),
        (&["--rules", "rules.json"], "rules.json", "rules file"),
        (&["--aliases", "aliases.csv"], "aliases.csv", "aliases file"),
        (
            &["--filter-file", "filter.json"],
            "filter.json",
            "filter file",
        ),
    ];
    for (flags, file, words) in attempts {
        let before = std::fs::read(d.join(file)).unwrap();
        let mut args = vec!["export", "evidence", "--force", "-o", file];
        args.extend(flags);
        refused(&auditview_in(d, &args), words);
        unchanged(d, file, &before);
    }
}

#[test]
fn force_never_replaces_a_file_passed_over_inside_a_loaded_folder() {
    let dir = case_dir();
    let d = dir.path();
    // notes.txt is not a log: skipped, yet evidence; so is a hidden file.
    std::fs::write(d.join("evidence/.hidden.csv"), "mine\n").unwrap();
    for file in ["evidence/notes.txt", "evidence/.hidden.csv"] {
        let before = std::fs::read(d.join(file)).unwrap();
        let out = auditview_in(d, ["export", "evidence", "--force", "-o", file]);
        refused(&out, "inside a loaded folder");
        unchanged(d, file, &before);
    }
}

#[test]
fn convert_writes_no_folder_inside_an_evidence_folder() {
    let dir = case_dir();
    let d = dir.path();
    for output in ["evidence", "evidence/parquet", "evidence/sub/../out"] {
        let out = auditview_in(d, ["convert", "evidence", "--output", output, "--force"]);
        refused(&out, "inside a loaded evidence folder");
    }
    assert!(!d.join("evidence/_provenance.json").exists());
    assert!(!d.join("evidence/parquet").exists());
    ok(&auditview_in(
        d,
        ["convert", "evidence", "--output", "parquet"],
    ));
    assert!(d.join("parquet/_provenance.json").exists());
}

#[test]
fn an_export_saved_in_the_evidence_folder_is_not_counted_again_on_the_next_load() {
    let dir = case_dir();
    let d = dir.path();
    let events = |out: &Output| -> serde_json::Value { serde_json::from_str(&ok(out)).unwrap() };
    let before = events(&auditview_in(d, ["inspect", "--json", "evidence"]));
    ok(&auditview_in(
        d,
        ["export", "evidence", "-o", "evidence/view.csv"],
    ));
    let after = events(&auditview_in(d, ["inspect", "--json", "evidence"]));
    assert_eq!(
        after["events"], before["events"],
        "the export's rows counted again"
    );
    let skipped = after["skipped"].to_string();
    assert!(
        skipped.contains("view.csv") && skipped.contains("derived: an auditview export"),
        "{skipped}"
    );
    // Named, it is read as asked.
    let named = events(&auditview_in(d, ["inspect", "--json", "evidence/view.csv"]));
    assert_eq!(named["events"], before["events"]);
}
