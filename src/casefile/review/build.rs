//! Starting a review: the scope (systems, each evidence file with its hash
//! and what it holds of the period), the method (this build, the findings
//! configuration and rules) and the exceptions of the period, all open.

use std::collections::BTreeSet;

use super::{EvidenceScope, Exception, Method, Review, RuleUsed, Scope};
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

/// A review of `case` over the period: every finding whose time falls in
/// it, and every one without a time (a file cut short), is an exception.
pub fn new_review(case: &Case, scope: &ReviewScope) -> Review {
    let store = &case.store;
    let in_period = |t: i64| (scope.from..=scope.to).contains(&t);
    let mut per_source: Vec<(u64, Option<i64>, Option<i64>)> =
        vec![(0, None, None); store.sources.len()];
    let mut systems = BTreeSet::new();
    for row in 0..store.events.len() {
        let time = store.events.time_ms[row];
        if !in_period(time) {
            continue;
        }
        systems.insert(store.events.system[row].as_str());
        if let Some(entry) = per_source.get_mut(store.events.source[row] as usize) {
            entry.0 += 1;
            entry.1 = Some(entry.1.map_or(time, |t: i64| t.min(time)));
            entry.2 = Some(entry.2.map_or(time, |t: i64| t.max(time)));
        }
    }
    let evidence = store
        .sources
        .iter()
        .zip(&per_source)
        .map(|(source, (count, first, last))| EvidenceScope {
            path: source.path.clone(),
            sha256: source.sha256.clone(),
            format: source.format.as_str().to_string(),
            events: source.events,
            events_in_period: *count,
            first_in_period: first.map(format_utc),
            last_in_period: last.map(format_utc),
        })
        .collect();

    let config = case.findings_config();
    let configuration = serde_json::to_value(&*config).unwrap_or_default();
    let configuration_sha256 = crate::hash::sha256_hex(
        serde_json::to_string(&configuration)
            .unwrap_or_default()
            .as_bytes(),
    );
    let method = Method {
        tool: "auditview".to_string(),
        version: crate::build_info::VERSION.to_string(),
        commit: crate::build_info::COMMIT.to_string(),
        configuration,
        configuration_sha256,
        rules: config
            .rules
            .rules
            .iter()
            .zip(&config.rules.origins)
            .map(|(rule, origin)| RuleUsed {
                id: rule.id.clone(),
                title: rule.title.clone(),
                origin: origin.clone(),
            })
            .collect(),
    };

    let findings = case.findings();
    let exceptions = findings
        .findings
        .iter()
        .filter(|f| f.time.is_none_or(|t| in_period(t.0)))
        .map(|f| Exception {
            id: f.id.clone(),
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

    Review {
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
    }
}
