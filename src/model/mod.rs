//! The normalized event model: enums, interned text columns, the columnar
//! event table, the loaded case (`Store`) and the Directory of non-event records.

mod directory;
mod enums;
mod interner;
mod store;
mod table;

pub use directory::{Directory, Membership, RecordOrigin, SharedResource, UserRecord};
pub use enums::{Access, Category, Format, NodeType, Outcome, ResourceKind, System};
pub use interner::{Interner, Symbol};
pub use store::{Reject, SkippedPath, SourceInfo, Store};
pub use table::{
    ArenaColumn, EventDraft, EventTable, InternedColumn, TEXT_FIELDS, TextColumn, TextField,
};
