//! Evaluating a `Filter` on a `Store`. Text criteria are decided once per
//! distinct value of a column (a table of booleans by symbol), so the per-row
//! work is a table look-up; the time range is a binary search on the sorted
//! time column. Each criterion narrows the candidate rows left by the previous one.

use std::net::IpAddr;

use super::FilterError;
use super::filter::{Filter, parse_ip_block};
use super::pattern::PathPattern;
use crate::index::Case;
use crate::model::{ArenaColumn, EventTable, Store, TextColumn, TextField, is_user};

/// Row ids of the matched events, ascending (so in time order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub rows: Vec<u32>,
}

impl Selection {
    pub fn all(store: &Store) -> Selection {
        Selection {
            rows: (0..store.events.len() as u32).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// First and last matched instants (UTC ms).
    pub fn span(&self, store: &Store) -> Option<(i64, i64)> {
        let first = *self.rows.first()? as usize;
        let last = *self.rows.last()? as usize;
        Some((store.events.time_ms[first], store.events.time_ms[last]))
    }
}

/// One criterion as a per-row test.
pub(super) type Test<'s> = Box<dyn FnMut(usize) -> bool + 's>;

/// A test on one text field: decided once per distinct value where the field
/// is interned, per row otherwise.
pub(super) fn field_test<'s>(
    events: &'s EventTable,
    field: TextField,
    mut keep: impl FnMut(&str) -> bool + 's,
) -> Test<'s> {
    match events.column(field) {
        TextColumn::Interned(column) => {
            let allowed: Vec<bool> = column.values.values().map(keep).collect();
            let rows = &column.rows;
            Box::new(move |row| allowed[rows[row] as usize])
        }
        column @ TextColumn::Arena(_) => Box::new(move |row| keep(column.get(row))),
    }
}

fn enum_test<'s, T: Copy + Into<u8> + Sync>(values: &'s [T], chosen: &[T]) -> Test<'s> {
    let mut allowed = [false; 256];
    for value in chosen {
        allowed[usize::from((*value).into())] = true;
    }
    Box::new(move |row| allowed[usize::from(values[row].into())])
}

/// Case-insensitive substring search. ASCII needles are matched in place:
/// candidates are found with memchr on the first byte in both cases, then
/// compared ignoring ASCII case, so no lower-case copy is made per value.
struct TextSearch {
    needle: String,
    first: (u8, u8),
    ascii: bool,
}

impl TextSearch {
    fn new(needle: &str) -> TextSearch {
        let needle = needle.to_lowercase();
        let first = needle.as_bytes().first().copied().unwrap_or(0);
        TextSearch {
            first: (first, first.to_ascii_uppercase()),
            ascii: needle.is_ascii(),
            needle,
        }
    }

    /// The rows of an arena column whose text contains the needle, found
    /// in one pass over the column's buffer rather than row by row: the part
    /// of the needle without letters is searched as is (it is the same in
    /// any case), else its rarest letter in either case; each hit is then
    /// checked whole. ASCII needles only; `None` otherwise.
    #[cfg(test)]
    fn rows_in(&self, column: &ArenaColumn, rows: usize) -> Option<Vec<bool>> {
        let mut found = vec![false; rows];
        self.mark_rows_in(column, &mut found).then_some(found)
    }

