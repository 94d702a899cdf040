//! Report exports: the usage, login and workgroup tables as CSV or XLSX,
//! written and proven like event exports (same protections, same
//! `<output>.provenance.json`, plus the report's name). Column names are a
//! public interface, like the event export's.

use std::path::Path;

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use serde::Serialize;

use super::xlsx::{Formats, ROWS_PER_SHEET, excel_serial, filter_sheet, fit, sources_sheet};
use super::{ExportError, ExportFormat, ExportSummary, Target, write_with_provenance};
use crate::analysis::reports::{LoginRow, Report, UsageRow, WorkgroupRow};
use crate::hash::HashingWriter;
use crate::model::Origin;
use crate::model::columns::protect;
use crate::model::{Store, System};
use crate::query::Filter;
use crate::time::{Zone, format_utc};

/// One cell of a report table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Count(u64),
    /// UTC milliseconds: RFC 3339 in text, a date-time cell in XLSX.
    Time(i64),
    Empty,
}

impl Cell {
    /// The cell as text (times in RFC 3339 UTC, empty cells as "").
    pub fn text(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Time(ms) => format_utc(*ms),
            Cell::Empty => String::new(),
        }
    }

    fn count(value: Option<u64>) -> Cell {
        value.map_or(Cell::Empty, Cell::Count)
    }

    fn time(value: Option<i64>) -> Cell {
        value.map_or(Cell::Empty, Cell::Time)
    }

    fn text_of(value: &str) -> Cell {
        Cell::Text(value.to_string())
    }
}

/// A report row as cells under fixed column names.
pub trait ReportRow: Serialize {
    const REPORT: Report;
    const COLUMNS: &'static [&'static str];
    fn cells(&self) -> Vec<Cell>;
}

fn evidence_cells(evidence: Option<&Origin>) -> [Cell; 2] {
    match evidence {
        Some(e) => [Cell::text_of(&e.path), Cell::Count(e.line)],
        None => [Cell::Empty, Cell::Empty],
    }
}

fn systems(systems: &[System]) -> Cell {
    let names: Vec<&str> = systems.iter().map(|s| s.as_str()).collect();
    Cell::Text(names.join(", "))
}

impl ReportRow for UsageRow {
    const REPORT: Report = Report::Usage;
    const COLUMNS: &'static [&'static str] = &[
        "User",
        "Actors",
        "Name",
        "Systems",
        "Logins",
        "Failed Logins",
        "Last Login (UTC)",
        "Active Days",
        "Events",
        "First Seen (UTC)",
        "Last Seen (UTC)",
        "Total Sessions",
        "Access Counts",
        "Registration (UTC)",
        "Source",
        "Source File",
        "Source Line",
    ];

    fn cells(&self) -> Vec<Cell> {
        let mut cells = vec![
            Cell::text_of(&self.user),
            Cell::Text(self.actors.join(", ")),
            Cell::text_of(&self.name),
            systems(&self.systems),
            Cell::count(self.logins),
            Cell::count(self.failed_logins),
            Cell::time(self.last_login),
            Cell::count(self.active_days),
            Cell::count(self.events),
            Cell::time(self.first_seen),
            Cell::time(self.last_seen),
            Cell::count(self.total_sessions),
            Cell::count(self.access_counts),
            Cell::time(self.registration),
            Cell::text_of(self.source),
        ];
        cells.extend(evidence_cells(self.evidence.as_ref()));
        cells
    }
}

