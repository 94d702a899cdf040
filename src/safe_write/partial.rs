//! The file being written: a temporary file beside the target, renamed into
//! place only when complete (`publish`), removed if the write fails, the
//! process is signalled, or a later run finds it orphaned.

use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use std::fs::File;
use std::sync::Mutex;

use super::WriteError;
use crate::model::{FileIdentity, SourceInfo};

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
#[expect(
    clippy::disallowed_methods,
    reason = "removes only the partial files this process is writing"
)]
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
#[expect(
    clippy::disallowed_methods,
    reason = "removes only orphaned partial files, never an input"
)]
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
#[expect(clippy::disallowed_methods, reason = "the safe-writing module")]
pub fn temp_beside(target: &Path, inputs: &[SourceInfo]) -> Result<Partial, WriteError> {
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
        .map_err(|source| WriteError::Folder { dir, source })?;
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
#[expect(clippy::disallowed_methods, reason = "the safe-writing module")]
pub fn publish(mut partial: Partial, target: &Path) -> Result<(), WriteError> {
    let cannot = |source| WriteError::Write {
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
