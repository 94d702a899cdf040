//! Building the visibility evidence of a case: one pass over the events
//! for who was seen where, the owners and the grants, then the roll-up to
//! folders and what reports add (personal folders, the shared-resources
//! report, BaseSpace workgroups).

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Grant, Proof, Reason, Revocation, Seen, Visibility};
use crate::index::tree::{NO_NODE, NodeId, NodeTree};
use crate::model::{Access, Category, Interner, Outcome, ResourceKind, Store, Symbol, TextField};

fn is_resource_creation(action: &str) -> bool {
    matches!(
        action,
        "Created cell" | "Created share link" | "Created workspace" | "project-new"
    )
}

/// DNAnexus `Info` objects of permission changes: `{"user-x": "VIEW"}`,
/// `null` or `"NONE"` to revoke.
fn permission_changes(details: &str) -> Vec<(String, Option<String>)> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(details) else {
        return Vec::new();
    };
    map.into_iter()
        .filter(|(key, _)| key.starts_with("user-") || key.starts_with("org-"))
        .map(|(key, value)| {
            let level = value
                .as_str()
                .filter(|l| !l.eq_ignore_ascii_case("NONE"))
                .map(str::to_string);
            (key, level)
        })
        .collect()
}

/// The invitee and level of a `project-invite` Info object.
fn invitation(details: &str) -> Option<(String, String)> {
    let value: serde_json::Value = serde_json::from_str(details).ok()?;
    let invitee = value.get("invitee")?.as_str()?.to_string();
    let level = value
        .get("level")
        .and_then(|l| l.as_str())
        .unwrap_or("")
        .to_string();
    Some((invitee, level))
}

/// `<...>/personal/<login>`: the node of a personal folder and its login.
pub(super) fn personal_root(path: &str) -> Option<(&str, &str)> {
    let mut start = 0;
    let parts: Vec<&str> = path.split('/').collect();
    for (i, part) in parts.iter().enumerate().take(2) {
        if *part == "personal" {
            let login = parts.get(i + 1).filter(|l| !l.is_empty())?;
            let end = start + part.len() + 1 + login.len();
            return Some((&path[..end], login));
        }
        start += part.len() + 1;
    }
    None
}

/// Who was seen acting on each node directly: the distinct actors and
/// kinds of access of successful events, each with its first row. Rows are
/// grouped by node first (a counting sort), then each node's are read in
/// row order with a small set, nodes on every core: one set of millions
/// missed the cache on every row.
fn seen_direct(store: &Store, tree: &NodeTree) -> Vec<Vec<Seen>> {
    use rayon::prelude::*;
    let events = &store.events;
    let (Some(paths), Some(actors)) = (
        events.interned(TextField::NodePath),
        events.interned(TextField::Actor),
    ) else {
        return vec![Vec::new(); tree.len()];
    };
    let counted = |row: usize| {
        let node = tree.node_of(paths.rows[row]);
        let counts = node != NO_NODE
            && actors.rows[row] != Interner::EMPTY
            && events.category[row].access() != Access::None
            && events.outcome[row] != Outcome::Failure;
        if counts { node } else { NO_NODE }
    };
    let node_of_row: Vec<NodeId> = (0..events.len()).into_par_iter().map(counted).collect();
    let by_node = tree.group_by_node(&node_of_row);
    drop(node_of_row);
    (0..tree.len())
        .into_par_iter()
        .map_init(FxHashSet::<(Symbol, Access)>::default, |known, node| {
            known.clear();
            by_node
                .of(node as NodeId)
                .iter()
                .filter_map(|&row| {
                    let actor = actors.rows[row as usize];
                    let access = events.category[row as usize].access();
                    known
                        .insert((actor, access))
                        .then_some(Seen { actor, access, row })
                })
                .collect()
        })
        .collect()
}

/// The first row of each actor and access among `seen`, in row order.
fn first_of_each(mut seen: Vec<Seen>) -> Vec<Seen> {
    seen.sort_unstable_by_key(|s| (s.actor, s.access, s.row));
    seen.dedup_by_key(|s| (s.actor, s.access));
    seen.sort_unstable_by_key(|s| s.row);
    seen
}

impl Visibility {
    /// The evidence of a case. Who was seen where and the grants are one
    /// pass each over the events, on a core each.
    pub fn build(store: &Store, tree: &NodeTree) -> Visibility {
        use crate::index::timed;
        let (seen, mut vis) = rayon::join(
            || timed("case index, seen directly", || seen_direct(store, tree)),
            || timed("case index, grants", || Visibility::grants(store, tree)),
        );
        vis.seen_direct = seen;
        timed("case index, seen beneath", || vis.roll_up_seen(tree));
        timed("case index, owners and members", || {
            vis.personal_owners(store, tree);
            vis.report_owners(store, tree);
            vis.workgroup_members(store);
        });
        vis
    }

