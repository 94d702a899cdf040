//! Exports of exactly the filtered view, in time order, to CSV, XLSX or
//! Parquet, each with its provenance. The CLI and the GUI both call `export`.

pub mod clipboard;
pub mod convert;
mod csv;
mod error;
pub mod filter_file;
pub mod parquet;
pub mod provenance;
pub mod report;
mod xlsx;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;

use serde::Serialize;

use crate::geo::{DatabaseInfo, Places};
use crate::model::Store;
use crate::model::annotations::RowAnnotations;
use crate::query::{Filter, Selection};
use crate::safe_write::{Partial, check_target, publish, temp_beside};
use crate::time::Zone;
pub use error::ExportError;
pub use provenance::CaseSeal;
use provenance::{Provenance, filter_in_words, rejected_records};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Xlsx,
    /// auditview's columnar schema (`model::columnar`), for cluster engines.
    Parquet,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Parquet => "parquet",
        }
    }

    /// XLSX for a `.xlsx` name, Parquet for `.parquet`, CSV otherwise.
    pub fn from_path(path: &Path) -> ExportFormat {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if extension.eq_ignore_ascii_case("xlsx") {
            ExportFormat::Xlsx
        } else if extension.eq_ignore_ascii_case("parquet") {
            ExportFormat::Parquet
        } else {
            ExportFormat::Csv
        }
    }
}

pub struct ExportRequest<'a> {
    pub output: PathBuf,
    pub format: ExportFormat,
    pub zone: Zone,
    pub force: bool,
    pub filter: &'a Filter,
    /// Rows written so far, for a progress bar.
    pub progress: Option<&'a AtomicU64>,
    /// The case file's marks: with them, `Starred`, `Tags` and `Note`
    /// columns follow the export's own.
    pub annotations: Option<&'a RowAnnotations>,
    /// Where the addresses are: with a GeoIP database, `Country`, `City`,
    /// `ASN` and `AS Organization` columns follow the export's own.
    pub places: Option<&'a Places>,
    /// The case's findings: with them, the provenance lists the coverage
    /// of the evidence and the findings among the rows written.
    pub findings: Option<&'a crate::index::findings::Findings>,
    /// The case file exported from, and its log's head (provenance).
    pub case: Option<&'a CaseSeal>,
}

/// The columns a case adds to an export, after the export's own.
pub const ANNOTATION_COLUMNS: [&str; 3] = ["Starred", "Tags", "Note"];

/// The columns a GeoIP database adds, before the case's.
pub const GEO_COLUMNS: [&str; 4] = ["Country", "City", "ASN", "AS Organization"];

/// The place cells of `row`: the ISO country code, "city, region", the AS
/// number and its organization; empty where the databases say nothing.
pub fn geo_cells(places: &Places, store: &Store, row: usize) -> [String; 4] {
    let place = places.of_row(store, row);
    [
        place.country.map(|c| c.iso.clone()).unwrap_or_default(),
        place.city.map(city_text).unwrap_or_default(),
        place
            .network
            .map(|n| n.number.to_string())
            .unwrap_or_default(),
        place
            .network
            .map(|n| n.organization.clone())
            .unwrap_or_default(),
    ]
}

/// A city as one cell: "Osaka, Osaka" reads "Osaka".
pub fn city_text(city: &crate::geo::City) -> String {
    if city.region.is_empty() || city.region == city.name {
        city.name.clone()
    } else {
        format!("{}, {}", city.name, city.region)
    }
}

impl ExportRequest<'_> {
    fn places_in_use(&self) -> Option<&Places> {
        self.places.filter(|p| p.has_databases())
    }

    /// The columns after the export's own: places, then marks.
    pub fn extra_columns(&self) -> Vec<&'static str> {
        let mut columns = Vec::new();
        if self.places_in_use().is_some() {
            columns.extend(GEO_COLUMNS);
        }
        if self.annotations.is_some() {
            columns.extend(ANNOTATION_COLUMNS);
        }
        columns
    }

    /// `row`'s cells of `extra_columns`.
    pub fn extra_cells(&self, store: &Store, row: usize) -> Vec<String> {
        let mut cells = Vec::new();
        if let Some(places) = self.places_in_use() {
            cells.extend(geo_cells(places, store, row));
        }
        if let Some(annotations) = self.annotations {
            cells.extend(annotation_cells(annotations, row));
        }
        cells
    }
}

