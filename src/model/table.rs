//! The columnar event table: one vector per field, text interned per column.
//! Importers fill a small table per chunk; the loader appends them into the
//! case's table, remapping symbols once per distinct value, then sorts by time.

use std::borrow::Cow;

use super::enums::{Category, LogKind, NodeType, Outcome, ResourceKind, System};
use super::interner::{Interner, Symbol};

/// The text fields of an event, in export order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(usize)]
pub enum TextField {
    Actor,
    Ip,
    UserAgent,
    Action,
    NodePath,
    Resource,
    ResourceName,
    Owner,
    ObjectId,
    ObjectName,
    RequestId,
    TokenLabel,
    TokenSuffix,
    Message,
    Details,
    /// For events re-read from an auditview export: the file and line the
    /// event was first read from. Empty otherwise.
    OriginFile,
    OriginLine,
    /// For events re-read from auditview's Parquet: the SHA-256 of the file
    /// the event was first read from. Empty otherwise.
    OriginSha256,
}

pub const TEXT_FIELDS: usize = 18;

impl TextField {
    pub const ALL: [TextField; TEXT_FIELDS] = [
        TextField::Actor,
        TextField::Ip,
        TextField::UserAgent,
        TextField::Action,
        TextField::NodePath,
        TextField::Resource,
        TextField::ResourceName,
        TextField::Owner,
        TextField::ObjectId,
        TextField::ObjectName,
        TextField::RequestId,
        TextField::TokenLabel,
        TextField::TokenSuffix,
        TextField::Message,
        TextField::Details,
        TextField::OriginFile,
        TextField::OriginLine,
        TextField::OriginSha256,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TextField::Actor => "actor",
            TextField::Ip => "ip",
            TextField::UserAgent => "user_agent",
            TextField::Action => "action",
            TextField::NodePath => "node_path",
            TextField::Resource => "resource",
            TextField::ResourceName => "resource_name",
            TextField::Owner => "owner",
            TextField::ObjectId => "object_id",
            TextField::ObjectName => "object_name",
            TextField::RequestId => "request_id",
            TextField::TokenLabel => "token_label",
            TextField::TokenSuffix => "token_suffix",
            TextField::Message => "message",
            TextField::Details => "details",
            TextField::OriginFile => "origin_file",
            TextField::OriginLine => "origin_line",
            TextField::OriginSha256 => "origin_sha256",
        }
    }
}

/// One text field of every row, its distinct values interned: filters and
/// searches decide once per distinct value, and a value repeated on many
/// rows (a DNAnexus `Info`, a user agent) is stored once.
#[derive(Debug, Clone, Default)]
pub struct InternedColumn {
    pub values: Interner,
    pub rows: Vec<Symbol>,
}

impl InternedColumn {
    pub fn get(&self, row: usize) -> &str {
        self.values
            .resolve(self.rows.get(row).copied().unwrap_or(0))
    }

    fn push(&mut self, value: &str) {
        // Neighbouring records often repeat a value: skip the hash then.
        let symbol = match self.rows.last() {
            _ if value.is_empty() => Interner::EMPTY,
            Some(&last) if self.values.resolve(last) == value => last,
            _ => self.values.intern(value),
        };
        self.rows.push(symbol);
    }

    /// Appends `other`'s rows, interning each of its distinct values once
    /// (with the hash it was interned by: no string is hashed again).
    fn append(&mut self, other: InternedColumn) {
        let remap: Vec<Symbol> = (0..other.values.len() as Symbol)
            .map(|s| {
                self.values
                    .intern_hashed(other.values.resolve(s), other.values.hash_of(s))
            })
            .collect();
        self.rows
            .extend(other.rows.iter().map(|&s| remap[s as usize]));
    }

    fn permute(&mut self, order: &[u32]) {
        gather(&mut self.rows, order);
    }

    pub fn heap_bytes(&self) -> usize {
        self.rows.capacity() * 4 + self.values.heap_bytes()
    }
}

/// Every text column is interned; the name says what a column is to its readers.
pub type TextColumn = InternedColumn;