    /// The resources of each node, and the owners, invitations and
    /// public-link visitors the events show.
    fn grants(store: &Store, tree: &NodeTree) -> Visibility {
        let events = &store.events;
        let nodes = tree.len();
        let mut vis = Visibility {
            node_grants: vec![Vec::new(); nodes],
            node_resource: vec![Interner::EMPTY; nodes],
            seen_direct: vec![Vec::new(); nodes],
            seen_below: vec![Vec::new(); nodes],
            ..Visibility::default()
        };
        let (Some(paths), Some(actors), Some(actions), Some(resources)) = (
            events.interned(TextField::NodePath),
            events.interned(TextField::Actor),
            events.interned(TextField::Action),
            events.interned(TextField::Resource),
        ) else {
            return vis;
        };
        let creates_resource: Vec<bool> =
            actions.values.values().map(is_resource_creation).collect();
        let action_text: Vec<&str> = actions.values.values().collect();
        let changes_permissions: Vec<bool> = action_text
            .iter()
            .map(|a| {
                matches!(
                    *a,
                    "project-invite" | "project-decreasePermissions" | "project-leave"
                )
            })
            .collect();
        let mut owned_node: FxHashSet<NodeId> = FxHashSet::default();
        let mut visitors: FxHashSet<(Symbol, Symbol)> = FxHashSet::default();
        for row in 0..events.len() {
            let node = tree.node_of(paths.rows[row]);
            let actor = actors.rows[row];
            let resource = resources.rows[row];
            let action = actions.rows[row] as usize;
            if node != NO_NODE && resource != Interner::EMPTY {
                let first = &mut vis.node_resource[node as usize];
                if *first == Interner::EMPTY {
                    *first = resource;
                } else if *first != resource {
                    let more = vis.more_resources.entry(node).or_default();
                    if !more.contains(&resource) {
                        more.push(resource);
                    }
                }
            }
            if events.outcome[row] == Outcome::Failure || actor == Interner::EMPTY {
                continue;
            }
            let actor_name = actors.values.resolve(actor);
            if node != NO_NODE
                && events.category[row] == Category::Create
                && owned_node.insert(node)
            {
                vis.node_grants[node as usize].push(Grant {
                    principal: actor_name.to_string(),
                    reason: Reason::Owner,
                    detail: format!("created it ({})", action_text[action]),
                    evidence: Proof::of_row(store, row),
                    revoked: None,
                });
            }
            if resource == Interner::EMPTY {
                continue;
            }
            if creates_resource[action] {
                let grants = vis.resource_grants.entry(resource).or_default();
                let owner = Grant {
                    principal: actor_name.to_string(),
                    reason: Reason::Owner,
                    detail: format!("created it ({})", action_text[action]),
                    evidence: Proof::of_row(store, row),
                    revoked: None,
                };
                match grants.iter_mut().find(|g| g.reason == Reason::Owner) {
                    None => grants.push(owner),
                    // Pydio creates a cell's or link's workspace first, with
                    // the same id: the cell or link is the better proof.
                    Some(first)
                        if first.principal == owner.principal
                            && first.detail.contains("Created workspace")
                            && action_text[action] != "Created workspace" =>
                    {
                        *first = owner
                    }
                    Some(_) => {}
                }
            } else if events.resource_kind[row] == ResourceKind::PublicLink
                && visitors.insert((resource, actor))
            {
                let grants = vis.resource_grants.entry(resource).or_default();
                let is_owner = grants
                    .iter()
                    .any(|g| g.reason == Reason::Owner && g.principal == actor_name);
                if !is_owner {
                    grants.push(Grant {
                        principal: actor_name.to_string(),
                        reason: Reason::LinkVisitor,
                        detail: format!("opened the link ({})", action_text[action]),
                        evidence: Proof::of_row(store, row),
                        revoked: None,
                    });
                }
            }
            if changes_permissions[action] {
                vis.permission_event(store, row, resource, action_text[action]);
            }
        }
        vis
    }

