//! Reference data a case used: the GeoIP databases that placed its
//! addresses (path, type, build date, SHA-256), so that reopening the case
//! places them again with the same databases, and a changed one is said.

use super::{CaseError, CaseFile};
use crate::geo::DatabaseInfo;

impl CaseFile {
    /// The GeoIP databases the case last used (none: empty).
    pub fn geoip_databases(&self) -> Result<Vec<DatabaseInfo>, CaseError> {
        Ok(self
            .setting("geoip", "GeoIP databases")?
            .unwrap_or_default())
    }

    /// Records the databases in use when they differ from those recorded
    /// (each change in the action log). Returns whether it wrote.
    pub fn record_geoip_databases(&mut self, used: &[DatabaseInfo]) -> Result<bool, CaseError> {
        if self.geoip_databases()? == used {
            return Ok(false);
        }
        let named: Vec<String> = used
            .iter()
            .map(|d| format!("{} ({}, sha256 {})", d.path, d.database_type, d.sha256))
            .collect();
        let detail = if named.is_empty() {
            "none".to_string()
        } else {
            named.join("; ")
        };
        self.set_setting("geoip", &used, "geoip", &detail)?;
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
