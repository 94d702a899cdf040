//! Bursts against an identity's own baseline: downloads, deletions,
//! shares or permission changes in one hour far above its usual hourly
//! count; runs of failed logins (then a success); a public link opened
//! from many addresses.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{Finding, FindingsConfig, Identities};
use crate::display::{plural, reveal};
use crate::index::Case;
use crate::model::{Category, FindingKind, Outcome, ResourceKind, Severity, TextField};
use crate::time::{HOUR_MS, UtcMs};

/// The categories whose bursts matter: taking data out, destroying it,
/// opening it to others.
const WATCHED: [(Category, &str); 4] = [
    (Category::Download, "downloads"),
    (Category::Delete, "deletions"),
    (Category::Share, "shares"),
    (Category::Permission, "permission changes"),
];

/// Failures further apart than this end a run.
const RUN_GAP_MS: i64 = HOUR_MS;

pub fn bursts(case: &Case, identities: &Identities, config: &FindingsConfig) -> Vec<Finding> {
    let mut found = identities.par_each(|name, rows| {
        let mut found = hourly_bursts(case, name, rows, config);
        found.extend(failed_login_runs(case, name, rows, config));
        found
    });
    found.extend(busy_links(case, config));
    found
}

fn hourly_bursts(case: &Case, name: &str, rows: &[u32], config: &FindingsConfig) -> Vec<Finding> {
    let events = &case.store.events;
    let active_hours: HashSet<i64> = rows
        .iter()
        .map(|&r| events.time_ms[r as usize].div_euclid(HOUR_MS))
        .collect();
    let mut found = Vec::new();
    for (category, noun) in WATCHED {
        let mut per_hour: BTreeMap<i64, Vec<u32>> = BTreeMap::new();
        for &row in rows {
            if events.category[row as usize] == category {
                per_hour
                    .entry(events.time_ms[row as usize].div_euclid(HOUR_MS))
                    .or_default()
                    .push(row);
            }
        }
        let total: usize = per_hour.values().map(Vec::len).sum();
        for proof in per_hour.values() {
            let n = proof.len();
            let other_hours = active_hours.len().saturating_sub(1).max(1);
            let usual = (total - n) as f64 / other_hours as f64;
            if (n as u64) < config.burst_min || (n as f64) < config.burst_factor * usual {
                continue;
            }
            let t0 = events.time_ms[proof[0] as usize];
            found.push(Finding::new(
                FindingKind::Burst,
                Severity::Medium,
                name,
                format!(
                    "{} made {n} {noun} in the hour from {}, against {usual:.1} in their other active hours",
                    reveal(name),
                    UtcMs(t0.div_euclid(HOUR_MS) * HOUR_MS),
                ),
                Some(t0),
                proof.clone(),
            ));
        }
    }
    found
}

fn failed_login_runs(
    case: &Case,
    name: &str,
    rows: &[u32],
    config: &FindingsConfig,
) -> Vec<Finding> {
    let events = &case.store.events;
    let mut found = Vec::new();
    let mut run: Vec<u32> = Vec::new();
    let close = |run: &mut Vec<u32>, success: Option<u32>, found: &mut Vec<Finding>| {
        let n = run.len() as u64;
        let t0 = run.first().map(|&r| events.time_ms[r as usize]);
        match success {
            Some(row) if n >= config.failed_run => {
                let mut proof = std::mem::take(run);
                proof.push(row);
                found.push(Finding::new(
                    FindingKind::FailedLoginsThenSuccess,
                    Severity::Medium,
                    name,
                    format!(
                        "{} failed to log in {n} times from {}, then logged in at {}",
                        reveal(name),
                        UtcMs(t0.unwrap_or_default()),
                        UtcMs(events.time_ms[row as usize]),
                    ),
                    t0,
                    proof,
                ));
            }
            None if n >= 2 * config.failed_run => {
                found.push(Finding::new(
                    FindingKind::FailedLogins,
                    Severity::Low,
                    name,
                    format!(
                        "{} failed to log in {n} times in a row from {}, with no success after",
                        reveal(name),
                        UtcMs(t0.unwrap_or_default()),
                    ),
                    t0,
                    std::mem::take(run),
                ));
            }
            _ => {}
        }
        run.clear();
    };
    for &row in rows {
        let r = row as usize;
        let failed = events.category[r] == Category::LoginFailed
            || (events.category[r] == Category::Login && events.outcome[r] == Outcome::Failure);
        let succeeded =
            events.category[r] == Category::Login && events.outcome[r] != Outcome::Failure;
        let after_gap = run
            .last()
            .is_some_and(|&last| events.time_ms[r] - events.time_ms[last as usize] > RUN_GAP_MS);
        if after_gap {
            close(&mut run, None, &mut found);
        }
        if failed {
            run.push(row);
        } else if succeeded && !run.is_empty() {
            close(&mut run, Some(row), &mut found);
        }
    }
    close(&mut run, None, &mut found);
    found
}

/// Public links opened from many distinct addresses.
fn busy_links(case: &Case, config: &FindingsConfig) -> Vec<Finding> {
    let events = &case.store.events;
    let (Some(resources), Some(ips)) = (
        events.interned(TextField::Resource),
        events.interned(TextField::Ip),
    ) else {
        return Vec::new();
    };
    let mut links: HashMap<u32, (Vec<u32>, HashSet<u32>)> = HashMap::new();
    let repeats = case.repeats();
    for row in 0..events.len() {
        if events.resource_kind[row] != ResourceKind::PublicLink
            || repeats.get(row).copied().unwrap_or(false)
        {
            continue;
        }
        let link = links.entry(resources.rows[row]).or_default();
        link.0.push(row as u32);
        if ips.rows[row] != 0 {
            link.1.insert(ips.rows[row]);
        }
    }
    let mut found: Vec<Finding> = links
        .into_iter()
        .filter(|(_, (_, addresses))| addresses.len() as u64 >= config.link_addresses)
        .map(|(symbol, (proof, addresses))| {
            let t0 = events.time_ms[proof[0] as usize];
            let link = resources.values.resolve(symbol);
            let label = events.text(TextField::ResourceName, proof[0] as usize);
            Finding::new(
                FindingKind::LinkManyAddresses,
                Severity::Medium,
                link,
                format!(
                    "the public link {}{} was opened from {} ({})",
                    reveal(link),
                    if label.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", reveal(label))
                    },
                    plural(addresses.len() as u64, "address", "addresses"),
                    plural(proof.len() as u64, "event", "events"),
                ),
                Some(t0),
                proof,
            )
        })
        .collect();
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found
}
