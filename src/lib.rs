//! auditview: load, filter and export audit logs offline.
//!
//! Data flows one way: `sources` reads files into a `model::Store`; `query`
//! selects rows; `export` writes them; `cli` and `ui` are two faces over the
//! same functions.

pub mod analysis;
pub mod cli;
pub mod display;
pub mod export;
pub mod hash;
pub mod index;
pub mod model;
pub mod query;
pub mod sources;
pub mod time;
#[cfg(feature = "gui")]
pub mod ui;
