//! How many of a set of rows carry each distinct value of a column: the
//! counts shown beside the values of a filter list.

use crate::model::{EventTable, TextField};

/// Distinct values of an interned text field among `rows`, with their counts,
/// most frequent first (ties by value). Empty values are left out.
pub fn text_counts(events: &EventTable, field: TextField, rows: &[u32]) -> Vec<(String, u64)> {
    let Some(column) = events.interned(field) else {
        return Vec::new();
    };
    let mut counts = vec![0u64; column.values.len()];
    for &row in rows {
        if let Some(&symbol) = column.rows.get(row as usize)
            && let Some(count) = counts.get_mut(symbol as usize)
        {
            *count += 1;
        }
    }
    let mut out: Vec<(String, u64)> = column
        .values
        .values()
        .zip(counts)
        .filter(|(value, count)| *count > 0 && !value.is_empty())
        .map(|(value, count)| (value.to_string(), count))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Counts of a one-byte enum column among `rows`, indexed by the enum's `u8` value.
pub fn enum_counts<T: Copy + Into<u8>>(values: &[T], rows: &[u32]) -> [u64; 256] {
    let mut counts = [0u64; 256];
    for &row in rows {
        if let Some(&value) = values.get(row as usize) {
            counts[usize::from(value.into())] += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventDraft, Outcome, System};

    #[test]
    fn counts_values_of_the_given_rows_only() {
        let mut events = EventTable::new();
        for (line, actor) in ["bob", "alice", "bob", "", "carol"].iter().enumerate() {
            let mut draft = EventDraft::new(System::Pydio, 0, line as u64 + 1);
            draft.set(TextField::Actor, *actor);
            events.push(&draft, 0);
        }
        let counts = text_counts(&events, TextField::Actor, &[0, 1, 2, 3]);
        assert_eq!(
            counts,
            vec![("bob".to_string(), 2), ("alice".to_string(), 1)]
        );
        assert!(text_counts(&events, TextField::Message, &[0]).is_empty());

        let outcomes = [Outcome::Success, Outcome::Failure, Outcome::Failure];
        let counts = enum_counts(&outcomes, &[1, 2, 7]);
        assert_eq!(counts[usize::from(u8::from(Outcome::Failure))], 2);
        assert_eq!(counts[usize::from(u8::from(Outcome::Success))], 0);
    }
}
