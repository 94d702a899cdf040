//! `auditview case`: a case file's marks survive the evidence moving, a
//! changed file or an edited log entry is reported, a damaged case file is
//! a clear error, and the marks select the same events everywhere.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::cli::ok;
use crate::support::copy_dir;
use copy_dir::copy_dir;

/// `auditview ARGS` in `dir` (the argument order these tests read best).
fn auditview(args: &[&str], dir: &Path) -> Output {
    crate::support::cli::auditview_in(dir, args)
}

/// A copy of the sample case under `dir/evidence`, and a case file of it.
fn case_of_samples(dir: &Path) -> PathBuf {
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/samples");
    let evidence = dir.join("evidence");
    copy_dir(&samples, &evidence);
    ok(&auditview(
        &["case", "new", "my.auditcase", "evidence"],
        dir,
    ));
    dir.join("my.auditcase")
}

/// The sample case with Pydio's events starred, then its `audit.log`
/// changed: one line removed at the top, so every later line moves up.
fn case_with_a_shifted_log(dir: &Path) {
    case_of_samples(dir);
    ok(&auditview(
        &["case", "star", "my.auditcase", "--system", "pydio"],
        dir,
    ));
    let log = dir.join("evidence/pydio/audit.log");
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, text.split_once('\n').unwrap().1).unwrap();
}

fn matched(dir: &Path, args: &[&str]) -> u64 {
    let mut all = vec!["inspect", "--json", "--case", "my.auditcase"];
    all.extend_from_slice(args);
    let text = ok(&auditview(&all, dir));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["matched"].as_u64().unwrap()
}

#[test]
fn marks_survive_moving_the_evidence_folder() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    case_of_samples(dir);
    let alice = matched(dir, &["--user", "alice.martin"]);
    assert!(alice > 0);
    ok(&auditview(
        &["case", "star", "my.auditcase", "--user", "alice.martin"],
        dir,
    ));
    ok(&auditview(
        &[
            "case",
            "tag",
            "my.auditcase",
            "review",
            "--category",
            "share",
        ],
        dir,
    ));
    assert_eq!(matched(dir, &["--starred"]), alice);
    let shares = matched(dir, &["--category", "share"]);
    assert_eq!(matched(dir, &["--tag", "review"]), shares);

    // The folder moves: the case says so, relocate finds every file by hash.
    std::fs::rename(dir.join("evidence"), dir.join("moved")).unwrap();
    let verify = auditview(&["case", "verify", "my.auditcase"], dir);
    assert_eq!(verify.status.code(), Some(1));
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(
        said.contains("MISSING") && said.contains("marked events cite it"),
        "{said}"
    );
    let relocated = ok(&auditview(
        &["case", "relocate", "my.auditcase", "moved"],
        dir,
    ));
    assert!(
        relocated.contains("relocated 8 files; 0 still not found"),
        "{relocated}"
    );
    ok(&auditview(&["case", "verify", "my.auditcase"], dir));
    assert_eq!(matched(dir, &["--starred"]), alice);
    assert_eq!(matched(dir, &["--tag", "review"]), shares);
}

#[test]
fn a_changed_evidence_file_is_reported_and_its_marks_find_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    case_with_a_shifted_log(dir);
    let verify = auditview(&["case", "verify", "my.auditcase"], dir);
    assert_eq!(verify.status.code(), Some(1));
    let said = String::from_utf8_lossy(&verify.stdout);
    let line = said.lines().find(|l| l.contains("audit.log")).unwrap();
    assert!(
        line.starts_with("CHANGED") && line.contains("differs from the case's"),
        "{line}"
    );
    assert!(line.contains("marked events cite it"), "{line}");
    // Loaded anyway, the changed file's marks find no other event.
    let info = ok(&auditview(&["case", "info", "my.auditcase", "--json"], dir));
    let info: serde_json::Value = serde_json::from_str(&info).unwrap();
    let changed: Vec<_> = info["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "changed")
        .collect();
    assert_eq!(changed.len(), 1);
    assert!(info["marks_not_found"].as_u64().unwrap() > 0);
    let starred = matched(dir, &["--starred", "evidence"]);
    let pydio_elsewhere = matched(
        dir,
        &[
            "--starred",
            "evidence/pydio/audit-2024-03-14T23-00-02.318.log",
        ],
    );
    assert!(starred >= pydio_elsewhere);
    let in_changed = matched(dir, &["--starred", "evidence/pydio/audit.log"]);
    assert_eq!(
        in_changed, 0,
        "a shifted line must not take another event's star"
    );
}

