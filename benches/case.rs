//! The case file: `cargo bench --bench case`. Builds 5 million synthetic
//! events (AUDITVIEW_BENCH_EVENTS), then times starring 10,000 of them in a
//! case file (one transaction, logged), reading the marks back and putting
//! them on the rows (what reopening a case does after the load), and
//! selecting `--starred` and `--tag`.

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

use auditview::casefile::{CaseFile, Mark};
use auditview::index::Case;
use auditview::model::annotations::{RowAnnotations, event_key};
use auditview::query::{Filter, select};
use store::build_store;

#[path = "support/timing.rs"]
mod timing;
use timing::timed;

fn main() {
    let events: usize = std::env::var("AUDITVIEW_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000_000);
    let marks = 10_000.min(events);
    let mut store = timed("build the synthetic store", || build_store(events));
    for (i, source) in store.sources.iter_mut().enumerate() {
        source.sha256 = format!("{i:064x}");
    }
    println!("{} events", store.events.len());
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("bench.auditcase");
    let mut file = CaseFile::create(&path, &store.sources).expect("a case file");
    file.add_evidence(&store.sources).expect("evidence");
    // Every 500th event, spread over the whole case.
    let step = (events / marks).max(1);
    let rows: Vec<usize> = (0..events).step_by(step).take(marks).collect();
    let keys = timed("keys of 10,000 events (hash, line, fingerprint)", || {
        rows.iter()
            .map(|&r| event_key(&store, r))
            .collect::<Vec<_>>()
    });
    timed("star 10,000 events (one transaction)", || {
        file.mark(&keys, &Mark::Star(true)).expect("starred")
    });
    timed("tag 10,000 events (one transaction)", || {
        file.mark(
            &keys,
            &Mark::Tag {
                tag: "review".into(),
                add: true,
            },
        )
        .expect("tagged")
    });
    drop(file);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!("case file: {:.1} MB", size as f64 / 1e6);
    let file = timed("reopen the case file (checked whole)", || {
        CaseFile::open(&path).expect("reopened")
    });
    let read = timed("read its 10,000 marks", || {
        file.annotations().expect("marks")
    });
    let resolved = timed("put them on the 5M rows (reopening a case)", || {
        RowAnnotations::resolve(&store, &read)
    });
    assert_eq!(resolved.rows().len(), rows.len());
    let case = Case::new(store).with_annotations(resolved);
    let starred = Filter {
        starred: true,
        ..Filter::default()
    };
    let selected = timed("select --starred", || {
        select(&case, &starred).expect("selection")
    });
    let tagged = Filter {
        tags: vec!["review".into()],
        ..Filter::default()
    };
    timed("select --tag review", || {
        select(&case, &tagged).expect("selection")
    });
    println!("{} starred", selected.len());
}
