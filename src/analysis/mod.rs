//! Computations over a `Store` and a `Selection` that views and reports
//! share: the timeline histogram and per-value counts for filter lists.

pub mod facets;
pub mod order;
pub mod reports;
pub mod suggest;
pub mod timeline;
