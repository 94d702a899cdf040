//! Reading one file's stream in chunks of whole records, parsed on every
//! core and joined to the case in file order: where records end (within
//! the record limit, skipping an oversized one), how lines are numbered
//! across chunks, and what a read error leaves.

use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::boundary::Boundaries;
use super::detect::Plan;
use super::input::{self, Splitter};
use super::read::{Chunk, Counts, Joining};
use super::{LoadProgress, Parsed, csv_rows};
use crate::model::{Reject, RejectKind};

/// Bytes read from a stream at a time.
const BLOCK: usize = 1 << 20;
/// Records are parsed in chunks of about this many bytes.
const CHUNK: usize = 4 << 20;

/// Where one file's parsed chunks go.
pub(super) struct Target<'a> {
    pub(super) source: u32,
    pub(super) case: &'a Joining,
    pub(super) counts: &'a Counts,
    pub(super) progress: &'a LoadProgress,
}

impl Target<'_> {
    /// Adds a parsed chunk that starts after `line_base` lines of the file;
    /// `index` is its place among the file's chunks.
    fn join(&self, parsed: Parsed, line_base: u64, index: Option<u64>) {
        let rejected = parsed.rejected();
        let Parsed {
            events,
            mut rejects,
            omitted,
            mut directory,
            rows,
            cut_short,
        } = parsed;
        if cut_short {
            self.counts.cut_short.store(true, Ordering::Relaxed);
        }
        self.counts.rows.fetch_add(rows, Ordering::Relaxed);
        self.counts
            .events
            .fetch_add(events.len() as u64, Ordering::Relaxed);
        self.counts.rejected.fetch_add(rejected, Ordering::Relaxed);
        self.progress
            .events
            .fetch_add(events.len() as u64, Ordering::Relaxed);
        for reject in &mut rejects {
            reject.source = self.source;
            reject.line += line_base;
        }
        directory.set_origin(self.source, line_base);
        if rejected > 0
            && let Ok(mut all) = self.case.rejects.lock()
        {
            all.add(self.source, rejects);
            if let Some((first, last, count)) = omitted {
                all.omit(self.source, first + line_base, last + line_base, count);
            }
        }
        if !directory.is_empty()
            && let Ok(mut all) = self.case.directory.lock()
        {
            all.extend(directory);
        }
        // A numbered chunk is sent even when empty: the merger waits for it.
        if !events.is_empty() || index.is_some() {
            let sender = self.case.events.lock().ok().and_then(|s| s.clone());
            if let Some(sender) = sender {
                // The merger only stops when every sender is gone.
                let _ = sender.send(Chunk {
                    events,
                    source: self.source,
                    line_base,
                    index,
                });
            }
        }
    }
}

/// Chunk buffers that were parsed, for the next chunks: a buffer taken from
/// the allocator for every chunk is pages the kernel zeroes for every chunk.
#[derive(Default)]
struct Buffers(std::sync::Mutex<Vec<Vec<u8>>>);

impl Buffers {
    /// A buffer starting with `rest` (the start of the next record), sized
    /// for a whole chunk so that filling it never moves it.
    fn take(&self, rest: &[u8]) -> Vec<u8> {
        let spare = self.0.lock().ok().and_then(|mut spare| spare.pop());
        let mut buffer = spare.unwrap_or_else(|| Vec::with_capacity(CHUNK + 2 * BLOCK));
        buffer.extend_from_slice(rest);
        buffer
    }

    /// Keeps `buffer` for a later chunk (a few at most).
    fn give_back(&self, mut buffer: Vec<u8>) {
        buffer.clear();
        if let Ok(mut spare) = self.0.lock()
            && spare.len() < 2 * rayon::current_num_threads() + 2
        {
            spare.push(buffer);
        }
    }
}

