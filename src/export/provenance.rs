//! The provenance of an export: which tool, when, which filter, which rows,
//! and every source with its hash, so a reader can verify where rows came from.

use serde::Serialize;

use crate::model::{SourceInfo, Store};
use crate::query::Filter;

#[derive(Debug, Serialize)]
pub struct Provenance<'a> {
    pub tool: &'static str,
    pub version: &'static str,
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