fn gather<T: Copy + Send + Sync>(column: &mut Vec<T>, order: &[u32]) {
    use rayon::prelude::*;
    *column = order.par_iter().map(|&i| column[i as usize]).collect();
}

/// An event as an importer produces it, before interning.
#[derive(Debug, Clone)]
pub struct EventDraft<'a> {
    pub time_ms: i64,
    pub utc_offset_min: i16,
    pub system: System,
    pub category: Category,
    pub outcome: Outcome,
    pub node_type: NodeType,
    pub resource_kind: ResourceKind,
    pub log: LogKind,
    /// 1-based physical line where the record starts, relative to the chunk while importing.
    pub line: u64,
    pub text: [Cow<'a, str>; TEXT_FIELDS],
}

impl<'a> EventDraft<'a> {
    pub fn new(system: System, time_ms: i64, line: u64) -> Self {
        EventDraft {
            time_ms,
            utc_offset_min: 0,
            system,
            category: Category::Other,
            outcome: Outcome::Unknown,
            node_type: NodeType::Unknown,
            resource_kind: ResourceKind::None,
            log: LogKind::Audit,
            line,
            text: Default::default(),
        }
    }

    pub fn set(&mut self, field: TextField, value: impl Into<Cow<'a, str>>) {
        self.text[field as usize] = value.into();
    }

    pub fn get(&self, field: TextField) -> &str {
        &self.text[field as usize]
    }

    pub fn into_owned(self) -> EventDraft<'static> {
        EventDraft {
            time_ms: self.time_ms,
            utc_offset_min: self.utc_offset_min,
            system: self.system,
            category: self.category,
            outcome: self.outcome,
            node_type: self.node_type,
            resource_kind: self.resource_kind,
            log: self.log,
            line: self.line,
            text: self.text.map(|t| Cow::Owned(t.into_owned())),
        }
    }
}

/// Events as columns. Row `i` of every vector is event `i`.
#[derive(Debug, Clone)]
pub struct EventTable {
    pub time_ms: Vec<i64>,
    /// The offset the source wrote the time in, for display; 0 for UTC sources.
    pub utc_offset_min: Vec<i16>,
    pub system: Vec<System>,
    pub category: Vec<Category>,
    pub outcome: Vec<Outcome>,
    pub node_type: Vec<NodeType>,
    pub resource_kind: Vec<ResourceKind>,
    pub log: Vec<LogKind>,
    /// Index into `Store::sources`.
    pub source: Vec<u32>,
    pub line: Vec<u64>,
    pub text: [TextColumn; TEXT_FIELDS],
}

impl Default for EventTable {
    fn default() -> Self {
        EventTable::new()
    }
}

