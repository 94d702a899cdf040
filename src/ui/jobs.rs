//! Background work: loading, filtering, exporting and file dialogs run on
//! worker threads and report through typed messages on one bounded channel.
//! Each message asks for a repaint; the UI drains the channel once per frame.
//! Every job has an id: a result whose id is no longer the current one is stale
//! and dropped.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use crate::analysis::facets::{enum_counts, text_counts};
use crate::analysis::nodes::{NodeRow, nodes};
use crate::analysis::order::{Sort, sorted_rows};
use crate::analysis::reports::{
    LoginRow, Report, UsageRow, WorkgroupRow, logins, usage, workgroups,
};
use crate::analysis::requests::{RequestIndex, requests};
use crate::analysis::timeline::{Timeline, histogram};
use crate::export::report::{ReportRequest, export_report};
use crate::export::{ExportFormat, ExportRequest, ExportSummary, export};
use crate::model::{Store, TextField};
use crate::query::{Filter, Selection, select};
use crate::sources::{LoadProgress, Loaded, load};
use crate::time::Zone;

use super::chooser::FileChooser;

/// Bars the timeline may have at most.
pub const TIMELINE_BUCKETS: usize = 240;

/// What a file dialog was opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    OpenFiles,
    OpenFolder,
    Export,
    ExportReport(Report),
}

pub enum Message {
    Loaded {
        job: u64,
        paths: Vec<PathBuf>,
        loaded: Box<Loaded>,
    },
    Filtered {
        job: u64,
        result: Result<Box<View>, String>,
    },
    Exported {
        job: u64,
        result: Result<ExportSummary, String>,
    },
    Chosen {
        purpose: Purpose,
        paths: Vec<PathBuf>,
    },
    Analyzed {
        job: u64,
        analysis: Box<Analysis>,
    },
    /// The node tree and visibility of this case are built.
    Indexed {
        store: Arc<Store>,
    },
}

/// The views computed off the UI thread, one at a time, for the tab shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Nodes,
    Requests,
    Reports,
}

/// The three reports of one view.
#[derive(Debug, Clone, Default)]
pub struct Reports {
    pub usage: Vec<UsageRow>,
    pub logins: Vec<LoginRow>,
    pub workgroups: Vec<WorkgroupRow>,
}

#[derive(Debug, Clone)]
pub enum Computed {
    Nodes(Vec<NodeRow>),
    Requests(RequestIndex),
    Reports(Reports),
}

/// A view of one filter: the Nodes, the Requests or the Reports.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub filter: Filter,
    pub computed: Computed,
}

impl Analysis {
    pub fn part(&self) -> Part {
        match self.computed {
            Computed::Nodes(_) => Part::Nodes,
            Computed::Requests(_) => Part::Requests,
            Computed::Reports(_) => Part::Reports,
        }
    }
}

/// What a filter selects, in the order shown, with the counts the filter
/// lists show.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub filter: Filter,
    /// The matched rows in time order (what exports write).
    pub selection: Arc<Selection>,
    /// The same rows in the table's order.
    pub order: Arc<Vec<u32>>,
    pub sort: Sort,
    pub facets: Facets,
    pub timeline: Option<Timeline>,
}

/// For each list criterion, how many events each value would match with the
/// other criteria as they are.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    pub users: Vec<(String, u64)>,
    pub owners: Vec<(String, u64)>,
    pub actions: Vec<(String, u64)>,
    pub node_types: Vec<u64>,
    pub kinds: Vec<u64>,
    pub categories: Vec<u64>,
    pub outcomes: Vec<u64>,
    pub systems: Vec<u64>,
    /// Principals of the Visible-by list, with their pieces of evidence.
    pub visible_by: Vec<(String, u64)>,
    /// Events that repeat an event read from another source.
    pub repeats: u64,
}

