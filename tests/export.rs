//! Runs the real binary, `auditview export PATH... [FILTER] --output FILE`,
//! into temporary folders and reads back what it wrote: the XLSX workbook
//! (with calamine), the CSV (formula neutralization, re-import round trip),
//! the provenance sidecar, and the refusals that protect evidence and
//! existing files. The hand-made case is tests/fixtures/filter (see its
//! README.md); the samples are assets/samples (209 events).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;

use crate::support::hash::{sha256_hex, sha256_of};

use crate::support::cli::{Run, crate_dir};

/// The export columns, in order: a public interface.
const COLUMNS: [&str; 23] = [
    "Time (UTC)",
    "System",
    "Log",
    "Actor",
    "IP",
    "User Agent",
    "Action",
    "Category",
    "Outcome",
    "Node Path",
    "Node Type",
    "Resource Kind",
    "Resource",
    "Owner",
    "Object ID",
    "Object Name",
    "Request ID",
    "Token Label",
    "Token Suffix",
    "Message",
    "Details",
    "Source File",
    "Source Line",
];

/// The 21 events of tests/fixtures/filter, in time order (README.md).
const CASE_TIMES: [&str; 21] = [
    "2024-03-13T08:00:00Z",
    "2024-03-13T08:05:00Z",
    "2024-03-13T08:06:00Z",
    "2024-03-14T10:00:00Z",
    "2024-03-14T10:05:00Z",
    "2024-03-14T10:06:00Z",
    "2024-03-14T10:07:00Z",
    "2024-03-14T10:08:00Z",
    "2024-03-14T10:09:00Z",
    "2024-03-15T08:00:00Z",
    "2024-03-15T08:05:00Z",
    "2024-03-15T08:06:00Z",
    "2024-03-15T09:10:00Z",
    "2024-03-15T10:00:00Z",
    "2024-03-15T11:00:00Z",
    "2024-03-15T11:30:00Z",
    "2024-03-15T12:00:00Z",
    "2024-03-15T12:01:00Z",
    "2024-03-15T13:00:00Z",
    "2024-03-15T23:30:00Z",
    "2024-03-16T07:00:00Z",
];

/// The files of the case: (name, format, records, events).
const CASE_FILES: [(&str, &str, u64, u64); 3] = [
    ("audit.log", "pydio-audit-jsonl", 11, 11),
    ("basespace_login.csv", "basespace-login-csv", 4, 4),
    ("dnanexus_audit.csv", "dnanexus-audit-csv", 6, 6),
];

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn case_dir() -> PathBuf {
    crate_dir().join("tests/fixtures/filter")
}

fn text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

fn auditview(args: &[&str]) -> Run {
    crate::support::cli::run(args, &[])
}

/// `export --json INPUTS --output OUTPUT FLAGS`; the printed summary.
const SAMPLE_GEOIP: [&str; 2] = [
    "assets/samples/geoip/auditview-sample-City.mmdb",
    "assets/samples/geoip/auditview-sample-ASN.mmdb",
];

/// The columns the GeoIP databases add after the export's own.
const PLACE_COLUMNS: [&str; 4] = ["Country", "City", "ASN", "AS Organization"];

fn export(inputs: &[&str], output: &Path, flags: &[&str]) -> Value {
    let mut args = vec!["export", "--json"];
    args.extend_from_slice(inputs);
    args.extend(["--output", text(output)]);
    args.extend_from_slice(flags);
    // An export of the samples has their places (their GeoIP databases sit
    // in the folder); a re-read export is given the same databases, so the
    // two are the same bytes.
    if inputs
        .iter()
        .any(|i| !i.starts_with("assets/") && i.ends_with(".csv"))
    {
        args.extend(SAMPLE_GEOIP.iter().flat_map(|db| ["--geoip", *db]));
    }
    let run = auditview(&args);
    assert_eq!(run.code, 0, "{args:?}\nstderr: {}", run.stderr);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: no JSON summary ({e}): {}", run.stdout))
}

/// `inspect --json INPUTS FLAGS`; the report.
fn inspect(inputs: &[&str], flags: &[&str]) -> Value {
    let mut args = vec!["inspect", "--json"];
    args.extend_from_slice(inputs);
    args.extend_from_slice(flags);
    let run = auditview(&args);
    assert_eq!(run.code, 0, "{args:?}\nstderr: {}", run.stderr);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: no JSON report ({e}): {}", run.stdout))
}

fn sidecar_of(output: &Path) -> Value {
    let mut name = output.as_os_str().to_owned();
    name.push(".provenance.json");
    let text = std::fs::read_to_string(PathBuf::from(name)).expect("the provenance sidecar");
    serde_json::from_str(&text).expect("the sidecar is JSON")
}

