//! auditview: load, filter and export audit logs offline.
//!
//! Layers, lowest first (ARCHITECTURE.md; `tests/layers.rs` checks them):
//! helpers (`time`, `hash`, `display`, `build_info`), `model`, `sources` (files into a
//! `Store`) and `geo` (GeoIP databases place its addresses), `index` (a `Case`: the store and what is built once from it),
//! `query` (a `Filter` selects rows), `analysis` (views), `export` (CSV,
//! XLSX, provenance) and `casefile` (an investigation's marks and log, in
//! SQLite), then two faces over the same functions: `cli` and
//! `ui` (feature `gui`).
//!
//! No unsafe code: the compiler keeps it so (and so the fuzz smoke needs
//! no AddressSanitizer for auditview's own code).

#![forbid(unsafe_code)]

pub mod analysis;
pub mod build_info;
pub mod casefile;
pub mod cli;
pub mod desktop;
pub mod display;
pub mod export;
pub mod geo;
pub mod hash;
pub mod index;
pub mod model;
pub mod query;
pub mod safe_write;
pub mod sources;
pub mod time;
#[cfg(feature = "gui")]
pub mod ui;
