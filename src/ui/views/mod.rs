//! The views of the central panel, one per tab: the events table with its
//! timeline, and the Nodes, Requests, Reports, People and Findings views. They draw what was
//! computed in the background (`ui::computed`) and return `Command`s.

pub mod cells;
pub mod coverage;
pub mod events_table;
pub mod findings;
pub mod nodes;
pub mod people;
pub mod reports;
pub mod requests;
pub mod timeline;

use crate::analysis::reports::Report;
use crate::ui::command::Tab;

use findings::FindingsPanel;
use requests::RequestsView;
use timeline::TimelineDrag;

/// What the views keep between frames, whichever case is open.
#[derive(Debug)]
pub struct Views {
    /// The tab shown.
    pub tab: Tab,
    /// The report the Reports view shows.
    pub report: Report,
    pub timeline_drag: TimelineDrag,
    pub requests: RequestsView,
    pub findings: FindingsPanel,
}

impl Default for Views {
    fn default() -> Self {
        Views {
            tab: Tab::Events,
            report: Report::Usage,
            timeline_drag: TimelineDrag::default(),
            requests: RequestsView::default(),
            findings: FindingsPanel::default(),
        }
    }
}
