//! Events read from two sources (a Pydio `audit.log` and its REST export):
//! counted by `inspect`, left out by `--skip-repeats` (tests/fixtures/repeats).

use serde_json::Value;

fn inspect(args: &[&str]) -> Value {
    let mut all = vec!["inspect", "--json"];
    if !args.iter().any(|a| a.starts_with("tests/")) {
        all.push("tests/fixtures/repeats");
    }
    all.extend(args);
    let run = crate::support::cli::run(all, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON on stdout")
}

#[test]
fn events_read_twice_are_counted_and_can_be_left_out() {
    // audit.log: a.pdf twice (the log says it twice: two events), b.pdf;
    // export.json: a.pdf, b.pdf (the same events again), c.pdf.
    let all = inspect(&[]);
    assert_eq!(all["events"], 6);
    assert_eq!(all["repeats"], 2);
    assert_eq!(all["matched"], 6);
    let unique = inspect(&["--skip-repeats"]);
    assert_eq!(unique["matched"], 4);
    let a = inspect(&["--skip-repeats", "--path", "ds/a.pdf"]);
    assert_eq!(a["matched"], 2, "both lines of the log stay");
}

#[test]
fn the_same_copies_stay_whichever_file_is_named_first() {
    for files in [
        [
            "tests/fixtures/repeats/audit.log",
            "tests/fixtures/repeats/export.json",
        ],
        [
            "tests/fixtures/repeats/export.json",
            "tests/fixtures/repeats/audit.log",
        ],
    ] {
        let json = inspect(&[files[0], files[1], "--skip-repeats"]);
        assert_eq!(json["repeats"], 2, "{files:?}");
        assert_eq!(json["matched"], 4, "{files:?}");
    }
}

#[test]
fn a_copy_stays_when_the_other_criteria_leave_its_original_out() {
    // Only the export's records carry `WsScope` in their original fields.
    assert_eq!(inspect(&["--text", "WsScope"])["matched"], 3);
    assert_eq!(
        inspect(&["--text", "WsScope", "--skip-repeats"])["matched"],
        3
    );
}

#[test]
fn the_sample_case_holds_its_export_twice() {
    let run = crate::support::cli::run(["inspect", "--json", "assets/samples"], &[]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    // Every one of the 36 records of the Pydio REST export repeats an
    // audit.log line (two name a target user the export does not keep).
    assert_eq!(json["repeats"], 36);
}