    /// As `rows_in`, setting the flags of the rows found in `found`; false
    /// (and nothing set) when the needle does not allow the one pass.
    fn mark_rows_in(&self, column: &ArenaColumn, found: &mut [bool]) -> bool {
        let needle = self.needle.as_bytes();
        if !self.ascii || needle.is_empty() {
            return false;
        }
        // The longest run without letters: the same in any case.
        let (mut best, mut run_start) = ((0, 0), None);
        for (i, b) in needle.iter().enumerate().chain([(needle.len(), &b'a')]) {
            match (b.is_ascii_alphabetic(), run_start) {
                (false, None) => run_start = Some(i),
                (true, Some(start)) => {
                    if i - start > best.1 - best.0 {
                        best = (start, i);
                    }
                    run_start = None;
                }
                _ => {}
            }
        }
        let (anchor_start, anchor_end) = best;
        let text = column.buffer().as_bytes();
        let mut mark = |hit: usize, offset: usize| {
            let Some(at) = hit.checked_sub(offset) else {
                return;
            };
            let matches = text
                .get(at..at + needle.len())
                .is_some_and(|candidate| candidate.eq_ignore_ascii_case(needle));
            if let Some(row) = matches.then(|| column.row_at(at, needle.len())).flatten() {
                if let Some(slot) = found.get_mut(row as usize) {
                    *slot = true;
                }
            }
        };
        if anchor_end > anchor_start {
            let finder = memchr::memmem::Finder::new(&needle[anchor_start..anchor_end]);
            // Every position, overlapping ones too: a hit that fails the
            // check may hide a real match one byte later.
            let mut from = 0;
            while let Some(found_at) = text.get(from..).and_then(|rest| finder.find(rest)) {
                let hit = from + found_at;
                mark(hit, anchor_start);
                from = hit + 1;
            }
        } else {
            // Letters only: look for the rarest one, in either case.
            const BY_FREQUENCY: &[u8] = b"etaoinshrdlcumwfgypbvkjxqz";
            let rank = |b: u8| BY_FREQUENCY.iter().position(|&f| f == b).unwrap_or(0);
            let Some((offset, &letter)) = needle.iter().enumerate().max_by_key(|&(_, &b)| rank(b))
            else {
                return false;
            };
            for hit in memchr::memchr2_iter(letter, letter.to_ascii_uppercase(), text) {
                mark(hit, offset);
            }
        }
        true
    }

    fn contains(&self, haystack: &str) -> bool {
        let needle = self.needle.as_bytes();
        if needle.is_empty() {
            return true;
        }
        if !self.ascii {
            return haystack.to_lowercase().contains(&self.needle);
        }
        let hay = haystack.as_bytes();
        if hay.len() < needle.len() {
            return false;
        }
        let last_start = hay.len() - needle.len();
        memchr::memchr2_iter(self.first.0, self.first.1, &hay[..=last_start])
            .any(|at| hay[at..at + needle.len()].eq_ignore_ascii_case(needle))
    }
}

/// The text fields full-text search looks in.
pub const SEARCHED_FIELDS: [TextField; 12] = [
    TextField::Actor,
    TextField::Ip,
    TextField::UserAgent,
    TextField::Action,
    TextField::NodePath,
    TextField::Resource,
    TextField::ResourceName,
    TextField::ObjectId,
    TextField::ObjectName,
    TextField::RequestId,
    TextField::Message,
    TextField::Details,
];

