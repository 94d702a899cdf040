//! Reading the recognized files: each in chunks on every core, the chunks
//! joined in order into one `Store`, sources renumbered in the order given.

use super::*;

/// Everything the files' chunks added, in the order they were parsed.
pub(super) struct Joined {
    pub(super) events: EventTable,
    pub(super) rejects: Vec<Reject>,
    pub(super) omitted_rejects: Vec<OmittedRejects>,
    pub(super) directory: Directory,
}

/// Reads every accepted file, files and chunks in parallel. One thread
/// appends parsed chunks to the case while the pool parses the next ones:
/// appending interns values and is serial by nature.
pub(super) fn read_all(
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
pub(super) struct Chunk {
    pub(super) events: EventTable,
    pub(super) source: u32,
    pub(super) line_base: u64,
    /// Its place among the file's chunks (`None`: no place to keep).
    pub(super) index: Option<u64>,
}

/// What the chunks of every file join while loading.
pub(super) struct Joining {
    pub(super) limits: Limits,
    /// To the thread that appends chunks to the case's table.
    pub(super) events: Mutex<Option<std::sync::mpsc::SyncSender<Chunk>>>,
    pub(super) rejects: Mutex<KeptRejects>,
    pub(super) directory: Mutex<Directory>,
}

/// One file's hash and record counts.
pub(super) struct FileResult {
    /// Of the file as opened (a path renamed meanwhile still names it).
    pub(super) identity: Option<FileIdentity>,
    /// Why the hash may not be of the file as it is now.
    pub(super) changed: Option<String>,
    pub(super) sha256: String,
    pub(super) bytes: u64,
    pub(super) rows: u64,
    pub(super) events: u64,
    pub(super) rejected: u64,
    pub(super) cut_short: bool,
}

/// Per-file counters the chunk workers add to.
#[derive(Default)]
pub(super) struct Counts {
    pub(super) rows: AtomicU64,
    pub(super) events: AtomicU64,
    pub(super) rejected: AtomicU64,
    pub(super) cut_short: AtomicBool,
}

pub(super) fn renumber_sources(store: &mut Store, new_id: &[u32]) {
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

pub(super) fn read_source(
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
