//! The app's runtime state, grouped: the open case (`Session`) with what was
//! computed for it and what is selected in it, and the background jobs under
//! way (`InFlight`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use crate::index::Case;
use crate::model::Store;
use crate::sources::{LoadError, LoadProgress};
use crate::ui::computed::{Analysis, NodeActivity, Part, View};

/// The open case and what was computed for it. Dropped whole when the case
/// closes or another opens: nothing of one case shows in the next.
pub struct Session {
    /// The loaded case; its index is built in the background.
    pub case: Arc<Case>,
    /// Inputs that could not be read.
    pub errors: Vec<LoadError>,
    /// What was opened; adding paths reloads them with the new ones.
    pub paths: Vec<PathBuf>,
    /// Whether the Sources window is open.
    pub show_sources: bool,
    /// What the current filter selects, in the table's order, with counts.
    pub view: View,
    /// The Nodes, Requests and Reports views last computed, one per part;
    /// each is current while its filter is the view's.
    pub analyses: Vec<Arc<Analysis>>,
    pub event: SelectedEvent,
    pub node: SelectedNode,
    /// The investigator's decisions on identities (the case file's, when
    /// one is open).
    pub aliases: crate::index::people::Aliases,
    /// Visible-by counts of the Nodes view's rows drawn so far, by row index.
    pub visible_counts: HashMap<usize, usize>,
}

/// The selected event of the events table.
#[derive(Debug, Default)]
pub struct SelectedEvent {
    /// A row id of the store; kept across filters, even when filtered out.
    pub row: Option<u32>,
    /// Where it is in `view.order`, while it is in the view.
    pub pos: Option<usize>,
    /// Scroll the table to it on this frame.
    pub scroll_to: bool,
}

/// The selected entry of the Nodes view and its activity.
#[derive(Debug, Default)]
pub struct SelectedNode {
    /// An index into the Nodes view's entries.
    pub index: Option<usize>,
    /// Computed in the background once selected; `None` until then.
    pub activity: Option<NodeActivity>,
}

impl Session {
    pub fn new(store: Store, errors: Vec<LoadError>, paths: Vec<PathBuf>) -> Session {
        Session {
            case: Arc::new(Case::new(store)),
            errors,
            paths,
            show_sources: false,
            view: View::default(),
            analyses: Vec::new(),
            event: SelectedEvent::default(),
            node: SelectedNode::default(),
            visible_counts: HashMap::new(),
            aliases: Default::default(),
        }
    }

    /// The view of `part` computed for the current filter, if it is ready.
    pub fn analysis(&self, part: Part) -> Option<Arc<Analysis>> {
        self.analyses
            .iter()
            .find(|a| a.part() == part && a.filter == self.view.filter)
            .cloned()
    }

    /// Selects the event at `index` of the table's order.
    pub fn select_index(&mut self, index: Option<usize>) {
        self.event.row = index.and_then(|i| self.view.order.get(i).copied());
        self.event.pos = self.event.row.and(index);
    }

    /// Finds the selected event in a new view (it may have left it).
    pub fn locate_selected(&mut self) {
        self.event.pos = self
            .event
            .row
            .and_then(|row| self.view.order.iter().position(|&r| r == row));
    }
}

/// Background jobs under way, by id: a result whose id is not the one here
/// is stale and dropped. Also what waits for the first frame, when the
/// first jobs can start.
#[derive(Default)]
pub struct InFlight {
    pub loading: Option<Loading>,
    pub exporting: Option<Exporting>,
    /// The filter or sort of the view.
    pub filter: Option<u64>,
    /// The Nodes, Requests or Reports view of the tab shown.
    pub analysis: Option<u64>,
    /// The activity of the selected node.
    pub node_activity: Option<u64>,
    /// Persons being decided again after a link was accepted or rejected.
    pub identifying: Option<u64>,
    /// The case whose index (node tree, visibility) is being built.
    pub indexing: Option<Arc<Case>>,
    /// Paths to open once there is a frame to start the load from.
    pub open_when_ready: Option<Vec<PathBuf>>,
    /// Filter on the first frame (a case opened before it).
    pub refilter_when_ready: bool,
    /// An export asked for while the view was being filtered: it is
    /// written once the view matches the form, for that case only.
    pub export_when_filtered: Option<(Arc<Case>, PathBuf)>,
}

pub struct Loading {
    pub job: u64,
    pub progress: Arc<LoadProgress>,
    /// Adding paths keeps the filter; opening a new case clears it.
    pub keep_filter: bool,
}

pub struct Exporting {
    pub job: u64,
    /// Rows written so far, when the writer counts them (event exports).
    pub progress: Option<Arc<AtomicU64>>,
    pub total: u64,
}
