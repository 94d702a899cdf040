//! One event as text for the clipboard, in the export's columns and with
//! its formula guard: tab-separated with the header (pastes as cells), a
//! CSV record as the export writes it, or where it was read.

use crate::model::Store;
use crate::model::columns::{COLUMNS, protect};

/// The header and the event's cells, tab-separated; a cell holding a tab,
/// a quote or a line break is quoted, as spreadsheets read a pasted table.
pub fn row_as_tsv(store: &Store, row: usize) -> String {
    records(store, row, b'\t', true)
}

/// The event as one CSV record (no header), as `auditview export` writes it.
pub fn row_as_csv(store: &Store, row: usize) -> String {
    records(store, row, b',', false)
}

/// `file:line` of the record the event was read from.
pub fn source_line(store: &Store, row: usize) -> String {
    format!("{}:{}", store.origin_path(row), store.origin_line(row))
}

fn records(store: &Store, row: usize, delimiter: u8, header: bool) -> String {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    if header {
        let _ = writer.write_record(COLUMNS.iter().map(|(_, name)| *name));
    }
    if row < store.events.len() {
        let cells = COLUMNS
            .iter()
            .map(|(column, _)| protect(&column.text(store, row)).into_owned());
        let _ = writer.write_record(cells);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .trim_end_matches(['\r', '\n'])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventDraft, Format, System, TextField};

    #[test]
    fn a_copied_row_keeps_its_cells_apart_and_formulas_inert() {
        let mut draft = EventDraft::new(System::Pydio, 1_710_405_739_000, 7);
        draft.set(TextField::Actor, "=HYPERLINK(\"x\")");
        draft.set(TextField::Message, "two\tcells\nand a line");
        let mut events = crate::model::EventTable::default();
        events.push(&draft, 0);
        let store = Store::of_events("audit.log", Format::PydioAuditJsonl, events);
        let tsv = row_as_tsv(&store, 0);
        let mut lines = csv::ReaderBuilder::new()
            .delimiter(b'\t')
            .from_reader(tsv.as_bytes());
        assert_eq!(&lines.headers().unwrap()[0], "Time (UTC)");
        let record = lines.records().next().unwrap().unwrap();
        assert_eq!(&record[0], "2024-03-14T08:42:19Z");
        assert_eq!(&record[3], "'=HYPERLINK(\"x\")");
        assert_eq!(&record[19], "two\tcells\nand a line");
        assert_eq!(record.len(), COLUMNS.len());
        assert!(!row_as_csv(&store, 0).starts_with("Time"));
        assert_eq!(source_line(&store, 0), "audit.log:7");
    }
}
