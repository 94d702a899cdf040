//! Display orders of a selection: sorted by any column, ties in time order.
//!
//! Interned columns are sorted per distinct value first (a rank per symbol),
//! then rows by rank: one table look-up per row, no string comparison.

use std::cmp::Ordering;

use rayon::prelude::*;

use crate::model::{InternedColumn, Store, TextField};

/// What a view is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Time,
    System,
    Log,
    Category,
    Outcome,
    Text(TextField),
    /// The resource's name where known, else its id: what the table shows.
    ResourceShown,
    /// Source file, then line.
    Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            key: SortKey::Time,
            descending: false,
        }
    }
}

/// `rows` (ascending row ids, which is time order) in the order of `sort`.
/// Equal keys keep time order, in both directions.
pub fn sorted_rows(store: &Store, rows: &[u32], sort: Sort) -> Vec<u32> {
    let events = &store.events;
    let mut out = rows.to_vec();
    match sort.key {
        SortKey::Time => {
            if sort.descending {
                out.reverse();
            }
            return out;
        }
        SortKey::System => sort_by_rank(&mut out, sort.descending, |r| {
            enum_rank(events.system.get(r).map(|v| v.to_string()))
        }),
        SortKey::Log => sort_by_rank(&mut out, sort.descending, |r| {
            enum_rank(events.log.get(r).map(|v| v.to_string()))
        }),
        SortKey::Category => sort_by_rank(&mut out, sort.descending, |r| {
            enum_rank(events.category.get(r).map(|v| v.to_string()))
        }),
        SortKey::Outcome => sort_by_rank(&mut out, sort.descending, |r| {
            enum_rank(events.outcome.get(r).map(|v| v.to_string()))
        }),
        SortKey::Text(field) => match events.interned(field) {
            Some(column) => {
                let ranks = symbol_ranks(&[column]);
                let ranks = &ranks[0];
                sort_by_rank(&mut out, sort.descending, |r| symbol_rank(column, ranks, r))
            }
            None => sort_by_text(&mut out, sort.descending, |r| events.text(field, r)),
        },
        SortKey::ResourceShown => {
            let (Some(names), Some(ids)) = (
                events.interned(TextField::ResourceName),
                events.interned(TextField::Resource),
            ) else {
                return out;
            };
            let ranks = symbol_ranks(&[names, ids]);
            sort_by_rank(&mut out, sort.descending, |r| {
                let name = names.rows.get(r).copied().unwrap_or(0);
                if names.values.resolve(name).is_empty() {
                    symbol_rank(ids, &ranks[1], r)
                } else {
                    symbol_rank(names, &ranks[0], r)
                }
            })
        }
        SortKey::Source => {
            let mut by_path: Vec<u32> = (0..store.sources.len() as u32).collect();
            by_path.sort_by(|a, b| text_cmp(store.source_path(*a), store.source_path(*b)));
            let mut file_rank = vec![0u64; by_path.len()];
            for (rank, source) in by_path.into_iter().enumerate() {
                file_rank[source as usize] = rank as u64;
            }
            sort_by_rank(&mut out, sort.descending, |r| {
                let source = events.source.get(r).copied().unwrap_or(0) as usize;
                let line = events.line.get(r).copied().unwrap_or(0);
                (file_rank.get(source).copied().unwrap_or(0) << 40) | line.min((1 << 40) - 1)
            })
        }
    }
    out
}

/// Case-insensitive first, so `alice` and `Alice` sit together; then exact,
/// so the order is total.
fn text_cmp(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|b| b.to_ascii_lowercase())
        .cmp(b.bytes().map(|b| b.to_ascii_lowercase()))
        .then_with(|| a.cmp(b))
}

/// For each column, the rank of each of its symbols among the distinct values
/// of all the columns together (equal texts get equal ranks).
fn symbol_ranks(columns: &[&InternedColumn]) -> Vec<Vec<u64>> {
    let mut all: Vec<(&str, usize, u32)> = columns
        .iter()
        .enumerate()
        .flat_map(|(c, column)| {
            column
                .values
                .values()
                .enumerate()
                .map(move |(symbol, text)| (text, c, symbol as u32))
        })
        .collect();
    all.par_sort_by(|a, b| text_cmp(a.0, b.0));
    let mut ranks: Vec<Vec<u64>> = columns.iter().map(|c| vec![0; c.values.len()]).collect();
    let mut rank = 0u64;
    let mut previous: Option<&str> = None;
    for (text, column, symbol) in all {
        if previous.is_some_and(|p| p != text) {
            rank += 1;
        }
        previous = Some(text);
        ranks[column][symbol as usize] = rank;
    }
    ranks
}

