//! What a case keeps as JSON under a key of its `meta` table (decisions on
//! persons, the GeoIP databases used): read back whole, written in one
//! transaction with its line in the action log.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{CaseError, CaseFile, log, sqlite_err};

impl CaseFile {
    /// The value under `key` (none yet: `None`). One this version cannot
    /// read is an error, never taken as empty: what it held would be lost.
    pub(super) fn setting<T: DeserializeOwned>(
        &self,
        key: &str,
        what: &str,
    ) -> Result<Option<T>, CaseError> {
        let text: Option<String> = self
            .db
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sqlite(e))?;
        text.map(|text| {
            serde_json::from_str(&text).map_err(|e| CaseError::NotACase {
                path: self.path.clone(),
                reason: format!("its {what} cannot be read: {e}"),
            })
        })
        .transpose()
    }

    /// Writes `value` under `key`, logged as `action` with `detail`.
    pub(super) fn set_setting<T: Serialize>(
        &mut self,
        key: &str,
        value: &T,
        action: &str,
        detail: &str,
    ) -> Result<(), CaseError> {
        let json = serde_json::to_string(value).unwrap_or_default();
        let tx = self
            .db
            .transaction()
            .map_err(|e| sqlite_err(&self.path, e))?;
        tx.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, json],
        )
        .map_err(|e| sqlite_err(&self.path, e))?;
        log::append(&tx, action, detail).map_err(|e| sqlite_err(&self.path, e))?;
        tx.commit().map_err(|e| sqlite_err(&self.path, e))
    }

    /// Reads the value under `key` (none yet: the default), lets `change`
    /// edit it, and writes it back with its line in the action log, in one
    /// immediate transaction: two processes changing the same key cannot
    /// lose each other's change. `change` also gets the action log's head
    /// as the transaction sees it, and returns the log line's detail.
    pub(super) fn update_setting<T, R, E>(
        &mut self,
        key: &str,
        what: &str,
        action: &str,
        change: impl FnOnce(&mut T, &str) -> Result<(String, R), E>,
    ) -> Result<R, E>
    where
        T: Serialize + DeserializeOwned + Default,
        E: From<CaseError>,
    {
        let path = self.path.clone();
        let err = |e| sqlite_err(&path, e);
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let text: Option<String> = tx
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(err)?;
        let unreadable = |e: serde_json::Error| CaseError::NotACase {
            path: path.clone(),
            reason: format!("its {what} cannot be read: {e}"),
        };
        let mut value: T = match text {
            Some(text) => serde_json::from_str(&text).map_err(unreadable)?,
            None => T::default(),
        };
        let head = log::entries(&tx)
            .map_err(err)?
            .last()
            .map(|e| e.hash.clone())
            .unwrap_or_default();
        let (detail, result) = change(&mut value, &head)?;
        let json = serde_json::to_string(&value).map_err(unreadable)?;
        tx.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, json],
        )
        .map_err(err)?;
        log::append(&tx, action, &detail).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(result)
    }
}
