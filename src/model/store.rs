//! What a load read: the sources, their events (sorted by time), the
//! records that could not be read, and the Directory; where a row came
//! from (`Origin`). `index::Case` adds what is built from it once.

use std::path::PathBuf;

use serde::Serialize;

use super::{Directory, EventTable, Format, RecordOrigin, TextField};

/// One input file that was read.
#[derive(Debug, Clone, Serialize)]
pub struct SourceInfo {
    /// The path as given on the command line or found in a folder, as text
    /// (a name that is not UTF-8 is shown with U+FFFD).
    pub path: String,
    /// The path exactly as opened: what the "never write over an input"
    /// guard compares, whatever its encoding.
    #[serde(skip)]
    pub file: PathBuf,
    /// The file read (device and inode), so that no other spelling, link
    /// or hard link of it can be taken for another file.
    #[serde(skip)]
    pub identity: Option<FileIdentity>,
    /// Set when the file's size or time of change moved while it was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_while_read: Option<String>,
    pub format: Format,
    /// SHA-256 of the bytes as stored (compressed files: of the compressed bytes).
    pub sha256: String,
    /// Size as stored.
    pub bytes: u64,
    /// Data records read: header and blank lines excluded.
    pub rows: u64,
    pub events: u64,
    pub rejected: u64,
    /// The file ends inside its last record, or its compressed stream ends
    /// early (a reject of kind `CutShort`, kept in detail or only counted).
    pub cut_short: bool,
}

/// Which file on which device: two paths name the same file exactly when
/// their identities are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileIdentity {
    pub device: u64,
    pub inode: u64,
}

impl FileIdentity {
    /// The identity of what `metadata` describes (Unix; elsewhere none).
    pub fn of(metadata: &std::fs::Metadata) -> Option<FileIdentity> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileIdentity {
                device: metadata.dev(),
                inode: metadata.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = metadata;
            None
        }
    }
}

/// A record that could not become an event or a Directory record.
#[derive(Debug, Clone, Serialize)]
pub struct Reject {
    /// Index into `Store::sources`.
    pub source: u32,
    /// 1-based physical line where the record starts.
    pub line: u64,
    /// What kind of failure, for what judges the file (coverage).
    pub kind: super::RejectKind,
    pub reason: String,
    /// The record's text, capped at `Reject::RAW_CAP` bytes.
    pub raw: String,
}

impl Reject {
    pub const RAW_CAP: usize = 1024;

    pub fn new(
        line: u64,
        kind: super::RejectKind,
        reason: impl Into<String>,
        raw: &[u8],
    ) -> Reject {
        let capped = &raw[..raw.len().min(Reject::RAW_CAP)];
        let text = String::from_utf8_lossy(capped);
        Reject {
            source: 0,
            line,
            kind,
            reason: reason.into(),
            raw: text.trim_end_matches(['\r', '\n']).to_string(),
        }
    }
}

/// The file and 1-based line a record was first read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub path: String,
    pub line: u64,
}

/// Rejects of one file that were counted but not kept in detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OmittedRejects {
    /// Index into `Store::sources`.
    #[serde(skip)]
    pub source: u32,
    pub count: u64,
    pub first_line: u64,
    pub last_line: u64,
}

/// A file found in a folder that was not loaded, and why.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedPath {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct Store {
    pub sources: Vec<SourceInfo>,
    pub events: EventTable,
    /// Rejects kept in detail (up to a limit per file), in file and line order.
    pub rejects: Vec<Reject>,
    /// Per file, the rejects beyond the limit: counted, not kept.
    pub omitted_rejects: Vec<OmittedRejects>,
    pub skipped: Vec<SkippedPath>,
    /// GeoIP databases (`*.mmdb`) among the paths loaded: reference data
    /// to place addresses with, not evidence (not hashed as a source).
    pub geoip_files: Vec<std::path::PathBuf>,
    pub directory: Directory,
}

impl Store {
    /// A case of one source whose every record became one of `events`: for
    /// tests and benchmarks that build events without reading files.
    pub fn of_events(path: &str, format: Format, events: EventTable) -> Store {
        let count = events.len() as u64;
        Store {
            sources: vec![SourceInfo {
                path: path.to_string(),
                file: PathBuf::from(path),
                identity: None,
                changed_while_read: None,
                format,
                sha256: String::new(),
                bytes: 0,
                rows: count,
                events: count,
                rejected: 0,
                cut_short: false,
            }],
            events,
            ..Store::default()
        }
    }

    /// Every record rejected, kept in detail or only counted.
    pub fn rejected(&self) -> u64 {
        self.sources.iter().map(|s| s.rejected).sum()
    }

    pub fn source_path(&self, source: u32) -> &str {
        self.sources.get(source as usize).map_or("", |s| &s.path)
    }

    /// The file an event was first read from: its source, or for a
    /// re-imported auditview export, the original file the export names.
    pub fn origin_path(&self, row: usize) -> &str {
        match self.events.text(TextField::OriginFile, row) {
            "" => self.source_path(self.events.source[row]),
            origin => origin,
        }
    }

    /// The 1-based line an event was first read from (see `origin_path`).
    pub fn origin_line(&self, row: usize) -> u64 {
        self.events
            .text(TextField::OriginLine, row)
            .parse()
            .unwrap_or(self.events.line[row])
    }

    /// The SHA-256 of the file an event was first read from (see
    /// `origin_path`): known for events of a source, and for re-read ones
    /// where their file said it (auditview's Parquet); empty otherwise.
    pub fn origin_sha256(&self, row: usize) -> &str {
        match self.events.text(TextField::OriginSha256, row) {
            "" if self.events.text(TextField::OriginFile, row).is_empty() => self
                .sources
                .get(self.events.source[row] as usize)
                .map_or("", |s| s.sha256.as_str()),
            origin => origin,
        }
    }

    /// Where an event was first read from: the one answer every export,
    /// report, view and proof gives.
    pub fn origin(&self, row: usize) -> Origin {
        Origin {
            path: self.origin_path(row).to_string(),
            line: self.origin_line(row),
        }
    }

    /// Where a Directory record (a report line) was read from.
    pub fn record_origin(&self, record: RecordOrigin) -> Origin {
        Origin {
            path: self.source_path(record.source).to_string(),
            line: record.line,
        }
    }

    /// Time span of all events, as (first, last) UTC milliseconds.
    pub fn span(&self) -> Option<(i64, i64)> {
        Some((*self.events.time_ms.first()?, *self.events.time_ms.last()?))
    }
}
