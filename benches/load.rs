//! Load throughput and memory: `cargo bench --bench load`.
//! Generates (once, deterministically) 1 GB of DNAnexus CSV and 0.5 GB of Pydio
//! JSON lines under target/bench-corpus/load (shaped
//! like real exports: see support/corpus.rs), then loads each and prints MB/s and
//! resident memory. Sizes: AUDITVIEW_BENCH_CSV_MB / AUDITVIEW_BENCH_JSON_MB.

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

fn size_from_env(name: &str, default_mb: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_mb)
        << 20
}

fn measure(label: &str, path: &Path) {
    // Warm the page cache so the figure is parse speed, not disk speed; read
    // in blocks so the warm-up itself does not raise the peak memory.
    if let Ok(mut file) = std::fs::File::open(path) {
        use std::io::Read;
        let mut block = vec![0u8; 1 << 20];
        while file.read(&mut block).is_ok_and(|n| n > 0) {}
    }
    let (before, _) = corpus::memory();
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let start = Instant::now();
    let loaded = load(&[path.to_path_buf()], &LoadProgress::default());
    let seconds = start.elapsed().as_secs_f64();
    let (after, peak) = corpus::memory();
    let events = loaded.store.events.len() as u64;
    let mb = bytes as f64 / 1e6;
    println!(
        "{label:<22} {mb:>8.0} MB {events:>10} events {seconds:>7.2} s {:>7.0} MB/s | peak RSS {:>6.0} MB ({:.2}x input), retained {:>6.0} MB, {:>4.0} B/event (store estimate {:.0} B/event), rejected {}",
        mb / seconds,
        (peak - before) as f64 / 1e6,
        (peak - before) as f64 / bytes as f64,
        (after - before) as f64 / 1e6,
        (peak - before) as f64 / events.max(1) as f64,
        loaded.store.events.heap_bytes() as f64 / events.max(1) as f64,
        loaded.store.rejects.len(),
    );
    if std::env::var_os("AUDITVIEW_BENCH_COLUMNS").is_some() {
        use auditview::model::TextField;
        for field in TextField::ALL {
            let distinct = loaded.store.events.column(field).values.len();
            println!(
                "  {:<14} {distinct:>9} distinct {:>6.1} B/event",
                field.name(),
                loaded.store.events.column(field).heap_bytes() as f64 / events.max(1) as f64
            );
        }
    }
}

fn main() {
    // Each measurement runs in a fresh process, so its peak memory is its own.
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--measure") {
        if let (Some(label), Some(path)) = (args.get(at + 1), args.get(at + 2)) {
            measure(label, Path::new(path));
        }
        return;
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus/load");
    std::fs::create_dir_all(&dir).expect("cannot create target/bench-corpus");
    let csv = dir.join("dnanexus_audit_trail.csv");
    let jsonl = dir.join("pydio_audit.log");
    corpus::ensure(
        &csv,
        size_from_env("AUDITVIEW_BENCH_CSV_MB", 1024),
        |p, b| corpus::write_dnanexus(p, b, 7),
    );
    corpus::ensure(
        &jsonl,
        size_from_env("AUDITVIEW_BENCH_JSON_MB", 512),
        |p, b| corpus::write_pydio(p, b, 11),
    );
    println!("threads: {}", rayon::current_num_threads());
    let exe = std::env::current_exe().expect("own path");
    for (label, path) in [("dnanexus-audit-csv", &csv), ("pydio-audit-jsonl", &jsonl)] {
        let status = std::process::Command::new(&exe)
            .args(["--measure", label])
            .arg(path)
            .status()
            .expect("cannot run the measurement");
        assert!(status.success(), "measurement of {label} failed");
    }
}