/// Every record of a CSV file, the header included.
fn csv_records(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn utc_ms(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .unwrap_or_else(|e| panic!("'{rfc3339}': {e}"))
        .timestamp_millis()
}

/// The UTC instant an XLSX date-time cell holds (Excel serial days since 1899-12-30).
fn cell_ms(cell: &Data) -> i64 {
    let serial = match cell {
        Data::DateTime(t) => {
            assert!(t.is_datetime(), "{cell:?} is a duration, not a date-time");
            t.as_f64()
        }
        other => panic!("Time (UTC) cell {other:?} is not a date-time"),
    };
    ((serial - 25_569.0) * 86_400_000.0).round() as i64
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("{other:?} is not a text cell"),
    }
}

fn cell_number(cell: &Data) -> f64 {
    match cell {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("{other:?} is not a number"),
    }
}

fn open_xlsx(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).unwrap_or_else(|e| panic!("{} is not a workbook: {e}", path.display()))
}

fn sheet(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Vec<Data>> {
    book.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
        .rows()
        .map(<[Data]>::to_vec)
        .collect()
}

/// The value of a Criterion/Value line of the Filter sheet.
fn filter_line(rows: &[Vec<Data>], criterion: &str) -> Option<String> {
    rows.iter()
        .find(|r| cell_text(&r[0]) == criterion)
        .map(|r| cell_text(&r[1]))
}

/// Checks the Sources sheet against the files themselves.
fn check_sources_sheet(rows: &[Vec<Data>], expected_files: usize) {
    let header: Vec<String> = rows[0].iter().map(cell_text).collect();
    assert_eq!(
        header,
        [
            "Path", "Format", "SHA-256", "Bytes", "Rows", "Events", "Rejected"
        ]
    );
    assert_eq!(rows.len() - 1, expected_files);
    for row in &rows[1..] {
        let path = crate_dir().join(cell_text(&row[0]));
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(
            cell_text(&row[2]),
            sha256_hex(&bytes),
            "SHA-256 of {}",
            path.display()
        );
        assert_eq!(
            cell_number(&row[3]),
            bytes.len() as f64,
            "{}",
            path.display()
        );
        assert_eq!(cell_number(&row[6]), 0.0, "{}", path.display());
    }
}

/// No temporary file of an export is left in `dir`.
fn assert_no_partial_files(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            !name.ends_with(".partial") && !name.starts_with(".auditview-export-"),
            "a temporary file was left behind: {name}"
        );
    }
}

fn names_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

// 1. XLSX

#[test]
fn xlsx_of_the_case_has_the_columns_real_times_source_hashes_and_the_filter() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("case.xlsx");
    let summary = export(&[text(&case_dir())], &out, &[]);
    assert_eq!(summary["format"], "xlsx");
    assert_eq!(summary["rows"], 21);
    assert_eq!(summary["sha256"], sha256_of(&out));
    let sidecar = sidecar_of(&out);
    assert_eq!(sidecar["sha256"], sha256_of(&out));
    assert_eq!(sidecar["format"], "xlsx");

    let mut book = open_xlsx(&out);
    assert_eq!(book.sheet_names(), ["Events", "Sources", "Filter"]);
    // The autofilter covers the header and every row.
    assert!(
        book.defined_names()
            .iter()
            .any(|(name, range)| name == "_xlnm._FilterDatabase" && range == "Events!$A$1:$W$22"),
        "{:?}",
        book.defined_names()
    );

    let events = sheet(&mut book, "Events");
    let header: Vec<String> = events[0].iter().map(cell_text).collect();
    assert_eq!(header, COLUMNS);
    assert_eq!(events.len() - 1, 21);
    for (row, expected) in events[1..].iter().zip(CASE_TIMES) {
        assert_eq!(cell_ms(&row[0]), utc_ms(expected), "{expected}");
    }
    // Text stays text: a string cell is never a formula, so it is not quoted.
    let name = column(&header, "Object Name");
    let action = column(&header, "Action");
    let source = column(&header, "Source File");
    let line = column(&header, "Source Line");
    let created = events
        .iter()
        .find(|r| cell_text(&r[action]) == "file-new")
        .expect("the file-new row");
    assert_eq!(cell_text(&created[name]), "=SUM(A1:A2)");
    assert_eq!(
        cell_text(&created[source]),
        case_dir().join("dnanexus_audit.csv").display().to_string()
    );
    assert_eq!(cell_text(&created[line]), "3");
    // Empty fields are empty cells.
    assert_eq!(events[1][column(&header, "Node Path")], Data::Empty);

    let sources = sheet(&mut book, "Sources");
    check_sources_sheet(&sources, 3);
    for ((name, format, records, count), row) in CASE_FILES.iter().zip(&sources[1..]) {
        assert_eq!(
            cell_text(&row[0]),
            case_dir().join(name).display().to_string()
        );
        assert_eq!(cell_text(&row[1]), *format);
        assert_eq!(cell_number(&row[4]), *records as f64, "{name}");
        assert_eq!(cell_number(&row[5]), *count as f64, "{name}");
    }

    let filter = sheet(&mut book, "Filter");
    assert_eq!(cell_text(&filter[0][0]), "Criterion");
    assert_eq!(cell_text(&filter[0][1]), "Value");
    assert_eq!(
        filter_line(&filter, "(none)").as_deref(),
        Some("all events")
    );
    assert_eq!(filter_line(&filter, "Rows").as_deref(), Some("21"));
    assert_eq!(
        filter_line(&filter, "Time zone shown").as_deref(),
        Some("UTC")
    );
    let json = filter_line(&filter, "Filter (JSON)").expect("the filter as JSON");
    let saved: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(saved["version"], 1);
}

