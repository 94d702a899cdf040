//! Events read twice: the same event exported by two sources (a Pydio
//! `audit.log` and its REST export, overlapping daily files). An event
//! repeats an earlier one when another source holds one with the same time,
//! system, outcome, actor, address, action, node, object, request and
//! message. Identical lines of one file stay separate events: a log may
//! record the same action twice in a second.

use rustc_hash::FxHashMap;

use crate::model::{Store, TextField};

/// The fields that make two records the same event, by symbol.
const KEY_FIELDS: [TextField; 6] = [
    TextField::Actor,
    TextField::Ip,
    TextField::Action,
    TextField::NodePath,
    TextField::ObjectId,
    TextField::RequestId,
];

/// For each row, whether it repeats an earlier row read from another source.
/// Rows are in time order, so the same event lies within one run of equal
/// times: only those are compared.
pub fn repeated_rows(store: &Store) -> Vec<bool> {
    let events = &store.events;
    let columns: Vec<&[u32]> = KEY_FIELDS
        .iter()
        .filter_map(|&f| events.interned(f).map(|c| c.rows.as_slice()))
        .collect();
    let key = |row: usize| -> (u8, u8, [u32; 6]) {
        let mut symbols = [0u32; 6];
        for (slot, column) in symbols.iter_mut().zip(&columns) {
            *slot = column[row];
        }
        (events.system[row] as u8, events.outcome[row] as u8, symbols)
    };
    let same = |a: usize, b: usize| {
        key(a) == key(b) && events.text(TextField::Message, a) == events.text(TextField::Message, b)
    };
    let mut repeated = vec![false; events.len()];
    let mut first_of: FxHashMap<(u8, u8, [u32; 6]), Vec<usize>> = FxHashMap::default();
    let mut start = 0;
    while start < events.len() {
        let time = events.time_ms[start];
        let mut end = start + 1;
        while events.time_ms.get(end) == Some(&time) {
            end += 1;
        }
        if end - start > 1 {
            first_of.clear();
            for (row, flag) in repeated.iter_mut().enumerate().take(end).skip(start) {
                let earlier = first_of.entry(key(row)).or_default();
                // Repeats an earlier row of another source with the same message.
                *flag = earlier
                    .iter()
                    .any(|&e| events.source[e] != events.source[row] && same(e, row));
                if !*flag {
                    earlier.push(row);
                }
            }
        }
        start = end;
    }
    repeated
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventDraft, EventTable, Format, SourceInfo, System};

    #[test]
    fn the_same_event_from_two_sources_repeats_once_and_one_file_keeps_its_own() {
        let mut table = EventTable::new();
        let mut add = |source: u32, time: i64, actor: &str, message: &str| {
            let mut draft = EventDraft::new(System::Pydio, time, 1);
            draft.set(TextField::Actor, actor);
            draft.set(TextField::Message, message);
            table.push(&draft, source);
        };
        add(0, 1000, "alice", "Retrieved a");
        add(1, 1000, "alice", "Retrieved a"); // the export of the same line
        add(0, 1000, "alice", "Retrieved a"); // the log saying it twice
        add(1, 1000, "alice", "Retrieved b"); // another message
        add(1, 2000, "alice", "Retrieved a"); // another time
        let mut store = Store::of_events("log", Format::PydioAuditJsonl, table);
        store.sources.push(SourceInfo {
            path: "export.json".into(),
            ..store.sources[0].clone()
        });
        assert_eq!(repeated_rows(&store), [false, true, false, false, false]);
    }
}
