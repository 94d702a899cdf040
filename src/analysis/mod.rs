//! Computations over a case and a `Selection` that views and reports share:
//! the timeline histogram and per-node activity, per-value counts for filter
//! lists, sort orders, path suggestions, the Nodes view, requests and
//! reports, places. What is built once per case lives in `index`.

pub mod activity;
pub mod facets;
pub mod findings;
pub mod nodes;
pub mod order;
pub mod people;
pub mod places;
pub mod reports;
pub mod requests;
pub mod suggest;
pub mod timeline;
