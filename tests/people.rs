//! People: on the sample case, the links the evidence proposes (with their
//! proofs), a person followed across the three systems once accepted, the
//! usage report grouped by person, decisions kept in a case file, aliases
//! files read or refused clearly.

use std::path::Path;

use crate::support::cli;
use cli::{auditview, auditview_in, json, ok};

fn matched(args: &[&str]) -> u64 {
    let mut all = vec!["inspect", "--json", "assets/samples"];
    all.extend_from_slice(args);
    json(&auditview(&all))["matched"].as_u64().unwrap()
}

#[test]
fn the_evidence_proposes_links_with_reasons_and_the_lines_that_prove_them() {
    let view = json(&auditview(["people", "--json", "assets/samples"]));
    let proposals = view["proposals"].as_array().unwrap();
    let find = |a: &str, b: &str| {
        proposals
            .iter()
            .find(|p| p["a"] == a && p["b"] == b)
            .unwrap_or_else(|| panic!("no proposal {a} = {b}: {proposals:#?}"))
    };
    let alice = find("user-amartin", "alice.martin");
    assert_eq!(alice["decision"], "proposed");
    let reason = &alice["reasons"][0];
    assert_eq!(reason["rule"], "dnanexus_handle_is_initial_and_surname");
    assert_eq!(
        reason["proofs"][0],
        serde_json::json!({"path": "assets/samples/dnanexus/audit_trail_2024-03-14.csv", "line": 16})
    );
    let bob = find("e3d2c1b0-a9f8-4e7d-b6c5-a4b3c2d1e0f9", "bob.okafor");
    assert_eq!(bob["reasons"][0]["rule"], "account_id_of_login");
    let jerome = find("jerome.dubois@genomicslab.example", "jérôme.dubois");
    let rules: Vec<&str> = jerome["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["email_local_part_is_login", "report_names_the_login"]
    );
    assert_eq!(proposals.len(), 14);
    // Nothing is one person before a decision.
    assert_eq!(view["persons"], serde_json::json!([]));
}

#[test]
fn accepted_links_make_one_person_followed_across_the_three_systems() {
    let view = json(&auditview([
        "people",
        "--json",
        "assets/samples",
        "--accept-proposals",
    ]));
    let persons = view["persons"].as_array().unwrap();
    let alice = persons
        .iter()
        .find(|p| p["name"] == "Alice Martin")
        .expect("the report's name names the person");
    let identifiers: Vec<&str> = alice["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["identifier"].as_str().unwrap())
        .collect();
    assert_eq!(
        identifiers,
        [
            "alice.martin",
            "alice.martin@genomicslab.example",
            "user-amartin"
        ]
    );
    assert_eq!(alice["events"], 52);
    assert_eq!(
        alice["systems"],
        serde_json::json!(["dnanexus", "pydio", "basespace"])
    );
    // Each country with when it was first seen and the event that shows it.
    let first_country = &alice["countries"][0];
    assert!(first_country["value"].as_str().unwrap().len() >= 2);
    assert!(first_country["proof"]["line"].as_u64().unwrap() > 0);
    assert_eq!(
        matched(&["--accept-proposals", "--person", "Alice Martin"]),
        37 + 2 + 13
    );
    assert_eq!(
        matched(&["--accept-proposals", "--person", "user-amartin"]),
        52
    );
    let unknown = auditview(["inspect", "assets/samples", "--person", "Alice Martin"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no person is called"));
}

#[test]
fn accepting_a_link_changes_the_usage_report_grouping() {
    let rows_of = |extra: &[&str]| -> Vec<serde_json::Value> {
        let mut args = vec!["report", "usage", "assets/samples", "--json"];
        args.extend_from_slice(extra);
        json(&auditview(&args)).as_array().unwrap().clone()
    };
    let computed = |rows: &[serde_json::Value], user: &str| -> Option<serde_json::Value> {
        rows.iter()
            .find(|r| r["user"] == user && r["source"] == "computed")
            .cloned()
    };
    let apart = rows_of(&[]);
    assert_eq!(computed(&apart, "alice.martin").unwrap()["events"], 37);
    assert_eq!(computed(&apart, "amartin").unwrap()["events"], 13);
    let together = rows_of(&["--accept-proposals"]);
    let alice = computed(&together, "Alice Martin").unwrap();
    assert_eq!(alice["events"], 52);
    assert!(computed(&together, "amartin").is_none());
}

#[test]
fn decisions_are_kept_in_the_case_and_a_rejected_link_stays_apart() {
    let dir = tempfile::tempdir().unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples");
    let samples = samples.to_str().unwrap();
    let case = |args: &[&str]| ok(&auditview_in(dir.path(), args));
    case(&["case", "new", "c.auditcase", samples]);
    case(&[
        "case",
        "accept",
        "c.auditcase",
        "user-amartin",
        "alice.martin",
    ]);
    let view = json(&auditview_in(
        dir.path(),
        ["people", "--json", "--case", "c.auditcase"],
    ));
    let persons = view["persons"].as_array().unwrap();
    assert_eq!(persons.len(), 1);
    assert_eq!(persons[0]["name"], "alice.martin");
    assert_eq!(persons[0]["links"][0]["by"], "accepted");
    case(&[
        "case",
        "reject",
        "c.auditcase",
        "user-kwanlee",
        "kwan.lee@genomicslab.example",
    ]);
    let all = json(&auditview_in(
        dir.path(),
        [
            "people",
            "--json",
            "--case",
            "c.auditcase",
            "--accept-proposals",
        ],
    ));
    let kwan = all["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["a"] == "user-kwanlee")
        .unwrap()
        .clone();
    assert_eq!(kwan["decision"], "rejected");
    assert!(all["persons"].as_array().unwrap().iter().all(|p| {
        p["identifiers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["identifier"] != "user-kwanlee")
    }));
    // Each decision is in the action log, whose chain still holds.
    case(&["case", "verify", "c.auditcase"]);
    let report = dir.path().join("report.html");
    case(&[
        "report",
        "case",
        "c.auditcase",
        "--output",
        report.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(
        html.contains("accepted user-amartin = alice.martin"),
        "the log names the decision"
    );
}

#[test]
fn an_aliases_file_names_persons_and_a_bad_one_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("aliases.csv");
    std::fs::write(
        &csv,
        "person,identifier\nJérôme Dubois,jérôme.dubois\nJérôme Dubois,user-jdubois\n",
    )
    .unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples");
    let args = |aliases: &Path| {
        vec![
            "inspect".to_string(),
            "--json".to_string(),
            samples.display().to_string(),
            "--aliases".to_string(),
            aliases.display().to_string(),
            "--person".to_string(),
            "Jérôme Dubois".to_string(),
        ]
    };
    let run = |aliases: &Path| {
        let args = args(aliases);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        auditview(&args)
    };
    assert_eq!(json(&run(&csv))["matched"], 25 + 9);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"persons\": 3}").unwrap();
    let output = run(&bad);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not an aliases JSON file"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}
