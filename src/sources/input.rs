//! Reading inputs: folder expansion, read-only opening, transparent gzip, and splitting a stream into chunks of whole records.

use crate::model::owned::{self, OwnedKind};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// A file to load, and whether the user named it (errors) or a folder held it (skips).
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    /// The path as shown to the user: as given, or as found under a given folder.
    pub display: String,
    pub explicit: bool,
    /// A pipe, FIFO or device named by the user, read once into memory
    /// (`buffer_streams`): it cannot be read twice, and detection reads
    /// the start of a file before the load reads all of it.
    pub buffered: Option<Arc<[u8]>>,
}

impl Candidate {
    /// Whether the path is not a regular file (a pipe, FIFO, device or socket).
    pub fn is_stream(&self) -> bool {
        std::fs::metadata(&self.path).is_ok_and(|m| !m.is_file() && !m.is_dir())
    }

    /// Opens the content for reading: the file, or the buffered stream.
    pub fn open(&self) -> io::Result<Box<dyn Read + Send>> {
        match &self.buffered {
            Some(bytes) => Ok(Box::new(io::Cursor::new(Arc::clone(bytes)))),
            None => Ok(Box::new(open_evidence(&self.path)?)),
        }
    }

    /// Every byte of the content.
    pub fn read_all(&self) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.open()?.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// The content's size, when known before reading.
    pub fn size(&self) -> u64 {
        match &self.buffered {
            Some(bytes) => bytes.len() as u64,
            None => std::fs::metadata(&self.path).map_or(0, |m| m.len()),
        }
    }
}

/// Reads each named stream (a pipe such as `/dev/stdin`, a FIFO) once into
/// memory, up to `limit` bytes; a longer one is an error with its reason.
/// Regular files are read in place, as they are needed.
/// Waiting for a writer or for data ends when `cancel` is set.
pub fn buffer_streams(
    candidates: &mut Vec<Candidate>,
    errors: &mut Vec<(String, String)>,
    limit: u64,
    cancel: &AtomicBool,
) {
    candidates.retain_mut(|candidate| {
        if !candidate.is_stream() {
            return true;
        }
        match super::stream::read_stream(&candidate.path, limit, cancel) {
            Ok(bytes) if bytes.len() as u64 > limit => {
                errors.push((
                    candidate.display.clone(),
                    format!(
                        "a pipe or device longer than {} (the limit for streams, which are read into memory): save it to a file first",
                        crate::display::bytes(limit)
                    ),
                ));
                false
            }
            Ok(bytes) => {
                candidate.buffered = Some(bytes.into());
                true
            }
            Err(err) => {
                errors.push((candidate.display.clone(), describe_io(&err)));
                false
            }
        }
    });
}

/// The files to load, found from the paths given.
#[derive(Debug, Default)]
pub struct Expanded {
    pub found: Vec<Candidate>,
    /// Named paths that could not be read: (path, reason).
    pub errors: Vec<(String, String)>,
    /// Things under a named folder that were passed over: (path, reason).
    pub skipped: Vec<(String, String)>,
    /// GeoIP databases (`*.mmdb`) named or found in a folder: reference
    /// data used to place addresses, not evidence.
    pub geoip: Vec<PathBuf>,
}

/// A MaxMind DB file, by its name: set aside as a GeoIP database.
pub fn is_geoip_database(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("mmdb"))
}

/// Expands folders recursively, sorted by name. Under a folder, hidden files,
/// links to folders (which could loop) and unreadable folders are listed as
/// skipped, never silently dropped. A named path that cannot be read is an error.
pub fn expand(paths: &[PathBuf]) -> Expanded {
    let mut expanded = Expanded::default();
    for path in paths {
        let display = path.display().to_string();
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => match std::fs::read_dir(path) {
                Ok(_) => {
                    owned::register(path, OwnedKind::EvidenceFolder);
                    walk(path, &mut expanded)
                }
                Err(err) => expanded.errors.push((display, describe_io(&err))),
            },
            Ok(meta) if meta.is_file() && is_geoip_database(path) => {
                owned::register(path, OwnedKind::GeoIp);
                expanded.geoip.push(path.clone())
            }
            Ok(_) => {
                owned::register(path, OwnedKind::Evidence);
                expanded.found.push(Candidate {
                    path: path.clone(),
                    display,
                    explicit: true,
                    buffered: None,
                })
            }
            Err(err) => {
                owned::register(path, OwnedKind::Evidence);
                expanded.errors.push((display, describe_io(&err)))
            }
        }
    }
    expanded
}

