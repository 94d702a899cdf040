//! Writing an export safely: into a temporary file beside the target, renamed
//! into place only when complete, never over an input, never over an existing
//! file unless asked. (The SHA-256 is computed while writing: `crate::hash`.)

use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use std::fs::File;
use std::sync::Mutex;

use super::ExportError;
use crate::model::owned::{self, OwnedKind};
use crate::model::{FileIdentity, SourceInfo};

/// Refuses targets that are inputs of the case or any other file the run
/// reads or owns (`model::owned`: the case file and its side files, GeoIP
/// databases, rules...), with or without `force`, and targets that exist
/// when `force` is off. An input is recognized by the file it is (device
/// and inode) and by its canonical path, so no spelling, encoding, symbolic
/// or hard link of it passes; a link, even one pointing nowhere, is
/// something that exists.
pub fn check_target(target: &Path, inputs: &[SourceInfo], force: bool) -> Result<(), ExportError> {
    if target.is_dir() {
        return Err(ExportError::IsFolder(target.to_path_buf()));
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
            return Err(ExportError::IsInput(target.to_path_buf()));
        }
    }
    if let Some(kind) = owned::owner_of(target) {
        return Err(match kind {
            OwnedKind::Evidence => ExportError::IsInput(target.to_path_buf()),
            kind => ExportError::Owned {
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
        return Err(ExportError::Exists(target.to_path_buf()));
    }
    Ok(())
}

const PARTIAL_PREFIX: &str = ".auditview-export-";
const PARTIAL_SUFFIX: &str = ".partial";

/// The partial files this process is writing, removed if a signal ends it.
static PARTIALS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A temporary file being written beside its target; removed when dropped
/// unpublished, and by `remove_partials` if a signal ends the process.
pub struct Partial {
    /// Taken by `publish`.
    file: Option<NamedTempFile>,
    path: PathBuf,
}

impl Partial {
    pub fn as_file(&self) -> &File {
        self.file
            .as_ref()
            .expect("a partial file until published")
            .as_file()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        // The file itself is removed by its NamedTempFile, if still here.
        forget_partial(&self.path);
    }
}

fn forget_partial(path: &Path) {
    if let Ok(mut partials) = PARTIALS.lock() {
        partials.retain(|p| p != path);
    }
}

/// Removes the partial files being written: for a signal handler, before
/// the process ends (a killed export must not leave half a file).
pub fn remove_partials() {
    if let Ok(partials) = PARTIALS.lock() {
        for path in partials.iter() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Removes partial files that an export ended by SIGKILL (or a crash) left
/// in `dir`: named with their writer's process id, removed once no such
/// process runs. Never an input of the case.
fn remove_stale_partials(dir: &Path, inputs: &[SourceInfo]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name
            .strip_prefix(PARTIAL_PREFIX)
            .filter(|_| name.ends_with(PARTIAL_SUFFIX))
        else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let path = entry.path();
        let is_input = std::fs::metadata(&path)
            .ok()
            .and_then(|m| FileIdentity::of(&m))
            .is_some_and(|id| inputs.iter().any(|i| i.identity == Some(id)));
        if pid != std::process::id() && !process_runs(pid) && !is_input {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Whether a process with this id runs (known on Linux; elsewhere assumed,
/// so nothing is removed).
fn process_runs(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// A temporary file in the target's folder, named with this process's id.
pub fn temp_beside(target: &Path, inputs: &[SourceInfo]) -> Result<Partial, ExportError> {
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    remove_stale_partials(&dir, inputs);
    let prefix = format!("{PARTIAL_PREFIX}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(PARTIAL_SUFFIX);
    // An export is an ordinary document, readable like any other file (the umask still applies).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let file = builder
        .tempfile_in(&dir)
        .map_err(|source| ExportError::Folder { dir, source })?;
    let path = file.path().to_path_buf();
    if let Ok(mut partials) = PARTIALS.lock() {
        partials.push(path.clone());
    }
    Ok(Partial {
        file: Some(file),
        path,
    })
}

/// Moves a finished temporary file into place, its bytes on disk first
/// and the rename after (a crash leaves the old file or the new, whole).
pub fn publish(mut partial: Partial, target: &Path) -> Result<(), ExportError> {
    let cannot = |source| ExportError::Write {
        path: target.to_path_buf(),
        source,
    };
    let Some(file) = partial.file.take() else {
        return Ok(());
    };
    file.as_file().sync_all().map_err(cannot)?;
    file.persist(target).map_err(|e| cannot(e.error))?;
    #[cfg(unix)]
    if let Some(dir) = target.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        // The rename itself, on disk.
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}
