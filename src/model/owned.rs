//! The files a run reads or owns, which no output may replace: evidence and
//! the folders it was loaded from, files passed over inside those folders,
//! the case file and its SQLite side files, GeoIP databases, rules, aliases
//! and filter files. Whatever layer opens one registers it here; every
//! write asks here (`safe_write::check_target`), so no output replaces one,
//! with or without `--force`, by any spelling or link of its path.
//!
//! The register lives as long as the process: a window that opened a case
//! keeps refusing to write over that case's files after it closed, which
//! costs nothing and can only prevent a loss.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};

use super::FileIdentity;

/// What an owned file is to the run: the words of a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OwnedKind {
    Evidence,
    EvidenceFolder,
    PassedOver,
    CaseFile,
    CaseSideFile,
    GeoIp,
    Rules,
    Aliases,
    FilterFile,
    SigningKey,
    AllowedSigners,
}

impl OwnedKind {
    /// "X is {what}": for the refusal's message.
    pub fn what(self) -> &'static str {
        match self {
            OwnedKind::Evidence => "one of the loaded input files (evidence)",
            OwnedKind::EvidenceFolder => "a loaded evidence folder",
            OwnedKind::PassedOver => "a file inside a loaded folder (evidence, even if not read)",
            OwnedKind::CaseFile => "the case file",
            OwnedKind::CaseSideFile => "a side file of the case file (SQLite's journal)",
            OwnedKind::GeoIp => "a GeoIP database in use",
            OwnedKind::Rules => "a rules file in use",
            OwnedKind::Aliases => "an aliases file in use",
            OwnedKind::FilterFile => "a filter file in use",
            OwnedKind::SigningKey => "the signing key in use",
            OwnedKind::AllowedSigners => "the allowed-signers file in use",
        }
    }
}

/// One owned path: the file it is (when it existed when registered) and
/// its canonical path (or, for a side file not there yet, its folder's
/// canonical path and its name).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Owned {
    kind: OwnedKind,
    identity: Option<FileIdentity>,
    canonical: Option<PathBuf>,
}

/// A set: a window that loads the same folder again adds nothing.
static OWNED: LazyLock<Mutex<HashSet<Owned>>> = LazyLock::new(|| Mutex::new(HashSet::new()));