#[test]
fn a_load_with_the_case_records_new_files_and_says_changed_ones_as_the_window_does() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    case_with_a_shifted_log(dir);
    let extra = dir.join("extra.csv");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/auth/basespace/login_report.csv"),
        &extra,
    )
    .unwrap();
    let out = auditview(
        &["inspect", "--case", "my.auditcase", "evidence", "extra.csv"],
        dir,
    );
    ok(&out);
    let said = String::from_utf8_lossy(&out.stderr);
    let line = said
        .lines()
        .find(|l| l.contains("pydio/audit.log:"))
        .unwrap_or_else(|| panic!("{said}"));
    assert!(
        line.contains("its SHA-256 differs from the case's")
            && line.contains("marked events cite it")
            && line.contains("`auditview case relocate CASE DIR`"),
        "{line}"
    );
    // The new file is the case's evidence now.
    let info = ok(&auditview(&["case", "info", "my.auditcase", "--json"], dir));
    let info: serde_json::Value = serde_json::from_str(&info).unwrap();
    let recorded: Vec<&str> = info["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert!(
        recorded.iter().any(|p| p.ends_with("extra.csv")),
        "{recorded:?}"
    );
}

#[test]
fn an_edited_or_deleted_action_log_entry_fails_verify() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let case = case_of_samples(dir);
    ok(&auditview(
        &["case", "star", "my.auditcase", "--user", "bob.okafor"],
        dir,
    ));
    ok(&auditview(
        &[
            "case",
            "note",
            "my.auditcase",
            "seen",
            "--user",
            "bob.okafor",
        ],
        dir,
    ));
    let verified = ok(&auditview(&["case", "verify", "my.auditcase"], dir));
    assert!(verified.contains("4 entries, chain intact"), "{verified}");

    let db = rusqlite::Connection::open(&case).unwrap();
    db.execute("UPDATE action_log SET detail = 'nothing' WHERE seq = 3", [])
        .unwrap();
    drop(db);
    let verify = auditview(&["case", "verify", "my.auditcase"], dir);
    assert_eq!(verify.status.code(), Some(1));
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(
        said.contains("LOG      entry 3: its content was changed"),
        "{said}"
    );

    let db = rusqlite::Connection::open(&case).unwrap();
    db.execute("DELETE FROM action_log WHERE seq = 2", [])
        .unwrap();
    drop(db);
    let said = String::from_utf8_lossy(&auditview(&["case", "verify", "my.auditcase"], dir).stdout)
        .into_owned();
    assert!(said.contains("entry 2 is missing"), "{said}");
}

#[test]
fn a_damaged_case_file_is_a_clear_error_and_evidence_is_never_a_case() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let case = case_of_samples(dir);
    std::fs::write(
        dir.join("garbage.auditcase"),
        b"not a database at all, just text",
    )
    .unwrap();
    let bytes = std::fs::read(&case).unwrap();
    std::fs::write(dir.join("cut.auditcase"), &bytes[..bytes.len() / 2]).unwrap();
    for name in ["garbage.auditcase", "cut.auditcase", "none.auditcase"] {
        let out = auditview(&["case", "info", name], dir);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains("not an auditview case file"),
            "{name}: {said}"
        );
        assert!(!said.contains("panicked"), "{name}: {said}");
    }
    // The whole case still reads.
    ok(&auditview(&["case", "verify", "my.auditcase"], dir));

    // A case file is never made over evidence, by any name of it.
    let log = dir.join("evidence/pydio/audit.log");
    let before = std::fs::read(&log).unwrap();
    for target in [
        "evidence/pydio/audit.log",
        "evidence/pydio/../pydio/audit.log",
    ] {
        let out = auditview(&["case", "new", target, "evidence"], dir);
        assert_eq!(out.status.code(), Some(1), "{target}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("evidence is never written"));
    }
    assert_eq!(std::fs::read(&log).unwrap(), before);
    // Nor over an existing file, nor does marking everything happen by accident.
    let again = auditview(&["case", "new", "my.auditcase", "evidence"], dir);
    assert_eq!(again.status.code(), Some(1));
    let all = auditview(&["case", "star", "my.auditcase"], dir);
    assert_eq!(all.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&all.stderr).contains("add --all"));
}

