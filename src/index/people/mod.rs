//! People: a person is a set of identifiers across systems (`helena.nakamura`
//! on Pydio, `h.nakamura@orcabio.example` on BaseSpace, `user-hnakamura` on
//! DNAnexus). The evidence proposes links (`proposals`), the investigator
//! accepts or rejects them and names persons (`aliases`); `People` is what
//! follows: who is one person, and why.

pub mod aliases;
pub mod names;
pub mod proposals;

use std::collections::{HashMap, HashSet};

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

/// Why two identifiers are one person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub a: String,
    pub b: String,
    /// `aliases file`, `accepted`, or `accepted with --accept-proposals`.
    pub by: String,
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
        let mut groups = UnionFind::default();
        let mut links: Vec<Link> = Vec::new();
        for person in &aliases.persons {
            for pair in person.identifiers.windows(2) {
                groups.join(&pair[0], &pair[1]);
                links.push(Link {
                    a: pair[0].clone(),
                    b: pair[1].clone(),
                    by: "aliases file".into(),
                    reasons: Vec::new(),
                });
            }
            if let [only] = person.identifiers.as_slice() {
                groups.join(only, only);
            }
        }
        // Sets and maps throughout: linear in the identifiers and pairs
        // (an aliases file of 100,000 persons is a second, not minutes).
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
                groups.join(&proposal.a, &proposal.b);
                links.push(Link {
                    a: proposal.a.clone(),
                    b: proposal.b.clone(),
                    by: if accepted.contains(&key) {
                        "accepted".into()
                    } else {
                        "accepted with --accept-proposals".into()
                    },
                    reasons: proposal.reasons.clone(),
                });
            }
            states.push(ProposalState { proposal, decision });
        }
        // Accepted pairs no proposal backs (the investigator's own).
        let proposed: HashSet<(String, String)> = states.iter().map(|s| s.proposal.key()).collect();
        for [a, b] in &aliases.accepted {
            if !proposed.contains(&pair_key(a, b)) {
                groups.join(a, b);
                links.push(Link {
                    a: a.clone(),
                    b: b.clone(),
                    by: "accepted".into(),
                    reasons: Vec::new(),
                });
            }
        }
        let spelled: Map<String, &str> = identifiers
            .iter()
            .map(|i| (fold(&i.text), i.text.as_str()))
            .collect();
        // The first person of the aliases file in each group, and each
        // group's links, found once.
        let mut named_in: Map<usize, &PersonAliases> = Map::default();
        for person in &aliases.persons {
            for identifier in &person.identifiers {
                if let Some(root) = groups.root_of(identifier) {
                    named_in.entry(root).or_insert(person);
                }
            }
        }
        let mut links_in: Map<usize, Vec<Link>> = Map::default();
        for link in &links {
            if fold(&link.a) != fold(&link.b)
                && let Some(root) = groups.root_of(&link.a)
            {
                links_in.entry(root).or_default().push(link.clone());
            }
        }
        let mut persons: Vec<Person> = Vec::new();
        for (root, folded) in groups.groups() {
            let named = named_in.get(&root).copied();
            if folded.len() < 2 && named.is_none() {
                continue;
            }
            let mut texts: Vec<String> = folded
                .iter()
                .map(|f| spelled.get(f).map_or_else(|| f.clone(), |s| s.to_string()))
                .collect();
            texts.sort();
            let reported = folded.iter().find_map(|f| display_names.get(f));
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
            let person_links = links_in.remove(&root).unwrap_or_default();
            persons.push(Person {
                name,
                identifiers: texts,
                links: person_links,
            });
        }
        persons.sort_by_cached_key(|p| fold(&p.name));
        let mut member = Map::default();
        for (index, person) in persons.iter().enumerate() {
            for identifier in &person.identifiers {
                member.insert(fold(identifier), index);
            }
        }
        People {
            persons,
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

/// Groups of folded identifiers.
#[derive(Default)]
struct UnionFind {
    index: Map<String, usize>,
    parent: Vec<usize>,
    names: Vec<String>,
}

impl UnionFind {
    fn id(&mut self, text: &str) -> usize {
        let folded = fold(text);
        if let Some(&id) = self.index.get(&folded) {
            return id;
        }
        let id = self.parent.len();
        self.parent.push(id);
        self.names.push(folded.clone());
        self.index.insert(folded, id);
        id
    }

    fn find(&mut self, mut id: usize) -> usize {
        while self.parent[id] != id {
            self.parent[id] = self.parent[self.parent[id]];
            id = self.parent[id];
        }
        id
    }

    fn join(&mut self, a: &str, b: &str) {
        let (a, b) = (self.id(a), self.id(b));
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }

    fn root_of(&mut self, text: &str) -> Option<usize> {
        let id = *self.index.get(&fold(text))?;
        Some(self.find(id))
    }

    /// (root, folded members) in order of first mention.
    fn groups(&mut self) -> Vec<(usize, Vec<String>)> {
        let mut by_root: Vec<(usize, Vec<String>)> = Vec::new();
        let mut at: Map<usize, usize> = Map::default();
        for id in 0..self.parent.len() {
            let root = self.find(id);
            match at.get(&root) {
                Some(&index) => by_root[index].1.push(self.names[id].clone()),
                None => {
                    at.insert(root, by_root.len());
                    by_root.push((root, vec![self.names[id].clone()]));
                }
            }
        }
        by_root
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_store::{TestEvent, store_from};

    fn event(actor: &'static str) -> TestEvent {
        TestEvent {
            actor,
            ..TestEvent::default()
        }
    }

    #[test]
    fn one_person_named_three_ways_is_proposed_with_proofs_and_joined_when_accepted() {
        let store = store_from(&[
            event("helena.nakamura"),
            event("h.nakamura@orcabio.example"),
            event("user-hnakamura"),
            event("bob"),
        ]);
        let people = People::of_store(&store, &Aliases::default(), false);
        assert!(
            people.persons.is_empty(),
            "nothing merged before a decision"
        );
        let pairs: Vec<(String, String)> = people
            .proposals
            .iter()
            .map(|p| (p.proposal.a.clone(), p.proposal.b.clone()))
            .collect();
        assert!(
            pairs.contains(&("user-hnakamura".into(), "helena.nakamura".into())),
            "{pairs:?}"
        );
        assert!(
            pairs.contains(&("user-hnakamura".into(), "h.nakamura@orcabio.example".into())),
            "{pairs:?}"
        );
        assert!(
            pairs.contains(&(
                "h.nakamura@orcabio.example".into(),
                "helena.nakamura".into()
            )),
            "{pairs:?}"
        );
        assert!(
            people
                .proposals
                .iter()
                .all(|p| p.proposal.reasons.iter().all(|r| r.proofs.len() == 2))
        );

        let all = People::of_store(&store, &Aliases::default(), true);
        assert_eq!(all.persons.len(), 1);
        let helena = &all.persons[0];
        assert_eq!(helena.name, "helena.nakamura");
        assert_eq!(helena.identifiers.len(), 3);
        assert_eq!(all.find("user-hnakamura").len(), 1);
        assert_eq!(all.find("hnakamura").len(), 1);
        assert!(all.person_of("bob").is_none());

        let mut aliases = Aliases::default();
        aliases.reject("user-hnakamura", "helena.nakamura");
        aliases.reject("user-hnakamura", "h.nakamura@orcabio.example");
        aliases.reject("h.nakamura@orcabio.example", "helena.nakamura");
        let without = People::of_store(&store, &aliases, true);
        assert!(without.persons.is_empty(), "{without:?}");
    }
}
