//! The case file (`*.auditcase`): an investigation's evidence (path,
//! format, SHA-256, size), the marks on its events, saved views and an
//! action log whose entries are chained by SHA-256. SQLite as the
//! application file format: every change is one transaction (atomic and
//! crash-safe, safe with two writers), and any SQLite tool can read it.

mod attach;
mod evidence;
mod findings;
mod log;
mod nodes;
mod people;
mod reference;
mod report;
pub mod review;
mod settings;
mod views;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, params};

use crate::model::SourceInfo;
pub use crate::model::annotations::Mark;
use crate::model::annotations::{Annotation, EventKey};

pub use attach::Attached;
pub use evidence::{EvidenceState, EvidenceStatus, Relocated};
pub use log::{LogEntry, LogProblem, Sealed, os_user, verify as verify_log_entries, verify_sealed};
pub use reference::{changed_databases, recorded_paths};
pub use report::{case_report_html, write_report};
pub use views::SavedView;

/// The largest case file opened: marks, views and the action log of the
/// largest investigation fit in far less (docs/guide/cases-and-reports.md).
pub const MAX_CASE_FILE_BYTES: u64 = 2 << 30;

/// "AVCS" in the SQLite header: what makes a file a case file.
const APPLICATION_ID: i32 = 0x4156_4353;
/// 2: marks on nodes and resources (`node_annotation`), added to a
/// version-1 file when it is opened. 3: each log entry seals the case's
/// state, and the case keeps the chain's head (`log`).
const SCHEMA_VERSION: i32 = 3;

