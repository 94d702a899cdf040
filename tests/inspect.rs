//! Runs the real binary, `auditview inspect [--json] PATH...`, on inputs whose
//! answers are known, and checks the exact numbers. The expected answers of
//! the hand-made fixtures are documented in tests/fixtures/README.md; the
//! samples in assets/samples are the synthetic exports the formats were
//! written from. Nothing here reads outside the crate (no ../shared).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde_json::Value;

use crate::support::hash::sha256_hex;

use crate::support::cli::{Run, crate_dir};

fn samples() -> PathBuf {
    crate_dir().join("assets/samples")
}

fn fixture(name: &str) -> PathBuf {
    crate_dir().join("tests/fixtures").join(name)
}

fn auditview(args: &[&str], paths: &[&Path]) -> Run {
    let args = args
        .iter()
        .map(|a| a.as_ref())
        .chain(paths.iter().map(|p| p.as_os_str()));
    crate::support::cli::run(args.collect::<Vec<&std::ffi::OsStr>>(), &[])
}

/// `inspect --json` with extra flags (filters) before the paths.
fn inspect_with(flags: &[&str], paths: &[&Path]) -> (i32, Value, String) {
    let mut args = vec!["inspect", "--json"];
    args.extend_from_slice(flags);
    let run = auditview(&args, paths);
    let report: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "inspect --json printed no JSON ({e})\nstdout: {}\nstderr: {}",
            run.stdout, run.stderr
        )
    });
    (run.code, report, run.stderr)
}

fn inspect(paths: &[&Path]) -> (i32, Value, String) {
    inspect_with(&[], paths)
}

/// The `sources` entry for `path`, as displayed (the path as given or found).
fn source<'a>(report: &'a Value, path: &Path) -> &'a Value {
    let shown = path.display().to_string();
    report["sources"]
        .as_array()
        .expect("sources is an array")
        .iter()
        .find(|s| s["path"] == shown.as_str())
        .unwrap_or_else(|| panic!("no source {shown} in {:#}", report["sources"]))
}

fn paths_of(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|entry| entry["path"].as_str().expect("a path").to_string())
        .collect()
}

/// (line, reason) of every reject, in report order.
fn rejects(report: &Value) -> Vec<(u64, String)> {
    report["rejects"]
        .as_array()
        .expect("rejects is an array")
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().expect("a line number"),
                r["reason"].as_str().expect("a reason").to_string(),
            )
        })
        .collect()
}

/// Format, rows, events and rejected of one source, plus its hash and size
/// against the bytes as stored.
fn assert_source(report: &Value, path: &Path, format: &str, rows: u64, events: u64, rejected: u64) {
    let s = source(report, path);
    let shown = path.display();
    assert_eq!(s["format"], format, "format of {shown}");
    assert_eq!(s["rows"], rows, "rows of {shown}");
    assert_eq!(s["events"], events, "events of {shown}");
    assert_eq!(s["rejected"], rejected, "rejected of {shown}");
    let stored = std::fs::read(path).expect("the input is readable");
    assert_eq!(s["bytes"], stored.len() as u64, "bytes of {shown}");
    assert_eq!(s["sha256"], sha256_hex(&stored), "sha256 of {shown}");
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip in memory");
    encoder.finish().expect("gzip in memory")
}

// 1. The samples

#[test]
fn every_sample_loads_with_its_format_and_known_counts() {
    let (code, report, stderr) = inspect(&[&samples()]);
    assert_eq!(code, 0, "{stderr}");
    let expected: [(&str, &str, u64, u64); 8] = [
        (
            "basespace/general_usage_report_2024-03-01_2024-03-15.csv",
            "basespace-usage-csv",
            31,
            0,
        ),
        (
            "basespace/login_report_2024-03-01_2024-03-15.csv",
            "basespace-login-csv",
            44,
            44,
        ),
        (
            "basespace/workgroup_report_2024-03-01_2024-03-15.INFERRED.csv",
            "basespace-workgroup-csv",
            31,
            0,
        ),
        (
            "dnanexus/audit_trail_2024-03-14.csv",
            "dnanexus-audit-csv",
            53,
            53,
        ),
        (
            "pydio/audit-2024-03-14T23-00-02.318.log",
            "pydio-audit-jsonl",
            32,
            32,
        ),
        (
            "pydio/audit-export-2024-03-15.csv",
            "pydio-shared-resources",
            30,
            0,
        ),
        ("pydio/audit.log", "pydio-audit-jsonl", 44, 44),
        (
            "pydio/log-audit-export.response.json",
            "pydio-audit-export-json",
            36,
            36,
        ),
    ];
    // Folders are read in name order.
    let paths: Vec<String> = expected
        .iter()
        .map(|(name, ..)| samples().join(name).display().to_string())
        .collect();
    assert_eq!(paths_of(&report["sources"]), paths);
    for (name, format, rows, events) in expected {
        assert_source(&report, &samples().join(name), format, rows, events, 0);
    }
    assert_eq!(report["events"], 209);
    assert_eq!(report["matched"], 209);
    assert_eq!(report["rejected"], 0);
    assert_eq!(report["rejects"], serde_json::json!([]));
    assert_eq!(report["skipped"], serde_json::json!([]));
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(report["first"], "2024-03-01T08:28:20Z");
    assert_eq!(report["last"], "2024-03-15T18:25:25Z");
    assert_eq!(
        report["directory"],
        serde_json::json!({"users": 31, "memberships": 31, "shared_resources": 30})
    );
}

