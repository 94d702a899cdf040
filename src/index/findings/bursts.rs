//! Bursts against an identity's own baseline: downloads, deletions,
//! shares or permission changes in one hour far above its usual hourly
//! count; runs of failed logins and how they end (a success, a lock-out,
//! nothing); a public link opened from many addresses.

use std::collections::{HashMap, HashSet};

use super::identities::Member;
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

pub fn bursts(case: &Case, identities: &Identities, config: &FindingsConfig) -> Vec<Finding> {
    let mut found = identities.par_each(|name, m| {
        let mut found = hourly_bursts(name, m, config);
        found.extend(failed_login_runs(name, m, config));
        found
    });
    found.extend(busy_links(case, config));
    found
}

fn hourly_bursts(name: &str, m: &Member, config: &FindingsConfig) -> Vec<Finding> {
    let hour_of = |i: usize| m.times[i].div_euclid(HOUR_MS);
    // Rows are in time order: hours never go back, so runs are hours.
    let mut active_hours = 0usize;
    let mut last_hour = None;
    // Per watched category, its runs of rows in one hour.
    let mut runs: [Vec<(usize, usize)>; 4] = Default::default();
    let mut by_category: [Vec<usize>; 4] = Default::default();
    for i in 0..m.len() {
        let hour = hour_of(i);
        if last_hour != Some(hour) {
            active_hours += 1;
            last_hour = Some(hour);
        }
        let category = m.categories[i];
        let Some(at) = WATCHED.iter().position(|(c, _)| *c == category) else {
            continue;
        };
        let list = &mut by_category[at];
        let same_hour = list.last().is_some_and(|&last| hour_of(last) == hour);
        list.push(i);
        match runs[at].last_mut() {
            Some(run) if same_hour => run.1 += 1,
            _ => runs[at].push((list.len() - 1, list.len())),
        }
    }
    let mut found = Vec::new();
    for (at, (_, noun)) in WATCHED.iter().enumerate() {
        let list = &by_category[at];
        let total = list.len();
        for &(start, end) in &runs[at] {
            let n = end - start;
            let other_hours = active_hours.saturating_sub(1).max(1);
            let usual = (total - n) as f64 / other_hours as f64;
            if (n as u64) < config.burst_min || (n as f64) < config.burst_factor * usual {
                continue;
            }
            let proof: Vec<u32> = list[start..end].iter().map(|&i| m.rows[i]).collect();
            let t0 = m.times[list[start]];
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
                proof,
            ));
        }
    }
    found
}

/// How a run of failed logins ended.
#[derive(Clone, Copy)]
enum RunEnd {
    /// A success: the guessing may have worked.
    Success(usize),
    /// The platform locked the account.
    Lockout(usize),
    /// A gap, or the end of the identity's events.
    Nothing,
}

/// Runs of failed logins of one identity (failures no further apart than
/// `failed_gap_ms`), judged by how they end: a success after at least
/// `failed_run` failures (high: the guessing may have worked), a lock-out
/// (medium, with the failures before it, however many), or nothing after
/// at least `failed_run` failures (low).
fn failed_login_runs(name: &str, m: &Member, config: &FindingsConfig) -> Vec<Finding> {
    let mut found = Vec::new();
    // Positions of the failures in the current run.
    let mut run: Vec<usize> = Vec::new();
    let close = |run: &mut Vec<usize>, end: RunEnd, found: &mut Vec<Finding>| {
        let n = run.len() as u64;
        let first = run.first().map(|&i| m.times[i]);
        let mut proof: Vec<u32> = run.iter().map(|&i| m.rows[i]).collect();
        let who = reveal(name);
        let failures = plural(n, "failed login", "failed logins");
        match end {
            RunEnd::Success(i) if n >= config.failed_run => {
                proof.push(m.rows[i]);
                found.push(Finding::new(
                    FindingKind::FailedLoginsThenSuccess,
                    Severity::High,
                    name,
                    format!(
                        "{who} failed to log in {n} times from {}, then logged in at {}",
                        UtcMs(first.unwrap_or_default()),
                        UtcMs(m.times[i]),
                    ),
                    first,
                    proof,
                ));
            }
            RunEnd::Lockout(i) => {
                proof.push(m.rows[i]);
                let after = if n == 0 {
                    "with no failed login before it in the evidence".to_string()
                } else {
                    format!("after {failures} from {}", UtcMs(first.unwrap_or_default()))
                };
                found.push(Finding::new(
                    FindingKind::AccountLocked,
                    Severity::Medium,
                    name,
                    format!("{who} was locked out at {}, {after}", UtcMs(m.times[i])),
                    Some(first.unwrap_or(m.times[i])),
                    proof,
                ));
            }
            RunEnd::Nothing if n >= config.failed_run => {
                let last = run.last().map(|&i| m.times[i]).unwrap_or_default();
                found.push(Finding::new(
                    FindingKind::FailedLogins,
                    Severity::Low,
                    name,
                    format!(
                        "{who} failed to log in {n} times from {} to {}, with no success or lock-out after",
                        UtcMs(first.unwrap_or_default()),
                        UtcMs(last),
                    ),
                    first,
                    proof,
                ));
            }
            _ => {}
        }
        run.clear();
    };
    for i in 0..m.len() {
        let (category, outcome) = (m.categories[i], m.outcomes[i]);
        let failed = category == Category::LoginFailed
            || (category == Category::Login && outcome == Outcome::Failure);
        let succeeded = category == Category::Login && outcome != Outcome::Failure;
        let after_gap = run
            .last()
            .is_some_and(|&last| m.times[i] - m.times[last] > config.failed_gap_ms);
        if after_gap {
            close(&mut run, RunEnd::Nothing, &mut found);
        }
        if failed {
            run.push(i);
        } else if category == Category::Lockout {
            close(&mut run, RunEnd::Lockout(i), &mut found);
        } else if succeeded && !run.is_empty() {
            close(&mut run, RunEnd::Success(i), &mut found);
        }
    }
    close(&mut run, RunEnd::Nothing, &mut found);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_store::{TestEvent, store_from};

    const ADDRESSES: [&str; 12] = [
        "192.0.2.1",
        "192.0.2.2",
        "192.0.2.3",
        "192.0.2.4",
        "192.0.2.5",
        "192.0.2.6",
        "192.0.2.7",
        "192.0.2.8",
        "192.0.2.9",
        "192.0.2.10",
        "192.0.2.11",
        "192.0.2.12",
    ];

    fn link_visits(link: &'static str, addresses: &[&'static str]) -> Vec<TestEvent> {
        addresses
            .iter()
            .map(|&ip| TestEvent {
                action: "Public link accessed",
                category: Category::Login,
                kind: ResourceKind::PublicLink,
                resource: link,
                ip,
                ..TestEvent::default()
            })
            .collect()
    }

    #[test]
    fn a_public_link_opened_from_ten_addresses_is_a_finding_and_from_nine_is_not() {
        let mut events = link_visits("link-busy", &ADDRESSES[..10]);
        // The same address again adds an event, not an address.
        events.extend(link_visits("link-busy", &ADDRESSES[..1]));
        events.extend(link_visits("link-quiet", &ADDRESSES[..9]));
        let case = Case::new(store_from(&events));
        let found = busy_links(&case, &FindingsConfig::default());
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].kind, FindingKind::LinkManyAddresses);
        assert_eq!(found[0].subject, "link-busy");
        assert_eq!(found[0].rows.len(), 11);
        assert!(found[0].explanation.contains("10 addresses (11 events)"));
    }
}
