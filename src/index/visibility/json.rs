//! The JSON form of "visible by" lines, for `auditview nodes --json`.

use serde::Serialize;

use super::{Reason, VisibleBy};
use crate::model::{Origin, Store};
use crate::time::UtcMs;

/// JSON form of one "visible by" line.
#[derive(Debug, Clone, Serialize)]
pub struct VisibleByJson {
    pub principal: String,
    pub reason: Reason,
    pub detail: String,
    pub evidence: Origin,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked: Option<RevokedJson>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RevokedJson {
    pub time: UtcMs,
    pub evidence: Origin,
}

impl VisibleByJson {
    pub fn new(store: &Store, line: &VisibleBy) -> VisibleByJson {
        VisibleByJson {
            principal: line.principal.clone(),
            reason: line.reason,
            detail: line.detail.clone(),
            evidence: line.evidence.origin(store),
            revoked: line.revoked.as_ref().map(|r| RevokedJson {
                time: UtcMs(r.time_ms),
                evidence: r.evidence.origin(store),
            }),
        }
    }
}