#[test]
fn xlsx_with_a_zone_and_a_filter_adds_the_zone_column_after_utc() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("paris.xlsx");
    let summary = export(
        &[text(&case_dir())],
        &out,
        &["--system", "pydio", "--tz", "Europe/Paris"],
    );
    assert_eq!(summary["rows"], 11);

    let mut book = open_xlsx(&out);
    let events = sheet(&mut book, "Events");
    let header: Vec<String> = events[0].iter().map(cell_text).collect();
    let mut expected = vec!["Time (UTC)", "Time (Europe/Paris)"];
    expected.extend(&COLUMNS[1..]);
    assert_eq!(header, expected);
    assert_eq!(events.len() - 1, 11);
    let last = events.last().unwrap();
    assert_eq!(cell_ms(&last[0]), utc_ms("2024-03-15T23:30:00Z"));
    assert_eq!(cell_text(&last[1]), "2024-03-16T00:30:00+01:00");
    assert_eq!(cell_text(&events[1][1]), "2024-03-15T09:00:00+01:00");

    let filter = sheet(&mut book, "Filter");
    assert_eq!(filter_line(&filter, "System").as_deref(), Some("pydio"));
    assert_eq!(filter_line(&filter, "Rows").as_deref(), Some("11"));
    assert_eq!(
        filter_line(&filter, "Time zone shown").as_deref(),
        Some("Europe/Paris")
    );
    let sidecar = sidecar_of(&out);
    assert_eq!(sidecar["time_zone"], "Europe/Paris");
    assert_eq!(sidecar["filter"]["systems"], serde_json::json!(["pydio"]));
}

#[test]
fn xlsx_of_the_samples_matches_the_csv_cell_for_cell() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("samples.xlsx");
    let csv = dir.path().join("samples.csv");
    assert_eq!(export(&["assets/samples"], &xlsx, &[])["rows"], 209);
    assert_eq!(export(&["assets/samples"], &csv, &[])["rows"], 209);

    assert_xlsx_matches_csv(&xlsx, &csv, 209);
    let mut book = open_xlsx(&xlsx);
    check_sources_sheet(&sheet(&mut book, "Sources"), 8);
}

#[test]
fn xlsx_of_the_case_matches_the_csv_cell_for_cell() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("case.xlsx");
    let csv = dir.path().join("case.csv");
    export(&[text(&case_dir())], &xlsx, &[]);
    export(&[text(&case_dir())], &csv, &[]);
    // Includes the would-be formulas, a tab and a carriage return.
    assert_xlsx_matches_csv(&xlsx, &csv, 21);
}

#[test]
fn xlsx_of_several_blocks_of_rows_matches_the_csv_cell_for_cell() {
    // Rows are read in blocks of 4096 ahead of the writer: 10,120 rows span three.
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string("assets/samples/pydio/audit.log").unwrap();
    let log = dir.path().join("audit.log");
    std::fs::write(&log, sample.repeat(230)).unwrap();
    let xlsx = dir.path().join("blocks.xlsx");
    let csv = dir.path().join("blocks.csv");
    assert_eq!(export(&[text(&log)], &xlsx, &[])["rows"], 10_120);
    assert_eq!(export(&[text(&log)], &csv, &[])["rows"], 10_120);
    assert_xlsx_matches_csv(&xlsx, &csv, 10_120);
}

