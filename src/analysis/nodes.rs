//! Per-node and per-resource activity of a view: the rows of the Nodes view
//! and of `auditview nodes`. Folders roll up everything beneath them.
//! Resources (workspaces, cells, public links, projects) are listed beside
//! the paths, and BaseSpace workgroups and report-only resources beside them.
//!
//! Counts: `reads`/`writes` count the matched events that read or change
//! content (sharing and permission changes are neither); `readers`/`writers`
//! count distinct actors whose read or write succeeded; `last_update` is the
//! last successful write.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::case::CaseIndex;
use super::tree::{NO_NODE, NodeId, normalize};
use super::visibility::{Grant, Reason, VisibleBy, VisibleByJson};
use crate::model::{
    Access, Category, Interner, NodeType, Outcome, ResourceKind, Store, Symbol, TextField,
};
use crate::query::is_user;
use crate::query::{Filter, PathPattern, Selection};
use crate::time::format_utc;

/// Access to a node's content: sharing and permission changes are
/// recorded as writes by `Category::access` but change no content.
fn content_access(category: Category) -> Access {
    match category {
        Category::Share | Category::Permission => Access::None,
        other => other.access(),
    }
}

/// What a row of the Nodes view stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Entry {
    /// A file or folder path.
    Node,
    /// A workspace, cell, public link or project, by id.
    Resource,
    /// A BaseSpace workgroup (from the Workgroup report).
    Workgroup,
}

/// A temporary or regular visitor of a public link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Visitor {
    pub name: String,
    pub ips: Vec<String>,
    pub events: u64,
    /// Not seen anywhere but on public links: a temporary user.
    pub temporary: bool,
}

#[derive(Debug, Clone, Default)]
struct Figures {
    events: u64,
    reads: u64,
    writes: u64,
    readers: u64,
    writers: u64,
    first: Option<i64>,
    last_update: Option<i64>,
    last_activity: Option<i64>,
}

impl Figures {
    fn add_row(&mut self, time: i64, access: Access, succeeded: bool) {
        self.events += 1;
        self.first = Some(self.first.map_or(time, |f| f.min(time)));
        self.last_activity = Some(self.last_activity.map_or(time, |l| l.max(time)));
        match access {
            Access::Read => self.reads += 1,
            Access::Write => {
                self.writes += 1;
                if succeeded {
                    self.last_update = Some(self.last_update.map_or(time, |l| l.max(time)));
                }
            }
            Access::None => {}
        }
    }

    fn add(&mut self, other: &Figures) {
        self.events += other.events;
        self.reads += other.reads;
        self.writes += other.writes;
        let min = |a: Option<i64>, b: Option<i64>| match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let max = |a: Option<i64>, b: Option<i64>| a.max(b);
        self.first = min(self.first, other.first);
        self.last_update = max(self.last_update, other.last_update);
        self.last_activity = max(self.last_activity, other.last_activity);
    }
}

/// One row of the Nodes view.
#[derive(Debug, Clone)]
pub struct NodeRow {
    pub entry: Entry,
    /// The tree node (`NO_NODE` for resources and workgroups).
    pub node: NodeId,
    /// The resource symbol (`Interner::EMPTY` for nodes and workgroups).
    pub resource_symbol: Symbol,
    /// Node path; for a resource, the shallowest path its events touch.
    pub path: String,
    pub node_type: NodeType,
    pub kind: ResourceKind,
    /// The resource's label, or the workgroup's name.
    pub resource: String,
    pub resource_id: String,
    pub owner: String,
    pub events: u64,
    pub reads: u64,
    pub writes: u64,
    pub readers: u64,
    pub writers: u64,
    pub first: Option<i64>,
    pub last_update: Option<i64>,
    pub last_activity: Option<i64>,
    pub visitors: Vec<Visitor>,
    /// What an investigator should look at: e.g. a link opened from several addresses.
    pub flags: Vec<String>,
}

/// Whether a filter has criteria about events (who, what, when), beyond
/// what a node or resource is: report-only entries have no events to match.
fn selects_events(filter: &Filter) -> bool {
    let structural = Filter {
        version: filter.version,
        node_types: filter.node_types.clone(),
        paths: filter.paths.clone(),
        kinds: filter.kinds.clone(),
        owners: filter.owners.clone(),
        ..Filter::default()
    };
    *filter != structural
}

