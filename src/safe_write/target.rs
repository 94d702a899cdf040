//! Where an output may go: never over an input or a file the user owns,
//! never over an existing file unless asked.

use std::path::Path;

use super::WriteError;
use crate::model::owned::{self, OwnedKind};
use crate::model::{FileIdentity, SourceInfo};

/// Refuses targets that are inputs of the case or any other file the run
/// reads or owns (`model::owned`: the case file and its side files, GeoIP
/// databases, rules...), with or without `force`, and targets that exist
/// when `force` is off. An input is recognized by the file it is (device
/// and inode) and by its canonical path, so no spelling, encoding, symbolic
/// or hard link of it passes; a link, even one pointing nowhere, is
/// something that exists.
pub fn check_target(target: &Path, inputs: &[SourceInfo], force: bool) -> Result<(), WriteError> {
    if target.is_dir() {
        return Err(WriteError::IsFolder(target.to_path_buf()));
    }
    let exists = std::fs::symlink_metadata(target).is_ok();
    if exists && let Ok(followed) = std::fs::metadata(target) {
        let identity = FileIdentity::of(&followed);
        let canonical = target.canonicalize().ok();
        let is_input = inputs.iter().any(|input| {
            (identity.is_some() && input.identity == identity)
                || (canonical.is_some() && input.file.canonicalize().ok() == canonical)
        });
        if is_input {
            return Err(WriteError::IsInput(target.to_path_buf()));
        }
    }
    if let Some(kind) = owned::owner_of(target) {
        return Err(match kind {
            OwnedKind::Evidence => WriteError::IsInput(target.to_path_buf()),
            kind => WriteError::Owned {
                path: target.to_path_buf(),
                what: kind.what(),
            },
        });
    }
    if !exists {
        return Ok(()); // nothing there
    }
    // With `force`, a link is replaced (renamed over), never what it points to.
    if !force {
        return Err(WriteError::Exists(target.to_path_buf()));
    }
    Ok(())
}