/// Every row of the XLSX's Events sheet holds what the CSV row holds: the
/// same instant, and the same text once the CSV's formula quote is removed.
fn assert_xlsx_matches_csv(xlsx: &Path, csv: &Path, rows: usize) {
    let mut book = open_xlsx(xlsx);
    assert_eq!(book.sheet_names(), ["Events", "Sources", "Filter"]);
    let events = sheet(&mut book, "Events");
    let records = csv_records(csv);
    assert_eq!(events.len(), rows + 1);
    assert_eq!(records.len(), rows + 1);
    assert_eq!(records[0][..COLUMNS.len()], COLUMNS);
    let placed = &records[0][COLUMNS.len()..];
    assert!(placed.is_empty() || placed == PLACE_COLUMNS, "{placed:?}");
    for (index, (row, record)) in events.iter().zip(&records).enumerate().skip(1) {
        assert_eq!(cell_ms(&row[0]), utc_ms(&record[0]), "row {index}");
        for (col, name) in COLUMNS.iter().enumerate().skip(1) {
            // The CSV quotes would-be formulas; the XLSX keeps the text.
            let csv_cell = match record[col].strip_prefix('\'') {
                Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_STARTS) => rest,
                _ => &record[col],
            };
            let xlsx_cell = row.get(col).map(cell_text).unwrap_or_default();
            assert_eq!(xlsx_cell, csv_cell, "row {index}, {name}");
        }
    }
}

#[test]
fn an_empty_selection_exports_the_header_only() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("none.xlsx");
    let csv = dir.path().join("none.csv");
    let flags = ["--user", "nobody"];
    assert_eq!(export(&[text(&case_dir())], &xlsx, &flags)["rows"], 0);
    assert_eq!(export(&[text(&case_dir())], &csv, &flags)["rows"], 0);
    let mut book = open_xlsx(&xlsx);
    let events = sheet(&mut book, "Events");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].iter().map(cell_text).collect::<Vec<_>>(), COLUMNS);
    assert_eq!(csv_records(&csv), [COLUMNS.map(String::from).to_vec()]);
    let report = inspect(&[text(&csv)], &[]);
    assert_eq!(report["sources"][0]["format"], "auditview-export-csv");
    assert_eq!(report["events"], 0);
    assert_eq!(report["rejected"], 0);
}

// 2. CSV: formula neutralization and the provenance sidecar

#[test]
fn csv_cells_that_a_spreadsheet_would_run_start_with_a_quote() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("case.csv");
    let summary = export(
        &[text(&case_dir())],
        &out,
        &["--system", "dnanexus", "--system", "pydio"],
    );
    assert_eq!(summary["rows"], 17);
    let records = csv_records(&out);
    assert_eq!(records[0], COLUMNS);
    assert_eq!(records.len() - 1, 17);
    let header = &records[0];
    let (ua, name, action, actor, path) = (
        column(header, "User Agent"),
        column(header, "Object Name"),
        column(header, "Action"),
        column(header, "Actor"),
        column(header, "Node Path"),
    );
    let row = |act: &str, who: &str| {
        records
            .iter()
            .find(|r| r[action] == act && r[actor] == who)
            .unwrap_or_else(|| panic!("no {act} by {who}"))
    };
    let created = row("file-new", "user-alice");
    assert_eq!(created[ua], "'=HYPERLINK(\"http://evil.example\",\"x\")");
    assert_eq!(created[name], "'=SUM(A1:A2)");
    // Only the start of a cell matters.
    assert_eq!(created[path], "Study X/raw/=SUM(A1:A2)");
    assert_eq!(row("file-download", "user-bob")[ua], "'+cmd");
    let described = row("file-describe", "user-bob");
    assert_eq!(described[ua], "'-2+3");
    assert_eq!(described[name], "'@SUM(A1)");
    let carol = row("file-download", "user-carol");
    assert_eq!(carol[ua], "'\tindented agent");
    assert_eq!(carol[name], "plain.txt");
    assert_eq!(row("Retrieved object", "bob")[ua], "'\rcurl/8.5.0");
    for (index, record) in records.iter().enumerate() {
        for cell in record {
            assert!(
                !cell.starts_with(FORMULA_STARTS),
                "record {index}: {cell:?} would run as a formula"
            );
        }
    }
}