/// The Nodes view of `selection`: nodes with matched events at or beneath
/// them, resources with matched events, and (without event criteria)
/// workgroups and resources known only from reports. Entries must also
/// pass the filter's node type, path, kind and owner criteria.
pub fn nodes(store: &Store, filter: &Filter, selection: &Selection) -> Vec<NodeRow> {
    let index = store.case_index();
    // Resources with activity first (what Pydio's audit screen lists), then
    // paths, then what only reports know.
    // Independent: one core each.
    let (mut rows, paths) = rayon::join(
        || resource_rows(store, index, selection),
        || path_rows(store, index, selection),
    );
    rows.extend(paths);
    if !selects_events(filter) {
        rows.extend(directory_rows(store, index, &rows));
    }
    let patterns: Vec<PathPattern> = filter
        .paths
        .iter()
        .filter_map(|p| PathPattern::parse(p).ok())
        .collect();
    rows.retain(|row| {
        (filter.node_types.is_empty()
            || (row.entry == Entry::Node && filter.node_types.contains(&row.node_type)))
            && (patterns.is_empty() || patterns.iter().any(|p| p.matches(&row.path)))
            && (filter.kinds.is_empty() || filter.kinds.contains(&row.kind))
            && (filter.owners.is_empty()
                || filter.owners.iter().any(|o| is_user(&row.owner, o.trim())))
    });
    rows
}

