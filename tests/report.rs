//! Runs the real binary, `auditview report usage|logins|workgroups PATH...`,
//! on the hand-made case tests/fixtures/reports (every expected figure is
//! counted in its README.md) and on the BaseSpace samples (figures counted
//! from the input files), then writes reports to CSV and XLSX and reads them back.

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::{Value, json};

use crate::support::hash::sha256_of;

use crate::support::cli::Run;

const CASE: &str = "tests/fixtures/reports";
const LOGIN_CSV: &str = "tests/fixtures/reports/basespace_login.csv";
const SAMPLES_BASESPACE: &str = "assets/samples/basespace";

fn auditview(args: &[&str]) -> Run {
    crate::support::cli::run(args, &[])
}

fn text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// `report --json REPORT PATHS FLAGS`: the rows.
fn report(which: &str, paths: &[&str], flags: &[&str]) -> Vec<Value> {
    let mut args = vec!["report", which, "--json"];
    args.extend_from_slice(paths);
    args.extend_from_slice(flags);
    let run = auditview(&args);
    assert_eq!(run.code, 0, "{args:?}\nstderr: {}", run.stderr);
    match serde_json::from_str(&run.stdout) {
        Ok(Value::Array(rows)) => rows,
        other => panic!("{args:?}: not a JSON array: {other:?}\n{}", run.stdout),
    }
}

/// (user, source, logins, failed_logins, active_days, events) of usage rows.
fn usage_figures(rows: &[Value]) -> Vec<(String, String, Value, Value, Value, Value)> {
    rows.iter()
        .map(|r| {
            (
                r["user"].as_str().unwrap_or_default().to_string(),
                r["source"].as_str().unwrap_or_default().to_string(),
                r["logins"].clone(),
                r["failed_logins"].clone(),
                r["active_days"].clone(),
                r["events"].clone(),
            )
        })
        .collect()
}

fn row(
    user: &str,
    source: &str,
    figures: [Value; 4],
) -> (String, String, Value, Value, Value, Value) {
    let [logins, failed, days, events] = figures;
    (
        user.to_string(),
        source.to_string(),
        logins,
        failed,
        days,
        events,
    )
}

const COMPUTED: &str = "computed";
const BASESPACE: &str = "basespace report";
const NONE: Value = Value::Null;

#[test]
fn usage_counts_each_user_and_shows_the_basespace_rows_beside() {
    let rows = report("usage", &[CASE], &[]);
    assert_eq!(
        usage_figures(&rows),
        [
            row("ann", COMPUTED, [json!(1), json!(1), json!(3), json!(4)]),
            row(
                "ann@lab.example",
                COMPUTED,
                [json!(2), json!(1), json!(2), json!(4)]
            ),
            row("ann@lab.example", BASESPACE, [NONE, NONE, NONE, NONE]),
            row(
                "ben@lab.example",
                COMPUTED,
                [json!(1), json!(0), json!(2), json!(2)]
            ),
            row("ben@lab.example", BASESPACE, [NONE, NONE, NONE, NONE]),
            row("bob", COMPUTED, [json!(0), json!(0), json!(2), json!(3)]),
        ]
    );
    let ann = &rows[0];
    assert_eq!(ann["actors"], json!(["ann", "user-ann"]));
    assert_eq!(ann["systems"], json!(["dnanexus", "pydio"]));
    assert_eq!(ann["last_login"], "2024-03-03T09:00:00Z");
    assert_eq!(ann["first_seen"], "2024-03-01T07:00:00Z");
    assert_eq!(ann["last_seen"], "2024-03-03T09:01:00Z");
    assert_eq!(ann["evidence"], Value::Null);
    assert_eq!(rows[1]["last_login"], "2024-03-02T09:00:00Z");
    assert_eq!(rows[5]["last_login"], Value::Null, "bob never logged in");

    let reported = &rows[2];
    assert_eq!(reported["name"], "Ann Example");
    assert_eq!(reported["total_sessions"], 12);
    assert_eq!(reported["access_counts"], 15);
    assert_eq!(reported["last_login"], "2024-03-02T09:00:00Z");
    assert_eq!(reported["registration"], "2023-01-01T00:00:00Z");
    assert_eq!(
        reported["evidence"],
        json!({"path": "tests/fixtures/reports/general_usage.csv", "line": 2})
    );
    assert_eq!(rows[4]["name"], "Ben, the Admin");
    assert_eq!(rows[4]["last_login"], Value::Null);
}

