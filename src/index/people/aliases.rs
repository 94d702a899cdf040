//! The investigator's word on identities: persons named with their
//! identifiers, proposals accepted or rejected. Read from an aliases file
//! (JSON as written here, or CSV `person,identifier`), kept in the case
//! file when one is used.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The largest aliases file read (a few thousand persons fit in far less).
pub const MAX_ALIASES_BYTES: u64 = 16 << 20;

pub const ALIASES_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Aliases {
    pub version: u32,
    pub persons: Vec<PersonAliases>,
    /// Proposals accepted, as pairs of identifiers.
    pub accepted: Vec<[String; 2]>,
    /// Proposals rejected: never merged, even with `--accept-proposals`.
    pub rejected: Vec<[String; 2]>,
}

impl Default for Aliases {
    fn default() -> Self {
        Aliases {
            version: ALIASES_VERSION,
            persons: Vec::new(),
            accepted: Vec::new(),
            rejected: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonAliases {
    pub name: String,
    pub identifiers: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AliasesError {
    #[error("aliases file {path}: cannot read it: {reason}")]
    Read { path: String, reason: String },
    #[error("aliases file {path}: {reason}")]
    Invalid { path: String, reason: String },
}

impl Aliases {
    pub fn is_empty(&self) -> bool {
        self.persons.is_empty() && self.accepted.is_empty() && self.rejected.is_empty()
    }

    /// Reads an aliases file: JSON when it starts with `{`, else CSV with a
    /// `person,identifier` header (one row per identifier).
    pub fn read(path: &Path) -> Result<Aliases, AliasesError> {
        let shown = path.display().to_string();
        let read = |err: std::io::Error| AliasesError::Read {
            path: shown.clone(),
            reason: crate::display::describe_io(&err),
        };
        crate::model::owned::register(path, crate::model::owned::OwnedKind::Aliases);
        let file = crate::hash::open_read_only(path).map_err(read)?;
        let mut bytes = Vec::new();
        file.take(MAX_ALIASES_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(read)?;
        let invalid = |reason: String| AliasesError::Invalid {
            path: shown.clone(),
            reason,
        };
        if bytes.len() as u64 > MAX_ALIASES_BYTES {
            return Err(invalid(format!(
                "larger than {} bytes: not an aliases file",
                MAX_ALIASES_BYTES
            )));
        }
        let text =
            std::str::from_utf8(&bytes).map_err(|e| invalid(format!("not UTF-8 text: {e}")))?;
        let text = text.trim_start_matches('\u{feff}');
        if text.trim_start().starts_with('{') {
            let aliases: Aliases = serde_json::from_str(text)
                .map_err(|e| invalid(format!("not an aliases JSON file: {e}")))?;
            if aliases.version > ALIASES_VERSION {
                return Err(invalid(format!(
                    "version {} is newer than this auditview reads ({ALIASES_VERSION})",
                    aliases.version
                )));
            }
            return Ok(aliases);
        }
        Self::from_csv(text).map_err(invalid)
    }

    fn from_csv(text: &str) -> Result<Aliases, String> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(text.as_bytes());
        let header = reader.headers().map_err(|e| e.to_string())?.clone();
        let at = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    format!(
                        "a CSV aliases file needs `person` and `identifier` columns (found: {})",
                        header.iter().collect::<Vec<_>>().join(", ")
                    )
                })
        };
        let (person, identifier) = (at("person")?, at("identifier")?);
        let mut aliases = Aliases::default();
        // One record buffer and foldhash: 200,000 lines are read in tens of
        // milliseconds.
        let mut person_at: std::collections::HashMap<String, usize, foldhash::fast::RandomState> =
            Default::default();
        let mut record = csv::StringRecord::new();
        let mut index = 0;
        loop {
            let more = reader
                .read_record(&mut record)
                .map_err(|e| format!("line {}: {e}", index + 2))?;
            if !more {
                break;
            }
            let (name, id) = (record[person].trim(), record[identifier].trim());
            if name.is_empty() || id.is_empty() {
                return Err(format!(
                    "line {}: a person and an identifier are needed",
                    index + 2
                ));
            }
            match person_at.get(name) {
                Some(&at) => aliases.persons[at].identifiers.push(id.to_string()),
                None => {
                    person_at.insert(name.to_string(), aliases.persons.len());
                    aliases.persons.push(PersonAliases {
                        name: name.to_string(),
                        identifiers: vec![id.to_string()],
                    });
                }
            }
            index += 1;
        }
        Ok(aliases)
    }

    /// Accepts the link `a`-`b` (and forgets a rejection of it).
    pub fn accept(&mut self, a: &str, b: &str) {
        let key = super::proposals::pair_key(a, b);
        self.rejected
            .retain(|[x, y]| super::proposals::pair_key(x, y) != key);
        if !self
            .accepted
            .iter()
            .any(|[x, y]| super::proposals::pair_key(x, y) == key)
        {
            self.accepted.push([a.to_string(), b.to_string()]);
        }
    }

    /// Rejects the link `a`-`b` (and forgets an acceptance of it).
    pub fn reject(&mut self, a: &str, b: &str) {
        let key = super::proposals::pair_key(a, b);
        self.accepted
            .retain(|[x, y]| super::proposals::pair_key(x, y) != key);
        if !self
            .rejected
            .iter()
            .any(|[x, y]| super::proposals::pair_key(x, y) == key)
        {
            self.rejected.push([a.to_string(), b.to_string()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_aliases_file_groups_identifiers_by_person() {
        let aliases = Aliases::from_csv(
            "person,identifier\nHelena Nakamura,helena.nakamura\nHelena Nakamura,user-hnakamura\nBob,bob\n",
        )
        .unwrap();
        assert_eq!(aliases.persons.len(), 2);
        assert_eq!(
            aliases.persons[0].identifiers,
            ["helena.nakamura", "user-hnakamura"]
        );
        assert!(
            Aliases::from_csv("name,id\nx,y\n")
                .unwrap_err()
                .contains("`person`")
        );
        assert!(
            Aliases::from_csv("person,identifier\nx,\n")
                .unwrap_err()
                .contains("line 2")
        );
    }

    #[test]
    fn accepting_and_rejecting_a_pair_replace_each_other() {
        let mut aliases = Aliases::default();
        aliases.accept("a", "B");
        aliases.accept("b", "a");
        assert_eq!(aliases.accepted.len(), 1);
        aliases.reject("B", "A");
        assert!(aliases.accepted.is_empty());
        assert_eq!(aliases.rejected.len(), 1);
    }
}
