//! Writing an export safely: into a temporary file beside the target, renamed
//! into place only when complete, never over an input, never over an existing
//! file unless asked. (The SHA-256 is computed while writing: `crate::hash`.)

use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::ExportError;
use crate::model::{FileIdentity, SourceInfo};

/// Refuses targets that are inputs of the case, or exist when `force` is
/// off. An input is recognized by the file it is (device and inode) and by
/// its canonical path, so no spelling, encoding, symbolic or hard link of it
/// passes; a link, even one pointing nowhere, is something that exists.
pub fn check_target(target: &Path, inputs: &[SourceInfo], force: bool) -> Result<(), ExportError> {
    if target.is_dir() {
        return Err(ExportError::IsFolder(target.to_path_buf()));
    }
    if std::fs::symlink_metadata(target).is_err() {
        return Ok(()); // nothing there
    }
    if let Ok(followed) = std::fs::metadata(target) {
        let identity = FileIdentity::of(&followed);
        let canonical = target.canonicalize().ok();
        let is_input = inputs.iter().any(|input| {
            (identity.is_some() && input.identity == identity)
                || (canonical.is_some() && input.file.canonicalize().ok() == canonical)
        });
        if is_input {
            return Err(ExportError::IsInput(target.to_path_buf()));
        }
    }
    // With `force`, a link is replaced (renamed over), never what it points to.
    if !force {
        return Err(ExportError::Exists(target.to_path_buf()));
    }
    Ok(())
}

/// A temporary file in the target's folder.
pub fn temp_beside(target: &Path) -> Result<NamedTempFile, ExportError> {
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".auditview-export-").suffix(".partial");
    // An export is an ordinary document, readable like any other file (the umask still applies).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder
        .tempfile_in(&dir)
        .map_err(|source| ExportError::Folder { dir, source })
}

/// Moves a finished temporary file into place.
pub fn publish(temp: NamedTempFile, target: &Path) -> Result<(), ExportError> {
    temp.persist(target)
        .map(|_| ())
        .map_err(|e| ExportError::Write {
            path: target.to_path_buf(),
            source: e.error,
        })
}
