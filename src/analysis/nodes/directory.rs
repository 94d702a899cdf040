//! Entries only reports know: BaseSpace workgroups and shared resources
//! no event names.

use rustc_hash::FxHashSet;

use super::resources::owner_name;
use super::{Entry, NodeRow};
use crate::index::case::CaseIndex;
use crate::index::tree::NO_NODE;
use crate::index::visibility::Reason;
use crate::model::{Interner, NodeType, ResourceKind, Store};

/// Workgroups, and report-only resources no event names.
pub(super) fn directory_rows(store: &Store, index: &CaseIndex, known: &[NodeRow]) -> Vec<NodeRow> {
    let empty = |entry, path: String, kind, resource: String, owner: String| NodeRow {
        entry,
        node: NO_NODE,
        resource_symbol: Interner::EMPTY,
        path,
        node_type: NodeType::Unknown,
        kind,
        resource,
        resource_id: String::new(),
        owner,
        events: 0,
        reads: 0,
        writes: 0,
        readers: 0,
        writers: 0,
        first: None,
        last_update: None,
        last_activity: None,
        visitors: Vec::new(),
        flags: Vec::new(),
    };
    let mut rows = Vec::new();
    let listed_ids: FxHashSet<&str> = known
        .iter()
        .filter(|r| r.entry == Entry::Resource)
        .map(|r| r.resource_id.as_str())
        .collect();
    for record in &store.directory.shared_resources {
        let listed = listed_ids.contains(record.workspace_id.as_str());
        if listed || record.workspace_id.is_empty() {
            continue;
        }
        let mut row = empty(
            Entry::Resource,
            record.node_path.clone(),
            record.kind,
            record.label.clone(),
            record.owner.clone(),
        );
        row.resource_id = record.workspace_id.clone();
        if let Some(node) = index.tree.find(&record.node_path) {
            row.node_type = index.tree.node_type(node);
        }
        rows.push(row);
    }
    for (name, grants) in &index.visibility.workgroups {
        let mut row = empty(
            Entry::Workgroup,
            String::new(),
            ResourceKind::Workgroup,
            name.clone(),
            owner_name(grants).unwrap_or_default(),
        );
        row.readers = grants.iter().filter(|g| g.reason == Reason::Member).count() as u64;
        rows.push(row);
    }
    rows
}
