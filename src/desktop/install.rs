//! `auditview install --user` / `uninstall --user`: the binary, the desktop
//! entry, the file types, the icons and the defaults for auditview's own
//! types, in the user's XDG folders (no root). A file of the same name that
//! auditview did not write is never replaced (the install says so). Every
//! file written is recorded in a manifest with its SHA-256, and every
//! default added, so uninstalling removes exactly those, only while they
//! are as written and only inside the folders the install uses; the
//! desktop's caches are rebuilt (or removed with a MIME folder the install
//! made, when nothing else was in it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::files::{self, DESKTOP_FILE, MIME_FILE};
use super::registration::{
    add_defaults, desktop_cache, drop_orphan_caches, refresh_caches, remove_defaults,
};
use super::{DesktopError, io_error};

/// Where a user's desktop files go (the XDG Base Directory spec).
#[derive(Debug, Clone)]
pub struct Layout {
    /// `$XDG_DATA_HOME`, else `~/.local/share`.
    pub data_home: PathBuf,
    /// `$XDG_CONFIG_HOME`, else `~/.config` (mimeapps.list).
    pub config_home: PathBuf,
    /// `~/.local/bin`, where the binary is copied.
    pub bin_dir: PathBuf,
}

impl Layout {
    /// The folders from the environment, as the desktop finds them.
    pub fn from_env() -> Result<Layout, DesktopError> {
        let home = std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        // The spec: a relative value is invalid and ignored.
        let xdg = |name: &str| {
            std::env::var_os(name)
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
        };
        let under_home = |rest: &str| home.as_ref().map(|h| h.join(rest));
        Ok(Layout {
            data_home: xdg("XDG_DATA_HOME")
                .or_else(|| under_home(".local/share"))
                .ok_or(DesktopError::NoHome)?,
            config_home: xdg("XDG_CONFIG_HOME")
                .or_else(|| under_home(".config"))
                .ok_or(DesktopError::NoHome)?,
            bin_dir: under_home(".local/bin").ok_or(DesktopError::NoHome)?,
        })
    }

    /// Whether `path` is a file an install may have written: in one of
    /// these folders, with no `..` (an edited record names nothing else).
    fn holds_file(&self, path: &Path) -> bool {
        let plain = path.is_absolute()
            && !path
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir));
        let roots = [
            self.applications(),
            self.mime().join("packages"),
            self.data_home.join("icons"),
            self.data_home.join("auditview"),
        ];
        plain
            && (roots.iter().any(|root| path.starts_with(root))
                || path == self.bin_dir.join(exe_name()))
    }

    /// Whether `folder` is one an install may have made: inside the
    /// folders it writes to, or on the way to them.
    fn holds_folder(&self, folder: &Path) -> bool {
        let plain = folder.is_absolute()
            && !folder
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir));
        plain
            && [&self.data_home, &self.config_home, &self.bin_dir]
                .iter()
                .any(|root| folder.starts_with(root) || root.starts_with(folder))
    }

    fn manifest(&self) -> PathBuf {
        self.data_home.join("auditview").join("installed.json")
    }
    pub(super) fn applications(&self) -> PathBuf {
        self.data_home.join("applications")
    }
    pub(super) fn mime(&self) -> PathBuf {
        self.data_home.join("mime")
    }
    pub(super) fn mimeapps(&self) -> PathBuf {
        self.config_home.join("mimeapps.list")
    }
}

/// A file an install wrote, and what it wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct WrittenFile {
    pub(super) path: PathBuf,
    sha256: String,
}

/// What an install wrote, kept beside it for the uninstall.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Manifest {
    pub(super) tool_version: String,
    /// Files written, in order, with their SHA-256.
    #[serde(default)]
    pub(super) written: Vec<WrittenFile>,
    /// Files an older install recorded without a hash: never removed (that
    /// they are still auditview's cannot be told).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) files: Vec<PathBuf>,
    /// Folders made (removed again when empty), outermost first.
    pub(super) folders: Vec<PathBuf>,
    /// Defaults added to mimeapps.list: MIME type -> desktop file.
    pub(super) defaults: BTreeMap<String, String>,
    /// Whether the install made mimeapps.list.
    pub(super) made_mimeapps: bool,
    /// Whether the desktop entries' MIME cache (applications/mimeinfo.cache)
    /// was first made for this install.
    pub(super) made_desktop_cache: bool,
}

/// What an install or uninstall did, in words for the command line.
#[derive(Debug, Default)]
pub struct Outcome {
    pub lines: Vec<String>,
}

