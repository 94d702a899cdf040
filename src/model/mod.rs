//! The normalized event model: enums, interned text columns, the columnar
//! event table, the loaded `Store`, the Directory of non-event records, where
//! a row came from (`Origin`), who a name is (`principal`) and auditview's own
//! export columns.

pub mod address;
pub mod annotations;
pub mod columnar;
pub mod columns;
mod directory;
mod enums;
mod interner;
pub mod owned;
mod principal;
mod store;
mod table;
#[cfg(test)]
pub mod test_store;

pub use directory::{Directory, Membership, RecordOrigin, SharedResource, UserRecord};
pub use enums::{
    Access, Category, Disposition, FindingKind, Format, LogKind, NodeType, Outcome, RejectKind,
    ResourceKind, Severity, SignatureMeaning, System,
};
pub use interner::{Interner, Symbol};
pub use principal::{is_user, user_key};
pub use store::{FileIdentity, OmittedRejects, Origin, Reject, SkippedPath, SourceInfo, Store};
pub use table::{EventDraft, EventTable, InternedColumn, TEXT_FIELDS, TextColumn, TextField};
