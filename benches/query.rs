//! Filter and export speed: `cargo bench --bench query`.
//! Builds a store of 5 million synthetic events (AUDITVIEW_BENCH_EVENTS),
//! times each filter criterion alone and combined on one core and on all, then exports
//! 1 million events to CSV and XLSX and reports time and peak memory.

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
#[path = "support/store.rs"]
mod store;

use std::time::Instant;

use auditview::export::{ExportFormat, ExportRequest, export};
use auditview::index::Case;
use auditview::model::{Outcome, ResourceKind};
use auditview::query::{Filter, Selection, select};
use auditview::time::{UtcMs, Zone};
use store::build_store;

/// Best of 5 on one core and on every core (as the app runs filters).
fn time_filter(case: &Case, label: &str, filter: &Filter) -> Selection {
    let best_of_5 = |selection: &mut Selection| {
        let mut best = f64::MAX;
        for _ in 0..5 {
            let start = Instant::now();
            *selection = select(case, filter).expect("valid filter");
            best = best.min(start.elapsed().as_secs_f64());
        }
        best
    };
    let mut selection = Selection::default();
    let one_core = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("thread pool")
        .install(|| best_of_5(&mut selection));
    let every_core = best_of_5(&mut selection);
    println!(
        "filter {label:<38} {:>9} matched {:>8.1} ms on 1 core {:>8.1} ms on {}",
        selection.len(),
        one_core * 1e3,
        every_core * 1e3,
        rayon::current_num_threads()
    );
    selection
}

fn main() {
    let events: usize = std::env::var("AUDITVIEW_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000_000);
    let start = Instant::now();
    let case = Case::new(build_store(events));
    let store = &case.store;
    println!(
        "built {} events in {:.1} s",
        store.events.len(),
        start.elapsed().as_secs_f64()
    );

    {
        let day = 86_400_000;
        let t0 = store.events.time_ms[0];
        let cases: Vec<(&str, Filter)> = vec![
            ("none", Filter::default()),
            (
                "--user user.07",
                Filter {
                    users: vec!["user.07".into()],
                    ..Filter::default()
                },
            ),
            (
                "--path ds1/case-0042",
                Filter {
                    paths: vec!["ds1/case-0042".into()],
                    ..Filter::default()
                },
            ),
            (
                "--path '*doc_0001*'",
                Filter {
                    paths: vec!["*doc_0001*".into()],
                    ..Filter::default()
                },
            ),
            (
                "--kind link",
                Filter {
                    kinds: vec![ResourceKind::PublicLink],
                    ..Filter::default()
                },
            ),
            (
                "--owner owner.03",
                Filter {
                    owners: vec!["owner.03".into()],
                    ..Filter::default()
                },
            ),
            (
                "--outcome failure",
                Filter {
                    outcomes: vec![Outcome::Failure],
                    ..Filter::default()
                },
            ),
            (
                "--ip 198.51.2.0/24",
                Filter {
                    ips: vec!["198.51.2.0/24".into()],
                    ..Filter::default()
                },
            ),
            (
                "--from/--to (one day)",
                Filter {
                    from: Some(UtcMs(t0 + day)),
                    to: Some(UtcMs(t0 + 2 * day)),
                    ..Filter::default()
                },
            ),
            (
                "--text doc_01234",
                Filter {
                    texts: vec!["doc_01234".into()],
                    ..Filter::default()
                },
            ),
            (
                "--text quartz (letters only)",
                Filter {
                    texts: vec!["quartz".into()],
                    ..Filter::default()
                },
            ),
            (
                "combined: user+kind+outcome+day+path",
                Filter {
                    users: vec!["user.07".into(), "user.08".into()],
                    kinds: vec![ResourceKind::Cell],
                    outcomes: vec![Outcome::Success],
                    from: Some(UtcMs(t0)),
                    to: Some(UtcMs(t0 + 3 * day)),
                    paths: vec!["ds1/*".into()],
                    ..Filter::default()
                },
            ),
        ];
        for (label, filter) in &cases {
            time_filter(&case, label, filter);
        }
    }

    let export_rows = events.min(1_000_000);
    let selection = Selection {
        rows: (0..export_rows as u32).collect(),
    };
    let dir = tempfile::tempdir().expect("temp dir");
    for format in [ExportFormat::Csv, ExportFormat::Xlsx] {
        corpus::reset_peak();
        let (before, _) = corpus::memory();
        let output = dir.path().join(format!("bench.{}", format.as_str()));
        let filter = Filter::default();
        let request = ExportRequest {
            output: output.clone(),
            format,
            zone: Zone::Utc,
            force: true,
            filter: &filter,
            progress: None,
            annotations: None,
            places: None,
            findings: None,
            case: None,
        };
        let start = Instant::now();
        let summary = export(store, &selection, &request).expect("export");
        let seconds = start.elapsed().as_secs_f64();
        let (_, peak) = corpus::memory();
        let size = std::fs::metadata(&output).map(|m| m.len()).unwrap_or(0);
        println!(
            "export {:<5} {:>9} rows {:>7.2} s {:>6.0} MB written, peak RSS growth {:>5.0} MB",
            format.as_str(),
            summary.rows,
            seconds,
            size as f64 / 1e6,
            peak.saturating_sub(before) as f64 / 1e6
        );
    }
}