#[test]
fn the_sidecar_records_rows_hash_filter_and_every_source() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("case.csv");
    let summary = export(
        &[text(&case_dir())],
        &out,
        &[
            "--system",
            "dnanexus",
            "--system",
            "pydio",
            "--to",
            "2024-03-15 12:00",
        ],
    );
    let bytes = std::fs::read(&out).unwrap();
    let sidecar = sidecar_of(&out);
    assert_eq!(sidecar["tool"], "auditview");
    assert_eq!(sidecar["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(sidecar["output"], text(&out));
    assert_eq!(sidecar["format"], "csv");
    assert_eq!(sidecar["rows"], 14);
    assert_eq!(summary["rows"], 14);
    assert_eq!(sidecar["sha256"], sha256_hex(&bytes));
    assert_eq!(summary["sha256"], sha256_hex(&bytes));
    assert_eq!(sidecar["time_zone"], "UTC");
    let exported_at = sidecar["exported_at"].as_str().unwrap();
    assert!(exported_at.ends_with('Z'), "{exported_at}");
    utc_ms(exported_at);

    let filter = &sidecar["filter"];
    assert_eq!(filter["version"], 1);
    assert_eq!(filter["systems"], serde_json::json!(["dnanexus", "pydio"]));
    assert_eq!(filter["to"], "2024-03-15T12:00:00Z");
    assert!(filter["from"].is_null());
    let words: Vec<(String, String)> = sidecar["filter_in_words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["criterion"].as_str().unwrap().to_string(),
                c["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        words.contains(&("System".into(), "dnanexus or pydio".into()))
            && words.contains(&("To".into(), "2024-03-15T12:00:00Z".into())),
        "{words:?}"
    );

    // The saved filter is a filter file: it selects the same rows again.
    let saved = dir.path().join("saved.json");
    std::fs::write(&saved, filter.to_string()).unwrap();
    let again = inspect(&[text(&case_dir())], &["--filter-file", text(&saved)]);
    assert_eq!(again["matched"], 14);

    let sources = sidecar["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 3);
    for ((name, format, records, count), source) in CASE_FILES.iter().zip(sources) {
        let path = case_dir().join(name);
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(source["path"], text(&path));
        assert_eq!(source["format"], *format);
        assert_eq!(source["sha256"], sha256_hex(&bytes), "{name}");
        assert_eq!(source["bytes"], bytes.len() as u64, "{name}");
        assert_eq!(source["rows"], *records, "{name}");
        assert_eq!(source["events"], *count, "{name}");
        assert_eq!(source["rejected"], 0, "{name}");
    }
    assert_eq!(sidecar["rejected_records"], 0);
}

// 3. Round trip through auditview's own CSV

#[test]
fn an_export_reads_back_whole_and_exports_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("A.csv");
    let b = dir.path().join("B.csv");
    assert_eq!(export(&["assets/samples"], &a, &[])["rows"], 209);

    let report = inspect(&[text(&a)], &[]);
    let sources = report["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0]["format"], "auditview-export-csv");
    assert_eq!(sources[0]["rows"], 209);
    assert_eq!(report["events"], 209);
    assert_eq!(report["rejected"], 0);
    let original = inspect(&["assets/samples"], &[]);
    assert_eq!(report["first"], original["first"]);
    assert_eq!(report["last"], original["last"]);

    assert_eq!(export(&[text(&a)], &b, &[])["rows"], 209);
    let (ra, rb) = (csv_records(&a), csv_records(&b));
    assert_eq!(ra.len(), 210);
    for (index, (x, y)) in ra.iter().zip(&rb).enumerate() {
        for (col, name) in COLUMNS.iter().enumerate() {
            assert_eq!(x[col], y[col], "record {index}, {name}");
        }
    }
    assert_eq!(ra, rb);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    // B's provenance names A as its source.
    let sidecar = sidecar_of(&b);
    assert_eq!(sidecar["sources"][0]["path"], text(&a));
    assert_eq!(sidecar["sources"][0]["sha256"], sha256_of(&a));
}

#[test]
fn a_reread_export_keeps_the_original_source_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("A.csv");
    let b = dir.path().join("B.csv");
    export(&["assets/samples"], &a, &[]);
    export(&[text(&a)], &b, &[]);
    let records = csv_records(&b);
    let header = &records[0];
    let (file, line, time) = (
        column(header, "Source File"),
        column(header, "Source Line"),
        column(header, "Time (UTC)"),
    );
    let mut seen = BTreeSet::new();
    for record in &records[1..] {
        let source = &record[file];
        assert!(source.starts_with("assets/samples/"), "{source}");
        let number: usize = record[line].parse().expect("a line number");
        assert!(number >= 1);
        seen.insert(source.clone());
        // A Pydio audit.log line is one JSON record: its `ts` is the event's time.
        if source.ends_with(".log") {
            let content = std::fs::read_to_string(crate_dir().join(source)).unwrap();
            let physical = content.lines().nth(number - 1).expect("the line exists");
            let json: Value = serde_json::from_str(physical).unwrap();
            assert_eq!(
                utc_ms(json["ts"].as_str().unwrap()),
                utc_ms(&record[time]),
                "{source}:{number}"
            );
        }
    }
    // Every event-bearing sample is named, none of them A.csv.
    assert_eq!(
        seen,
        BTreeSet::from(
            [
                "assets/samples/basespace/login_report_2024-03-01_2024-03-15.csv",
                "assets/samples/dnanexus/audit_trail_2024-03-14.csv",
                "assets/samples/pydio/audit-2024-03-14T23-00-02.318.log",
                "assets/samples/pydio/audit.log",
                "assets/samples/pydio/log-audit-export.response.json",
            ]
            .map(String::from)
        )
    );
}

#[test]
fn requests_and_nodes_of_a_reread_export_name_the_original_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("A.csv");
    export(&["assets/samples"], &a, &[]);
    let json = |command: &str| -> Value {
        let run = auditview(&[command, "--json", text(&a)]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        serde_json::from_str(&run.stdout).unwrap()
    };
    let requests = json("requests");
    let lines: Vec<&Value> = requests
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["lines"].as_array().unwrap())
        .collect();
    assert!(!lines.is_empty());
    for line in lines {
        let path = line["path"].as_str().unwrap();
        assert!(path.starts_with("assets/samples/pydio/"), "{path}");
        assert!(line["line"].as_u64().unwrap() >= 1);
    }
    let nodes = json("nodes");
    let proofs: Vec<&str> = nodes
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| n["visible_by"].as_array().unwrap())
        .map(|v| v["evidence"]["path"].as_str().unwrap())
        .collect();
    assert!(!proofs.is_empty());
    for path in proofs {
        assert!(path.starts_with("assets/samples/"), "{path}");
    }
}

