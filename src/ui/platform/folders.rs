//! What the built-in file chooser shows, without egui: a folder's entries,
//! the places to start from, file types, and a typed path made absolute.

use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

/// Names a file type by what its names end with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    pub label: &'static str,
    /// Lower-case endings without the dot; empty: every file.
    pub extensions: &'static [&'static str],
}

pub const ALL_FILES: FileType = FileType {
    label: "All files",
    extensions: &[],
};
/// What auditview loads: CSV and JSON exports, logs (also rotated and
/// gzipped) and workbooks.
pub const AUDIT_LOGS: FileType = FileType {
    label: "Audit logs (csv, log, json, gz, xlsx, parquet)",
    extensions: &[
        "csv", "log", "json", "jsonl", "gz", "xlsx", "txt", "parquet",
    ],
};
pub const CSV: FileType = FileType {
    label: "CSV (.csv)",
    extensions: &["csv"],
};
pub const XLSX: FileType = FileType {
    label: "Excel workbook (.xlsx)",
    extensions: &["xlsx"],
};
/// auditview's columnar schema, for cluster engines (docs/guide/scale.md,
/// "When your logs outgrow one machine").
pub const PARQUET: FileType = FileType {
    label: "Parquet (.parquet)",
    extensions: &["parquet"],
};
pub const CASE_FILE: FileType = FileType {
    label: "Case file (.auditcase)",
    extensions: &["auditcase"],
};
pub const GEOIP: FileType = FileType {
    label: "GeoIP database (.mmdb)",
    extensions: &["mmdb"],
};
pub const HTML: FileType = FileType {
    label: "Web page (.html; prints to PDF)",
    extensions: &["html", "htm"],
};
pub const FILTER_JSON: FileType = FileType {
    label: "Filter (.json, as --filter-file reads it)",
    extensions: &["json"],
};

impl FileType {
    /// Whether a file named `name` is of this type. Rotated logs
    /// (`audit.log.1`, `audit-2024-03-14T23-00-02.318.log`) count as logs.
    pub fn matches(&self, name: &str) -> bool {
        if self.extensions.is_empty() {
            return true;
        }
        let lower = name.to_lowercase();
        self.extensions.iter().any(|ext| {
            lower.ends_with(&format!(".{ext}")) || (*ext == "log" && lower.contains(".log."))
        })
    }

    /// The ending a saved file gets when the name typed has none.
    pub fn default_extension(&self) -> Option<&'static str> {
        self.extensions.first().copied()
    }
}

/// One entry of a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The name as shown (invalid UTF-8 replaced; `path` keeps the bytes).
    pub name: String,
    pub path: PathBuf,
    pub is_dir: bool,
    pub size: u64,
    pub modified: Option<SystemTime>,
}

/// A folder's entries, folders first, then by name ignoring case; hidden
/// ones (a leading dot) only when asked. Files of other types are left out
/// when `file_type` is given.
pub fn list(
    dir: &Path,
    show_hidden: bool,
    file_type: Option<&FileType>,
) -> Result<Vec<Entry>, String> {
    let read = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "{} cannot be listed: {}",
            dir.display(),
            crate::display::describe_io(&e)
        )
    })?;
    let mut entries: Vec<Entry> = read
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !show_hidden && name.starts_with('.') {
                return None;
            }
            let path = entry.path();
            // Links are followed: a link to a folder is shown as a folder.
            let metadata = std::fs::metadata(&path).ok();
            let is_dir = metadata.as_ref().is_some_and(|m| m.is_dir());
            if !is_dir && file_type.is_some_and(|t| !t.matches(&name)) {
                return None;
            }
            Some(Entry {
                name,
                path,
                is_dir,
                size: metadata.as_ref().map_or(0, |m| m.len()),
                modified: metadata.and_then(|m| m.modified().ok()),
            })
        })
        .collect();
    entries.sort_by(|a, b| {
        b.is_dir
            .cmp(&a.is_dir)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(entries)
}

/// The user's home folder, if the environment names one.
pub fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
}

/// The user's documents folder (`XDG_DOCUMENTS_DIR` or `~/Documents`), if
/// there is one.
pub fn documents() -> Option<PathBuf> {
    std::env::var_os("XDG_DOCUMENTS_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home().map(|h| h.join("Documents")))
        .filter(|p| p.is_dir())
}

/// Places to start from: home, the working folder and the file system's root.
pub fn standard_places() -> Vec<(String, PathBuf)> {
    let mut places = Vec::new();
    if let Some(home) = home() {
        places.push(("Home".to_string(), home));
    }
    if let Ok(cwd) = std::env::current_dir() {
        places.push(("Working folder".to_string(), cwd));
    }
    for root in roots() {
        places.push((root.display().to_string(), root));
    }
    places
}

#[cfg(not(windows))]
fn roots() -> Vec<PathBuf> {
    vec![PathBuf::from("/")]
}

#[cfg(windows)]
fn roots() -> Vec<PathBuf> {
    (b'A'..=b'Z')
        .map(|letter| PathBuf::from(format!("{}:\\", letter as char)))
        .filter(|p| p.is_dir())
        .collect()
}

/// A typed or pasted path made absolute: `~` is the home folder, a
/// relative path is taken from `dir`, and `.`/`..` are resolved by name
/// (so the answer names what the user typed, not where links lead).
pub fn resolve(typed: &str, dir: &Path) -> PathBuf {
    let typed = typed.trim();
    let path = match typed.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with(['/', '\\']) => {
            let rest = rest.trim_start_matches(['/', '\\']);
            home().map_or_else(|| PathBuf::from(typed), |home| home.join(rest))
        }
        _ => PathBuf::from(typed),
    };
    let absolute = if path.is_absolute() {
        path
    } else {
        dir.join(path)
    };
    let mut clean = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    clean
}