#[test]
fn the_time_frame_changes_the_computed_figures_only() {
    let rows = report(
        "usage",
        &[CASE],
        &["--from", "2024-03-02", "--to", "2024-03-02"],
    );
    assert_eq!(
        usage_figures(&rows),
        [
            row("ann", COMPUTED, [json!(0), json!(0), json!(1), json!(1)]),
            row(
                "ann@lab.example",
                COMPUTED,
                [json!(1), json!(0), json!(1), json!(2)]
            ),
            row("ann@lab.example", BASESPACE, [NONE, NONE, NONE, NONE]),
            row(
                "ben@lab.example",
                COMPUTED,
                [json!(1), json!(0), json!(1), json!(1)]
            ),
            row("ben@lab.example", BASESPACE, [NONE, NONE, NONE, NONE]),
            row("bob", COMPUTED, [json!(0), json!(0), json!(1), json!(1)]),
        ]
    );
    assert_eq!(rows[2]["total_sessions"], 12, "report rows are not cut");

    // --tz reads the typed time: 10:30 in Paris is 09:30Z, which lets in
    // L6 (10:00Z) besides L5, P4 and P5; 10:30Z does not.
    let from = ["--from", "2024-03-02 10:30"];
    assert_eq!(report("logins", &[CASE], &from).len(), 3);
    let paris = [from[0], from[1], "--tz", "Europe/Paris"];
    assert_eq!(report("logins", &[CASE], &paris).len(), 4);
}

