//! The evidence a case holds, by SHA-256, and whether each file is still
//! what the case recorded: at its path, moved (found by hash under a folder
//! the user names), changed or missing. Never dropped without a word.

use std::path::{Path, PathBuf};

use rusqlite::params;

use super::{CaseError, CaseFile, log, sqlite_err};
use crate::model::{SourceInfo, Store};
use crate::sources::LoadError;

/// What became of one evidence file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum EvidenceState {
    /// At its path, with the recorded hash.
    Ok,
    /// Found elsewhere by its hash (`relocate`); the path was updated.
    Moved {
        from: String,
    },
    /// A file is at its path, but with another hash.
    Changed {
        found_sha256: String,
    },
    Missing {
        reason: String,
    },
}

impl EvidenceState {
    pub fn name(&self) -> &'static str {
        match self {
            EvidenceState::Ok => "ok",
            EvidenceState::Moved { .. } => "moved",
            EvidenceState::Changed { .. } => "changed",
            EvidenceState::Missing { .. } => "missing",
        }
    }
}

/// One evidence file of the case.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EvidenceStatus {
    pub path: String,
    pub format: String,
    pub sha256: String,
    pub bytes: u64,
    pub events: u64,
    pub rejected: u64,
    #[serde(flatten)]
    pub state: EvidenceState,
}

/// A file found again by its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relocated {
    pub sha256: String,
    pub from: String,
    pub to: String,
}

impl CaseFile {
    /// Records the loaded files (by hash; a file already there keeps its
    /// entry, with its path updated). Returns how many are new.
    pub fn add_evidence(&mut self, sources: &[SourceInfo]) -> Result<usize, CaseError> {
        let path = self.path.clone();
        let err = |e| sqlite_err(&path, e);
        let tx = self.db.transaction().map_err(err)?;
        let mut added = Vec::new();
        for source in sources.iter().filter(|s| !s.sha256.is_empty()) {
            let absolute =
                std::path::absolute(&source.file).unwrap_or_else(|_| source.file.clone());
            let shown = absolute.to_string_lossy().into_owned();
            let existed = tx
                .query_row(
                    "SELECT 1 FROM evidence WHERE sha256 = ?1",
                    params![source.sha256],
                    |_| Ok(()),
                )
                .is_ok();
            tx.execute(
                "INSERT INTO evidence(sha256, path, format, bytes, events, rejected, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(sha256) DO UPDATE SET path = excluded.path",
                params![
                    source.sha256,
                    shown,
                    source.format.as_str(),
                    source.bytes as i64,
                    source.events as i64,
                    source.rejected as i64,
                    super::now()
                ],
            )
            .map_err(err)?;
            if !existed {
                added.push(format!("{shown} ({})", source.sha256));
            }
        }
        if !added.is_empty() {
            log::append(&tx, "add evidence", &added.join("; ")).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(added.len())
    }

    /// The evidence as recorded, without looking at the files.
    pub fn recorded_evidence(&self) -> Result<Vec<EvidenceStatus>, CaseError> {
        let err = |e| self.sqlite(e);
        self.db
            .prepare(
                "SELECT path, format, sha256, bytes, events, rejected FROM evidence ORDER BY path",
            )
            .map_err(err)?
            .query_map([], |r| {
                Ok(EvidenceStatus {
                    path: r.get(0)?,
                    format: r.get(1)?,
                    sha256: r.get(2)?,
                    bytes: r.get::<_, i64>(3)? as u64,
                    events: r.get::<_, i64>(4)? as u64,
                    rejected: r.get::<_, i64>(5)? as u64,
                    state: EvidenceState::Ok,
                })
            })
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)
    }

    /// The paths to load: the evidence as recorded.
    pub fn evidence_paths(&self) -> Result<Vec<PathBuf>, CaseError> {
        Ok(self
            .recorded_evidence()?
            .into_iter()
            .map(|e| PathBuf::from(e.path))
            .collect())
    }

    /// The evidence as a load of it found it: loaded with the recorded hash
    /// is ok (wherever it was read from), loaded from its path with another
    /// hash is changed, not loaded is missing with the load's reason. The
    /// load hashed each file as it read it: nothing is read twice.
    pub fn evidence_as_loaded(
        &self,
        store: &Store,
        errors: &[LoadError],
    ) -> Result<Vec<EvidenceStatus>, CaseError> {
        let mut all = self.recorded_evidence()?;
        // Recorded paths are absolute; a load may name them relatively.
        let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        for evidence in &mut all {
            let at_path = Path::new(&evidence.path);
            evidence.state = if store.sources.iter().any(|s| s.sha256 == evidence.sha256) {
                EvidenceState::Ok
            } else if let Some(found) = store.sources.iter().find(|s| absolute(&s.file) == at_path)
            {
                EvidenceState::Changed {
                    found_sha256: found.sha256.clone(),
                }
            } else {
                let reason = errors
                    .iter()
                    .find(|e| absolute(Path::new(&e.path)) == at_path)
                    .map_or_else(|| "not loaded".to_string(), |e| e.message.clone());
                EvidenceState::Missing { reason }
            };
        }
        Ok(all)
    }

    /// Re-hashes every evidence file at its recorded path.
    pub fn check_evidence(&self) -> Result<Vec<EvidenceStatus>, CaseError> {
        let mut all = self.recorded_evidence()?;
        for evidence in &mut all {
            evidence.state = match crate::hash::sha256_of_file(Path::new(&evidence.path)) {
                Ok(found) if found == evidence.sha256 => EvidenceState::Ok,
                Ok(found) => EvidenceState::Changed {
                    found_sha256: found,
                },
                Err(e) => EvidenceState::Missing {
                    reason: crate::display::describe_io(&e),
                },
            };
        }
        Ok(all)
    }

    /// Looks under `dir` for evidence that is not at its path, by size then
    /// hash; each file found gets its new path (logged).
    pub fn relocate(&mut self, dir: &Path) -> Result<Vec<Relocated>, CaseError> {
        let wanted: Vec<EvidenceStatus> = self
            .check_evidence()?
            .into_iter()
            .filter(|e| e.state != EvidenceState::Ok)
            .collect();
        let mut found = Vec::new();
        if wanted.is_empty() {
            return Ok(found);
        }
        let candidates = crate::sources::input::expand(&[dir.to_path_buf()]).found;
        for evidence in &wanted {
            let same_size = candidates.iter().filter(|c| c.size() == evidence.bytes);
            for candidate in same_size {
                if crate::hash::sha256_of_file(&candidate.path).ok().as_deref()
                    == Some(evidence.sha256.as_str())
                {
                    let to = std::path::absolute(&candidate.path)
                        .unwrap_or_else(|_| candidate.path.clone())
                        .to_string_lossy()
                        .into_owned();
                    found.push(Relocated {
                        sha256: evidence.sha256.clone(),
                        from: evidence.path.clone(),
                        to,
                    });
                    break;
                }
            }
        }
        let path = self.path.clone();
        let err = |e| sqlite_err(&path, e);
        let tx = self.db.transaction().map_err(err)?;
        for moved in &found {
            tx.execute(
                "UPDATE evidence SET path = ?2 WHERE sha256 = ?1",
                params![moved.sha256, moved.to],
            )
            .map_err(err)?;
            let detail = format!("{} -> {} ({})", moved.from, moved.to, moved.sha256);
            log::append(&tx, "relocate evidence", &detail).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(found)
    }
}
