//! Path completions for a typed prefix: the loaded node paths that start
//! with it, cut at the end of the next segment, so a folder is offered once
//! before its files (a prefix matches a folder and everything beneath it).

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
}
