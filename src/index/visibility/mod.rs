//! Who could see what, reconstructed from evidence (docs/guide/nodes.md).
//! Exports carry no ACLs, so every entry names the event or
//! record that proves it: ownership (a creation event, a `personal/<login>`
//! path, the shared-resources report), a grant (DNAnexus `project-invite`,
//! with later permission changes and revocations), workgroup membership, a
//! public-link visit, or being seen reading or writing the node, something
//! beneath it, or a folder above it.
//!
//! Built once per case from every loaded event (`build`): visibility is a
//! fact about the case, not about the current filter. Here: the evidence
//! types and the questions asked of it.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::tree::{NO_NODE, NodeId, NodeTree, normalize};
use crate::model::is_user;
use crate::model::{Access, Interner, Origin, RecordOrigin, Store, Symbol, TextField};

mod build;
mod json;

pub use json::{RevokedJson, VisibleByJson};

/// Why a principal could see a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    Owner,
    Granted,
    Member,
    LinkVisitor,
    SeenWriting,
    SeenReading,
    SeenAbove,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Owner => "owner",
            Reason::Granted => "granted",
            Reason::Member => "member",
            Reason::LinkVisitor => "public-link visitor",
            Reason::SeenWriting => "seen writing",
            Reason::SeenReading => "seen reading",
            Reason::SeenAbove => "seen in the folder above",
        }
    }
}

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The record that proves a line of visibility: an event (with its row) or
/// a Directory record (a report line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Proof {
    pub source: u32,
    pub line: u64,
    /// The event's row in the store; `None` for a report record.
    pub row: Option<u32>,
}

impl Proof {
    fn of_row(store: &Store, row: usize) -> Proof {
        Proof {
            source: store.events.source[row],
            line: store.events.line[row],
            row: Some(row as u32),
        }
    }

    pub fn of_record(origin: RecordOrigin) -> Proof {
        Proof {
            source: origin.source,
            line: origin.line,
            row: None,
        }
    }

    /// Where the proof was first read from (`Store::origin`).
    pub fn origin(&self, store: &Store) -> Origin {
        match self.row {
            Some(row) => store.origin(row as usize),
            None => store.record_origin(RecordOrigin {
                source: self.source,
                line: self.line,
            }),
        }
    }
}

/// The lines of a "visible by" list being built: one per principal and
/// reason, every invitation its own (a re-invitation after a revocation
/// shows). Looked up in sets: by linear scans, a node seen by 200,000
/// actors took minutes.
#[derive(Default)]
struct Lines {
    lines: Vec<VisibleBy>,
    keys: FxHashSet<(String, Reason, Option<Proof>)>,
    principals: FxHashSet<String>,
}

impl Lines {
    fn push(&mut self, line: VisibleBy) {
        let proof = (line.reason == Reason::Granted).then_some(line.evidence);
        if self
            .keys
            .insert((line.principal.clone(), line.reason, proof))
        {
            self.principals.insert(line.principal.clone());
            self.lines.push(line);
        }
    }

    fn names(&self, principal: &str) -> bool {
        self.principals.contains(principal)
    }
}

/// A grant that was later withdrawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    pub time_ms: i64,
    pub evidence: Proof,
}

/// One piece of evidence that `principal` could see something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub principal: String,
    pub reason: Reason,
    /// A few words more: the access level, the role, what was created.
    pub detail: String,
    pub evidence: Proof,
    pub revoked: Option<Revocation>,
}

/// A principal seen acting on a node: the first row that shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    actor: Symbol,
    access: Access,
    row: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Visibility {
    /// Owners of nodes; they apply to the node and everything beneath.
    node_grants: Vec<Vec<Grant>>,
    /// Owners, invitees and visitors of resources, by resource symbol.
    resource_grants: FxHashMap<Symbol, Vec<Grant>>,
    /// Members and administrators of BaseSpace workgroups, by workgroup name.
    pub workgroups: Vec<(String, Vec<Grant>)>,
    /// The first resource seen on each node (`Interner::EMPTY` if none).
    node_resource: Vec<Symbol>,
    /// The other resources of the few nodes reached through several (a
    /// file in a workspace and behind a public link).
    more_resources: FxHashMap<NodeId, Vec<Symbol>>,
    /// Who was seen acting on each node directly.
    seen_direct: Vec<Vec<Seen>>,
    /// Who was seen acting on each node or beneath it.
    seen_below: Vec<Vec<Seen>>,
}

