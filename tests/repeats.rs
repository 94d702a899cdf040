//! Events read from two sources (a Pydio `audit.log` and its REST export):
//! counted by `inspect`, left out by `--skip-repeats` (tests/fixtures/repeats).

mod common;

use serde_json::Value;

fn inspect(args: &[&str]) -> Value {
    let mut all = vec!["inspect", "--json", "tests/fixtures/repeats"];
    all.extend(args);
    let run = common::run(all, &[]);
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
fn the_sample_case_holds_its_export_twice() {
    let run = common::run(["inspect", "--json", "assets/samples"], &[]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    // 34 of the 36 records of the Pydio REST export repeat audit.log lines.
    assert_eq!(json["repeats"], 34);
}
