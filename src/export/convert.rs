//! `convert`: a loaded case written as Parquet in auditview's schema, one
//! file per input file (so converting is a map task per file on any
//! cluster), the rejects in `_rejects.parquet`, and `_provenance.json`
//! naming every input with its SHA-256 and every file written with its own.
//! Files are written on every core, each beside its target then renamed;
//! memory is the loaded case's plus a row group per file being written.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::ExportError;
use crate::model::Store;
use crate::safe_write::{WriteError, check_target, publish, temp_beside};

/// The rejects' file and the manifest, beside the events' files.
pub const REJECTS_FILE: &str = "_rejects.parquet";
pub const MANIFEST_FILE: &str = "_provenance.json";

/// One input and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct ConvertedInput {
    pub input: String,
    pub input_sha256: String,
    pub format: String,
    pub events: usize,
    pub rejected: u64,
    /// The Parquet file of its events (none: it had no events, e.g. a
    /// report of users or shared resources, whose records are not events).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_sha256: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConvertSummary {
    pub tool: &'static str,
    pub version: &'static str,
    pub commit: &'static str,
    pub converted_at: String,
    /// The schema written (`model::columnar`), as `inspect` names formats.
    pub schema: &'static str,
    pub inputs: Vec<ConvertedInput>,
    pub events: usize,
    pub rejected: u64,
    /// Rejects kept in detail (the rest only counted, as in a load).
    pub rejects_file: String,
    pub rejects_rows: usize,
    pub rejects_sha256: String,
    #[serde(skip)]
    pub manifest: PathBuf,
}

/// Writes the case's events into `dir` (made if missing). Existing files
/// are replaced only with `force`; an input is never written over.
pub fn convert(store: &Store, dir: &Path, force: bool) -> Result<ConvertSummary, ExportError> {
    if dir.is_file() {
        return Err(WriteError::Exists(dir.to_path_buf()).into());
    }
    // Evidence folders hold evidence only: a later load of the folder would
    // take the converted files for more evidence, and `--force` would
    // replace whatever the folder held under their names.
    if crate::model::owned::inside_evidence_folder(dir) {
        return Err(ExportError::InEvidenceFolder(dir.to_path_buf()));
    }
    std::fs::create_dir_all(dir).map_err(|source| {
        ExportError::Target(crate::safe_write::WriteError::Folder {
            dir: dir.to_path_buf(),
            source,
        })
    })?;
    let converted_at = crate::time::format_utc(chrono::Utc::now().timestamp_millis());

    // Each source's rows, in time order (the store's order).
    let mut rows: Vec<Vec<u32>> = vec![Vec::new(); store.sources.len()];
    for (row, &source) in store.events.source.iter().enumerate() {
        rows[source as usize].push(row as u32);
    }
    let names = output_names(store, &rows);
    let targets: Vec<Option<PathBuf>> = names
        .iter()
        .map(|name| name.as_ref().map(|n| dir.join(n)))
        .collect();
    let rejects_path = dir.join(REJECTS_FILE);
    let manifest = dir.join(MANIFEST_FILE);
    for target in targets.iter().flatten().chain([&rejects_path, &manifest]) {
        check_target(target, &store.sources, force)?;
    }

    let written: Vec<Option<String>> = targets
        .par_iter()
        .zip(&rows)
        .map(|(target, rows)| match target {
            Some(target) => write_one(store, rows, target).map(Some),
            None => Ok(None),
        })
        .collect::<Result<_, ExportError>>()?;

    let rejects: Vec<&crate::model::Reject> = store.rejects.iter().collect();
    let temp = temp_beside(&rejects_path, &store.sources)?;
    let hashing = crate::hash::HashingWriter::new(temp.as_file());
    let hashing = super::parquet::write_rejects(store, &rejects, hashing).map_err(|e| {
        ExportError::Parquet {
            path: rejects_path.clone(),
            reason: e.to_string(),
        }
    })?;
    let rejects_sha256 = hashing.finish().map_err(|source| {
        ExportError::Target(crate::safe_write::WriteError::Write {
            path: rejects_path.clone(),
            source,
        })
    })?;
    publish(temp, &rejects_path)?;

    let inputs = store
        .sources
        .iter()
        .enumerate()
        .map(|(i, source)| ConvertedInput {
            input: source.path.clone(),
            input_sha256: source.sha256.clone(),
            format: source.format.as_str().to_string(),
            events: rows[i].len(),
            rejected: source.rejected,
            output: targets[i].as_ref().map(|t| t.display().to_string()),
            output_sha256: written[i].clone(),
        })
        .collect();
    let summary = ConvertSummary {
        tool: "auditview",
        version: crate::build_info::VERSION,
        commit: crate::build_info::COMMIT,
        converted_at,
        schema: crate::model::Format::AuditviewParquet.as_str(),
        inputs,
        events: store.events.len(),
        rejected: store.rejected(),
        rejects_file: rejects_path.display().to_string(),
        rejects_rows: rejects.len(),
        rejects_sha256,
        manifest: manifest.clone(),
    };
    let temp = temp_beside(&manifest, &store.sources)?;
    serde_json::to_writer_pretty(temp.as_file(), &summary).map_err(|source| {
        ExportError::Provenance {
            path: manifest.clone(),
            source,
        }
    })?;
    publish(temp, &manifest)?;
    Ok(summary)
}

fn write_one(store: &Store, rows: &[u32], target: &Path) -> Result<String, ExportError> {
    let temp = temp_beside(target, &store.sources)?;
    let sha256 = super::write_parquet(store, rows, temp.as_file(), target)?;
    publish(temp, target)?;
    Ok(sha256)
}

/// `<input file name>.parquet` for each input with events; a name taken
/// by an earlier input (two `audit.log` in two folders) gets `-2`, `-3`...
fn output_names(store: &Store, rows: &[Vec<u32>]) -> Vec<Option<String>> {
    let mut taken = BTreeSet::new();
    taken.insert(REJECTS_FILE.to_string());
    store
        .sources
        .iter()
        .zip(rows)
        .map(|(source, rows)| {
            if rows.is_empty() {
                return None;
            }
            let base = Path::new(&source.path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "input".to_string());
            let mut name = format!("{base}.parquet");
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}-{n}.parquet");
                n += 1;
            }
            Some(name)
        })
        .collect()
}
