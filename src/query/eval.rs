//! Evaluating a `Filter` on a `Store`. Text criteria are decided once per
//! distinct value of a column (a table of booleans by symbol), so the per-row
//! work is a table look-up; the time range is a binary search on the sorted
//! time column. Each criterion narrows the candidate rows left by the previous one.

use std::net::IpAddr;

use super::FilterError;
use super::filter::{Filter, parse_ip_block};
use super::pattern::PathPattern;
use crate::index::Case;
use crate::model::{EventTable, Interner, Store, TextField, is_user};

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

/// One criterion as a per-row test (rows are tested on every core).
pub(super) type Test<'s> = Box<dyn Fn(usize) -> bool + Send + Sync + 's>;

/// A test on one text field, decided once per distinct value.
pub(super) fn field_test<'s>(
    events: &'s EventTable,
    field: TextField,
    keep: impl FnMut(&str) -> bool,
) -> Test<'s> {
    let column = events.column(field);
    let allowed: Vec<bool> = column.values.values().map(keep).collect();
    let rows = &column.rows;
    Box::new(move |row| allowed[rows[row] as usize])
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

    /// Which distinct values of `values` contain the needle, by symbol.
    fn values_in(&self, values: &Interner) -> Vec<bool> {
        let mut found = vec![false; values.len()];
        if !self.mark_values_in(values, &mut found) {
            for (flag, value) in found.iter_mut().zip(values.values()) {
                *flag = self.contains(value);
            }
        }
        found
    }

    /// Sets the flags of the values containing the needle, found in one
    /// pass over the interner's buffer rather than value by value: the part
    /// of the needle without letters is searched as is (it is the same in
    /// any case), else its rarest letter in either case; each hit is then
    /// checked whole. False (nothing set) for a needle beyond ASCII.
    fn mark_values_in(&self, values: &Interner, found: &mut [bool]) -> bool {
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
        let finder = memchr::memmem::Finder::new(&needle[anchor_start..anchor_end]);
        // Letters only: look for the rarest one, in either case.
        const BY_FREQUENCY: &[u8] = b"etaoinshrdlcumwfgypbvkjxqz";
        let rank = |b: u8| BY_FREQUENCY.iter().position(|&f| f == b).unwrap_or(0);
        let (letter_offset, letter) = needle
            .iter()
            .enumerate()
            .max_by_key(|&(_, &b)| rank(b))
            .map_or((0, b'a'), |(at, &b)| (at, b));
        let text = values.buffer().as_bytes();
        // The symbol of the whole needle found from the anchor's hit at `hit`.
        let symbol_from = |hit: usize, offset: usize| {
            let at = hit.checked_sub(offset)?;
            let matches = text
                .get(at..at + needle.len())
                .is_some_and(|candidate| candidate.eq_ignore_ascii_case(needle));
            matches
                .then(|| values.symbol_at(at, needle.len()))
                .flatten()
        };
        // The buffer in pieces, one per task on every core; a piece reads
        // past its end by the needle's length, so no hit is lost at a seam,
        // and keeps only hits that start inside it.
        const PIECE: usize = 1 << 20;
        use rayon::prelude::*;
        let symbols: Vec<Vec<u32>> = (0..text.len())
            .step_by(PIECE)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|from| {
                let piece = &text[from..(from + PIECE + needle.len()).min(text.len())];
                let inside = |&at: &usize| at < PIECE;
                let mut symbols = Vec::new();
                if anchor_end > anchor_start {
                    // Every position, overlapping ones too: a hit that fails
                    // the check may hide a real match one byte later.
                    let mut at = 0;
                    while let Some(found_at) = piece.get(at..).and_then(|rest| finder.find(rest)) {
                        let hit = at + found_at;
                        if !inside(&hit) {
                            break;
                        }
                        symbols.extend(symbol_from(from + hit, anchor_start));
                        at = hit + 1;
                    }
                } else {
                    let hits = memchr::memchr2_iter(letter, letter.to_ascii_uppercase(), piece);
                    for hit in hits.take_while(inside) {
                        symbols.extend(symbol_from(from + hit, letter_offset));
                    }
                }
                symbols
            })
            .collect();
        for symbol in symbols.into_iter().flatten() {
            if let Some(slot) = found.get_mut(symbol as usize) {
                *slot = true;
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
    if !filter.logs.is_empty() {
        tests.push(enum_test(&events.log, &filter.logs));
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
        // Each column's distinct values searched in one pass over its text;
        // a column where no value matches needs no look at its rows.
        let columns: Vec<(&[u32], Vec<bool>)> = SEARCHED_FIELDS
            .iter()
            .map(|&field| events.column(field))
            .map(|column| (column.rows.as_slice(), search.values_in(&column.values)))
            .filter(|(_, allowed)| allowed.contains(&true))
            .collect();
        tests.push(Box::new(move |row| {
            columns
                .iter()
                .any(|(rows, allowed)| allowed[rows[row] as usize])
        }));
    }
    Ok(tests)
}

/// The rows of `range` that pass every test, in order, tested on every core
/// in blocks (each block's rows stay in order; blocks are joined in order).
fn rows_passing(range: std::ops::Range<usize>, tests: &[Test<'_>]) -> Vec<u32> {
    use rayon::prelude::*;
    const BLOCK: usize = 1 << 16;
    let blocks: Vec<Vec<u32>> = (range.start..range.end)
        .step_by(BLOCK)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|from| {
            (from..(from + BLOCK).min(range.end))
                .filter(|&row| tests.iter().all(|test| test(row)))
                .map(|row| row as u32)
                .collect()
        })
        .collect();
    blocks.concat()
}

/// The rows `filter` matches, in time order.
pub fn select(case: &Case, filter: &Filter) -> Result<Selection, FilterError> {
    filter.validate()?;
    let store = &case.store;
    let times = &store.events.time_ms;
    let start = filter
        .from
        .map_or(0, |from| times.partition_point(|&t| t < from.0));
    let end = filter
        .to
        .map_or(times.len(), |to| times.partition_point(|&t| t <= to.0));
    if start >= end {
        return Ok(Selection::default());
    }
    let tests = tests(case, filter)?;
    let mut rows = if tests.is_empty() {
        (start as u32..end as u32).collect()
    } else {
        rows_passing(start..end, &tests)
    };
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

    /// An interner holding `texts` in this order.
    fn interner_of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Interner {
        let mut values = Interner::default();
        for text in texts {
            values.intern(text);
        }
        values
    }

    /// What the one pass over the buffer finds, against a look at each value.
    fn one_pass_and_value_by_value(needle: &str, values: &Interner) -> (Vec<bool>, Vec<bool>) {
        let search = TextSearch::new(needle);
        let mut found = vec![false; values.len()];
        assert!(search.mark_values_in(values, &mut found), "{needle}");
        let expected = values.values().map(|v| search.contains(v)).collect();
        (found, expected)
    }

    #[test]
    fn one_pass_over_a_column_finds_what_value_by_value_finds() {
        let values = interner_of([
            "Retrieved DOC_0123.pdf",
            "doc_01",
            "23 doc_0123x",
            "nothing here",
            "x doc_012",
            "3",
        ]);
        for needle in ["doc_0123", "_012", "0123X", "23", "retrieved", "x", "doc"] {
            let (found, expected) = one_pass_and_value_by_value(needle, &values);
            assert_eq!(found, expected, "{needle}");
        }
        // "x doc_012" + "3" lie side by side in the buffer: no match across values.
        let (across, _) = one_pass_and_value_by_value("doc_0123", &values);
        assert_eq!(across.iter().filter(|&&f| f).count(), 2);
        // Overlapping hits: a failed one must not hide the next.
        let values = interner_of(["12:00:00.000Z", "port 8", "88 open", "a_0_0_0b"]);
        for needle in ["00Z", "88", "_0_0b", "0_0b", "8 o"] {
            let (found, expected) = one_pass_and_value_by_value(needle, &values);
            assert_eq!(found, expected, "{needle}");
        }
        // Beyond ASCII: value by value.
        let search = TextSearch::new("évidence");
        assert!(!search.mark_values_in(&values, &mut vec![false; values.len()]));
        let accented = interner_of(["Pièces/ÉVIDENCE.pdf", "evidence"]);
        assert_eq!(search.values_in(&accented), [false, true, false]);
    }

    #[test]
    fn a_match_across_the_seam_of_two_pieces_is_found_once() {
        // The needle's anchor starts before the 1 MB seam and ends after it.
        for before in [1, 4, 7, 9] {
            let long = format!("{}DOC_0123 tail", "x".repeat((1 << 20) - before));
            let values = interner_of([long.as_str(), "doc_0123", "none"]);
            for needle in ["doc_0123", "ocxd", "tail"] {
                let (found, expected) = one_pass_and_value_by_value(needle, &values);
                assert_eq!(found, expected, "{needle} {before}");
            }
        }
    }

    /// Every short needle over every short text of a small alphabet: the
    /// one pass finds exactly what a look at each value finds.
    #[test]
    fn one_pass_agrees_with_value_by_value_on_every_small_case() {
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
        let values = interner_of(words(4).iter().map(String::as_str));
        for needle in words(3).iter().filter(|w| !w.is_empty()) {
            let (found, expected) = one_pass_and_value_by_value(needle, &values);
            assert_eq!(found, expected, "{needle}");
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
