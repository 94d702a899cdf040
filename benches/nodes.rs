//! Node, visibility, request and report indexes: `cargo bench --bench nodes`.
//! Builds 5 million synthetic events (AUDITVIEW_BENCH_EVENTS), then times,
//! on both cores as the app runs them: the case index (node tree and
//! visibility, once per case), the Nodes view, the Requests view and the
//! reports of the whole case, and a --visible-by filter; then the Nodes view
//! of one folder read by 200,000 distinct actors (a worst case for the
//! visible-by lists, quadratic before).

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

use auditview::analysis::nodes::nodes;
use auditview::analysis::reports::{logins, usage, workgroups};
use auditview::analysis::requests::requests;
use auditview::index::case::CaseIndex;
use auditview::index::tree::NodeTree;
use auditview::index::visibility::Visibility;
use auditview::query::{Filter, Selection, select};
use store::build_store;

#[path = "support/timing.rs"]
mod timing;
use timing::timed;

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
            usage(store, &all, &Default::default()).len(),
            logins(store, &all, &Default::default()).len(),
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
    crowded_folder();
}

/// 200,000 actors each reading their own file of one folder.
fn crowded_folder() {
    use auditview::model::{
        Category, EventDraft, EventTable, Format, NodeType, Store, System, TextField,
    };
    let mut table = EventTable::new();
    for i in 0..200_000u64 {
        let mut draft = EventDraft::new(System::Pydio, 1_710_000_000_000 + i as i64, i + 1);
        draft.category = Category::Read;
        draft.node_type = NodeType::File;
        draft.set(TextField::Actor, format!("visitor.{i:06}"));
        draft.set(TextField::NodePath, format!("ds/shared/file-{i:06}.pdf"));
        draft.set(TextField::Resource, "ws-shared");
        table.push(&draft, 0);
    }
    let case = auditview::index::Case::new(Store::of_events(
        "crowded.log",
        Format::PydioAuditJsonl,
        table,
    ));
    timed("crowded folder: case index (200,000 actors)", || {
        case.index().tree.len()
    });
    let all = Selection::all(&case.store);
    let rows = timed("crowded folder: Nodes view", || {
        nodes(&case, &Filter::default(), &all)
    });
    let folder = rows
        .iter()
        .find(|r| r.path == "ds/shared")
        .expect("the folder is an entry");
    let lines = timed("crowded folder: visible-by list of the folder", || {
        auditview::analysis::nodes::visible_by(&case, folder).len()
    });
    println!("  {lines} lines");
}
