//! Runs the real binary, `auditview inspect --json tests/fixtures/filter
//! FILTER`, and checks how many events each filter flag matches (and the
//! span of the matched events where time is the point). The 21 events of the
//! fixture and every expected answer are listed in
//! tests/fixtures/filter/README.md.

use std::path::PathBuf;

use serde_json::Value;

use crate::support::cli::{Run, crate_dir};

fn case_dir() -> PathBuf {
    crate_dir().join("tests/fixtures/filter")
}

fn auditview(args: &[&str], env: &[(&str, &str)]) -> Run {
    crate::support::cli::run(args, env)
}

/// `inspect --json <case> FLAGS` with `env` set for the child; the report.
fn inspect_env(flags: &[&str], env: &[(&str, &str)]) -> Value {
    let case = case_dir();
    let case = case.to_str().expect("a UTF-8 path");
    let mut args = vec!["inspect", "--json", case];
    args.extend_from_slice(flags);
    let run = auditview(&args, env);
    assert_eq!(run.code, 0, "{flags:?}: exit code\nstderr: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "{flags:?}: inspect --json printed no JSON ({e})\nstdout: {}\nstderr: {}",
            run.stdout, run.stderr
        )
    })
}

fn inspect(flags: &[&str]) -> Value {
    inspect_env(flags, &[])
}

/// The number of events `flags` match.
fn matched(flags: &[&str]) -> u64 {
    let report = inspect(flags);
    report["matched"]
        .as_u64()
        .unwrap_or_else(|| panic!("{flags:?}: no 'matched' in {report}"))
}

