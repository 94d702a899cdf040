//! What stands out, and what is missing: findings computed once per case
//! over every loaded event (not a filter's view, so a baseline is the
//! identity's whole history). Each finding has a kind, a severity, what it
//! concerns (an identity or person, a link, a file), one line in words and
//! the events that prove it. The detectors each live in their own file; the
//! thresholds are in `FindingsConfig`, the rules are data (`rules`).

mod bursts;
mod gaps;
mod hours;
mod identities;
pub mod rules;
mod travel;

use serde::Serialize;

use super::Case;
use super::coverage::{Coverage, coverage};
use crate::model::{FindingKind, Origin, Severity};
use crate::time::UtcMs;
pub use identities::Identities;
pub use rules::{Rule, RuleError, RuleInForce, RuleSet};

/// The thresholds of the detectors, each with the default an investigator
/// can change on the command line or in the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingsConfig {
    /// An identity's first days of activity are its settled history: what
    /// it uses then is not new afterwards.
    pub baseline_days: f64,
    /// Two places of one identity further apart than this speed allows.
    pub travel_kmh: f64,
    /// Places closer than this are one place (GeoIP is approximate).
    pub travel_min_km: f64,
    /// A silence in one system's log longer than this is a finding.
    pub silence_hours: f64,
    /// A burst: at least this many actions of one category in an hour...
    pub burst_min: u64,
    /// ...and this many times the identity's usual hourly count.
    pub burst_factor: f64,
    /// A run of at least this many failed logins of one identity is a
    /// finding, whatever follows it (a success, a lock-out, nothing)...
    pub failed_run: u64,
    /// ...where failures further apart than this (milliseconds) end a run.
    pub failed_gap_ms: i64,
    /// A public link opened from at least this many addresses.
    pub link_addresses: u64,
    /// The shipped rules and the investigator's own.
    pub rules: RuleSet,
}

impl Default for FindingsConfig {
    fn default() -> Self {
        FindingsConfig {
            baseline_days: 7.0,
            travel_kmh: 900.0,
            travel_min_km: 100.0,
            silence_hours: 24.0,
            burst_min: 20,
            burst_factor: 10.0,
            failed_run: 5,
            failed_gap_ms: crate::time::HOUR_MS,
            link_addresses: 10,
            rules: RuleSet::shipped(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable across loads of the same evidence: `kind:subject:time`.
    pub id: String,
    pub kind: FindingKind,
    pub severity: Severity,
    /// The identity, person, link, system or file it concerns.
    pub subject: String,
    /// What stands out, in one line.
    pub explanation: String,
    /// The first proving event's time (or the gap's start).
    pub time: Option<UtcMs>,
    /// Where what it is about ends, when that spans time (a silence, a
    /// missing day, a file's events): a review of any part of it holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<UtcMs>,
    /// The rule that raised it (kind `rule`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The proving events, as rows of the case's store in time order.
    #[serde(skip)]
    pub rows: Vec<u32>,
    /// The files a coverage finding is about.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
}

impl Finding {
    fn new(
        kind: FindingKind,
        severity: Severity,
        subject: impl Into<String>,
        explanation: impl Into<String>,
        time: Option<i64>,
        rows: Vec<u32>,
    ) -> Finding {
        let subject = subject.into();
        let id = format!(
            "{}:{}:{}",
            kind.as_str(),
            subject,
            time.map(|t| UtcMs(t).to_string()).unwrap_or_default()
        );
        Finding {
            id,
            kind,
            severity,
            subject,
            explanation: explanation.into(),
            time: time.map(UtcMs),
            until: None,
            rule: None,
            rows,
            files: Vec::new(),
        }
    }

    /// Whether `value` names this finding: its id or its kind.
    pub fn is_named(&self, value: &str) -> bool {
        let value = value.trim();
        self.id == value || self.kind.as_str().eq_ignore_ascii_case(value)
    }
}

/// Every finding of a case, most severe first, then by time; and the
/// coverage they were drawn from.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Findings {
    pub findings: Vec<Finding>,
    #[serde(skip)]
    pub coverage: Coverage,
}

impl Findings {
    /// Computes every detector over the case (in parallel where they are
    /// independent).
    pub fn build(case: &Case, config: &FindingsConfig) -> Findings {
        let identities = timed("identities", || Identities::build(case));
        let identities = &identities;
        let (mut findings, (coverage, gaps)) = rayon::join(
            || {
                let ((mut a, b), (c, d)) = rayon::join(
                    || {
                        rayon::join(
                            || {
                                timed("first seen", || {
                                    identities::first_seen(case, identities, config)
                                })
                            },
                            || {
                                timed("travel", || {
                                    travel::impossible_travel(case, identities, config)
                                })
                            },
                        )
                    },
                    || {
                        rayon::join(
                            || timed("hours", || hours::unusual_hours(identities)),
                            || timed("bursts", || bursts::bursts(case, identities, config)),
                        )
                    },
                );
                a.extend(b);
                a.extend(c);
                a.extend(d);
                a.extend(timed("rules", || {
                    rules::evaluate(case, identities, &config.rules)
                }));
                a
            },
            || {
                let coverage = timed("coverage", || coverage(case, config.silence_hours));
                let gaps = gaps::coverage_findings(&coverage);
                (coverage, gaps)
            },
        );
        findings.extend(gaps);
        findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(a.time.map(|t| t.0).cmp(&b.time.map(|t| t.0)))
                .then(a.id.cmp(&b.id))
        });
        Findings { findings, coverage }
    }

