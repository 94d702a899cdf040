//! The findings a view lists: those with a proving event among the rows the
//! filter selects and, when nothing is filtered, the evidence's own gaps
//! (which have no events). The CLI's `findings` and the window's Findings
//! view list the same ones.

use std::sync::Arc;

use crate::index::Case;
use crate::index::findings::{Finding, Findings};
use crate::query::{Filter, Selection};

#[derive(Debug, Clone, Default)]
pub struct FindingsView {
    pub findings: Arc<Findings>,
    /// Indexes into `findings.findings`, most severe first.
    pub listed: Vec<usize>,
}

impl FindingsView {
    pub fn listed(&self) -> impl Iterator<Item = &Finding> {
        self.listed.iter().map(|&i| &self.findings.findings[i])
    }
}

pub fn findings_view(case: &Case, filter: &Filter, selection: &Selection) -> FindingsView {
    let findings = case.findings();
    let everything = filter.is_empty();
    let mut selected = vec![false; case.store.events.len()];
    for &row in &selection.rows {
        if let Some(flag) = selected.get_mut(row as usize) {
            *flag = true;
        }
    }
    let listed = findings
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            if f.rows.is_empty() {
                everything
            } else {
                f.rows
                    .iter()
                    .any(|&r| selected.get(r as usize).copied().unwrap_or(false))
            }
        })
        .map(|(i, _)| i)
        .collect();
    FindingsView { findings, listed }
}
