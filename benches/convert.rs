//! Conversion to Parquet: `cargo bench --bench convert`. Converts the 1 GB
//! DNAnexus CSV of the load bench (target/bench-corpus/load, written once,
//! deterministically; AUDITVIEW_BENCH_CSV_MB) in a fresh process: time of
//! the load and of the writing, throughput, peak memory, size written. Then
//! DuckDB's own CSV-to-Parquet copy of the same file (all columns as text)
//! when a Python with duckdb is at target/sql-venv (tests/sql/requirements.txt).

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

use std::path::{Path, PathBuf};
use std::time::Instant;

use auditview::sources::{LoadProgress, load};

fn warm(path: &Path) {
    use std::io::Read;
    if let Ok(mut file) = std::fs::File::open(path) {
        let mut block = vec![0u8; 1 << 20];
        while file.read(&mut block).is_ok_and(|n| n > 0) {}
    }
}

fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn measure(path: &Path, out: &Path) {
    warm(path);
    let (before, _) = corpus::memory();
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let start = Instant::now();
    let loaded = load(&[path.to_path_buf()], &LoadProgress::default());
    let loaded_at = start.elapsed().as_secs_f64();
    let summary = auditview::export::convert::convert(&loaded.store, out, true).expect("convert");
    let seconds = start.elapsed().as_secs_f64();
    let (_, peak) = corpus::memory();
    let mb = bytes as f64 / 1e6;
    println!(
        "auditview convert {mb:>6.0} MB {:>9} events {seconds:>6.2} s ({loaded_at:.2} s load + {:.2} s write) {:>5.0} MB/s | peak RSS {:>5.0} MB ({:.2}x input) | Parquet {:.0} MB ({:.2}x input)",
        summary.events,
        seconds - loaded_at,
        mb / seconds,
        (peak - before) as f64 / 1e6,
        (peak - before) as f64 / bytes as f64,
        folder_bytes(out) as f64 / 1e6,
        folder_bytes(out) as f64 / bytes as f64,
    );
}

fn duckdb(python: &Path, csv: &Path, out: &Path) {
    warm(csv);
    std::fs::create_dir_all(out).expect("duckdb output folder");
    let target = out.join("duckdb.parquet");
    let script = format!(
        "import duckdb, resource, time\n\
         t = time.time()\n\
         con = duckdb.connect()\n\
         con.execute('SET enable_progress_bar = false')\n\
         con.execute(\"COPY (SELECT * FROM read_csv('{}', all_varchar=true)) TO '{}' (FORMAT parquet)\")\n\
         s = time.time() - t\n\
         peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024\n\
         print(f'{{s:.2f}} {{peak}}')\n",
        csv.display(),
        target.display()
    );
    let output = std::process::Command::new(python)
        .args(["-c", &script])
        .output()
        .expect("python runs");
    let said = String::from_utf8_lossy(&output.stdout);
    let mut parts = said.split_whitespace();
    let (Some(seconds), Some(peak)) = (parts.next(), parts.next()) else {
        println!("duckdb: {}", String::from_utf8_lossy(&output.stderr));
        return;
    };
    let seconds: f64 = seconds.parse().unwrap_or(f64::NAN);
    let peak: f64 = peak.parse().unwrap_or(f64::NAN);
    let bytes = std::fs::metadata(csv).map(|m| m.len()).unwrap_or(0) as f64;
    println!(
        "duckdb COPY TO       {:>6.0} MB           {seconds:>6.2} s                          {:>5.0} MB/s | peak RSS {:>5.0} MB ({:.2}x input) | Parquet {:.0} MB ({:.2}x input)",
        bytes / 1e6,
        bytes / 1e6 / seconds,
        peak / 1e6,
        peak / bytes,
        folder_bytes(out) as f64 / 1e6,
        folder_bytes(out) as f64 / bytes,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--measure") {
        if let (Some(path), Some(out)) = (args.get(at + 1), args.get(at + 2)) {
            measure(Path::new(path), Path::new(out));
        }
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/bench-corpus/load");
    std::fs::create_dir_all(&dir).expect("cannot create target/bench-corpus");
    let csv = dir.join("dnanexus_audit_trail.csv");
    let mb = std::env::var("AUDITVIEW_BENCH_CSV_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024u64);
    corpus::ensure(&csv, mb << 20, |p, b| corpus::write_dnanexus(p, b, 7));
    let out = root.join("target/bench-corpus/convert");
    let _ = std::fs::remove_dir_all(&out);
    println!("threads: {}", rayon::current_num_threads());
    let exe = std::env::current_exe().expect("own path");
    let status = std::process::Command::new(&exe)
        .arg("--measure")
        .args([&csv, &out.join("auditview")])
        .status()
        .expect("cannot run the measurement");
    assert!(status.success(), "the conversion failed");
    let python = root.join("target/sql-venv/bin/python");
    if python.is_file() {
        duckdb(&python, &csv, &out.join("duckdb"));
    } else {
        println!("duckdb: skipped, no {}", python.display());
    }
}