impl EventTable {
    pub fn new() -> EventTable {
        EventTable {
            time_ms: Vec::new(),
            utc_offset_min: Vec::new(),
            system: Vec::new(),
            category: Vec::new(),
            outcome: Vec::new(),
            node_type: Vec::new(),
            resource_kind: Vec::new(),
            log: Vec::new(),
            source: Vec::new(),
            line: Vec::new(),
            text: Default::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.time_ms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time_ms.is_empty()
    }

    pub fn column(&self, field: TextField) -> &TextColumn {
        &self.text[field as usize]
    }

    /// The interned column of `field` (every column is interned).
    pub fn interned(&self, field: TextField) -> Option<&InternedColumn> {
        Some(&self.text[field as usize])
    }

    pub fn interned_mut(&mut self, field: TextField) -> Option<&mut InternedColumn> {
        Some(&mut self.text[field as usize])
    }

    /// The text of `field` for `row`.
    pub fn text(&self, field: TextField, row: usize) -> &str {
        self.text[field as usize].get(row)
    }

    pub fn push(&mut self, draft: &EventDraft<'_>, source: u32) {
        self.time_ms.push(draft.time_ms);
        self.utc_offset_min.push(draft.utc_offset_min);
        self.system.push(draft.system);
        self.category.push(draft.category);
        self.outcome.push(draft.outcome);
        self.node_type.push(draft.node_type);
        self.resource_kind.push(draft.resource_kind);
        self.log.push(draft.log);
        self.source.push(source);
        self.line.push(draft.line);
        for (column, value) in self.text.iter_mut().zip(draft.text.iter()) {
            column.push(value);
        }
    }

    /// Appends `other`, shifting its line numbers by `line_base` and tagging rows with `source`.
    pub fn append(&mut self, other: EventTable, source: u32, line_base: u64) {
        let EventTable {
            time_ms,
            utc_offset_min,
            system,
            category,
            outcome,
            node_type,
            resource_kind,
            log,
            source: _,
            line,
            text,
        } = other;
        let rows = time_ms.len();
        self.time_ms.extend(time_ms);
        self.utc_offset_min.extend(utc_offset_min);
        self.system.extend(system);
        self.category.extend(category);
        self.outcome.extend(outcome);
        self.node_type.extend(node_type);
        self.resource_kind.extend(resource_kind);
        self.log.extend(log);
        self.source.extend(std::iter::repeat_n(source, rows));
        self.line.extend(line.into_iter().map(|l| l + line_base));
        for (into, from) in self.text.iter_mut().zip(text) {
            into.append(from);
        }
    }

    /// Reorders every column so that row `i` becomes old row `order[i]`.
    pub fn permute(&mut self, order: &[u32]) {
        rayon::scope(|s| {
            s.spawn(|_| gather(&mut self.time_ms, order));
            s.spawn(|_| gather(&mut self.utc_offset_min, order));
            s.spawn(|_| gather(&mut self.system, order));
            s.spawn(|_| gather(&mut self.category, order));
            s.spawn(|_| gather(&mut self.outcome, order));
            s.spawn(|_| gather(&mut self.node_type, order));
            s.spawn(|_| gather(&mut self.resource_kind, order));
            s.spawn(|_| gather(&mut self.log, order));
            s.spawn(|_| gather(&mut self.source, order));
            s.spawn(|_| gather(&mut self.line, order));
            for column in self.text.iter_mut() {
                s.spawn(|_| column.permute(order));
            }
        });
    }

    /// Sorts rows by time; ties keep source order (source index, then line).
    pub fn sort_by_time(&mut self) {
        use rayon::prelude::*;
        let rows = self.len() as u32;
        let already_sorted = (1..rows).all(|i| self.sort_key(i - 1) <= self.sort_key(i));
        if already_sorted {
            return;
        }
        let mut order: Vec<u32> = (0..rows).collect();
        order.par_sort_unstable_by_key(|&i| self.sort_key(i));
        self.permute(&order);
    }

    fn sort_key(&self, row: u32) -> (i64, u32, u64) {
        let row = row as usize;
        (self.time_ms[row], self.source[row], self.line[row])
    }

    /// Approximate heap bytes, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        let per_row = 8 + 2 + 5 + 4 + 8;
        self.len() * per_row
            + self
                .text
                .iter()
                .map(InternedColumn::heap_bytes)
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(time: i64, line: u64, actor: &'static str) -> EventDraft<'static> {
        let mut d = EventDraft::new(System::Pydio, time, line);
        d.set(TextField::Actor, actor);
        d
    }

    #[test]
    fn append_remaps_symbols_and_sort_keeps_source_order_on_ties() {
        let mut a = EventTable::new();
        a.push(&draft(20, 1, "bob"), 0);
        a.push(&draft(10, 2, "alice"), 0);
        let mut b = EventTable::new();
        b.push(&draft(10, 1, "carol"), 0);
        b.push(&draft(5, 2, "alice"), 0);

        let mut all = EventTable::default();
        all.append(a, 0, 0);
        all.append(b, 1, 100);
        all.sort_by_time();

        let actors: Vec<&str> = (0..all.len())
            .map(|r| all.text(TextField::Actor, r))
            .collect();
        assert_eq!(actors, ["alice", "alice", "carol", "bob"]);
        assert_eq!(all.line, [102, 2, 101, 1]);
        assert_eq!(all.source, [1, 0, 1, 0]);
        // "alice" is stored once.
        assert_eq!(all.interned(TextField::Actor).unwrap().values.len(), 4);
    }
}
