//! Why an output was not written where it was asked to go. The words name
//! the file and what went wrong; what the user can do (a flag, a dialog)
//! is the caller's.

use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{} is a folder", .0.display())]
    IsFolder(PathBuf),
    #[error("{} is one of the loaded input files: evidence is never overwritten", .0.display())]
    IsInput(PathBuf),
    /// A file the run reads or owns (case file, GeoIP database, rules...).
    #[error("{} is {what}: never written over, even with --force", .path.display())]
    Owned { path: PathBuf, what: &'static str },
    /// The target exists and replacing it was not asked for.
    #[error("{} already exists", .0.display())]
    Exists(PathBuf),
    #[error("cannot write in {}: {source}", .dir.display())]
    Folder { dir: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", .path.display())]
    Write { path: PathBuf, source: io::Error },
}
