//! Reading audit exports into a `Store`: detection by content, one importer
//! per format, parallel chunked parsing, and record accounting that loses nothing.

mod auditview_export;
mod basespace;
mod csv_rows;
pub mod detect;
mod dnanexus;
mod enrich;
pub mod input;
mod pydio_event;
mod pydio_export;
mod pydio_log;
mod pydio_resources;
pub mod timestamp;

use std::io::Read;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use crate::model::{Directory, EventTable, Format, Reject, SkippedPath, SourceInfo, Store};
use detect::Plan;
use input::{Candidate, HashingReader, Splitter};

pub use auditview_export::EXPORT_COLUMNS;

/// What one chunk of records became.
#[derive(Debug, Default)]
pub struct Parsed {
    pub events: EventTable,
    pub rejects: Vec<Reject>,
    pub directory: Directory,
    /// Data records seen: events, Directory records and rejects.
    pub rows: u64,
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

/// Bytes read from a stream at a time.
const BLOCK: usize = 1 << 20;
/// Records are parsed in chunks of about this many bytes.
const CHUNK: usize = 4 << 20;

/// Loads files and folders. Named files that cannot be read or recognized are
/// errors; unrecognized files found in folders are skipped with the reason.
pub fn load(paths: &[PathBuf], progress: &LoadProgress) -> Loaded {
    let (candidates, missing) = input::expand(paths);
    let mut errors: Vec<LoadError> = missing
        .into_iter()
        .map(|(path, message)| LoadError { path, message })
        .collect();
    let mut skipped = Vec::new();

    let plans: Vec<(Candidate, Result<Plan, String>)> = {
        use rayon::prelude::*;
        candidates
            .into_par_iter()
            .map(|c| {
                let plan = detect::plan_for(&c.path);
                (c, plan)
            })
            .collect()
    };
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
    let total: u64 = accepted
        .iter()
        .filter_map(|(c, _)| std::fs::metadata(&c.path).ok())
        .map(|m| m.len())
        .sum();
    progress.total_bytes.store(total, Ordering::Relaxed);

    let results: Vec<Result<FileResult, String>> = {
        use rayon::prelude::*;
        accepted
            .par_iter()
            .map(|(candidate, plan)| read_source(candidate, plan, progress))
            .collect()
    };

    let mut store = Store {
        skipped,
        ..Store::default()
    };
    for ((candidate, plan), result) in accepted.into_iter().zip(results) {
        match result {
            Ok(file) => store_file(&mut store, candidate.display, plan.format, file),
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
    store.events.sort_by_time();
    enrich::enrich(&mut store);
    progress
        .events
        .store(store.events.len() as u64, Ordering::Relaxed);
    Loaded {
        store,
        errors,
        cancelled: false,
    }
}

/// One file's chunks in order, each with the number of newlines it holds.
struct FileResult {
    chunks: Vec<(Parsed, u64)>,
    sha256: String,
    bytes: u64,
}

fn store_file(store: &mut Store, path: String, format: Format, file: FileResult) {
    let source = store.sources.len() as u32;
    let mut info = SourceInfo {
        path,
        format,
        sha256: file.sha256,
        bytes: file.bytes,
        rows: 0,
        events: 0,
        rejected: 0,
    };
    let mut line_base = 0;
    for (parsed, newlines) in file.chunks {
        info.rows += parsed.rows;
        info.events += parsed.events.len() as u64;
        info.rejected += parsed.rejects.len() as u64;
        store
            .rejects
            .extend(parsed.rejects.into_iter().map(|mut r| {
                r.source = source;
                r.line += line_base;
                r
            }));
        let mut directory = parsed.directory;
        let origins = directory
            .users
            .iter_mut()
            .map(|r| &mut r.origin)
            .chain(directory.memberships.iter_mut().map(|r| &mut r.origin))
            .chain(directory.shared_resources.iter_mut().map(|r| &mut r.origin));
        for origin in origins {
            origin.source = source;
            origin.line += line_base;
        }
        store.directory.extend(directory);
        store.events.append(parsed.events, source, line_base);
        line_base += newlines;
    }
    store.sources.push(info);
}

fn read_source(
    candidate: &Candidate,
    plan: &Plan,
    progress: &LoadProgress,
) -> Result<FileResult, String> {
    if let Ok(mut current) = progress.current_file.lock() {
        current.clone_from(&candidate.display);
    }
    let file = input::open_evidence(&candidate.path).map_err(|e| input::describe_io(&e))?;
    let mut raw = HashingReader::new(file, Some(&progress.read_bytes));
    let chunks = if plan.gzip {
        let decoder = flate2::read::MultiGzDecoder::new(&mut raw);
        read_chunks(decoder, plan, progress)
    } else {
        read_chunks(&mut raw, plan, progress)
    };
    let (sha256, bytes) = raw.finish().map_err(|e| input::describe_io(&e))?;
    Ok(FileResult {
        chunks: chunks?,
        sha256,
        bytes,
    })
}

/// Reads the stream and parses it chunk by chunk, in parallel, keeping order.
fn read_chunks(
    mut reader: impl Read + Send,
    plan: &Plan,
    progress: &LoadProgress,
) -> Result<Vec<(Parsed, u64)>, String> {
    let importer = plan.importer.as_ref();
    let splitter = importer.splitter();
    let results: Mutex<Vec<(usize, Parsed, u64)>> = Mutex::new(Vec::new());
    let in_flight = AtomicUsize::new(0);
    let max_in_flight = 2 * rayon::current_num_threads();
    let mut first_error = None;

    let run = |seq: usize, chunk: Vec<u8>| {
        let mut parsed = Parsed::default();
        importer.parse(&chunk, seq == 0, &mut parsed);
        let newlines = memchr::memchr_iter(b'\n', &chunk).count() as u64;
        if let Ok(mut results) = results.lock() {
            results.push((seq, parsed, newlines));
        }
    };

    rayon::scope(|scope| {
        let mut pending: Vec<u8> = Vec::new();
        let mut seq = 0usize;
        let dispatch = |chunk: Vec<u8>, seq: usize| {
            if in_flight.load(Ordering::Acquire) >= max_in_flight {
                run(seq, chunk);
            } else {
                in_flight.fetch_add(1, Ordering::AcqRel);
                let (run, in_flight) = (&run, &in_flight);
                scope.spawn(move |_| {
                    run(seq, chunk);
                    in_flight.fetch_sub(1, Ordering::AcqRel);
                });
            }
        };
        loop {
            if progress.cancel.load(Ordering::Relaxed) {
                return;
            }
            let (eof, damage) = match input::fill(&mut reader, &mut pending, BLOCK) {
                Ok(0) => (true, None),
                Ok(_) => (false, None),
                Err(err) => (true, Some(err)),
            };
            if let Some(err) = damage {
                // Keep every complete record before the damage; report the rest.
                let cut = splitter.last_boundary(&pending).unwrap_or(0);
                let tail = pending.split_off(cut);
                if !pending.is_empty() {
                    dispatch(std::mem::take(&mut pending), seq);
                    seq += 1;
                }
                let reason = if plan.gzip {
                    format!(
                        "the gzip data is damaged or cut short ({err}); nothing after this point could be read"
                    )
                } else {
                    format!("the file could not be read to the end ({err})")
                };
                let mut parsed = Parsed::default();
                parsed.rejects.push(Reject::new(1, reason, &tail));
                parsed.rows = 1;
                if let Ok(mut results) = results.lock() {
                    results.push((seq, parsed, 0));
                }
                if seq == 0 && tail.is_empty() {
                    first_error = Some(format!("could not be read ({err})"));
                }
                return;
            }
            let full = pending.len() >= CHUNK;
            if eof || full {
                let cut = if eof {
                    Some(pending.len())
                } else {
                    splitter.last_boundary(&pending)
                };
                if let Some(cut) = cut.filter(|&c| c > 0) {
                    let rest = pending.split_off(cut);
                    dispatch(std::mem::replace(&mut pending, rest), seq);
                    seq += 1;
                }
            }
            if eof {
                return;
            }
        }
    });
    if let Some(error) = first_error {
        return Err(error);
    }
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(seq, _, _)| *seq);
    Ok(results.into_iter().map(|(_, p, n)| (p, n)).collect())
}