/// Installs for the user: `exe` (the running binary) is copied to the bin
/// folder unless it is there already.
pub fn install_user(layout: &Layout, exe: &Path) -> Result<Outcome, DesktopError> {
    check_platform()?;
    let mut outcome = Outcome::default();
    let mut manifest = read_manifest(&layout.manifest())?.unwrap_or_default();
    manifest.tool_version = crate::build_info::LONG_VERSION.to_string();
    let mut writer = Writer {
        manifest: &mut manifest,
        left: Vec::new(),
    };

    let installed_exe = layout.bin_dir.join(exe_name());
    // The binary the desktop entry names: the installed copy, or where
    // this one is when a binary of the user's holds the name.
    let mut entry_exe = installed_exe.clone();
    if same_file(exe, &installed_exe) {
        outcome.lines.push(format!(
            "binary: {} (already there)",
            installed_exe.display()
        ));
    } else {
        let bytes = std::fs::read(exe).map_err(io_error(exe))?;
        if writer.write(&installed_exe, &bytes, true)? {
            outcome
                .lines
                .push(format!("binary: {}", installed_exe.display()));
        } else {
            entry_exe = exe.canonicalize().unwrap_or_else(|_| exe.to_path_buf());
            outcome.lines.push(format!(
                "binary: not copied; the desktop entry names {}",
                entry_exe.display()
            ));
        }
    }

    let entry = layout.applications().join(DESKTOP_FILE);
    if writer.write(
        &entry,
        files::desktop_entry_for(&entry_exe).as_bytes(),
        false,
    )? {
        outcome
            .lines
            .push(format!("desktop entry: {}", entry.display()));
    }

    let mime = layout.mime().join("packages").join(MIME_FILE);
    if writer.write(&mime, files::MIME_INFO.as_bytes(), false)? {
        outcome
            .lines
            .push(format!("file types: {}", mime.display()));
    }

    let icons = layout.data_home.join("icons").join("hicolor");
    let mut icons_written = 0;
    for &(size, png) in files::ICON_PNGS {
        let path = icons.join(format!("{size}x{size}/apps/auditview.png"));
        icons_written += usize::from(writer.write(&path, png, false)?);
    }
    let scalable = writer.write(
        &icons.join("scalable/apps/auditview.svg"),
        files::ICON_SVG,
        false,
    )?;
    outcome.lines.push(format!(
        "icons: {icons_written} of {} sizes{}, under {}",
        files::ICON_PNGS.len(),
        if scalable { " and scalable" } else { "" },
        icons.display()
    ));
    outcome.lines.append(&mut writer.left);

    let added = add_defaults(layout, &mut manifest)?;
    if !added.is_empty() {
        outcome.lines.push(format!(
            "default application for: {} (in {})",
            added.join(", "),
            layout.mimeapps().display()
        ));
    }
    if !desktop_cache(layout).exists() {
        manifest.made_desktop_cache = true;
    }
    write_manifest(&layout.manifest(), &mut manifest)?;
    outcome.lines.extend(refresh_caches(layout));
    if !on_path(&layout.bin_dir) {
        outcome.lines.push(format!(
            "note: {} is not on PATH; the desktop entry names the binary whole, a shell needs the folder on PATH",
            layout.bin_dir.display()
        ));
    }
    Ok(outcome)
}

/// Removes what `install_user` recorded, while each file is as it was
/// written (its SHA-256) and lies in the folders an install writes to;
/// anything else (changed since, replaced by the user, named by an edited
/// record) is left alone and said.
#[expect(
    clippy::disallowed_methods,
    reason = "removes only files install wrote, unchanged since (the manifest)"
)]
pub fn uninstall_user(layout: &Layout) -> Result<Outcome, DesktopError> {
    check_platform()?;
    let mut outcome = Outcome::default();
    let manifest_path = layout.manifest();
    let Some(manifest) = read_manifest(&manifest_path)? else {
        outcome.lines.push(format!(
            "nothing to remove: no install record at {}",
            manifest_path.display()
        ));
        return Ok(outcome);
    };
    remove_defaults(layout, &manifest)?;
    for file in &manifest.written {
        let path = &file.path;
        let keep = |why: &str| format!("left alone: {} ({why})", path.display());
        if !layout.holds_file(path) {
            outcome
                .lines
                .push(keep("outside the folders an install writes to"));
            continue;
        }
        match std::fs::symlink_metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io_error(path)(e)),
            Ok(meta) if !meta.is_file() => {
                outcome
                    .lines
                    .push(keep("no longer the file auditview wrote"));
                continue;
            }
            Ok(_) => {}
        }
        let now = crate::hash::sha256_of_file(path).map_err(io_error(path))?;
        if now != file.sha256 {
            outcome.lines.push(keep("changed since auditview wrote it"));
            continue;
        }
        std::fs::remove_file(path).map_err(io_error(path))?;
        outcome.lines.push(format!("removed {}", path.display()));
    }
    for path in &manifest.files {
        outcome.lines.push(format!(
            "left alone: {} (recorded by an older install without its hash: remove it yourself if it is auditview's)",
            path.display()
        ));
    }
    std::fs::remove_file(&manifest_path).map_err(io_error(&manifest_path))?;
    outcome.lines.extend(refresh_caches(layout));
    // The caches are derived from the files: with none of their sources
    // left, they go with the folders auditview made.
    drop_orphan_caches(layout, &manifest)?;
    for folder in manifest.folders.iter().rev() {
        // Only when empty: anything another program put there stays.
        if layout.holds_folder(folder) {
            let _ = std::fs::remove_dir(folder);
        }
    }
    Ok(outcome)
}

