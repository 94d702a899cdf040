//! Per person and per identifier, over a selection: first and last seen,
//! systems, and each distinct address, country, network and user agent with
//! the time it was first seen and the event that proves it (`auditview
//! people`, the window's People view).

use std::collections::HashMap;

use serde::Serialize;

use crate::index::Case;
use crate::index::people::{ProposalState, Shape, names::shape};
use crate::model::{Origin, System, TextField};
use crate::time::UtcMs;

/// A value first seen at `first`, in the event at `proof`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirstSeen {
    pub value: String,
    pub first: UtcMs,
    pub proof: Origin,
    pub events: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Profile {
    pub events: u64,
    pub systems: Vec<System>,
    pub first_seen: Option<UtcMs>,
    pub last_seen: Option<UtcMs>,
    pub addresses: Vec<FirstSeen>,
    pub countries: Vec<FirstSeen>,
    pub networks: Vec<FirstSeen>,
    pub user_agents: Vec<FirstSeen>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdentifierProfile {
    pub identifier: String,
    pub shape: Shape,
    #[serde(flatten)]
    pub profile: Profile,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonProfile {
    pub name: String,
    pub identifiers: Vec<IdentifierProfile>,
    /// Why its identifiers are one person.
    pub links: Vec<crate::index::people::Link>,
    #[serde(flatten)]
    pub profile: Profile,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PeopleView {
    pub persons: Vec<PersonProfile>,
    /// Identifiers acting in the selection that belong to no person.
    pub others: Vec<IdentifierProfile>,
    pub proposals: Vec<ProposalState>,
}

/// Profiles of the actors of `rows` (in time order), grouped by person.
pub fn people_view(case: &Case, rows: &[u32]) -> PeopleView {
    let store = &case.store;
    let people = case.people();
    let places = case.places();
    let events = &store.events;
    let Some(actors) = events.interned(TextField::Actor) else {
        return PeopleView::default();
    };
    let mut by_actor: HashMap<u32, Accumulator> = HashMap::new();
    for &row in rows {
        let row = row as usize;
        let symbol = actors.rows[row];
        if actors.values.resolve(symbol).trim().is_empty() {
            continue;
        }
        let time = events.time_ms[row];
        let entry = by_actor.entry(symbol).or_default();
        entry.events += 1;
        entry.first.get_or_insert(time);
        entry.last = Some(time);
        let system = events.system[row];
        if !entry.systems.contains(&system) {
            entry.systems.push(system);
        }
        let note = |seen: &mut Seen, key: u32| {
            if key == 0 {
                return;
            }
            let entry = seen.entry(key).or_insert((time, row, 0));
            entry.2 += 1;
        };
        let ip = column_symbol(events, TextField::Ip, row);
        note(&mut entry.addresses, ip);
        note(
            &mut entry.user_agents,
            column_symbol(events, TextField::UserAgent, row),
        );
        note(
            &mut entry.countries,
            places
                .country_by_symbol()
                .get(ip as usize)
                .copied()
                .unwrap_or(0),
        );
        note(
            &mut entry.networks,
            places
                .network_by_symbol()
                .get(ip as usize)
                .copied()
                .unwrap_or(0),
        );
    }
    let profile_of = |accumulators: &[&Accumulator]| -> Profile {
        let mut merged = Accumulator::default();
        for a in accumulators {
            merged.merge(a);
        }
        merged.finish(case)
    };
    let mut by_folded: HashMap<String, Vec<u32>> = HashMap::new();
    for &symbol in by_actor.keys() {
        by_folded
            .entry(crate::index::people::fold(actors.values.resolve(symbol)))
            .or_default()
            .push(symbol);
    }
    let mut seen_in_person: std::collections::HashSet<u32> = Default::default();
    let mut persons = Vec::new();
    for person in &people.persons {
        let mut identifiers = Vec::new();
        let mut parts = Vec::new();
        for identifier in &person.identifiers {
            let symbols: Vec<u32> = by_folded
                .get(&crate::index::people::fold(identifier))
                .cloned()
                .unwrap_or_default();
            let accumulators: Vec<&Accumulator> = symbols.iter().map(|s| &by_actor[s]).collect();
            seen_in_person.extend(&symbols);
            parts.extend(accumulators.iter().copied());
            identifiers.push(IdentifierProfile {
                identifier: identifier.clone(),
                shape: shape(identifier),
                profile: profile_of(&accumulators),
            });
        }
        if parts.is_empty() {
            continue;
        }
        persons.push(PersonProfile {
            name: person.name.clone(),
            identifiers,
            links: person.links.clone(),
            profile: profile_of(&parts),
        });
    }
    let mut others: Vec<IdentifierProfile> = by_actor
        .iter()
        .filter(|(s, _)| !seen_in_person.contains(*s))
        .map(|(&s, a)| {
            let text = actors.values.resolve(s);
            IdentifierProfile {
                identifier: text.to_string(),
                shape: shape(text),
                profile: profile_of(&[a]),
            }
        })
        .collect();
    others.sort_by(|a, b| a.identifier.cmp(&b.identifier));
    PeopleView {
        persons,
        others,
        proposals: people.proposals.clone(),
    }
}

/// Per value (a symbol of its column, or a 1-based places index; 0 is
/// none): (first time, first row, events).
type Seen = HashMap<u32, (i64, usize, u64)>;

fn column_symbol(events: &crate::model::EventTable, field: TextField, row: usize) -> u32 {
    events
        .interned(field)
        .and_then(|c| c.rows.get(row).copied())
        .unwrap_or(0)
}

#[derive(Default)]
struct Accumulator {
    events: u64,
    systems: Vec<System>,
    first: Option<i64>,
    last: Option<i64>,
    addresses: Seen,
    countries: Seen,
    networks: Seen,
    user_agents: Seen,
}

impl Accumulator {
    fn merge(&mut self, other: &Accumulator) {
        self.events += other.events;
        for s in &other.systems {
            if !self.systems.contains(s) {
                self.systems.push(*s);
            }
        }
        self.first = match (self.first, other.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = match (self.last, other.last) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        for (mine, theirs) in [
            (&mut self.addresses, &other.addresses),
            (&mut self.countries, &other.countries),
            (&mut self.networks, &other.networks),
            (&mut self.user_agents, &other.user_agents),
        ] {
            for (key, &(time, row, events)) in theirs {
                let seen = mine.entry(*key).or_insert((time, row, 0));
                seen.2 += events;
                if (time, row) < (seen.0, seen.1) {
                    (seen.0, seen.1) = (time, row);
                }
            }
        }
    }

    fn finish(mut self, case: &Case) -> Profile {
        self.systems.sort();
        let events = &case.store.events;
        let places = case.places();
        let list = |seen: Seen, name: &dyn Fn(u32) -> String| -> Vec<FirstSeen> {
            let mut seen: Vec<(u32, (i64, usize, u64))> = seen.into_iter().collect();
            seen.sort_by_key(|(_, (time, row, _))| (*time, *row));
            seen.into_iter()
                .map(|(key, (time, row, count))| FirstSeen {
                    value: name(key),
                    first: UtcMs(time),
                    proof: case.store.origin(row),
                    events: count,
                })
                .collect()
        };
        let text = |field| {
            move |key: u32| {
                events
                    .interned(field)
                    .map(|c| c.values.resolve(key).to_string())
                    .unwrap_or_default()
            }
        };
        let country = |key: u32| {
            places
                .countries
                .get(key as usize - 1)
                .map(|c| format!("{} {}", c.iso, c.name).trim_end().to_string())
                .unwrap_or_default()
        };
        let network = |key: u32| {
            places
                .networks
                .get(key as usize - 1)
                .map(|n| {
                    format!("AS{} {}", n.number, n.organization)
                        .trim_end()
                        .to_string()
                })
                .unwrap_or_default()
        };
        Profile {
            events: self.events,
            systems: self.systems,
            first_seen: self.first.map(UtcMs),
            last_seen: self.last.map(UtcMs),
            addresses: list(self.addresses, &text(TextField::Ip)),
            countries: list(self.countries, &country),
            networks: list(self.networks, &network),
            user_agents: list(self.user_agents, &text(TextField::UserAgent)),
        }
    }
}
