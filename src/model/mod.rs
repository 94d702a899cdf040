//! The normalized event model: enums, interned text columns, the columnar
//! event table, the loaded case (`Store`) and the Directory of non-event records.

pub mod columns;
mod directory;
mod enums;
mod interner;
mod principal;
mod store;
mod table;
#[cfg(test)]
pub mod test_store;

pub use directory::{Directory, Membership, RecordOrigin, SharedResource, UserRecord};
pub use enums::{Access, Category, Format, NodeType, Outcome, ResourceKind, System};
pub use interner::{Interner, Symbol};
pub use principal::{is_user, user_key};
pub use store::{Origin, Reject, SkippedPath, SourceInfo, Store};
pub use table::{
    ArenaColumn, EventDraft, EventTable, InternedColumn, TEXT_FIELDS, TextColumn, TextField,
};
