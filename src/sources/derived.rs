//! auditview's own exports found in a loaded folder beside the evidence
//! they were made from: derived files, not more evidence. An export whose
//! provenance sidecar lists only files loaded with it (same size, same
//! SHA-256) is set aside as skipped with the reason, so its rows are not
//! counted a second time. An export named by the user is read as asked, and
//! one without a provenance, or from evidence not loaded, is read too.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::detect::Plan;
use super::input::Candidate;
use crate::model::{Format, SkippedPath};

/// A provenance sidecar larger than this is not one of ours.
const MAX_SIDECAR_BYTES: u64 = 64 << 20;

/// The sources a provenance lists: (SHA-256, bytes) of each.
fn listed_sources(sidecar: &Path) -> Option<Vec<(String, u64)>> {
    let file = crate::hash::open_read_only(sidecar).ok()?;
    if file.metadata().ok()?.len() > MAX_SIDECAR_BYTES {
        return None;
    }
    let value: serde_json::Value = serde_json::from_reader(std::io::BufReader::new(file)).ok()?;
    let sources = value.get("sources")?.as_array()?;
    sources
        .iter()
        .map(|s| {
            Some((
                s.get("sha256")?.as_str()?.to_string(),
                s.get("bytes")?.as_u64()?,
            ))
        })
        .collect()
}

/// The provenance of an export: `<file>.provenance.json`, or a converted
/// folder's `_provenance.json`.
fn sidecar_of(path: &Path) -> Option<PathBuf> {
    let mut beside = path.as_os_str().to_owned();
    beside.push(".provenance.json");
    let beside = PathBuf::from(beside);
    if beside.is_file() {
        return Some(beside);
    }
    let manifest = path.parent()?.join("_provenance.json");
    manifest.is_file().then_some(manifest)
}

/// Takes out of `accepted` the exports derived from other files of it,
/// each as a skipped path with the reason.
pub(super) fn set_aside(
    accepted: Vec<(Candidate, Plan)>,
    skipped: &mut Vec<SkippedPath>,
) -> Vec<(Candidate, Plan)> {
    let is_export = |(candidate, plan): &(Candidate, Plan)| {
        !candidate.explicit
            && candidate.buffered.is_none()
            && matches!(
                plan.format,
                Format::AuditviewExportCsv | Format::AuditviewParquet
            )
    };
    if !accepted.iter().any(is_export) {
        return accepted;
    }
    // The other files by size; hashed only when an export names that size.
    let mut by_size: HashMap<u64, Vec<PathBuf>> = HashMap::new();
    for entry in accepted.iter().filter(|e| !is_export(e)) {
        by_size
            .entry(entry.0.size())
            .or_default()
            .push(entry.0.path.clone());
    }
    let mut hashes: HashMap<PathBuf, Option<String>> = HashMap::new();
    let mut loaded_with = |sha256: &str, bytes: u64| {
        by_size.get(&bytes).is_some_and(|paths| {
            paths.iter().any(|path| {
                hashes
                    .entry(path.clone())
                    .or_insert_with(|| crate::hash::sha256_of_file(path).ok())
                    .as_deref()
                    == Some(sha256)
            })
        })
    };
    let mut kept = Vec::with_capacity(accepted.len());
    for entry in accepted {
        let derived = is_export(&entry)
            .then(|| sidecar_of(&entry.0.path))
            .flatten()
            .and_then(|sidecar| listed_sources(&sidecar))
            .filter(|sources| {
                !sources.is_empty()
                    && sources
                        .iter()
                        .all(|(sha256, bytes)| loaded_with(sha256, *bytes))
            });
        match derived {
            Some(sources) => skipped.push(SkippedPath {
                path: entry.0.display,
                reason: format!(
                    "derived: an auditview export of {} loaded with it (its provenance lists them), not counted again; name it to read it",
                    crate::display::plural(sources.len() as u64, "file", "files")
                ),
            }),
            None => kept.push(entry),
        }
    }
    kept
}
