//! Reading the first sheet of an XLSX workbook within bounds. A workbook is
//! a zip of XML an attacker writes: a 2 KB file can declare 100 billion
//! shared strings (calamine reserves them) or hold cells A1 and XFD1048576
//! (a dense range of 17 billion cells). The declared string count is
//! checked before calamine opens the file, and cells are read one at a time
//! into sparse rows, so memory follows what the file holds.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};

/// Shared strings a workbook may declare (a report has a few per row).
pub const MAX_SHARED_STRINGS: u64 = 5_000_000;
/// Cells read from the sheet, and the columns kept of each row: a report
/// has seven.
pub const MAX_CELLS: usize = 10_000_000;
pub const MAX_COLUMNS: u32 = 256;

/// The rows of the first sheet, each with its 1-based row number, cells as
/// text (empty where the sheet has none), columns past `MAX_COLUMNS` left out.
pub fn first_sheet_rows(bytes: &[u8]) -> Result<Vec<(u64, Vec<String>)>, String> {
    check_shared_strings(bytes)?;
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("a workbook that could not be read: {e}"))?;
    let name = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or("a workbook without sheets")?;
    let mut reader = workbook
        .worksheet_cells_reader(&name)
        .map_err(|e| format!("a workbook whose first sheet could not be read: {e}"))?;
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut cells = 0usize;
    loop {
        let cell = match reader.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(e) => {
                return Err(format!(
                    "a workbook whose first sheet could not be read: {e}"
                ));
            }
        };
        cells += 1;
        if cells > MAX_CELLS {
            return Err(format!(
                "a workbook whose first sheet has more than {MAX_CELLS} cells (the limit)"
            ));
        }
        let (row, column) = cell.get_position();
        if column >= MAX_COLUMNS {
            continue;
        }
        let text = cell_text(&Data::from(cell.get_value().clone()));
        let cells = rows.entry(row).or_default();
        let column = column as usize;
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
    }
    Ok(rows
        .into_iter()
        .map(|(row, cells)| (u64::from(row) + 1, cells))
        .collect())
}

/// A cell as the report's text: whole numbers without a fraction.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// Refuses a workbook whose shared-strings part declares more strings than
/// `MAX_SHARED_STRINGS` (calamine reserves room for all of them up front).
fn check_shared_strings(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // calamine says what is wrong with it
    };
    let Ok(part) = archive.by_name("xl/sharedStrings.xml") else {
        return Ok(());
    };
    // The count is an attribute of the first element: the start is enough.
    let mut head = Vec::new();
    if part.take(64 << 10).read_to_end(&mut head).is_err() {
        return Ok(());
    }
    let head = String::from_utf8_lossy(&head);
    for attribute in ["uniqueCount=\"", "count=\""] {
        let Some(at) = head.find(attribute) else {
            continue;
        };
        let digits: String = head[at + attribute.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let declared = digits.parse::<u64>().unwrap_or(u64::MAX);
        if declared > MAX_SHARED_STRINGS {
            return Err(format!(
                "a workbook that declares {digits} shared strings, more than auditview reads ({MAX_SHARED_STRINGS})"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A minimal XLSX with `sheet` as its first sheet and `strings` as its
    /// shared strings.
    fn workbook(sheet: &str, strings: &str) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default();
        let parts = [
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
            ),
            (
                "xl/workbook.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Report" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
            ),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", strings),
        ];
        for (name, text) in parts {
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    const STRINGS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>File/Folder</t></si><si><t>x</t></si></sst>"#;

    fn sheet(cells: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{cells}</sheetData></worksheet>"#
        )
    }

    #[test]
    fn cells_far_apart_make_two_small_rows_not_a_dense_range() {
        // A1 and XFD1048576: calamine's dense range was 17 billion cells.
        let sheet = sheet(
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="1048576"><c r="XFD1048576" t="s"><v>1</v></c></row>"#,
        );
        let rows = first_sheet_rows(&workbook(&sheet, STRINGS)).unwrap();
        assert_eq!(rows, [(1, vec!["File/Folder".to_string()])]);
    }

    #[test]
    fn a_declared_count_of_a_hundred_billion_strings_is_refused() {
        // calamine reserved room for every declared string and aborted.
        let strings = STRINGS.replace(r#"uniqueCount="2""#, r#"uniqueCount="100000000000""#);
        let sheet = sheet(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
        let error = first_sheet_rows(&workbook(&sheet, &strings)).unwrap_err();
        assert!(
            error.contains("declares 100000000000 shared strings"),
            "{error}"
        );
    }
}
