//! Findings the investigator reviewed, by id (`kind:subject:time`, stable
//! across loads of the same evidence): kept as a setting, each change in
//! the action log.

use std::collections::BTreeSet;

use super::{CaseError, CaseFile};

impl CaseFile {
    pub fn reviewed_findings(&self) -> Result<BTreeSet<String>, CaseError> {
        Ok(self
            .setting("reviewed_findings", "reviewed findings")?
            .unwrap_or_default())
    }

    /// Marks one finding reviewed (or not); logged with its id.
    pub fn set_finding_reviewed(&mut self, id: &str, reviewed: bool) -> Result<(), CaseError> {
        let mut all = self.reviewed_findings()?;
        let changed = if reviewed {
            all.insert(id.to_string())
        } else {
            all.remove(id)
        };
        if !changed {
            return Ok(());
        }
        let action = if reviewed {
            "review finding"
        } else {
            "reopen finding"
        };
        self.set_setting("reviewed_findings", &all, action, id)
    }
}
