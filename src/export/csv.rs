//! CSV export: RFC 4180, UTF-8, a header row, times in RFC 3339 UTC, and
//! cells that a spreadsheet would run as formulas neutralized with `'`.
//! Blocks of rows are formatted in parallel and written in order, a few
//! blocks at a time (written while the next are formatted), so memory
//! stays flat however many rows there are.

use std::fs::File;
use std::io::{self, Write};
use std::sync::atomic::Ordering;

use rayon::prelude::*;

use super::{ExportRequest, zone_header};
use crate::hash::HashingWriter;
use crate::model::Store;
use crate::model::columns::{COLUMNS, Column, protect};
use crate::query::Selection;

/// Rows formatted by one task.
const BLOCK_ROWS: usize = 4096;
/// Blocks formatted before they are written.
const BLOCKS_PER_WAVE: usize = 8;

/// Writes the rows; returns the SHA-256 of the bytes written.
pub fn write(
    store: &Store,
    selection: &Selection,
    request: &ExportRequest<'_>,
    file: &File,
) -> io::Result<String> {
    let mut out = HashingWriter::new(file);
    let zone_column = zone_header(request.zone);
    let mut header: Vec<&str> = Vec::with_capacity(COLUMNS.len() + 1);
    for (column, name) in COLUMNS {
        header.push(name);
        if column == Column::TimeUtc
            && let Some(zone) = &zone_column
        {
            header.push(zone);
        }
    }
    header.extend(request.extra_columns());
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header)?;
    out.write_all(&writer.into_inner().map_err(|e| e.into_error())?)?;

    let with_zone = zone_column.is_some();
    let format_wave = |wave: &[u32]| -> io::Result<Vec<Vec<u8>>> {
        wave.par_chunks(BLOCK_ROWS)
            .map(|rows| format_rows(store, rows, request, with_zone))
            .collect()
    };
    // Each wave is hashed and written while the next one is formatted.
    let mut written = 0;
    let mut formatted: (Vec<Vec<u8>>, usize) = (Vec::new(), 0);
    for wave in selection.rows.chunks(BLOCK_ROWS * BLOCKS_PER_WAVE) {
        let (blocks, wrote) = rayon::join(
            || format_wave(wave),
            || write_blocks(&mut out, &formatted.0),
        );
        wrote?;
        written += formatted.1;
        formatted = (blocks?, wave.len());
        if let Some(progress) = request.progress {
            progress.store(written as u64, Ordering::Relaxed);
        }
    }
    write_blocks(&mut out, &formatted.0)?;
    if let Some(progress) = request.progress {
        progress.store((written + formatted.1) as u64, Ordering::Relaxed);
    }
    out.finish()
}

fn write_blocks(out: &mut HashingWriter<&File>, blocks: &[Vec<u8>]) -> io::Result<()> {
    blocks.iter().try_for_each(|block| out.write_all(block))
}

/// The CSV text of `rows`.
fn format_rows(
    store: &Store,
    rows: &[u32],
    request: &ExportRequest<'_>,
    with_zone: bool,
) -> io::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 400));
    let mut record = csv::StringRecord::with_capacity(1024, COLUMNS.len() + 1);
    for &row in rows {
        let row = row as usize;
        record.clear();
        for (column, _) in COLUMNS {
            record.push_field(&protect(&column.text(store, row)));
            if column == Column::TimeUtc && with_zone {
                record.push_field(&request.zone.format(store.events.time_ms[row]));
            }
        }
        for cell in request.extra_cells(store, row) {
            record.push_field(&protect(&cell));
        }
        writer.write_record(&record)?;
    }
    writer.into_inner().map_err(|e| e.into_error())
}
