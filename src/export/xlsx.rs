//! XLSX export (constant memory): `Events` sheets with a frozen bold header,
//! autofilter and real date-time cells, continued on `Events 2`, ... past
//! Excel's row limit; a `Sources` sheet with hashes; a `Filter` sheet.

use std::path::Path;
use std::sync::atomic::Ordering;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::provenance::filter_in_words;
use super::{ExportRequest, zone_header};
use crate::model::Store;
use crate::model::columns::{COLUMNS, Column};
use crate::query::{Filter, Selection};
use crate::time::Zone;

/// Data rows per sheet: Excel's 1,048,576 rows less the header.
pub const ROWS_PER_SHEET: usize = 1_048_575;
/// Excel's limit on the characters of one cell.
const CELL_LIMIT: usize = 32_767;

/// Days since 1899-12-30, Excel's serial date, for a UTC instant.
pub(crate) fn excel_serial(utc_ms: i64) -> f64 {
    utc_ms as f64 / crate::time::DAY_MS as f64 + 25_569.0
}

/// Text that fits in a cell; longer text is cut and says so. Excel's limit
/// (and the writer's check) counts UTF-16 units: a character outside the
/// Basic Multilingual Plane (an emoji) counts two.
pub(crate) fn fit(text: &str) -> std::borrow::Cow<'_, str> {
    // A UTF-8 byte never stands for more than one UTF-16 unit.
    if text.len() <= CELL_LIMIT || text.encode_utf16().count() <= CELL_LIMIT {
        return text.into();
    }
    let note = " [cut by auditview: longer than Excel's cell limit]";
    let budget = CELL_LIMIT - note.len();
    let mut units = 0;
    let keep: String = text
        .chars()
        .take_while(|c| {
            units += c.len_utf16();
            units <= budget
        })
        .collect();
    format!("{keep}{note}").into()
}

fn width(column: Column) -> f64 {
    match column {
        Column::TimeUtc => 22.0,
        Column::UserAgent | Column::NodePath | Column::Message | Column::Details => 48.0,
        Column::Resource | Column::ObjectName | Column::SourceFile => 32.0,
        Column::Actor | Column::Action | Column::ObjectId | Column::RequestId => 24.0,
        Column::SourceLine | Column::Outcome | Column::System | Column::NodeType => 11.0,
        _ => 16.0,
    }
}

/// The cell formats every sheet uses.
pub(crate) struct Formats {
    pub bold: Format,
    pub datetime: Format,
}

impl Formats {
    pub fn new() -> Formats {
        Formats {
            bold: Format::new().set_bold(),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss.000"),
        }
    }
}

/// Rows whose cells are read ahead of the writer at a time.
const BLOCK_ROWS: usize = 4096;

/// One column of the `Events` sheet: a column of the export, the time in
/// the chosen zone (`Ok(None)`) or extra column `i` (`Err(i)`: places, marks).
type SheetColumn = Result<Option<Column>, usize>;

/// What one cell of a prepared block holds.
enum Cell {
    DateTime(f64),
    /// Bytes of the block's text.
    Text(std::ops::Range<usize>),
}

/// The cells of a block of rows, their text side by side.
#[derive(Default)]
struct Prepared {
    text: String,
    cells: Vec<(u32, u16, Cell)>,
}

impl Prepared {
    fn write_to(&self, sheet: &mut Worksheet, formats: &Formats) -> Result<(), XlsxError> {
        for (xl_row, col, cell) in &self.cells {
            match cell {
                Cell::DateTime(serial) => {
                    sheet.write_number_with_format(*xl_row, *col, *serial, &formats.datetime)?;
                }
                Cell::Text(range) => {
                    sheet.write_string(*xl_row, *col, &self.text[range.clone()])?;
                }
            }
        }
        Ok(())
    }
}

