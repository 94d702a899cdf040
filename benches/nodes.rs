//! Node, visibility, request and report indexes: `cargo bench --bench nodes`.
//! Builds 5 million synthetic events (AUDITVIEW_BENCH_EVENTS), then times,
//! on both cores as the app runs them: the case index (node tree and
//! visibility, once per case), the Nodes view, the Requests view and the
//! reports of the whole case, and a --visible-by filter.

#[allow(
    dead_code,
    reason = "shared by the benches; each uses a part (so `expect` would not hold in all)"
)]
#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/store.rs"]
mod store;

use std::time::Instant;

use auditview::analysis::nodes::nodes;
use auditview::analysis::reports::{logins, usage, workgroups};
use auditview::analysis::requests::requests;
use auditview::index::case::CaseIndex;
use auditview::index::tree::NodeTree;
use auditview::index::visibility::Visibility;
use auditview::query::{Filter, Selection, select};
use store::build_store;

fn timed<T>(label: &str, work: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = work();
    println!(
        "{label:<44} {:>8.0} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    out
}

fn main() {
    let events: usize = std::env::var("AUDITVIEW_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000_000);
    let store = timed("build the synthetic store", || build_store(events));
    println!("{} events", store.events.len());
    let tree = timed("  node tree alone", || NodeTree::build(&store));
    timed("  visibility alone", || Visibility::build(&store, &tree));
    drop(tree);
    corpus::reset_peak();
    let (before, _) = corpus::memory();
    let index = timed("case index (node tree + visibility)", || {
        CaseIndex::build(&store)
    });
    let (_, peak) = corpus::memory();
    println!(
        "  {} nodes, {} principals, peak RSS growth {:.0} MB",
        index.tree.len(),
        index.principals.len(),
        peak.saturating_sub(before) as f64 / 1e6
    );
    let repeats = timed("repeats (events read from two sources)", || {
        auditview::index::repeats::repeated_rows(&store)
    });
    println!("  {} repeats", repeats.iter().filter(|&&r| r).count());
    // The app's case builds it lazily; prime it as a load would.
    let case = auditview::index::Case::new(store);
    let _ = case.index();
    let store = &case.store;
    let all = Selection::all(store);
    let filter = Filter::default();
    let rows = timed("Nodes view, every event", || nodes(&case, &filter, &all));
    println!("  {} entries", rows.len());
    let found = timed("Requests view, every event", || requests(store, &all));
    println!("  {} requests", found.len());
    timed("usage + logins + workgroups reports", || {
        (
            usage(store, &all).len(),
            logins(store, &all).len(),
            workgroups(store, &all).len(),
        )
    });
    let visible = Filter {
        visible_by: vec!["user.07".into()],
        ..Filter::default()
    };
    let selection = timed("filter --visible-by user.07", || {
        select(&case, &visible).expect("valid filter")
    });
    println!("  {} matched", selection.len());
}