    /// The rows proving the findings `values` name (ids or kinds), in order.
    pub fn rows_named(&self, values: &[String]) -> Vec<u32> {
        let mut rows: Vec<u32> = self
            .findings
            .iter()
            .filter(|f| values.iter().any(|v| f.is_named(v)))
            .flat_map(|f| f.rows.iter().copied())
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    /// Whether some finding has this id or kind.
    pub fn names_any(&self, value: &str) -> bool {
        self.findings.iter().any(|f| f.is_named(value)) || FindingKind::parse(value).is_some()
    }
}

/// A finding as JSON and text show it: with its proving events' places.
#[derive(Debug, Clone, Serialize)]
pub struct FindingProof {
    #[serde(flatten)]
    pub finding: Finding,
    pub events: usize,
    pub proofs: Vec<Origin>,
}

impl FindingProof {
    pub fn of(case: &Case, finding: &Finding) -> FindingProof {
        FindingProof {
            events: finding.rows.len(),
            proofs: finding
                .rows
                .iter()
                .map(|&row| case.store.origin(row as usize))
                .collect(),
            finding: finding.clone(),
        }
    }
}

/// Findings of one kind listed one by one per identity, at most: past it,
/// one finding holds the rest (their events stay selectable with
/// `--finding KIND`), so strange evidence cannot make millions of them.
pub const LISTED_PER_IDENTITY: usize = 100;

/// What a detector found, before it is put in words: its time, rows and
/// details. Words cost, so only the findings listed one by one get them.
struct Hit<T> {
    time: i64,
    rows: Vec<u32>,
    detail: T,
}

/// The hits of one kind for one subject, in time order: the first
/// `LISTED_PER_IDENTITY` kept whole, the rest only counted with their rows.
struct Hits<T> {
    listed: Vec<Hit<T>>,
    more: usize,
    more_from: i64,
    more_rows: Vec<u32>,
}

impl<T> Default for Hits<T> {
    fn default() -> Self {
        Hits {
            listed: Vec::new(),
            more: 0,
            more_from: 0,
            more_rows: Vec::new(),
        }
    }
}

impl<T> Hits<T> {
    fn push(&mut self, time: i64, rows: &[u32], detail: T) {
        if self.listed.len() < LISTED_PER_IDENTITY {
            self.listed.push(Hit {
                time,
                rows: rows.to_vec(),
                detail,
            });
            return;
        }
        if self.more == 0 {
            self.more_from = time;
        }
        self.more += 1;
        self.more_rows.extend_from_slice(rows);
    }

    /// The findings: the listed hits put in words by `words`, the rest
    /// folded into one finding that keeps their events.
    fn findings(
        self,
        (kind, severity): (FindingKind, Severity),
        subject: &str,
        noun: &str,
        words: impl Fn(&Hit<T>) -> String,
    ) -> Vec<Finding> {
        let mut found: Vec<Finding> = self
            .listed
            .iter()
            .map(|hit| {
                let explanation = words(hit);
                Finding::new(
                    kind,
                    severity,
                    subject,
                    explanation,
                    Some(hit.time),
                    hit.rows.clone(),
                )
            })
            .collect();
        if self.more > 0 {
            let mut rows = self.more_rows;
            if !rows.is_sorted() {
                rows.sort_unstable();
            }
            rows.dedup();
            let mut folded = Finding::new(
                kind,
                severity,
                subject,
                format!(
                    "{} more {noun} of {}, from {} (the first {LISTED_PER_IDENTITY} are listed one by one)",
                    self.more,
                    crate::display::reveal(subject),
                    UtcMs(self.more_from),
                ),
                Some(self.more_from),
                rows,
            );
            folded.id.push_str(":more");
            found.push(folded);
        }
        found
    }
}

/// Hashes integer keys (symbols, packed pairs) with one multiplication:
/// the default SipHash is most of a detector's time otherwise, and these
/// keys come from the evidence's own symbol tables, not from an attacker's
/// choice of hash inputs.
#[derive(Default)]
struct IntHasher(u64);

impl std::hash::Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u32(&mut self, value: u32) {
        self.write_u64(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (value ^ (value >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type IntBuild = std::hash::BuildHasherDefault<IntHasher>;

/// `work`, timed as one step of the findings (detectors run in parallel:
/// each says its own).
fn timed<T>(name: &str, work: impl FnOnce() -> T) -> T {
    crate::index::timed(&format!("findings, {name}"), work)
}

/// Counts per severity, most severe first (for summaries and provenance).
pub fn severity_counts(findings: &[Finding]) -> Vec<(Severity, usize)> {
    Severity::ALL
        .iter()
        .rev()
        .map(|&s| (s, findings.iter().filter(|f| f.severity == s).count()))
        .filter(|&(_, n)| n > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FindingKind, Severity};

    #[test]
    fn findings_past_the_limit_fold_into_one_that_keeps_their_events() {
        let mut hits = Hits::default();
        for i in 0..150u32 {
            hits.push(i64::from(i) * 1000, &[i], i);
        }
        let kept = hits.findings(
            (FindingKind::NewAddress, Severity::Info),
            "mallory",
            "new addresses",
            |hit| format!("address {}", hit.detail),
        );
        assert_eq!(kept[7].explanation, "address 7");
        assert_eq!(kept.len(), LISTED_PER_IDENTITY + 1);
        let folded = &kept[LISTED_PER_IDENTITY];
        assert_eq!(folded.rows, (100..150).collect::<Vec<u32>>());
        assert!(
            folded
                .explanation
                .starts_with("50 more new addresses of mallory")
        );
        assert!(folded.id.ends_with(":more"));
    }
}
