//! Requests: the events of one request grouped (Pydio `SpanRootUuid`, else
//! `SpanUuid`, kept as the Request ID), for the Requests view and
//! `auditview requests`.

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::model::{Interner, Outcome, Store, Symbol, TextField};
use crate::query::Selection;
use crate::time::format_utc;

/// One request of a view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub id: String,
    /// Matched rows of the request, in time order.
    pub rows: Vec<u32>,
    pub start_ms: i64,
    pub end_ms: i64,
    /// The first actor and address the request's lines name.
    pub actor: String,
    pub ip: String,
    pub failures: u64,
    /// Distinct actions with their counts, in order of first appearance.
    pub actions: Vec<(String, u64)>,
}

impl Request {
    pub fn duration_ms(&self) -> i64 {
        self.end_ms - self.start_ms
    }

    /// "Created node ×2, Modified object" : the actions in a few words.
    pub fn summary(&self) -> String {
        self.actions
            .iter()
            .map(|(action, count)| {
                if *count > 1 {
                    format!("{action} ×{count}")
                } else {
                    action.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The requests of `selection`, by start time (ties by id).
pub fn requests(store: &Store, selection: &Selection) -> Vec<Request> {
    let events = &store.events;
    let (Some(ids), Some(actors), Some(ips), Some(actions)) = (
        events.interned(TextField::RequestId),
        events.interned(TextField::Actor),
        events.interned(TextField::Ip),
        events.interned(TextField::Action),
    ) else {
        return Vec::new();
    };
    let mut rows_of: FxHashMap<Symbol, Vec<u32>> = FxHashMap::default();
    for &row in &selection.rows {
        let id = ids.rows[row as usize];
        if id != Interner::EMPTY {
            rows_of.entry(id).or_default().push(row);
        }
    }
    let first_named = |rows: &[u32], column: &crate::model::InternedColumn| {
        rows.iter()
            .map(|&r| column.rows[r as usize])
            .find(|&s| s != Interner::EMPTY)
            .map(|s| column.values.resolve(s).to_string())
            .unwrap_or_default()
    };
    let mut out: Vec<Request> = rows_of
        .into_iter()
        .map(|(id, rows)| {
            let mut counts: Vec<(Symbol, u64)> = Vec::new();
            for &row in &rows {
                let action = actions.rows[row as usize];
                match counts.iter_mut().find(|(a, _)| *a == action) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((action, 1)),
                }
            }
            Request {
                id: ids.values.resolve(id).to_string(),
                start_ms: events.time_ms[rows[0] as usize],
                end_ms: events.time_ms[rows[rows.len() - 1] as usize],
                actor: first_named(&rows, actors),
                ip: first_named(&rows, ips),
                failures: rows
                    .iter()
                    .filter(|&&r| events.outcome[r as usize] == Outcome::Failure)
                    .count() as u64,
                actions: counts
                    .into_iter()
                    .map(|(a, n)| (actions.values.resolve(a).to_string(), n))
                    .collect(),
                rows,
            }
        })
        .collect();
    out.sort_by(|a, b| (a.start_ms, &a.id).cmp(&(b.start_ms, &b.id)));
    out
}

/// The JSON shape of `auditview requests --json`.
#[derive(Debug, Clone, Serialize)]
pub struct RequestJson {
    pub request: String,
    pub start: String,
    pub end: String,
    pub duration_ms: i64,
    pub actor: String,
    pub ip: String,
    pub events: usize,
    pub failures: u64,
    pub summary: String,
    pub lines: Vec<RequestLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestLine {
    pub time: String,
    pub action: String,
    pub outcome: Outcome,
    pub node_path: String,
    pub path: String,
    pub line: u64,
}

impl RequestJson {
    pub fn new(store: &Store, request: &Request) -> RequestJson {
        let events = &store.events;
        RequestJson {
            request: request.id.clone(),
            start: format_utc(request.start_ms),
            end: format_utc(request.end_ms),
            duration_ms: request.duration_ms(),
            actor: request.actor.clone(),
            ip: request.ip.clone(),
            events: request.rows.len(),
            failures: request.failures,
            summary: request.summary(),
            lines: request
                .rows
                .iter()
                .map(|&r| {
                    let r = r as usize;
                    RequestLine {
                        time: format_utc(events.time_ms[r]),
                        action: events.text(TextField::Action, r).to_string(),
                        outcome: events.outcome[r],
                        node_path: events.text(TextField::NodePath, r).to_string(),
                        path: store.source_path(events.source[r]).to_string(),
                        line: events.line[r],
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_store::{TestEvent, store_from};

    #[test]
    fn lines_of_one_request_are_grouped_with_a_summary() {
        let line = |request, action, ip| TestEvent {
            actor: "alice",
            action,
            request,
            ip,
            ..TestEvent::default()
        };
        let store = store_from(&[
            line("r1", "Created node", ""),
            line("r2", "Listed folder", "192.0.2.9"),
            line("r1", "Modified object", "192.0.2.10"),
            line("r1", "Modified object", ""),
            line("", "Retrieved object", ""),
        ]);
        let requests = requests(&store, &Selection::all(&store));
        assert_eq!(requests.len(), 2);
        let r1 = &requests[0];
        assert_eq!(r1.id, "r1");
        assert_eq!(r1.rows, [0, 2, 3]);
        assert_eq!(r1.duration_ms(), 3 * 60_000);
        assert_eq!(r1.ip, "192.0.2.10");
        assert_eq!(r1.summary(), "Created node, Modified object ×2");
        assert_eq!(requests[1].id, "r2");
    }
}
