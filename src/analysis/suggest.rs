//! Path completions for a typed prefix: the loaded node paths that start
//! with it, cut at the end of the next segment, so a folder is offered once
//! before its files (a prefix matches a folder and everything beneath it);
//! and, when a typed prefix matches no node as whole folder names, the
//! closest paths that exist.

use std::collections::BTreeSet;

use crate::model::{EventTable, TextField};

/// Up to `limit` completions of `typed` among the distinct node paths, in
/// order. None for an empty text or a pattern with `*`.
pub fn path_completions(events: &EventTable, typed: &str, limit: usize) -> Vec<String> {
    let Some(column) = events.interned(TextField::NodePath) else {
        return Vec::new();
    };
    if typed.is_empty() || typed.contains('*') {
        return Vec::new();
    }
    let mut found = BTreeSet::new();
    for path in column.values.values() {
        let Some(rest) = path.strip_prefix(typed) else {
            continue;
        };
        // The end of the segment being typed, or of the next one.
        let skip = usize::from(rest.starts_with('/'));
        let cut = rest[skip..].find('/').map_or(rest.len(), |i| i + skip);
        let completion = &path[..typed.len() + cut];
        if completion != typed {
            found.insert(completion);
        }
    }
    found.into_iter().take(limit).map(str::to_string).collect()
}

/// What a typed path prefix matches among the loaded node paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathHint {
    /// A node is that path or lies under it (or the text is a pattern).
    Matches,
    /// No node does: the closest paths that exist (those the text begins,
    /// the same ignoring case, or else the deepest folder it names and
    /// what is in it). Empty when nothing is close.
    NoMatch { closest: Vec<String> },
}

/// Whether `typed` (a prefix, matched by whole folder names) selects any
/// node, and if not, up to `limit` closest existing paths.
pub fn path_hint(events: &EventTable, typed: &str, limit: usize) -> PathHint {
    let typed = typed.trim().trim_end_matches('/');
    let Some(column) = events.interned(TextField::NodePath) else {
        return PathHint::NoMatch {
            closest: Vec::new(),
        };
    };
    if typed.is_empty() || typed.contains('*') {
        return PathHint::Matches;
    }
    let paths = || column.values.values();
    let under = |path: &str, folder: &str| {
        path.strip_prefix(folder)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    if paths().any(|path| under(path, typed)) {
        return PathHint::Matches;
    }
    let mut closest = path_completions(events, typed, limit);
    if closest.is_empty() {
        let lower = typed.to_lowercase();
        let found: BTreeSet<&str> = paths()
            .filter_map(|path| {
                let start = path.get(..lower.len())?;
                (start.to_lowercase() == lower).then(|| segment_end(path, lower.len()))
            })
            .collect();
        closest = found.into_iter().take(limit).map(str::to_string).collect();
    }
    // The deepest folder the text names, and what is in it.
    let mut folder = typed;
    while closest.is_empty() {
        let Some(cut) = folder.rfind('/') else {
            break;
        };
        folder = &folder[..cut];
        let prefix = format!("{folder}/");
        closest = path_completions(events, &prefix, limit);
    }
    PathHint::NoMatch { closest }
}

/// `path` up to the end of the segment that holds byte `at`.
fn segment_end(path: &str, at: usize) -> &str {
    let skip = usize::from(path[at..].starts_with('/'));
    let cut = path[at + skip..]
        .find('/')
        .map_or(path.len(), |i| at + skip + i);
    &path[..cut]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventDraft, System};

    #[test]
    fn completes_to_the_next_segment() {
        let mut events = EventTable::new();
        for path in [
            "ds/case-1/a.pdf",
            "ds/case-1/b.pdf",
            "ds/case-2",
            "ds/other/x",
            "personal/bob/y",
        ] {
            let mut draft = EventDraft::new(System::Pydio, 0, 1);
            draft.set(TextField::NodePath, path);
            events.push(&draft, 0);
        }
        assert_eq!(
            path_completions(&events, "ds/ca", 10),
            ["ds/case-1", "ds/case-2"]
        );
        assert_eq!(
            path_completions(&events, "ds/case-1", 10),
            ["ds/case-1/a.pdf", "ds/case-1/b.pdf"]
        );
        assert_eq!(
            path_completions(&events, "ds", 10),
            ["ds/case-1", "ds/case-2", "ds/other"]
        );
        assert_eq!(
            path_completions(&events, "ds", 2),
            ["ds/case-1", "ds/case-2"]
        );
        assert!(path_completions(&events, "ds/*", 10).is_empty());
        assert!(path_completions(&events, "", 10).is_empty());
        assert!(path_completions(&events, "nothing", 10).is_empty());
    }

    #[test]
    fn a_prefix_that_matches_no_folder_names_the_closest_paths() {
        let mut events = EventTable::new();
        for path in [
            "pydiods1/Projets/2024/a.pdf",
            "pydiods1/Projets/b.pdf",
            "pydiods1/Legal/c",
        ] {
            let mut draft = EventDraft::new(System::Pydio, 0, 1);
            draft.set(TextField::NodePath, path);
            events.push(&draft, 0);
        }
        let hint = |typed| path_hint(&events, typed, 5);
        assert_eq!(hint("pydiods1/Projets"), PathHint::Matches);
        assert_eq!(hint("pydiods1/Projets/"), PathHint::Matches);
        assert_eq!(hint("pydiods1/Proj*"), PathHint::Matches);
        let closest = |paths: &[&str]| PathHint::NoMatch {
            closest: paths.iter().map(|p| p.to_string()).collect(),
        };
        // Part of a folder's name.
        assert_eq!(hint("pydiods1/Proj"), closest(&["pydiods1/Projets"]));
        // Another case.
        assert_eq!(hint("PYDIODS1/proj"), closest(&["pydiods1/Projets"]));
        // A folder that is not there: what its parent holds.
        assert_eq!(
            hint("pydiods1/Archive/x"),
            closest(&["pydiods1/Legal", "pydiods1/Projets"])
        );
        assert_eq!(hint("elsewhere"), closest(&[]));
    }
}