    /// DNAnexus invitations and later permission changes on a project.
    fn permission_event(&mut self, store: &Store, row: usize, resource: Symbol, action: &str) {
        let details = || store.events.text(TextField::Details, row);
        let time = store.events.time_ms[row];
        match action {
            "project-invite" => {
                let Some((invitee, level)) = invitation(details()) else {
                    return;
                };
                self.resource_grants
                    .entry(resource)
                    .or_default()
                    .push(Grant {
                        principal: invitee,
                        reason: Reason::Granted,
                        detail: format!("invited with {level} access"),
                        evidence: Proof::of_row(store, row),
                        revoked: None,
                    });
            }
            "project-decreasePermissions" | "project-leave" => {
                let changes = if action == "project-leave" {
                    vec![(store.events.text(TextField::Actor, row).to_string(), None)]
                } else {
                    permission_changes(details())
                };
                let grants = self.resource_grants.entry(resource).or_default();
                for (principal, level) in changes {
                    let mut found = false;
                    for grant in grants.iter_mut().filter(|g| {
                        g.reason == Reason::Granted
                            && g.principal == principal
                            && g.revoked.is_none()
                    }) {
                        found = true;
                        match &level {
                            Some(level) => grant.detail.push_str(&format!(", lowered to {level}")),
                            None => {
                                grant.revoked = Some(Revocation {
                                    time_ms: time,
                                    evidence: Proof::of_row(store, row),
                                })
                            }
                        }
                    }
                    if !found {
                        // The change proves access granted before these logs.
                        let (detail, revoked) = match &level {
                            Some(level) => (
                                format!("had access before the loaded logs, lowered to {level}"),
                                None,
                            ),
                            None => (
                                "had access before the loaded logs".to_string(),
                                Some(Revocation {
                                    time_ms: time,
                                    evidence: Proof::of_row(store, row),
                                }),
                            ),
                        };
                        grants.push(Grant {
                            principal,
                            reason: Reason::Granted,
                            detail,
                            evidence: Proof::of_row(store, row),
                            revoked,
                        });
                    }
                }
            }
            _ => {}
        }
    }

    /// `personal/<login>` folders belong to that login.
    fn personal_owners(&mut self, store: &Store, tree: &NodeTree) {
        for node in 0..tree.len() {
            let path = tree.path(node as NodeId);
            let Some((root, login)) = personal_root(path) else {
                continue;
            };
            if root.len() != path.len() {
                continue;
            }
            // The proof: the first event at or beneath the personal folder.
            let Some(row) = self.seen_below[node].iter().map(|s| s.row).min() else {
                continue;
            };
            self.node_grants[node].push(Grant {
                principal: login.to_string(),
                reason: Reason::Owner,
                detail: "personal folder".into(),
                evidence: Proof::of_row(store, row as usize),
                revoked: None,
            });
        }
    }

    /// The shared-resources report's Owner column.
    fn report_owners(&mut self, store: &Store, tree: &NodeTree) {
        let resources = store.events.interned(TextField::Resource);
        for record in &store.directory.shared_resources {
            if record.owner.is_empty() {
                continue;
            }
            let grant = Grant {
                principal: record.owner.clone(),
                reason: Reason::Owner,
                detail: format!("owner in the shared-resources report ({})", record.kind),
                evidence: Proof::of_record(record.origin),
                revoked: None,
            };
            let resource = resources.and_then(|r| r.values.lookup(&record.workspace_id));
            if let Some(resource) = resource.filter(|&r| r != Interner::EMPTY) {
                self.resource_grants
                    .entry(resource)
                    .or_default()
                    .push(grant.clone());
            }
            if let Some(node) = tree.find(&record.node_path) {
                let grants = &mut self.node_grants[node as usize];
                if !grants.iter().any(|g| g.principal == grant.principal) {
                    grants.push(grant);
                }
            }
        }
    }

    fn workgroup_members(&mut self, store: &Store) {
        let mut by_name: FxHashMap<&str, usize> = FxHashMap::default();
        for m in &store.directory.memberships {
            let index = *by_name.entry(&m.workgroup).or_insert_with(|| {
                self.workgroups.push((m.workgroup.clone(), Vec::new()));
                self.workgroups.len() - 1
            });
            let grants = &mut self.workgroups[index].1;
            if !m.administrator.is_empty() && !grants.iter().any(|g| g.reason == Reason::Owner) {
                grants.push(Grant {
                    principal: m.administrator.clone(),
                    reason: Reason::Owner,
                    detail: "workgroup administrator".into(),
                    evidence: Proof::of_record(m.origin),
                    revoked: None,
                });
            }
            if m.has_access == Some(false) {
                continue;
            }
            let principal = if m.user_email.is_empty() {
                m.user_name.clone()
            } else {
                m.user_email.clone()
            };
            grants.push(Grant {
                principal,
                reason: Reason::Member,
                detail: if m.role.is_empty() {
                    "workgroup member".into()
                } else {
                    format!("workgroup member ({})", m.role)
                },
                evidence: Proof::of_record(m.origin),
                revoked: None,
            });
        }
    }

    /// Who was seen at each node or beneath it: the first row of each actor
    /// and access in its subtree. Built from the deepest nodes up, a level
    /// at a time on every core: a folder's list is its own sightings and its
    /// children's lists, each actor and access kept once.
    fn roll_up_seen(&mut self, tree: &NodeTree) {
        self.seen_below = tree.roll_up(&self.seen_direct, first_of_each);
    }
}

#[cfg(test)]
mod tests;
