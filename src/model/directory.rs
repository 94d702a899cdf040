//! Non-event records: who exists, who belongs where, what is shared.
//! They come from report-style sources and feed owners, visibility and reports.

use serde::Serialize;

/// Where a Directory record was read: source index and 1-based line (or row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RecordOrigin {
    pub source: u32,
    pub line: u64,
}

/// A BaseSpace General Usage row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRecord {
    pub name: String,
    pub login: String,
    pub total_sessions: Option<u64>,
    pub last_login_ms: Option<i64>,
    pub access_counts: Option<u64>,
    pub registration_ms: Option<i64>,
    pub origin: RecordOrigin,
}

/// A BaseSpace Workgroup report row: one member of one workgroup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Membership {
    pub workgroup: String,
    pub description: String,
    pub administrator: String,
    pub outside_collaborators: String,
    pub user_name: String,
    pub user_email: String,
    pub role: String,
    pub has_access: Option<bool>,
    pub added_ms: Option<i64>,
    pub origin: RecordOrigin,
}

/// A Pydio "Export Audits Report" row: one workspace, cell or link of a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharedResource {
    pub node_path: String,
    pub kind: super::ResourceKind,
    pub label: String,
    pub owner: String,
    pub readable_by: Option<u64>,
    pub writable_by: Option<u64>,
    pub workspace_id: String,
    pub origin: RecordOrigin,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Directory {
    pub users: Vec<UserRecord>,
    pub memberships: Vec<Membership>,
    pub shared_resources: Vec<SharedResource>,
}

impl Directory {
    pub fn len(&self) -> usize {
        self.users.len() + self.memberships.len() + self.shared_resources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every record's origin.
    pub fn origins_mut(&mut self) -> impl Iterator<Item = &mut RecordOrigin> {
        self.users
            .iter_mut()
            .map(|r| &mut r.origin)
            .chain(self.memberships.iter_mut().map(|r| &mut r.origin))
            .chain(self.shared_resources.iter_mut().map(|r| &mut r.origin))
    }

    /// Tags records read from a chunk with their source and file-relative line.
    pub fn set_origin(&mut self, source: u32, line_base: u64) {
        for origin in self.origins_mut() {
            origin.source = source;
            origin.line += line_base;
        }
    }

    /// File order: by source, then line.
    pub fn sort(&mut self) {
        let key = |o: &RecordOrigin| (o.source, o.line);
        self.users.sort_by_key(|r| key(&r.origin));
        self.memberships.sort_by_key(|r| key(&r.origin));
        self.shared_resources.sort_by_key(|r| key(&r.origin));
    }

    pub fn extend(&mut self, other: Directory) {
        self.users.extend(other.users);
        self.memberships.extend(other.memberships);
        self.shared_resources.extend(other.shared_resources);
    }
}