// 2. DNAnexus CSV, the awkward cases

#[test]
fn dnanexus_csv_with_crlf_bom_quotes_and_a_second_header_counts_exactly() {
    let path = fixture("dnanexus_messy.csv");
    let (code, report, stderr) = inspect(&[&path]);
    assert_eq!(code, 0, "rejects do not fail the run: {stderr}");
    // 4 events + 2 rejects; the header, the blank line and the repeated header are not rows.
    assert_source(&report, &path, "dnanexus-audit-csv", 6, 4, 2);
    assert_eq!(report["events"], 4);
    assert_eq!(report["rejected"], 2);
    // Line 5 only because the record on line 3 spans two physical lines.
    assert_eq!(
        rejects(&report),
        [
            (
                5,
                "12 fields where 13 are expected (a field missing, or a comma outside quotes)"
                    .to_string()
            ),
            (
                9,
                "timestamp '2024-13-45T08:00:00Z' is not a date".to_string()
            ),
        ]
    );
    let raw = report["rejects"][0]["raw"].as_str().unwrap();
    assert_eq!(
        raw,
        "2024-03-14T08:02:00Z,203.0.113.18,dxpy/0.413.0,user-jdubois,system-whoami,,,,,Yes,{},Zf3b"
    );
    assert_eq!(report["rejects"][0]["path"], path.display().to_string());
    // Fractional seconds survive: .250 on the first event, .5 on the last.
    assert_eq!(report["first"], "2024-03-14T08:00:00.250Z");
    assert_eq!(report["last"], "2024-03-15T09:05:30.500Z");

    // The quoted name with a comma, doubled quotes and a line break reads as one value.
    let (_, found, _) = inspect_with(&["--text", "QC report, S01 \"final\""], &[&path]);
    assert_eq!(found["matched"], 1);
    let (_, found, _) = inspect_with(&["--text", "part 2.pdf"], &[&path]);
    assert_eq!(found["matched"], 1);
}

#[test]
fn dnanexus_csv_without_a_header_is_recognized_by_its_rows() {
    let path = fixture("dnanexus_headerless.csv");
    let (code, report, stderr) = inspect(&[&path]);
    assert_eq!(code, 0, "{stderr}");
    assert_source(&report, &path, "dnanexus-audit-csv", 3, 3, 0);
    assert_eq!(report["first"], "2024-03-14T00:00:07Z");
    assert_eq!(report["last"], "2024-03-14T00:01:12Z");
}

#[test]
fn a_headerless_dnanexus_file_starting_with_a_rejected_time_is_still_recognized() {
    // Detection reads the first row's time for its form only: a leap second
    // there is one reject, not an unrecognized file.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("dnanexus_headerless.csv")).unwrap();
    let text = text.replacen("2024-03-14T00:00:07Z", "2016-12-31T23:59:60Z", 1);
    let path = dir.path().join("trail.csv");
    std::fs::write(&path, text).unwrap();
    let (code, report, stderr) = inspect(&[&path]);
    assert_eq!(code, 0, "{stderr}");
    assert_source(&report, &path, "dnanexus-audit-csv", 3, 2, 1);
    assert!(rejects(&report)[0].1.contains("leap second"), "{report}");
}

// 3. Pydio audit.log, the awkward cases

