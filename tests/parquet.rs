//! Parquet: `convert` writes the normalized events one file per input, read
//! back they are the same events with the same source file and line;
//! `export --format parquet` writes a filtered view; and docs/guide/scale.md's
//! recipe — `filter-sql` run in DuckDB and in Spark over the converted
//! files, the result written back as Parquet and opened with auditview —
//! gives exactly the rows auditview selects from the original logs.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::cli;
use cli::{auditview, json, ok};

/// The sample case without its GeoIP databases (places would add columns
/// to one side only), and the filter fixture.
const INPUTS: [&str; 4] = [
    "assets/samples/dnanexus",
    "assets/samples/pydio",
    "assets/samples/basespace",
    "tests/fixtures/filter",
];

/// Filters that SQL can say, each selecting some rows of INPUTS.
const FILTERS: [&[&str]; 15] = [
    &[],
    &["--system", "pydio", "--outcome", "failure"],
    &["--user", "alice.martin"],
    &["--user", "kwanlee"],
    &["--path", "pydiods1/Investigations"],
    &["--path", "*.pdf"],
    &["--text", "photo"],
    &["--text", "PHOTO"],
    &["--from", "2024-03-14", "--to", "2024-03-14T12:00:00Z"],
    &["--category", "download", "--kind", "link"],
    &["--action", "file-download", "--owner", "alice"],
    &["--type", "folder", "--category", "create"],
    &["--ip", "198.51.100.0/24"],
    &["--ip", "192.0.2.10", "--ip", "203.0.113.0/25"],
    &["--ip", "2001:db8::/32"],
];

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The rows of an auditview CSV export: the export's own 23 columns (places
/// and marks left out), sorted, so two exports compare as sets of events.
fn export_rows(paths: &[&str], filter: &[&str], dir: &Path, name: &str) -> Vec<Vec<String>> {
    let output = dir.join(format!("{name}.csv"));
    let mut args = vec!["export"];
    args.extend(paths);
    args.extend(filter);
    args.extend(["--output", text(&output), "--force"]);
    ok(&auditview(&args));
    let mut reader = csv::Reader::from_path(&output).unwrap();
    assert_eq!(&reader.headers().unwrap()[21], "Source File");
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().take(23).map(str::to_string).collect())
        .collect();
    rows.sort();
    rows
}

fn convert(dir: &Path) -> PathBuf {
    let out = dir.join("parquet");
    let mut args = vec!["convert"];
    args.extend(INPUTS);
    args.extend(["--output", text(&out)]);
    ok(&auditview(&args));
    out
}

#[test]
fn converted_events_read_back_are_the_same_events_from_the_same_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = convert(dir.path());
    // One file per input with events, the rejects, the manifest.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("_provenance.json")).unwrap())
            .unwrap();
    let inputs = manifest["inputs"].as_array().unwrap();
    let with_events = inputs
        .iter()
        .filter(|i| i["events"].as_u64() > Some(0))
        .count();
    let parquet_files = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".parquet") && !name.starts_with('_')
        })
        .count();
    assert_eq!(parquet_files, with_events);
    assert!(out.join("_rejects.parquet").is_file());
    for input in inputs {
        assert_eq!(input["input_sha256"].as_str().unwrap().len(), 64);
    }
    let original = export_rows(&INPUTS, &[], dir.path(), "original");
    let read_back = export_rows(&[text(&out)], &[], dir.path(), "read-back");
    assert_eq!(
        original.len(),
        manifest["events"].as_u64().unwrap() as usize
    );
    assert_eq!(read_back, original);

    // `inspect` names the format, and the events carry the original hash.
    let inspected = json(&auditview(["inspect", text(&out), "--json"]));
    let formats: Vec<&str> = inspected["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["format"].as_str().unwrap())
        .collect();
    assert!(
        formats.iter().all(|f| *f == "auditview-parquet"),
        "{formats:?}"
    );
}

#[test]
fn an_exported_parquet_view_holds_exactly_the_filtered_rows() {
    let dir = tempfile::tempdir().unwrap();
    let view = dir.path().join("view.parquet");
    let filter = ["--user", "alice.martin", "--category", "download"];
    let mut args = vec!["export"];
    args.extend(INPUTS);
    args.extend(filter);
    args.extend(["--output", text(&view), "--json"]);
    let summary = json(&auditview(&args));
    assert_eq!(summary["format"], "parquet");
    let expected = export_rows(&INPUTS, &filter, dir.path(), "expected");
    assert!(!expected.is_empty());
    assert_eq!(summary["rows"].as_u64().unwrap() as usize, expected.len());
    assert_eq!(
        export_rows(&[text(&view)], &[], dir.path(), "view"),
        expected
    );
}

