//! Reading audit exports into a `Store`: detection by content, one importer
//! per format, parallel chunked parsing, and record accounting that loses nothing.

mod auditview_export;
mod auditview_parquet;
mod basespace;
pub mod boundary;
mod chunks;
mod csv_header;
mod csv_rows;
mod derived;
pub mod detect;
mod dnanexus;
mod enrich;
mod file_order;
pub mod input;
mod log_prefix;
mod pydio_console;
mod pydio_event;
mod pydio_export;
mod pydio_log;
mod pydio_resources;
mod pydio_templates;
mod rejects_kept;
mod stream;
pub mod timestamp;
mod workbook;

use std::io::Read;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::hash::HashingReader;
use crate::model::{
    Directory, EventTable, FileIdentity, OmittedRejects, Reject, RejectKind, SkippedPath,
    SourceInfo, Store,
};
use chunks::{Target, read_chunks};
use detect::Plan;
use file_order::FileOrder;
use input::{Candidate, Splitter};
use rejects_kept::KeptRejects;

mod read;
use read::{read_all, renumber_sources};

/// What one chunk of records became. Chunks intern their text too, so the
/// case's table (filled by one thread) only sees each chunk's distinct values.
#[derive(Debug, Default)]
pub struct Parsed {
    pub events: EventTable,
    /// Rejects in detail, the first `REJECTS_KEPT` of the chunk (`reject`).
    pub rejects: Vec<Reject>,
    /// Rejects beyond those: (first line, last line, count).
    pub omitted: Option<(u64, u64, u64)>,
    pub directory: Directory,
    /// Data records seen: events, Directory records and rejects.
    pub rows: u64,
    /// A reject of kind `CutShort` was met, kept in detail or not.
    pub cut_short: bool,
}

/// Rejects kept in detail per file (and per chunk): each holds up to 1 KiB
/// of its record, so a file of bad lines stays within about 11 MB.
pub const REJECTS_KEPT: usize = 10_000;

impl Parsed {
    /// A record that could not be read, at `line` of the chunk.
    pub fn reject(&mut self, line: u64, kind: RejectKind, reason: impl Into<String>, raw: &[u8]) {
        self.cut_short |= kind == RejectKind::CutShort;
        if self.rejects.len() < REJECTS_KEPT {
            self.rejects.push(Reject::new(line, kind, reason, raw));
            return;
        }
        let o = self.omitted.get_or_insert((line, line, 0));
        o.0 = o.0.min(line);
        o.1 = o.1.max(line);
        o.2 += 1;
    }

    /// Every reject of the chunk, kept or only counted.
    pub fn rejected(&self) -> u64 {
        self.rejects.len() as u64 + self.omitted.map_or(0, |o| o.2)
    }
}

/// Parses the records of one format. A chunk holds whole records only.
pub trait Importer: Send + Sync {
    fn splitter(&self) -> Splitter;
    /// `first` is true for the chunk that starts the file (BOM, header).
    fn parse(&self, chunk: &[u8], first: bool, out: &mut Parsed);
}

/// Shared load progress: the loader writes, a UI reads. Cancel by setting `cancel`.
#[derive(Debug, Default)]
pub struct LoadProgress {
    pub total_bytes: AtomicU64,
    pub read_bytes: AtomicU64,
    pub events: AtomicU64,
    pub current_file: Mutex<String>,
    pub cancel: AtomicBool,
}

/// A named input that could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LoadError {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub store: Store,
    pub errors: Vec<LoadError>,
    pub cancelled: bool,
}

/// What a record of a line-based or CSV file may take: a limit reached is
/// reported as a reject with its line, never a crash or unbounded memory.
/// A JSON document read whole (the Pydio export, shared resources) is one
/// record under `max_record_bytes`; workbooks and Parquet have limits of
/// their own (declared sizes checked before reading).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A record (a line, a CSV record) still without its end once this many
    /// bytes are read (checked per block read, so to within 1 MiB) is one
    /// reject; the file goes on after its end.
    pub max_record_bytes: usize,
    /// A pipe or device (`/dev/stdin`, a FIFO) is read into memory once,
    /// up to this many bytes; a longer one is an error.
    pub max_stream_bytes: u64,
    /// Rejects kept in detail per file (the first by line, with their text);
    /// the others are counted with their first and last lines.
    pub max_rejects_kept: usize,
    /// A gzip file stops after decompressing to this many times its size
    /// (text logs compress 5 to 50 times; a bomb, a million).
    pub max_gzip_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_record_bytes: 64 << 20,
            max_stream_bytes: 1 << 30,
            max_rejects_kept: REJECTS_KEPT,
            max_gzip_ratio: 1000,
        }
    }
}