#[test]
fn pydio_json_lines_reject_bad_lines_by_number_and_keep_the_rest() {
    let path = fixture("pydio_messy.log");
    let (code, report, stderr) = inspect(&[&path]);
    assert_eq!(code, 0, "{stderr}");
    // 3 events + 3 rejects; the two blank lines are not rows.
    assert_source(&report, &path, "pydio-audit-jsonl", 6, 3, 3);
    let found = rejects(&report);
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].0, 3);
    assert!(
        found[0].1.starts_with("not a JSON record: "),
        "{}",
        found[0].1
    );
    assert_eq!(
        found[1],
        (4, "no time: the 'ts' field is missing".to_string())
    );
    assert_eq!(
        found[2],
        (
            5,
            "timestamp '2024-02-30T10:00:00Z' is not a date".to_string()
        )
    );
    // +01:00 offsets are converted to UTC.
    assert_eq!(report["first"], "2024-03-15T09:41:20Z");
    assert_eq!(report["last"], "2024-03-15T10:00:05Z");

    // Ports are stripped from both address shapes.
    for (ip, matched) in [("2001:db8::1", 1), ("192.0.2.7", 1), ("192.0.2.0/24", 1)] {
        let (_, found, _) = inspect_with(&["--ip", ip], &[&path]);
        assert_eq!(found["matched"], matched, "--ip {ip}");
    }
    // Duplicate UserName/UserUuid: the first is the actor, the second the target.
    let (_, found, _) = inspect_with(&["--user", "alice.martin"], &[&path]);
    assert_eq!(found["matched"], 2);
    let (_, found, _) = inspect_with(&["--user", "bob.durand"], &[&path]);
    assert_eq!(found["matched"], 0);
    let (_, found, _) = inspect_with(&["--text", "bob.durand"], &[&path]);
    assert_eq!(found["matched"], 1);
}

// 4. gzip

#[test]
fn gzip_loads_like_the_plain_file_and_hashes_the_compressed_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let log = std::fs::read(samples().join("pydio/audit.log")).unwrap();
    let csv = std::fs::read(samples().join("dnanexus/audit_trail_2024-03-14.csv")).unwrap();
    let log_gz = dir.path().join("audit-2024-03-15T23-00-00.000.log.gz");
    let csv_gz = dir.path().join("audit_trail_2024-03-14.csv.gz");
    std::fs::write(&log_gz, gzip(&log)).unwrap();
    std::fs::write(&csv_gz, gzip(&csv)).unwrap();

    let (code, report, stderr) = inspect(&[&log_gz, &csv_gz]);
    assert_eq!(code, 0, "{stderr}");
    // assert_source hashes the file as stored, i.e. the compressed bytes.
    assert_source(&report, &log_gz, "pydio-audit-jsonl", 44, 44, 0);
    assert_source(&report, &csv_gz, "dnanexus-audit-csv", 53, 53, 0);
    assert_ne!(source(&report, &log_gz)["sha256"], sha256_hex(&log));

    let (_, plain, _) = inspect(&[&samples().join("pydio/audit.log")]);
    let (_, packed, _) = inspect(&[&log_gz]);
    for key in ["events", "rejected", "first", "last"] {
        assert_eq!(plain[key], packed[key], "{key}");
    }
}

#[test]
fn truncated_gzip_keeps_the_events_before_the_damage_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let log = std::fs::read(samples().join("pydio/audit.log")).unwrap();
    let packed = gzip(&log);
    let cut = dir.path().join("audit.log.gz");
    std::fs::write(&cut, &packed[..packed.len() / 2]).unwrap();

    let (code, report, stderr) = inspect(&[&cut]);
    assert_eq!(code, 0, "damage is a reject, not a failed input: {stderr}");
    let s = source(&report, &cut);
    assert_eq!(s["format"], "pydio-audit-jsonl");
    let events = s["events"].as_u64().unwrap();
    assert!(events > 0 && events < 44, "{events} events before the cut");
    assert_eq!(s["rejected"], 1);
    assert_eq!(s["rows"], events + 1);
    assert_eq!(report["events"], events);
    // The reject is the line the damage cut through: audit.log has no blank lines.
    let found = rejects(&report);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, events + 1);
    assert!(found[0].1.contains("gzip"), "{}", found[0].1);
    assert_eq!(s["bytes"], (packed.len() / 2) as u64);
    assert_eq!(s["sha256"], sha256_hex(&packed[..packed.len() / 2]));
}

#[test]
fn concatenated_gzip_members_load_as_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let rotated = std::fs::read(samples().join("pydio/audit-2024-03-14T23-00-02.318.log")).unwrap();
    let current = std::fs::read(samples().join("pydio/audit.log")).unwrap();
    // `cat a.gz b.gz > both.gz`
    let mut both = gzip(&rotated);
    both.extend_from_slice(&gzip(&current));
    let path = dir.path().join("both.log.gz");
    std::fs::write(&path, &both).unwrap();

    let (code, report, stderr) = inspect(&[&path]);
    assert_eq!(code, 0, "{stderr}");
    assert_source(&report, &path, "pydio-audit-jsonl", 76, 76, 0);
    assert_eq!(report["sources"].as_array().unwrap().len(), 1);
}