#[test]
fn logins_list_every_login_type_event_in_time_order() {
    let rows = report("logins", &[CASE], &[]);
    let dates: Vec<&str> = rows.iter().map(|r| r["date"].as_str().unwrap()).collect();
    assert_eq!(
        dates,
        [
            "2024-03-01T08:00:00Z",
            "2024-03-01T08:05:00Z",
            "2024-03-02T09:00:00Z",
            "2024-03-02T10:00:00Z",
            "2024-03-02T17:00:00Z",
            "2024-03-03T09:00:00Z",
            "2024-03-03T09:01:00Z",
        ]
    );
    let categories: Vec<&str> = rows
        .iter()
        .map(|r| r["category"].as_str().unwrap())
        .collect();
    assert_eq!(
        categories,
        [
            "login",
            "login_failed",
            "login",
            "login",
            "logout",
            "login",
            "login_failed"
        ]
    );
    assert_eq!(
        rows[3],
        json!({
            "date": "2024-03-02T10:00:00Z",
            "category": "login",
            "report_category": "API Key",
            "client_address": "203.0.113.5",
            "application": "=HYPERLINK(\"http://evil.example\")",
            "user": "ben@lab.example",
            "person": "",
            "domain": "lab",
            "event_type": "API_KEY_AUTH",
            "outcome": "success",
            "system": "basespace",
            "evidence": {"path": LOGIN_CSV, "line": 6},
        })
    );
    let pydio_failure = &rows[6];
    assert_eq!(pydio_failure["user"], "ann");
    assert_eq!(pydio_failure["client_address"], "192.0.2.10");
    assert_eq!(pydio_failure["outcome"], "failure");
    assert_eq!(pydio_failure["report_category"], "");
    assert_eq!(pydio_failure["evidence"]["line"], 5);

    let day2 = report(
        "logins",
        &[CASE],
        &["--from", "2024-03-02", "--to", "2024-03-02"],
    );
    let lines: Vec<u64> = day2
        .iter()
        .map(|r| r["evidence"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [4, 6, 5]);
}

/// (group, group_kind, member, role, events, evidence line) of workgroup rows.
fn members(rows: &[Value]) -> Vec<(String, String, String, String, Value, u64)> {
    rows.iter()
        .map(|r| {
            let s = |key: &str| r[key].as_str().unwrap_or_default().to_string();
            (
                s("group"),
                s("group_kind"),
                s("member"),
                s("role"),
                r["events"].clone(),
                r["evidence"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn member(
    group: &str,
    kind: &str,
    who: &str,
    role: &str,
    events: Value,
    line: u64,
) -> (String, String, String, String, Value, u64) {
    (
        group.into(),
        kind.into(),
        who.into(),
        role.into(),
        events,
        line,
    )
}

#[test]
fn workgroups_show_members_roles_owners_and_active_actors() {
    let rows = report("workgroups", &[CASE], &[]);
    assert_eq!(
        members(&rows),
        [
            member("Dossier A", "cell", "ann", "owner", NONE, 1),
            member("Dossier A", "cell", "ann", "seen active", json!(1), 1),
            member("Dossier A", "cell", "bob", "seen active", json!(2), 2),
            member("Study X", "project", "user-ann", "owner", NONE, 2),
            member("Study X", "project", "user-ann", "seen active", json!(1), 2),
            member("Study X", "project", "user-bob", "seen active", json!(1), 3),
            member(
                "WG-Alpha",
                "workgroup",
                "ann@lab.example",
                "Workgroup Admin",
                NONE,
                2
            ),
            member(
                "WG-Alpha",
                "workgroup",
                "ben@lab.example",
                "Workgroup User",
                NONE,
                3
            ),
        ]
    );
    let admin = &rows[6];
    assert_eq!(admin["has_access"], true);
    assert_eq!(rows[7]["has_access"], false);
    assert_eq!(rows[7]["member_name"], "Ben, the Admin");
    assert_eq!(admin["description"], "Sequencing, \"core\"");
    assert_eq!(admin["administrator"], "ann@lab.example");
    assert_eq!(admin["added"], "2024-01-05T09:00:00Z");
    assert_eq!(admin["source"], "basespace report");
    assert_eq!(
        admin["evidence"]["path"],
        "tests/fixtures/reports/workgroup.csv"
    );
    assert_eq!(rows[0]["group_id"], "c-1");
    assert_eq!(rows[0]["source"], "computed");
    assert_eq!(
        rows[0]["evidence"]["path"],
        "tests/fixtures/reports/audit.log"
    );

    let later = report("workgroups", &[CASE], &["--from", "2024-03-03"]);
    assert_eq!(
        members(&later),
        [
            member("Dossier A", "cell", "ann", "owner", NONE, 1),
            member("Dossier A", "cell", "bob", "seen active", json!(1), 3),
            member("Study X", "project", "user-ann", "owner", NONE, 2),
            member("Study X", "project", "user-bob", "seen active", json!(1), 3),
            member(
                "WG-Alpha",
                "workgroup",
                "ann@lab.example",
                "Workgroup Admin",
                NONE,
                2
            ),
            member(
                "WG-Alpha",
                "workgroup",
                "ben@lab.example",
                "Workgroup User",
                NONE,
                3
            ),
        ]
    );
}

#[test]
fn the_basespace_samples_give_the_counts_of_their_files() {
    // login_report: 44 rows, one ACCOUNT_LOCKED (not a login event).
    let logins = report("logins", &[SAMPLES_BASESPACE], &[]);
    assert_eq!(logins.len(), 43);
    // 15 distinct User-email values in the login report, 31 General Usage rows.
    let usage = report("usage", &[SAMPLES_BASESPACE], &[]);
    let computed: Vec<&Value> = usage.iter().filter(|r| r["source"] == COMPUTED).collect();
    assert_eq!((computed.len(), usage.len() - computed.len()), (15, 31));
    // m.keller: 6 LOGIN_FAILURE and the ACCOUNT_LOCKED, all on 2024-03-11.
    let keller = computed
        .iter()
        .find(|r| r["user"] == "m.keller@genomicslab.example")
        .expect("m.keller has a computed row");
    assert_eq!(
        (
            &keller["logins"],
            &keller["failed_logins"],
            &keller["events"],
            &keller["active_days"]
        ),
        (&json!(0), &json!(6), &json!(7), &json!(1))
    );
    // 31 workgroup rows; no event of these files names a cell or project.
    let groups = report("workgroups", &[SAMPLES_BASESPACE], &[]);
    assert_eq!(groups.len(), 31);
    let tumour = groups
        .iter()
        .filter(|r| r["group"] == "WG-Tumour Board")
        .count();
    assert_eq!(tumour, 8);

    // The whole sample case adds the 30 rows of the Pydio shared-resources report.
    let all = report("workgroups", &["assets/samples"], &[]);
    let pydio = all
        .iter()
        .filter(|r| r["source"] == "pydio shared-resources report")
        .count();
    let basespace = all.iter().filter(|r| r["source"] == BASESPACE).count();
    assert_eq!((pydio, basespace), (30, 31));
}

#[test]
fn the_text_table_has_a_header_and_a_row_count() {
    let run = auditview(&["report", "logins", CASE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let columns: Vec<&str> = lines[0].split("  ").filter(|c| !c.is_empty()).collect();
    // Every column has a value in some row, so all twelve are shown.
    assert_eq!(columns.len(), 12, "{}", lines[0]);
    assert_eq!(&columns[..2], ["Date (UTC)", "Category"]);
    // Columns line up: each row's date ends where the header's padding does.
    let category_at = lines[0].find("Category").unwrap();
    assert_eq!(lines[1].find("login"), Some(category_at), "{}", lines[1]);
    assert_eq!(lines.len(), 1 + 7 + 1);
    assert_eq!(lines[8], "7 rows");
}

fn sidecar_of(output: &Path) -> Value {
    let mut name = output.as_os_str().to_owned();
    name.push(".provenance.json");
    let text = std::fs::read_to_string(name).expect("the provenance sidecar");
    serde_json::from_str(&text).expect("the sidecar is JSON")
}

#[test]
fn a_csv_report_round_trips_with_protection_and_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("logins.csv");
    let run = auditview(&[
        "report",
        "logins",
        CASE,
        "--output",
        text(&output),
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary: Value = serde_json::from_str(&run.stdout).expect("a JSON summary");
    let sha = sha256_of(&output);
    assert_eq!(
        summary,
        json!({"output": text(&output), "format": "csv", "rows": 7, "sha256": sha, "report": "logins"})
    );

    let mut reader = csv::Reader::from_path(&output).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "Date (UTC)",
            "Category",
            "Report Category",
            "Client Address",
            "Application",
            "User",
            "Person",
            "Domain",
            "Event Type",
            "Outcome",
            "System",
            "Source File",
            "Source Line"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 7);
    assert_eq!(&records[3][4], "'=HYPERLINK(\"http://evil.example\")");
    assert_eq!(&records[3][0], "2024-03-02T10:00:00Z");
    assert_eq!(&records[3][11], LOGIN_CSV);
    assert_eq!(&records[3][12], "6");
    for record in &records {
        for cell in record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "unprotected cell {cell:?}"
            );
        }
    }

    let provenance = sidecar_of(&output);
    assert_eq!(provenance["report"], "logins");
    assert_eq!(provenance["rows"], 7);
    assert_eq!(provenance["sha256"], sha);
    assert_eq!(provenance["format"], "csv");
    assert_eq!(provenance["sources"].as_array().map(Vec::len), Some(5));

    // An existing file is kept unless --force; an input never is.
    let again = auditview(&["report", "logins", CASE, "--output", text(&output)]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    assert_eq!(sha256_of(&output), sha);
    let forced = auditview(&[
        "report",
        "usage",
        CASE,
        "--output",
        text(&output),
        "--force",
    ]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(
        forced.stdout.starts_with("wrote the usage report, 6 rows"),
        "{}",
        forced.stdout
    );
    let input = auditview(&["report", "logins", CASE, "--output", LOGIN_CSV, "--force"]);
    assert_eq!(input.code, 1);
    assert!(
        input.stderr.contains("evidence is never overwritten"),
        "{}",
        input.stderr
    );
}

#[test]
fn an_xlsx_report_has_its_sheet_sources_and_filter() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("usage.xlsx");
    let run = auditview(&[
        "report",
        "usage",
        CASE,
        "--from",
        "2024-03-02",
        "--output",
        text(&output),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book: Xlsx<_> = open_workbook(&output).expect("a workbook");
    assert_eq!(book.sheet_names(), ["Usage", "Sources", "Filter"]);
    let usage: Vec<Vec<Data>> = book
        .worksheet_range("Usage")
        .unwrap()
        .rows()
        .map(<[Data]>::to_vec)
        .collect();
    // Header + 6 rows; from the 2nd, ann@lab.example (computed) has L4, L5.
    assert_eq!(usage.len(), 7);
    assert_eq!(usage[0][0], Data::String("User".into()));
    assert_eq!(usage[2][0], Data::String("ann@lab.example".into()));
    assert_eq!(usage[2][8], Data::Float(2.0), "Events is a number");
    assert!(
        matches!(&usage[2][6], Data::DateTime(_)),
        "Last Login is a date-time: {:?}",
        usage[2][6]
    );
    let filter: Vec<Vec<Data>> = book
        .worksheet_range("Filter")
        .unwrap()
        .rows()
        .map(<[Data]>::to_vec)
        .collect();
    assert_eq!(filter[1][0], Data::String("Report".into()));
    assert_eq!(filter[1][1], Data::String("usage".into()));
    let sources = book.worksheet_range("Sources").unwrap();
    assert_eq!(sources.rows().count(), 1 + 5);
    assert_eq!(sidecar_of(&output)["report"], "usage");
}

#[test]
fn bad_usage_and_unreadable_inputs_have_their_exit_codes() {
    assert_eq!(auditview(&["report", "nonsense", CASE]).code, 2);
    let bad_time = auditview(&["report", "usage", CASE, "--from", "yesterday"]);
    assert_eq!(bad_time.code, 2);
    assert!(bad_time.stderr.contains("--from"), "{}", bad_time.stderr);
    assert_eq!(
        auditview(&["report", "usage", "tests/fixtures/reports/missing.csv"]).code,
        1
    );
}
