//! What an investigator marks on events: a star, tags and a note. An event
//! is named by the file it was read from (its SHA-256), its line, and a
//! fingerprint of its fields, never by path or row number, so a mark
//! survives the evidence folder moving and finds no other event if a file
//! changed. `RowAnnotations` is the same marks resolved to a store's rows.

use rustc_hash::{FxHashMap, FxHashSet};
use sha2::{Digest, Sha256};

use super::{Store, TextField};

/// Which event a mark is on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventKey {
    /// The SHA-256 of the file the event was read from.
    pub sha256: String,
    /// Its line in that file.
    pub line: u64,
    /// A digest of its time, system, outcome, actor, IP, action, node and
    /// message (`fingerprint`).
    pub fingerprint: String,
}

/// The marks on one event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Annotation {
    pub starred: bool,
    /// Sorted, without duplicates.
    pub tags: Vec<String>,
    pub note: String,
}

impl Annotation {
    pub fn is_empty(&self) -> bool {
        !self.starred && self.tags.is_empty() && self.note.is_empty()
    }

    /// The marks after `mark`.
    pub fn apply(&mut self, mark: &Mark) {
        match mark {
            Mark::Star(on) => self.starred = *on,
            Mark::Tag { tag, add: true } => {
                if let Err(at) = self.tags.binary_search(tag) {
                    self.tags.insert(at, tag.clone());
                }
            }
            Mark::Tag { tag, add: false } => self.tags.retain(|t| t != tag),
            Mark::Note(text) => self.note.clone_from(text),
        }
    }
}

/// A change to the marks of events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    Star(bool),
    Tag {
        tag: String,
        add: bool,
    },
    /// Replaces the note (empty: removes it).
    Note(String),
}

/// A tag's colour, as a hue (0-359): the same for a name everywhere (the
/// window, the report), with no setting to keep.
pub fn tag_hue(tag: &str) -> u16 {
    // FNV-1a: stable across runs and versions, unlike the std hasher.
    let hash = tag.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    (hash % 360) as u16
}

/// The first 16 bytes (hex) of the SHA-256 of the event's normalized fields.
pub fn fingerprint(store: &Store, row: usize) -> String {
    let events = &store.events;
    let mut hash = Sha256::new();
    hash.update(events.time_ms[row].to_le_bytes());
    hash.update([u8::from(events.system[row]), u8::from(events.outcome[row])]);
    for field in [
        TextField::Actor,
        TextField::Ip,
        TextField::Action,
        TextField::NodePath,
        TextField::Message,
    ] {
        let text = events.text(field, row);
        hash.update((text.len() as u64).to_le_bytes());
        hash.update(text.as_bytes());
    }
    hash.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The key of the event at `row`.
pub fn event_key(store: &Store, row: usize) -> EventKey {
    let source = store.events.source[row] as usize;
    EventKey {
        sha256: store
            .sources
            .get(source)
            .map_or(String::new(), |s| s.sha256.clone()),
        line: store.events.line[row],
        fingerprint: fingerprint(store, row),
    }
}

/// Marks resolved to the rows of one store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowAnnotations {
    by_row: FxHashMap<u32, Annotation>,
    /// Marks whose event is in no loaded file (changed or missing evidence).
    pub unresolved: Vec<EventKey>,
}

