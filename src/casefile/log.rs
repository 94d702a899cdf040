//! The case's action log: every change appended with its time, OS user,
//! tool version and what changed, each entry carrying the SHA-256 of the one
//! before, so an edited, inserted or deleted entry breaks the chain. Each
//! entry also seals the case as it left it (`state`: a digest of each part,
//! evidence, marks, notes, tags, summary and settings, saved views), and
//! the case keeps the chain's head (the last entry's hash) in `meta`: a
//! mark or evidence row changed outside auditview, or a last entry deleted,
//! is named by `verify`. Someone who rewrites the data, the whole chain and
//! the stored head alike is out of reach of any check inside the file: the
//! head printed in reports and exports, given back to `case verify --head`,
//! is what catches that.

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
    /// The case as this entry left it (`state_of`); empty in entries
    /// written before version 3, which sealed the log alone.
    pub state: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The `meta` key of the chain's head.
pub(super) const HEAD_KEY: &str = "log_head";

/// What each entry seals: every part of the case a person decided, each
/// read in a fixed order. (The head itself is left out: it changes with
/// each entry.)
const SEALED: [(&str, &str); 7] = [
    (
        "evidence",
        "SELECT sha256, path, format, bytes, events, rejected, added_at FROM evidence ORDER BY sha256",
    ),
    (
        "event marks (stars and notes)",
        "SELECT sha256, line, fingerprint, starred, note FROM annotation ORDER BY sha256, line, fingerprint",
    ),
    (
        "event tags",
        "SELECT sha256, line, fingerprint, tag FROM annotation_tag ORDER BY sha256, line, fingerprint, tag",
    ),
    (
        "node marks (stars and notes)",
        "SELECT node, starred, note FROM node_annotation ORDER BY node",
    ),
    (
        "node tags",
        "SELECT node, tag FROM node_annotation_tag ORDER BY node, tag",
    ),
    (
        "summary and settings",
        "SELECT key, value FROM meta WHERE key <> 'log_head' ORDER BY key",
    ),
    (
        "saved views",
        "SELECT name, view FROM saved_view ORDER BY name",
    ),
];

/// The digest of one part: every value of every row, with its type and
/// length, so no two different contents give the same bytes.
fn part_digest(db: &Connection, query: &str) -> rusqlite::Result<String> {
    use rusqlite::types::ValueRef;
    let mut hash = Sha256::new();
    let mut statement = db.prepare(query)?;
    let columns = statement.column_count();
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        hash.update(b"r");
        for i in 0..columns {
            let (tag, bytes): (u8, Vec<u8>) = match row.get_ref(i)? {
                ValueRef::Null => (b'n', Vec::new()),
                ValueRef::Integer(v) => (b'i', v.to_le_bytes().to_vec()),
                ValueRef::Real(v) => (b'f', v.to_le_bytes().to_vec()),
                ValueRef::Text(v) => (b't', v.to_vec()),
                ValueRef::Blob(v) => (b'b', v.to_vec()),
            };
            hash.update([tag]);
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(&bytes);
        }
    }
    // 128 bits a part: a forger would need a second preimage.
    Ok(crate::hash::hex(&hash.finalize()[..16]))
}

/// The case as it stands: `part=digest` for each sealed part, `;` between.
pub(super) fn state_of(db: &Connection) -> rusqlite::Result<String> {
    let parts: Vec<String> = SEALED
        .iter()
        .map(|(part, query)| Ok(format!("{part}={}", part_digest(db, query)?)))
        .collect::<rusqlite::Result<_>>()?;
    Ok(parts.join(";"))
}

/// The parts whose digest differs between two states.
fn parts_differing<'a>(sealed: &'a str, now: &str) -> Vec<&'a str> {
    let now: Vec<&str> = now.split(';').collect();
    sealed
        .split(';')
        .filter(|part| !now.contains(part))
        .map(|part| part.split('=').next().unwrap_or(part))
        .collect()
}

/// Where the chain breaks, in words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogProblem {
    pub seq: i64,
    pub problem: String,
}