#[test]
fn filters_select_the_same_events_in_a_reread_export() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("A.csv");
    export(&["assets/samples"], &a, &[]);
    let filters: &[&[&str]] = &[
        &["--system", "pydio", "--category", "download"],
        &["--user", "alice.martin"],
        &["--user", "svcpipeline"],
        &["--ip", "2001:db8::/32"],
        &["--ip", "198.51.100.0/24", "--outcome", "failure"],
        &["--text", "PHOTOS"],
        &["--path", "pydiods1/*"],
        &["--path", "cellsdata/Affaire Dupont"],
        &["--kind", "link"],
        &["--kind", "project"],
        &["--type", "folder"],
        &["--owner", "alice.martin"],
        &["--from", "2024-03-15", "--tz", "Europe/Paris"],
        &["--to", "2024-03-14"],
        &["--category", "login_failed", "--category", "login"],
    ];
    let mut nonempty = 0;
    for flags in filters {
        let original = inspect(&["assets/samples"], flags);
        let reread = inspect(&[text(&a)], flags);
        assert_eq!(reread["matched"], original["matched"], "{flags:?}");
        assert_eq!(reread["first"], original["first"], "{flags:?}");
        assert_eq!(reread["last"], original["last"], "{flags:?}");
        if original["matched"].as_u64().unwrap() > 0 {
            nonempty += 1;
        }
    }
    assert_eq!(
        nonempty,
        filters.len(),
        "every filter should select something"
    );

    // A filtered export of A is the same file as the same filter on the samples.
    let flags = ["--system", "pydio", "--text", "photos"];
    let from_samples = dir.path().join("from-samples.csv");
    let from_a = dir.path().join("from-a.csv");
    let n = export(&["assets/samples"], &from_samples, &flags)["rows"].clone();
    assert!(n.as_u64().unwrap() > 0);
    assert_eq!(export(&[text(&a)], &from_a, &flags)["rows"], n);
    assert_eq!(
        std::fs::read(&from_samples).unwrap(),
        std::fs::read(&from_a).unwrap()
    );
}

// 4. Safety

