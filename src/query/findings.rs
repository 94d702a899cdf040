//! The criterion on findings (`findings`): the events proving the findings
//! named, by kind or by id, as the case's findings are now.

use super::eval::Test;
use super::{Filter, FilterError};
use crate::index::Case;

/// The test of `--finding`, if the filter names any.
pub(super) fn finding_tests<'s>(
    case: &'s Case,
    filter: &Filter,
) -> Result<Vec<Test<'s>>, FilterError> {
    let named: Vec<String> = filter
        .findings
        .iter()
        .map(|f| f.trim().to_string())
        .filter(|f| !f.is_empty())
        .collect();
    if named.is_empty() {
        return Ok(Vec::new());
    }
    let findings = case.findings();
    if let Some(unknown) = named.iter().find(|n| !findings.names_any(n)) {
        return Err(FilterError::NoSuchFinding(unknown.clone()));
    }
    let mut proving = vec![false; case.store.events.len()];
    for row in findings.rows_named(&named) {
        if let Some(flag) = proving.get_mut(row as usize) {
            *flag = true;
        }
    }
    Ok(vec![Box::new(move |row| {
        proving.get(row).copied().unwrap_or(false)
    })])
}
