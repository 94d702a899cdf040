//! Starting a review: the scope (systems, each evidence file with its hash
//! and what it holds of the period), the method (this build, the findings
//! configuration and rules) and the exceptions of the period, all open.

use std::collections::BTreeSet;

use super::{EvidenceScope, Exception, Method, Review, ReviewError, Scope};
use crate::index::Case;
use crate::model::Disposition;
use crate::time::format_utc;

/// Proofs kept per exception (`events` counts them all).
const PROOFS_KEPT: usize = 20;

/// The period and title of a new review.
pub struct ReviewScope {
    pub title: String,
    /// UTC milliseconds, both included.
    pub from: i64,
    pub to: i64,
}

/// Events of one file inside the period.
#[derive(Clone, Copy, Default)]
struct InPeriod {
    events: u64,
    first: Option<i64>,
    last: Option<i64>,
}

/// A review of `case` over the period: every finding about a time that
/// meets the period (a gap, a silence or a file's span overlapping it
/// counts), and every one with no time at all, is an exception.
pub fn new_review(case: &Case, scope: &ReviewScope) -> Result<Review, ReviewError> {
    let store = &case.store;
    let in_period = |t: i64| (scope.from..=scope.to).contains(&t);
    let mut per_source = vec![InPeriod::default(); store.sources.len()];
    let mut systems = BTreeSet::new();
    for row in 0..store.events.len() {
        let time = store.events.time_ms[row];
        if !in_period(time) {
            continue;
        }
        systems.insert(store.events.system[row].as_str());
        if let Some(count) = per_source.get_mut(store.events.source[row] as usize) {
            count.events += 1;
            count.first = Some(count.first.map_or(time, |t| t.min(time)));
            count.last = Some(count.last.map_or(time, |t| t.max(time)));
        }
    }
    let evidence = store
        .sources
        .iter()
        .zip(&per_source)
        .map(|(source, count)| EvidenceScope {
            path: source.path.clone(),
            sha256: source.sha256.clone(),
            format: source.format.as_str().to_string(),
            events: source.events,
            events_in_period: count.events,
            first_in_period: count.first.map(format_utc),
            last_in_period: count.last.map(format_utc),
        })
        .collect();

    let config = case.findings_config();
    let unwritable = |e: serde_json::Error| ReviewError::Record {
        review: scope.title.clone(),
        reason: format!("the findings configuration: {e}"),
    };
    let configuration = serde_json::to_value(&*config).map_err(unwritable)?;
    let configuration_sha256 = crate::hash::sha256_hex(
        serde_json::to_string(&configuration)
            .map_err(unwritable)?
            .as_bytes(),
    );
    let method = Method {
        tool: "auditview".to_string(),
        version: crate::build_info::VERSION.to_string(),
        commit: crate::build_info::COMMIT.to_string(),
        configuration,
        configuration_sha256,
        rules: config.rules.in_force(),
    };

    let findings = case.findings();
    let meets_period = |f: &&crate::index::findings::Finding| {
        meets(f.time.map(|t| t.0), f.until.map(|t| t.0), scope)
    };
    // Ids are unique within a review (a repeated one gets `#2`, `#3`...),
    // so each exception can be disposed of.
    let mut seen = std::collections::HashMap::<&str, usize>::new();
    let exceptions = findings
        .findings
        .iter()
        .filter(meets_period)
        .map(|f| Exception {
            id: {
                let count = seen.entry(f.id.as_str()).or_insert(0);
                *count += 1;
                match *count {
                    1 => f.id.clone(),
                    n => format!("{}#{n}", f.id),
                }
            },
            kind: f.kind.as_str().to_string(),
            severity: f.severity,
            subject: f.subject.clone(),
            explanation: f.explanation.clone(),
            time: f.time.map(|t| format_utc(t.0)),
            events: f.rows.len(),
            proofs: if f.rows.is_empty() {
                f.files.clone()
            } else {
                f.rows
                    .iter()
                    .take(PROOFS_KEPT)
                    .map(|&row| {
                        let origin = store.origin(row as usize);
                        format!("{}:{}", origin.path, origin.line)
                    })
                    .collect()
            },
            disposition: Disposition::Open,
            reason: String::new(),
            by: String::new(),
            at: String::new(),
        })
        .collect();

    Ok(Review {
        id: String::new(),
        title: scope.title.clone(),
        from: format_utc(scope.from),
        to: format_utc(scope.to),
        started: format_utc(chrono::Utc::now().timestamp_millis()),
        previous: None,
        scope: Scope {
            systems: systems.into_iter().map(str::to_string).collect(),
            evidence,
        },
        method,
        exceptions,
        record: None,
        signatures: Vec::new(),
    })
}

/// Whether what a finding is about (from `start` to `until`, or the instant
/// `start`; always, with no time) meets the period.
fn meets(start: Option<i64>, until: Option<i64>, scope: &ReviewScope) -> bool {
    match start {
        None => true,
        Some(start) => start <= scope.to && until.unwrap_or(start) >= scope.from,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_meets_the_period_when_any_part_of_its_span_does() {
        let march = ReviewScope {
            title: String::new(),
            from: 100,
            to: 200,
        };
        // A silence from before the period to after it, one ending inside
        // it, one starting inside it, and an instant inside it.
        assert!(meets(Some(50), Some(250), &march));
        assert!(meets(Some(50), Some(100), &march));
        assert!(meets(Some(200), Some(900), &march));
        assert!(meets(Some(150), None, &march));
        // Before, after, and a finding with no time (a file with no events).
        assert!(!meets(Some(10), Some(99), &march));
        assert!(!meets(Some(201), None, &march));
        assert!(meets(None, None, &march));
    }
}