impl RowAnnotations {
    /// Finds the rows `marks` are on: same file (by hash), same line, same
    /// fingerprint. One pass over the rows, only when there are marks.
    pub fn resolve(store: &Store, marks: &[(EventKey, Annotation)]) -> RowAnnotations {
        let mut resolved = RowAnnotations::default();
        if marks.is_empty() {
            return resolved;
        }
        let by_hash: FxHashMap<&str, u32> = store
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.sha256.as_str(), i as u32))
            .collect();
        let mut wanted: FxHashMap<(u32, u64), Vec<usize>> = FxHashMap::default();
        for (index, (key, _)) in marks.iter().enumerate() {
            match by_hash.get(key.sha256.as_str()) {
                Some(&source) => wanted.entry((source, key.line)).or_default().push(index),
                None => resolved.unresolved.push(key.clone()),
            }
        }
        let mut found: FxHashSet<usize> = FxHashSet::default();
        let events = &store.events;
        for row in 0..events.len() {
            let Some(candidates) = wanted.get(&(events.source[row], events.line[row])) else {
                continue;
            };
            let print = fingerprint(store, row);
            for &index in candidates {
                let (key, annotation) = &marks[index];
                if key.fingerprint == print && !annotation.is_empty() {
                    resolved.by_row.insert(row as u32, annotation.clone());
                    found.insert(index);
                }
            }
        }
        for candidates in wanted.values() {
            for &index in candidates {
                if !found.contains(&index) {
                    resolved.unresolved.push(marks[index].0.clone());
                }
            }
        }
        resolved.unresolved.sort();
        resolved
    }

    /// These marks with `mark` applied to `row` (the window's change to
    /// one event, without resolving every mark again).
    pub fn with_mark(&self, row: usize, mark: &Mark) -> RowAnnotations {
        self.with_marks(&[row as u32], mark)
    }

    /// These marks with `mark` applied to each of `rows`.
    pub fn with_marks(&self, rows: &[u32], mark: &Mark) -> RowAnnotations {
        let mut next = self.clone();
        for &row in rows {
            let annotation = next.by_row.entry(row).or_default();
            annotation.apply(mark);
            if annotation.is_empty() {
                next.by_row.remove(&row);
            }
        }
        next
    }

    /// Every tag in use, with how many events carry it, by name.
    pub fn tag_counts(&self) -> Vec<(String, usize)> {
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for annotation in self.by_row.values() {
            for tag in &annotation.tags {
                *counts.entry(tag).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .map(|(t, n)| (t.to_string(), n))
            .collect()
    }

    pub fn get(&self, row: usize) -> Option<&Annotation> {
        self.by_row.get(&(row as u32))
    }

    pub fn starred(&self, row: usize) -> bool {
        self.get(row).is_some_and(|a| a.starred)
    }

    pub fn is_empty(&self) -> bool {
        self.by_row.is_empty()
    }

    /// Rows with a mark, in row order.
    pub fn rows(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self.by_row.keys().copied().collect();
        rows.sort_unstable();
        rows
    }

    /// How many events are starred, tagged and noted.
    pub fn counts(&self) -> (usize, usize, usize) {
        let values = || self.by_row.values();
        (
            values().filter(|a| a.starred).count(),
            values().filter(|a| !a.tags.is_empty()).count(),
            values().filter(|a| !a.note.is_empty()).count(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_store::{TestEvent, store_from};

    #[test]
    fn marks_find_their_rows_by_hash_line_and_fingerprint_only() {
        let mut store = store_from(&[
            TestEvent {
                actor: "alice",
                ..TestEvent::default()
            },
            TestEvent {
                actor: "bob",
                ..TestEvent::default()
            },
        ]);
        store.sources[0].sha256 = "aa".repeat(32);
        let alice = event_key(&store, 0);
        let bob = event_key(&store, 1);
        assert_ne!(alice.fingerprint, bob.fingerprint);
        let star = Annotation {
            starred: true,
            ..Annotation::default()
        };
        // Bob's line with Alice's fingerprint: the file changed there.
        let moved = EventKey {
            line: bob.line,
            ..alice.clone()
        };
        let other_file = EventKey {
            sha256: "bb".repeat(32),
            ..alice.clone()
        };
        let marks = [
            (alice, star.clone()),
            (moved.clone(), star.clone()),
            (other_file.clone(), star),
        ];
        let resolved = RowAnnotations::resolve(&store, &marks);
        assert_eq!(resolved.rows(), [0]);
        assert!(resolved.starred(0) && !resolved.starred(1));
        let mut unresolved = vec![moved, other_file];
        unresolved.sort();
        assert_eq!(resolved.unresolved, unresolved);
        assert_eq!(resolved.counts(), (1, 0, 0));
    }
}