#[test]
fn a_csv_larger_than_one_parse_chunk_keeps_exact_counts_and_lines() {
    // Over 5 MiB, so it is parsed in several chunks (4 MiB each, see
    // src/sources/mod.rs); every record spans two lines (a quoted CRLF), so
    // a chunk may only end outside quotes and line numbers must carry over.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "Timestamp,IP Address,User Agent,Acting User ID,Action,Object ID,Object Name,Project ID,Project Name,Success Status,Info,Label,Auth Token\r\n",
    );
    let mut records: u64 = 0;
    while text.len() < 5 << 20 {
        let s = records % 86_400;
        text.push_str(&format!(
            "2024-03-14T{:02}:{:02}:{:02}Z,203.0.113.18,\"dxpy/0.413.0 (Linux, x86_64)\",user-jdubois,file-download,file-Ykj5,\"run {records}\r\nreads.bam\",project-Gb,WGS,Yes,\"{{\"\"n\"\":{records}}}\",,Zf3b\r\n",
            s / 3600,
            s / 60 % 60,
            s % 60
        ));
        records += 1;
    }
    text.push_str(
        "2024-13-45T08:00:00Z,203.0.113.18,dxpy,user-a,system-whoami,,,,,Yes,{},,Zf3b\r\n",
    );
    let path = dir.path().join("audit_trail_big.csv");
    std::fs::write(&path, &text).unwrap();

    let (code, report, stderr) = inspect(&[&path]);
    assert_eq!(code, 0, "{stderr}");
    assert_source(
        &report,
        &path,
        "dnanexus-audit-csv",
        records + 1,
        records,
        1,
    );
    // Header on line 1, two lines per record, then the bad row.
    assert_eq!(
        rejects(&report),
        [(
            2 * records + 2,
            "timestamp '2024-13-45T08:00:00Z' is not a date".to_string()
        )]
    );
}

// 5. Folders and named inputs

#[test]
fn a_folder_loads_what_it_recognizes_and_lists_what_it_skips() {
    let folder = fixture("folder");
    let (code, report, stderr) = inspect(&[&folder]);
    assert_eq!(code, 0, "{stderr}");
    let csv = folder.join("audit_trail_2024-03-14.csv");
    let nested = folder.join("sub/audit.log");
    assert_eq!(
        paths_of(&report["sources"]),
        [csv.display().to_string(), nested.display().to_string()]
    );
    assert_source(&report, &csv, "dnanexus-audit-csv", 2, 2, 0);
    assert_source(&report, &nested, "pydio-audit-jsonl", 3, 3, 0);
    assert_eq!(report["events"], 5);
    // notes.txt and the hidden file are skipped, each with its reason.
    let skipped = report["skipped"].as_array().unwrap();
    assert_eq!(
        paths_of(&report["skipped"]),
        [
            folder.join(".hidden-notes.txt").display().to_string(),
            folder.join("notes.txt").display().to_string()
        ]
    );
    let hidden = skipped[0]["reason"].as_str().unwrap();
    assert!(hidden.starts_with("hidden file"), "{hidden}");
    let reason = skipped[1]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("not a recognized audit format"),
        "{reason}"
    );
    assert_eq!(report["errors"], serde_json::json!([]));
}

#[test]
fn a_named_file_that_is_not_an_audit_export_fails_the_run() {
    let notes = fixture("folder/notes.txt");
    let (code, report, stderr) = inspect(&[&notes]);
    assert_eq!(code, 1);
    let shown = notes.display().to_string();
    assert!(stderr.contains(&shown), "stderr: {stderr}");
    assert_eq!(report["errors"][0]["path"], shown.as_str());
    assert_eq!(report["sources"], serde_json::json!([]));

    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("audit.log");
    std::fs::write(&empty, b"").unwrap();
    let (code, report, stderr) = inspect(&[&empty]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&empty.display().to_string()),
        "stderr: {stderr}"
    );
    assert_eq!(report["errors"][0]["message"], "the file is empty");
}

#[test]
fn a_missing_path_fails_the_run_but_the_other_inputs_are_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-audit.log");
    let (code, report, stderr) = inspect(&[&missing]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&missing.display().to_string()),
        "stderr: {stderr}"
    );
    assert_eq!(report["errors"][0]["message"], "no such file or folder");

    let good = fixture("dnanexus_headerless.csv");
    let (code, report, _) = inspect(&[&missing, &good]);
    assert_eq!(code, 1);
    assert_eq!(paths_of(&report["sources"]), [good.display().to_string()]);
    assert_eq!(report["events"], 3);
}

#[test]
fn inspect_without_a_path_is_a_usage_error() {
    let run = auditview(&["inspect"], &[]);
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
    let run = auditview(&["inspect", "--json"], &[]);
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
}

// 6. Pydio export JSON cut short

#[test]
fn a_cut_short_pydio_export_keeps_the_records_before_the_cut() {
    let path = fixture("pydio_export_cut.json");
    let (code, report, stderr) = inspect(&[&path]);
    assert_eq!(code, 0, "{stderr}");
    assert_source(&report, &path, "pydio-audit-export-json", 3, 2, 1);
    let found = rejects(&report);
    assert_eq!(found.len(), 1);
    // The third record opens on line 23 and is never closed.
    assert_eq!(found[0].0, 23);
    assert_eq!(report["rejects"][0]["kind"], "cut-short");
    assert!(
        found[0]
            .1
            .starts_with("the record stops before its end: the file is cut short"),
        "{}",
        found[0].1
    );
    assert_eq!(report["first"], "2024-03-15T17:15:31Z");
    assert_eq!(report["last"], "2024-03-15T18:02:03Z");
}