fn tests<'s>(case: &'s Case, filter: &'s Filter) -> Result<Vec<Test<'s>>, FilterError> {
    let store = &case.store;
    let events = &store.events;
    let mut tests = Vec::new();
    if !filter.systems.is_empty() {
        tests.push(enum_test(&events.system, &filter.systems));
    }
    if !filter.outcomes.is_empty() {
        tests.push(enum_test(&events.outcome, &filter.outcomes));
    }
    if !filter.categories.is_empty() {
        tests.push(enum_test(&events.category, &filter.categories));
    }
    if !filter.kinds.is_empty() {
        tests.push(enum_test(&events.resource_kind, &filter.kinds));
    }
    if !filter.node_types.is_empty() {
        tests.push(enum_test(&events.node_type, &filter.node_types));
    }
    if !filter.users.is_empty() {
        tests.push(field_test(events, TextField::Actor, |actor| {
            filter.users.iter().any(|u| is_user(actor, u.trim()))
        }));
    }
    tests.extend(super::people::person_tests(case, filter)?);
    if !filter.actions.is_empty() {
        tests.push(field_test(events, TextField::Action, |action| {
            filter
                .actions
                .iter()
                .any(|a| action.eq_ignore_ascii_case(a.trim()))
        }));
    }
    if !filter.owners.is_empty() {
        tests.push(field_test(events, TextField::Owner, |owner| {
            !owner.is_empty() && filter.owners.iter().any(|o| is_user(owner, o.trim()))
        }));
    }
    if !filter.requests.is_empty() {
        tests.push(field_test(events, TextField::RequestId, |request| {
            !request.is_empty() && filter.requests.iter().any(|r| request == r.trim())
        }));
    }
    if !filter.resources.is_empty() {
        tests.push(field_test(events, TextField::Resource, |resource| {
            !resource.is_empty() && filter.resources.iter().any(|r| resource == r.trim())
        }));
    }
    if !filter.paths.is_empty() {
        let patterns = filter
            .paths
            .iter()
            .map(|p| PathPattern::parse(p))
            .collect::<Result<Vec<_>, _>>()?;
        tests.push(field_test(events, TextField::NodePath, move |path| {
            !path.is_empty() && patterns.iter().any(|p| p.matches(path))
        }));
    }
    if !filter.ips.is_empty() {
        let blocks = filter
            .ips
            .iter()
            .map(|ip| parse_ip_block(ip))
            .collect::<Result<Vec<_>, _>>()?;
        tests.push(field_test(events, TextField::Ip, move |ip| {
            ip.parse::<IpAddr>()
                .is_ok_and(|addr| blocks.iter().any(|b| b.contains(&addr)))
        }));
    }
    tests.extend(super::places::place_tests(case, filter)?);
    let visible_by: Vec<String> = filter
        .visible_by
        .iter()
        .filter(|n| !n.trim().is_empty())
        .cloned()
        .collect();
    if !visible_by.is_empty() {
        let index = case.index();
        let visible = index.visibility.visible_to(store, &index.tree, &visible_by);
        let paths: &[u32] = events
            .interned(TextField::NodePath)
            .map_or(&[], |c| &c.rows);
        let resources: &[u32] = events
            .interned(TextField::Resource)
            .map_or(&[], |c| &c.rows);
        tests.push(Box::new(move |row| {
            let on = |flags: &[bool], symbols: &[u32]| {
                symbols
                    .get(row)
                    .and_then(|&s| flags.get(s as usize))
                    .copied()
                    .unwrap_or(false)
            };
            on(&visible.by_path, paths) || on(&visible.by_resource, resources)
        }));
    }
    tests.extend(super::marks::mark_tests(case, filter));
    tests.extend(super::findings::finding_tests(case, filter)?);
    for text in filter.texts.iter().filter(|t| !t.is_empty()) {
        let search = TextSearch::new(text);
        let mut interned: Vec<(&[u32], Vec<bool>)> = Vec::new();
        let mut arenas: Vec<&TextColumn> = Vec::new();
        // Arena columns searched in one pass over their text, when the
        // needle allows: one flag per row for all of them.
        let mut scanned: Vec<bool> = Vec::new();
        for field in SEARCHED_FIELDS {
            match events.column(field) {
                TextColumn::Interned(column) => {
                    let allowed: Vec<bool> =
                        column.values.values().map(|v| search.contains(v)).collect();
                    // A column where no value matches needs no look at its rows.
                    if allowed.contains(&true) {
                        interned.push((&column.rows, allowed));
                    }
                }
                column @ TextColumn::Arena(arena) => {
                    if scanned.is_empty() {
                        scanned = vec![false; events.len()];
                    }
                    if !search.mark_rows_in(arena, &mut scanned) {
                        arenas.push(column);
                    }
                }
            }
        }
        tests.push(Box::new(move |row| {
            interned
                .iter()
                .any(|(rows, allowed)| allowed[rows[row] as usize])
                || scanned.get(row).copied().unwrap_or(false)
                || arenas.iter().any(|column| search.contains(column.get(row)))
        }));
    }
    Ok(tests)
}