impl ReportRow for LoginRow {
    const REPORT: Report = Report::Logins;
    const COLUMNS: &'static [&'static str] = &[
        "Date (UTC)",
        "Category",
        "Report Category",
        "Client Address",
        "Application",
        "User",
        "Person",
        "Domain",
        "Event Type",
        "Outcome",
        "System",
        "Source File",
        "Source Line",
    ];

    fn cells(&self) -> Vec<Cell> {
        let mut cells = vec![
            Cell::Time(self.date),
            Cell::text_of(self.category.as_str()),
            Cell::text_of(&self.report_category),
            Cell::text_of(&self.client_address),
            Cell::text_of(&self.application),
            Cell::text_of(&self.user),
            Cell::text_of(&self.person),
            Cell::text_of(&self.domain),
            Cell::text_of(&self.event_type),
            Cell::text_of(self.outcome.as_str()),
            Cell::text_of(self.system.as_str()),
        ];
        cells.extend(evidence_cells(Some(&self.evidence)));
        cells
    }
}

impl ReportRow for WorkgroupRow {
    const REPORT: Report = Report::Workgroups;
    const COLUMNS: &'static [&'static str] = &[
        "Group",
        "Group ID",
        "Group Kind",
        "Member",
        "Member Name",
        "Role",
        "Has Access",
        "Added (UTC)",
        "Description",
        "Administrator",
        "Node Path",
        "Readable By",
        "Writable By",
        "Events",
        "Source",
        "Source File",
        "Source Line",
    ];

    fn cells(&self) -> Vec<Cell> {
        let has_access = match self.has_access {
            Some(true) => Cell::text_of("yes"),
            Some(false) => Cell::text_of("no"),
            None => Cell::Empty,
        };
        let mut cells = vec![
            Cell::text_of(&self.group),
            Cell::text_of(&self.group_id),
            Cell::text_of(self.group_kind.as_str()),
            Cell::text_of(&self.member),
            Cell::text_of(&self.member_name),
            Cell::text_of(&self.role),
            has_access,
            Cell::time(self.added),
            Cell::text_of(&self.description),
            Cell::text_of(&self.administrator),
            Cell::text_of(&self.node_path),
            Cell::count(self.readable_by),
            Cell::count(self.writable_by),
            Cell::count(self.events),
            Cell::text_of(self.source),
        ];
        cells.extend(evidence_cells(Some(&self.evidence)));
        cells
    }
}

/// What a report export is asked to do.
pub struct ReportRequest<'a> {
    pub output: &'a Path,
    pub format: ExportFormat,
    /// How `--from`/`--to` were read; report times are shown in UTC.
    pub zone: Zone,
    pub force: bool,
    /// The time frame, as a filter.
    pub filter: &'a Filter,
}

/// An export's summary plus the report's name.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ReportSummary {
    #[serde(flatten)]
    pub summary: ExportSummary,
    pub report: Report,
}

/// Writes `rows` to the output and the provenance sidecar.
pub fn export_report<R: ReportRow>(
    store: &Store,
    rows: &[R],
    request: &ReportRequest<'_>,
) -> Result<ReportSummary, ExportError> {
    let target = Target {
        output: request.output,
        format: request.format,
        zone: request.zone,
        force: request.force,
        filter: request.filter,
        report: Some(R::REPORT.as_str()),
        rows: rows.len(),
        geoip: &[],
        coverage: Vec::new(),
        findings: Vec::new(),
        case: None,
    };
    let cannot = |source| {
        ExportError::Target(crate::safe_write::WriteError::Write {
            path: request.output.to_path_buf(),
            source,
        })
    };
    let summary =
        write_with_provenance(store, &target, |temp, exported_at| match request.format {
            ExportFormat::Csv => write_csv(rows, temp.as_file()).map_err(cannot),
            ExportFormat::Xlsx => {
                write_xlsx(store, rows, request, exported_at, temp.path())?;
                crate::hash::sha256_of_file(temp.path()).map_err(cannot)
            }
            ExportFormat::Parquet => Err(ExportError::ParquetReport),
        })?;
    Ok(ReportSummary {
        summary,
        report: R::REPORT,
    })
}

