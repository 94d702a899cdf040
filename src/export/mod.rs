//! Exports of exactly the filtered view, with provenance.

pub mod columns;