fn path_rows(store: &Store, index: &CaseIndex, selection: &Selection) -> Vec<NodeRow> {
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
        let actor = actors.rows[row];
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
    order.sort_by(|&a, &b| tree.paths[a as usize].cmp(&tree.paths[b as usize]));
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
                path: tree.paths[n].clone(),
                node_type: tree.node_type(node),
                kind: kinds[n],
                resource: labels
                    .entry(resource)
                    .or_insert_with(|| resource_label(store, resource))
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

/// The label of a resource: the name a creation event gave it, else the
/// first name any event gives it, else its id.
fn resource_label(store: &Store, resource: Symbol) -> String {
    let events = &store.events;
    let (Some(ids), Some(names)) = (
        events.interned(TextField::Resource),
        events.interned(TextField::ResourceName),
    ) else {
        return String::new();
    };
    if resource == Interner::EMPTY {
        return String::new();
    }
    let index = store.case_index();
    if let Some(owner) = index
        .visibility
        .resource_grants(resource)
        .iter()
        .find(|g| g.reason == Reason::Owner)
    {
        if let Some(row) = owner.evidence.row {
            let name = names.get(row as usize);
            if !name.is_empty() {
                return name.to_string();
            }
        }
    }
    let row = ids.rows.iter().position(|&r| r == resource);
    let name = row.map_or("", |row| names.get(row));
    if name.is_empty() {
        ids.values.resolve(resource).to_string()
    } else {
        name.to_string()
    }
}

#[derive(Default)]
struct ResourceAcc {
    figures: Figures,
    /// The kinds its events give it: a Pydio link or cell is also a workspace.
    kinds: Vec<ResourceKind>,
    /// Per kind, the first name a creation or update gives it, else any name.
    names: Vec<(ResourceKind, Symbol, bool)>,
    root: Option<NodeId>,
    readers: FxHashSet<Symbol>,
    writers: FxHashSet<Symbol>,
    /// Per visitor: events and addresses, in first-seen order.
    visitors: Vec<(Symbol, u64, Vec<Symbol>)>,
}

fn resource_rows(store: &Store, index: &CaseIndex, selection: &Selection) -> Vec<NodeRow> {
    let events = &store.events;
    let tree = &index.tree;
    let (Some(ids), Some(names), Some(actors), Some(paths), Some(ips)) = (
        events.interned(TextField::Resource),
        events.interned(TextField::ResourceName),
        events.interned(TextField::Actor),
        events.interned(TextField::NodePath),
        events.interned(TextField::Ip),
    ) else {
        return Vec::new();
    };
    let mut accs: FxHashMap<Symbol, ResourceAcc> = FxHashMap::default();
    for &row in &selection.rows {
        let row = row as usize;
        let resource = ids.rows[row];
        if resource == Interner::EMPTY {
            continue;
        }
        let acc = accs.entry(resource).or_default();
        let access = content_access(events.category[row]);
        let succeeded = events.outcome[row] != Outcome::Failure;
        acc.figures.add_row(events.time_ms[row], access, succeeded);
        let kind = events.resource_kind[row];
        if !acc.kinds.contains(&kind) {
            acc.kinds.push(kind);
        }
        let name = names.rows[row];
        if name != Interner::EMPTY {
            let defining = matches!(events.category[row], Category::Share | Category::Admin);
            match acc.names.iter_mut().find(|n| n.0 == kind) {
                Some(slot) if defining && !slot.2 => *slot = (kind, name, true),
                Some(_) => {}
                None => acc.names.push((kind, name, defining)),
            }
        }
        let node = tree.node_of(paths.rows[row]);
        if node != NO_NODE {
            acc.root = Some(match acc.root {
                None => node,
                Some(root) => common_ancestor(tree, root, node),
            });
        }
        let actor = actors.rows[row];
        if actor == Interner::EMPTY {
            continue;
        }
        if events.outcome[row] != Outcome::Failure {
            match access {
                Access::Read => {
                    acc.readers.insert(actor);
                }
                Access::Write => {
                    acc.writers.insert(actor);
                }
                Access::None => {}
            }
        }
        // Failed attempts (a wrong link password) are no visit.
        let opens_link = kind == ResourceKind::PublicLink
            && succeeded
            && events.category[row] != Category::Share;
        if opens_link {
            let ip = ips.rows[row];
            match acc.visitors.iter_mut().find(|v| v.0 == actor) {
                Some(v) => {
                    v.1 += 1;
                    if ip != Interner::EMPTY && !v.2.contains(&ip) {
                        v.2.push(ip);
                    }
                }
                None => acc.visitors.push((
                    actor,
                    1,
                    if ip == Interner::EMPTY {
                        vec![]
                    } else {
                        vec![ip]
                    },
                )),
            }
        }
    }
    let outside_links = actors_outside_links(store);
    let mut rows: Vec<NodeRow> = accs
        .into_iter()
        .map(|(resource, acc)| {
            let grants = index.visibility.resource_grants(resource);
            let owner = owner_name(grants).unwrap_or_default();
            let visitors: Vec<Visitor> = acc
                .visitors
                .iter()
                .filter(|(actor, _, _)| actors.values.resolve(*actor) != owner)
                .map(|(actor, count, addresses)| Visitor {
                    name: actors.values.resolve(*actor).to_string(),
                    ips: addresses
                        .iter()
                        .map(|ip| ips.values.resolve(*ip).to_string())
                        .collect(),
                    events: *count,
                    temporary: !outside_links.contains(actor),
                })
                .collect();
            let kind = most_specific(&acc.kinds);
            let label = acc
                .names
                .iter()
                .find(|n| n.0 == kind)
                .map(|n| names.values.resolve(n.1).to_string())
                .unwrap_or_else(|| ids.values.resolve(resource).to_string());
            let flags = link_flags(kind, &visitors);
            let f = acc.figures;
            NodeRow {
                entry: Entry::Resource,
                node: NO_NODE,
                resource_symbol: resource,
                path: acc
                    .root
                    .filter(|&n| n != NO_NODE)
                    .map(|n| tree.paths[n as usize].clone())
                    .unwrap_or_default(),
                node_type: acc
                    .root
                    .filter(|&n| n != NO_NODE)
                    .map_or(NodeType::Unknown, |n| tree.node_type(n)),
                kind,
                resource: label,
                resource_id: ids.values.resolve(resource).to_string(),
                owner,
                events: f.events,
                reads: f.reads,
                writes: f.writes,
                readers: acc.readers.len() as u64,
                writers: acc.writers.len() as u64,
                first: f.first,
                last_update: f.last_update,
                last_activity: f.last_activity,
                visitors,
                flags,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.kind, a.resource.to_lowercase(), &a.resource_id).cmp(&(
            b.kind,
            b.resource.to_lowercase(),
            &b.resource_id,
        ))
    });
    rows
}

/// The deepest node at or above both `a` and `b` (`NO_NODE` if none):
/// walk the deeper one up to the other's depth, then both together.
fn common_ancestor(tree: &super::tree::NodeTree, a: NodeId, b: NodeId) -> NodeId {
    let (mut a, mut b) = (a, b);
    let depth = |n: NodeId| tree.depths[n as usize];
    while a != NO_NODE && b != NO_NODE && a != b {
        if depth(a) >= depth(b) {
            a = tree.parents[a as usize];
        } else {
            b = tree.parents[b as usize];
        }
    }
    if a == b { a } else { NO_NODE }
}

/// A Pydio cell or public link is also a workspace: the most specific kind wins.
fn most_specific(kinds: &[ResourceKind]) -> ResourceKind {
    use ResourceKind::*;
    [PublicLink, Cell, Project, Workgroup, Workspace]
        .into_iter()
        .find(|k| kinds.contains(k))
        .unwrap_or(None)
}

fn owner_name(grants: &[Grant]) -> Option<String> {
    grants
        .iter()
        .find(|g| g.reason == Reason::Owner)
        .map(|g| g.principal.clone())
}

/// Actors seen on anything but a public link: regular accounts.
fn actors_outside_links(store: &Store) -> FxHashSet<Symbol> {
    let events = &store.events;
    let Some(actors) = events.interned(TextField::Actor) else {
        return FxHashSet::default();
    };
    let mut known = vec![false; actors.values.len()];
    for (actor, kind) in actors.rows.iter().zip(&events.resource_kind) {
        if *kind != ResourceKind::PublicLink {
            known[*actor as usize] = true;
        }
    }
    for user in &store.directory.users {
        for name in [&user.login, &user.name] {
            if let Some(symbol) = actors.values.lookup(name) {
                known[symbol as usize] = true;
            }
        }
    }
    (0..known.len() as Symbol)
        .filter(|&s| known[s as usize])
        .collect()
}

/// Public links opened from several addresses or by temporary users.
fn link_flags(kind: ResourceKind, visitors: &[Visitor]) -> Vec<String> {
    if kind != ResourceKind::PublicLink {
        return Vec::new();
    }
    let mut flags = Vec::new();
    let mut ips: Vec<&str> = visitors
        .iter()
        .flat_map(|v| v.ips.iter().map(String::as_str))
        .collect();
    ips.sort_unstable();
    ips.dedup();
    if ips.len() > 1 {
        flags.push(format!("opened from {} IP addresses", ips.len()));
    }
    let temporary = visitors.iter().filter(|v| v.temporary).count();
    if temporary > 0 {
        flags.push(format!(
            "{temporary} unknown visitor{}",
            if temporary == 1 { "" } else { "s" }
        ));
    }
    flags
}

/// Workgroups, and report-only resources no event names.
fn directory_rows(store: &Store, index: &CaseIndex, known: &[NodeRow]) -> Vec<NodeRow> {
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

/// The rows of `selection` an entry covers: a node and what lies beneath
/// it, or the events of a resource. Per distinct value, then per row.
pub fn rows_of(store: &Store, row: &NodeRow, selection: &Selection) -> Vec<u32> {
    let events = &store.events;
    let (field, wanted): (TextField, Vec<bool>) = match row.entry {
        Entry::Node => {
            let prefix = format!("{}/", row.path);
            let Some(paths) = events.interned(TextField::NodePath) else {
                return Vec::new();
            };
            let wanted = paths
                .values
                .values()
                .map(|p| {
                    let p = normalize(p);
                    !p.is_empty() && (p == row.path || p.starts_with(&prefix))
                })
                .collect();
            (TextField::NodePath, wanted)
        }
        Entry::Resource => {
            let Some(ids) = events.interned(TextField::Resource) else {
                return Vec::new();
            };
            let wanted = (0..ids.values.len() as Symbol)
                .map(|s| s == row.resource_symbol && s != Interner::EMPTY)
                .collect();
            (TextField::Resource, wanted)
        }
        Entry::Workgroup => return Vec::new(),
    };
    let Some(column) = events.interned(field) else {
        return Vec::new();
    };
    selection
        .rows
        .iter()
        .copied()
        .filter(|&r| wanted[column.rows[r as usize] as usize])
        .collect()
}

/// How many distinct principals could see the entry.
pub fn visible_count(store: &Store, row: &NodeRow) -> usize {
    let mut names: Vec<String> = visible_by(store, row)
        .into_iter()
        .map(|l| l.principal)
        .collect();
    names.sort_unstable();
    names.dedup();
    names.len()
}

/// Who could see the entry, with the evidence.
pub fn visible_by(store: &Store, row: &NodeRow) -> Vec<VisibleBy> {
    let index = store.case_index();
    let visibility = &index.visibility;
    let as_lines = |grants: &[Grant]| -> Vec<VisibleBy> {
        grants
            .iter()
            .map(|g| VisibleBy {
                principal: g.principal.clone(),
                reason: g.reason,
                detail: g.detail.clone(),
                evidence: g.evidence,
                revoked: g.revoked.clone(),
            })
            .collect()
    };
    match row.entry {
        Entry::Node => visibility.visible_by(store, &index.tree, row.node),
        Entry::Resource => {
            let mut lines = as_lines(visibility.resource_grants(row.resource_symbol));
            if lines.is_empty() {
                // Report-only: its owner line.
                let grants: Vec<Grant> = visibility_of_record(store, &row.resource_id);
                lines = as_lines(&grants);
            }
            // And whoever could see the folder it points at.
            if let Some(root) = index.tree.find(&row.path) {
                for line in visibility.visible_by(store, &index.tree, root) {
                    let known = lines
                        .iter()
                        .any(|l| l.principal == line.principal && l.reason == line.reason);
                    if !known {
                        lines.push(line);
                    }
                }
            }
            lines
        }
        Entry::Workgroup => visibility
            .workgroups
            .iter()
            .find(|(name, _)| *name == row.resource)
            .map(|(_, grants)| as_lines(grants))
            .unwrap_or_default(),
    }
}

fn visibility_of_record(store: &Store, resource_id: &str) -> Vec<Grant> {
    store
        .directory
        .shared_resources
        .iter()
        .filter(|r| r.workspace_id == resource_id && !r.owner.is_empty())
        .map(|r| Grant {
            principal: r.owner.clone(),
            reason: Reason::Owner,
            detail: format!("owner in the shared-resources report ({})", r.kind),
            evidence: super::visibility::Evidence {
                source: r.origin.source,
                line: r.origin.line,
                row: None,
            },
            revoked: None,
        })
        .collect()
}

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
    pub first: Option<String>,
    pub last_update: Option<String>,
    pub last_activity: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub visitors: Vec<Visitor>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    pub visible_by: Vec<VisibleByJson>,
}

impl NodeJson {
    pub fn new(store: &Store, row: &NodeRow) -> NodeJson {
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
            first: row.first.map(format_utc),
            last_update: row.last_update.map(format_utc),
            last_activity: row.last_activity.map(format_utc),
            visitors: row.visitors.clone(),
            flags: row.flags.clone(),
            visible_by: visible_by(store, row)
                .iter()
                .map(|line| VisibleByJson::new(store, line))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_store::{TestEvent, store_from};

    #[test]
    fn folders_roll_up_events_and_distinct_actors() {
        let read = |actor, path| TestEvent {
            actor,
            path,
            category: Category::Download,
            action: "Retrieved object",
            ..TestEvent::default()
        };
        let store = store_from(&[
            read("alice", "ds/case/a.pdf"),
            read("alice", "ds/case/b.pdf"),
            read("bob", "ds/case/sub/c.pdf"),
            TestEvent {
                actor: "bob",
                path: "ds/case/sub/c.pdf",
                category: Category::Upload,
                action: "Modified object",
                ..TestEvent::default()
            },
            read("carol", "ds/other.pdf"),
        ]);
        let filter = Filter::default();
        let rows = nodes(&store, &filter, &Selection::all(&store));
        let get = |path: &str| rows.iter().find(|r| r.path == path).unwrap();
        let case = get("ds/case");
        assert_eq!(
            (
                case.events,
                case.reads,
                case.writes,
                case.readers,
                case.writers
            ),
            (4, 3, 1, 2, 1)
        );
        assert_eq!(case.node_type, NodeType::Folder);
        assert_eq!(case.last_update, Some(1_710_000_000_000 + 3 * 60_000));
        assert_eq!(case.last_activity, case.last_update);
        assert_eq!(get("ds").events, 5);
        assert_eq!(get("ds").readers, 3);
        let sub = get("ds/case/sub");
        assert_eq!((sub.readers, sub.writers), (1, 1));
        let only_case = Filter {
            paths: vec!["ds/case".into()],
            ..Filter::default()
        };
        let selection = crate::query::select(&store, &only_case).unwrap();
        let rows = nodes(&store, &only_case, &selection);
        let paths: Vec<&str> = rows.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "ds/case",
                "ds/case/a.pdf",
                "ds/case/b.pdf",
                "ds/case/sub",
                "ds/case/sub/c.pdf"
            ]
        );
    }
}
