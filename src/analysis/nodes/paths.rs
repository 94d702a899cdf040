//! The node paths of a view, with folders rolling up what lies beneath.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::figures::Figures;
use super::resources::resource_label;
use super::{Entry, NodeRow, content_access};
use crate::index::case::CaseIndex;
use crate::index::tree::{NO_NODE, NodeId};
use crate::model::{Access, Interner, Outcome, ResourceKind, Store, Symbol, TextField};
use crate::query::Selection;

/// What a node's own matched events show (before folders roll up).
#[derive(Debug, Clone, Default)]
struct OwnActivity {
    figures: Figures,
    kind: ResourceKind,
    resource: Symbol,
    owner: Symbol,
}

/// Each key once, sorted.
fn distinct(mut keys: Vec<u32>) -> Vec<u32> {
    keys.sort_unstable();
    keys.dedup();
    keys
}

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
    let owner_column = events.interned(TextField::Owner);
    let resource_column = events.interned(TextField::Resource);
    // Per selected row, read in row order on every core: its node, and the
    // actor and whether they wrote, when it counts as a successful access.
    const NOT_COUNTED: u32 = u32::MAX;
    let keyed: Vec<(NodeId, u32)> = selection
        .rows
        .par_iter()
        .map(|&row| {
            let row = row as usize;
            let node = tree.node_of(paths.rows[row]);
            let access = content_access(events.category[row]);
            let actor = super::counted(counted_as, actors.rows[row]);
            let counts = access != Access::None
                && actor != Interner::EMPTY
                && events.outcome[row] != Outcome::Failure;
            let key = if counts {
                actor << 1 | u32::from(access == Access::Write)
            } else {
                NOT_COUNTED
            };
            (node, key)
        })
        .collect();
    // Figures in row order (columns read in sequence); beside them, the
    // distinct actors of each node, its rows grouped by a counting sort.
    let (mut own, actors_of) = rayon::join(
        || {
            let mut own = vec![OwnActivity::default(); tree.len()];
            for (&row, &(node, _)) in selection.rows.iter().zip(&keyed) {
                let Some(own) = own.get_mut(node as usize) else {
                    continue;
                };
                let row = row as usize;
                let access = content_access(events.category[row]);
                let succeeded = events.outcome[row] != Outcome::Failure;
                own.figures.add_row(events.time_ms[row], access, succeeded);
                if own.kind == ResourceKind::None {
                    own.kind = events.resource_kind[row];
                }
                if own.resource == Interner::EMPTY {
                    own.resource = resource_column.map_or(Interner::EMPTY, |c| c.rows[row]);
                }
                if own.owner == Interner::EMPTY {
                    own.owner = owner_column.map_or(Interner::EMPTY, |c| c.rows[row]);
                }
            }
            own
        },
        || {
            let counted: Vec<NodeId> = keyed
                .iter()
                .map(|&(node, key)| if key == NOT_COUNTED { NO_NODE } else { node })
                .collect();
            let by_node = tree.group_by_node(&counted);
            (0..tree.len() as NodeId)
                .into_par_iter()
                .map(|node| {
                    let keys = by_node.of(node).iter().map(|&at| keyed[at as usize].1);
                    distinct(keys.collect())
                })
                .collect::<Vec<Vec<u32>>>()
        },
    );
    drop(keyed);
    // Distinct actors roll up: each folder counts each actor once.
    let rolled = tree.roll_up(&actors_of, distinct);
    drop(actors_of);
    for (activity, keys) in own.iter_mut().zip(&rolled) {
        let f = &mut activity.figures;
        f.writers = keys.iter().filter(|&&key| key & 1 == 1).count() as u64;
        f.readers = keys.len() as u64 - f.writers;
    }
    drop(rolled);
    for &node in tree.top_down.iter().rev() {
        let parent = tree.parents[node as usize];
        if parent != NO_NODE {
            let child = own[node as usize].figures.clone();
            own[parent as usize].figures.add(&child);
        }
    }
    let mut order: Vec<NodeId> = (0..tree.len() as NodeId)
        .filter(|&n| own[n as usize].figures.events > 0)
        .collect();
    order.sort_by(|&a, &b| tree.path(a).cmp(tree.path(b)));
    let visibility = &index.visibility;
    // Labels per distinct resource: few, and each costs a look-up.
    let mut labels: FxHashMap<Symbol, String> = FxHashMap::default();
    order
        .into_iter()
        .map(|node| {
            let n = node as usize;
            let f = &own[n].figures;
            let resource = if own[n].resource == Interner::EMPTY {
                visibility.resource_of(tree, node)
            } else {
                own[n].resource
            };
            // The Owner column first, as `--owner` and exports read it;
            // else the nearest owner the evidence names.
            let owner = owner_column
                .map(|c| c.values.resolve(own[n].owner).to_string())
                .filter(|o| !o.is_empty())
                .or_else(|| visibility.owner_of(tree, node).map(|g| g.principal.clone()))
                .unwrap_or_default();
            NodeRow {
                entry: Entry::Node,
                node,
                resource_symbol: resource,
                path: tree.path(n as NodeId).to_string(),
                node_type: tree.node_type(node),
                kind: own[n].kind,
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
