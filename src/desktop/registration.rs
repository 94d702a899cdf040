//! What `install --user` registers beyond its files: the default application
//! of its own types (never where the user chose one), and the desktop's
//! caches, refreshed and removed with what made them.

use super::files::{self, DESKTOP_FILE};
use super::install::{Layout, Manifest, Writer};
use super::mimeapps::MimeApps;
use super::{DesktopError, io_error};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Makes auditview the default for its own types where the user has no
/// default yet (a choice the user made is never replaced).
pub(super) fn add_defaults(
    layout: &Layout,
    manifest: &mut Manifest,
) -> Result<Vec<String>, DesktopError> {
    let path = layout.mimeapps();
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_error(&path)(e)),
    };
    let mut list = MimeApps::parse(existing.as_deref().unwrap_or(""));
    let mut added = Vec::new();
    for mime in files::mime_types() {
        if list.default_for(mime).is_none() {
            list.set_default(mime, DESKTOP_FILE);
            manifest
                .defaults
                .insert(mime.to_string(), DESKTOP_FILE.to_string());
            added.push(mime.to_string());
        }
    }
    if added.is_empty() {
        return Ok(added);
    }
    if existing.is_none() {
        manifest.made_mimeapps = true;
    }
    // mimeapps.list is the user's: edited, never in the files removed
    // whole; a link (to a dotfiles repository) stays a link.
    let real = path.canonicalize().unwrap_or_else(|_| path.clone());
    Writer {
        manifest,
        left: Vec::new(),
    }
    .replace(&real, list.render().as_bytes(), false)?;
    Ok(added)
}

/// Takes back the defaults the install added, if they still name auditview.
#[expect(
    clippy::disallowed_methods,
    reason = "removes only the defaults file install made"
)]
pub(super) fn remove_defaults(layout: &Layout, manifest: &Manifest) -> Result<(), DesktopError> {
    if manifest.defaults.is_empty() {
        return Ok(());
    }
    let path = layout.mimeapps();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(&path)(e)),
    };
    let mut list = MimeApps::parse(&text);
    for (mime, app) in &manifest.defaults {
        list.remove_default(mime, app);
    }
    if manifest.made_mimeapps && list.is_empty() {
        return std::fs::remove_file(&path).map_err(io_error(&path));
    }
    let rendered = list.render();
    if rendered != text {
        let real = path.canonicalize().unwrap_or_else(|_| path.clone());
        let mut scratch = Manifest::default();
        Writer {
            manifest: &mut scratch,
            left: Vec::new(),
        }
        .replace(&real, rendered.as_bytes(), false)?;
    }
    Ok(())
}

/// Rebuilds the MIME database and the desktop entries' MIME cache with the
/// desktop's own tools, when the machine has them; says what it did.
pub(super) fn refresh_caches(layout: &Layout) -> Vec<String> {
    let mut lines = Vec::new();
    let jobs = [
        ("update-mime-database", layout.mime(), "shared-mime-info"),
        (
            "update-desktop-database",
            layout.applications(),
            "desktop-file-utils",
        ),
    ];
    for (tool, folder, package) in jobs {
        if !folder.is_dir() {
            continue;
        }
        match Command::new(tool).arg(&folder).output() {
            Ok(out) if out.status.success() => {
                lines.push(format!("ran {tool} {}", folder.display()))
            }
            Ok(out) => lines.push(format!(
                "warning: {tool} {} failed: {}",
                folder.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            )),
            Err(_) => lines.push(format!(
                "note: {tool} is not installed (package {package}); the desktop picks the change up when it next runs it"
            )),
        }
    }
    lines
}

/// After an uninstall: a MIME database with no package left holds nothing
/// of anyone, and a desktop MIME cache first made for the install goes
/// (the desktop makes one again when it needs it).
#[expect(
    clippy::disallowed_methods,
    reason = "removes only caches and folders install made"
)]
pub(super) fn drop_orphan_caches(layout: &Layout, manifest: &Manifest) -> Result<(), DesktopError> {
    let mime = layout.mime();
    let packages = mime.join("packages");
    // Only a MIME folder the install made: one that was there before is
    // the user's, whatever it holds.
    if manifest.folders.contains(&mime) && mime.is_dir() && is_empty_or_missing(&packages) {
        std::fs::remove_dir_all(&mime).map_err(io_error(&mime))?;
    } else {
        // The media folders the MIME database made for auditview's types
        // (`text/`, `application/`), left empty once they are gone.
        for mime_type in files::mime_types() {
            if let Some((media, _)) = mime_type.split_once('/') {
                let _ = std::fs::remove_dir(mime.join(media));
            }
        }
    }
    let cache = desktop_cache(layout);
    if manifest.made_desktop_cache && cache.is_file() {
        std::fs::remove_file(&cache).map_err(io_error(&cache))?;
    }
    Ok(())
}

pub(super) fn desktop_cache(layout: &Layout) -> PathBuf {
    layout.applications().join("mimeinfo.cache")
}

pub(super) fn is_empty_or_missing(folder: &Path) -> bool {
    std::fs::read_dir(folder).map_or(true, |mut d| d.next().is_none())
}
