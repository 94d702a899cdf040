//! Who acted: the rows of each identity (a person when the case joins
//! identifiers, else one actor by `user_key`), and the first-seen findings:
//! an address, network, country or user agent an identity had not used in
//! its settled history, and its first privileged action after it.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::{Finding, FindingsConfig, Hits, IntBuild};
use crate::display::{plural, reveal};
use crate::index::Case;
use crate::model::{Category, FindingKind, Outcome, Severity, TextField, user_key};
use crate::time::{DAY_MS, UtcMs};

/// The identities acting in a case and their rows (copies of events read
/// from another source left out).
#[derive(Debug, Default)]
pub struct Identities {
    /// A person's name, else the actor as first written.
    pub names: Vec<String>,
    /// Per identity, its events in time order.
    pub members: Vec<Member>,
    /// Per Actor symbol, its identity (`u32::MAX`: no actor).
    pub of_symbol: Vec<u32>,
}

/// One identity's events in time order: their rows and, side by side, the
/// fields the detectors read (gathered once: reading them through the rows
/// would miss the cache on every event of a large case).
#[derive(Debug, Default, Clone)]
pub struct Member {
    pub rows: Vec<u32>,
    pub times: Vec<i64>,
    /// Symbols of the Ip and User Agent columns.
    pub ips: Vec<u32>,
    pub agents: Vec<u32>,
    pub categories: Vec<Category>,
    pub outcomes: Vec<Outcome>,
}

impl Member {
    pub fn len(&self) -> usize {
        self.rows.len()
    }
}

impl Identities {
    pub fn build(case: &Case) -> Identities {
        let events = &case.store.events;
        let Some(actors) = events.interned(TextField::Actor) else {
            return Identities::default();
        };
        let people = case.people();
        let mut identities = Identities::default();
        let mut by_key: HashMap<String, u32> = HashMap::new();
        identities.of_symbol = actors
            .values
            .values()
            .map(|actor| {
                let actor = actor.trim();
                if actor.is_empty() {
                    return u32::MAX;
                }
                let (key, name) = match people.person_of(actor) {
                    Some(person) => (format!("person\u{0}{}", person.name), person.name.clone()),
                    None => (user_key(actor).1, actor.to_string()),
                };
                *by_key.entry(key).or_insert_with(|| {
                    identities.names.push(name);
                    identities.names.len() as u32 - 1
                })
            })
            .collect();
        identities.members = vec![Member::default(); identities.names.len()];
        // A copy of an event read from another source proves nothing twice.
        let repeats = case.repeats();
        let symbols = |field: TextField| events.interned(field).map(|c| &c.rows[..]);
        let (ips, agents) = (symbols(TextField::Ip), symbols(TextField::UserAgent));
        for (row, &symbol) in actors.rows.iter().enumerate() {
            if repeats.get(row).copied().unwrap_or(false) {
                continue;
            }
            let Some(&identity) = identities.of_symbol.get(symbol as usize) else {
                continue;
            };
            let Some(member) = identities.members.get_mut(identity as usize) else {
                continue;
            };
            member.rows.push(row as u32);
            member.times.push(events.time_ms[row]);
            member.ips.push(ips.map_or(0, |c| c[row]));
            member.agents.push(agents.map_or(0, |c| c[row]));
            member.categories.push(events.category[row]);
            member.outcomes.push(events.outcome[row]);
        }
        identities
    }

    /// Each identity with its events, in parallel.
    pub fn par_each<'a, T: Send>(
        &'a self,
        each: impl Fn(&'a str, &'a Member) -> Vec<T> + Sync + Send,
    ) -> Vec<T> {
        self.names
            .par_iter()
            .zip(self.members.par_iter())
            .flat_map_iter(|(name, member)| each(name, member))
            .collect()
    }
}

/// What one identity uses, by kind: a value's symbol (or table index) and
/// how to name it.
struct Trait {
    kind: FindingKind,
    severity: Severity,
    noun: &'static str,
    nouns: &'static str,
}

const TRAITS: [Trait; 4] = [
    Trait {
        kind: FindingKind::NewCountry,
        severity: Severity::Medium,
        noun: "country",
        nouns: "new countries",
    },
    Trait {
        kind: FindingKind::NewNetwork,
        severity: Severity::Low,
        noun: "network",
        nouns: "new networks",
    },
    Trait {
        kind: FindingKind::NewAddress,
        severity: Severity::Info,
        noun: "address",
        nouns: "new addresses",
    },
    Trait {
        kind: FindingKind::NewUserAgent,
        severity: Severity::Info,
        noun: "user agent",
        nouns: "new user agents",
    },
];

