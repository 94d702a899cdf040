//! The workgroup report: every group (BaseSpace workgroup, Pydio cell,
//! workspace or public link, DNAnexus project) with its members and roles,
//! from the platforms' own reports and from what the events show.

use super::{BASESPACE_REPORT, COMPUTED, PYDIO_REPORT};
use crate::model::{Origin, Outcome, ResourceKind, Store, TextField};
use crate::query::Selection;
use crate::time::as_rfc3339;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// One member (or owner) of one group: a BaseSpace workgroup, a Pydio cell,
/// workspace or public link, or a DNAnexus project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkgroupRow {
    /// The group's label (its id when no label is known).
    pub group: String,
    pub group_id: String,
    pub group_kind: ResourceKind,
    pub member: String,
    /// The member's display name, where a report gives one.
    pub member_name: String,
    /// The report's role, `owner` (creator or reported owner) or `seen active`.
    pub role: String,
    pub has_access: Option<bool>,
    #[serde(serialize_with = "as_rfc3339::option")]
    pub added: Option<i64>,
    pub description: String,
    pub administrator: String,
    pub node_path: String,
    pub readable_by: Option<u64>,
    pub writable_by: Option<u64>,
    /// `seen active` rows: the member's events in the group within the time frame.
    pub events: Option<u64>,
    pub source: &'static str,
    pub evidence: Origin,
}

pub const ROLE_OWNER: &str = "owner";
pub const ROLE_SEEN_ACTIVE: &str = "seen active";

/// Actions that create a resource: their actor owns it.
fn creates_resource(action: &str) -> bool {
    matches!(action, "Created cell" | "Created workspace" | "project-new")
}

/// A group seen in events: its label and the rows proving its members.
struct SeenGroup {
    kind: ResourceKind,
    id: String,
    label: String,
    /// Creator -> the creation event.
    owners: Vec<(String, usize)>,
    /// Actor -> (first event in the time frame, events).
    active: Vec<(String, usize, u64)>,
}

/// The Workgroup report. A computed group is named by the shared-resources
/// report's label for its id, else the label its creation event gives,
/// else the first label seen. Directory rows (BaseSpace memberships, Pydio
/// shared resources) are state, not activity: the time frame does not
/// limit them, nor the owners learned from creation events anywhere in the
/// case. `seen active` rows (every actor of a cell, workspace or project)
/// count only events in `selection`. Sorted by group; within a group the
/// report rows in file order, then owners, then active members by name.
pub fn workgroups(store: &Store, selection: &Selection) -> Vec<WorkgroupRow> {
    let mut rows: Vec<WorkgroupRow> = Vec::new();
    for m in &store.directory.memberships {
        rows.push(WorkgroupRow {
            group: m.workgroup.clone(),
            group_id: String::new(),
            group_kind: ResourceKind::Workgroup,
            member: if m.user_email.is_empty() {
                m.user_name.clone()
            } else {
                m.user_email.clone()
            },
            member_name: m.user_name.clone(),
            role: m.role.clone(),
            has_access: m.has_access,
            added: m.added_ms,
            description: m.description.clone(),
            administrator: m.administrator.clone(),
            node_path: String::new(),
            readable_by: None,
            writable_by: None,
            events: None,
            source: BASESPACE_REPORT,
            evidence: store.record_origin(m.origin),
        });
    }
    for r in &store.directory.shared_resources {
        rows.push(WorkgroupRow {
            group: if r.label.is_empty() {
                r.workspace_id.clone()
            } else {
                r.label.clone()
            },
            group_id: r.workspace_id.clone(),
            group_kind: r.kind,
            member: r.owner.clone(),
            member_name: String::new(),
            role: ROLE_OWNER.to_string(),
            has_access: None,
            added: None,
            description: String::new(),
            administrator: String::new(),
            node_path: r.node_path.clone(),
            readable_by: r.readable_by,
            writable_by: r.writable_by,
            events: None,
            source: PYDIO_REPORT,
            evidence: store.record_origin(r.origin),
        });
    }
    // The shared-resources report's label names a resource as the platform
    // does; a computed group takes it, so both sort together.
    let reported_label: FxHashMap<&str, &str> = store
        .directory
        .shared_resources
        .iter()
        .filter(|r| !r.label.is_empty() && !r.workspace_id.is_empty())
        .map(|r| (r.workspace_id.as_str(), r.label.as_str()))
        .collect();
    for group in seen_groups(store, selection) {
        let label = match reported_label.get(group.id.as_str()) {
            Some(label) => label.to_string(),
            None if group.label.is_empty() => group.id.clone(),
            None => group.label.clone(),
        };
        let members = group
            .owners
            .iter()
            .map(|(actor, row)| (actor, ROLE_OWNER, *row, None))
            .chain(
                group
                    .active
                    .iter()
                    .map(|(actor, row, n)| (actor, ROLE_SEEN_ACTIVE, *row, Some(*n))),
            );
        for (actor, role, row, events) in members {
            rows.push(WorkgroupRow {
                group: label.clone(),
                group_id: group.id.clone(),
                group_kind: group.kind,
                member: actor.clone(),
                member_name: String::new(),
                role: role.to_string(),
                has_access: None,
                added: None,
                description: String::new(),
                administrator: String::new(),
                node_path: String::new(),
                readable_by: None,
                writable_by: None,
                events,
                source: COMPUTED,
                evidence: store.origin(row),
            });
        }
    }
    rows.sort_by_cached_key(|r| (r.group.to_lowercase(), r.group_id.clone()));
    rows
}

