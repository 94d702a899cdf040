//! A case file over a load of its evidence: what the CLI and the window
//! both do once files are loaded with a case open. The files the load
//! read that the case did not hold are recorded in it; its marks go on
//! the loaded rows; each recorded file the load found changed or did not
//! find is said, with the marked events that cite it.

use super::{CaseError, CaseFile, EvidenceState, EvidenceStatus};
use crate::display::plural;
use crate::model::Store;
use crate::model::annotations::RowAnnotations;
use crate::sources::LoadError;

/// What attaching a case to a load found.
#[derive(Debug, Default)]
#[must_use = "its notes are for the investigator"]
pub struct Attached {
    /// The case's marks on the loaded rows.
    pub annotations: RowAnnotations,
    /// How many loaded files the case now holds that it did not.
    pub added: usize,
    /// Each recorded file the load found changed or did not find, with how
    /// many marked events cite it.
    pub not_as_recorded: Vec<(EvidenceStatus, usize)>,
    /// Why the new files could not be recorded, if they could not (the rest
    /// still holds: the marks show, the files are checked).
    pub not_recorded: Option<String>,
}

impl CaseFile {
    /// Attaches the case to a load of `store` (whose failures are `errors`).
    pub fn attach(&mut self, store: &Store, errors: &[LoadError]) -> Result<Attached, CaseError> {
        let (added, not_recorded) = match self.add_evidence(&store.sources) {
            Ok(added) => (added, None),
            Err(e) => (0, Some(e.to_string())),
        };
        let marks = self.annotations()?;
        let not_as_recorded = self
            .evidence_as_loaded(store, errors)?
            .into_iter()
            .filter(|e| {
                matches!(
                    e.state,
                    EvidenceState::Changed { .. } | EvidenceState::Missing { .. }
                )
            })
            .map(|e| {
                let citing = marks.iter().filter(|(k, _)| k.sha256 == e.sha256).count();
                (e, citing)
            })
            .collect();
        Ok(Attached {
            annotations: RowAnnotations::resolve(store, &marks),
            added,
            not_as_recorded,
            not_recorded,
        })
    }
}

impl Attached {
    /// What to tell the investigator, one line each, in the same words from
    /// the CLI and the window; `find_moved` says how to look for a moved
    /// file from where they are.
    pub fn notes(&self, find_moved: &str) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(reason) = &self.not_recorded {
            notes.push(format!(
                "The case could not record the loaded files: {reason}"
            ));
        }
        for (evidence, citing) in &self.not_as_recorded {
            let what = match &evidence.state {
                EvidenceState::Changed { .. } => "its SHA-256 differs from the case's",
                EvidenceState::Missing { reason } => reason.as_str(),
                _ => continue,
            };
            notes.push(format!(
                "{}: {what}; {} cite it ({find_moved})",
                evidence.path,
                plural(*citing as u64, "marked event", "marked events")
            ));
        }
        let cited: usize = self.not_as_recorded.iter().map(|(_, n)| n).sum();
        let elsewhere = self.annotations.unresolved.len().saturating_sub(cited);
        if elsewhere > 0 {
            notes.push(format!(
                "{} of the case {} not in what was loaded",
                plural(elsewhere as u64, "marked event", "marked events"),
                if elsewhere == 1 { "is" } else { "are" }
            ));
        }
        notes
    }
}