fn walk(dir: &Path, expanded: &mut Expanded) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            let reason = format!("folder could not be read: {}", describe_io(&err));
            expanded.skipped.push((dir.display().to_string(), reason));
            return;
        }
    };
    let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    children.sort();
    for child in children {
        let display = child.display().to_string();
        let hidden = child
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        let is_link = std::fs::symlink_metadata(&child).is_ok_and(|m| m.file_type().is_symlink());
        if !child.is_dir() || is_link {
            // Read or passed over, it is evidence: never an output. (One
            // that is read is also a source, which the writer names so.)
            let kind = if is_geoip_database(&child) {
                OwnedKind::GeoIp
            } else {
                OwnedKind::PassedOver
            };
            owned::register(&child, kind);
        }
        if hidden {
            let reason = "hidden file or folder: name it explicitly to load it".to_string();
            expanded.skipped.push((display, reason));
        } else if child.is_dir() && is_link {
            let reason = "link to a folder, not followed: name the folder itself to load it";
            expanded.skipped.push((display, reason.to_string()));
        } else if child.is_dir() {
            walk(&child, expanded);
        } else if std::fs::metadata(&child).is_ok_and(|m| !m.is_file()) {
            // Opening a FIFO waits for a writer: the load would hang.
            let reason = "a pipe, device or socket, not a file: name it explicitly to read it";
            expanded.skipped.push((display, reason.to_string()));
        } else if is_geoip_database(&child) {
            expanded.geoip.push(child);
        } else {
            expanded.found.push(Candidate {
                display,
                path: child,
                explicit: false,
                buffered: None,
            });
        }
    }
}

pub use crate::display::describe_io;

/// Opens evidence read-only. Nothing in auditview opens an input any other way.
pub fn open_evidence(path: &Path) -> io::Result<File> {
    crate::hash::open_read_only(path)
}

/// Opens evidence read-only without waiting: a FIFO opens at once, with or
/// without a writer, and reads from it never block (`stream::read_stream`).
#[expect(clippy::disallowed_methods, reason = "opened for reading only")]
pub fn open_evidence_without_waiting(path: &Path) -> io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let nonblocking = rustix::fs::OFlags::NONBLOCK.bits() as i32;
        File::options()
            .read(true)
            .custom_flags(nonblocking)
            .open(path)
    }
    #[cfg(not(unix))]
    open_evidence(path)
}

pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The first `limit` bytes of the content, decompressed if the file is gzip.
pub fn read_head(candidate: &Candidate, limit: usize) -> io::Result<Vec<u8>> {
    let mut raw = Vec::with_capacity(limit.min(1 << 16));
    candidate.open()?.take(limit as u64).read_to_end(&mut raw)?;
    if !raw.starts_with(&GZIP_MAGIC) {
        return Ok(raw);
    }
    let mut head = Vec::with_capacity(limit);
    let decoder = flate2::read::MultiGzDecoder::new(candidate.open()?);
    // A damaged stream still yields what came before the damage.
    if let Err(err) = decoder.take(limit as u64).read_to_end(&mut head)
        && head.is_empty()
    {
        return Err(io::Error::new(
            err.kind(),
            format!("gzip data is damaged before any content ({err})"),
        ));
    }
    Ok(head)
}

/// Where a chunk of records may safely end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Splitter {
    /// One record per line (JSON lines).
    Lines,
    /// A record per line that starts one (`pydio_console::starts_record`),
    /// with the lines after it that do not (wrapped lines, stack traces).
    Records,
    /// RFC 4180: a newline outside quotes (`boundary` reads quotes as the
    /// csv crate does). Chunks start at a record boundary.
    Csv,
    /// The whole file is one unit (JSON documents, workbooks, small reports).
    Whole,
}

/// Appends up to `want` bytes from `reader` to `buf`; returns how many were
/// read (0 at the end). Bytes read before an error stay in `buf`. The bytes
/// go into `buf`'s spare capacity as they are (no zeroing first).
pub fn fill(reader: &mut impl Read, buf: &mut Vec<u8>, want: usize) -> io::Result<usize> {
    let start = buf.len();
    buf.reserve(want);
    let result = reader.by_ref().take(want as u64).read_to_end(buf);
    result.map(|_| buf.len() - start)
}

/// A reader that fails once more than `most` bytes went through it: for
/// decompressed content, whose size the file does not bound.
pub struct Bounded<R> {
    inner: R,
    left: u64,
    most: u64,
}

/// The error a `Bounded` reader gives at its limit.
#[derive(Debug)]
struct OverLimit(u64);

impl std::fmt::Display for OverLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "more than {} bytes", self.0)
    }
}

impl std::error::Error for OverLimit {}

impl<R: Read> Bounded<R> {
    pub fn new(inner: R, most: u64) -> Bounded<R> {
        Bounded {
            inner,
            left: most,
            most,
        }
    }
}

/// The limit, when `err` is a `Bounded` reader's over its limit.
pub fn over_limit(err: &io::Error) -> Option<u64> {
    err.get_ref()
        .and_then(|e| e.downcast_ref::<OverLimit>())
        .map(|over| over.0)
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // One byte more tells whether the content goes on.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(OverLimit(self.most))),
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}
