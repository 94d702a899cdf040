//! The node paths of a view, with folders rolling up what lies beneath.

use rustc_hash::{FxHashMap, FxHashSet};

use super::figures::Figures;
use super::resources::resource_label;
use super::{Entry, NodeRow, content_access};
use crate::index::case::CaseIndex;
use crate::index::tree::{NO_NODE, NodeId};
use crate::model::{Access, Interner, Outcome, ResourceKind, Store, Symbol, TextField};
use crate::query::Selection;

/// Every node with matched events at or beneath it, in path order.
pub(super) fn path_rows(
    store: &Store,
    index: &CaseIndex,
    selection: &Selection,
    counted_as: &[Symbol],
) -> Vec<NodeRow> {
    let tree = &index.tree;
    let events = &store.events;
    let (Some(paths), Some(actors)) = (
        events.interned(TextField::NodePath),
        events.interned(TextField::Actor),
    ) else {
        return Vec::new();
    };
    let mut figures = vec![Figures::default(); tree.len()];
    let mut kinds = vec![ResourceKind::None; tree.len()];
    let mut resources = vec![Interner::EMPTY; tree.len()];
    let mut owners = vec![Interner::EMPTY; tree.len()];
    let owner_column = events.interned(TextField::Owner);
    let resource_column = events.interned(TextField::Resource);
    // Distinct (node, actor, wrote) of successful accesses, in first-seen order.
    let mut seen: FxHashSet<(NodeId, Symbol, bool)> =
        FxHashSet::with_capacity_and_hasher(selection.len(), Default::default());
    let mut seen_order: Vec<(NodeId, Symbol, bool)> = Vec::new();
    for &row in &selection.rows {
        let row = row as usize;
        let node = tree.node_of(paths.rows[row]);
        if node == NO_NODE {
            continue;
        }
        let n = node as usize;
        let access = content_access(events.category[row]);
        let succeeded = events.outcome[row] != Outcome::Failure;
        figures[n].add_row(events.time_ms[row], access, succeeded);
        if kinds[n] == ResourceKind::None {
            kinds[n] = events.resource_kind[row];
        }
        if resources[n] == Interner::EMPTY {
            resources[n] = resource_column.map_or(Interner::EMPTY, |c| c.rows[row]);
        }
        if owners[n] == Interner::EMPTY {
            owners[n] = owner_column.map_or(Interner::EMPTY, |c| c.rows[row]);
        }
        let actor = super::counted(counted_as, actors.rows[row]);
        if access != Access::None
            && actor != Interner::EMPTY
            && events.outcome[row] != Outcome::Failure
        {
            let key = (node, actor, access == Access::Write);
            if seen.insert(key) {
                seen_order.push(key);
            }
        }
    }
    // Distinct actors roll up: each folder counts each actor once.
    for (node, actor, wrote) in seen_order {
        for ancestor in tree.ancestry(node).skip(1) {
            if !seen.insert((ancestor, actor, wrote)) {
                break;
            }
        }
    }
    for &(node, _, wrote) in &seen {
        let f = &mut figures[node as usize];
        if wrote {
            f.writers += 1;
        } else {
            f.readers += 1;
        }
    }
    for &node in tree.top_down.iter().rev() {
        let parent = tree.parents[node as usize];
        if parent != NO_NODE {
            let child = figures[node as usize].clone();
            figures[parent as usize].add(&child);
        }
    }
    let mut order: Vec<NodeId> = (0..tree.len() as NodeId)
        .filter(|&n| figures[n as usize].events > 0)
        .collect();
    order.sort_by(|&a, &b| tree.path(a).cmp(tree.path(b)));
    let visibility = &index.visibility;
    // Labels per distinct resource: few, and each costs a look-up.
    let mut labels: FxHashMap<Symbol, String> = FxHashMap::default();
    order
        .into_iter()
        .map(|node| {
            let n = node as usize;
            let f = &figures[n];
            let resource = if resources[n] == Interner::EMPTY {
                visibility.resource_of(tree, node)
            } else {
                resources[n]
            };
            // The Owner column first, as `--owner` and exports read it;
            // else the nearest owner the evidence names.
            let owner = owner_column
                .map(|c| c.values.resolve(owners[n]).to_string())
                .filter(|o| !o.is_empty())
                .or_else(|| visibility.owner_of(tree, node).map(|g| g.principal.clone()))
                .unwrap_or_default();
            NodeRow {
                entry: Entry::Node,
                node,
                resource_symbol: resource,
                path: tree.path(n as NodeId).to_string(),
                node_type: tree.node_type(node),
                kind: kinds[n],
                resource: labels
                    .entry(resource)
                    .or_insert_with(|| resource_label(store, index, resource))
                    .clone(),
                resource_id: resource_column
                    .map(|c| c.values.resolve(resource).to_string())
                    .unwrap_or_default(),
                owner,
                events: f.events,
                reads: f.reads,
                writes: f.writes,
                readers: f.readers,
                writers: f.writers,
                first: f.first,
                last_update: f.last_update,
                last_activity: f.last_activity,
                visitors: Vec::new(),
                flags: Vec::new(),
            }
        })
        .collect()
}