/// Recognizes and parses `bytes` as one file (gzip, workbooks and every
/// text format), in one chunk, within the default limits: for fuzzing and
/// for tests that need no file.
pub fn parse_in_memory(bytes: &[u8]) -> Result<(crate::model::Format, Parsed), String> {
    let candidate = Candidate {
        path: PathBuf::from("(memory)"),
        display: "(memory)".into(),
        explicit: true,
        buffered: Some(bytes.into()),
    };
    let plan = detect::plan_for(&candidate)?;
    let mut content = Vec::new();
    let limit = Limits::default();
    let read = if plan.gzip {
        let decoder = flate2::read::MultiGzDecoder::new(bytes);
        let most = (bytes.len() as u64)
            .saturating_mul(limit.max_gzip_ratio)
            .max(1 << 20);
        input::Bounded::new(decoder, most).read_to_end(&mut content)
    } else {
        content.extend_from_slice(bytes);
        Ok(content.len())
    };
    // Damaged gzip: what came before the damage, as a load keeps it.
    let _ = read;
    let mut parsed = Parsed::default();
    plan.importer.parse(&content, true, &mut parsed);
    Ok((plan.format, parsed))
}

/// `load_with` the default limits.
pub fn load(paths: &[PathBuf], progress: &LoadProgress) -> Loaded {
    load_with(paths, progress, &Limits::default())
}

/// Loads files and folders. Named files that cannot be read or recognized are
/// errors; unrecognized files found in folders are skipped with the reason.
pub fn load_with(paths: &[PathBuf], progress: &LoadProgress, limits: &Limits) -> Loaded {
    let mut expanded = input::expand(paths);
    input::buffer_streams(
        &mut expanded.found,
        &mut expanded.errors,
        limits.max_stream_bytes,
        &progress.cancel,
    );
    let candidates = expanded.found;
    let geoip_files = expanded.geoip;
    let mut errors: Vec<LoadError> = expanded
        .errors
        .into_iter()
        .map(|(path, message)| LoadError { path, message })
        .collect();
    let mut skipped: Vec<SkippedPath> = expanded
        .skipped
        .into_iter()
        .map(|(path, reason)| SkippedPath { path, reason })
        .collect();

    let accepted = recognize(candidates, &mut errors, &mut skipped);
    let accepted = derived::set_aside(accepted, &mut skipped);
    let total: u64 = accepted.iter().map(|(c, _)| c.size()).sum();
    progress.total_bytes.store(total, Ordering::Relaxed);

    let timing = std::env::var_os("AUDITVIEW_TIMING").is_some();
    let started = std::time::Instant::now();
    let phase = |name: &str| {
        if timing {
            eprintln!("[timing] {name}: {:.3} s", started.elapsed().as_secs_f64());
        }
    };
    let (results, case) = read_all(&accepted, progress, limits);
    let mut store = Store {
        skipped,
        geoip_files,
        events: case.events,
        rejects: case.rejects,
        omitted_rejects: case.omitted_rejects,
        directory: case.directory,
        ..Store::default()
    };
    // Files join the case in the order they finish (each file's chunks in
    // file order): sort rows and rejects back into file order below.
    // Source ids were given before reading; a file that failed added nothing,
    // so the ids of those after it close the gap.
    let mut new_id = Vec::with_capacity(accepted.len());
    for ((candidate, plan), result) in accepted.into_iter().zip(results) {
        new_id.push(store.sources.len() as u32);
        match result {
            Ok(file) => store.sources.push(SourceInfo {
                path: candidate.display,
                file: candidate.path,
                identity: file.identity,
                changed_while_read: file.changed,
                format: plan.format,
                sha256: file.sha256,
                bytes: file.bytes,
                rows: file.rows,
                events: file.events,
                rejected: file.rejected,
                cut_short: file.cut_short,
            }),
            Err(message) => errors.push(LoadError {
                path: candidate.display,
                message,
            }),
        }
    }
    if progress.cancel.load(Ordering::Relaxed) {
        return Loaded {
            store: Store::default(),
            errors,
            cancelled: true,
        };
    }
    if new_id
        .iter()
        .enumerate()
        .any(|(old, new)| old as u32 != *new)
    {
        renumber_sources(&mut store, &new_id);
    }
    phase("read and parse");
    store.skipped.sort_by(|a, b| a.path.cmp(&b.path));

    store.rejects.sort_by_key(|r| (r.source, r.line));
    store.directory.sort();
    store.events.sort_by_time();
    phase("sort");
    enrich::enrich(&mut store);
    phase("enrich");
    progress
        .events
        .store(store.events.len() as u64, Ordering::Relaxed);
    Loaded {
        store,
        errors,
        cancelled: false,
    }
}

/// Recognizes each candidate. Named files that are not recognized are
/// errors; files found in folders are skipped with the reason.
fn recognize(
    candidates: Vec<Candidate>,
    errors: &mut Vec<LoadError>,
    skipped: &mut Vec<SkippedPath>,
) -> Vec<(Candidate, Plan)> {
    use rayon::prelude::*;
    let plans: Vec<(Candidate, Result<Plan, String>)> = candidates
        .into_par_iter()
        .map(|c| {
            let plan = detect::plan_for(&c);
            (c, plan)
        })
        .collect();
    let mut accepted = Vec::new();
    for (candidate, plan) in plans {
        match plan {
            Ok(plan) => accepted.push((candidate, plan)),
            Err(reason) if candidate.explicit => errors.push(LoadError {
                path: candidate.display,
                message: reason,
            }),
            Err(reason) => skipped.push(SkippedPath {
                path: candidate.display,
                reason,
            }),
        }
    }
    accepted
}