#[test]
fn a_parquet_file_without_auditviews_columns_is_named_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let out = convert(dir.path());
    // The rejects' file is Parquet of another schema.
    let inspected = auditview(["inspect", text(&out.join("_rejects.parquet"))]);
    let said = String::from_utf8_lossy(&inspected.stderr).into_owned()
        + &String::from_utf8_lossy(&inspected.stdout);
    assert!(
        said.contains("not in auditview's schema: no column"),
        "{said}"
    );
}

#[test]
fn a_search_text_beyond_ascii_is_refused_by_filter_sql_not_narrowed() {
    // auditview folds it with Unicode's full lower case; engines' lower()
    // differs (İ), and the SQL would select fewer rows than export.
    let out = auditview(["filter-sql", "--text", "İstanbul"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--text cannot be written"));
}

#[test]
fn a_filter_that_needs_the_case_is_refused_by_filter_sql_with_the_reason() {
    let out = auditview(["filter-sql", "--visible-by", "alice"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--visible-by cannot be written"));
}

/// The Python with the SQL engines (`tests/sql/requirements.txt`): CI makes
/// `target/sql-venv` and sets AUDITVIEW_SQL_ENGINES=required.
fn engine_python() -> Option<PathBuf> {
    let python = std::env::var_os("AUDITVIEW_SQL_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sql-venv/bin/python")
        });
    if python.is_file() {
        return Some(python);
    }
    assert!(
        std::env::var("AUDITVIEW_SQL_ENGINES").as_deref() != Ok("required"),
        "no SQL engines at {} (tests/sql/requirements.txt)",
        python.display()
    );
    eprintln!("skipped: no SQL engines at {}", python.display());
    None
}

/// The recipe in one engine: every filter's SQL run over the converted
/// files, each result opened with auditview and compared with auditview's
/// own selection from the original logs.
fn recipe_gives_auditviews_rows(engine: &str) {
    let Some(python) = engine_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let converted = convert(dir.path());
    let queries: Vec<serde_json::Value> = FILTERS
        .iter()
        .enumerate()
        .map(|(i, filter)| {
            let mut args = vec!["filter-sql"];
            args.extend(*filter);
            serde_json::json!({"name": format!("q{i}"), "where": ok(&auditview(&args)).trim()})
        })
        .collect();
    let queries_file = dir.path().join("queries.json");
    std::fs::write(&queries_file, serde_json::to_string(&queries).unwrap()).unwrap();
    let results = dir.path().join(engine);
    let run = Command::new(&python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sql/run_sql.py"))
        .args([
            engine,
            text(&converted),
            text(&results),
            text(&queries_file),
        ])
        .output()
        .unwrap();
    let said = ok(&run);
    for (i, filter) in FILTERS.iter().enumerate() {
        let expected = export_rows(&INPUTS, filter, dir.path(), &format!("expected-{i}"));
        assert!(
            !expected.is_empty(),
            "{filter:?} selects nothing: not a test"
        );
        let result = results.join(format!("q{i}"));
        let got = export_rows(&[text(&result)], &[], dir.path(), &format!("{engine}-{i}"));
        assert_eq!(
            got.len(),
            expected.len(),
            "{engine}, {filter:?}: {}\n{said}",
            queries[i]["where"]
        );
        assert_eq!(got, expected, "{engine}, {filter:?}");
    }
}

#[test]
fn the_printed_sql_run_in_duckdb_gives_the_rows_auditview_selects() {
    recipe_gives_auditviews_rows("duckdb");
}

#[test]
fn the_printed_sql_run_in_spark_gives_the_rows_auditview_selects() {
    recipe_gives_auditviews_rows("spark");
}

#[test]
fn a_parquet_time_outside_the_supported_years_is_a_reject_with_its_row() {
    use auditview::model::{EventDraft, EventTable, Format, Store, System};
    let mut events = EventTable::new();
    for (line, time) in [
        (1, 1_710_405_739_000),
        (2, auditview::time::LAST_MS + 1),
        (3, i64::MIN),
    ] {
        events.push(&EventDraft::new(System::Pydio, time, line), 0);
    }
    let store = Store::of_events("made.log", Format::PydioAuditJsonl, events);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("parquet");
    auditview::export::convert::convert(&store, &out, false).unwrap();
    let file = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.extension().is_some_and(|x| x == "parquet")
                && !p.file_name().unwrap().to_string_lossy().starts_with('_')
        })
        .expect("the events' Parquet file");
    let loaded = auditview::sources::load(&[file], &Default::default());
    let store = &loaded.store;
    assert_eq!(
        store.events.len(),
        1,
        "only the row with a real time is an event"
    );
    assert_eq!(store.rejected(), 2);
    assert!(
        store
            .rejects
            .iter()
            .all(|r| r.reason.contains("outside the years 0000 to 9999")),
        "{:?}",
        store.rejects
    );
}
