//! The criteria on a case file's marks (`starred`, `tags`, `has_note`),
//! read from the marks the case holds when the selection starts.

use std::sync::Arc;

use super::Filter;
use super::eval::Test;
use crate::index::Case;

/// One test per mark criterion the filter sets.
pub(super) fn mark_tests<'s>(case: &'s Case, filter: &'s Filter) -> Vec<Test<'s>> {
    let mut tests: Vec<Test<'s>> = Vec::new();
    let annotations = case.annotations();
    if filter.starred {
        let annotations = Arc::clone(&annotations);
        tests.push(Box::new(move |row| annotations.starred(row)));
    }
    let tags: Vec<&str> = filter
        .tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect();
    if !tags.is_empty() {
        let annotations = Arc::clone(&annotations);
        tests.push(Box::new(move |row| {
            annotations
                .get(row)
                .is_some_and(|a| a.tags.iter().any(|t| tags.contains(&t.as_str())))
        }));
    }
    if filter.has_note {
        tests.push(Box::new(move |row| {
            annotations.get(row).is_some_and(|a| !a.note.is_empty())
        }));
    }
    tests
}