// 7. Evidence is read-only

/// Every file at or under `path`, hidden ones included, with its bytes and
/// modification time.
fn snapshot(path: &Path, out: &mut Vec<(PathBuf, Vec<u8>, SystemTime)>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for entry in entries {
            snapshot(&entry, out);
        }
    } else {
        let modified = std::fs::metadata(path).unwrap().modified().unwrap();
        out.push((path.to_path_buf(), std::fs::read(path).unwrap(), modified));
    }
}

#[test]
fn loading_leaves_every_fixture_byte_for_byte_and_time_unchanged() {
    // This file's fixtures only (other tests keep theirs under tests/fixtures too).
    let inputs = [
        fixture("folder"),
        fixture("dnanexus_messy.csv"),
        fixture("dnanexus_headerless.csv"),
        fixture("pydio_messy.log"),
        fixture("pydio_export_cut.json"),
    ];
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let mut before = Vec::new();
    for input in &inputs {
        snapshot(input, &mut before);
    }
    let (code, report, stderr) = inspect(&inputs);
    let mut after = Vec::new();
    for input in &inputs {
        snapshot(input, &mut after);
    }
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(before.len(), 8);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.0, a.0);
        assert!(b.1 == a.1, "{} changed", b.0.display());
        assert_eq!(b.2, a.2, "{} modification time changed", b.0.display());
    }
    // 6 files loaded (2 from the folder), notes.txt and the hidden file skipped.
    assert_eq!(report["sources"].as_array().unwrap().len(), 6);
    assert_eq!(report["events"], 2 + 3 + 4 + 3 + 3 + 2);
    assert_eq!(report["rejected"], 2 + 3 + 1);
    assert_eq!(
        paths_of(&report["skipped"]),
        [
            fixture("folder/.hidden-notes.txt").display().to_string(),
            fixture("folder/notes.txt").display().to_string()
        ]
    );
}

// 8. The human report