/// After an identity's settled history (its first `baseline_days`, holding
/// at least a few events), each value it had not used before is a finding
/// proven by every event with it; and so is its first administrative or
/// permission-changing action.
pub fn first_seen(case: &Case, identities: &Identities, config: &FindingsConfig) -> Vec<Finding> {
    let events = &case.store.events;
    let places = case.places();
    let baseline_ms = (config.baseline_days.max(0.0) * DAY_MS as f64) as i64;
    let at = |table: &[u32], symbol: u32| table.get(symbol as usize).copied().unwrap_or(0);
    identities.par_each(|name, m| {
        let Some(&first) = m.times.first() else {
            return Vec::new();
        };
        let settled_until = first.saturating_add(baseline_ms);
        let in_baseline = m.times.partition_point(|&t| t < settled_until);
        // A history of a handful of events settles nothing.
        if in_baseline < 5 || in_baseline == m.len() {
            return Vec::new();
        }
        let value_of = |kind: usize, i: usize| -> u32 {
            match kind {
                0 => at(places.country_by_symbol(), m.ips[i]),
                1 => at(places.network_by_symbol(), m.ips[i]),
                2 => m.ips[i],
                _ => m.agents[i],
            }
        };
        let mut found = Vec::new();
        for (kind, the) in TRAITS.iter().enumerate() {
            let known: HashSet<u32, IntBuild> =
                (0..in_baseline).map(|i| value_of(kind, i)).collect();
            // New values in the order first seen; then their events grouped
            // by value (a counting sort: no list per value).
            let mut order: HashMap<u32, u32, IntBuild> = HashMap::default();
            let mut firsts: Vec<(u32, usize)> = Vec::new();
            let mut tagged: Vec<(u32, usize)> = Vec::new();
            for i in in_baseline..m.len() {
                let value = value_of(kind, i);
                if value == 0 || known.contains(&value) {
                    continue;
                }
                let index = *order.entry(value).or_insert_with(|| {
                    firsts.push((value, i));
                    firsts.len() as u32 - 1
                });
                tagged.push((index, i));
            }
            let mut starts = vec![0usize; firsts.len() + 1];
            for &(index, _) in &tagged {
                starts[index as usize + 1] += 1;
            }
            for k in 1..starts.len() {
                starts[k] += starts[k - 1];
            }
            let mut grouped = vec![0u32; tagged.len()];
            let mut next = starts.clone();
            for &(index, i) in &tagged {
                grouped[next[index as usize]] = m.rows[i];
                next[index as usize] += 1;
            }
            let mut hits = Hits::default();
            for (index, &(value, i)) in firsts.iter().enumerate() {
                hits.push(m.times[i], &grouped[starts[index]..starts[index + 1]], value);
            }
            found.extend(hits.findings(
                (the.kind, the.severity),
                name,
                the.nouns,
                |hit| {
                    let value = hit.detail;
                    let first = hit.rows[0] as usize;
                    let shown = match kind {
                        0 => places
                            .countries
                            .get(value as usize - 1)
                            .map(|c| format!("{} ({})", c.name, c.iso))
                            .unwrap_or_default(),
                        1 => places
                            .networks
                            .get(value as usize - 1)
                            .map(|n| format!("AS{} {}", n.number, n.organization))
                            .unwrap_or_default(),
                        2 => events.text(TextField::Ip, first).to_string(),
                        _ => events.text(TextField::UserAgent, first).to_string(),
                    };
                    format!(
                        "{} used a new {}, {}, first at {} ({}), after {} of settled history",
                        reveal(name),
                        the.noun,
                        reveal(&shown),
                        UtcMs(hit.time),
                        plural(hit.rows.len() as u64, "event", "events"),
                        plural(config.baseline_days as u64, "day", "days"),
                    )
                },
            ));
        }
        let privileged =
            |i: &usize| matches!(m.categories[*i], Category::Admin | Category::Permission);
        if !(0..in_baseline).any(|i| privileged(&i)) {
            let proof: Vec<usize> = (in_baseline..m.len()).filter(privileged).collect();
            if let Some(&i) = proof.first() {
                let (row, time) = (m.rows[i], m.times[i]);
                found.push(Finding::new(
                    FindingKind::FirstPrivileged,
                    Severity::Low,
                    name,
                    format!(
                        "{}'s first administrative or permission change, {} at {} ({} in all), after {} of none",
                        reveal(name),
                        reveal(events.text(TextField::Action, row as usize)),
                        UtcMs(time),
                        plural(proof.len() as u64, "event", "events"),
                        plural(config.baseline_days as u64, "day", "days"),
                    ),
                    Some(time),
                    proof.iter().map(|&i| m.rows[i]).collect(),
                ));
            }
        }
        found
    })
}