fn check_platform() -> Result<(), DesktopError> {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return Err(DesktopError::Unsupported(
            "install --user is for Linux and other XDG desktops; on Windows and macOS the installer (README \"Install\") registers auditview".into(),
        ));
    }
    Ok(())
}

fn exe_name() -> &'static str {
    if cfg!(windows) {
        "auditview.exe"
    } else {
        "auditview"
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn on_path(folder: &Path) -> bool {
    std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|p| p == folder))
}

/// Writes files whole (a temporary file renamed over the target) and
/// records them, with their SHA-256, and the folders it made. A file there
/// already is replaced only when this record says auditview wrote it and
/// it is unchanged since; anything else is left, with the reason in `left`.
pub(super) struct Writer<'m> {
    pub(super) manifest: &'m mut Manifest,
    pub(super) left: Vec<String>,
}

impl Writer<'_> {
    /// Why `path` is not auditview's to replace, if it is not.
    fn not_ours(&self, path: &Path) -> Result<Option<&'static str>, DesktopError> {
        let meta = match std::fs::symlink_metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(path)(e)),
        };
        if meta.file_type().is_symlink() {
            return Ok(Some("a link of yours"));
        }
        if !meta.is_file() {
            return Ok(Some("not a file"));
        }
        let Some(recorded) = self.manifest.written.iter().find(|f| f.path == path) else {
            return Ok(Some("not written by auditview"));
        };
        let now = crate::hash::sha256_of_file(path).map_err(io_error(path))?;
        Ok((now != recorded.sha256).then_some("changed since auditview wrote it"))
    }

    /// Writes `path` unless it is not auditview's; whether it wrote.
    fn write(&mut self, path: &Path, bytes: &[u8], executable: bool) -> Result<bool, DesktopError> {
        if let Some(why) = self.not_ours(path)? {
            self.left
                .push(format!("left alone: {} ({why})", path.display()));
            return Ok(false);
        }
        self.replace(path, bytes, executable)?;
        let sha256 = crate::hash::sha256_hex(bytes);
        match self.manifest.written.iter_mut().find(|f| f.path == path) {
            Some(recorded) => recorded.sha256 = sha256,
            None => self.manifest.written.push(WrittenFile {
                path: path.to_path_buf(),
                sha256,
            }),
        }
        Ok(true)
    }

    /// Puts `bytes` at `path` whole; not recorded.
    #[expect(
        clippy::disallowed_methods,
        reason = "writes only files install owns, beside and renamed (not_ours checked first)"
    )]
    pub(super) fn replace(
        &mut self,
        path: &Path,
        bytes: &[u8],
        executable: bool,
    ) -> Result<(), DesktopError> {
        let folder = path.parent().unwrap_or(Path::new("."));
        self.make_folders(folder)?;
        let mut temp = tempfile::NamedTempFile::new_in(folder).map_err(io_error(folder))?;
        std::io::Write::write_all(&mut temp, bytes).map_err(io_error(temp.path()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = if executable { 0o755 } else { 0o644 };
            std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(mode))
                .map_err(io_error(temp.path()))?;
        }
        #[cfg(not(unix))]
        let _ = executable;
        temp.persist(path).map_err(|e| io_error(path)(e.error))?;
        Ok(())
    }

    fn make_folders(&mut self, folder: &Path) -> Result<(), DesktopError> {
        let mut missing = Vec::new();
        let mut at = Some(folder);
        while let Some(dir) = at {
            if dir.as_os_str().is_empty() || dir.exists() {
                break;
            }
            missing.push(dir.to_path_buf());
            at = dir.parent();
        }
        for dir in missing.into_iter().rev() {
            std::fs::create_dir(&dir).map_err(io_error(&dir))?;
            if !self.manifest.folders.contains(&dir) {
                self.manifest.folders.push(dir);
            }
        }
        Ok(())
    }
}

fn read_manifest(path: &Path) -> Result<Option<Manifest>, DesktopError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path)(e)),
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| DesktopError::Manifest {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
}

fn write_manifest(path: &Path, manifest: &mut Manifest) -> Result<(), DesktopError> {
    // Its folder first, so the folder is in the manifest written.
    Writer {
        manifest,
        left: Vec::new(),
    }
    .make_folders(path.parent().unwrap_or(Path::new(".")))?;
    let json = serde_json::to_vec_pretty(manifest).map_err(|e| DesktopError::Manifest {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    // The manifest is not one of the files it lists.
    Writer {
        manifest,
        left: Vec::new(),
    }
    .replace(path, &json, false)
}
