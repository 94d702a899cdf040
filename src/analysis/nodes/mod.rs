//! Per-node and per-resource activity of a view: the rows of the Nodes view
//! and of `auditview nodes`. Folders roll up everything beneath them.
//! Resources (workspaces, cells, public links, projects) are listed beside
//! the paths, and BaseSpace workgroups and report-only resources beside them.
//!
//! Counts: `reads`/`writes` count the matched events that read or change
//! content (sharing and permission changes are neither); `readers`/`writers`
//! count distinct actors whose read or write succeeded; `last_update` is the
//! last successful write.

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::index::tree::{NodeId, normalize};
use crate::index::visibility::{Grant, Proof, Reason, VisibleBy};
use crate::index::{Case, timed};
use crate::model::is_user;
use crate::model::{Access, Category, Interner, NodeType, ResourceKind, Store, Symbol, TextField};
use crate::query::{Filter, PathPattern, Selection};
use crate::time::as_rfc3339;

mod directory;
mod figures;
mod json;
mod paths;
mod resources;

pub use json::NodeJson;

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

/// One row of the Nodes view; serialized as `auditview nodes --json`
/// shows it (with `NodeJson`'s visible-by lines).
#[derive(Debug, Clone, Serialize)]
pub struct NodeRow {
    pub entry: Entry,
    /// The tree node (`NO_NODE` for resources and workgroups).
    #[serde(skip)]
    pub node: NodeId,
    /// The resource symbol (`Interner::EMPTY` for nodes and workgroups).
    #[serde(skip)]
    pub resource_symbol: Symbol,
    /// Node path; for a resource, the shallowest path its events touch.
    pub path: String,
    #[serde(rename = "type")]
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
    #[serde(serialize_with = "as_rfc3339::option")]
    pub first: Option<i64>,
    #[serde(serialize_with = "as_rfc3339::option")]
    pub last_update: Option<i64>,
    #[serde(serialize_with = "as_rfc3339::option")]
    pub last_activity: Option<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub visitors: Vec<Visitor>,
    /// What an investigator should look at: e.g. a link opened from several addresses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
}