/// The rows `filter` matches, in time order.
pub fn select(case: &Case, filter: &Filter) -> Result<Selection, FilterError> {
    filter.validate()?;
    let store = &case.store;
    let times = &store.events.time_ms;
    let start = filter
        .from
        .map_or(0, |from| times.partition_point(|&t| t < from));
    let end = filter
        .to
        .map_or(times.len(), |to| times.partition_point(|&t| t <= to));
    if start >= end {
        return Ok(Selection::default());
    }
    let tests = tests(case, filter)?;
    let mut rows: Option<Vec<u32>> = None;
    for mut test in tests {
        rows = Some(match rows {
            None => (start..end)
                .filter(|&r| test(r))
                .map(|r| r as u32)
                .collect(),
            Some(mut rows) => {
                rows.retain(|&r| test(r as usize));
                rows
            }
        });
    }
    let mut rows = rows.unwrap_or_else(|| (start as u32..end as u32).collect());
    if filter.skip_repeats {
        // Among the rows the other criteria kept: a copy whose original
        // they left out stays.
        let repeated = crate::index::repeats::repeats_among(store, &rows);
        let mut flags = repeated.into_iter();
        rows.retain(|_| !flags.next().unwrap_or(false));
    }
    Ok(Selection { rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pass_over_a_column_finds_what_row_by_row_finds() {
        use crate::model::{EventDraft, System};
        let messages = [
            "Retrieved DOC_0123.pdf",
            "",
            "doc_01",
            "23 doc_0123x",
            "nothing here",
            "x doc_012",
            "3",
        ];
        let mut table = EventTable::new();
        // Later rows first: sorting by time puts the texts out of row order.
        for (i, message) in messages.iter().enumerate() {
            let mut draft = EventDraft::new(System::Pydio, 1_000 - i as i64, i as u64 + 1);
            draft.set(TextField::Message, *message);
            table.push(&draft, 0);
        }
        table.sort_by_time();
        let TextColumn::Arena(column) = table.column(TextField::Message) else {
            panic!("messages are an arena column");
        };
        for needle in ["doc_0123", "_012", "0123X", "23", "retrieved", "x", "doc"] {
            let search = TextSearch::new(needle);
            let found = search
                .rows_in(column, table.len())
                .expect("a needle with digits");
            let expected: Vec<bool> = (0..table.len())
                .map(|row| search.contains(column.get(row)))
                .collect();
            assert_eq!(found, expected, "{needle}");
        }
        // "x doc_012" + "3" lie side by side in the buffer: no match across rows.
        let across = TextSearch::new("doc_0123");
        let rows = across.rows_in(column, table.len()).unwrap();
        assert_eq!(rows.iter().filter(|&&f| f).count(), 2);
        // Overlapping hits: a failed one must not hide the next.
        let mut table = EventTable::new();
        for (i, message) in ["12:00:00.000Z", "port 8", "88 open", "a_0_0_0b"]
            .iter()
            .enumerate()
        {
            let mut draft = EventDraft::new(System::Pydio, i as i64, i as u64 + 1);
            draft.set(TextField::Message, *message);
            table.push(&draft, 0);
        }
        let TextColumn::Arena(column) = table.column(TextField::Message) else {
            panic!("messages are an arena column");
        };
        for needle in ["00Z", "88", "_0_0b", "0_0b", "8 o"] {
            let search = TextSearch::new(needle);
            let found = search.rows_in(column, table.len()).unwrap();
            let expected: Vec<bool> = (0..table.len())
                .map(|row| search.contains(column.get(row)))
                .collect();
            assert_eq!(found, expected, "{needle}");
        }
        // Beyond ASCII: row by row.
        assert!(
            TextSearch::new("évidence")
                .rows_in(column, table.len())
                .is_none()
        );
    }

    /// Every short needle over every short text of a small alphabet: the
    /// one pass finds exactly what row by row finds.
    #[test]
    fn one_pass_agrees_with_row_by_row_on_every_small_case() {
        use crate::model::{EventDraft, System};
        let alphabet = ['0', 'a', 'Z', '_'];
        let words = |max: usize| {
            let mut all = vec![String::new()];
            let mut last = vec![String::new()];
            for _ in 0..max {
                last = last
                    .iter()
                    .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                    .collect();
                all.extend(last.clone());
            }
            all
        };
        let texts = words(4);
        let mut table = EventTable::new();
        for (i, text) in texts.iter().enumerate() {
            let mut draft = EventDraft::new(System::Pydio, i as i64, i as u64 + 1);
            draft.set(TextField::Message, text.as_str());
            table.push(&draft, 0);
        }
        let TextColumn::Arena(column) = table.column(TextField::Message) else {
            panic!("messages are an arena column");
        };
        for needle in words(3).iter().filter(|w| !w.is_empty()) {
            let search = TextSearch::new(needle);
            let found = search.rows_in(column, table.len()).unwrap();
            for (row, text) in texts.iter().enumerate() {
                assert_eq!(found[row], search.contains(text), "{needle} in {text}");
            }
        }
    }

    #[test]
    fn text_search_ignores_case_in_ascii_and_beyond() {
        let ascii = TextSearch::new("Doc_01");
        assert!(ascii.contains("x/DOC_012.pdf"));
        assert!(ascii.contains("doc_01"));
        assert!(!ascii.contains("doc_0"));
        assert!(!ascii.contains("d"));
        let accents = TextSearch::new("ÉVIDENCE");
        assert!(accents.contains("pydiods1/Évidence – photos"));
        assert!(!accents.contains("evidence"));
    }
}
