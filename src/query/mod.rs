//! Selecting events: the `Filter` value and its evaluation into a `Selection`.
//! The CLI flags, saved presets and the GUI panels all produce a `Filter`.

mod args;
mod criterion;
mod error;
mod eval;
mod filter;
mod findings;
mod marks;
mod pattern;
mod people;
mod places;
pub mod sql;

pub use args::{ExportContext, export_command_line, shell_quote};
pub use criterion::Criterion;
pub use error::FilterError;
pub use eval::{SEARCHED_FIELDS, Selection, select};
pub use filter::{FILTER_VERSION, Filter, parse_asn, parse_country, parse_ip_block};
pub use pattern::PathPattern;
