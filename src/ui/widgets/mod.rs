//! Drawing pieces the views share: stacked bars over time, a node's
//! activity chart built on them, and what can be done with one event.

pub mod activity_chart;
pub mod bars;
pub mod event_actions;
