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
mod kept;
mod log_prefix;
mod pydio_console;
mod pydio_event;
mod pydio_export;
mod pydio_log;
mod pydio_resources;
mod pydio_templates;
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
use kept::KeptRejects;

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

/// Everything the files' chunks added, in the order they were parsed.
struct Joined {
    events: EventTable,
    rejects: Vec<Reject>,
    omitted_rejects: Vec<OmittedRejects>,
    directory: Directory,
}

/// Reads every accepted file, files and chunks in parallel. One thread
/// appends parsed chunks to the case while the pool parses the next ones:
/// appending interns values and is serial by nature.
fn read_all(
    accepted: &[(Candidate, Plan)],
    progress: &LoadProgress,
    limits: &Limits,
) -> (Vec<Result<FileResult, String>>, Joined) {
    use rayon::prelude::*;
    let (chunks_in, chunks_out) = std::sync::mpsc::sync_channel::<Chunk>(4);
    let case = Joining {
        limits: *limits,
        events: Mutex::new(Some(chunks_in)),
        rejects: Mutex::new(KeptRejects::new(limits.max_rejects_kept)),
        directory: Mutex::default(),
    };
    let (results, events) = std::thread::scope(|scope| {
        let merger = scope.spawn(move || {
            let mut all = EventTable::default();
            let mut order = FileOrder::default();
            for chunk in chunks_out {
                let Some(index) = chunk.index else {
                    all.append(chunk.events, chunk.source, chunk.line_base);
                    continue;
                };
                let item = (chunk.events, chunk.source, chunk.line_base);
                for (events, source, line_base) in order.push(chunk.source, index, item) {
                    all.append(events, source, line_base);
                }
            }
            // Only a cancelled load leaves gaps: join what arrived.
            for (events, source, line_base) in order.into_rest() {
                all.append(events, source, line_base);
            }
            all
        });
        let results: Vec<Result<FileResult, String>> = accepted
            .par_iter()
            .enumerate()
            .map(|(index, (candidate, plan))| {
                read_source(candidate, plan, index as u32, progress, &case)
            })
            .collect();
        // Closing the channel lets the merger finish.
        if let Ok(mut sender) = case.events.lock() {
            sender.take();
        }
        (results, merger.join().unwrap_or_default())
    });
    let (rejects, omitted_rejects) = case
        .rejects
        .into_inner()
        .map(KeptRejects::into_parts)
        .unwrap_or_default();
    let joined = Joined {
        events,
        rejects,
        omitted_rejects,
        directory: case.directory.into_inner().unwrap_or_default(),
    };
    (results, joined)
}

/// The events of one parsed chunk, on their way to the case's table.
struct Chunk {
    events: EventTable,
    source: u32,
    line_base: u64,
    /// Its place among the file's chunks (`None`: no place to keep).
    index: Option<u64>,
}

/// What the chunks of every file join while loading.
struct Joining {
    limits: Limits,
    /// To the thread that appends chunks to the case's table.
    events: Mutex<Option<std::sync::mpsc::SyncSender<Chunk>>>,
    rejects: Mutex<KeptRejects>,
    directory: Mutex<Directory>,
}

/// One file's hash and record counts.
struct FileResult {
    /// Of the file as opened (a path renamed meanwhile still names it).
    identity: Option<FileIdentity>,
    /// Why the hash may not be of the file as it is now.
    changed: Option<String>,
    sha256: String,
    bytes: u64,
    rows: u64,
    events: u64,
    rejected: u64,
    cut_short: bool,
}

/// Per-file counters the chunk workers add to.
#[derive(Default)]
struct Counts {
    rows: AtomicU64,
    events: AtomicU64,
    rejected: AtomicU64,
    cut_short: AtomicBool,
}

fn renumber_sources(store: &mut Store, new_id: &[u32]) {
    let map = |id: &mut u32| *id = new_id.get(*id as usize).copied().unwrap_or(*id);
    store.events.source.iter_mut().for_each(map);
    store.rejects.iter_mut().for_each(|r| map(&mut r.source));
    store
        .omitted_rejects
        .iter_mut()
        .for_each(|o| map(&mut o.source));
    store
        .directory
        .origins_mut()
        .for_each(|o| map(&mut o.source));
}

fn read_source(
    candidate: &Candidate,
    plan: &Plan,
    source: u32,
    progress: &LoadProgress,
    case: &Joining,
) -> Result<FileResult, String> {
    if let Ok(mut current) = progress.current_file.lock() {
        current.clone_from(&candidate.display);
    }
    let describe = |e: std::io::Error| input::describe_io(&e);
    // The identity of the file as opened (a buffered pipe: the FIFO's).
    let (file, identity): (Box<dyn Read + Send>, _) = match &candidate.buffered {
        Some(_) => (
            candidate.open().map_err(describe)?,
            std::fs::metadata(&candidate.path).ok(),
        ),
        None => {
            let file = input::open_evidence(&candidate.path).map_err(describe)?;
            let metadata = file.metadata().ok();
            (Box::new(file), metadata)
        }
    };
    // Size and time of change before reading, to tell whether the file
    // changed while it was read (a log still being written).
    let before = identity.as_ref().map(|m| (m.len(), m.modified().ok()));
    let identity = identity.and_then(|m| FileIdentity::of(&m));
    let mut raw = HashingReader::new(file, Some(&progress.read_bytes));
    let counts = Counts::default();
    let target = Target {
        source,
        case,
        counts: &counts,
        progress,
    };
    let result = if plan.gzip {
        let decoder = flate2::read::MultiGzDecoder::new(&mut raw);
        let most = candidate
            .size()
            .saturating_mul(case.limits.max_gzip_ratio)
            .max(1 << 20);
        read_chunks(input::Bounded::new(decoder, most), plan, &target)
    } else {
        read_chunks(&mut raw, plan, &target)
    };
    result?;
    // Records already joined the case: a failure now only leaves the hash unknown.
    let (sha256, bytes) = raw
        .finish()
        .unwrap_or_else(|e| (format!("unknown: {}", input::describe_io(&e)), 0));
    let changed = match (&candidate.buffered, before) {
        (None, Some((size, modified))) => {
            let after = std::fs::metadata(&candidate.path).ok();
            let now = after.as_ref().map(|m| (m.len(), m.modified().ok()));
            (now != Some((size, modified)) || bytes != size).then(|| {
                format!(
                    "the file changed while it was read ({} bytes before, {} read, {} after): the hash and records are of the bytes read; load it again once it is complete",
                    size,
                    bytes,
                    now.map_or("unknown".to_string(), |(s, _)| s.to_string())
                )
            })
        }
        _ => None,
    };
    Ok(FileResult {
        identity,
        changed,
        sha256,
        bytes,
        rows: counts.rows.into_inner(),
        events: counts.events.into_inner(),
        rejected: counts.rejected.into_inner(),
        cut_short: counts.cut_short.into_inner(),
    })
}