/// Reads the cells of `rows` (the first on sheet row `first_xl_row`).
fn prepare(
    store: &Store,
    rows: &[u32],
    first_xl_row: u32,
    headers: &[(SheetColumn, String)],
    request: &ExportRequest<'_>,
) -> Prepared {
    let mut prepared = Prepared {
        text: String::with_capacity(rows.len() * 256),
        cells: Vec::with_capacity(rows.len() * headers.len()),
    };
    let text_cell = |xl_row: u32, col: u16, text: &str, prepared: &mut Prepared| {
        if !text.is_empty() {
            let start = prepared.text.len();
            prepared.text.push_str(&fit(text));
            let end = prepared.text.len();
            prepared.cells.push((xl_row, col, Cell::Text(start..end)));
        }
    };
    for (offset, &row) in rows.iter().enumerate() {
        let row = row as usize;
        let xl_row = first_xl_row + offset as u32;
        let marks = request.extra_cells(store, row);
        for (index, (column, _)) in headers.iter().enumerate() {
            let col = index as u16;
            match column {
                Err(mark) => text_cell(xl_row, col, &marks[*mark], &mut prepared),
                Ok(Some(Column::TimeUtc)) => {
                    let serial = excel_serial(store.events.time_ms[row]);
                    prepared.cells.push((xl_row, col, Cell::DateTime(serial)));
                }
                Ok(Some(column)) => text_cell(xl_row, col, &column.text(store, row), &mut prepared),
                Ok(None) => {
                    let time = request.zone.format(store.events.time_ms[row]);
                    text_cell(xl_row, col, &time, &mut prepared);
                }
            }
        }
    }
    prepared
}

fn events_sheet(
    sheet: &mut Worksheet,
    name: &str,
    store: &Store,
    rows: &[u32],
    request: &ExportRequest<'_>,
    formats: &Formats,
    done_before: usize,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let zone_column = zone_header(request.zone);
    // None: the time in the zone; Err(i): extra column i (places, marks).
    let mut headers: Vec<(SheetColumn, String)> = Vec::new();
    for (column, title) in COLUMNS {
        headers.push((Ok(Some(column)), title.to_string()));
        if column == Column::TimeUtc
            && let Some(zone) = &zone_column
        {
            headers.push((Ok(None), zone.clone()));
        }
    }
    for (index, title) in request.extra_columns().into_iter().enumerate() {
        headers.push((Err(index), title.to_string()));
    }
    for (index, (column, title)) in headers.iter().enumerate() {
        let col = index as u16;
        sheet.set_column_width(col, column.map_or(28.0, |c| c.map_or(28.0, width)))?;
        sheet.write_string_with_format(0, col, title, &formats.bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, headers.len() as u16 - 1)?;
    // Each block's cells are read from the case on every core while the
    // previous block goes into the sheet (the writer itself is serial).
    let mut prepared = Prepared::default();
    let mut done = 0;
    for block in rows.chunks(BLOCK_ROWS) {
        let first_xl_row = done as u32 + 1;
        let (next, wrote) = rayon::join(
            || prepare(store, block, first_xl_row, &headers, request),
            || prepared.write_to(sheet, formats),
        );
        wrote?;
        prepared = next;
        done += block.len();
        if let Some(progress) = request.progress {
            progress.store((done_before + done - block.len()) as u64, Ordering::Relaxed);
        }
    }
    prepared.write_to(sheet, formats)?;
    Ok(())
}

pub fn write(
    store: &Store,
    selection: &Selection,
    request: &ExportRequest<'_>,
    exported_at: &str,
    path: &Path,
) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    // Most of an export's time is deflate; level 1 is several times faster
    // for a somewhat larger file.
    workbook.set_zip_compression_level(1);
    let formats = Formats::new();
    let mut chunks: Vec<&[u32]> = selection.rows.chunks(ROWS_PER_SHEET).collect();
    if chunks.is_empty() {
        chunks.push(&[]);
    }
    for (index, rows) in chunks.iter().enumerate() {
        let name = match index {
            0 => "Events".to_string(),
            n => format!("Events {}", n + 1),
        };
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        events_sheet(
            sheet,
            &name,
            store,
            rows,
            request,
            &formats,
            index * ROWS_PER_SHEET,
        )?;
    }
    sources_sheet(workbook.add_worksheet(), store, &formats)?;
    filter_sheet(
        workbook.add_worksheet(),
        request.filter,
        request.zone,
        &[],
        (exported_at, selection.len()),
        &formats,
    )?;
    workbook.save(path)?;
    if let Some(progress) = request.progress {
        progress.store(selection.len() as u64, Ordering::Relaxed);
    }
    Ok(())
}