/// Cells, workspaces and projects seen in events, by (kind, id), with
/// their creators (any time) and their actors within `selection`.
fn seen_groups(store: &Store, selection: &Selection) -> Vec<SeenGroup> {
    let events = &store.events;
    let mut groups: Vec<SeenGroup> = Vec::new();
    let mut index: FxHashMap<(ResourceKind, &str), usize> = FxHashMap::default();
    let mut group_of = |row: usize, groups: &mut Vec<SeenGroup>| -> Option<usize> {
        let kind = events.resource_kind[row];
        if !matches!(
            kind,
            ResourceKind::Cell | ResourceKind::Workspace | ResourceKind::Project
        ) {
            return None;
        }
        let id = events.text(TextField::Resource, row);
        if id.is_empty() {
            return None;
        }
        Some(*index.entry((kind, id)).or_insert_with(|| {
            groups.push(SeenGroup {
                kind,
                id: id.to_string(),
                label: String::new(),
                owners: Vec::new(),
                active: Vec::new(),
            });
            groups.len() - 1
        }))
    };
    // Labels and owners: the whole case, in time order.
    for row in 0..events.len() {
        let Some(g) = group_of(row, &mut groups) else {
            continue;
        };
        let group = &mut groups[g];
        let label = events.text(TextField::ResourceName, row);
        let creates = creates_resource(events.text(TextField::Action, row));
        // A creation event names the resource as its creator did; otherwise
        // the first label seen.
        if !label.is_empty() && (group.label.is_empty() || creates && group.owners.is_empty()) {
            group.label = label.to_string();
        }
        let actor = events.text(TextField::Actor, row);
        if creates
            && !actor.is_empty()
            && events.outcome[row] != Outcome::Failure
            && !group.owners.iter().any(|(a, _)| a == actor)
        {
            group.owners.push((actor.to_string(), row));
        }
    }
    // Members seen acting within the time frame.
    for &row in &selection.rows {
        let row = row as usize;
        let actor = events.text(TextField::Actor, row);
        if actor.is_empty() {
            continue;
        }
        let Some(g) = group_of(row, &mut groups) else {
            continue;
        };
        let active = &mut groups[g].active;
        match active.iter_mut().find(|(a, _, _)| a == actor) {
            Some((_, _, n)) => *n += 1,
            None => active.push((actor.to_string(), row, 1)),
        }
    }
    for group in &mut groups {
        group.active.sort_by(|a, b| a.0.cmp(&b.0));
    }
    groups
}
