//! What is computed once per case from every loaded event, whatever the
//! filter: the node tree, who could see what, and which rows repeat another
//! source's. It sits between the model and the query layer: `query` asks it
//! for `--visible-by`, `--skip-repeats` and `--person`, the views and the CLI read it.
//! `Case` holds a loaded `Store` with these indexes, each built on first use.

pub mod case;
pub mod people;
pub mod repeats;
pub mod tree;
pub mod visibility;

pub use case::{Case, CaseIndex};
