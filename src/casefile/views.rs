//! What a case keeps besides its marks: named views (a filter and how the
//! window showed it) and the summary of the investigation.

use rusqlite::{OptionalExtension, params};

use super::{CaseError, CaseFile, log, sqlite_err};

/// A named view of the case: its filter, and how the window showed it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedView {
    pub filter: crate::query::Filter,
    /// The window's tab (`events`, `nodes`, `requests`, `reports`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tab: Option<String>,
    /// The time zone times were shown in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// The column the table was sorted by, and whether descending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    #[serde(default)]
    pub descending: bool,
}

impl CaseFile {
    /// The case's summary (a note on the case itself).
    pub fn summary(&self) -> Result<String, CaseError> {
        self.db
            .query_row("SELECT value FROM meta WHERE key = 'summary'", [], |r| {
                r.get(0)
            })
            .optional()
            .map(Option::unwrap_or_default)
            .map_err(|e| self.sqlite(e))
    }

    pub fn set_summary(&mut self, text: &str) -> Result<(), CaseError> {
        let tx = self
            .db
            .transaction()
            .map_err(|e| sqlite_err(&self.path, e))?;
        tx.execute(
            "INSERT INTO meta(key, value) VALUES ('summary', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![text],
        )
        .map_err(|e| sqlite_err(&self.path, e))?;
        log::append(&tx, "summary", text).map_err(|e| sqlite_err(&self.path, e))?;
        tx.commit().map_err(|e| sqlite_err(&self.path, e))
    }

    /// Saved views by name. A view this version cannot read is passed
    /// over (a newer auditview may have saved it).
    pub fn saved_views(&self) -> Result<Vec<(String, SavedView)>, CaseError> {
        let err = |e| self.sqlite(e);
        let rows: Vec<(String, String)> = self
            .db
            .prepare("SELECT name, view FROM saved_view ORDER BY name")
            .map_err(err)?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?;
        Ok(rows
            .into_iter()
            .filter_map(|(name, json)| Some((name, serde_json::from_str(&json).ok()?)))
            .collect())
    }

    /// The saved view called `name`.
    pub fn view(&self, name: &str) -> Result<Option<SavedView>, CaseError> {
        Ok(self
            .saved_views()?
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, view)| view))
    }

    /// Saves (or replaces) a named view: a filter and how the window showed it.
    pub fn save_view(&mut self, name: &str, view: &SavedView) -> Result<(), CaseError> {
        let view_json = serde_json::to_string(view).unwrap_or_default();
        let path = self.path.clone();
        let err = |e| sqlite_err(&path, e);
        let tx = self.db.transaction().map_err(err)?;
        tx.execute(
            "INSERT INTO saved_view(name, view) VALUES (?1, ?2)
             ON CONFLICT(name) DO UPDATE SET view = excluded.view",
            params![name, view_json],
        )
        .map_err(err)?;
        log::append(&tx, "save view", &format!("{name}: {view_json}")).map_err(err)?;
        tx.commit().map_err(err)
    }
}