#[test]
fn an_input_file_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    std::fs::create_dir(&case).unwrap();
    for (name, ..) in CASE_FILES {
        std::fs::copy(case_dir().join(name), case.join(name)).unwrap();
    }
    let target = case.join("basespace_login.csv");
    let before = std::fs::read(&target).unwrap();
    let modified = std::fs::metadata(&target).unwrap().modified().unwrap();
    let names = names_in(&case);
    let spellings = [
        target.clone(),
        case.join(".").join("basespace_login.csv"),
        case.join("..").join("case").join("basespace_login.csv"),
    ];
    for output in &spellings {
        for extra in [&[][..], &["--force"], &["--force", "--format", "xlsx"]] {
            let mut args = vec!["export", text(&case), "--output", text(output)];
            args.extend_from_slice(extra);
            let run = auditview(&args);
            assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
            assert!(run.stderr.contains("input"), "{args:?}: {}", run.stderr);
            assert!(run.stdout.is_empty());
        }
    }
    // Named as a file rather than found in a folder, too.
    let run = auditview(&[
        "export",
        text(&target),
        "--output",
        text(&target),
        "--force",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(std::fs::read(&target).unwrap(), before);
    assert_eq!(
        std::fs::metadata(&target).unwrap().modified().unwrap(),
        modified
    );
    // Nothing was added: no sidecar, no temporary file.
    assert_eq!(names_in(&case), names);
    assert_no_partial_files(&case);
}

#[cfg(unix)]
#[test]
fn no_encoding_or_link_of_an_input_lets_an_export_overwrite_it() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    // A name that is not UTF-8: kept as lossy text, it slipped past the guard
    // and the export replaced the input.
    let input = dir.path().join(OsStr::from_bytes(b"ev\xe9.log"));
    std::fs::copy(crate_dir().join("assets/samples/pydio/audit.log"), &input).unwrap();
    let hard_link = dir.path().join("hard.log");
    std::fs::hard_link(&input, &hard_link).unwrap();
    let before = std::fs::read(&input).unwrap();
    for output in [&input, &hard_link] {
        let run = crate::support::cli::run(
            [
                OsStr::new("export"),
                input.as_os_str(),
                OsStr::new("--output"),
                output.as_os_str(),
                OsStr::new("--force"),
            ],
            &[],
        );
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("evidence is never overwritten"),
            "{}",
            run.stderr
        );
        assert_eq!(std::fs::read(&input).unwrap(), before);
    }

    // A link pointing nowhere is something that exists: not replaced
    // without --force (it was, silently).
    let dangling = dir.path().join("out.csv");
    std::os::unix::fs::symlink(dir.path().join("nowhere.csv"), &dangling).unwrap();
    let run = auditview(&["export", text(&hard_link), "--output", text(&dangling)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("already exists: use --force"),
        "{}",
        run.stderr
    );
    assert!(
        std::fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!dir.path().join("nowhere.csv").exists());
}

#[test]
fn an_existing_output_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    std::fs::write(&out, "keep me\n").unwrap();
    let case = case_dir();
    for format in ["csv", "xlsx"] {
        let run = auditview(&[
            "export",
            text(&case),
            "--output",
            text(&out),
            "--format",
            format,
        ]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("--force"), "{}", run.stderr);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me\n");
    }
    assert_eq!(
        names_in(dir.path()),
        BTreeSet::from(["out.csv".to_string()])
    );

    let summary = export(&[text(&case)], &out, &["--force"]);
    assert_eq!(summary["rows"], 21);
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("Time (UTC),System,"), "{written}");
    assert_eq!(summary["sha256"], sha256_of(&out));
    assert_eq!(sidecar_of(&out)["sha256"], sha256_of(&out));
    assert_eq!(
        names_in(dir.path()),
        BTreeSet::from(["out.csv".to_string(), "out.csv.provenance.json".to_string()])
    );
    assert_no_partial_files(dir.path());

    // Again with --force: a fresh file, same content.
    let again = export(&[text(&case)], &out, &["--force"]);
    assert_eq!(again["sha256"], summary["sha256"]);
    assert_no_partial_files(dir.path());
}

