//! Why an export was not written. The words name the file and what went
//! wrong; what the user can do about it (a flag, a dialog) is the caller's.

use std::io;
use std::path::PathBuf;

use crate::safe_write::WriteError;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The target is refused or could not be written (`safe_write`).
    #[error(transparent)]
    Target(#[from] WriteError),
    /// An output folder inside a loaded evidence folder.
    #[error("{} is inside a loaded evidence folder: outputs go elsewhere", .0.display())]
    InEvidenceFolder(PathBuf),
    /// The workbook written could not be read back to hash it.
    #[error("cannot read back {}: {source}", .path.display())]
    ReadBack { path: PathBuf, source: io::Error },
    #[error("cannot write the workbook: {0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    #[error("cannot write the Parquet file {}: {reason}", .path.display())]
    Parquet { path: PathBuf, reason: String },
    /// Reports are tables for people: CSV or XLSX.
    #[error("a report is written as CSV or XLSX, not Parquet")]
    ParquetReport,
    #[error("cannot write {}: {source}", .path.display())]
    Provenance {
        path: PathBuf,
        source: serde_json::Error,
    },
}
