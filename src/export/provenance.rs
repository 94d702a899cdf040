//! The provenance of an export: which tool, when, which filter, which rows,
//! and every source with its hash, so a reader can verify where rows came from.

use serde::Serialize;

use crate::index::findings::Findings;
use crate::model::{SourceInfo, Store};
use crate::query::Filter;

/// The case an export was made from: its file, and the action log's head
/// when it was made (`auditview case verify CASE --head HASH` shows that
/// the log still holds it).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CaseSeal {
    pub file: String,
    pub log_head: String,
}

#[derive(Debug, Serialize)]
pub struct Provenance<'a> {
    pub tool: &'static str,
    pub version: &'static str,
    /// The commit and build day of the binary (`build_info`).
    pub commit: &'static str,
    pub built: &'static str,
    pub exported_at: String,
    pub output: String,
    pub format: &'static str,
    /// The report exported (`usage`, `logins`, `workgroups`); absent for events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<&'static str>,
    pub rows: usize,
    /// SHA-256 of the file written.
    pub sha256: String,
    pub time_zone: String,
    pub filter: &'a Filter,
    pub filter_in_words: Vec<FilterLine>,
    pub sources: &'a [SourceInfo],
    /// The GeoIP databases behind the place columns: path, type, build
    /// date, SHA-256 (empty: none was used).
    pub geoip: &'a [crate::geo::DatabaseInfo],
    pub rejected_records: u64,
    /// Is the record complete: per system its span, days and gaps.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub coverage: &'a [SystemLine],
    /// The findings among the rows written (and the evidence's gaps).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub findings: &'a [FindingLine],
    /// The case file and its log's head, for an export of a case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<&'a CaseSeal>,
}

#[derive(Debug, Serialize)]
pub struct SystemLine {
    pub system: crate::model::System,
    pub events: u64,
    pub first: Option<crate::time::UtcMs>,
    pub last: Option<crate::time::UtcMs>,
    pub days_with_events: usize,
    pub missing_days: Vec<String>,
    pub silences: usize,
}

#[derive(Debug, Serialize)]
pub struct FindingLine {
    pub id: String,
    pub kind: crate::model::FindingKind,
    pub severity: crate::model::Severity,
    pub explanation: String,
    /// Its proving events among the rows written (0 for a gap in the evidence).
    pub events_in_export: usize,
}

/// The coverage of the evidence, one line per system.
pub fn coverage_lines(findings: &Findings) -> Vec<SystemLine> {
    findings
        .coverage
        .systems
        .iter()
        .map(|s| SystemLine {
            system: s.system,
            events: s.events,
            first: s.first,
            last: s.last,
            days_with_events: s.days.len(),
            missing_days: s.missing_days.clone(),
            silences: s.silences.len(),
        })
        .collect()
}

/// The findings with a proving event among `rows` (in time order), and
/// those about the evidence itself.
pub fn finding_lines(findings: &Findings, rows: &[u32]) -> Vec<FindingLine> {
    let written: std::collections::HashSet<u32> = rows.iter().copied().collect();
    findings
        .findings
        .iter()
        .filter_map(|f| {
            let events_in_export = f.rows.iter().filter(|r| written.contains(r)).count();
            (f.rows.is_empty() || events_in_export > 0).then(|| FindingLine {
                id: f.id.clone(),
                kind: f.kind,
                severity: f.severity,
                explanation: f.explanation.clone(),
                events_in_export,
            })
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct FilterLine {
    pub criterion: &'static str,
    pub value: String,
}

pub fn filter_in_words(filter: &Filter) -> Vec<FilterLine> {
    let words = filter.describe();
    if words.is_empty() {
        return vec![FilterLine {
            criterion: "(none)",
            value: "all events".to_string(),
        }];
    }
    words
        .into_iter()
        .map(|(criterion, value)| FilterLine {
            criterion: criterion.label(),
            value,
        })
        .collect()
}

pub fn rejected_records(store: &Store) -> u64 {
    store.rejected()
}
