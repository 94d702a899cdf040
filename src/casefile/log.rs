//! The case's action log: every change appended with its time, OS user,
//! tool version and what changed, each entry carrying the SHA-256 of the one
//! before, so an edited, inserted or deleted entry breaks the chain.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

/// The hash before the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogEntry {
    pub seq: i64,
    pub at: String,
    pub os_user: String,
    pub tool: String,
    pub action: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Where the chain breaks, in words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogProblem {
    pub seq: i64,
    pub problem: String,
}

fn entry_hash(
    prev: &str,
    seq: i64,
    at: &str,
    user: &str,
    tool: &str,
    action: &str,
    detail: &str,
) -> String {
    let mut hash = Sha256::new();
    for part in [prev, &seq.to_string(), at, user, tool, action, detail] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part.as_bytes());
    }
    crate::hash::hex(&hash.finalize())
}

/// Appends an entry; call inside the transaction of the change it records.
pub(super) fn append(db: &Connection, action: &str, detail: &str) -> rusqlite::Result<()> {
    let last: Option<(i64, String)> = db
        .query_row(
            "SELECT seq, hash FROM action_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let at = super::now();
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_default();
    let tool = format!("auditview {}", env!("CARGO_PKG_VERSION"));
    let hash = entry_hash(&prev, seq, &at, &user, &tool, action, detail);
    db.execute(
        "INSERT INTO action_log(seq, at, os_user, tool, action, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![seq, at, user, tool, action, detail, prev, hash],
    )?;
    Ok(())
}

pub(super) fn entries(db: &Connection) -> rusqlite::Result<Vec<LogEntry>> {
    db.prepare(
        "SELECT seq, at, os_user, tool, action, detail, prev_hash, hash
         FROM action_log ORDER BY seq",
    )?
    .query_map([], |r| {
        Ok(LogEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            os_user: r.get(2)?,
            tool: r.get(3)?,
            action: r.get(4)?,
            detail: r.get(5)?,
            prev_hash: r.get(6)?,
            hash: r.get(7)?,
        })
    })?
    .collect()
}

/// Every place the chain does not hold: a gap in the numbers (an entry
/// deleted), a link to the wrong entry, or an entry whose content no
/// longer gives its hash (edited).
pub fn verify(entries: &[LogEntry]) -> Vec<LogProblem> {
    let mut problems = Vec::new();
    let mut prev = GENESIS.to_string();
    for (index, entry) in entries.iter().enumerate() {
        let expected_seq = index as i64 + 1;
        let mut problem = |text: String| {
            problems.push(LogProblem {
                seq: entry.seq,
                problem: text,
            })
        };
        if entry.seq != expected_seq {
            problem(format!(
                "entry {expected_seq} is missing: the log jumps to {}",
                entry.seq
            ));
        }
        if entry.prev_hash != prev {
            problem(
                "does not follow the entry before it (an entry was deleted or inserted)"
                    .to_string(),
            );
        }
        let computed = entry_hash(
            &entry.prev_hash,
            entry.seq,
            &entry.at,
            &entry.os_user,
            &entry.tool,
            &entry.action,
            &entry.detail,
        );
        if computed != entry.hash {
            problem("its content was changed after it was written (the hash differs)".to_string());
        }
        prev = entry.hash.clone();
    }
    problems
}