#[test]
fn the_human_report_names_each_file_and_the_totals() {
    let messy = fixture("dnanexus_messy.csv");
    let lines = fixture("pydio_messy.log");
    let run = auditview(&["inspect"], &[&messy, &lines]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    for path in [&messy, &lines] {
        assert!(
            run.stdout.contains(&path.display().to_string()),
            "{}",
            run.stdout
        );
    }
    assert!(run.stdout.contains("dnanexus-audit-csv"), "{}", run.stdout);
    assert!(run.stdout.contains("pydio-audit-jsonl"), "{}", run.stdout);
    assert!(
        run.stdout.contains("2 files, 7 events, 5 rejected"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!(
            "{}:5: 12 fields where 13 are expected (a field missing, or a comma outside quotes)",
            messy.display()
        )),
        "{}",
        run.stdout
    );

    let run = auditview(&["inspect"], &[&samples()]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(
        run.stdout.contains("8 files, 209 events, 0 rejected"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_link_to_a_folder_is_listed_as_skipped_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    std::fs::create_dir(&case).unwrap();
    std::fs::copy(fixture("dnanexus_headerless.csv"), case.join("trail.csv")).unwrap();
    // A link back to the case itself would make a naive walk loop forever.
    let link = case.join("loop");
    std::os::unix::fs::symlink(&case, &link).unwrap();
    let (code, report, stderr) = inspect(&[&case]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["sources"].as_array().unwrap().len(), 1);
    assert_eq!(paths_of(&report["skipped"]), [link.display().to_string()]);
    let reason = report["skipped"][0]["reason"].as_str().unwrap();
    assert!(reason.starts_with("link to a folder"), "{reason}");
}

#[test]
fn a_gzip_damaged_before_any_content_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let full = gzip(&std::fs::read(samples().join("pydio/audit.log")).unwrap());
    let broken = dir.path().join("audit.log.gz");
    std::fs::write(&broken, &full[..12]).unwrap();
    let run = auditview(&["inspect"], &[&broken]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("gzip data is damaged"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("empty"), "{}", run.stderr);
}

#[test]
fn what_inspect_prints_cannot_steer_the_terminal() {
    // An OSC escape in a timestamp retitled the terminal through the reject
    // reason; one in a file name through the table and the skip list.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit\u{1b}[2J.log");
    std::fs::write(
        &log,
        "{\"level\":\"info\",\"ts\":\"2024-03-15T09:41:20Z\",\"msg\":\"Read\",\"MsgId\":\"12\",\"UserName\":\"a\"}\n\
         {\"level\":\"info\",\"ts\":\"\\u001b]0;PWNED\\u0007\",\"msg\":\"Read\",\"MsgId\":\"12\"}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("notes\u{202e}txt.exe"),
        "not an audit export\n",
    )
    .unwrap();
    let run = auditview(&["inspect"], &[dir.path()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for text in [&run.stdout, &run.stderr] {
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(!text.contains('\u{7}'), "{text}");
        assert!(!text.contains('\u{202e}'), "{text}");
    }
    assert!(
        run.stdout.contains("‹U+001B›]0;PWNED‹U+0007›"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("audit‹U+001B›[2J.log"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("notes‹U+202E›txt.exe"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_quote_inside_an_unquoted_field_parses_the_same_in_a_big_file() {
    // `5" disk` is a character, not an opening quote (as the csv crate reads
    // it). Before, in a file over one parse chunk, the quote flipped the
    // boundary scan, so a chunk was cut inside the next quoted record and a
    // valid record became two rejects; the same rows in a small file parsed.
    let dir = tempfile::tempdir().unwrap();
    let header = "Timestamp,IP Address,User Agent,Acting User ID,Action,Object ID,Object Name,Project ID,Project Name,Success Status,Info,Label,Auth Token\n";
    let row = |i: u64, name: &str| {
        let s = i % 86_400;
        format!(
            "2024-03-14T{:02}:{:02}:{:02}Z,203.0.113.18,dxpy,user-a,file-download,file-{i},{name},project-Gb,WGS,Yes,{{}},,Zf3b\n",
            s / 3600,
            s / 60 % 60,
            s % 60
        )
    };
    let mut text = String::from(header);
    let mut records = 0u64;
    text.push_str(&row(records, "5\" disk image"));
    records += 1;
    while text.len() < 9 << 20 {
        text.push_str(&row(records, &format!("\"scan {records}\nreads.bam\"")));
        records += 1;
    }
    let path = dir.path().join("audit_trail_quotes.csv");
    std::fs::write(&path, &text).unwrap();
    let (code, report, stderr) = inspect(&[&path]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(rejects(&report), []);
    assert_source(&report, &path, "dnanexus-audit-csv", records, records, 0);
}

#[test]
fn a_record_longer_than_the_limit_is_one_reject_and_the_file_goes_on() {
    use auditview::sources::{Limits, LoadProgress, load_with};
    // 1 MiB limit; a 3 MiB line without an end in the middle. Before, it was
    // buffered whole and rescanned for every block read (quadratic).
    let dir = tempfile::tempdir().unwrap();
    let line = |minute: u32| {
        format!(
            "{{\"level\":\"info\",\"ts\":\"2024-03-15T09:{minute:02}:00Z\",\"msg\":\"Read\",\"MsgId\":\"12\",\"UserName\":\"a\"}}\n"
        )
    };
    let mut text = line(1) + &line(2);
    text.push_str(&"x".repeat(3 << 20));
    text.push('\n');
    text.push_str(&(line(3) + &line(4)));
    let path = dir.path().join("audit.log");
    std::fs::write(&path, &text).unwrap();
    let limits = Limits {
        max_record_bytes: 1 << 20,
        ..Limits::default()
    };
    let loaded = load_with(&[path], &LoadProgress::default(), &limits);
    let store = &loaded.store;
    assert_eq!(store.events.len(), 4);
    assert_eq!(store.events.line, [1, 2, 4, 5]);
    assert_eq!(store.rejects.len(), 1);
    assert_eq!(store.rejects[0].line, 3);
    assert!(
        store.rejects[0].reason.contains("longer than 1.0 MB"),
        "{}",
        store.rejects[0].reason
    );
    assert!(store.rejects[0].raw.len() <= 1024);
    assert_eq!(store.sources[0].rows, 5);
    assert_eq!(store.sources[0].bytes, text.len() as u64);
}

#[cfg(unix)]
#[test]
fn a_pipe_is_read_once_whole_and_hashed_as_read() {
    // `cat audit.log | auditview inspect /dev/stdin` reported 0 rows and the
    // hash of nothing: detection had already read the pipe.
    use std::io::Write;
    use std::process::Stdio;
    let log = samples().join("pydio/audit.log");
    let bytes = std::fs::read(&log).unwrap();
    let mut child = crate::support::cli::binary()
        .args(["inspect", "--json", "/dev/stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&bytes));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let piped: Value = serde_json::from_slice(&output.stdout).unwrap();
    let (_, direct, _) = inspect(&[&log]);
    let (p, d) = (&piped["sources"][0], &direct["sources"][0]);
    for key in ["format", "sha256", "bytes", "rows", "events", "rejected"] {
        assert_eq!(p[key], d[key], "{key}");
    }
    assert!(d["rows"].as_u64().unwrap() > 0);
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_folder_is_skipped_not_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("dnanexus_headerless.csv"),
        dir.path().join("trail.csv"),
    )
    .unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Hung before: opening a FIFO waits for a writer.
    let (code, report, stderr) = inspect(&[dir.path()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["events"], 3);
    let skipped = report["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0]["reason"].as_str().unwrap().contains("a pipe"));
}

#[test]
fn a_file_of_bad_lines_keeps_ten_thousand_rejects_and_counts_the_rest() {
    // 20 MB of bad lines kept every reject (2.4 GB resident before).
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "{\"level\":\"info\",\"ts\":\"2024-03-15T09:41:20Z\",\"msg\":\"Read\",\"MsgId\":\"12\",\"UserName\":\"a\"}\n",
    );
    let bad = 25_000u64;
    for i in 0..bad {
        text.push_str(&format!("not json {i}\n"));
    }
    let path = dir.path().join("audit.log");
    std::fs::write(&path, &text).unwrap();
    let (code, report, stderr) = inspect(&[&path]);
    assert_eq!(code, 0, "{stderr}");
    assert_source(&report, &path, "pydio-audit-jsonl", bad + 1, 1, bad);
    assert_eq!(report["rejected"], bad);
    let kept = rejects(&report);
    assert_eq!(kept.len(), 10_000);
    // The first lines are the ones kept, whatever order chunks finished in.
    assert_eq!(kept.first().unwrap().0, 2);
    assert_eq!(kept.last().unwrap().0, 10_001);
    let omitted = &report["rejects_not_kept"][0];
    assert_eq!(omitted["count"], bad - 10_000);
    assert_eq!(omitted["first_line"], 10_002);
    assert_eq!(omitted["last_line"], bad + 1);
}

#[test]
fn a_gzip_that_decompresses_past_the_ratio_limit_stops_with_a_reject() {
    use auditview::sources::{Limits, LoadProgress, load_with};
    // 45 MB of gzip became 10 GB of lines and aborted the load before.
    let dir = tempfile::tempdir().unwrap();
    let line = "{\"level\":\"info\",\"ts\":\"2024-03-15T09:41:20Z\",\"msg\":\"Read\",\"MsgId\":\"12\",\"UserName\":\"a\"}\n";
    let text = line.repeat(40_000);
    let path = dir.path().join("audit.log.gz");
    std::fs::write(&path, gzip(text.as_bytes())).unwrap();
    let limits = Limits {
        max_gzip_ratio: 10,
        ..Limits::default()
    };
    let loaded = load_with(
        std::slice::from_ref(&path),
        &LoadProgress::default(),
        &limits,
    );
    let store = &loaded.store;
    let events = store.events.len();
    assert!(events > 1_000 && events < 40_000, "{events}");
    assert_eq!(store.rejects.len(), 1);
    assert!(
        store.rejects[0]
            .reason
            .contains("a limit against gzip bombs"),
        "{}",
        store.rejects[0].reason
    );
    // Within the default ratio, the same file loads whole.
    let whole = load_with(&[path], &LoadProgress::default(), &Limits::default());
    assert_eq!(whole.store.events.len(), 40_000);
}

#[test]
fn a_nul_in_a_later_record_and_a_long_first_line_do_not_hide_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let line = |minute: u32, user: &str| {
        format!(
            "{{\"level\":\"info\",\"ts\":\"2024-03-15T09:{minute:02}:00Z\",\"msg\":\"Read\",\"MsgId\":\"12\",\"UserName\":\"{user}\"}}\n"
        )
    };
    // One NUL in the second record refused the whole file as binary.
    let with_nul = dir.path().join("nul.log");
    std::fs::write(&with_nul, line(1, "a") + &line(2, "b\0c") + &line(3, "d")).unwrap();
    // A first line over 64 KB made the file unrecognized.
    let long_first = dir.path().join("long.log");
    std::fs::write(&long_first, line(1, &"x".repeat(100_000)) + &line(2, "b")).unwrap();
    let (code, report, stderr) = inspect(&[&with_nul, &long_first]);
    assert_eq!(code, 0, "{stderr}");
    assert_source(&report, &with_nul, "pydio-audit-jsonl", 3, 2, 1);
    assert_source(&report, &long_first, "pydio-audit-jsonl", 2, 2, 0);
}

#[test]
fn the_limits_are_set_by_flags() {
    let dir = tempfile::tempdir().unwrap();
    let line = "{\"level\":\"info\",\"ts\":\"2024-03-15T09:41:20Z\",\"msg\":\"Read\",\"MsgId\":\"12\",\"UserName\":\"a\"}\n";
    let text = format!("{line}{}\n{line}not json\nnot json\n", "x".repeat(3 << 20));
    let path = dir.path().join("audit.log");
    std::fs::write(&path, text).unwrap();
    let (code, report, stderr) = inspect_with(
        &["--max-record-mib", "1", "--max-rejects-kept", "1"],
        &[&path],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["rejected"], 3);
    let kept = rejects(&report);
    assert_eq!(kept.len(), 1);
    assert!(kept[0].1.contains("longer than 1.0 MB"), "{}", kept[0].1);
    assert_eq!(report["rejects_not_kept"][0]["count"], 2);
    let run = auditview(&["inspect", "--help"], &[]);
    assert!(run.stdout.contains("--max-gzip-ratio"), "{}", run.stdout);
}

/// The peak resident memory of `inspect` on `path`, as it reports it.
#[cfg(target_os = "linux")]
fn peak_rss_of_inspect(path: &Path, flags: &[&str]) -> u64 {
    let run = crate::support::cli::run(
        ["inspect"]
            .iter()
            .copied()
            .chain(flags.iter().copied())
            .map(std::ffi::OsStr::new)
            .chain([path.as_os_str()]),
        &[("AUDITVIEW_TIMING", "1")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stderr
        .lines()
        .find_map(|l| l.strip_prefix("[memory] peak RSS: "))
        .and_then(|v| v.strip_suffix(" bytes"))
        .and_then(|v| v.parse().ok())
        .expect("the peak is reported")
}

#[cfg(target_os = "linux")]
#[test]
fn memory_stays_bounded_on_a_file_of_bad_lines_and_on_a_gzip_bomb() {
    let dir = tempfile::tempdir().unwrap();
    // 24 MB of bad lines: every reject was kept (about 100 bytes each).
    let bad = dir.path().join("audit.log");
    let mut text = String::from(
        "{\"level\":\"info\",\"ts\":\"2024-03-15T09:41:20Z\",\"msg\":\"Read\",\"MsgId\":\"12\",\"UserName\":\"a\"}\n",
    );
    text.push_str(&"not json\n".repeat(2_700_000));
    std::fs::write(&bad, &text).unwrap();
    let peak = peak_rss_of_inspect(&bad, &[]);
    // The input, the kept rejects (10,000 of at most 1 KiB) and the program.
    assert!(peak < 2 * text.len() as u64 + (64 << 20), "{peak} bytes");

    // 256 MB of one byte and no newline, in 250 KB of gzip.
    let bomb = dir.path().join("audit.log.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&bomb).unwrap(),
        flate2::Compression::fast(),
    );
    let block = vec![b'a'; 1 << 20];
    encoder
        .write_all(b"{\"level\":\"info\",\"ts\":\"2024-03-15T09:41:20Z\",\"msg\":\"Read\",\"MsgId\":\"12\"}\n")
        .unwrap();
    for _ in 0..256 {
        encoder.write_all(&block).unwrap();
    }
    encoder.finish().unwrap();
    let peak = peak_rss_of_inspect(&bomb, &["--max-record-mib", "8"]);
    // Never more than one record's limit and a block or so, not the 256 MB.
    assert!(peak < 96 << 20, "{peak} bytes");
}

#[test]
fn a_csv_with_carriage_returns_alone_numbers_its_lines() {
    // Every reject of a CR-only file was at line 1.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("dnanexus_headerless.csv"))
        .unwrap()
        .replace('\n', "\r");
    let text = text.replacen("2024-03-14T00:01:12Z", "2024-13-45T00:01:12Z", 1);
    let path = dir.path().join("trail.csv");
    std::fs::write(&path, text).unwrap();
    let (code, report, stderr) = inspect(&[&path]);
    assert_eq!(code, 0, "{stderr}");
    assert_source(&report, &path, "dnanexus-audit-csv", 3, 2, 1);
    assert_eq!(rejects(&report)[0].0, 3);
}

#[test]
fn a_file_growing_while_it_is_read_is_reported() {
    use auditview::sources::{LoadProgress, load};
    use std::sync::atomic::{AtomicBool, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.log");
    let line = "{\"level\":\"info\",\"ts\":\"2024-03-15T09:41:20Z\",\"msg\":\"Read\",\"MsgId\":\"12\",\"UserName\":\"a\"}\n";
    std::fs::write(&path, line.repeat(50_000)).unwrap();
    // A log still being written: lines keep arriving during the load.
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let writer = {
        let (path, stop) = (path.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
            // Bounded, so the load does not chase the file for long.
            for _ in 0..5_000 {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                file.write_all(line.as_bytes()).unwrap();
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(20));
    let loaded = load(std::slice::from_ref(&path), &LoadProgress::default());
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    let change = loaded.store.sources[0]
        .changed_while_read
        .as_deref()
        .expect("the change is reported");
    assert!(change.contains("changed while it was read"), "{change}");
    // A file left alone says nothing.
    let (_, report, _) = inspect(&[&fixture("pydio_messy.log")]);
    assert!(report["sources"][0].get("changed_while_read").is_none());
}