/// Selects the rows of `filter`, sorts them and counts the values of each
/// list criterion. `Ok(None)` when `cancel` was raised: a newer filter won.
pub fn compute_view(
    store: &Store,
    filter: &Filter,
    sort: Sort,
    cancel: &AtomicBool,
) -> Result<Option<View>, String> {
    let cancelled = || cancel.load(Ordering::Relaxed);
    let selection = select(store, filter)?;
    // The rows a criterion's counts are taken from: the filter without that criterion.
    let without = |clear: &dyn Fn(&mut Filter)| -> Result<Option<Selection>, String> {
        let mut other = filter.clone();
        clear(&mut other);
        if other == *filter || cancelled() {
            Ok(None)
        } else {
            select(store, &other).map(Some)
        }
    };
    let events = &store.events;
    let rows_of =
        |s: &Option<Selection>| -> Vec<u32> { s.as_ref().unwrap_or(&selection).rows.clone() };
    let users = rows_of(&without(&|f| f.users.clear())?);
    let owners = rows_of(&without(&|f| f.owners.clear())?);
    let actions = rows_of(&without(&|f| f.actions.clear())?);
    let node_types = rows_of(&without(&|f| f.node_types.clear())?);
    let kinds = rows_of(&without(&|f| f.kinds.clear())?);
    let categories = rows_of(&without(&|f| f.categories.clear())?);
    let outcomes = rows_of(&without(&|f| f.outcomes.clear())?);
    let systems = rows_of(&without(&|f| f.systems.clear())?);
    // The rows the Repeats count is taken from: repeats included.
    let unrepeated = rows_of(&without(&|f| f.skip_repeats = false)?);
    if cancelled() {
        return Ok(None);
    }
    let facets = Facets {
        users: text_counts(events, TextField::Actor, &users),
        owners: text_counts(events, TextField::Owner, &owners),
        actions: text_counts(events, TextField::Action, &actions),
        node_types: enum_counts(&events.node_type, &node_types).to_vec(),
        kinds: enum_counts(&events.resource_kind, &kinds).to_vec(),
        categories: enum_counts(&events.category, &categories).to_vec(),
        outcomes: enum_counts(&events.outcome, &outcomes).to_vec(),
        systems: enum_counts(&events.system, &systems).to_vec(),
        repeats: crate::analysis::repeats::repeats_among(store, &unrepeated)
            .into_iter()
            .filter(|&r| r)
            .count() as u64,
        // Known once the case index is built (in the background after a
        // load): the first view does not wait for it.
        visible_by: store
            .case_index
            .get()
            .map(|index| index.principals.clone())
            .unwrap_or_default(),
    };
    let timeline = histogram(
        &events.time_ms,
        &events.outcome,
        &selection.rows,
        TIMELINE_BUCKETS,
    );
    if cancelled() {
        return Ok(None);
    }
    let order = Arc::new(sorted_rows(store, &selection.rows, sort));
    Ok(Some(View {
        filter: filter.clone(),
        selection: Arc::new(selection),
        order,
        sort,
        facets,
        timeline,
    }))
}

/// The channel and the job counter.
pub struct Jobs {
    sender: SyncSender<Message>,
    receiver: Receiver<Message>,
    next_id: u64,
    /// Raised to stop the running filter or sort when a newer one starts.
    view_cancel: Arc<AtomicBool>,
}

