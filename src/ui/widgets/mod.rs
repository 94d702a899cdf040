//! Drawing pieces the views share: stacked bars over time and a node's
//! activity chart built on them.

pub mod activity_chart;
pub mod bars;
