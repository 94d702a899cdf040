//! People: a person is a set of identifiers across systems (`helena.nakamura`
//! on Pydio, `h.nakamura@orcabio.example` on BaseSpace, `user-hnakamura` on
//! DNAnexus). The evidence proposes links (`proposals`), the investigator
//! accepts or rejects them and names persons (`aliases`); `People` is what
//! follows: who is one person, and why.

pub mod aliases;
pub mod names;
pub mod proposals;

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher as _;

use hashbrown::HashTable;

use serde::Serialize;

pub use aliases::{Aliases, AliasesError, PersonAliases};
pub use names::{Shape, fold};
pub use proposals::{Identifier, Proposal, Reason, Rule, identifiers, pair_key, propose};

use crate::model::{Store, is_user};

/// What became of a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Proposed,
    Accepted,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProposalState {
    #[serde(flatten)]
    pub proposal: Proposal,
    pub decision: Decision,
}

/// Who joined two identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkedBy {
    /// A person of the aliases file.
    AliasesFile,
    /// A pair the investigator accepted.
    Accepted,
    /// A proposal taken with `--accept-proposals`.
    AcceptAll,
}

impl LinkedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkedBy::AliasesFile => "aliases file",
            LinkedBy::Accepted => "accepted",
            LinkedBy::AcceptAll => "accepted with --accept-proposals",
        }
    }
}

impl std::fmt::Display for LinkedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for LinkedBy {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Why two identifiers are one person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub a: String,
    pub b: String,
    pub by: LinkedBy,
    /// The evidence's reasons, when a proposal backs the link.
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub name: String,
    /// As they appear in the evidence (or the aliases file), sorted.
    pub identifiers: Vec<String>,
    pub links: Vec<Link>,
}

/// The persons of a case and the proposals with their decisions.
#[derive(Debug, Clone, Default, Serialize)]
pub struct People {
    pub persons: Vec<Person>,
    pub proposals: Vec<ProposalState>,
    /// Folded identifier -> index in `persons`.
    #[serde(skip)]
    member: Map<String, usize>,
}

