//! auditview's own CSV export, read back so an exported subset can be
//! reopened and filtered again. Every field is restored, and each event keeps
//! the file and line it was first read from.

use super::Parsed;
use super::csv_rows::{Header, Row, parse_rows};
use super::input::Splitter;
use super::timestamp::parse_timestamp;
use crate::model::columns::{COLUMNS, Column, split_resource_cell, unprotect};
use crate::model::{
    Category, EventDraft, LogKind, NodeType, Outcome, ResourceKind, System, TextField,
};

pub struct Importer {
    header: Header,
    /// Field index of each export column, in `COLUMNS` order; `None` for a
    /// column exports before it did not have (`Log`: those are audit).
    index: Vec<Option<usize>>,
}

impl Importer {
    pub fn new(header: &Header) -> Result<Importer, String> {
        let index = COLUMNS
            .iter()
            .map(|(column, name)| match column {
                Column::Log => Ok(header.index("log")),
                _ => header
                    .require(&name.to_lowercase(), "an auditview export")
                    .map(Some),
            })
            .collect::<Result<_, _>>()?;
        Ok(Importer {
            header: Header::from_names(header.names()),
            index,
        })
    }

    fn cell(&self, row: &Row<'_>, column: Column) -> String {
        let position = COLUMNS.iter().position(|(c, _)| *c == column).unwrap_or(0);
        match self.index[position] {
            Some(index) => unprotect(&row.field(index)).to_string(),
            None => String::new(),
        }
    }

    fn event(&self, row: &Row<'_>) -> Result<EventDraft<'static>, String> {
        let time = parse_timestamp(&self.cell(row, Column::TimeUtc))?;
        let enum_cell = |column: Column, name: &str| {
            let text = self.cell(row, column);
            (text, name.to_string())
        };
        let parse_err = |(text, name): (String, String), choices: String| {
            format!("'{name}' value '{text}' is not one of {choices}")
        };
        let system = enum_cell(Column::System, "System");
        let system =
            System::parse(&system.0).ok_or_else(|| parse_err(system, System::choices()))?;
        let mut event = EventDraft::new(system, time.utc_ms, row.line);
        let category = enum_cell(Column::Category, "Category");
        event.category =
            Category::parse(&category.0).ok_or_else(|| parse_err(category, Category::choices()))?;
        let outcome = enum_cell(Column::Outcome, "Outcome");
        event.outcome =
            Outcome::parse(&outcome.0).ok_or_else(|| parse_err(outcome, Outcome::choices()))?;
        let node_type = enum_cell(Column::NodeType, "Node Type");
        event.node_type = NodeType::parse(&node_type.0)
            .ok_or_else(|| parse_err(node_type, NodeType::choices()))?;
        let kind = enum_cell(Column::ResourceKind, "Resource Kind");
        event.resource_kind =
            ResourceKind::parse(&kind.0).ok_or_else(|| parse_err(kind, ResourceKind::choices()))?;
        let log = enum_cell(Column::Log, "Log");
        if !log.0.is_empty() {
            event.log = LogKind::parse(&log.0).ok_or_else(|| parse_err(log, LogKind::choices()))?;
        }

        for (column, _) in COLUMNS {
            if let Some(field) = column.text_field() {
                event.set(field, self.cell(row, column));
            }
        }
        let resource = self.cell(row, Column::Resource);
        let (name, id) = split_resource_cell(&resource);
        event.set(TextField::ResourceName, name.to_string());
        event.set(TextField::Resource, id.to_string());
        let origin_line = self.cell(row, Column::SourceLine);
        if !origin_line.is_empty() && origin_line.parse::<u64>().is_err() {
            return Err(format!(
                "'Source Line' value '{origin_line}' is not a line number"
            ));
        }
        event.set(TextField::OriginFile, self.cell(row, Column::SourceFile));
        event.set(TextField::OriginLine, origin_line);
        Ok(event)
    }
}

impl super::Importer for Importer {
    fn splitter(&self) -> Splitter {
        Splitter::Csv
    }

    fn parse(&self, chunk: &[u8], first: bool, out: &mut Parsed) {
        let is_header = |row: &Row<'_>| self.header.is_repeated_in(row);
        parse_rows(
            chunk,
            first,
            self.header.len(),
            is_header,
            out,
            |row, out| {
                out.events.push(&self.event(row)?, 0);
                Ok(())
            },
        );
    }
}
