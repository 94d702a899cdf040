//! The case's decisions on identities: persons named, proposals accepted
//! or rejected (`index::people::Aliases`), kept as JSON beside the other
//! case settings, each change in the action log.

use rusqlite::{OptionalExtension, params};

use super::{CaseError, CaseFile, log, sqlite_err};
use crate::index::people::Aliases;

impl CaseFile {
    /// The case's aliases (none yet: empty). An entry this version cannot
    /// read is an error, not silently empty: decisions would be lost.
    pub fn aliases(&self) -> Result<Aliases, CaseError> {
        let text: Option<String> = self
            .db
            .query_row("SELECT value FROM meta WHERE key = 'aliases'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sqlite(e))?;
        match text {
            None => Ok(Aliases::default()),
            Some(text) => serde_json::from_str(&text).map_err(|e| CaseError::NotACase {
                path: self.path.clone(),
                reason: format!("its aliases cannot be read: {e}"),
            }),
        }
    }

    /// Replaces the case's aliases; `what` says what changed, for the log.
    pub fn set_aliases(&mut self, aliases: &Aliases, what: &str) -> Result<(), CaseError> {
        let json = serde_json::to_string(aliases).unwrap_or_default();
        let tx = self
            .db
            .transaction()
            .map_err(|e| sqlite_err(&self.path, e))?;
        tx.execute(
            "INSERT INTO meta(key, value) VALUES ('aliases', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![json],
        )
        .map_err(|e| sqlite_err(&self.path, e))?;
        log::append(&tx, "aliases", what).map_err(|e| sqlite_err(&self.path, e))?;
        tx.commit().map_err(|e| sqlite_err(&self.path, e))
    }
}