const SCHEMA: &str = "
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE evidence(
    sha256 TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    events INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE annotation(
    sha256 TEXT NOT NULL,
    line INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    starred INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY(sha256, line, fingerprint)
) WITHOUT ROWID;
CREATE TABLE annotation_tag(
    sha256 TEXT NOT NULL,
    line INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY(sha256, line, fingerprint, tag)
) WITHOUT ROWID;
CREATE TABLE saved_view(name TEXT PRIMARY KEY, view TEXT NOT NULL);
CREATE TABLE node_annotation(
    node TEXT PRIMARY KEY,
    starred INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE node_annotation_tag(
    node TEXT NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY(node, tag)
) WITHOUT ROWID;
CREATE TABLE action_log(
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    os_user TEXT NOT NULL,
    tool TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
";

#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("{}: not an auditview case file ({reason})", .path.display())]
    NotACase { path: PathBuf, reason: String },
    #[error("{}: made by a newer auditview (case file version {version})", .path.display())]
    NewerVersion { path: PathBuf, version: i32 },
    #[error("{} already exists", .0.display())]
    Exists(PathBuf),
    #[error("{} is one of the case's evidence files: evidence is never written", .0.display())]
    IsEvidence(PathBuf),
    #[error("{}: {source}", .path.display())]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

/// An open case file.
pub struct CaseFile {
    path: PathBuf,
    db: Connection,
}

impl CaseFile {
    /// Creates a case file at `path`; never over evidence (`inputs`), nor
    /// over an existing file.
    #[expect(
        clippy::disallowed_methods,
        reason = "the case file is created here, after check_target"
    )]
    pub fn create(path: &Path, inputs: &[SourceInfo]) -> Result<CaseFile, CaseError> {
        if crate::safe_write::check_target(path, inputs, true).is_err() {
            return Err(CaseError::IsEvidence(path.to_path_buf()));
        }
        if std::fs::symlink_metadata(path).is_ok() {
            return Err(CaseError::Exists(path.to_path_buf()));
        }
        let sqlite = |source| CaseError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
        let mut db = Connection::open_with_flags(path, flags).map_err(sqlite)?;
        crate::model::owned::register_case_file(path);
        configure(&db).map_err(sqlite)?;
        let tx = db.transaction().map_err(sqlite)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(sqlite)?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(sqlite)?;
        tx.execute_batch(SCHEMA).map_err(sqlite)?;
        tx.execute(
            "INSERT INTO meta(key, value) VALUES ('summary', ''), ('created_at', ?1)",
            params![now()],
        )
        .map_err(sqlite)?;
        tx.commit().map_err(sqlite)?;
        let case = CaseFile {
            path: path.to_path_buf(),
            db,
        };
        case.log("create case", &format!("{}", path.display()))?;
        Ok(case)
    }

    /// Opens an existing case file, checking that it is one and whole.
    #[expect(
        clippy::disallowed_methods,
        reason = "the case file is opened here, with the flags that say what may be written"
    )]
    pub fn open(path: &Path) -> Result<CaseFile, CaseError> {
        let not_a_case = |reason: String| CaseError::NotACase {
            path: path.to_path_buf(),
            reason,
        };
        if !path.is_file() {
            let reason = std::fs::metadata(path).map_or_else(
                |e| crate::display::describe_io(&e),
                |_| "not a file".to_string(),
            );
            return Err(not_a_case(reason));
        }
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        if size > MAX_CASE_FILE_BYTES {
            return Err(not_a_case(format!(
                "{}, larger than a case file can be ({}: it holds marks, views and a log, not the evidence)",
                crate::display::bytes(size),
                crate::display::bytes(MAX_CASE_FILE_BYTES)
            )));
        }
        // Never an output, from here on, whatever else this run writes.
        crate::model::owned::register_case_file(path);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE;
        let db = Connection::open_with_flags(path, flags).map_err(|e| not_a_case(e.to_string()))?;
        configure(&db).map_err(|e| not_a_case(e.to_string()))?;
        let id: i32 = db
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|e| not_a_case(e.to_string()))?;
        if id != APPLICATION_ID {
            return Err(not_a_case("another kind of SQLite file".to_string()));
        }
        let version: i32 = db
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| not_a_case(e.to_string()))?;
        if version > SCHEMA_VERSION {
            return Err(CaseError::NewerVersion {
                path: path.to_path_buf(),
                version,
            });
        }
        let check: String = db
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| not_a_case(e.to_string()))?;
        if check != "ok" {
            return Err(not_a_case(format!("damaged: {check}")));
        }
        if version < 2 {
            db.execute_batch(
                "BEGIN;
                 CREATE TABLE IF NOT EXISTS node_annotation(node TEXT PRIMARY KEY,
                     starred INTEGER NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT '') WITHOUT ROWID;
                 CREATE TABLE IF NOT EXISTS node_annotation_tag(node TEXT NOT NULL, tag TEXT NOT NULL,
                     PRIMARY KEY(node, tag)) WITHOUT ROWID;
                 PRAGMA user_version = 2;
                 COMMIT;",
            )
            .map_err(|e| not_a_case(e.to_string()))?;
        }
        if version < 3 {
            let has_state: bool = db
                .query_row(
                    "SELECT count(*) FROM pragma_table_info('action_log') WHERE name = 'state'",
                    [],
                    |r| r.get::<_, i64>(0),
                )
                .map(|n| n > 0)
                .map_err(|e| not_a_case(e.to_string()))?;
            let add = if has_state {
                ""
            } else {
                "ALTER TABLE action_log ADD COLUMN state TEXT NOT NULL DEFAULT '';"
            };
            db.execute_batch(&format!("BEGIN; {add} PRAGMA user_version = 3; COMMIT;"))
                .map_err(|e| not_a_case(e.to_string()))?;
        }
        Ok(CaseFile {
            path: path.to_path_buf(),
            db,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sqlite(&self, source: rusqlite::Error) -> CaseError {
        CaseError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Applies `mark` to every event of `keys`, and logs it, in one transaction.
    /// Returns how many events changed.
    pub fn mark(&mut self, keys: &[EventKey], mark: &Mark) -> Result<usize, CaseError> {
        let path = self.path.clone();
        let err = |e| sqlite_err(&path, e);
        let tx = self.db.transaction().map_err(err)?;
        let mut changed = 0;
        {
            let mut ensure = tx
                .prepare(
                    "INSERT OR IGNORE INTO annotation(sha256, line, fingerprint) VALUES (?1, ?2, ?3)",
                )
                .map_err(err)?;
            let mut star = tx
                .prepare(
                    "UPDATE annotation SET starred = ?4
                     WHERE sha256 = ?1 AND line = ?2 AND fingerprint = ?3 AND starred != ?4",
                )
                .map_err(err)?;
            let mut note = tx
                .prepare(
                    "UPDATE annotation SET note = ?4
                     WHERE sha256 = ?1 AND line = ?2 AND fingerprint = ?3 AND note != ?4",
                )
                .map_err(err)?;
            let mut add_tag = tx
                .prepare(
                    "INSERT OR IGNORE INTO annotation_tag(sha256, line, fingerprint, tag)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(err)?;
            let mut remove_tag = tx
                .prepare(
                    "DELETE FROM annotation_tag
                     WHERE sha256 = ?1 AND line = ?2 AND fingerprint = ?3 AND tag = ?4",
                )
                .map_err(err)?;
            for key in keys {
                let id = params![key.sha256, key.line as i64, key.fingerprint];
                ensure.execute(id).map_err(err)?;
                let at = (&key.sha256, key.line as i64, &key.fingerprint);
                changed += match mark {
                    Mark::Star(on) => star.execute(params![at.0, at.1, at.2, *on]),
                    Mark::Note(text) => note.execute(params![at.0, at.1, at.2, text]),
                    Mark::Tag { tag, add: true } => add_tag.execute(params![at.0, at.1, at.2, tag]),
                    Mark::Tag { tag, add: false } => {
                        remove_tag.execute(params![at.0, at.1, at.2, tag])
                    }
                }
                .map_err(err)?;
            }
        }
        // Marks with nothing left go.
        tx.execute(
            "DELETE FROM annotation WHERE starred = 0 AND note = '' AND NOT EXISTS (
                 SELECT 1 FROM annotation_tag t WHERE t.sha256 = annotation.sha256
                 AND t.line = annotation.line AND t.fingerprint = annotation.fingerprint)",
            [],
        )
        .map_err(err)?;
        let what = match mark {
            Mark::Star(true) => "star".to_string(),
            Mark::Star(false) => "unstar".to_string(),
            Mark::Tag { tag, add: true } => format!("tag {tag}"),
            Mark::Tag { tag, add: false } => format!("untag {tag}"),
            Mark::Note(text) if text.is_empty() => "remove note".to_string(),
            Mark::Note(_) => "note".to_string(),
        };
        let detail = match mark {
            Mark::Note(text) if !text.is_empty() => {
                format!("{changed} of {} events: {text}", keys.len())
            }
            _ => format!("{changed} of {} events", keys.len()),
        };
        log::append(&tx, &what, &detail).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(changed)
    }

    /// Every mark in the case, by event.
    pub fn annotations(&self) -> Result<Vec<(EventKey, Annotation)>, CaseError> {
        let err = |e| self.sqlite(e);
        let mut marks: Vec<(EventKey, Annotation)> = self
            .db
            .prepare(
                "SELECT sha256, line, fingerprint, starred, note FROM annotation
                 ORDER BY sha256, line, fingerprint",
            )
            .map_err(err)?
            .query_map([], |r| {
                Ok((
                    key_at(r)?,
                    Annotation {
                        starred: r.get(3)?,
                        tags: Vec::new(),
                        note: r.get(4)?,
                    },
                ))
            })
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?;
        let mut tags = self
            .db
            .prepare("SELECT sha256, line, fingerprint, tag FROM annotation_tag ORDER BY tag")
            .map_err(err)?;
        let rows = tags
            .query_map([], |r| Ok((key_at(r)?, r.get::<_, String>(3)?)))
            .map_err(err)?;
        for row in rows {
            let (key, tag) = row.map_err(err)?;
            if let Ok(at) = marks.binary_search_by(|(k, _)| k.cmp(&key)) {
                marks[at].1.tags.push(tag);
            }
        }
        Ok(marks)
    }

    /// Appends an entry to the action log (an export, a report).
    pub fn log(&self, action: &str, detail: &str) -> Result<(), CaseError> {
        let err = |e| self.sqlite(e);
        let tx = self.db.unchecked_transaction().map_err(err)?;
        log::append(&tx, action, detail).map_err(err)?;
        tx.commit().map_err(err)
    }

    /// The action log, oldest first.
    pub fn action_log(&self) -> Result<Vec<LogEntry>, CaseError> {
        log::entries(&self.db).map_err(|e| self.sqlite(e))
    }

    /// Where the chain of the action log breaks, if it does, and what of
    /// the case no longer matches its seal (`log::verify_sealed`);
    /// `known_head`, a head recorded elsewhere, must be in the log.
    pub fn verify_log(&self, known_head: Option<&str>) -> Result<Vec<LogProblem>, CaseError> {
        let err = |e| self.sqlite(e);
        let entries = self.action_log()?;
        let stored_head = log::stored_head(&self.db).map_err(err)?;
        let state_now = log::state_of(&self.db).map_err(err)?;
        Ok(log::verify_sealed(
            &entries,
            &Sealed {
                stored_head: stored_head.as_deref(),
                state_now: &state_now,
                known_head,
            },
        ))
    }

    /// What an export of this case records of it: the file and the head.
    pub fn seal(&self) -> Result<crate::export::CaseSeal, CaseError> {
        Ok(crate::export::CaseSeal {
            file: self.path.display().to_string(),
            log_head: self.log_head()?.unwrap_or_default(),
        })
    }

    /// The chain's head: the hash of the last action-log entry, which
    /// seals the log and the case as that entry left it.
    pub fn log_head(&self) -> Result<Option<String>, CaseError> {
        Ok(self.action_log()?.last().map(|e| e.hash.clone()))
    }
}

/// The event key in a row's first three columns (sha256, line, fingerprint).
fn key_at(row: &rusqlite::Row<'_>) -> rusqlite::Result<EventKey> {
    Ok(EventKey {
        sha256: row.get(0)?,
        line: row.get::<_, i64>(1)? as u64,
        fingerprint: row.get(2)?,
    })
}

fn sqlite_err(path: &Path, source: rusqlite::Error) -> CaseError {
    CaseError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

/// Waits for another writer rather than failing, and writes through a
/// journal so a killed writer leaves the last committed state.
fn configure(db: &Connection) -> rusqlite::Result<()> {
    db.busy_timeout(Duration::from_secs(10))?;
    db.pragma_update(None, "journal_mode", "DELETE")?;
    db.pragma_update(None, "synchronous", "FULL")?;
    db.pragma_update(None, "foreign_keys", true)
}

fn now() -> String {
    crate::time::format_utc(chrono::Utc::now().timestamp_millis())
}

/// How an export is written in the action log: what, where, its hash and
/// the filter in words.
pub fn export_detail(
    summary: &crate::export::ExportSummary,
    filter: &crate::query::Filter,
) -> String {
    let words: Vec<String> = filter
        .describe()
        .into_iter()
        .map(|(criterion, text)| format!("{}: {text}", criterion.label()))
        .collect();
    let filter = if words.is_empty() {
        "none".to_string()
    } else {
        words.join("; ")
    };
    format!(
        "{} rows to {} ({}, SHA-256 {}); filter: {filter}",
        summary.rows,
        summary.output,
        summary.format.as_str(),
        summary.sha256,
    )
}
