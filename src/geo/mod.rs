//! GeoIP, offline: MaxMind DB files chosen by the investigator (`--geoip`,
//! `AUDITVIEW_GEOIP`, the window's setting, the case file) place each
//! address of a case in a country, a city and an autonomous system.
//! Reference data, not evidence: opened read-only and hashed, and named
//! with its type, build date and SHA-256 in every export's provenance.

pub mod database;
pub mod guard;
pub mod places;
mod record;

use std::path::PathBuf;

use crate::model::Store;

pub use database::{DatabaseInfo, GeoDatabase, GeoError};
pub use places::{AutonomousSystem, City, Country, Place, Places, parse_address};

/// The environment variable naming databases for the CLI: paths separated
/// like `PATH` (`:` here, `;` on Windows).
pub const GEOIP_ENV: &str = "AUDITVIEW_GEOIP";

/// The databases named by `AUDITVIEW_GEOIP`, in order.
pub fn paths_from_env() -> Vec<PathBuf> {
    std::env::var_os(GEOIP_ENV)
        .map(|value| {
            std::env::split_paths(&value)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// The databases to use, each once: those named (flags, settings), then
/// the `.mmdb` files among the paths loaded.
pub fn database_paths(named: &[PathBuf], store: &Store) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for path in named.iter().chain(&store.geoip_files) {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if seen.insert(key) {
            paths.push(path.clone());
        }
    }
    paths
}

/// Places `store`'s addresses with the databases `database_paths` gives
/// (none: an empty `Places`, special-purpose ranges only).
pub fn place(store: &Store, named: &[PathBuf]) -> Result<Places, GeoError> {
    let paths = database_paths(named, store);
    if paths.is_empty() {
        return Ok(Places::none());
    }
    let databases = open_all(&paths)?;
    Ok(Places::build(store, &databases))
}

/// Opens each database; the first that cannot be used is the error (a
/// database the investigator named and that is not used would be silent).
pub fn open_all(paths: &[PathBuf]) -> Result<Vec<GeoDatabase>, GeoError> {
    paths.iter().map(|path| GeoDatabase::open(path)).collect()
}

/// Whether a file is a MaxMind DB, by its metadata marker near its end
/// (what the loader uses to set one found in a folder aside, not as evidence).
pub fn looks_like_mmdb(tail: &[u8]) -> bool {
    memchr::memmem::find(tail, METADATA_MARKER).is_some()
}

/// Readers find the metadata after the last occurrence of this marker.
pub const METADATA_MARKER: &[u8] = b"\xab\xcd\xefMaxMind.com";