/// One line of a node's "visible by" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisibleBy {
    pub principal: String,
    pub reason: Reason,
    pub detail: String,
    pub evidence: Proof,
    pub revoked: Option<Revocation>,
}

impl Visibility {
    /// The resource a node belongs to: its first own, else its nearest
    /// ancestor's.
    pub fn resource_of(&self, tree: &NodeTree, node: NodeId) -> Symbol {
        self.resources_of(tree, node)
            .first()
            .copied()
            .unwrap_or(Interner::EMPTY)
    }

    /// Every resource a node's events name, else those of its nearest
    /// ancestor that has any: whose grants reach the node.
    pub fn resources_of(&self, tree: &NodeTree, node: NodeId) -> Vec<Symbol> {
        let Some(holder) = tree
            .ancestry(node)
            .find(|&n| self.node_resource[n as usize] != Interner::EMPTY)
        else {
            return Vec::new();
        };
        let mut out = vec![self.node_resource[holder as usize]];
        if let Some(more) = self.more_resources.get(&holder) {
            out.extend(more);
        }
        out
    }

    /// The owner of a node: the nearest owner grant at or above it.
    pub fn owner_of(&self, tree: &NodeTree, node: NodeId) -> Option<&Grant> {
        tree.ancestry(node)
            .find_map(|n| self.node_grants[n as usize].first())
    }

    pub fn resource_grants(&self, resource: Symbol) -> &[Grant] {
        self.resource_grants
            .get(&resource)
            .map_or(&[], |g| g.as_slice())
    }

    /// Everyone who could see `node`, one line per principal and reason,
    /// with the first evidence found.
    pub fn visible_by(&self, store: &Store, tree: &NodeTree, node: NodeId) -> Vec<VisibleBy> {
        let mut out = Lines::default();
        let from_grant = |g: &Grant| VisibleBy {
            principal: g.principal.clone(),
            reason: g.reason,
            detail: g.detail.clone(),
            evidence: g.evidence,
            revoked: g.revoked.clone(),
        };
        for n in tree.ancestry(node) {
            for grant in &self.node_grants[n as usize] {
                let mut line = from_grant(grant);
                if n != node {
                    line.detail = format!("of {}: {}", tree.path(n), line.detail);
                }
                out.push(line);
            }
        }
        for resource in self.resources_of(tree, node) {
            for grant in self.resource_grants(resource) {
                out.push(from_grant(grant));
            }
        }
        let actor_name = |s: &Seen| {
            store
                .events
                .text(TextField::Actor, s.row as usize)
                .to_string()
        };
        let path_of = |s: &Seen| {
            store
                .events
                .text(TextField::NodePath, s.row as usize)
                .to_string()
        };
        for seen in &self.seen_below[node as usize] {
            let (reason, verb) = match seen.access {
                Access::Write => (Reason::SeenWriting, "wrote"),
                _ => (Reason::SeenReading, "read"),
            };
            let path = path_of(seen);
            let detail = if normalize(&path) == tree.path(node) {
                format!("{verb} it")
            } else {
                format!("{verb} {path}")
            };
            out.push(VisibleBy {
                principal: actor_name(seen),
                reason,
                detail,
                evidence: Proof::of_row(store, seen.row as usize),
                revoked: None,
            });
        }
        // Listing or reading a folder shows what it holds: its children.
        let parent = tree.parents[node as usize];
        if parent != NO_NODE {
            for seen in &self.seen_direct[parent as usize] {
                if seen.access != Access::Read {
                    continue;
                }
                let principal = actor_name(seen);
                if out.names(&principal) {
                    continue;
                }
                out.push(VisibleBy {
                    principal,
                    reason: Reason::SeenAbove,
                    detail: format!("listed or read {}", tree.path(parent)),
                    evidence: Proof::of_row(store, seen.row as usize),
                    revoked: None,
                });
            }
        }
        let mut out = out.lines;
        out.sort_by(|a, b| {
            a.principal
                .to_lowercase()
                .cmp(&b.principal.to_lowercase())
                .then(a.reason.cmp(&b.reason))
        });
        out
    }

