//! Saving a filter as the JSON `--filter-file` reads, with the same care as
//! an export: never over an input, complete or not at all.

use std::io::Write;
use std::path::Path;

use super::ExportError;
use crate::model::SourceInfo;
use crate::query::Filter;
use crate::safe_write::{check_target, publish, temp_beside};

/// Writes `filter` to `target` (replacing a file there only with `force`).
pub fn save_filter(
    filter: &Filter,
    target: &Path,
    inputs: &[SourceInfo],
    force: bool,
) -> Result<(), ExportError> {
    check_target(target, inputs, force)?;
    let partial = temp_beside(target, inputs)?;
    let write_error = |source| {
        ExportError::Target(crate::safe_write::WriteError::Write {
            path: target.to_path_buf(),
            source,
        })
    };
    let mut json = serde_json::to_vec_pretty(filter).map_err(|source| ExportError::Provenance {
        path: target.to_path_buf(),
        source,
    })?;
    json.push(b'\n');
    partial.as_file().write_all(&json).map_err(write_error)?;
    Ok(publish(partial, target)?)
}

/// A filter file larger than this is not one.
const MAX_FILTER_BYTES: u64 = 16 << 20;

/// Reads a filter saved by `save_filter` or written by hand for `--filter-file`.
pub fn read_filter(path: &Path) -> Result<Filter, String> {
    use std::io::Read;
    let cannot =
        |e: std::io::Error| format!("{}: {}", path.display(), crate::display::describe_io(&e));
    let mut text = String::new();
    crate::model::owned::register(path, crate::model::owned::OwnedKind::FilterFile);
    crate::hash::open_read_only(path)
        .map_err(cannot)?
        .take(MAX_FILTER_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(cannot)?;
    if text.len() as u64 > MAX_FILTER_BYTES {
        return Err(format!(
            "{}: larger than a filter file can be",
            path.display()
        ));
    }
    let filter: Filter = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not a filter file ({e})", path.display()))?;
    filter
        .validate()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(filter)
}

#[cfg(test)]
#[expect(clippy::disallowed_methods, reason = "tests write their fixtures")]
mod tests {
    use super::*;
    use crate::safe_write::WriteError;

    #[test]
    fn a_saved_filter_reads_back_the_same_and_never_replaces_an_existing_file_unasked() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("filter.json");
        let filter = Filter {
            users: vec!["alice".into()],
            texts: vec!["doc".into()],
            ..Filter::default()
        };
        save_filter(&filter, &target, &[], false).unwrap();
        let again = save_filter(&Filter::default(), &target, &[], false);
        assert!(matches!(
            again,
            Err(ExportError::Target(WriteError::Exists(_)))
        ));
        save_filter(&Filter::default(), &target, &[], true).unwrap();
        assert_eq!(read_filter(&target).unwrap(), Filter::default());
        std::fs::write(&target, "{\"paths\": [\"\"]}").unwrap();
        assert!(read_filter(&target).unwrap_err().contains("filter.json"));
    }

    #[test]
    fn a_filter_file_in_use_is_never_replaced_even_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("in-use.json");
        save_filter(&Filter::default(), &target, &[], false).unwrap();
        read_filter(&target).unwrap();
        let forced = save_filter(&Filter::default(), &target, &[], true);
        assert!(
            matches!(forced, Err(ExportError::Target(WriteError::Owned { what, .. })) if what.contains("filter file")),
            "{forced:?}"
        );
    }
}
