//! Who acted: the rows of each identity (a person when the case joins
//! identifiers, else one actor by `user_key`), and the first-seen findings:
//! an address, network, country or user agent an identity had not used in
//! its settled history, and its first privileged action after it.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::{Finding, FindingsConfig};
use crate::display::{plural, reveal};
use crate::index::Case;
use crate::model::{Category, FindingKind, Severity, TextField, user_key};
use crate::time::{DAY_MS, UtcMs};

/// The identities acting in a case and their rows (copies of events read
/// from another source left out).
#[derive(Debug, Default)]
pub struct Identities {
    /// A person's name, else the actor as first written.
    pub names: Vec<String>,
    /// Per identity, its rows in time order.
    pub rows: Vec<Vec<u32>>,
    /// Per Actor symbol, its identity (`u32::MAX`: no actor).
    pub of_symbol: Vec<u32>,
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
        identities.rows = vec![Vec::new(); identities.names.len()];
        // A copy of an event read from another source proves nothing twice.
        let repeats = case.repeats();
        for (row, &symbol) in actors.rows.iter().enumerate() {
            if repeats.get(row).copied().unwrap_or(false) {
                continue;
            }
            if let Some(&identity) = identities.of_symbol.get(symbol as usize) {
                if identity != u32::MAX {
                    identities.rows[identity as usize].push(row as u32);
                }
            }
        }
        identities
    }

    /// Each identity with its rows, in parallel.
    pub fn par_each<'a, T: Send>(
        &'a self,
        each: impl Fn(&'a str, &'a [u32]) -> Vec<T> + Sync + Send,
    ) -> Vec<T> {
        self.names
            .par_iter()
            .zip(self.rows.par_iter())
            .flat_map_iter(|(name, rows)| each(name, rows))
            .collect()
    }
}

/// What one identity uses, by kind: a value's symbol (or table index) and
/// how to name it.
struct Trait {
    kind: FindingKind,
    severity: Severity,
    noun: &'static str,
}

const TRAITS: [Trait; 4] = [
    Trait {
        kind: FindingKind::NewCountry,
        severity: Severity::Medium,
        noun: "country",
    },
    Trait {
        kind: FindingKind::NewNetwork,
        severity: Severity::Low,
        noun: "network",
    },
    Trait {
        kind: FindingKind::NewAddress,
        severity: Severity::Info,
        noun: "address",
    },
    Trait {
        kind: FindingKind::NewUserAgent,
        severity: Severity::Info,
        noun: "user agent",
    },
];

/// After an identity's settled history (its first `baseline_days`, holding
/// at least a few events), each value it had not used before is a finding
/// proven by every event with it; and so is its first administrative or
/// permission-changing action.
pub fn first_seen(case: &Case, identities: &Identities, config: &FindingsConfig) -> Vec<Finding> {
    let store = &case.store;
    let events = &store.events;
    let places = case.places();
    let symbols = |field: TextField| events.interned(field).map_or(&[][..], |c| &c.rows[..]);
    let ips = symbols(TextField::Ip);
    let agents = symbols(TextField::UserAgent);
    let baseline_ms = (config.baseline_days.max(0.0) * DAY_MS as f64) as i64;
    let at = |table: &[u32], symbol: u32| table.get(symbol as usize).copied().unwrap_or(0);
    identities.par_each(|name, rows| {
        let Some(&first) = rows.first() else {
            return Vec::new();
        };
        let settled_until = events.time_ms[first as usize].saturating_add(baseline_ms);
        let in_baseline = rows.partition_point(|&r| events.time_ms[r as usize] < settled_until);
        // A history of a handful of events settles nothing.
        if in_baseline < 5 || in_baseline == rows.len() {
            return Vec::new();
        }
        let value_of = |kind: usize, row: u32| -> u32 {
            let ip = ips.get(row as usize).copied().unwrap_or(0);
            match kind {
                0 => at(places.country_by_symbol(), ip),
                1 => at(places.network_by_symbol(), ip),
                2 => ip,
                _ => agents.get(row as usize).copied().unwrap_or(0),
            }
        };
        let mut found = Vec::new();
        for (kind, the) in TRAITS.iter().enumerate() {
            let known: HashSet<u32> = rows[..in_baseline]
                .iter()
                .map(|&r| value_of(kind, r))
                .collect();
            let mut new: Vec<(u32, Vec<u32>)> = Vec::new();
            for &row in &rows[in_baseline..] {
                let value = value_of(kind, row);
                if value == 0 || known.contains(&value) {
                    continue;
                }
                match new.iter_mut().find(|(v, _)| *v == value) {
                    Some((_, proof)) => proof.push(row),
                    None => new.push((value, vec![row])),
                }
            }
            for (value, proof) in new {
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
                    2 => events.text(TextField::Ip, proof[0] as usize).to_string(),
                    _ => events.text(TextField::UserAgent, proof[0] as usize).to_string(),
                };
                let time = events.time_ms[proof[0] as usize];
                found.push(Finding::new(
                    the.kind,
                    the.severity,
                    name,
                    format!(
                        "{} used a new {}, {}, first at {} ({}), after {} of settled history",
                        reveal(name),
                        the.noun,
                        reveal(&shown),
                        UtcMs(time),
                        plural(proof.len() as u64, "event", "events"),
                        plural(config.baseline_days as u64, "day", "days"),
                    ),
                    Some(time),
                    proof,
                ));
            }
        }
        let privileged = |r: &u32| {
            matches!(
                events.category[*r as usize],
                Category::Admin | Category::Permission
            )
        };
        if !rows[..in_baseline].iter().any(privileged) {
            let proof: Vec<u32> = rows[in_baseline..]
                .iter()
                .copied()
                .filter(privileged)
                .collect();
            if let Some(&row) = proof.first() {
                let time = events.time_ms[row as usize];
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
                    proof,
                ));
            }
        }
        found
    })
}