#[test]
fn failed_exports_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let case = case_dir();
    // The output is a folder.
    let folder = dir.path().join("folder.csv");
    std::fs::create_dir(&folder).unwrap();
    let run = auditview(&["export", text(&case), "--output", text(&folder), "--force"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // The output's folder does not exist.
    let nowhere = dir.path().join("missing").join("out.csv");
    let run = auditview(&["export", text(&case), "--output", text(&nowhere)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // An input cannot be read: nothing is exported.
    let out = dir.path().join("out.csv");
    let missing_input = dir.path().join("no-such-input.log");
    let run = auditview(&[
        "export",
        text(&case),
        text(&missing_input),
        "--output",
        text(&out),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("no-such-input.log"), "{}", run.stderr);
    assert!(!out.exists());
    assert_eq!(
        names_in(dir.path()),
        BTreeSet::from(["folder.csv".to_string()])
    );
    assert!(names_in(&folder).is_empty());
    assert_no_partial_files(dir.path());
}

// 5. The --json summary and --format

#[test]
fn json_summary_has_output_format_rows_and_the_hash() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let summary = export(&[text(&case_dir())], &out, &["--user", "alice"]);
    let keys: BTreeSet<&str> = summary
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, BTreeSet::from(["output", "format", "rows", "sha256"]));
    assert_eq!(summary["output"], text(&out));
    assert_eq!(summary["format"], "csv");
    assert_eq!(summary["rows"], 7);
    let hash = summary["sha256"].as_str().unwrap();
    assert_eq!(hash.len(), 64);
    assert!(hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
    assert_eq!(hash, sha256_of(&out));

    // Without --json: one line in words.
    let plain = dir.path().join("plain.csv");
    let run = auditview(&[
        "export",
        text(&case_dir()),
        "--output",
        text(&plain),
        "--user",
        "alice",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("wrote 7 rows to "), "{}", run.stdout);
    assert_eq!(std::fs::read(&plain).unwrap(), std::fs::read(&out).unwrap());
}

#[test]
fn format_flag_wins_over_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let case = case_dir();

    let xlsx_named_csv = dir.path().join("book.csv");
    let summary = export(&[text(&case)], &xlsx_named_csv, &["--format", "xlsx"]);
    assert_eq!(summary["format"], "xlsx");
    assert_eq!(summary["rows"], 21);
    let bytes = std::fs::read(&xlsx_named_csv).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "not a zip/xlsx file");
    assert_eq!(summary["sha256"], sha256_hex(&bytes));
    assert_eq!(sidecar_of(&xlsx_named_csv)["format"], "xlsx");
    let mut book = open_xlsx(&xlsx_named_csv);
    assert_eq!(sheet(&mut book, "Events").len() - 1, 21);

    let csv_named_xlsx = dir.path().join("table.xlsx");
    let summary = export(&[text(&case)], &csv_named_xlsx, &["--format", "csv"]);
    assert_eq!(summary["format"], "csv");
    assert_eq!(csv_records(&csv_named_xlsx)[0], COLUMNS);

    // By default the extension decides, in any case.
    let upper = dir.path().join("BOOK.XLSX");
    assert_eq!(export(&[text(&case)], &upper, &[])["format"], "xlsx");
    let other = dir.path().join("events.txt");
    assert_eq!(export(&[text(&case)], &other, &[])["format"], "csv");
    assert_no_partial_files(dir.path());
}

#[test]
fn an_existing_provenance_sidecar_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let sidecar = dir.path().join("out.csv.provenance.json");
    std::fs::write(&sidecar, "{\"earlier\":true}\n").unwrap();
    let case = case_dir();
    let run = auditview(&["export", text(&case), "--output", text(&out)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_to_string(&sidecar).unwrap(),
        "{\"earlier\":true}\n"
    );
    export(&[text(&case)], &out, &["--force"]);
    assert_eq!(sidecar_of(&out)["sha256"], sha256_of(&out));
    assert_no_partial_files(dir.path());
}

#[cfg(target_os = "linux")]
#[test]
fn a_partial_file_left_by_a_killed_export_is_removed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    // No process has this id (above Linux's pid_max); one of a running
    // process (this test's) stays.
    let stale = dir.path().join(".auditview-export-4294967-a1b2c3.partial");
    let live = dir.path().join(format!(
        ".auditview-export-{}-d4e5f6.partial",
        std::process::id()
    ));
    std::fs::write(&stale, "half an export").unwrap();
    std::fs::write(&live, "being written").unwrap();
    export(&["assets/samples"], &dir.path().join("out.csv"), &[]);
    assert!(!stale.exists());
    assert!(live.exists());
}

#[cfg(unix)]
#[test]
fn an_export_ended_by_sigterm_leaves_no_partial_file() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    // Big enough that writing the workbook takes a while.
    let mut text = String::from(
        "Timestamp,IP Address,User Agent,Acting User ID,Action,Object ID,Object Name,Project ID,Project Name,Success Status,Info,Label,Auth Token\n",
    );
    for i in 0..200_000u64 {
        let s = i % 86_400;
        text.push_str(&format!(
            "2024-03-14T{:02}:{:02}:{:02}Z,203.0.113.18,dxpy,user-a,file-download,file-{i},reads-{i}.bam,project-Gb,WGS,Yes,{{}},,Zf3b\n",
            s / 3600,
            s / 60 % 60,
            s % 60
        ));
    }
    let input = dir.path().join("trail.csv");
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out").join("big.xlsx");
    std::fs::create_dir(out.parent().unwrap()).unwrap();
    let mut child = crate::support::cli::binary()
        .args(["export", text_of(&input), "--output", text_of(&out)])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the partial file, then end the export.
    let partial_exists = || {
        std::fs::read_dir(out.parent().unwrap()).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".partial")
        })
    };
    let started = std::time::Instant::now();
    while !partial_exists() && started.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(partial_exists(), "the export never started writing");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert!(!partial_exists(), "a partial file stayed after SIGTERM");
    assert!(!out.exists());
}

fn text_of(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[cfg(unix)]
#[test]
fn a_full_disk_during_an_export_fails_cleanly_and_leaves_nothing() {
    // A file-size limit stands in for a full disk: with SIGXFSZ ignored,
    // a write past it fails with EFBIG, as on a full filesystem (ENOSPC).
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let binary = env!("CARGO_BIN_EXE_auditview");
    let script = format!(
        "trap '' XFSZ; ulimit -f 16; exec '{binary}' export assets/samples --output '{}'",
        out.display()
    );
    let run = std::process::Command::new("bash")
        .args(["-c", &script])
        .current_dir(crate_dir())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert!(!out.exists());
    assert_no_partial_files(dir.path());
}