/// `path`, with the chosen type's ending added unless its name already
/// ends as one of the `accepted` types does (`view.xlsx` stays a workbook
/// whichever type the list shows).
pub fn with_type_extension(path: PathBuf, chosen: &FileType, accepted: &[FileType]) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    match (name, chosen.default_extension()) {
        (Some(name), Some(ext))
            if !chosen.matches(&name) && !accepted.iter().any(|t| t.matches(&name)) =>
        {
            let mut with = path.into_os_string();
            with.push(format!(".{ext}"));
            PathBuf::from(with)
        }
        _ => path,
    }
}

/// Whether the system's file dialogs can be shown here. On Linux rfd uses
/// the XDG desktop portal, else zenity; with neither it returns nothing at
/// once, so the app uses its own chooser. Elsewhere they always can.
pub fn system_dialogs_available() -> bool {
    if !cfg!(target_os = "linux") && !cfg!(target_os = "freebsd") {
        return true;
    }
    on_path("zenity") || portal_on_session_bus()
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// Asks the session bus (through `busctl` or `dbus-send`, when present)
/// whether the desktop portal runs or can be started. With no session bus
/// there is no portal; with no tool to ask, it is assumed there, and a
/// dialog that answers nothing at once falls back to the built-in chooser.
fn portal_on_session_bus() -> bool {
    const PORTAL: &str = "org.freedesktop.portal.Desktop";
    let bus_named = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        || std::env::var_os("XDG_RUNTIME_DIR")
            .is_some_and(|dir| Path::new(&dir).join("bus").exists());
    if !bus_named {
        return false;
    }
    let asks: [&[&str]; 2] = [
        &["busctl", "--user", "--no-pager", "--no-legend", "list"],
        &[
            "dbus-send",
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.ListActivatableNames",
        ],
    ];
    let mut asked = false;
    for ask in asks {
        if !on_path(ask[0]) {
            continue;
        }
        asked = true;
        let output = std::process::Command::new(ask[0])
            .args(&ask[1..])
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output();
        if let Ok(output) = output
            && String::from_utf8_lossy(&output.stdout).contains(PORTAL)
        {
            return true;
        }
    }
    !asked
}

#[cfg(test)]
#[expect(clippy::disallowed_methods, reason = "tests write their fixtures")]
mod tests {
    use super::*;

    #[test]
    fn file_types_match_rotated_and_compressed_logs_by_name() {
        assert!(AUDIT_LOGS.matches("audit.log"));
        assert!(AUDIT_LOGS.matches("audit-2024-03-14T23-00-02.318.log"));
        assert!(AUDIT_LOGS.matches("audit.log.1"));
        assert!(AUDIT_LOGS.matches("AUDIT_TRAIL.CSV"));
        assert!(AUDIT_LOGS.matches("audit.log.gz"));
        assert!(!AUDIT_LOGS.matches("notes.docx"));
        assert!(ALL_FILES.matches("notes.docx"));
        assert!(!CSV.matches("view.xlsx"));
    }

    #[test]
    fn a_saved_name_without_the_type_ending_gets_it() {
        let both = [CSV, XLSX];
        let typed = PathBuf::from("/tmp/view");
        assert_eq!(
            with_type_extension(typed, &CSV, &both),
            PathBuf::from("/tmp/view.csv")
        );
        let typed = PathBuf::from("/tmp/view.XLSX");
        assert_eq!(with_type_extension(typed.clone(), &CSV, &both), typed);
        let typed = PathBuf::from("/tmp/view.txt");
        assert_eq!(
            with_type_extension(typed, &XLSX, &both),
            PathBuf::from("/tmp/view.txt.xlsx")
        );
    }

    #[test]
    fn typed_paths_are_taken_from_the_folder_shown_and_dots_resolved() {
        let dir = Path::new("/evidence/case");
        assert_eq!(
            resolve("audit.log", dir),
            PathBuf::from("/evidence/case/audit.log")
        );
        assert_eq!(
            resolve(" ../other/ ", dir),
            PathBuf::from("/evidence/other")
        );
        assert_eq!(resolve("/tmp/./x.csv", dir), PathBuf::from("/tmp/x.csv"));
        assert_eq!(resolve("", dir), PathBuf::from("/evidence/case"));
        if let Some(home) = home() {
            assert_eq!(resolve("~/x", dir), home.join("x"));
            assert_eq!(resolve("~", dir), home);
        }
        // Only `~` or `~/` means home: a name starting with it is a name.
        assert_eq!(resolve("~x", dir), PathBuf::from("/evidence/case/~x"));
    }

    #[test]
    fn a_listing_shows_folders_first_hides_dot_files_and_filters_by_type() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.csv", "A.log", ".hidden.csv", "notes.docx"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        std::fs::create_dir(dir.path().join("zfolder")).unwrap();
        let names = |entries: Vec<Entry>| entries.into_iter().map(|e| e.name).collect::<Vec<_>>();
        let shown = list(dir.path(), false, Some(&AUDIT_LOGS)).unwrap();
        assert_eq!(names(shown), ["zfolder", "A.log", "b.csv"]);
        let every = list(dir.path(), true, None).unwrap();
        assert_eq!(
            names(every),
            ["zfolder", ".hidden.csv", "A.log", "b.csv", "notes.docx"]
        );
        let missing = list(&dir.path().join("gone"), false, None).unwrap_err();
        assert!(
            missing.ends_with("cannot be listed: no such file or folder"),
            "{missing}"
        );
    }
}