#[test]
fn exports_of_a_case_carry_its_marks() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    case_of_samples(dir);
    ok(&auditview(
        &["case", "star", "my.auditcase", "--user", "alice.martin"],
        dir,
    ));
    ok(&auditview(
        &[
            "case",
            "tag",
            "my.auditcase",
            "=cmd",
            "--user",
            "alice.martin",
            "--category",
            "download",
        ],
        dir,
    ));
    let starred = matched(dir, &["--starred"]);
    ok(&auditview(
        &[
            "export",
            "--case",
            "my.auditcase",
            "--starred",
            "-o",
            "starred.csv",
        ],
        dir,
    ));
    let mut reader = csv::Reader::from_path(dir.join("starred.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (star, tags) = (at("Starred"), at("Tags"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len() as u64, starred);
    assert!(rows.iter().all(|r| &r[star] == "yes"));
    // A tag that looks like a formula is neutralised like any cell.
    assert!(rows.iter().any(|r| &r[tags] == "'=cmd"));
    // Without a case, the export has its own columns only.
    ok(&auditview(&["export", "evidence", "-o", "plain.csv"], dir));
    let plain = csv::Reader::from_path(dir.join("plain.csv"))
        .unwrap()
        .headers()
        .unwrap()
        .clone();
    assert!(!plain.iter().any(|h| h == "Starred"));
}

#[test]
fn two_writers_at_once_and_a_killed_one_leave_a_whole_case() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().to_path_buf();
    case_of_samples(&dir);
    let before = ok(&auditview(&["case", "verify", "my.auditcase"], &dir));
    let entries = |text: &str| -> usize {
        let line = text.lines().find(|l| l.starts_with("log")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    let start = entries(&before);

    // Two processes tagging at the same time: each change waits its turn.
    let writers: Vec<_> = ["left", "right"]
        .into_iter()
        .map(|side| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                for round in 0..4 {
                    let tag = format!("{side}-{round}");
                    ok(&auditview(
                        &["case", "tag", "my.auditcase", &tag, "--all"],
                        &dir,
                    ));
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let after = ok(&auditview(&["case", "verify", "my.auditcase"], &dir));
    assert_eq!(entries(&after), start + 8);

    // Writers killed mid-change: the case is the last change made whole.
    for round in 0..6 {
        let tag = format!("killed-{round}");
        let mut child = crate::support::cli::binary()
            .args(["case", "tag", "my.auditcase", &tag, "--all"])
            .current_dir(&dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20 + 15 * round));
        let _ = child.kill();
        let _ = child.wait();
    }
    let survived = ok(&auditview(&["case", "verify", "my.auditcase"], &dir));
    assert!(survived.contains("chain intact"), "{survived}");
    let info = ok(&auditview(
        &["case", "info", "my.auditcase", "--json"],
        &dir,
    ));
    let info: serde_json::Value = serde_json::from_str(&info).unwrap();
    assert_eq!(info["tagged"].as_u64(), Some(209));
}

#[test]
fn the_report_lists_exactly_the_marked_events_with_their_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    case_of_samples(dir);
    ok(&auditview(
        &["case", "star", "my.auditcase", "--user", "bob.okafor"],
        dir,
    ));
    ok(&auditview(
        &[
            "case",
            "tag",
            "my.auditcase",
            "<script>alert(1)</script>",
            "--user",
            "bob.okafor",
        ],
        dir,
    ));
    let starred = matched(dir, &["--starred"]);
    ok(&auditview(
        &[
            "export",
            "--case",
            "my.auditcase",
            "--starred",
            "-o",
            "starred.csv",
        ],
        dir,
    ));
    ok(&auditview(
        &["report", "case", "my.auditcase", "--output", "report.html"],
        dir,
    ));
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    // Self-contained: nothing fetched.
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    assert!(!html.contains("<script>"), "a tag is text, never markup");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // Every starred event, with its source file and line, and nothing else.
    let marked = html.split("<h2>Marked events</h2>").nth(1).unwrap();
    let marked = marked.split("</table>").next().unwrap();
    let rows = marked.matches("<tr><td>").count();
    assert_eq!(rows as u64, starred);
    let mut export = csv::Reader::from_path(dir.join("starred.csv")).unwrap();
    let header = export.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (file_at, line_at) = (at("Source File"), at("Source Line"));
    for record in export.records() {
        let record = record.unwrap();
        let path = Path::new(&record[file_at]);
        let name = path.file_name().unwrap().to_string_lossy();
        let line = format!("<span class=\"src\">{name}:{}</span>", &record[line_at]);
        assert!(marked.contains(&line), "{line} not in the report");
        let folder = path.parent().unwrap().to_string_lossy();
        assert!(marked.contains(&*folder), "{folder} not in the report");
    }
    // The evidence's hashes and the verified log.
    let info = ok(&auditview(&["case", "info", "my.auditcase", "--json"], dir));
    let info: serde_json::Value = serde_json::from_str(&info).unwrap();
    for evidence in info["evidence"].as_array().unwrap() {
        assert!(html.contains(evidence["sha256"].as_str().unwrap()));
    }
    assert!(html.contains("chain intact"));
}

#[test]
fn saved_views_and_the_summary_travel_with_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    case_of_samples(dir);
    let alice = matched(dir, &["--user", "alice.martin", "--category", "download"]);
    ok(&auditview(
        &[
            "case",
            "view",
            "my.auditcase",
            "alice downloads",
            "--user",
            "alice.martin",
            "--category",
            "download",
        ],
        dir,
    ));
    assert_eq!(matched(dir, &["--view", "alice downloads"]), alice);
    // Flags add to a view.
    let failed = matched(
        dir,
        &[
            "--user",
            "alice.martin",
            "--category",
            "download",
            "--outcome",
            "failure",
        ],
    );
    assert_eq!(
        matched(dir, &["--view", "alice downloads", "--outcome", "failure"]),
        failed
    );
    let unknown = auditview(
        &["inspect", "--case", "my.auditcase", "--view", "nothing"],
        dir,
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no view called \"nothing\""));

    ok(&auditview(
        &[
            "case",
            "summary",
            "my.auditcase",
            "Alice copied the case files.",
        ],
        dir,
    ));
    let summary = ok(&auditview(&["case", "summary", "my.auditcase"], dir));
    assert_eq!(summary.trim(), "Alice copied the case files.");
    ok(&auditview(
        &["report", "case", "my.auditcase", "--output", "report.html"],
        dir,
    ));
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("Alice copied the case files."));
    assert!(
        html.contains("<b>alice downloads</b>: User: alice.martin; Category: download"),
        "{html}"
    );
}