/// Reads the stream and parses it chunk by chunk, in parallel; each chunk
/// joins the case as soon as it is parsed, so memory stays near the case's size.
pub(super) fn read_chunks(
    mut reader: impl Read + Send,
    plan: &Plan,
    target: &Target<'_>,
) -> Result<(), String> {
    let importer = plan.importer.as_ref();
    let splitter = importer.splitter();
    let in_flight = AtomicUsize::new(0);
    let max_in_flight = 2 * rayon::current_num_threads();
    let mut first_error = None;

    let buffers = Buffers::default();
    let run = |chunk: Vec<u8>, first: bool, line_base: u64, index: u64| {
        let mut parsed = Parsed::default();
        importer.parse(&chunk, first, &mut parsed);
        buffers.give_back(chunk);
        target.join(parsed, line_base, Some(index));
    };

    // First in, first out: chunks are parsed in file order where they can
    // be, so they join the case without waiting long for an earlier one.
    rayon::scope_fifo(|scope| {
        let mut pending = buffers.take(&[]);
        let mut lines_dispatched = 0u64;
        // Lines of records left out (longer than the limit), so the lines
        // after them keep their numbers.
        // Physical lines: a CSV also ends one with a lone `\r`.
        let count_lines = |bytes: &[u8]| match splitter {
            Splitter::Csv => csv_rows::line_breaks(bytes),
            _ => memchr::memchr_iter(b'\n', bytes).count() as u64,
        };
        let lines_skipped = std::cell::Cell::new(0u64);
        let skip_lines = |bytes: &[u8]| {
            lines_skipped.set(lines_skipped.get() + count_lines(bytes));
        };
        let mut chunks_dispatched = 0usize;
        let mut dispatch = |chunk: Vec<u8>| {
            let base = lines_dispatched + lines_skipped.get();
            lines_dispatched += count_lines(&chunk);
            let is_first = chunks_dispatched == 0;
            let index = chunks_dispatched as u64;
            chunks_dispatched += 1;
            // Enough in flight: parse the oldest waiting chunk here first
            // (when every thread reads a file, no other would), so chunks
            // do not pile up behind one that never got its turn.
            while in_flight.load(Ordering::Acquire) >= max_in_flight
                && matches!(rayon::yield_local(), Some(rayon::Yield::Executed))
            {}
            if in_flight.load(Ordering::Acquire) >= max_in_flight {
                run(chunk, is_first, base, index);
            } else {
                in_flight.fetch_add(1, Ordering::AcqRel);
                let (run, in_flight) = (&run, &in_flight);
                scope.spawn_fifo(move |_| {
                    run(chunk, is_first, base, index);
                    in_flight.fetch_sub(1, Ordering::AcqRel);
                });
            }
            base
        };
        let mut dispatched_any = false;
        let mut boundaries = Boundaries::new(splitter);
        // Bytes of a record longer than the limit are dropped up to its end.
        let mut skipping = false;
        let max_record = target.case.limits.max_record_bytes;
        // A JSON document read whole (the Pydio admin export, shared
        // resources) is one record: past the limit it is refused, not held.
        let whole_document = matches!(
            plan.format,
            crate::model::Format::PydioAuditExportJson | crate::model::Format::PydioSharedResources
        );
        loop {
            if target.progress.cancel.load(Ordering::Relaxed) {
                return;
            }
            let (eof, damage) = match input::fill(&mut reader, &mut pending, BLOCK) {
                Ok(0) => (true, None),
                Ok(_) => (false, None),
                Err(err) => (true, Some(err)),
            };
            if let Some(err) = damage {
                // Keep every complete record before the damage; report the
                // rest (after the end of a record being skipped, if any).
                boundaries.last_in(&pending);
                if skipping {
                    let end = boundaries.first().unwrap_or(pending.len());
                    skip_lines(&pending[..end]);
                    pending.drain(..end);
                    boundaries.consume(end);
                }
                let cut = boundaries.last_in(&pending).unwrap_or(0);
                let tail = pending.split_off(cut);
                let nothing_read = !dispatched_any && pending.is_empty() && tail.is_empty();
                if !pending.is_empty() {
                    dispatch(std::mem::take(&mut pending));
                }
                if nothing_read {
                    first_error = Some(format!("could not be read ({err})"));
                    return;
                }
                let (kind, reason) = if let Some(most) = input::over_limit(&err) {
                    (
                        RejectKind::OverLimit,
                        format!(
                            "decompressed to more than {} ({} times its size, a limit against gzip bombs); nothing after this point was read",
                            crate::display::bytes(most),
                            target.case.limits.max_gzip_ratio
                        ),
                    )
                } else if plan.gzip && err.kind() == std::io::ErrorKind::UnexpectedEof {
                    (
                        RejectKind::CutShort,
                        format!(
                            "the gzip stream ends early: the file is cut short ({err}); nothing after this point could be read"
                        ),
                    )
                } else if plan.gzip {
                    (
                        RejectKind::Unreadable,
                        format!(
                            "the gzip data is damaged ({err}); nothing after this point could be read"
                        ),
                    )
                } else {
                    (
                        RejectKind::Unreadable,
                        format!("the file could not be read to the end ({err})"),
                    )
                };
                let mut parsed = Parsed::default();
                parsed.reject(1, kind, reason, &tail);
                parsed.rows = 1;
                // A document read whole was never dispatched: nothing to
                // count lines after (and an empty one would be parsed).
                let base = if splitter == Splitter::Whole {
                    0
                } else {
                    dispatch(Vec::new())
                };
                target.join(parsed, base, None);
                return;
            }
            if whole_document && pending.len() > max_record {
                let mut parsed = Parsed::default();
                let reason = format!(
                    "one JSON document larger than {} (the record limit, --max-record-mib): not read",
                    crate::display::bytes(max_record as u64)
                );
                parsed.reject(
                    1,
                    RejectKind::OverLimit,
                    reason,
                    &pending[..pending.len().min(Reject::RAW_CAP)],
                );
                parsed.rows = 1;
                // Nothing was dispatched before: a whole document is
                // dispatched at its end only.
                target.join(parsed, 0, None);
                return;
            }
            let mut boundary = boundaries.last_in(&pending);
            if skipping {
                // The rest of the oversized record, up to its end.
                let first = boundaries.first();
                let end = first.unwrap_or(pending.len());
                skip_lines(&pending[..end]);
                pending.drain(..end);
                boundaries.consume(end);
                boundary = boundaries.last_in(&pending);
                skipping = first.is_none() && !eof;
            } else if splitter != Splitter::Whole
                && pending.len() - boundary.unwrap_or(0) > max_record
            {
                // The records before it go as usual.
                if let Some(cut) = boundary.filter(|&c| c > 0) {
                    let rest = pending.split_off(cut);
                    boundaries.consume(cut);
                    dispatch(std::mem::replace(&mut pending, rest));
                }
                // One record longer than the limit: one reject at its first
                // line; the file goes on after its end.
                let mut parsed = Parsed::default();
                let reason = format!(
                    "a record longer than {} (the limit): left out up to its end",
                    crate::display::bytes(max_record as u64)
                );
                parsed.reject(1, RejectKind::OverLimit, reason, &pending);
                parsed.rows = 1;
                let base = dispatch(Vec::new());
                target.join(parsed, base, None);
                skip_lines(&pending);
                boundaries.consume(pending.len());
                pending.clear();
                skipping = !eof;
                dispatched_any = true;
                continue;
            }
            let full = pending.len() >= CHUNK;
            if !skipping && (eof || full) {
                let cut = if eof { Some(pending.len()) } else { boundary };
                if let Some(cut) = cut.filter(|&c| c > 0) {
                    let rest = buffers.take(&pending[cut..]);
                    pending.truncate(cut);
                    boundaries.consume(cut);
                    dispatch(std::mem::replace(&mut pending, rest));
                    dispatched_any = true;
                }
            }
            if eof {
                return;
            }
        }
    });
    match first_error {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::input::Candidate;
    use crate::sources::rejects_kept::KeptRejects;
    use crate::sources::{Limits, detect};
    use std::sync::Mutex;

    /// Gives `good`, then fails as a failing disk does (EIO).
    struct FailsAfter<'a> {
        good: &'a [u8],
    }

    impl Read for FailsAfter<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.good.is_empty() {
                return Err(std::io::Error::from_raw_os_error(5));
            }
            let n = buf.len().min(self.good.len());
            buf[..n].copy_from_slice(&self.good[..n]);
            self.good = &self.good[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_read_error_mid_file_keeps_the_records_before_it_and_rejects_the_rest_at_its_line() {
        let log: &[u8] = include_bytes!("../../assets/samples/pydio/audit.log");
        let fourth_line = memchr::memchr_iter(b'\n', log).nth(2).unwrap() + 1;
        // Three whole lines and half of the fourth, then the error.
        let good = &log[..fourth_line + 40];
        let candidate = Candidate {
            path: "audit.log".into(),
            display: "audit.log".into(),
            explicit: true,
            buffered: Some(log.into()),
        };
        let plan = detect::plan_for(&candidate).unwrap();
        let limits = Limits::default();
        let case = Joining {
            limits,
            events: Mutex::new(None),
            rejects: Mutex::new(KeptRejects::new(limits.max_rejects_kept)),
            directory: Mutex::default(),
        };
        let (counts, progress) = (Counts::default(), LoadProgress::default());
        let target = Target {
            source: 0,
            case: &case,
            counts: &counts,
            progress: &progress,
        };
        // The events go through a channel the test reads back.
        let (events_in, events_out) = std::sync::mpsc::sync_channel(64);
        *case.events.lock().unwrap() = Some(events_in);
        let read = read_chunks(FailsAfter { good }, &plan, &target);
        drop(case.events.lock().unwrap().take());

        assert_eq!(read, Ok(()), "records were read before the error");
        let events: usize = events_out.iter().map(|chunk| chunk.events.len()).sum();
        assert_eq!(events, 3);
        let (rejects, omitted) = case.rejects.into_inner().unwrap().into_parts();
        assert!(omitted.is_empty());
        assert_eq!(rejects.len(), 1, "{rejects:?}");
        assert_eq!(rejects[0].line, 4);
        assert!(
            rejects[0]
                .reason
                .starts_with("the file could not be read to the end")
                && rejects[0].reason.contains("os error 5"),
            "{}",
            rejects[0].reason
        );
        assert_eq!(rejects[0].raw.as_bytes(), &good[fourth_line..]);
        assert_eq!(counts.rows.into_inner(), 4);
    }
}
