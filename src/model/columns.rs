//! auditview's own export format: its columns (names, order, how each cell
//! is written and read back) and the formula guard on its cells. A model
//! fact, not an export detail: the exporters write it and `sources` reads it
//! back. Column names are a public interface (scripts and the re-import
//! depend on them).

use std::borrow::Cow;

use super::{Store, TextField};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    TimeUtc,
    System,
    Log,
    Actor,
    Ip,
    UserAgent,
    Action,
    Category,
    Outcome,
    NodePath,
    NodeType,
    ResourceKind,
    Resource,
    Owner,
    ObjectId,
    ObjectName,
    RequestId,
    TokenLabel,
    TokenSuffix,
    Message,
    Details,
    SourceFile,
    SourceLine,
}

/// Every column in export order, with its header name.
pub const COLUMNS: [(Column, &str); 23] = [
    (Column::TimeUtc, "Time (UTC)"),
    (Column::System, "System"),
    (Column::Log, "Log"),
    (Column::Actor, "Actor"),
    (Column::Ip, "IP"),
    (Column::UserAgent, "User Agent"),
    (Column::Action, "Action"),
    (Column::Category, "Category"),
    (Column::Outcome, "Outcome"),
    (Column::NodePath, "Node Path"),
    (Column::NodeType, "Node Type"),
    (Column::ResourceKind, "Resource Kind"),
    (Column::Resource, "Resource"),
    (Column::Owner, "Owner"),
    (Column::ObjectId, "Object ID"),
    (Column::ObjectName, "Object Name"),
    (Column::RequestId, "Request ID"),
    (Column::TokenLabel, "Token Label"),
    (Column::TokenSuffix, "Token Suffix"),
    (Column::Message, "Message"),
    (Column::Details, "Details"),
    (Column::SourceFile, "Source File"),
    (Column::SourceLine, "Source Line"),
];

impl Column {
    /// The text field a column shows directly, if it is one.
    pub fn text_field(self) -> Option<TextField> {
        Some(match self {
            Column::Actor => TextField::Actor,
            Column::Ip => TextField::Ip,
            Column::UserAgent => TextField::UserAgent,
            Column::Action => TextField::Action,
            Column::NodePath => TextField::NodePath,
            Column::Owner => TextField::Owner,
            Column::ObjectId => TextField::ObjectId,
            Column::ObjectName => TextField::ObjectName,
            Column::RequestId => TextField::RequestId,
            Column::TokenLabel => TextField::TokenLabel,
            Column::TokenSuffix => TextField::TokenSuffix,
            Column::Message => TextField::Message,
            Column::Details => TextField::Details,
            _ => return None,
        })
    }

    /// The cell of `row` as text (times as RFC 3339 UTC).
    pub fn text<'s>(self, store: &'s Store, row: usize) -> Cow<'s, str> {
        let events = &store.events;
        if let Some(field) = self.text_field() {
            return Cow::Borrowed(events.text(field, row));
        }
        match self {
            Column::TimeUtc => Cow::Owned(crate::time::format_utc(events.time_ms[row])),
            Column::System => Cow::Borrowed(events.system[row].as_str()),
            Column::Log => Cow::Borrowed(events.log[row].as_str()),
            Column::Category => Cow::Borrowed(events.category[row].as_str()),
            Column::Outcome => Cow::Borrowed(events.outcome[row].as_str()),
            Column::NodeType => Cow::Borrowed(events.node_type[row].as_str()),
            Column::ResourceKind => Cow::Borrowed(events.resource_kind[row].as_str()),
            Column::Resource => resource_cell(
                events.text(TextField::ResourceName, row),
                events.text(TextField::Resource, row),
            ),
            Column::SourceFile => Cow::Borrowed(store.origin_path(row)),
            Column::SourceLine => Cow::Owned(store.origin_line(row).to_string()),
            _ => Cow::Borrowed(""),
        }
    }
}

/// `Name (id)`, or whichever of the two is known.
pub fn resource_cell<'a>(name: &'a str, id: &'a str) -> Cow<'a, str> {
    match (name.is_empty(), id.is_empty()) {
        (_, true) => Cow::Borrowed(name),
        (true, false) => Cow::Borrowed(id),
        _ if name == id => Cow::Borrowed(id),
        _ => Cow::Owned(format!("{name} ({id})")),
    }
}

/// The inverse of `resource_cell`: (name, id). An id has no spaces or parentheses.
pub fn split_resource_cell(cell: &str) -> (&str, &str) {
    if let Some(body) = cell.strip_suffix(')')
        && let Some(open) = body.rfind(" (")
    {
        let id = &body[open + 2..];
        if !id.is_empty() && !id.contains(|c: char| c.is_whitespace() || c == '(' || c == ')') {
            return (&body[..open], id);
        }
    }
    if cell.contains(char::is_whitespace) {
        (cell, "")
    } else {
        ("", cell)
    }
}

/// Characters that make a spreadsheet read a cell as a formula (OWASP CSV
/// injection), with their fullwidth forms, which some spreadsheets (East
/// Asian input) take for them.
const FORMULA_STARTS: [char; 10] = [
    '=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
];

/// Prefixes `'` to a cell a spreadsheet would run as a formula. A cell that
/// already starts with quotes before such a character gets one more, so
/// `unprotect` restores every value exactly.
pub fn protect(cell: &str) -> Cow<'_, str> {
    let after_quotes = cell.trim_start_matches('\'');
    if after_quotes.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

pub fn unprotect(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_protection_round_trips() {
        for value in [
            "=1+1",
            "+x",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "'=x",
            "''-x",
            "plain",
            "'quoted",
            "",
            "＝1+1",
            "＋x",
            "－2",
            "＠SUM(A1)",
            "'＝x",
        ] {
            let protected = protect(value);
            let after_quotes = protected.trim_start_matches('\'');
            if value.trim_start_matches('\'').starts_with(FORMULA_STARTS) {
                assert!(protected.starts_with('\''), "{value}");
            }
            assert!(
                !protected.starts_with(FORMULA_STARTS) || after_quotes.is_empty(),
                "{value}"
            );
            assert_eq!(unprotect(&protected), value);
        }
    }

    #[test]
    fn resource_cells_round_trip() {
        for (name, id) in [
            (
                "Müller, WGS cohort (phase 2)",
                "project-GbQ0x8j0yZ2Pq4F6vKX1b9Jz",
            ),
            ("", "f6e5d4c3-b2a1-4098-8f7e-6d5c4b3a2918"),
            ("Évidence – photos", "a1b2c3d4"),
            ("", ""),
        ] {
            let cell = resource_cell(name, id);
            assert_eq!(split_resource_cell(&cell), (name, id), "{cell}");
        }
    }
}
