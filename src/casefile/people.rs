//! The case's decisions on identities: persons named, proposals accepted
//! or rejected (`index::people::Aliases`), each change in the action log.

use super::{CaseError, CaseFile};
use crate::index::people::Aliases;

impl CaseFile {
    /// The case's aliases (none yet: empty).
    pub fn aliases(&self) -> Result<Aliases, CaseError> {
        Ok(self.setting("aliases", "aliases")?.unwrap_or_default())
    }

    /// Replaces the case's aliases; `what` says what changed, for the log.
    pub fn set_aliases(&mut self, aliases: &Aliases, what: &str) -> Result<(), CaseError> {
        self.set_setting("aliases", aliases, "aliases", what)
    }
}
