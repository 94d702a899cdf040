//! The integration tests, one binary: each file under `tests/` is a module
//! here (one link instead of one per file, and every test shares the cores
//! instead of running file after file). `cargo test --test integration
//! findings::` runs one file's tests.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    reason = "tests write their fixtures; a failed unwrap is a failed test"
)]

mod support {
    #[cfg(feature = "gui")]
    pub mod app_harness;
    pub mod cli;
    pub mod copy_dir;
    pub mod geoip;
    pub mod hash;
}

mod case;
mod coverage;
mod desktop;
mod docs;
mod export;
mod filter;
mod findings;
mod geoip;
mod house_rules;
mod inspect;
mod layers;
mod limits;
mod nodes;
mod owned;
mod parquet;
mod people;
mod pydio_logs;
mod repeats;
mod report;
mod review;
mod seal;
#[cfg(feature = "snapshots")]
mod snapshots;
#[cfg(feature = "gui")]
mod ui;
#[cfg(feature = "gui")]
mod ui_files;
#[cfg(feature = "gui")]
mod ui_findings;