/// The annotation cells of `row`: `yes` or empty, tags joined by `; `, the note.
pub fn annotation_cells(annotations: &RowAnnotations, row: usize) -> [String; 3] {
    match annotations.get(row) {
        Some(a) => [
            if a.starred { "yes" } else { "" }.to_string(),
            a.tags.join("; "),
            a.note.clone(),
        ],
        None => Default::default(),
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ExportSummary {
    pub output: String,
    pub format: ExportFormat,
    pub rows: usize,
    pub sha256: String,
}

/// The header of the time column shown in `zone`, when it is not UTC.
fn zone_header(zone: Zone) -> Option<String> {
    (zone != Zone::Utc).then(|| format!("Time ({})", zone.name()))
}

/// Writes the selected rows and the provenance sidecar `<output>.provenance.json`.
pub fn export(
    store: &Store,
    selection: &Selection,
    request: &ExportRequest<'_>,
) -> Result<ExportSummary, ExportError> {
    let target = Target {
        output: &request.output,
        format: request.format,
        zone: request.zone,
        force: request.force,
        filter: request.filter,
        report: None,
        rows: selection.len(),
        geoip: request.places.map_or(&[], |p| &p.databases),
        coverage: request
            .findings
            .map(provenance::coverage_lines)
            .unwrap_or_default(),
        findings: request
            .findings
            .map(|f| provenance::finding_lines(f, &selection.rows))
            .unwrap_or_default(),
        case: request.case,
    };
    write_with_provenance(store, &target, |temp, exported_at| match request.format {
        ExportFormat::Csv => {
            csv::write(store, selection, request, temp.as_file()).map_err(|source| {
                ExportError::Target(crate::safe_write::WriteError::Write {
                    path: request.output.clone(),
                    source,
                })
            })
        }
        ExportFormat::Xlsx => {
            xlsx::write(store, selection, request, exported_at, temp.path())?;
            crate::hash::sha256_of_file(temp.path()).map_err(|source| ExportError::ReadBack {
                path: request.output.clone(),
                source,
            })
        }
        ExportFormat::Parquet => {
            write_parquet(store, &selection.rows, temp.as_file(), &request.output)
        }
    })
}

/// The events of `rows` as Parquet into `file`; the SHA-256 of what was written.
pub(crate) fn write_parquet(
    store: &Store,
    rows: &[u32],
    file: &std::fs::File,
    output: &Path,
) -> Result<String, ExportError> {
    let hashing = crate::hash::HashingWriter::new(file);
    let hashing =
        parquet::write_events(store, rows, hashing).map_err(|e| ExportError::Parquet {
            path: output.to_path_buf(),
            reason: e.to_string(),
        })?;
    hashing.finish().map_err(|source| {
        ExportError::Target(crate::safe_write::WriteError::Write {
            path: output.to_path_buf(),
            source,
        })
    })
}

/// What any export writes and its provenance says.
pub(crate) struct Target<'a> {
    pub output: &'a Path,
    pub format: ExportFormat,
    pub zone: Zone,
    pub force: bool,
    pub filter: &'a Filter,
    /// The report exported (`usage`, `logins`, `workgroups`); none for events.
    pub report: Option<&'static str>,
    pub rows: usize,
    /// The GeoIP databases that placed the addresses (none: empty).
    pub geoip: &'a [DatabaseInfo],
    pub coverage: Vec<provenance::SystemLine>,
    pub findings: Vec<provenance::FindingLine>,
    pub case: Option<&'a CaseSeal>,
}

/// What every export shares: refuse inputs and existing files (unless
/// `force`), let `write` fill a temporary file beside the output (given the
/// export time, returning the SHA-256 of what it wrote), write the
/// provenance sidecar, and only then rename both into place.
pub(crate) fn write_with_provenance(
    store: &Store,
    target: &Target<'_>,
    write: impl FnOnce(&Partial, &str) -> Result<String, ExportError>,
) -> Result<ExportSummary, ExportError> {
    let sidecar = sidecar_path(target.output);
    check_target(target.output, &store.sources, target.force)?;
    check_target(&sidecar, &store.sources, target.force)?;
    let exported_at = crate::time::format_utc(chrono::Utc::now().timestamp_millis());

    let temp = temp_beside(target.output, &store.sources)?;
    let sha256 = write(&temp, &exported_at)?;
    let summary = ExportSummary {
        output: target.output.display().to_string(),
        format: target.format,
        rows: target.rows,
        sha256,
    };
    let provenance = Provenance {
        tool: "auditview",
        version: crate::build_info::VERSION,
        commit: crate::build_info::COMMIT,
        built: crate::build_info::BUILD_DATE,
        exported_at,
        output: summary.output.clone(),
        format: target.format.as_str(),
        report: target.report,
        rows: summary.rows,
        sha256: summary.sha256.clone(),
        time_zone: target.zone.name(),
        filter: target.filter,
        filter_in_words: filter_in_words(target.filter),
        sources: &store.sources,
        geoip: target.geoip,
        rejected_records: rejected_records(store),
        coverage: &target.coverage,
        findings: &target.findings,
        case: target.case,
    };
    let sidecar_temp = temp_beside(&sidecar, &store.sources)?;
    serde_json::to_writer_pretty(sidecar_temp.as_file(), &provenance).map_err(|source| {
        ExportError::Provenance {
            path: sidecar.clone(),
            source,
        }
    })?;
    publish(temp, target.output)?;
    publish(sidecar_temp, &sidecar)?;
    Ok(summary)
}

pub fn sidecar_path(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".provenance.json");
    PathBuf::from(name)
}