/// Asserts the count of each filter, naming the filter when it is wrong.
fn check(cases: &[(&[&str], u64)]) {
    let mut wrong = Vec::new();
    for (flags, expected) in cases {
        let got = matched(flags);
        if got != *expected {
            wrong.push(format!("{flags:?}: matched {got}, expected {expected}"));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

/// Asserts matched, first and last of one filter.
fn check_span(flags: &[&str], count: u64, first: &str, last: &str) {
    check_span_env(flags, &[], count, first, last);
}

fn check_span_env(flags: &[&str], env: &[(&str, &str)], count: u64, first: &str, last: &str) {
    let report = inspect_env(flags, env);
    assert_eq!(report["matched"], count, "{flags:?} matched");
    assert_eq!(report["first"], first, "{flags:?} first");
    assert_eq!(report["last"], last, "{flags:?} last");
}

#[test]
fn the_case_loads_whole_and_an_empty_filter_matches_everything() {
    let report = inspect(&[]);
    assert_eq!(report["events"], 21);
    assert_eq!(report["rejected"], 0);
    assert_eq!(report["matched"], 21);
    assert_eq!(report["first"], "2024-03-13T08:00:00Z");
    assert_eq!(report["last"], "2024-03-16T07:00:00Z");
    let formats: Vec<&str> = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["format"].as_str().unwrap())
        .collect();
    assert_eq!(
        formats,
        [
            "pydio-audit-jsonl",
            "basespace-login-csv",
            "dnanexus-audit-csv"
        ]
    );
    // The filter is echoed as the saved shape, empty.
    assert_eq!(report["filter"]["version"], 1);
    assert_eq!(report["filter"]["users"], serde_json::json!([]));
}

#[test]
fn node_type() {
    check(&[(&["--type", "file"], 10), (&["--type", "folder"], 2)]);
}

#[test]
fn path_without_star_is_the_node_and_everything_beneath_it() {
    check(&[
        // ds/a itself, and ds/a/b.txt twice; never ds/ab.txt.
        (&["--path", "ds/a"], 3),
        (&["--path", "ds/a/"], 3),
        (&["--path", "ds/a/b.txt"], 2),
        (&["--path", "ds/ab.txt"], 1),
        (&["--path", "Study X"], 5),
        (&["--path", "personal/carol"], 2),
        // A prefix of a name is not a node.
        (&["--path", "ds/a/b"], 0),
        (&["--path", "personal/car"], 0),
        // Case-sensitive.
        (&["--path", "DS/a"], 0),
        (&["--path", "study x"], 0),
    ]);
}

#[test]
fn path_star_matches_any_run_including_slashes() {
    check(&[
        (&["--path", "ds/a*"], 4),
        (&["--path", "ds/*"], 5),
        (&["--path", "*.txt"], 6),
        (&["--path", "*/=SUM*"], 2),
        (&["--path", "*b.txt"], 3),
        (&["--path", "ds/*.jpg"], 1),
        (&["--path", "*"], 12),
        (&["--path", "*.TXT"], 0),
    ]);
}

#[test]
fn resource_kind() {
    check(&[
        (&["--kind", "workspace"], 3),
        (&["--kind", "cell"], 4),
        (&["--kind", "link"], 3),
        (&["--kind", "public_link"], 3),
        (&["--kind", "project"], 5),
        (&["--kind", "workgroup"], 0),
        (&["--kind", "cell", "--kind", "link"], 7),
    ]);
}

#[test]
fn owner() {
    check(&[
        // Like --user, a bare name also matches the DNAnexus owner `user-alice`.
        (&["--owner", "alice"], 12),
        (&["--owner", "carol"], 2),
        (&["--owner", "user-alice"], 5),
        (&["--owner", "Alice"], 12),
        (&["--owner", "bob"], 0),
        (&["--owner", "alice", "--owner", "carol"], 14),
    ]);
}

#[test]
fn user_with_the_dnanexus_user_prefix_and_any_case() {
    check(&[
        (&["--user", "alice"], 7),
        (&["--user", "ALICE"], 7),
        (&["--user", "user-alice"], 3),
        (&["--user", "bob"], 4),
        (&["--user", "alice@lab.example"], 1),
        (&["--user", "cf498178a3b2"], 1),
        (&["--user", "ali"], 0),
    ]);
}

#[test]
fn action_category_outcome_system() {
    check(&[
        (&["--action", "Retrieved object"], 4),
        (&["--action", "retrieved OBJECT"], 4),
        (&["--action", "file-download"], 2),
        (&["--action", "LOGIN_FAILURE"], 1),
        (&["--action", "Retrieved"], 0),
        (&["--category", "download"], 6),
        (&["--category", "login"], 3),
        (&["--category", "login_failed"], 2),
        (&["--category", "logout"], 1),
        (&["--category", "share"], 2),
        (&["--category", "create"], 3),
        (&["--category", "read"], 2),
        (&["--category", "list"], 1),
        (&["--category", "upload"], 1),
        (&["--category", "delete"], 0),
        (&["--outcome", "success"], 17),
        (&["--outcome", "failure"], 3),
        (&["--outcome", "unknown"], 1),
        (&["--system", "pydio"], 11),
        (&["--system", "dnanexus"], 6),
        (&["--system", "basespace"], 4),
    ]);
}

#[test]
fn ip_addresses_and_cidr_blocks_v4_and_v6() {
    check(&[
        // IPv6 block: in 2001:db8:1::/48 are 2001:db8:1::10, 2001:db8:1:ff::66
        // and 2001:db8:1::99; not 2001:db8::1 nor 2001:db8:2::5.
        (&["--ip", "2001:db8:1::/48"], 5),
        (&["--ip", "2001:db8::/32"], 7),
        // A host address with a prefix is read as its block.
        (&["--ip", "2001:db8:1::1234/48"], 5),
        (&["--ip", "10.1.2.0/24"], 5),
        (&["--ip", "10.0.0.0/8"], 6),
        (&["--ip", "10.1.2.3/32"], 3),
        // Single addresses, whatever their spelling; ports were stripped on load.
        (&["--ip", "2001:db8::1"], 1),
        (&["--ip", "2001:0db8:0000::0001"], 1),
        (&["--ip", "192.0.2.10"], 3),
        (&["--ip", "10.1.2.3"], 3),
        (&["--ip", "203.0.113.77"], 2),
        (&["--ip", "203.0.113.0/24"], 3),
        (&["--ip", "192.0.2.11"], 0),
        // An IPv4 block never matches IPv6 addresses and the reverse.
        (&["--ip", "0.0.0.0/0"], 14),
        (&["--ip", "::/0"], 7),
    ]);
}

#[test]
fn request_id_is_the_root_span() {
    check(&[
        (&["--request", "req-2"], 2),
        (&["--request", "req-1"], 1),
        (&["--request", "s-3"], 0),
        (&["--request", "s-4"], 1),
        (&["--request", "req-1", "--request", "req-2"], 3),
    ]);
}

#[test]
fn text_is_a_case_insensitive_substring_of_the_searched_fields() {
    check(&[
        // Resource name and node path.
        (&["--text", "STUDY x"], 5),
        (&["--text", "study x"], 5),
        // Message.
        (&["--text", "policy DENIED"], 1),
        // User agent.
        (&["--text", "hyperlink"], 1),
        // Actor.
        (&["--text", "LAB.EXAMPLE"], 4),
        // Object id.
        (&["--text", "n-notes"], 2),
        // IP.
        (&["--text", "2001:DB8:1:"], 5),
        // Action.
        (&["--text", "whoami"], 1),
        // Each text must occur.
        (&["--text", "study", "--text", "bob"], 2),
        (&["--text", "no such words anywhere"], 0),
    ]);
}

#[test]
fn repeating_a_flag_is_or() {
    check(&[
        (&["--user", "alice", "--user", "bob"], 11),
        (
            &["--action", "Retrieved object", "--action", "file-download"],
            6,
        ),
        (&["--ip", "10.1.2.0/24", "--ip", "2001:db8:1::/48"], 10),
        (&["--system", "pydio", "--system", "basespace"], 15),
        (&["--outcome", "failure", "--outcome", "unknown"], 4),
        (&["--type", "file", "--type", "folder"], 12),
        (&["--path", "ds/a", "--path", "personal/carol"], 5),
        (&["--category", "login", "--category", "login_failed"], 5),
    ]);
}

#[test]
fn different_flags_are_and() {
    check(&[
        (&["--user", "bob", "--system", "pydio"], 2),
        (&["--category", "download", "--kind", "cell"], 1),
        (&["--outcome", "failure", "--system", "basespace"], 1),
        (&["--user", "alice", "--user", "bob", "--type", "file"], 6),
        (&["--path", "ds/a", "--user", "bob"], 1),
        (&["--ip", "2001:db8::/32", "--outcome", "failure"], 2),
        // Two Pydio downloads and two DNAnexus downloads of user-alice's project.
        (&["--owner", "alice", "--category", "download"], 4),
        (&["--system", "dnanexus", "--to", "2024-03-14T10:06:00Z"], 3),
        (&["--user", "carol", "--from", "2024-03-15"], 2),
    ]);
}

#[test]
fn a_date_alone_as_to_means_the_end_of_that_day() {
    // P11 is 2024-03-15T23:30:00Z: inside the 15th in UTC.
    check_span(
        &["--to", "2024-03-15"],
        20,
        "2024-03-13T08:00:00Z",
        "2024-03-15T23:30:00Z",
    );
    check_span(
        &["--from", "2024-03-15", "--to", "2024-03-15"],
        11,
        "2024-03-15T08:00:00Z",
        "2024-03-15T23:30:00Z",
    );
    check_span(
        &["--from", "2024-03-16"],
        1,
        "2024-03-16T07:00:00Z",
        "2024-03-16T07:00:00Z",
    );
    check(&[(&["--from", "2024-03-17"], 0), (&["--to", "2024-03-12"], 0)]);
}

#[test]
fn dates_and_times_without_offset_are_read_in_the_tz_zone() {
    // In Paris P11 is 00:30 on the 16th: out of "up to the 15th", into "from the 16th".
    check_span(
        &["--tz", "Europe/Paris", "--to", "2024-03-15"],
        19,
        "2024-03-13T08:00:00Z",
        "2024-03-15T13:00:00Z",
    );
    check_span(
        &["--tz", "Europe/Paris", "--from", "2024-03-16"],
        2,
        "2024-03-15T23:30:00Z",
        "2024-03-16T07:00:00Z",
    );
    check_span(
        &[
            "--tz",
            "Europe/Paris",
            "--from",
            "2024-03-15 10:10",
            "--to",
            "2024-03-15 11:00",
        ],
        2,
        "2024-03-15T09:10:00Z",
        "2024-03-15T10:00:00Z",
    );
    // New York is on daylight time (UTC-4) since 2024-03-10.
    check_span(
        &["--tz", "America/New_York", "--from", "2024-03-15 19:30"],
        2,
        "2024-03-15T23:30:00Z",
        "2024-03-16T07:00:00Z",
    );
    check_span(
        &["--tz", "Asia/Tokyo", "--to", "2024-03-14"],
        9,
        "2024-03-13T08:00:00Z",
        "2024-03-14T10:09:00Z",
    );
    // Where the clocks jump over midnight, a date still means its whole day.
    check(&[
        (&["--tz", "America/Santiago", "--from", "2024-09-08"], 0),
        (&["--tz", "America/Santiago", "--to", "2024-09-07"], 21),
        (&["--tz", "Asia/Beirut", "--to", "2024-03-30"], 21),
    ]);
    check(&[
        (&["--tz", "UTC", "--to", "2024-03-15"], 20),
        (&["--tz", "utc", "--to", "2024-03-15"], 20),
    ]);
}

#[test]
fn tz_local_is_the_machine_zone() {
    check_span_env(
        &["--tz", "local", "--to", "2024-03-14"],
        &[("TZ", "Asia/Tokyo")],
        9,
        "2024-03-13T08:00:00Z",
        "2024-03-14T10:09:00Z",
    );
    check_span_env(
        &["--tz", "local", "--to", "2024-03-15"],
        &[("TZ", "Europe/Paris")],
        19,
        "2024-03-13T08:00:00Z",
        "2024-03-15T13:00:00Z",
    );
}

#[test]
fn times_with_an_offset_ignore_tz_and_both_bounds_are_inclusive() {
    let window = [
        "--from",
        "2024-03-15T10:00:00+01:00",
        "--to",
        "2024-03-15T11:00:00+01:00",
    ];
    check_span(&window, 2, "2024-03-15T09:10:00Z", "2024-03-15T10:00:00Z");
    let mut in_tokyo = window.to_vec();
    in_tokyo.extend(["--tz", "Asia/Tokyo"]);
    check_span(&in_tokyo, 2, "2024-03-15T09:10:00Z", "2024-03-15T10:00:00Z");
    check_span(
        &["--from", "2024-03-15 09:10", "--to", "2024-03-15 10:00:00"],
        2,
        "2024-03-15T09:10:00Z",
        "2024-03-15T10:00:00Z",
    );
    check_span(
        &[
            "--from",
            "2024-03-14T10:05:00Z",
            "--to",
            "2024-03-14T10:07:00Z",
        ],
        3,
        "2024-03-14T10:05:00Z",
        "2024-03-14T10:07:00Z",
    );
    // One millisecond past an event excludes it.
    check(&[
        (
            &[
                "--from",
                "2024-03-14T10:05:00.001Z",
                "--to",
                "2024-03-14T10:06:59.999Z",
            ],
            1,
        ),
        (
            &[
                "--from",
                "2024-03-15T23:30:00Z",
                "--to",
                "2024-03-15T23:30:00Z",
            ],
            1,
        ),
    ]);
}

#[test]
fn no_match_reports_no_span() {
    let report = inspect(&["--user", "nobody"]);
    assert_eq!(report["matched"], 0);
    assert_eq!(report["events"], 21);
    assert!(report["first"].is_null(), "{report}");
    assert!(report["last"].is_null(), "{report}");
}

#[test]
fn filter_file_is_the_start_and_flags_add_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, json: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, json).unwrap();
        path.to_str().unwrap().to_string()
    };
    let alice = write("alice.json", r#"{"version":1,"users":["alice"]}"#);
    let since_15 = write(
        "since.json",
        r#"{"version":1,"from":"2024-03-15T00:00:00Z","ips":["2001:db8:1::/48"]}"#,
    );
    let link_files = write(
        "links.json",
        r#"{"version":1,"kinds":["public_link"],"node_types":["file"]}"#,
    );
    let every_field = write(
        "full.json",
        r#"{"version":1,"node_types":["file"],"paths":["ds/*"],"kinds":[],"owners":["alice"],
            "from":"2024-03-15T08:00:00Z","to":"2024-03-15T12:00:00Z","users":[],"actions":[],
            "categories":["download","upload"],"outcomes":["success"],"systems":["pydio"],
            "ips":[],"requests":[],"texts":["b.txt"]}"#,
    );

    check(&[
        (&["--filter-file", &alice], 7),
        // Flags of another criterion narrow it (AND).
        (&["--filter-file", &alice, "--system", "dnanexus"], 3),
        // The same criterion adds alternatives (OR).
        (&["--filter-file", &alice, "--user", "bob"], 11),
        (&["--filter-file", &since_15], 3),
        (
            &[
                "--filter-file",
                &since_15,
                "--kind",
                "cell",
                "--kind",
                "link",
            ],
            2,
        ),
        (
            &["--filter-file", &since_15, "--to", "2024-03-15T08:05:00Z"],
            1,
        ),
        (&["--filter-file", &link_files], 1),
        (&["--filter-file", &every_field], 2),
        (&["--filter-file", &every_field, "--user", "bob"], 1),
    ]);
    // --from on the command line replaces the saved one.
    check_span(
        &["--filter-file", &since_15, "--from", "2024-03-13"],
        5,
        "2024-03-13T08:05:00Z",
        "2024-03-15T11:00:00Z",
    );
    // The report echoes the combined filter.
    let report = inspect(&["--filter-file", &alice, "--user", "bob"]);
    assert_eq!(
        report["filter"]["users"],
        serde_json::json!(["alice", "bob"])
    );
}

