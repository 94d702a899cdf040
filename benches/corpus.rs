//! Writes the realistic bench corpus: `cargo bench --bench corpus -- --out DIR`.
//! A DNAnexus Audit Trail CSV (AUDITVIEW_BENCH_CSV_MB, default 300) and a
//! Pydio `audit.log` (AUDITVIEW_BENCH_JSON_MB, default 200), the same bytes
//! on every run, then prints their shape (rows, bytes a row, distinct values)
//! so it can be set beside a real export's. `benches/compare/run` uses it.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    reason = "benches write their corpora; a failed unwrap is a failed run"
)]

#[allow(
    dead_code,
    reason = "shared by the benches; each uses a part (so `expect` would not hold in all)"
)]
#[path = "support/corpus.rs"]
mod corpus;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn size_from_env(name: &str, default_mb: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_mb)
        << 20
}

/// Rows, bytes a row and the distinct values of the columns that decide
/// interning costs, read back with the csv crate.
fn describe_csv(path: &Path) {
    let Ok(mut reader) = csv::Reader::from_path(path) else {
        return;
    };
    let columns = [5, 10, 11, 2, 1];
    let mut distinct: Vec<HashSet<Vec<u8>>> = columns.iter().map(|_| HashSet::new()).collect();
    let (mut rows, mut fraction, mut no_project, mut no_token) = (0u64, 0u64, 0u64, 0u64);
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).unwrap_or(false) {
        rows += 1;
        for (set, &column) in distinct.iter_mut().zip(&columns) {
            set.insert(record[column].to_vec());
        }
        fraction += u64::from(record[0].contains(&b'.'));
        no_project += u64::from(record[7].is_empty());
        no_token += u64::from(record[12].is_empty());
    }
    let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    println!(
        "{}: {rows} rows, {} bytes a row; distinct object ids {}, Info values {}, token labels {}, user agents {}, addresses {}; fractional seconds {:.0}%, no project {:.0}%, no token {:.0}%",
        path.display(),
        bytes / rows.max(1),
        distinct[0].len(),
        distinct[1].len(),
        distinct[2].len(),
        distinct[3].len(),
        distinct[4].len(),
        100.0 * fraction as f64 / rows.max(1) as f64,
        100.0 * no_project as f64 / rows.max(1) as f64,
        100.0 * no_token as f64 / rows.max(1) as f64,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|at| args.get(at + 1))
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus/realistic"),
            PathBuf::from,
        );
    std::fs::create_dir_all(&out).expect("cannot create the corpus folder");
    let csv_path = out.join("dnanexus_audit_trail.csv");
    let json_path = out.join("pydio_audit.log");
    let csv_bytes = size_from_env("AUDITVIEW_BENCH_CSV_MB", 300);
    let json_bytes = size_from_env("AUDITVIEW_BENCH_JSON_MB", 200);
    if corpus::ensure(&csv_path, csv_bytes, |p, b| corpus::write_dnanexus(p, b, 7)) {
        describe_csv(&csv_path);
    }
    corpus::ensure(&json_path, json_bytes, |p, b| corpus::write_pydio(p, b, 11));
    println!("{}\n{}", csv_path.display(), json_path.display());
}
