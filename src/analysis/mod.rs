//! Computations over a `Store` and a `Selection` that views and reports
//! share: the timeline histogram, per-value counts for filter lists, the
//! node tree, who could see what, nodes and requests.

pub mod activity;
pub mod facets;
pub mod nodes;
pub mod order;
pub mod reports;
pub mod requests;
pub mod suggest;
pub mod timeline;
