//! Growth with each dimension of the input: `cargo bench --bench scaling`.
//! Builds synthetic cases at 1x, 2x and 4x of one dimension at a time
//! (events, distinct actors, distinct paths, path depth; the others at their
//! base) and times what follows a load: the case index (node tree,
//! visibility), repeats, the Nodes and Requests views, the findings and a
//! full-text search. Each line shows the time and its growth over the base;
//! a step whose growth exceeds its dimension's factor by half is marked.
//! AUDITVIEW_BENCH_EVENTS sets the base event count (default 1,250,000);
//! `-- --base` measures the base case only.

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

use std::time::Instant;

use auditview::analysis::nodes::nodes;
use auditview::analysis::requests::requests;
use auditview::index::Case;
use auditview::index::case::CaseIndex;
use auditview::index::findings::{Findings, FindingsConfig};
use auditview::model::{
    Category, EventDraft, EventTable, Format, NodeType, Outcome, Store, System, TextField,
};
use auditview::query::{Filter, Selection, select};
use corpus::Rng;

/// The shape of one synthetic case.
#[derive(Debug, Clone, Copy)]
struct Shape {
    events: usize,
    actors: u64,
    paths: u64,
    depth: u64,
}

/// Events spread over 30 days, each by one of `actors` on one of `paths`
/// files `depth` folders deep (folders shared by neighbouring files), one
/// request every three events.
fn build(shape: Shape) -> Store {
    let mut table = EventTable::new();
    let mut rng = Rng::new(17);
    let base = 1_710_000_000_000i64;
    let step = (30 * 86_400_000 / shape.events.max(1)) as i64;
    let categories = [
        Category::Read,
        Category::Read,
        Category::Download,
        Category::List,
        Category::Modify,
        Category::Upload,
        Category::Create,
        Category::Delete,
        Category::Share,
        Category::Login,
    ];
    let mut path = String::new();
    for i in 0..shape.events {
        let mut e = EventDraft::new(System::Pydio, base + i as i64 * step, i as u64 + 1);
        e.category = *rng.pick(&categories);
        e.outcome = if rng.below(40) == 0 {
            Outcome::Failure
        } else {
            Outcome::Success
        };
        e.node_type = if e.category == Category::List {
            NodeType::Folder
        } else {
            NodeType::File
        };
        let actor = rng.below(shape.actors);
        let file = rng.below(shape.paths);
        path.clear();
        path.push_str("ds");
        // Folder k holds 16^(depth-k) files' worth of neighbours: a real tree.
        for level in 0..shape.depth {
            use std::fmt::Write as _;
            let _ = write!(
                path,
                "/f{level}-{:x}",
                file >> (4 * (shape.depth - level)).min(60)
            );
        }
        if e.node_type == NodeType::File {
            use std::fmt::Write as _;
            let _ = write!(path, "/doc_{file:07}.pdf");
        }
        e.set(TextField::Actor, format!("user.{actor:05}"));
        e.set(
            TextField::Ip,
            format!("198.51.{}.{}", actor % 200, actor % 250),
        );
        e.set(TextField::Action, format!("{:?}", e.category));
        e.set(TextField::NodePath, path.as_str());
        e.set(TextField::Resource, format!("ws-{:03}", file % 40));
        e.set(TextField::RequestId, format!("req-{:08x}", i / 3));
        e.set(TextField::Message, format!("{:?} {path}", e.category));
        table.push(&e, 0);
    }
    Store::of_events("scaling.log", Format::PydioAuditJsonl, table)
}

fn seconds(work: impl FnOnce()) -> f64 {
    let start = Instant::now();
    work();
    start.elapsed().as_secs_f64()
}

/// A shape with one dimension multiplied by a factor.
type Scale = fn(Shape, u64) -> Shape;

/// The steps timed on one case, by name.
fn measure(shape: Shape) -> Vec<(&'static str, f64)> {
    let store = build(shape);
    let mut times = Vec::new();
    times.push(("case index", seconds(|| drop(CaseIndex::build(&store)))));
    times.push((
        "repeats",
        seconds(|| drop(auditview::index::repeats::repeated_rows(&store))),
    ));
    let case = Case::new(store);
    let _ = case.index();
    let all = Selection::all(&case.store);
    times.push((
        "Nodes view",
        seconds(|| drop(nodes(&case, &Filter::default(), &all))),
    ));
    times.push((
        "Requests view",
        seconds(|| drop(requests(&case.store, &all))),
    ));
    times.push((
        "findings",
        seconds(|| drop(Findings::build(&case, &FindingsConfig::default()))),
    ));
    let text = Filter {
        texts: vec!["doc_00123".into()],
        ..Filter::default()
    };
    times.push(("--text", seconds(|| drop(select(&case, &text)))));
    times
}

fn main() {
    let events: usize = std::env::var("AUDITVIEW_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_250_000);
    let base = Shape {
        events,
        actors: 1_000,
        paths: 100_000,
        depth: 4,
    };
    println!("base: {base:?}; threads: {}", rayon::current_num_threads());
    let base_times = measure(base);
    // `-- --base`: the base case only (for a profiler).
    if std::env::args().any(|a| a == "--base") {
        for (name, time) in &base_times {
            println!("{name:<14} {:>7.0} ms", time * 1e3);
        }
        return;
    }
    let dimensions: [(&str, Scale); 4] = [
        ("events", |s, k| Shape {
            events: s.events * k as usize,
            ..s
        }),
        ("actors", |s, k| Shape {
            actors: s.actors * k,
            ..s
        }),
        ("paths", |s, k| Shape {
            paths: s.paths * k,
            ..s
        }),
        ("depth", |s, k| Shape {
            depth: s.depth * k,
            ..s
        }),
    ];
    println!(
        "{:<8} {:>6} {:<14} {:>9} {:>8}",
        "grows", "factor", "step", "time", "growth"
    );
    for (name, time) in &base_times {
        println!(
            "{:<8} {:>6} {name:<14} {:>7.0} ms {:>7.2}x",
            "base",
            1,
            time * 1e3,
            1.0
        );
    }
    for (dimension, scale) in dimensions {
        for factor in [2u64, 4] {
            let times = measure(scale(base, factor));
            for ((name, time), (_, base_time)) in times.iter().zip(&base_times) {
                let growth = time / base_time.max(1e-6);
                let flag = if growth > 1.5 * factor as f64 && time * 1e3 > 20.0 {
                    "  <- grows faster than its input"
                } else {
                    ""
                };
                println!(
                    "{dimension:<8} {factor:>5}x {name:<14} {:>7.0} ms {growth:>7.2}x{flag}",
                    time * 1e3
                );
            }
        }
    }
}
