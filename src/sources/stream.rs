//! Reading a pipe, FIFO or device once, in a way a cancelled load can leave: no wait outlasts the next look at the cancel flag.

use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long one wait for a writer or for data lasts before the cancel flag
/// is looked at again.
const WAIT: Duration = Duration::from_millis(100);

/// Reads the stream at `path` to its end, but no more than `limit + 1`
/// bytes (so a longer stream can be told apart). A FIFO with no writer yet,
/// or a writer that pauses, is waited for in short steps: setting `cancel`
/// ends the read with an `Interrupted` error.
pub fn read_stream(path: &Path, limit: u64, cancel: &AtomicBool) -> io::Result<Vec<u8>> {
    let mut file = super::input::open_evidence_without_waiting(path)?;
    let mut bytes = Vec::new();
    let mut block = vec![0u8; 64 * 1024];
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "the load was cancelled while the stream was being read",
            ));
        }
        if !wait_readable(&file, WAIT)? {
            continue;
        }
        match file.read(&mut block) {
            Ok(0) => return Ok(bytes),
            Ok(n) => {
                bytes.extend_from_slice(&block[..n]);
                if bytes.len() as u64 > limit {
                    return Ok(bytes);
                }
            }
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                ) => {}
            Err(err) => return Err(err),
        }
    }
}

/// Whether the file has data (or its writer left) within `timeout`. A FIFO
/// whose writer never came reports neither, so the caller keeps waiting.
#[cfg(unix)]
fn wait_readable(file: &std::fs::File, timeout: Duration) -> io::Result<bool> {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let mut fds = [PollFd::new(file, PollFlags::IN)];
    let timeout = Timespec {
        tv_sec: timeout.as_secs() as _,
        tv_nsec: timeout.subsec_nanos() as _,
    };
    match poll(&mut fds, Some(&timeout)) {
        Ok(ready) => Ok(ready > 0),
        Err(rustix::io::Errno::INTR) => Ok(false),
        Err(err) => Err(err.into()),
    }
}

/// Elsewhere a read blocks: a stream there is read as a file is.
#[cfg(not(unix))]
fn wait_readable(_file: &std::fs::File, _timeout: Duration) -> io::Result<bool> {
    Ok(true)
}

#[cfg(all(test, unix))]
#[expect(clippy::disallowed_methods, reason = "tests write their fixtures")]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::mpsc;

    fn fifo_in(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("pipe");
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            &path,
            rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
        )
        .expect("mkfifo");
        path
    }

    #[test]
    fn a_fifo_with_no_writer_stops_waiting_when_the_load_is_cancelled() {
        let dir = tempfile::tempdir().unwrap();
        let path = fifo_in(dir.path());
        let cancel = Arc::new(AtomicBool::new(false));
        let (done, result) = mpsc::channel();
        let flag = Arc::clone(&cancel);
        // A read that never returns leaves this thread behind, and the test fails.
        std::thread::spawn(move || {
            let _ = done.send(read_stream(&path, 1 << 20, &flag));
        });
        std::thread::sleep(Duration::from_millis(250));
        cancel.store(true, Ordering::Relaxed);
        let read = result
            .recv_timeout(Duration::from_secs(5))
            .expect("the read did not end after the load was cancelled");
        assert_eq!(read.unwrap_err().kind(), io::ErrorKind::Interrupted);
    }

    #[test]
    fn a_load_waiting_for_a_named_fifo_ends_as_cancelled_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = fifo_in(dir.path());
        let progress = Arc::new(crate::sources::LoadProgress::default());
        let (done, result) = mpsc::channel();
        let shared = Arc::clone(&progress);
        std::thread::spawn(move || {
            let _ = done.send(crate::sources::load(&[path], &shared));
        });
        std::thread::sleep(Duration::from_millis(250));
        progress.cancel.store(true, Ordering::Relaxed);
        let loaded = result
            .recv_timeout(Duration::from_secs(5))
            .expect("the load did not end after it was cancelled");
        assert!(loaded.cancelled);
        assert_eq!(loaded.store.events.len(), 0);
    }

    #[test]
    fn a_fifo_is_read_to_its_end_whatever_its_writer_does() {
        let dir = tempfile::tempdir().unwrap();
        let path = fifo_in(dir.path());
        let writer_path = path.clone();
        let writer = std::thread::spawn(move || {
            // The writer comes late and pauses between writes.
            std::thread::sleep(Duration::from_millis(150));
            let mut fifo = std::fs::OpenOptions::new()
                .write(true)
                .open(writer_path)
                .unwrap();
            for part in [&b"first line\n"[..], b"second line\n"] {
                io::Write::write_all(&mut fifo, part).unwrap();
                std::thread::sleep(Duration::from_millis(150));
            }
        });
        let bytes = read_stream(&path, 1 << 20, &AtomicBool::new(false)).unwrap();
        writer.join().unwrap();
        assert_eq!(bytes, b"first line\nsecond line\n");
    }

    #[test]
    fn a_stream_longer_than_the_limit_stops_one_byte_past_it() {
        let bytes = read_stream(Path::new("/dev/zero"), 100_000, &AtomicBool::new(false)).unwrap();
        assert!(bytes.len() > 100_000 && bytes.len() <= 100_000 + 64 * 1024);
    }
}