fn symbol_rank(column: &InternedColumn, ranks: &[u64], row: usize) -> u64 {
    let symbol = column.rows.get(row).copied().unwrap_or(0);
    ranks.get(symbol as usize).copied().unwrap_or(0)
}

/// Enum columns sort by their label, like every other column.
fn enum_rank(label: Option<String>) -> u64 {
    let mut key = [0u8; 8];
    for (slot, byte) in key.iter_mut().zip(label.unwrap_or_default().bytes()) {
        *slot = byte.to_ascii_lowercase();
    }
    u64::from_be_bytes(key)
}

fn sort_by_rank(rows: &mut [u32], descending: bool, rank: impl Fn(usize) -> u64 + Sync) {
    // Stable sorts: equal ranks keep the time order rows arrive in.
    if descending {
        rows.par_sort_by_key(|&r| std::cmp::Reverse(rank(r as usize)));
    } else {
        rows.par_sort_by_key(|&r| rank(r as usize));
    }
}

fn sort_by_text<'a>(rows: &mut [u32], descending: bool, text: impl Fn(usize) -> &'a str + Sync) {
    rows.par_sort_by(|&a, &b| {
        let order = text_cmp(text(a as usize), text(b as usize));
        if descending { order.reverse() } else { order }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventDraft, Outcome, System};

    fn store() -> Store {
        let mut store = Store::default();
        let rows = [
            ("bob", "b.txt", Outcome::Success, "", "res-2"),
            ("Alice", "c.txt", Outcome::Failure, "Zeta", "res-1"),
            ("carol", "a.txt", Outcome::Success, "", "res-0"),
            ("alice", "a.txt", Outcome::Unknown, "Alpha", "res-9"),
            ("bob", "B.txt", Outcome::Failure, "", "res-1"),
        ];
        for (line, (actor, path, outcome, name, id)) in rows.into_iter().enumerate() {
            let mut draft = EventDraft::new(System::Pydio, line as i64 * 1000, line as u64 + 1);
            draft.set(TextField::Actor, actor);
            draft.set(TextField::NodePath, path);
            draft.set(TextField::ResourceName, name);
            draft.set(TextField::Resource, id);
            draft.set(TextField::Message, path);
            draft.outcome = outcome;
            store.events.push(&draft, 0);
        }
        store
    }

    fn sort(key: SortKey, descending: bool) -> Sort {
        Sort { key, descending }
    }

    #[test]
    fn sorts_by_text_case_insensitively_with_ties_in_time_order() {
        let store = store();
        let all = [0, 1, 2, 3, 4];
        let actor = SortKey::Text(TextField::Actor);
        assert_eq!(
            sorted_rows(&store, &all, sort(actor, false)),
            [1, 3, 0, 4, 2]
        );
        assert_eq!(
            sorted_rows(&store, &all, sort(actor, true)),
            [2, 0, 4, 3, 1]
        );
        let path = SortKey::Text(TextField::NodePath);
        assert_eq!(
            sorted_rows(&store, &all, sort(path, false)),
            [2, 3, 4, 0, 1]
        );
        // Arena columns compare the texts themselves, with the same rule.
        let message = SortKey::Text(TextField::Message);
        assert_eq!(
            sorted_rows(&store, &all, sort(message, false)),
            [2, 3, 4, 0, 1]
        );
        assert_eq!(sorted_rows(&store, &[4, 0], sort(path, false)), [4, 0]);
    }

    #[test]
    fn sorts_by_time_enums_resources_and_source() {
        let store = store();
        let all = [0, 1, 2, 3, 4];
        assert_eq!(
            sorted_rows(&store, &all, sort(SortKey::Time, true)),
            [4, 3, 2, 1, 0]
        );
        assert_eq!(
            sorted_rows(&store, &all, sort(SortKey::Outcome, false)),
            [1, 4, 0, 2, 3]
        );
        // Shown: res-2, Zeta, res-0, Alpha, res-1.
        assert_eq!(
            sorted_rows(&store, &all, sort(SortKey::ResourceShown, false)),
            [3, 2, 4, 0, 1]
        );
        assert_eq!(
            sorted_rows(&store, &[3, 1, 0], sort(SortKey::Source, true)),
            [3, 1, 0]
        );
    }
}