#[test]
fn bad_filter_files_exit_2_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "newer.json",
            r#"{"version":2,"users":["alice"]}"#,
            "version",
        ),
        ("unknown.json", r#"{"version":1,"colour":"red"}"#, "colour"),
        ("kind.json", r#"{"version":1,"kinds":["galaxy"]}"#, "galaxy"),
        (
            "ip.json",
            r#"{"version":1,"ips":["10.0.0.0/33"]}"#,
            "10.0.0.0/33",
        ),
        (
            "time.json",
            r#"{"version":1,"from":"yesterday"}"#,
            "yesterday",
        ),
        ("broken.json", r#"{"version":1,"#, "--filter-file"),
    ];
    let case = case_dir();
    for (name, json, named) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, json).unwrap();
        let run = auditview(
            &[
                "inspect",
                "--json",
                case.to_str().unwrap(),
                "--filter-file",
                path.to_str().unwrap(),
            ],
            &[],
        );
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{name}: {}", run.stdout);
        assert!(run.stderr.contains(named), "{name}: {}", run.stderr);
    }
    let missing = dir.path().join("missing.json");
    let run = auditview(
        &[
            "inspect",
            case.to_str().unwrap(),
            "--filter-file",
            missing.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--filter-file"), "{}", run.stderr);
}

#[test]
fn invalid_values_exit_2_naming_the_flag() {
    let case = case_dir();
    let case = case.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["--from", "nonsense"], "--from"),
        (&["--to", "2024-02-30"], "--to"),
        (&["--to", "15/03/2024"], "--to"),
        (&["--ip", "10.0.0.0/33"], "--ip"),
        (&["--ip", "2001:db8::/129"], "--ip"),
        (&["--ip", "not-an-address"], "--ip"),
        (&["--kind", "galaxy"], "--kind"),
        (&["--tz", "Mars/Olympus"], "--tz"),
        (&["--type", "symlink"], "--type"),
        (&["--outcome", "maybe"], "--outcome"),
        (&["--system", "splunk"], "--system"),
        (&["--system", "auditview"], "--system"),
        (&["--category", "teleport"], "--category"),
        (&["--path", ""], "--path"),
        // A wall-clock time skipped by the change to summer time.
        (
            &["--tz", "Europe/Paris", "--from", "2024-03-31 02:30"],
            "--from",
        ),
    ];
    for (flags, named) in cases {
        for command in ["inspect", "export"] {
            let mut args = vec![command, case];
            if command == "export" {
                args.extend(["--output", "never-written.csv"]);
            } else {
                args.push("--json");
            }
            args.extend_from_slice(flags);
            let run = auditview(&args, &[]);
            assert_eq!(run.code, 2, "{command} {flags:?}\nstderr: {}", run.stderr);
            assert!(
                run.stderr.contains(named),
                "{command} {flags:?}: the message does not name {named}\nstderr: {}",
                run.stderr
            );
            assert!(run.stdout.is_empty(), "{command} {flags:?}: {}", run.stdout);
        }
    }
    assert!(!crate_dir().join("never-written.csv").exists());
    // A range that ends before it starts.
    let run = auditview(
        &[
            "inspect",
            case,
            "--from",
            "2024-03-15",
            "--to",
            "2024-03-14",
        ],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("from"), "{}", run.stderr);
}

