//! The header row of a CSV export: its names as written, and made
//! comparable the way exports vary them, for lookup by name.

use csv::ByteRecord;

use super::csv_rows::{Row, decode};

/// A header row: names normalized (`normalized_name`) for lookup by name.
pub struct Header {
    names: Vec<String>,
    normalized: Vec<String>,
}

impl Header {
    pub fn new(record: &ByteRecord) -> Header {
        let names: Vec<String> = record
            .iter()
            .map(|f| decode(f).trim().to_string())
            .collect();
        let normalized = names.iter().map(|n| normalized_name(n)).collect();
        Header { names, normalized }
    }

    pub fn from_names(names: &[String]) -> Header {
        let names: Vec<String> = names.iter().map(|n| n.trim().to_string()).collect();
        let normalized = names.iter().map(|n| normalized_name(n)).collect();
        Header { names, normalized }
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Index of the column named `name` (case-insensitive).
    pub fn index(&self, name: &str) -> Option<usize> {
        self.normalized.iter().position(|n| n == name)
    }

    pub fn has(&self, name: &str) -> bool {
        self.index(name).is_some()
    }

    /// Index of a column that must be present, or an error naming it.
    pub fn require(&self, name: &str, format: &str) -> Result<usize, String> {
        self.index(name)
            .ok_or_else(|| format!("{format} without a '{name}' column"))
    }

    /// Whether `row` repeats this header (files concatenated with `cat`, so
    /// the repeated header may start with the second file's BOM).
    pub fn is_repeated_in(&self, row: &Row<'_>) -> bool {
        row.len() == self.names.len()
            && self
                .normalized
                .iter()
                .enumerate()
                .all(|(i, name)| normalized_name(&row.field(i)) == *name)
    }
}

/// A column name as exports vary it, made comparable: a byte order mark,
/// spaces around it and a trailing colon taken off, runs of whitespace as
/// one space, lower case (`" Acting  User ID: "` is `acting user id`).
fn normalized_name(name: &str) -> String {
    let name = name.trim_start_matches('\u{feff}').trim();
    let name = name.strip_suffix(':').unwrap_or(name);
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_match_however_an_export_spells_them() {
        for spelling in [
            "Acting User ID",
            "acting user id",
            " ACTING USER ID ",
            "Acting User ID:",
            "\u{feff}Acting  User\tID",
        ] {
            assert_eq!(normalized_name(spelling), "acting user id", "{spelling:?}");
        }
        let record = ByteRecord::from(vec!["Timestamp:", " Acting User ID "]);
        let header = Header::new(&record);
        assert_eq!(header.index("timestamp:"), None);
        assert_eq!(header.index("timestamp"), Some(0));
        assert_eq!(header.index("acting user id"), Some(1));
    }
}
