//! The JSON form of "visible by" lines, for `auditview nodes --json`.

use serde::Serialize;

use super::{Evidence, Reason, VisibleBy};
use crate::model::Store;
use crate::time::format_utc;

/// JSON form of one "visible by" line.
#[derive(Debug, Clone, Serialize)]
pub struct VisibleByJson {
    pub principal: String,
    pub reason: Reason,
    pub detail: String,
    pub evidence: EvidenceJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked: Option<RevokedJson>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceJson {
    pub path: String,
    pub line: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RevokedJson {
    pub time: String,
    pub evidence: EvidenceJson,
}

impl EvidenceJson {
    pub fn new(store: &Store, evidence: Evidence) -> EvidenceJson {
        EvidenceJson {
            path: store.source_path(evidence.source).to_string(),
            line: evidence.line,
        }
    }
}

impl VisibleByJson {
    pub fn new(store: &Store, line: &VisibleBy) -> VisibleByJson {
        VisibleByJson {
            principal: line.principal.clone(),
            reason: line.reason,
            detail: line.detail.clone(),
            evidence: EvidenceJson::new(store, line.evidence),
            revoked: line.revoked.as_ref().map(|r| RevokedJson {
                time: format_utc(r.time_ms),
                evidence: EvidenceJson::new(store, r.evidence),
            }),
        }
    }
}