#[test]
fn an_invalid_saved_filter_names_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("bad-ip.json");
    std::fs::write(&saved, r#"{"version":1,"ips":["10.0.0.0/33"]}"#).unwrap();
    let case = case_dir();
    let run = auditview(
        &[
            "inspect",
            case.to_str().unwrap(),
            "--filter-file",
            saved.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--filter-file"), "{}", run.stderr);
    assert!(run.stderr.contains("bad-ip.json"), "{}", run.stderr);
}

#[test]
fn resource_selects_the_events_of_one_resource_by_id() {
    let all = crate::support::cli::run(["nodes", "--json", "assets/samples"], &[]);
    let nodes: serde_json::Value = serde_json::from_str(&all.stdout).unwrap();
    let link = nodes
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry"] == "resource" && e["kind"] == "public_link")
        .expect("a public link");
    let id = link["resource_id"].as_str().unwrap();
    let run = crate::support::cli::run(
        ["inspect", "--json", "assets/samples", "--resource", id],
        &[],
    );
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let matched = report["matched"].as_u64().unwrap();
    assert!(matched >= link["events"].as_u64().unwrap() && matched > 0);
    // Every event of the export with that id, and no other.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("link.csv");
    let run = crate::support::cli::run(
        [
            "export",
            "assets/samples",
            "--resource",
            id,
            "--output",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "Resource")
        .unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len() as u64, matched);
    assert!(rows.iter().all(|r| r[column].contains(id)));
}
