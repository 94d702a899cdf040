//! CSV export: RFC 4180, UTF-8, a header row, times in RFC 3339 UTC, and
//! cells that a spreadsheet would run as formulas neutralized with `'`.

use std::fs::File;
use std::io;
use std::sync::atomic::Ordering;

use super::columns::{COLUMNS, Column, protect};
use super::output::HashingWriter;
use super::{ExportRequest, zone_header};
use crate::model::Store;
use crate::query::Selection;

/// Writes the rows; returns the SHA-256 of the bytes written.
pub fn write(
    store: &Store,
    selection: &Selection,
    request: &ExportRequest<'_>,
    file: &File,
) -> io::Result<String> {
    let mut writer = csv::WriterBuilder::new().from_writer(HashingWriter::new(file));
    let zone_column = zone_header(request.zone);
    let mut header: Vec<&str> = Vec::with_capacity(COLUMNS.len() + 1);
    for (column, name) in COLUMNS {
        header.push(name);
        if column == Column::TimeUtc {
            if let Some(zone) = &zone_column {
                header.push(zone);
            }
        }
    }
    writer.write_record(&header)?;
    let mut record = csv::StringRecord::with_capacity(1024, header.len());
    for (written, &row) in selection.rows.iter().enumerate() {
        let row = row as usize;
        record.clear();
        for (column, _) in COLUMNS {
            record.push_field(&protect(&column.text(store, row)));
            if column == Column::TimeUtc && zone_column.is_some() {
                record.push_field(&request.zone.format(store.events.time_ms[row]));
            }
        }
        writer.write_record(&record)?;
        if written % 4096 == 0 {
            if let Some(progress) = request.progress {
                progress.store(written as u64, Ordering::Relaxed);
            }
        }
    }
    if let Some(progress) = request.progress {
        progress.store(selection.len() as u64, Ordering::Relaxed);
    }
    let hashing = writer.into_inner().map_err(|e| e.into_error())?;
    hashing.finish()
}
