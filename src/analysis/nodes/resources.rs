//! The resources of a view: workspaces, cells, public links (with their
//! visitors and flags) and projects.

use rustc_hash::{FxHashMap, FxHashSet};

use super::figures::Figures;
use super::{Entry, NodeRow, Visitor, content_access};
use crate::index::case::CaseIndex;
use crate::index::tree::{NO_NODE, NodeId, NodeTree};
use crate::index::visibility::{Grant, Reason};
use crate::model::{
    Access, Category, Interner, NodeType, Outcome, ResourceKind, Store, Symbol, TextField,
};
use crate::query::Selection;

/// The label of a resource: the name a creation event gave it, else the
/// first name any event gives it, else its id.
pub(super) fn resource_label(store: &Store, index: &CaseIndex, resource: Symbol) -> String {
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
    if let Some(owner) = index
        .visibility
        .resource_grants(resource)
        .iter()
        .find(|g| g.reason == Reason::Owner)
        && let Some(row) = owner.evidence.row
    {
        let name = names.get(row as usize);
        if !name.is_empty() {
            return name.to_string();
        }
    }
    // Every row was scanned for each resource before: quadratic.
    let row = index
        .resource_first_rows
        .get(resource as usize)
        .filter(|&&row| row != u32::MAX);
    let name = row.map_or("", |&row| names.get(row as usize));
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

/// Every resource with matched events, by kind and label.
pub(super) fn resource_rows(
    store: &Store,
    index: &CaseIndex,
    selection: &Selection,
    counted_as: &[Symbol],
) -> Vec<NodeRow> {
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
        let actor = super::counted(counted_as, actors.rows[row]);
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
                    .map(|n| tree.path(n).to_string())
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
fn common_ancestor(tree: &NodeTree, a: NodeId, b: NodeId) -> NodeId {
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

pub(super) fn owner_name(grants: &[Grant]) -> Option<String> {
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