impl Default for Jobs {
    fn default() -> Self {
        let (sender, receiver) = sync_channel(32);
        Jobs {
            sender,
            receiver,
            next_id: 1,
            view_cancel: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// The sending end a worker holds.
#[derive(Clone)]
struct Reply {
    sender: SyncSender<Message>,
    ctx: egui::Context,
}

impl Reply {
    fn send(&self, message: Message) {
        // The UI drains every frame: wait for room rather than lose a result.
        let mut message = message;
        loop {
            match self.sender.try_send(message) {
                Ok(()) => break,
                Err(TrySendError::Full(back)) => {
                    message = back;
                    self.ctx.request_repaint();
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                Err(TrySendError::Disconnected(_)) => return,
            }
        }
        self.ctx.request_repaint();
    }
}

impl Jobs {
    fn next(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn reply(&self, ctx: &egui::Context) -> Reply {
        Reply {
            sender: self.sender.clone(),
            ctx: ctx.clone(),
        }
    }

    /// Messages that arrived since the last frame.
    pub fn drain(&self) -> Vec<Message> {
        self.receiver.try_iter().collect()
    }

    pub fn load(
        &mut self,
        ctx: &egui::Context,
        paths: Vec<PathBuf>,
        progress: Arc<LoadProgress>,
    ) -> u64 {
        let job = self.next();
        let reply = self.reply(ctx);
        spawn("auditview-load", move || {
            let loaded = load(&paths, &progress);
            reply.send(Message::Loaded {
                job,
                paths,
                loaded: Box::new(loaded),
            });
        });
        job
    }

    /// A flag for a new view job; raising the previous one stops it.
    fn replace_view_job(&mut self) -> Arc<AtomicBool> {
        self.view_cancel.store(true, Ordering::Relaxed);
        self.view_cancel = Arc::new(AtomicBool::new(false));
        self.view_cancel.clone()
    }

    pub fn filter(
        &mut self,
        ctx: &egui::Context,
        store: Arc<Store>,
        filter: Filter,
        sort: Sort,
    ) -> u64 {
        let job = self.next();
        let reply = self.reply(ctx);
        let cancel = self.replace_view_job();
        spawn("auditview-filter", move || {
            match compute_view(&store, &filter, sort, &cancel) {
                Ok(Some(view)) => reply.send(Message::Filtered {
                    job,
                    result: Ok(Box::new(view)),
                }),
                Ok(None) => {}
                Err(e) => reply.send(Message::Filtered {
                    job,
                    result: Err(e),
                }),
            }
        });
        job
    }

    /// `view` in another order; its selection and counts stay.
    pub fn sort(&mut self, ctx: &egui::Context, store: Arc<Store>, view: View, sort: Sort) -> u64 {
        let job = self.next();
        let reply = self.reply(ctx);
        let cancel = self.replace_view_job();
        spawn("auditview-sort", move || {
            let order = Arc::new(sorted_rows(&store, &view.selection.rows, sort));
            if !cancel.load(Ordering::Relaxed) {
                let view = View {
                    order,
                    sort,
                    ..view
                };
                reply.send(Message::Filtered {
                    job,
                    result: Ok(Box::new(view)),
                });
            }
        });
        job
    }

    #[allow(clippy::too_many_arguments)]
    pub fn export(
        &mut self,
        ctx: &egui::Context,
        store: Arc<Store>,
        selection: Arc<Selection>,
        filter: Filter,
        zone: Zone,
        output: PathBuf,
        progress: Arc<AtomicU64>,
    ) -> u64 {
        let job = self.next();
        let reply = self.reply(ctx);
        spawn("auditview-export", move || {
            let request = ExportRequest {
                format: ExportFormat::from_path(&output),
                output,
                zone,
                // The save dialog already asked before replacing a file.
                force: true,
                filter: &filter,
                progress: Some(&progress),
            };
            let result = export(&store, &selection, &request);
            reply.send(Message::Exported { job, result });
        });
        job
    }

    /// Builds the case index (node tree, visibility) off the UI thread.
    pub fn index_case(&mut self, ctx: &egui::Context, store: Arc<Store>) {
        let reply = self.reply(ctx);
        spawn("auditview-index", move || {
            store.case_index();
            reply.send(Message::Indexed { store });
        });
    }

    /// Writes one of `reports` (the same code as `auditview report`).
    #[allow(clippy::too_many_arguments)]
    pub fn export_report(
        &mut self,
        ctx: &egui::Context,
        store: Arc<Store>,
        reports: Arc<Analysis>,
        report: Report,
        output: PathBuf,
    ) -> u64 {
        let job = self.next();
        let reply = self.reply(ctx);
        spawn("auditview-report", move || {
            let request = ReportRequest {
                format: ExportFormat::from_path(&output),
                output: &output,
                zone: Zone::Utc,
                // The save dialog already asked before replacing a file.
                force: true,
                filter: &reports.filter,
            };
            let Computed::Reports(rows) = &reports.computed else {
                return;
            };
            let result = match report {
                Report::Usage => export_report(&store, &rows.usage, &request),
                Report::Logins => export_report(&store, &rows.logins, &request),
                Report::Workgroups => export_report(&store, &rows.workgroups, &request),
            };
            reply.send(Message::Exported {
                job,
                result: result.map(|r| r.summary),
            });
        });
        job
    }

    /// One of the Nodes, Requests and Reports views of `filter`, off the UI thread.
    pub fn analyze(
        &mut self,
        ctx: &egui::Context,
        store: Arc<Store>,
        filter: Filter,
        selection: Arc<Selection>,
        part: Part,
    ) -> u64 {
        let job = self.next();
        let reply = self.reply(ctx);
        spawn("auditview-analyze", move || {
            let computed = match part {
                Part::Nodes => Computed::Nodes(nodes(&store, &filter, &selection)),
                Part::Requests => Computed::Requests(requests(&store, &selection)),
                Part::Reports => Computed::Reports(Reports {
                    usage: usage(&store, &selection),
                    logins: logins(&store, &selection),
                    workgroups: workgroups(&store, &selection),
                }),
            };
            let analysis = Analysis { filter, computed };
            reply.send(Message::Analyzed {
                job,
                analysis: Box::new(analysis),
            });
        });
        job
    }

    /// Opens a dialog on a worker thread; the answer comes back as `Message::Chosen`.
    pub fn choose(
        &mut self,
        ctx: &egui::Context,
        chooser: Arc<dyn FileChooser>,
        purpose: Purpose,
        suggested: String,
    ) {
        let reply = self.reply(ctx);
        // One dialog at a time.
        static OPEN: Mutex<()> = Mutex::new(());
        spawn("auditview-dialog", move || {
            let Ok(_guard) = OPEN.try_lock() else {
                return;
            };
            let paths = match purpose {
                Purpose::OpenFiles => chooser.open_files(),
                Purpose::OpenFolder => chooser.open_folder().into_iter().collect(),
                Purpose::Export | Purpose::ExportReport(_) => {
                    chooser.save_path(&suggested).into_iter().collect()
                }
            };
            reply.send(Message::Chosen { purpose, paths });
        });
    }
}

fn spawn(name: &str, work: impl FnOnce() + Send + 'static) {
    // If no thread can be started, the job's result never arrives; the
    // spinner stays and the user can cancel or retry.
    let _ = std::thread::Builder::new()
        .name(name.to_string())
        .spawn(work);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_a_list_ignore_its_own_criterion() {
        use crate::model::{EventDraft, Outcome, System};
        let mut store = Store::default();
        for (i, (actor, outcome)) in [
            ("bob", Outcome::Success),
            ("alice", Outcome::Failure),
            ("bob", Outcome::Failure),
        ]
        .into_iter()
        .enumerate()
        {
            let mut draft = EventDraft::new(System::Pydio, i as i64 * 1000, i as u64 + 1);
            draft.set(TextField::Actor, actor);
            draft.outcome = outcome;
            store.events.push(&draft, 0);
        }
        let filter = Filter {
            users: vec!["bob".into()],
            ..Filter::default()
        };
        let view = compute_view(&store, &filter, Sort::default(), &AtomicBool::new(false))
            .unwrap()
            .unwrap();
        assert_eq!(view.selection.rows, [0, 2]);
        // Users are counted without the user criterion, outcomes with it.
        assert_eq!(
            view.facets.users,
            [("bob".to_string(), 2), ("alice".to_string(), 1)]
        );
        assert_eq!(view.facets.outcomes[Outcome::Failure as usize], 1);
        assert_eq!(view.timeline.map(|t| t.size.name()), Some("minute"));
        assert_eq!(*view.order, [0, 2]);
        assert!(
            compute_view(&store, &filter, Sort::default(), &AtomicBool::new(true))
                .unwrap()
                .is_none()
        );
    }
}
