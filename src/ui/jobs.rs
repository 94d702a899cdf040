//! Background work: loading, filtering, the tabs' views, a node's activity,
//! exporting and file dialogs run on worker threads and report through typed
//! messages on one bounded channel. Each message asks for a repaint; the UI
//! drains the channel once per frame. Every job has an id: a result whose id
//! is no longer the current one is stale and dropped. What the jobs compute
//! is in `computed`; this module only runs it and sends the results.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use crate::analysis::nodes::NodeRow;
use crate::analysis::order::{Sort, sorted_rows};
use crate::analysis::reports::Report;
use crate::export::report::{ReportRequest, export_report};
use crate::export::{ExportError, ExportFormat, ExportRequest, ExportSummary, export};
use crate::geo::Places;
use crate::index::Case;
use crate::index::people::{Aliases, People};
use crate::query::{Filter, FilterError, Selection};
use crate::sources::{LoadProgress, Loaded, load};
use crate::time::Zone;

use super::computed::{
    Analysis, Computed, NodeActivity, Part, View, compute_analysis, compute_node_activity,
    compute_view,
};
use super::platform::chooser::{FileChooser, Purpose};

pub enum Message {
    Loaded {
        job: u64,
        paths: Vec<PathBuf>,
        loaded: Box<Loaded>,
        /// Its addresses placed with the GeoIP databases of the settings
        /// and those among the paths; `Err` says which could not be used.
        places: Box<Result<Places, String>>,
    },
    /// The case's addresses placed again (a GeoIP database added or removed).
    Placed {
        case: Arc<Case>,
        places: Box<Result<Places, String>>,
        /// The database just added, taken out of the settings if it failed.
        added: Option<PathBuf>,
    },
    Filtered {
        job: u64,
        result: Result<Box<View>, FilterError>,
    },
    Exported {
        job: u64,
        result: Result<ExportSummary, ExportError>,
    },
    Chosen {
        purpose: Purpose,
        paths: Vec<PathBuf>,
    },
    Analyzed {
        job: u64,
        analysis: Box<Analysis>,
    },
    /// The activity of the selected entry of the Nodes view.
    NodeActivity {
        job: u64,
        activity: Box<NodeActivity>,
    },
    /// The node tree and visibility of this case are built.
    Indexed {
        case: Arc<Case>,
    },
    /// The case's persons decided again (a link accepted or rejected).
    Identified {
        job: u64,
        case: Arc<Case>,
        people: Box<People>,
    },
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
        geoip: Vec<PathBuf>,
    ) -> u64 {
        let job = self.next();
        let reply = self.reply(ctx);
        spawn("auditview-load", move || {
            let loaded = load(&paths, &progress);
            let places = crate::geo::place(&loaded.store, &geoip).map_err(|e| e.to_string());
            reply.send(Message::Loaded {
                job,
                paths,
                loaded: Box::new(loaded),
                places: Box::new(places),
            });
        });
        job
    }

    /// Places the case's addresses with `geoip` (and the `.mmdb` files
    /// among its paths) off the UI thread.
    pub fn place(
        &mut self,
        ctx: &egui::Context,
        case: Arc<Case>,
        geoip: Vec<PathBuf>,
        added: Option<PathBuf>,
    ) {
        let reply = self.reply(ctx);
        spawn("auditview-geoip", move || {
            let places = crate::geo::place(&case.store, &geoip).map_err(|e| e.to_string());
            reply.send(Message::Placed {
                case,
                places: Box::new(places),
                added,
            });
        });
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
        case: Arc<Case>,
        filter: Filter,
        sort: Sort,
    ) -> u64 {
        let job = self.next();
        let reply = self.reply(ctx);
        let cancel = self.replace_view_job();
        spawn("auditview-filter", move || {
            match compute_view(&case, &filter, sort, &cancel) {
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
    pub fn sort(&mut self, ctx: &egui::Context, case: Arc<Case>, view: View, sort: Sort) -> u64 {
        let job = self.next();
        let reply = self.reply(ctx);
        let cancel = self.replace_view_job();
        spawn("auditview-sort", move || {
            let order = Arc::new(sorted_rows(&case.store, &view.selection.rows, sort));
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

    #[expect(clippy::too_many_arguments, reason = "one job, one call site")]
    pub fn export(
        &mut self,
        ctx: &egui::Context,
        case: Arc<Case>,
        selection: Arc<Selection>,
        filter: Filter,
        zone: Zone,
        output: PathBuf,
        progress: Arc<AtomicU64>,
        case_seal: Option<crate::export::CaseSeal>,
    ) -> u64 {
        let job = self.next();
        let reply = self.reply(ctx);
        spawn("auditview-export", move || {
            let annotations = case.annotations();
            let places = case.places();
            let request = ExportRequest {
                format: ExportFormat::from_path(&output),
                output,
                zone,
                // The save dialog already asked before replacing a file.
                force: true,
                filter: &filter,
                progress: Some(&progress),
                annotations: case_seal.is_some().then_some(&*annotations),
                places: Some(&places),
                findings: Some(&case.findings()),
                case: case_seal.as_ref(),
            };
            let result = export(&case.store, &selection, &request);
            reply.send(Message::Exported { job, result });
        });
        job
    }

    /// Builds the case index (node tree, visibility) off the UI thread.
    pub fn index_case(&mut self, ctx: &egui::Context, case: Arc<Case>) {
        let reply = self.reply(ctx);
        spawn("auditview-index", move || {
            case.index();
            reply.send(Message::Indexed { case });
        });
    }

    /// Proposes the links of `case`'s identifiers and applies `aliases`
    /// off the UI thread (it reads every Pydio event's details once).
    pub fn identify(&mut self, ctx: &egui::Context, case: Arc<Case>, aliases: Aliases) -> u64 {
        let job = self.next();
        let reply = self.reply(ctx);
        spawn("auditview-people", move || {
            let people = People::of_store(&case.store, &aliases, false);
            reply.send(Message::Identified {
                job,
                case,
                people: Box::new(people),
            });
        });
        job
    }

    /// Writes one of `reports` (the same code as `auditview report`).
    pub fn export_report(
        &mut self,
        ctx: &egui::Context,
        case: Arc<Case>,
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
                Report::Usage => export_report(&case.store, &rows.usage, &request),
                Report::Logins => export_report(&case.store, &rows.logins, &request),
                Report::Workgroups => export_report(&case.store, &rows.workgroups, &request),
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
        case: Arc<Case>,
        filter: Filter,
        selection: Arc<Selection>,
        part: Part,
    ) -> u64 {
        let job = self.next();
        let reply = self.reply(ctx);
        spawn("auditview-analyze", move || {
            let analysis = compute_analysis(&case, filter, &selection, part);
            reply.send(Message::Analyzed {
                job,
                analysis: Box::new(analysis),
            });
        });
        job
    }

    /// The activity of `row` (an entry of the Nodes view) among `selection`,
    /// off the UI thread: it reads every matched event of the entry.
    pub fn node_activity(
        &mut self,
        ctx: &egui::Context,
        case: Arc<Case>,
        row: NodeRow,
        selection: Arc<Selection>,
    ) -> u64 {
        let job = self.next();
        let reply = self.reply(ctx);
        spawn("auditview-node", move || {
            let activity = compute_node_activity(&case, &row, &selection);
            reply.send(Message::NodeActivity {
                job,
                activity: Box::new(activity),
            });
        });
        job
    }

    /// Opens a system dialog on a worker thread; the answer comes back as
    /// `Message::Chosen`.
    pub fn choose(
        &mut self,
        ctx: &egui::Context,
        chooser: Arc<dyn FileChooser>,
        purpose: Purpose,
        start: Option<PathBuf>,
    ) {
        let reply = self.reply(ctx);
        // One dialog at a time.
        static OPEN: Mutex<()> = Mutex::new(());
        spawn("auditview-dialog", move || {
            let Ok(_guard) = OPEN.try_lock() else {
                return;
            };
            let paths = chooser.choose(purpose, start.as_deref());
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
