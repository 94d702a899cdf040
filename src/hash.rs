//! SHA-256, the one hash of evidence and exports: while reading an input,
//! while writing an export, of a file, always shown as lower-case hex.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

/// Lower-case hexadecimal, as SHA-256 digests are shown everywhere.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

/// The SHA-256 of `bytes`, as hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Hashes every byte that passes through, so the hash is of the file as stored,
/// and counts them into a shared progress counter.
pub struct HashingReader<'p, R> {
    inner: R,
    hasher: Sha256,
    pub bytes: u64,
    progress: Option<&'p AtomicU64>,
}

impl<'p, R: Read> HashingReader<'p, R> {
    pub fn new(inner: R, progress: Option<&'p AtomicU64>) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
            progress,
        }
    }

    /// Reads what is left, so the hash covers the whole file, and returns it as hex.
    pub fn finish(mut self) -> io::Result<(String, u64)> {
        let mut sink = vec![0u8; 1 << 16];
        while self.read(&mut sink)? > 0 {}
        let digest = self.hasher.finalize();
        Ok((hex(&digest), self.bytes))
    }
}

impl<R: Read> Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        if let Some(progress) = self.progress {
            progress.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// Hashes what is written through it.
pub struct HashingWriter<W: Write> {
    inner: BufWriter<W>,
    hasher: Sha256,
}

impl<W: Write> HashingWriter<W> {
    pub fn new(inner: W) -> Self {
        HashingWriter {
            inner: BufWriter::with_capacity(1 << 20, inner),
            hasher: Sha256::new(),
        }
    }

    /// Flushes and returns the hex digest.
    pub fn finish(mut self) -> io::Result<String> {
        self.inner.flush()?;
        Ok(hex(&self.hasher.finalize()))
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// SHA-256 of a file's bytes.
pub fn sha256_of_file(path: &Path) -> io::Result<String> {
    let mut file = open_read_only(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = io::Read::read(&mut file, &mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// A file opened for reading only (what is hashed may be evidence).
#[expect(clippy::disallowed_methods, reason = "opened for reading only")]
pub fn open_read_only(path: &Path) -> io::Result<File> {
    File::options().read(true).open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashing_reader_hashes_what_it_reads_and_the_rest() {
        let mut reader = HashingReader::new(&b"abc"[..], None);
        let mut one = [0u8; 1];
        reader.read_exact(&mut one).unwrap();
        let (sha, bytes) = reader.finish().unwrap();
        assert_eq!(bytes, 3);
        assert_eq!(
            sha,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