/// RFC 4180 with a header; text a spreadsheet would run is neutralized.
/// Returns the SHA-256 of the bytes written.
fn write_csv<R: ReportRow>(rows: &[R], file: &std::fs::File) -> std::io::Result<String> {
    let mut out = HashingWriter::new(file);
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record(R::COLUMNS)?;
        for row in rows {
            let cells: Vec<String> = row
                .cells()
                .iter()
                .map(|cell| match cell {
                    Cell::Text(text) => protect(text).into_owned(),
                    other => other.text(),
                })
                .collect();
            writer.write_record(&cells)?;
        }
        writer.flush()?;
    }
    out.finish()
}

/// The report's sheets (named after it, continued on `<Name> 2`, ... past
/// Excel's row limit), then `Sources` and `Filter`, as event exports have.
fn write_xlsx<R: ReportRow>(
    store: &Store,
    rows: &[R],
    request: &ReportRequest<'_>,
    exported_at: &str,
    path: &Path,
) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    let mut chunks: Vec<&[R]> = rows.chunks(ROWS_PER_SHEET).collect();
    if chunks.is_empty() {
        chunks.push(&[]);
    }
    for (index, chunk) in chunks.iter().enumerate() {
        let name = match index {
            0 => R::REPORT.title().to_string(),
            n => format!("{} {}", R::REPORT.title(), n + 1),
        };
        let sheet = workbook.add_worksheet();
        report_sheet(sheet, &name, chunk, &formats)?;
    }
    sources_sheet(workbook.add_worksheet(), store, &formats)?;
    filter_sheet(
        workbook.add_worksheet(),
        request.filter,
        request.zone,
        &[("Report", R::REPORT.as_str())],
        (exported_at, rows.len()),
        &formats,
    )?;
    workbook.save(path)
}

fn report_sheet<R: ReportRow>(
    sheet: &mut Worksheet,
    name: &str,
    rows: &[R],
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    for (col, title) in R::COLUMNS.iter().enumerate() {
        let width = if title.ends_with("(UTC)") { 22.0 } else { 18.0 };
        sheet.set_column_width(col as u16, width)?;
        sheet.write_string_with_format(0, col as u16, *title, &formats.bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, R::COLUMNS.len() as u16 - 1)?;
    for (offset, row) in rows.iter().enumerate() {
        let xl_row = offset as u32 + 1;
        for (col, cell) in row.cells().iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(text) if !text.is_empty() => {
                    sheet.write_string(xl_row, col, fit(text))?;
                }
                Cell::Count(n) => {
                    sheet.write_number(xl_row, col, *n as f64)?;
                }
                Cell::Time(ms) => {
                    sheet.write_number_with_format(
                        xl_row,
                        col,
                        excel_serial(*ms),
                        &formats.datetime,
                    )?;
                }
                Cell::Text(_) | Cell::Empty => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, Outcome};

    #[test]
    fn every_row_has_a_cell_per_column_and_csv_neutralizes_formulas() {
        let row = LoginRow {
            date: 1_710_403_200_000,
            category: Category::LoginFailed,
            report_category: "Authentication".into(),
            client_address: "192.0.2.1".into(),
            application: "=HYPERLINK(\"x\")".into(),
            user: "eve@lab".into(),
            person: String::new(),
            domain: "lab".into(),
            event_type: "LOGIN_FAILURE".into(),
            outcome: Outcome::Failure,
            system: System::Basespace,
            evidence: Origin {
                path: "login.csv".into(),
                line: 3,
            },
        };
        assert_eq!(row.cells().len(), LoginRow::COLUMNS.len());
        let file = tempfile::NamedTempFile::new().unwrap();
        write_csv(&[row], file.as_file()).unwrap();
        let text = std::fs::read_to_string(file.path()).unwrap();
        assert_eq!(
            text,
            "Date (UTC),Category,Report Category,Client Address,Application,User,Person,Domain,Event Type,Outcome,System,Source File,Source Line\n\
             2024-03-14T08:00:00Z,login_failed,Authentication,192.0.2.1,\"'=HYPERLINK(\"\"x\"\")\",eve@lab,,lab,LOGIN_FAILURE,failure,basespace,login.csv,3\n"
        );
    }
}
