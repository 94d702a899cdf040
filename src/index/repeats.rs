//! Events read twice: the same event exported by two sources (a Pydio
//! `audit.log` and its REST export, overlapping daily files). Records are
//! the same event when they have the same time, system, outcome, actor,
//! address, action, node, request and message. (Not the object: a Pydio
//! log line names a target user the export drops; the message names it.)
//!
//! Copies are counted, not paired: of an event that one source holds twice
//! and another once, two stay, whichever was loaded first. Identical lines
//! of one file are never repeats of each other: a log may record the same
//! action twice in a second.

use rustc_hash::FxHashMap;

use crate::model::{Store, TextField};

/// The fields that make two records the same event, by symbol.
const KEY_FIELDS: [TextField; 5] = [
    TextField::Actor,
    TextField::Ip,
    TextField::Action,
    TextField::NodePath,
    TextField::RequestId,
];

type Key<'s> = (u8, u8, [u32; 5], &'s str);

/// For each of `rows` (ascending, so in time order), whether it repeats an
/// event held by a source loaded before its own. Only rows of one run of
/// equal times are compared, each through a hash of its key.
pub fn repeats_among(store: &Store, rows: &[u32]) -> Vec<bool> {
    let events = &store.events;
    let columns: Vec<&[u32]> = KEY_FIELDS
        .iter()
        .filter_map(|&f| events.interned(f).map(|c| c.rows.as_slice()))
        .collect();
    let key = |row: usize| -> Key<'_> {
        let mut symbols = [0u32; 5];
        for (slot, column) in symbols.iter_mut().zip(&columns) {
            *slot = column[row];
        }
        (
            events.system[row] as u8,
            events.outcome[row] as u8,
            symbols,
            events.text(TextField::Message, row),
        )
    };
    let mut repeated = vec![false; rows.len()];
    // Per key: copies so far in each source of the run, in load order.
    let mut copies: FxHashMap<Key<'_>, Vec<(u32, u32)>> = FxHashMap::default();
    let mut start = 0;
    while start < rows.len() {
        let time = events.time_ms[rows[start] as usize];
        let mut end = start + 1;
        while rows
            .get(end)
            .is_some_and(|&r| events.time_ms[r as usize] == time)
        {
            end += 1;
        }
        if end - start > 1 {
            copies.clear();
            // Within a run, rows are in source order: all of one source's
            // copies are counted before the next source's.
            for (flag, &row) in repeated[start..end].iter_mut().zip(&rows[start..end]) {
                let row = row as usize;
                let source = events.source[row];
                let counts = copies.entry(key(row)).or_default();
                let most_before = counts
                    .iter()
                    .filter(|(s, _)| *s != source)
                    .map(|(_, n)| *n)
                    .max()
                    .unwrap_or(0);
                let ordinal = match counts.iter_mut().find(|(s, _)| *s == source) {
                    Some((_, n)) => {
                        *n += 1;
                        *n
                    }
                    None => {
                        counts.push((source, 1));
                        1
                    }
                };
                // The n-th copy of a source repeats when an earlier source
                // already held at least n.
                *flag = ordinal <= most_before;
            }
        }
        start = end;
    }
    repeated
}

/// `repeats_among` every row of the case.
pub fn repeated_rows(store: &Store) -> Vec<bool> {
    let all: Vec<u32> = (0..store.events.len() as u32).collect();
    repeats_among(store, &all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventDraft, EventTable, Format, SourceInfo, System};

    /// (source, time, actor, message) rows, in that order, from 3 sources.
    fn store(rows: &[(u32, i64, &str, &str)]) -> Store {
        let mut table = EventTable::new();
        for &(source, time, actor, message) in rows {
            let mut draft = EventDraft::new(System::Pydio, time, 1);
            draft.set(TextField::Actor, actor);
            draft.set(TextField::Message, message);
            table.push(&draft, source);
        }
        let mut store = Store::of_events("a.log", Format::PydioAuditJsonl, table);
        for name in ["b.json", "c.json"] {
            store.sources.push(SourceInfo {
                path: name.into(),
                ..store.sources[0].clone()
            });
        }
        store
    }

    #[test]
    fn the_same_event_from_two_sources_repeats_and_one_file_keeps_its_own() {
        let store = store(&[
            (0, 1000, "alice", "Retrieved a"),
            (0, 1000, "alice", "Retrieved a"), // the log saying it twice
            (1, 1000, "alice", "Retrieved a"), // the export of one of them
            (1, 1000, "alice", "Retrieved b"), // another message
            (1, 2000, "alice", "Retrieved a"), // another time
        ]);
        assert_eq!(repeated_rows(&store), [false, false, true, false, false]);
    }

    #[test]
    fn copies_are_counted_whichever_source_comes_first() {
        // Twice in one source, once in another: two events stay either way.
        let log_first = store(&[(0, 5, "a", "m"), (0, 5, "a", "m"), (1, 5, "a", "m")]);
        let export_first = store(&[(0, 5, "a", "m"), (1, 5, "a", "m"), (1, 5, "a", "m")]);
        for case in [log_first, export_first] {
            let kept = repeated_rows(&case).iter().filter(|&&r| !r).count();
            assert_eq!(kept, 2);
        }
        // Once in each of three sources: one stays.
        let three = store(&[(0, 5, "a", "m"), (1, 5, "a", "m"), (2, 5, "a", "m")]);
        assert_eq!(repeated_rows(&three), [false, true, true]);
    }

    #[test]
    fn among_some_rows_only_those_are_compared() {
        let store = store(&[(0, 5, "a", "m"), (1, 5, "a", "m")]);
        // The export's copy alone (another criterion left the log's out) stays.
        assert_eq!(repeats_among(&store, &[1]), [false]);
        assert_eq!(repeats_among(&store, &[0, 1]), [false, true]);
    }
}
