//! `auditview coverage` on a fixture counted by hand
//! (`fixtures/coverage/README.md`): missing days of a daily series, a
//! silence in a log, a file cut short, counts per system and day.

use crate::support::cli;
use cli::{auditview, json, ok};

const FIXTURE: &str = "tests/fixtures/coverage";

#[test]
fn missing_days_silences_and_a_cut_file_are_found_with_their_files() {
    let report = json(&auditview(["coverage", "--json", FIXTURE]));
    let systems = report["systems"].as_array().unwrap();
    let system = |name: &str| {
        systems
            .iter()
            .find(|s| s["system"] == name)
            .unwrap()
            .clone()
    };
    let dnanexus = system("dnanexus");
    assert_eq!(dnanexus["events"], 7);
    assert_eq!(
        dnanexus["missing_days"],
        serde_json::json!(["2024-03-03", "2024-03-04"])
    );
    let days: Vec<(String, u64)> = dnanexus["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["day"].as_str().unwrap().into(),
                d["events"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        days,
        [
            ("2024-03-01".to_string(), 3),
            ("2024-03-02".to_string(), 2),
            ("2024-03-05".to_string(), 2)
        ]
    );
    assert_eq!(dnanexus["silences"], serde_json::json!([]));
    let pydio = system("pydio");
    assert_eq!(pydio["events"], 11);
    let silences = pydio["silences"].as_array().unwrap();
    assert_eq!(silences.len(), 1);
    assert_eq!(silences[0]["from"], "2024-03-01T17:00:00Z");
    assert_eq!(silences[0]["to"], "2024-03-04T09:00:00Z");
    assert_eq!(silences[0]["hours"], 64.0);
    let files = report["files"].as_array().unwrap();
    let log = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("pydio/audit.log"))
        .unwrap();
    assert_eq!(
        (log["cut_short"].as_bool(), log["rejected"].as_u64()),
        (Some(true), Some(1))
    );
    assert!(files.iter().all(|f| f["overlaps"] == serde_json::json!([])));
    let first = files
        .iter()
        .find(|f| {
            f["path"]
                .as_str()
                .unwrap()
                .ends_with("audit_trail_2024-03-01.csv")
        })
        .unwrap();
    assert_eq!(first["named_day"], "2024-03-01");
}

#[test]
fn a_log_and_its_export_overlap_and_a_sparse_report_is_no_broken_log() {
    let report = json(&auditview(["coverage", "--json", "assets/samples"]));
    let files = report["files"].as_array().unwrap();
    let log = files
        .iter()
        .find(|f| f["path"] == "assets/samples/pydio/audit.log")
        .unwrap();
    assert_eq!(
        log["overlaps"],
        serde_json::json!(["assets/samples/pydio/log-audit-export.response.json"])
    );
    // BaseSpace's login report is sparse (a login every few hours): its
    // day-long quiet spells are its usual pace, not silences.
    let systems = report["systems"].as_array().unwrap();
    assert!(
        systems
            .iter()
            .all(|s| s["silences"] == serde_json::json!([]))
    );
    let text = ok(&auditview(["coverage", FIXTURE]));
    assert!(text.contains("missing day 2024-03-03"), "{text}");
    assert!(text.contains("[cut short; 1 rejected]"), "{text}");
}

/// The coverage line and the findings of one file.
fn file_and_findings(args: &[&str]) -> (serde_json::Value, Vec<serde_json::Value>) {
    let mut coverage = vec!["coverage", "--json"];
    coverage.extend(args);
    let report = json(&auditview(&coverage));
    let file = report["files"][0].clone();
    let mut findings = vec!["findings", "--json"];
    findings.extend(args);
    let found = json(&auditview(&findings));
    let found = found["findings"].as_array().cloned().unwrap_or_default();
    (file, found)
}

#[test]
fn a_clean_month_with_garbage_in_the_middle_is_not_called_cut_short() {
    let (file, findings) = file_and_findings(&["tests/fixtures/coverage_clean"]);
    assert_eq!(file["events"], 31);
    assert_eq!(file["rejected"], 3);
    assert_eq!(file["cut_short"], false, "{file}");
    let said = serde_json::to_string(&findings).unwrap();
    assert!(!said.contains("ends early"), "{said}");
}