/// The hash of an entry: its fields and the one before; the state too,
/// when the entry has one (entries before version 3 have none).
fn entry_hash(prev: &str, seq: i64, entry: [&str; 6]) -> String {
    let [at, user, tool, action, detail, state] = entry;
    let mut hash = Sha256::new();
    let seq = seq.to_string();
    let mut parts = vec![prev, &seq, at, user, tool, action, detail];
    if !state.is_empty() {
        parts.push(state);
    }
    for part in parts {
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
    let user = os_user();
    let tool = format!("auditview {}", env!("CARGO_PKG_VERSION"));
    let state = state_of(db)?;
    let hash = entry_hash(&prev, seq, [&at, &user, &tool, action, detail, &state]);
    db.execute(
        "INSERT INTO action_log(seq, at, os_user, tool, action, detail, state, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![seq, at, user, tool, action, detail, state, prev, hash],
    )?;
    db.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![HEAD_KEY, hash],
    )?;
    Ok(())
}

/// The chain's head as the case stored it (none before version 3).
pub(super) fn stored_head(db: &Connection) -> rusqlite::Result<Option<String>> {
    db.query_row(
        "SELECT value FROM meta WHERE key = ?1",
        params![HEAD_KEY],
        |r| r.get(0),
    )
    .optional()
}

pub(super) fn entries(db: &Connection) -> rusqlite::Result<Vec<LogEntry>> {
    db.prepare(
        "SELECT seq, at, os_user, tool, action, detail, state, prev_hash, hash
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
            state: r.get(6)?,
            prev_hash: r.get(7)?,
            hash: r.get(8)?,
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
            [
                &entry.at,
                &entry.os_user,
                &entry.tool,
                &entry.action,
                &entry.detail,
                &entry.state,
            ],
        );
        if computed != entry.hash {
            problem("its content was changed after it was written (the hash differs)".to_string());
        }
        prev = entry.hash.clone();
    }
    problems
}

/// What the case holds beside its log, for `verify_sealed`.
pub struct Sealed<'a> {
    /// The head the case stored (none before version 3).
    pub stored_head: Option<&'a str>,
    /// The case's parts as they are now (`state_of`).
    pub state_now: &'a str,
    /// A head recorded elsewhere (a report, an export's provenance), to
    /// check that the log still holds it.
    pub known_head: Option<&'a str>,
}

/// `verify`, then what the seal adds: the stored head is the last entry's
/// hash (else the last entries were deleted), the last sealed state is the
/// case as it is (else a part was changed outside auditview, named), and a
/// head known from elsewhere is in the log (else it was cut or rewritten).
pub fn verify_sealed(entries: &[LogEntry], sealed: &Sealed<'_>) -> Vec<LogProblem> {
    let mut problems = verify(entries);
    let last_seq = entries.last().map_or(0, |e| e.seq);
    let last_hash = entries.last().map(|e| e.hash.as_str());
    let mut problem = |text: String| {
        problems.push(LogProblem {
            seq: last_seq,
            problem: text,
        })
    };
    if let Some(head) = sealed.stored_head
        && Some(head) != last_hash
    {
        problem(match entries.iter().find(|e| e.hash == head) {
            Some(e) => format!(
                "the case's head is entry {}: the entries after it were added outside auditview",
                e.seq
            ),
            None => {
                format!("the case's head {head} is not in the log: its last entries were deleted")
            }
        });
    }
    if let Some(entry) = entries.iter().rev().find(|e| !e.state.is_empty()) {
        for part in parts_differing(&entry.state, sealed.state_now) {
            problem(format!(
                "the case's {part} differ from what entry {} sealed: changed outside auditview",
                entry.seq
            ));
        }
    }
    if let Some(known) = sealed.known_head
        && !entries.iter().any(|e| e.hash == known)
    {
        problem(format!(
            "the head {known} is not in the log: the log was cut short or rewritten since it was recorded"
        ));
    }
    problems
}

/// The account running auditview, as the action log records it.
pub fn os_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_default()
}