    /// Every principal the evidence names, with how many nodes, resources
    /// and workgroups name them directly; most first.
    pub fn principals(&self, store: &Store) -> Vec<(String, u64)> {
        let mut counts: FxHashMap<String, u64> = FxHashMap::default();
        let mut add = |name: &str, n: u64| {
            if let Some(count) = counts.get_mut(name) {
                *count += n;
            } else {
                counts.insert(name.to_string(), n);
            }
        };
        for grants in self.node_grants.iter().chain(self.resource_grants.values()) {
            grants.iter().for_each(|g| add(&g.principal, 1));
        }
        for (_, grants) in &self.workgroups {
            grants.iter().for_each(|g| add(&g.principal, 1));
        }
        // Sightings by actor symbol first: millions of them, few actors.
        if let Some(actors) = store.events.interned(TextField::Actor) {
            let mut by_actor = vec![0u64; actors.values.len()];
            for seen in self.seen_direct.iter().flatten() {
                by_actor[seen.actor as usize] += 1;
            }
            for (actor, n) in by_actor.into_iter().enumerate() {
                if n > 0 {
                    add(actors.values.resolve(actor as u32), n);
                }
            }
        }
        let mut out: Vec<(String, u64)> = counts.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// What `names` could see: a flag per node-path symbol and per resource
    /// symbol of the store. An event is on a visible node when either is set.
    pub fn visible_to(&self, store: &Store, tree: &NodeTree, names: &[String]) -> VisibleSet {
        let named = |principal: &str| names.iter().any(|n| is_user(principal, n.trim()));
        let named_grants = |grants: &[Grant]| grants.iter().any(|g| named(&g.principal));
        let actor_named: Vec<bool> = store
            .events
            .interned(TextField::Actor)
            .map(|a| a.values.values().map(named).collect())
            .unwrap_or_default();
        let seen_named = |list: &[Seen]| {
            list.iter()
                .any(|s| actor_named.get(s.actor as usize) == Some(&true))
        };
        let listed_named = |list: &[Seen]| {
            list.iter().any(|s| {
                s.access == Access::Read && actor_named.get(s.actor as usize) == Some(&true)
            })
        };

        let mut resource_ok: FxHashSet<Symbol> = FxHashSet::default();
        for (&resource, grants) in &self.resource_grants {
            if named_grants(grants) {
                resource_ok.insert(resource);
            }
        }
        // Owned: that node and everything beneath. Seen on a node or
        // beneath it: the node. Seen listing or reading its folder: the
        // node. Granted a resource: the nodes it reaches (`resources_of`).
        let mut owned = vec![false; tree.len()];
        let mut resource_granted = vec![false; tree.len()];
        let mut node_ok = vec![false; tree.len()];
        for &node in &tree.top_down {
            let n = node as usize;
            let parent = tree.parents[n];
            owned[n] =
                (parent != NO_NODE && owned[parent as usize]) || named_grants(&self.node_grants[n]);
            resource_granted[n] = if self.node_resource[n] == Interner::EMPTY {
                parent != NO_NODE && resource_granted[parent as usize]
            } else {
                resource_ok.contains(&self.node_resource[n])
                    || self
                        .more_resources
                        .get(&node)
                        .is_some_and(|more| more.iter().any(|r| resource_ok.contains(r)))
            };
            node_ok[n] = owned[n]
                || resource_granted[n]
                || seen_named(&self.seen_below[n])
                || (parent != NO_NODE && listed_named(&self.seen_direct[parent as usize]));
        }
        let path_symbols = store
            .events
            .interned(TextField::NodePath)
            .map_or(0, |c| c.values.len());
        let by_path = (0..path_symbols as Symbol)
            .map(|symbol| {
                let node = tree.node_of(symbol);
                node != NO_NODE && node_ok[node as usize]
            })
            .collect();
        let resource_symbols = store
            .events
            .interned(TextField::Resource)
            .map_or(0, |c| c.values.len());
        let by_resource = (0..resource_symbols as Symbol)
            .map(|symbol| symbol != Interner::EMPTY && resource_ok.contains(&symbol))
            .collect();
        VisibleSet {
            by_path,
            by_resource,
        }
    }
}

/// The result of `Visibility::visible_to`, for the filter.
#[derive(Debug, Clone, Default)]
pub struct VisibleSet {
    pub by_path: Vec<bool>,
    pub by_resource: Vec<bool>,
}

#[cfg(test)]
mod tests;
