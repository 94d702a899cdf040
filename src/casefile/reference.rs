//! Reference data a case used: the GeoIP databases that placed its
//! addresses (path, type, build date, SHA-256), so that reopening the case
//! places them again with the same databases, and a changed one is said.

use rusqlite::{OptionalExtension, params};

use super::{CaseError, CaseFile, log, sqlite_err};
use crate::geo::DatabaseInfo;

impl CaseFile {
    /// The GeoIP databases the case last used (none: empty).
    pub fn geoip_databases(&self) -> Result<Vec<DatabaseInfo>, CaseError> {
        let text: Option<String> = self
            .db
            .query_row("SELECT value FROM meta WHERE key = 'geoip'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sqlite(e))?;
        match text {
            None => Ok(Vec::new()),
            Some(text) => serde_json::from_str(&text).map_err(|e| CaseError::NotACase {
                path: self.path.clone(),
                reason: format!("its GeoIP databases cannot be read: {e}"),
            }),
        }
    }

    /// Records the databases in use when they differ from those recorded
    /// (each change in the action log). Returns whether it wrote.
    pub fn record_geoip_databases(&mut self, used: &[DatabaseInfo]) -> Result<bool, CaseError> {
        if self.geoip_databases()? == used {
            return Ok(false);
        }
        let json = serde_json::to_string(used).unwrap_or_default();
        let named: Vec<String> = used
            .iter()
            .map(|d| format!("{} ({}, sha256 {})", d.path, d.database_type, d.sha256))
            .collect();
        let tx = self
            .db
            .transaction()
            .map_err(|e| sqlite_err(&self.path, e))?;
        tx.execute(
            "INSERT INTO meta(key, value) VALUES ('geoip', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![json],
        )
        .map_err(|e| sqlite_err(&self.path, e))?;
        let detail = if named.is_empty() {
            "none".to_string()
        } else {
            named.join("; ")
        };
        log::append(&tx, "geoip", &detail).map_err(|e| sqlite_err(&self.path, e))?;
        tx.commit().map_err(|e| sqlite_err(&self.path, e))?;
        Ok(true)
    }
}

/// Those of `recorded` whose file now has another SHA-256 than the case
/// recorded, in words (the places of the case may differ from before).
pub fn changed_databases(recorded: &[DatabaseInfo], used: &[DatabaseInfo]) -> Vec<String> {
    recorded
        .iter()
        .filter_map(|old| {
            let now = used.iter().find(|d| d.path == old.path)?;
            (now.sha256 != old.sha256).then(|| {
                format!(
                    "GeoIP database {} changed since the case recorded it (SHA-256 {} then, {} now)",
                    old.path, old.sha256, now.sha256
                )
            })
        })
        .collect()
}

/// The recorded databases' paths that still exist; `missing` hears of the others.
pub fn recorded_paths(
    recorded: &[DatabaseInfo],
    mut missing: impl FnMut(&str),
) -> Vec<std::path::PathBuf> {
    recorded
        .iter()
        .filter_map(|d| {
            let path = std::path::PathBuf::from(&d.path);
            if path.is_file() {
                Some(path)
            } else {
                missing(&d.path);
                None
            }
        })
        .collect()
}
