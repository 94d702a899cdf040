//! The JSON shape of `auditview nodes --json`.

use serde::Serialize;

use super::{Entry, NodeRow, Visitor, visible_by};
use crate::index::Case;
use crate::index::visibility::VisibleByJson;
use crate::model::{NodeType, ResourceKind};
use crate::time::UtcMs;

/// The JSON shape of `auditview nodes --json`: one object per entry.
#[derive(Debug, Clone, Serialize)]
pub struct NodeJson {
    pub entry: Entry,
    pub path: String,
    #[serde(rename = "type")]
    pub node_type: NodeType,
    pub kind: ResourceKind,
    pub resource: String,
    pub resource_id: String,
    pub owner: String,
    pub events: u64,
    pub reads: u64,
    pub writes: u64,
    pub readers: u64,
    pub writers: u64,
    pub first: Option<UtcMs>,
    pub last_update: Option<UtcMs>,
    pub last_activity: Option<UtcMs>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub visitors: Vec<Visitor>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    pub visible_by: Vec<VisibleByJson>,
}

impl NodeJson {
    pub fn new(case: &Case, row: &NodeRow) -> NodeJson {
        NodeJson {
            entry: row.entry,
            path: row.path.clone(),
            node_type: row.node_type,
            kind: row.kind,
            resource: row.resource.clone(),
            resource_id: row.resource_id.clone(),
            owner: row.owner.clone(),
            events: row.events,
            reads: row.reads,
            writes: row.writes,
            readers: row.readers,
            writers: row.writers,
            first: row.first.map(UtcMs),
            last_update: row.last_update.map(UtcMs),
            last_activity: row.last_activity.map(UtcMs),
            visitors: row.visitors.clone(),
            flags: row.flags.clone(),
            visible_by: visible_by(case, row)
                .iter()
                .map(|line| VisibleByJson::new(&case.store, line))
                .collect(),
        }
    }
}