/// The canonical path of `path`, or of its folder joined with its name
/// when it does not exist (yet): how a file not yet written is compared.
fn canonical_or_planned(path: &Path) -> Option<PathBuf> {
    if let Ok(canonical) = path.canonicalize() {
        return Some(canonical);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    Some(parent.canonicalize().ok()?.join(name))
}

fn identity_of(path: &Path) -> Option<FileIdentity> {
    std::fs::metadata(path)
        .ok()
        .and_then(|m| FileIdentity::of(&m))
}

/// Registers `path` as owned by this run.
pub fn register(path: &Path, kind: OwnedKind) {
    let owned = Owned {
        kind,
        identity: identity_of(path),
        canonical: canonical_or_planned(path),
    };
    if owned.identity.is_none() && owned.canonical.is_none() {
        return; // nothing that could ever be named again
    }
    if let Ok(mut all) = OWNED.lock() {
        all.insert(owned);
    }
}

/// The names SQLite gives a database's side files.
pub const CASE_SIDE_SUFFIXES: [&str; 3] = ["-journal", "-wal", "-shm"];

/// Registers a case file and the side files SQLite may write beside it
/// (which a write of ours would turn into a "stale journal" SQLite deletes,
/// or worse, replays).
pub fn register_case_file(path: &Path) {
    register(path, OwnedKind::CaseFile);
    for suffix in CASE_SIDE_SUFFIXES {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        register(Path::new(&side), OwnedKind::CaseSideFile);
    }
}

/// What `target` is to this run, if it is a file the run owns: the same
/// file (device and inode) or the same canonical path, even when neither
/// exists yet. A file registered and since deleted owns nothing any more
/// (its inode may be another file's now), except the case file's side
/// files, which SQLite makes and deletes as it writes. Folders are not
/// matched here (`inside_evidence_folder`).
#[must_use]
pub fn owner_of(target: &Path) -> Option<OwnedKind> {
    let identity = identity_of(target);
    let canonical = canonical_or_planned(target);
    let all = OWNED.lock().ok()?;
    let still_there = |o: &Owned| {
        o.identity.is_none()
            || o.kind == OwnedKind::CaseSideFile
            || o.canonical.as_deref().and_then(identity_of) == o.identity
    };
    all.iter()
        .filter(|o| o.kind != OwnedKind::EvidenceFolder)
        .filter(|o| {
            (identity.is_some() && o.identity == identity)
                || (canonical.is_some() && o.canonical == canonical)
        })
        .find(|o| still_there(o))
        .map(|o| o.kind)
}

/// Whether `dir` is a loaded evidence folder or lies inside one: no output
/// folder (`convert`) goes there.
#[must_use]
pub fn inside_evidence_folder(dir: &Path) -> bool {
    let Some(canonical) = canonical_or_planned(dir) else {
        return false;
    };
    let Ok(all) = OWNED.lock() else { return false };
    all.iter()
        .filter(|o| o.kind == OwnedKind::EvidenceFolder)
        .filter_map(|o| o.canonical.as_deref())
        .any(|folder| canonical.starts_with(folder))
}

#[cfg(test)]
#[expect(clippy::disallowed_methods, reason = "tests write their fixtures")]
mod tests {
    use super::*;

    #[test]
    fn a_registered_file_is_owned_by_any_spelling_and_link() {
        let dir = tempfile::tempdir().unwrap();
        let rules = dir.path().join("rules.json");
        std::fs::write(&rules, "{}").unwrap();
        register(&rules, OwnedKind::Rules);
        assert_eq!(owner_of(&rules), Some(OwnedKind::Rules));
        let dotted = dir.path().join(".").join("rules.json");
        assert_eq!(owner_of(&dotted), Some(OwnedKind::Rules));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&rules, &link).unwrap();
            assert_eq!(owner_of(&link), Some(OwnedKind::Rules));
            let hard = dir.path().join("hard.json");
            std::fs::hard_link(&rules, &hard).unwrap();
            assert_eq!(owner_of(&hard), Some(OwnedKind::Rules));
        }
        assert_eq!(owner_of(&dir.path().join("other.json")), None);
        // Deleted, it owns nothing: its inode may be reused by a new file.
        std::fs::remove_file(&rules).unwrap();
        #[cfg(unix)]
        std::fs::remove_file(dir.path().join("hard.json")).unwrap();
        std::fs::write(dir.path().join("new.json"), "{}").unwrap();
        assert_eq!(owner_of(&dir.path().join("new.json")), None);
        assert_eq!(owner_of(&rules), None);
    }

    #[test]
    fn a_case_files_journal_is_owned_before_it_exists() {
        let dir = tempfile::tempdir().unwrap();
        let case = dir.path().join("my.auditcase");
        std::fs::write(&case, "").unwrap();
        register_case_file(&case);
        assert_eq!(owner_of(&case), Some(OwnedKind::CaseFile));
        let journal = dir.path().join("my.auditcase-journal");
        assert_eq!(owner_of(&journal), Some(OwnedKind::CaseSideFile));
        assert_eq!(
            owner_of(&dir.path().join("x").join("..").join("my.auditcase-wal")),
            None,
            "a folder that does not exist cannot hold it"
        );
        assert_eq!(owner_of(&dir.path().join("my.auditcase-old")), None);
    }

    #[test]
    fn a_folder_inside_a_loaded_evidence_folder_is_recognized() {
        let dir = tempfile::tempdir().unwrap();
        let evidence = dir.path().join("evidence");
        std::fs::create_dir_all(evidence.join("day1")).unwrap();
        register(&evidence, OwnedKind::EvidenceFolder);
        assert!(inside_evidence_folder(&evidence));
        assert!(inside_evidence_folder(&evidence.join("day1")));
        assert!(inside_evidence_folder(&evidence.join("new-output")));
        assert!(!inside_evidence_folder(&dir.path().join("evidence-out")));
        assert!(!inside_evidence_folder(dir.path()));
        assert_eq!(owner_of(&evidence), None, "folders are not files");
    }
}