#[test]
fn nodes_and_resources_are_marked_too_and_older_case_files_gain_them() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let case = case_of_samples(dir);
    // A case file as the first version wrote it: no node marks table.
    let db = rusqlite::Connection::open(&case).unwrap();
    db.execute_batch(
        "DROP TABLE node_annotation; DROP TABLE node_annotation_tag; PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(db);
    ok(&auditview(
        &[
            "case",
            "node",
            "my.auditcase",
            "--path",
            "pydiods1/Investigations",
            "--star",
            "--tag",
            "hot",
            "--note",
            "the case folder",
        ],
        dir,
    ));
    let info = ok(&auditview(&["case", "info", "my.auditcase", "--json"], dir));
    let info: serde_json::Value = serde_json::from_str(&info).unwrap();
    assert_eq!(info["nodes_marked"], 1);
    assert_eq!(info["action_log_intact"], true);
    ok(&auditview(
        &["report", "case", "my.auditcase", "--output", "report.html"],
        dir,
    ));
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let nodes = html
        .split("<h2>Marked nodes and resources</h2>")
        .nth(1)
        .unwrap();
    assert!(nodes.contains("node:pydiods1/Investigations") && nodes.contains("the case folder"));
    // Its activity and who could see it follow.
    assert!(html.contains("<h3>pydiods1/Investigations</h3><svg"));
    // Unmarked again: gone from the case.
    ok(&auditview(
        &[
            "case",
            "node",
            "my.auditcase",
            "--path",
            "pydiods1/Investigations",
            "--unstar",
            "--untag",
            "hot",
            "--note",
            "",
        ],
        dir,
    ));
    let info = ok(&auditview(&["case", "info", "my.auditcase", "--json"], dir));
    let info: serde_json::Value = serde_json::from_str(&info).unwrap();
    assert_eq!(info["nodes_marked"], 0);
}