impl NodeRow {
    /// What a case file keys this entry's marks by: a resource by its id,
    /// a node by its path, a workgroup by its name.
    pub fn mark_key(&self) -> String {
        match self.entry {
            Entry::Resource => format!("resource:{}", self.resource_id),
            Entry::Node => format!("node:{}", self.path),
            Entry::Workgroup => format!("workgroup:{}", self.resource),
        }
    }
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
/// Per actor symbol, the symbol it is counted as among a node's readers
/// and writers: one per person (its first identifier), so the figures
/// count persons once their identifiers are joined; else the actor itself.
fn counted_as(case: &Case) -> Vec<Symbol> {
    let people = case.people();
    let Some(actors) = case.store.events.interned(TextField::Actor) else {
        return Vec::new();
    };
    let mut counted: Vec<Symbol> = (0..actors.values.len() as Symbol).collect();
    if people.persons.is_empty() {
        return counted;
    }
    let mut first_of_person: FxHashMap<usize, Symbol> = FxHashMap::default();
    for (symbol, value) in actors.values.values().enumerate() {
        if let Some(person) = people.person_index(value) {
            counted[symbol] = *first_of_person.entry(person).or_insert(symbol as Symbol);
        }
    }
    counted
}

fn counted(counted_as: &[Symbol], actor: Symbol) -> Symbol {
    counted_as.get(actor as usize).copied().unwrap_or(actor)
}

pub fn nodes(case: &Case, filter: &Filter, selection: &Selection) -> Vec<NodeRow> {
    let store = &case.store;
    let index = case.index();
    // Resources with activity first (what Pydio's audit screen lists), then
    // paths, then what only reports know.
    // Independent: one core each.
    let counted_as = counted_as(case);
    let (mut rows, paths) = rayon::join(
        || {
            timed("Nodes view, resources", || {
                resources::resource_rows(store, index, selection, &counted_as)
            })
        },
        || {
            timed("Nodes view, paths", || {
                paths::path_rows(store, index, selection, &counted_as)
            })
        },
    );
    rows.extend(paths);
    if !selects_events(filter) {
        rows.extend(directory::directory_rows(store, index, &rows));
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
pub fn visible_count(case: &Case, row: &NodeRow) -> usize {
    let mut names: Vec<String> = visible_by(case, row)
        .into_iter()
        .map(|l| l.principal)
        .collect();
    names.sort_unstable();
    names.dedup();
    names.len()
}

/// Who could see the entry, with the evidence.
pub fn visible_by(case: &Case, row: &NodeRow) -> Vec<VisibleBy> {
    let store = &case.store;
    let index = case.index();
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
            // And whoever could see the folder it points at (looked up in a
            // set: a folder read by 200,000 actors took minutes by scans).
            if let Some(root) = index.tree.find(&row.path) {
                let mut known: rustc_hash::FxHashSet<(String, Reason)> = lines
                    .iter()
                    .map(|l| (l.principal.clone(), l.reason))
                    .collect();
                for line in visibility.visible_by(store, &index.tree, root) {
                    if known.insert((line.principal.clone(), line.reason)) {
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
            evidence: Proof::of_record(r.origin),
            revoked: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_store::{TestEvent, store_from};

    /// Random small cases: each node's readers, writers, reads, writes and
    /// events are those of the matched events at or beneath its path,
    /// counted the long way.
    #[test]
    fn figures_match_a_count_over_each_subtree() {
        const ACTORS: [&str; 4] = ["", "a", "b", "c"];
        const PATHS: [&str; 7] = ["x", "x/y", "x/y/z.pdf", "x/w.pdf", "q/r/s", "q", "x//y/t"];
        const CATEGORIES: [Category; 5] = [
            Category::Read,
            Category::Modify,
            Category::List,
            Category::Share,
            Category::Login,
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..200 {
            let events: Vec<TestEvent> = (0..next(30))
                .map(|_| TestEvent {
                    actor: ACTORS[next(ACTORS.len())],
                    path: PATHS[next(PATHS.len())],
                    category: CATEGORIES[next(CATEGORIES.len())],
                    outcome: if next(5) == 0 {
                        crate::model::Outcome::Failure
                    } else {
                        crate::model::Outcome::Success
                    },
                    ..TestEvent::default()
                })
                .collect();
            let case = Case::new(store_from(&events));
            // Every other row, so a selection with gaps is counted too.
            let selection = Selection {
                rows: (0..case.store.events.len() as u32).step_by(2).collect(),
            };
            let rows = nodes(&case, &Filter::default(), &selection);
            for row in rows.iter().filter(|r| r.entry == Entry::Node) {
                let beneath: Vec<usize> = selection
                    .rows
                    .iter()
                    .map(|&r| r as usize)
                    .filter(|&r| {
                        let path = normalize(case.store.events.text(TextField::NodePath, r));
                        path == row.path || path.starts_with(&format!("{}/", row.path))
                    })
                    .collect();
                let events = &case.store.events;
                let distinct = |access: Access| {
                    let mut actors: Vec<&str> = beneath
                        .iter()
                        .filter(|&&r| {
                            content_access(events.category[r]) == access
                                && events.outcome[r] != crate::model::Outcome::Failure
                        })
                        .map(|&r| events.text(TextField::Actor, r))
                        .filter(|a| !a.is_empty())
                        .collect();
                    actors.sort_unstable();
                    actors.dedup();
                    actors.len() as u64
                };
                let count = |access: Access| {
                    beneath
                        .iter()
                        .filter(|&&r| content_access(events.category[r]) == access)
                        .count() as u64
                };
                assert_eq!(
                    row.events,
                    beneath.len() as u64,
                    "{} in {events:?}",
                    row.path
                );
                assert_eq!(row.readers, distinct(Access::Read), "{}", row.path);
                assert_eq!(row.writers, distinct(Access::Write), "{}", row.path);
                assert_eq!(row.reads, count(Access::Read), "{}", row.path);
                assert_eq!(row.writes, count(Access::Write), "{}", row.path);
            }
        }
    }

    #[test]
    fn folders_roll_up_events_and_distinct_actors() {
        let read = |actor, path| TestEvent {
            actor,
            path,
            category: Category::Download,
            action: "Retrieved object",
            ..TestEvent::default()
        };
        let loaded = Case::new(store_from(&[
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
        ]));
        let filter = Filter::default();
        let rows = nodes(&loaded, &filter, &Selection::all(&loaded.store));
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
        let selection = crate::query::select(&loaded, &only_case).unwrap();
        let rows = nodes(&loaded, &only_case, &selection);
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

    #[test]
    fn readers_count_a_person_once_when_their_identifiers_are_joined() {
        let read = |actor, path| TestEvent {
            actor,
            path,
            category: Category::Download,
            action: "Retrieved object",
            ..TestEvent::default()
        };
        let case = Case::new(store_from(&[
            read("alice.martin", "ds/case/a.pdf"),
            read("user-amartin", "ds/case/b.pdf"),
            read("bob", "ds/case/b.pdf"),
        ]));
        let readers = |case: &Case| {
            let rows = nodes(case, &Filter::default(), &Selection::all(&case.store));
            rows.iter().find(|r| r.path == "ds/case").unwrap().readers
        };
        assert_eq!(readers(&case), 3);
        let aliases = crate::index::people::Aliases {
            persons: vec![crate::index::people::PersonAliases {
                name: "Alice Martin".into(),
                identifiers: vec!["alice.martin".into(), "user-amartin".into()],
            }],
            ..Default::default()
        };
        case.set_people(crate::index::people::People::of_store(
            &case.store,
            &aliases,
            false,
        ));
        assert_eq!(readers(&case), 2);
    }
}