impl People {
    /// Joins the identifiers the aliases name together and the proposals
    /// accepted (all of them not rejected with `accept_all`); one person per
    /// group of two or more identifiers. A person is named by the aliases
    /// file, else by the name a report gives one of its identifiers
    /// (`display_names`, by folded identifier), else by a login among its
    /// identifiers, else its first one.
    pub fn build(
        identifiers: &[Identifier],
        proposals: Vec<Proposal>,
        aliases: &Aliases,
        accept_all: bool,
        display_names: &HashMap<String, String>,
    ) -> People {
        // Each identifier is folded once, into the groups' id; everything
        // after works on ids (an aliases file of 100,000 persons is well
        // under a second, not minutes).
        let mut groups = UnionFind::default();
        // (id of `a`, id of `b`, the link)
        let mut links: Vec<(usize, usize, Link)> = Vec::new();
        // The id of each aliases person's first identifier: all of a
        // person's identifiers end in one group.
        let mut first_of_person: Vec<Option<usize>> = Vec::with_capacity(aliases.persons.len());
        for person in &aliases.persons {
            let mut previous: Option<(usize, &String)> = None;
            let mut first = None;
            for identifier in &person.identifiers {
                let id = groups.id(identifier);
                first.get_or_insert(id);
                if let Some((previous_id, previous_text)) = previous {
                    groups.union(previous_id, id);
                    links.push((
                        previous_id,
                        id,
                        Link {
                            a: previous_text.clone(),
                            b: identifier.clone(),
                            by: LinkedBy::AliasesFile,
                            reasons: Vec::new(),
                        },
                    ));
                }
                previous = Some((id, identifier));
            }
            first_of_person.push(first);
        }
        let rejected: HashSet<(String, String)> = aliases
            .rejected
            .iter()
            .map(|[a, b]| pair_key(a, b))
            .collect();
        let accepted: HashSet<(String, String)> = aliases
            .accepted
            .iter()
            .map(|[a, b]| pair_key(a, b))
            .collect();
        let mut states = Vec::with_capacity(proposals.len());
        for proposal in proposals {
            let key = proposal.key();
            let decision = if rejected.contains(&key) {
                Decision::Rejected
            } else if accepted.contains(&key) || accept_all {
                Decision::Accepted
            } else {
                Decision::Proposed
            };
            if decision == Decision::Accepted {
                let (a, b) = (groups.id(&proposal.a), groups.id(&proposal.b));
                groups.union(a, b);
                let by = if accepted.contains(&key) {
                    LinkedBy::Accepted
                } else {
                    LinkedBy::AcceptAll
                };
                let link = Link {
                    a: proposal.a.clone(),
                    b: proposal.b.clone(),
                    by,
                    reasons: proposal.reasons.clone(),
                };
                links.push((a, b, link));
            }
            states.push(ProposalState { proposal, decision });
        }
        // Accepted pairs no proposal backs (the investigator's own).
        let proposed: HashSet<(String, String)> = states.iter().map(|s| s.proposal.key()).collect();
        for [a, b] in &aliases.accepted {
            if !proposed.contains(&pair_key(a, b)) {
                let (a_id, b_id) = (groups.id(a), groups.id(b));
                groups.union(a_id, b_id);
                let link = Link {
                    a: a.clone(),
                    b: b.clone(),
                    by: LinkedBy::Accepted,
                    reasons: Vec::new(),
                };
                links.push((a_id, b_id, link));
            }
        }
        let count = groups.len();
        // How the evidence spells each grouped identifier (the last
        // spelling met, as the aliases file may fold it differently).
        let mut spelled: Vec<Option<&str>> = vec![None; count];
        for identifier in identifiers {
            if let Some(id) = groups.lookup(&identifier.text) {
                spelled[id] = Some(identifier.text.as_str());
            }
        }
        // The first person of the aliases file in each group.
        let mut named_in: Vec<Option<&PersonAliases>> = vec![None; count];
        for (person, first) in aliases.persons.iter().zip(&first_of_person) {
            if let Some(first) = *first {
                let root = groups.find(first);
                named_in[root].get_or_insert(person);
            }
        }
        let mut links_in: Vec<Vec<Link>> = vec![Vec::new(); count];
        for (a, b, link) in links {
            if a != b {
                let root = groups.find(a);
                links_in[root].push(link);
            }
        }
        let mut persons: Vec<(Person, Vec<usize>)> = Vec::new();
        for (root, members) in groups.groups() {
            let named = named_in[root];
            if members.len() < 2 && named.is_none() {
                continue;
            }
            let mut texts: Vec<String> = members
                .iter()
                .map(|&id| spelled[id].map_or_else(|| groups.name(id).to_string(), str::to_string))
                .collect();
            texts.sort();
            let reported = members
                .iter()
                .find_map(|&id| display_names.get(groups.name(id)));
            let name = named
                .map(|p| p.name.clone())
                .or_else(|| reported.cloned())
                .unwrap_or_else(|| {
                    texts
                        .iter()
                        .find(|t| names::shape(t) == Shape::Login)
                        .unwrap_or(&texts[0])
                        .clone()
                });
            let person = Person {
                name,
                identifiers: texts,
                links: std::mem::take(&mut links_in[root]),
            };
            persons.push((person, members));
        }
        persons.sort_by_cached_key(|(p, _)| fold(&p.name));
        let mut names = groups.into_names();
        let mut member = Map::default();
        member.reserve(persons.iter().map(|(_, m)| m.len()).sum());
        for (index, (_, members)) in persons.iter().enumerate() {
            for &id in members {
                member.insert(std::mem::take(&mut names[id]), index);
            }
        }
        People {
            persons: persons.into_iter().map(|(p, _)| p).collect(),
            proposals: states,
            member,
        }
    }