#[test]
fn a_cut_tail_behind_more_rejects_than_are_kept_is_still_cut_short() {
    let (file, findings) =
        file_and_findings(&["tests/fixtures/coverage_cut", "--max-rejects-kept", "5"]);
    assert_eq!(file["events"], 5);
    assert_eq!(file["rejected"], 11);
    assert_eq!(file["cut_short"], true, "{file}");
    let said = serde_json::to_string(&findings).unwrap();
    assert!(said.contains("ends early"), "{said}");
}

#[test]
fn system_and_task_lines_of_a_pydio_log_are_not_counted_as_audit_coverage() {
    // Two audit lines a day apart, three system lines and a task line in
    // between: coverage counts 2 events on 2 days, and says the 4 others.
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        r#"{"level":"info","ts":"2024-03-14T09:00:00Z","logger":"pydio.rest.frontend","msg":"Listed folder ds/a","MsgId":"13","LogType":"audit"}"#,
        r#"{"level":"info","ts":"2024-03-14T10:00:00Z","logger":"pydio.grpc.tasks","msg":"ready"}"#,
        r#"{"level":"error","ts":"2024-03-14T11:00:00Z","logger":"pydio.rest.frontend","msg":"Rest Error 401"}"#,
        r#"{"level":"info","ts":"2024-03-14T12:00:00Z","logger":"pydio.grpc.jobs","msg":"Run Job","LogType":"tasks"}"#,
        r#"{"level":"info","ts":"2024-03-14T13:00:00Z","logger":"pydio.grpc.data","msg":"ready"}"#,
        r#"{"level":"info","ts":"2024-03-15T09:00:00Z","logger":"pydio.rest.frontend","msg":"Listed folder ds/b","MsgId":"13","LogType":"audit"}"#,
    ];
    std::fs::write(dir.path().join("pydio.log"), lines.join("\n") + "\n").unwrap();
    let path = dir.path().to_str().unwrap();
    let report = json(&auditview(["coverage", "--json", path]));
    let pydio = &report["systems"][0];
    assert_eq!(pydio["system"], "pydio");
    assert_eq!(pydio["events"], 2, "{pydio}");
    assert_eq!(pydio["system_lines"], 4, "{pydio}");
    // Their own strip: one day of 4 lines.
    assert_eq!(pydio["system_days"][0]["day"], "2024-03-14");
    assert_eq!(pydio["system_days"][0]["events"], 4);
    assert_eq!(pydio["system_days"].as_array().unwrap().len(), 1);
    assert_eq!(pydio["days"].as_array().unwrap().len(), 2);
    assert_eq!(pydio["first"], "2024-03-14T09:00:00Z");
    assert_eq!(report["files"][0]["events"], 6);
    let text = ok(&auditview(["coverage", path]));
    assert!(
        text.contains("4 system and task lines, not audit records"),
        "{text}"
    );
    // The filter keeps each kind apart.
    let out = tempfile::tempdir().unwrap();
    for (kind, rows) in [("audit", 2), ("system", 3), ("task", 1)] {
        let file = out.path().join(format!("{kind}.csv"));
        let file = file.to_str().unwrap();
        ok(&auditview([
            "export", path, "--log", kind, "--output", file,
        ]));
        let mut reader = csv::Reader::from_path(file).unwrap();
        let log_at = reader.headers().unwrap().iter().position(|h| h == "Log");
        let logs: Vec<String> = reader
            .records()
            .map(|r| r.unwrap()[log_at.unwrap()].to_string())
            .collect();
        assert_eq!(logs, vec![kind; rows]);
    }
    // A system log beside the audit log repeats no audit event: no overlap.
    std::fs::write(dir.path().join("system.log"), lines[1..5].join("\n") + "\n").unwrap();
    let report = json(&auditview(["coverage", "--json", path]));
    for file in report["files"].as_array().unwrap() {
        assert_eq!(file["overlaps"].as_array().unwrap().len(), 0, "{file}");
    }
}
