//! Requests: the events of one request grouped (Pydio `SpanRootUuid`, else
//! `SpanUuid`, kept as the Request ID), for the Requests view and
//! `auditview requests`.

use serde::Serialize;

use crate::model::{Interner, Origin, Outcome, Store, Symbol, TextField};
use crate::query::Selection;
use crate::time::UtcMs;

/// One request of a view: compact, so millions of them stay cheap; names
/// and the summary are read from the store when shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The Request ID's symbol in the store.
    pub id: Symbol,
    /// Where its rows are in `RequestIndex::rows`.
    start: u32,
    len: u32,
    pub start_ms: i64,
    pub end_ms: i64,
    pub failures: u32,
}

impl Request {
    pub fn duration_ms(&self) -> i64 {
        self.end_ms - self.start_ms
    }

    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// The requests of a view, by start time, and their rows grouped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestIndex {
    pub requests: Vec<Request>,
    /// Matched rows grouped by request, each group in time order.
    rows: Vec<u32>,
}

impl RequestIndex {
    pub fn len(&self) -> usize {
        self.requests.len()
    }

    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }

    /// The matched rows of `request`, in time order.
    pub fn rows(&self, request: &Request) -> &[u32] {
        let start = request.start as usize;
        &self.rows[start..start + request.len as usize]
    }

    pub fn id<'s>(&self, store: &'s Store, request: &Request) -> &'s str {
        store
            .events
            .interned(TextField::RequestId)
            .map_or("", |c| c.values.resolve(request.id))
    }

    /// The first non-empty value of `field` among the request's rows.
    pub fn first<'s>(&self, store: &'s Store, request: &Request, field: TextField) -> &'s str {
        self.rows(request)
            .iter()
            .map(|&r| store.events.text(field, r as usize))
            .find(|v| !v.is_empty())
            .unwrap_or("")
    }

    /// "Created node ×2, Modified object": the actions in order of first
    /// appearance, with their counts.
    pub fn summary(&self, store: &Store, request: &Request) -> String {
        let mut counts: Vec<(&str, u64)> = Vec::new();
        for &row in self.rows(request) {
            let action = store.events.text(TextField::Action, row as usize);
            match counts.iter_mut().find(|(a, _)| *a == action) {
                Some((_, n)) => *n += 1,
                None => counts.push((action, 1)),
            }
        }
        counts
            .into_iter()
            .map(|(action, count)| {
                if count > 1 {
                    format!("{action} ×{count}")
                } else {
                    action.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What the Requests view sorts by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum RequestOrder {
    #[default]
    Start,
    Duration,
    Events,
    Failures,
}

/// Which requests the Requests view shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RequestShown {
    pub order: RequestOrder,
    pub descending: bool,
    /// Only requests of more than one event.
    pub several_events: bool,
    /// Only requests with a failed event.
    pub with_failures: bool,
}

impl RequestIndex {
    /// Indices into `requests`, those `shown` asks for, in its order
    /// (ties keep the start order, so the result is the same every time).
    pub fn shown(&self, shown: &RequestShown) -> Vec<u32> {
        let mut picked: Vec<u32> = (0..self.requests.len() as u32)
            .filter(|&i| {
                let request = &self.requests[i as usize];
                (!shown.several_events || request.len() > 1)
                    && (!shown.with_failures || request.failures > 0)
            })
            .collect();
        let key = |i: &u32| {
            let request = &self.requests[*i as usize];
            match shown.order {
                RequestOrder::Start => 0,
                RequestOrder::Duration => request.duration_ms(),
                RequestOrder::Events => request.len() as i64,
                RequestOrder::Failures => i64::from(request.failures),
            }
        };
        // Stable sorts of a list by start time: ties stay by start.
        match (shown.order, shown.descending) {
            (RequestOrder::Start, false) => {}
            (RequestOrder::Start, true) => picked.reverse(),
            (_, false) => picked.sort_by_key(key),
            (_, true) => picked.sort_by_key(|i| std::cmp::Reverse(key(i))),
        }
        picked
    }
}

/// The requests of `selection`, by start time (ties by first row). Rows
/// are grouped by a counting sort on the Request ID symbol: no per-request
/// allocation, whatever their number.
pub fn requests(store: &Store, selection: &Selection) -> RequestIndex {
    let events = &store.events;
    let Some(ids) = events.interned(TextField::RequestId) else {
        return RequestIndex::default();
    };
    let mut counts = vec![0u32; ids.values.len() + 1];
    for &row in &selection.rows {
        let id = ids.rows[row as usize];
        if id != Interner::EMPTY {
            counts[id as usize + 1] += 1;
        }
    }
    for i in 1..counts.len() {
        counts[i] += counts[i - 1];
    }
    let total = *counts.last().unwrap_or(&0) as usize;
    let mut rows = vec![0u32; total];
    let mut next = counts.clone();
    for &row in &selection.rows {
        let id = ids.rows[row as usize];
        if id != Interner::EMPTY {
            rows[next[id as usize] as usize] = row;
            next[id as usize] += 1;
        }
    }
    let mut requests: Vec<Request> = (0..ids.values.len())
        .filter(|&id| counts[id + 1] > counts[id])
        .map(|id| {
            let (start, end) = (counts[id], counts[id + 1]);
            let group = &rows[start as usize..end as usize];
            Request {
                id: id as Symbol,
                start,
                len: end - start,
                start_ms: events.time_ms[group[0] as usize],
                end_ms: events.time_ms[group[group.len() - 1] as usize],
                failures: group
                    .iter()
                    .filter(|&&r| events.outcome[r as usize] == Outcome::Failure)
                    .count() as u32,
            }
        })
        .collect();
    requests.sort_by_key(|r| (r.start_ms, rows[r.start as usize]));
    RequestIndex { requests, rows }
}

/// The JSON shape of `auditview requests --json`.
#[derive(Debug, Clone, Serialize)]
pub struct RequestJson {
    pub request: String,
    pub start: UtcMs,
    pub end: UtcMs,
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
    pub time: UtcMs,
    pub action: String,
    pub outcome: Outcome,
    pub node_path: String,
    /// Where the line was first read from (`path`, `line`).
    #[serde(flatten)]
    pub origin: Origin,
}

impl RequestJson {
    pub fn new(store: &Store, index: &RequestIndex, request: &Request) -> RequestJson {
        let events = &store.events;
        RequestJson {
            request: index.id(store, request).to_string(),
            start: UtcMs(request.start_ms),
            end: UtcMs(request.end_ms),
            duration_ms: request.duration_ms(),
            actor: index.first(store, request, TextField::Actor).to_string(),
            ip: index.first(store, request, TextField::Ip).to_string(),
            events: request.len(),
            failures: request.failures as u64,
            summary: index.summary(store, request),
            lines: index
                .rows(request)
                .iter()
                .map(|&r| {
                    let r = r as usize;
                    RequestLine {
                        time: UtcMs(events.time_ms[r]),
                        action: events.text(TextField::Action, r).to_string(),
                        outcome: events.outcome[r],
                        node_path: events.text(TextField::NodePath, r).to_string(),
                        origin: store.origin(r),
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_store::{TestEvent, store_from};

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
        let index = requests(&store, &Selection::all(&store));
        assert_eq!(index.len(), 2);
        let r1 = &index.requests[0];
        assert_eq!(index.id(&store, r1), "r1");
        assert_eq!(index.rows(r1), [0, 2, 3]);
        assert_eq!(r1.duration_ms(), 3 * 60_000);
        assert_eq!(index.first(&store, r1, TextField::Ip), "192.0.2.10");
        assert_eq!(
            index.summary(&store, r1),
            "Created node, Modified object ×2"
        );
        assert_eq!(index.id(&store, &index.requests[1]), "r2");
    }

    #[test]
    fn requests_are_shown_by_size_or_failures_and_ties_keep_their_start_order() {
        let line = |request, outcome| TestEvent {
            request,
            outcome,
            ..TestEvent::default()
        };
        let store = store_from(&[
            line("a", Outcome::Success),
            line("b", Outcome::Failure),
            line("b", Outcome::Success),
            line("c", Outcome::Success),
            line("d", Outcome::Failure),
        ]);
        let index = requests(&store, &Selection::all(&store));
        let ids = |shown: RequestShown| -> Vec<&str> {
            index
                .shown(&shown)
                .iter()
                .map(|&i| index.id(&store, &index.requests[i as usize]))
                .collect()
        };
        assert_eq!(ids(RequestShown::default()), ["a", "b", "c", "d"]);
        let by_events = RequestShown {
            order: RequestOrder::Events,
            descending: true,
            ..RequestShown::default()
        };
        assert_eq!(ids(by_events), ["b", "a", "c", "d"]);
        let latest_first = RequestShown {
            descending: true,
            ..RequestShown::default()
        };
        assert_eq!(ids(latest_first), ["d", "c", "b", "a"]);
        let failed = RequestShown {
            with_failures: true,
            order: RequestOrder::Failures,
            ..RequestShown::default()
        };
        assert_eq!(ids(failed), ["b", "d"]);
        let several = RequestShown {
            several_events: true,
            ..RequestShown::default()
        };
        assert_eq!(ids(several), ["b"]);
    }
}