    /// The proposals of `store` with the decisions of `aliases`.
    pub fn of_store(store: &Store, aliases: &Aliases, accept_all: bool) -> People {
        let identifiers = identifiers(store);
        let proposals = propose(store, &identifiers);
        // BaseSpace's General Usage report: "Alice Martin" for her e-mail.
        let display_names: HashMap<String, String> = store
            .directory
            .users
            .iter()
            .filter(|u| !u.login.is_empty() && !u.name.trim().is_empty() && !u.name.contains('@'))
            .map(|u| (fold(&u.login), u.name.trim().to_string()))
            .collect();
        People::build(&identifiers, proposals, aliases, accept_all, &display_names)
    }

    /// The index in `persons` of the person `actor` belongs to.
    pub fn person_index(&self, actor: &str) -> Option<usize> {
        self.member.get(&fold(actor)).copied()
    }

    /// The person `actor` belongs to.
    pub fn person_of(&self, actor: &str) -> Option<&Person> {
        self.member.get(&fold(actor)).map(|&i| &self.persons[i])
    }

    /// The persons `name` names: by their name, or by any identifier
    /// (`is_user`'s rule: `user-x` is `x`).
    pub fn find(&self, name: &str) -> Vec<&Person> {
        let wanted = fold(name.trim());
        self.persons
            .iter()
            .filter(|p| {
                fold(&p.name) == wanted
                    || p.identifiers
                        .iter()
                        .any(|i| fold(i) == wanted || is_user(i, name.trim()))
            })
            .collect()
    }
}

/// Maps keyed by identifiers: foldhash, seeded per process (the keys come
/// from the evidence), in place of SipHash, most of the time otherwise.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Groups of folded identifiers, by id (the order of first mention).
#[derive(Default)]
struct UnionFind {
    /// Ids, found by their folded text's hash.
    index: HashTable<usize>,
    hasher: foldhash::fast::RandomState,
    parent: Vec<usize>,
    /// Folded text of each id.
    names: Vec<String>,
    /// Reused to fold lookups without allocating.
    folded: String,
}

impl UnionFind {
    fn len(&self) -> usize {
        self.parent.len()
    }

    fn name(&self, id: usize) -> &str {
        &self.names[id]
    }

    fn into_names(self) -> Vec<String> {
        self.names
    }

    /// The id of `text` (folded), made on first mention.
    fn id(&mut self, text: &str) -> usize {
        if let Some(id) = self.lookup(text) {
            return id;
        }
        let id = self.parent.len();
        self.parent.push(id);
        let hash = self.hasher.hash_one(self.folded.as_str());
        let names = &self.names;
        let hasher = &self.hasher;
        self.index
            .insert_unique(hash, id, |&other| hasher.hash_one(names[other].as_str()));
        self.names.push(self.folded.clone());
        id
    }

    /// The id of `text` (folded), if it was mentioned.
    fn lookup(&mut self, text: &str) -> Option<usize> {
        names::fold_into(text, &mut self.folded);
        let hash = self.hasher.hash_one(self.folded.as_str());
        self.index
            .find(hash, |&id| self.names[id] == self.folded)
            .copied()
    }

    fn find(&mut self, mut id: usize) -> usize {
        while self.parent[id] != id {
            self.parent[id] = self.parent[self.parent[id]];
            id = self.parent[id];
        }
        id
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }

    /// (root, member ids) in order of first mention.
    fn groups(&mut self) -> Vec<(usize, Vec<usize>)> {
        let mut by_root: Vec<(usize, Vec<usize>)> = Vec::new();
        let mut at: Vec<usize> = vec![usize::MAX; self.parent.len()];
        for id in 0..self.parent.len() {
            let root = self.find(id);
            if at[root] == usize::MAX {
                at[root] = by_root.len();
                by_root.push((root, Vec::new()));
            }
            by_root[at[root]].1.push(id);
        }
        by_root
    }
}

#[cfg(test)]
mod tests;
