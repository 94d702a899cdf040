//! The Findings view driven through egui_kittest: the fixture's findings
//! listed as the CLI lists them, the coverage strip, a finding's events
//! shown in the table, starred and the finding reviewed in the case.

use crate::support::app_harness;
use crate::support::cli;
use crate::support::copy_dir;
use crate::support::geoip;

use std::path::Path;
use std::sync::Arc;

use auditview::ui::{AuditApp, FixedChooser, State};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use app_harness::{button, checkbox, step_until_idle};
use cli::{auditview, json, ok};

fn settle(harness: &mut Harness<'_, AuditApp>) {
    step_until_idle(harness);
    harness.step();
    harness.step();
}

#[test]
fn the_findings_view_lists_what_the_cli_lists_and_its_events_star_and_review_into_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    copy_dir::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/findings"),
        &evidence,
    );
    let (city, asn) = geoip::write_databases(dir.path());
    let case = dir.path().join("inv.auditcase");
    ok(&auditview([
        "case",
        "new",
        case.to_str().unwrap(),
        evidence.to_str().unwrap(),
    ]));
    let state = State {
        geoip_databases: vec![city.clone(), asn.clone()],
        ..State::default()
    };
    let app = AuditApp::new(
        state,
        Arc::new(FixedChooser::unavailable()),
        vec![case.clone()],
    );
    let mut harness = app_harness::harness(app, egui::vec2(1400.0, 900.0));
    settle(&mut harness);
    button(&harness, "Findings").click();
    settle(&mut harness);

    let cli = json(&auditview([
        "findings",
        "--json",
        "--case",
        case.to_str().unwrap(),
        "--geoip",
        city.to_str().unwrap(),
        "--geoip",
        asn.to_str().unwrap(),
    ]));
    let listed = cli["findings"].as_array().unwrap();
    assert_eq!(listed.len(), 14);
    harness.get_by_label(&format!("{} of {} findings", listed.len(), listed.len()));
    // Each finding's words, as the CLI says them.
    for finding in listed {
        harness.get_by_label(finding["explanation"].as_str().unwrap());
    }
    harness.get_by_label("Coverage of the evidence");

    // At least "medium": the low and info ones leave the list.
    harness.get_by_label("Severity").click();
    settle(&mut harness);
    harness.get_by_label("medium and above").click();
    settle(&mut harness);
    harness.get_by_label("7 of 14 findings");

    let travel = listed
        .iter()
        .find(|f| f["kind"] == "impossible_travel")
        .unwrap();
    // Its Kind cell: the explanation runs past the table's right edge.
    harness.get_by_label("impossible_travel").click();
    settle(&mut harness);
    checkbox(&harness, "Reviewed").unwrap().click();
    settle(&mut harness);
    button(&harness, "Star its events").click();
    settle(&mut harness);
    button(&harness, "Show its events").click();
    settle(&mut harness);
    assert_eq!(harness.state().counts(), Some((2, 251)));
    harness.get_by_label_contains("2 of 251 events");

    let after = json(&auditview([
        "findings",
        "--json",
        "--case",
        case.to_str().unwrap(),
        "--geoip",
        city.to_str().unwrap(),
    ]));
    assert_eq!(after["reviewed"], serde_json::json!([travel["id"]]));
    let starred = json(&auditview([
        "inspect",
        "--json",
        "--case",
        case.to_str().unwrap(),
        "--starred",
    ]));
    assert_eq!(starred["matched"], 2);

    // "Hide reviewed" hides the reviewed one; the same evidence opened
    // without its case (File > Open) is another investigation: nothing of
    // the case's reviews stays behind.
    button(&harness, "Clear all").click();
    settle(&mut harness);
    button(&harness, "Findings").click();
    settle(&mut harness);
    harness.get_by_label("7 of 14 findings");
    checkbox(&harness, "Hide reviewed").unwrap().click();
    settle(&mut harness);
    harness.get_by_label("6 of 14 findings");
    harness
        .state_mut()
        .apply(auditview::ui::Command::OpenPaths(vec![evidence.clone()]));
    settle(&mut harness);
    assert_eq!(harness.state().case_file_name(), None);
    button(&harness, "Findings").click();
    settle(&mut harness);
    harness.get_by_label("7 of 14 findings");
}