/// The `Sources` sheet: every input with its format, hash and counts.
pub(crate) fn sources_sheet(
    sheet: &mut Worksheet,
    store: &Store,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Sources")?;
    let headers = [
        "Path", "Format", "SHA-256", "Bytes", "Rows", "Events", "Rejected",
    ];
    let widths = [60.0, 24.0, 66.0, 12.0, 10.0, 10.0, 10.0];
    for (col, (title, width)) in headers.iter().zip(widths).enumerate() {
        sheet.set_column_width(col as u16, width)?;
        sheet.write_string_with_format(0, col as u16, *title, &formats.bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (index, source) in store.sources.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_string(row, 0, fit(&source.path))?;
        sheet.write_string(row, 1, source.format.as_str())?;
        sheet.write_string(row, 2, &source.sha256)?;
        sheet.write_number(row, 3, source.bytes as f64)?;
        sheet.write_number(row, 4, source.rows as f64)?;
        sheet.write_number(row, 5, source.events as f64)?;
        sheet.write_number(row, 6, source.rejected as f64)?;
    }
    Ok(())
}

/// The `Filter` sheet: each criterion in words, then `first` lines (such as
/// the report's name), the row count, the time zone, the export time (given
/// with the rows as `(exported_at, rows)`), the tool and the filter as JSON.
pub(crate) fn filter_sheet(
    sheet: &mut Worksheet,
    filter: &Filter,
    zone: Zone,
    first: &[(&str, &str)],
    (exported_at, rows): (&str, usize),
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Filter")?;
    sheet.set_column_width(0, 22.0)?;
    sheet.set_column_width(1, 80.0)?;
    sheet.write_string_with_format(0, 0, "Criterion", &formats.bold)?;
    sheet.write_string_with_format(0, 1, "Value", &formats.bold)?;
    let mut lines: Vec<(String, String)> = first
        .iter()
        .map(|(criterion, value)| (criterion.to_string(), value.to_string()))
        .collect();
    lines.extend(
        filter_in_words(filter)
            .into_iter()
            .map(|c| (c.criterion.to_string(), c.value)),
    );
    lines.push(("Rows".into(), rows.to_string()));
    lines.push(("Time zone shown".into(), zone.name()));
    lines.push(("Exported at".into(), exported_at.to_string()));
    lines.push((
        "Tool".into(),
        format!("auditview {}", env!("CARGO_PKG_VERSION")),
    ));
    lines.push((
        "Filter (JSON)".into(),
        serde_json::to_string(filter).unwrap_or_default(),
    ));
    for (index, (criterion, value)) in lines.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_string(row, 0, criterion)?;
        sheet.write_string(row, 1, fit(value))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_of_emoji_is_cut_to_excels_limit_in_utf16_units() {
        // 16,400 characters but 32,800 UTF-16 units: the writer refused
        // the whole export before.
        let emoji = "😀".repeat(16_400);
        let cell = fit(&emoji);
        assert!(cell.encode_utf16().count() <= CELL_LIMIT);
        assert!(cell.ends_with("longer than Excel's cell limit]"));
        assert_eq!(fit("short"), "short");
        let exact = "a".repeat(CELL_LIMIT);
        assert_eq!(fit(&exact).len(), CELL_LIMIT);
    }
}
