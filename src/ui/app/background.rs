//! Starting the app's background jobs (loads, filters, the tabs' views, a
//! node's activity, exports, dialogs) and receiving what they send back.
//! A result whose job id is no longer the one in flight is dropped.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::analysis::reports::Report;
use crate::display::plural;
use crate::sources::{LoadProgress, Loaded};
use crate::ui::computed::{Computed, NodeActivity, Part};
use crate::ui::jobs::Message;
use crate::ui::state::FileDialogs;

use super::dialogs::SYSTEM_DIALOG_FAILED_WITHIN;

use super::session::{Exporting, Loading, SelectedNode, Session};
use super::{AuditApp, tab_part};

impl AuditApp {
    pub(super) fn receive(&mut self, message: Message) {
        match message {
            Message::Loaded {
                job,
                paths,
                loaded,
                places,
            } => {
                let Some(loading) = self.in_flight.loading.take_if(|l| l.job == job) else {
                    return;
                };
                if loaded.cancelled {
                    self.notify("Loading cancelled");
                    return;
                }
                self.install_case(*loaded, paths, loading.keep_filter);
                self.install_places(*places, None);
                self.startup.loaded();
            }
            Message::Identified { job, case, people } => {
                // Only the latest decision's persons: an earlier job's are stale.
                if self.in_flight.identifying != Some(job) {
                    return;
                }
                self.in_flight.identifying = None;
                let current = self
                    .session
                    .as_mut()
                    .filter(|s| Arc::ptr_eq(&s.case, &case));
                if let Some(session) = current {
                    session.case.set_people(*people);
                    // Reports and the People view group by person: compute them again.
                    session.analyses.clear();
                    self.forget_view_jobs();
                    self.refilter();
                }
            }
            Message::Placed {
                case,
                places,
                added,
            } => {
                let current = self
                    .session
                    .as_ref()
                    .is_some_and(|s| Arc::ptr_eq(&s.case, &case));
                if current {
                    self.install_places(*places, added);
                }
            }
            Message::Indexed { case } => {
                if self
                    .in_flight
                    .indexing
                    .as_ref()
                    .is_some_and(|c| Arc::ptr_eq(c, &case))
                {
                    self.in_flight.indexing = None;
                }
                // The Visible-by list can now be shown.
                if self
                    .session
                    .as_ref()
                    .is_some_and(|s| Arc::ptr_eq(&s.case, &case))
                {
                    self.refilter();
                }
            }
            Message::Analyzed { job, analysis } => {
                if self.in_flight.analysis != Some(job) {
                    return;
                }
                self.in_flight.analysis = None;
                let Some(session) = &mut self.session else {
                    return;
                };
                let part = analysis.part();
                session.analyses.retain(|a| a.part() != part);
                session.analyses.push(Arc::from(analysis));
                if part == Part::Nodes {
                    session.visible_counts.clear();
                    self.select_node(None);
                }
            }
            Message::NodeActivity { job, activity } => {
                if self.in_flight.node_activity != Some(job) {
                    return;
                }
                self.in_flight.node_activity = None;
                if let Some(session) = &mut self.session {
                    session.node.activity = Some(*activity);
                }
            }
            Message::Filtered { job, result } => {
                if self.in_flight.filter != Some(job) {
                    return;
                }
                self.in_flight.filter = None;
                match result {
                    Ok(view) => {
                        let Some(session) = &mut self.session else {
                            return;
                        };
                        session.view = *view;
                        session.locate_selected();
                        // The selected event stays in sight across filters and sorts.
                        session.event.scroll_to = session.event.pos.is_some();
                        let case_shown = session.case.clone();
                        if let Some((case, output)) = self.in_flight.export_when_filtered.take()
                            && Arc::ptr_eq(&case, &case_shown)
                        {
                            self.start_export(output);
                        }
                    }
                    Err(e) => {
                        if let Some((_, output)) = self.in_flight.export_when_filtered.take() {
                            self.notify_error(format!(
                                "Nothing exported to {}: the view could not be filtered",
                                output.display()
                            ));
                        }
                        self.notify_error(format!("Filter: {e}"));
                    }
                }
            }
            Message::Exported { job, result } => {
                if self.in_flight.exporting.as_ref().map(|e| e.job) != Some(job) {
                    return;
                }
                self.in_flight.exporting = None;
                match result {
                    Ok(summary) => {
                        self.log_export(&summary);
                        self.notify(format!(
                            "Exported {} to {} ({}); provenance in {}",
                            plural(summary.rows as u64, "row", "rows"),
                            summary.output,
                            summary.format.as_str(),
                            crate::export::sidecar_path(std::path::Path::new(&summary.output))
                                .display()
                        ))
                    }
                    Err(e) => self.notify_error(format!("Export failed: {e}")),
                }
            }
            Message::Chosen { purpose, paths } => {
                let opened = self.chrome.dialog_open.take();
                // A person takes longer than this to cancel a dialog: an
                // empty answer this fast means there was none to show.
                let at_once = opened.is_some_and(|t| t.elapsed() < SYSTEM_DIALOG_FAILED_WITHIN);
                if paths.is_empty() && at_once && self.state.file_dialogs == FileDialogs::Automatic
                {
                    self.chrome.system_dialogs_failed = true;
                    self.notify(
                        "The system's file dialog could not be shown here (no desktop portal or zenity): auditview's own chooser is used instead.",
                    );
                    self.choose(purpose);
                    return;
                }
                self.chosen(purpose, paths);
            }
        }
    }

    pub(super) fn start_load(&mut self, paths: Vec<PathBuf>, keep_filter: bool) {
        let Some(ctx) = self.ctx.clone() else {
            self.in_flight.open_when_ready = Some(paths);
            return;
        };
        if let Some(old) = &self.in_flight.loading {
            old.progress.cancel.store(true, Ordering::Relaxed);
        }
        let progress = Arc::new(LoadProgress::default());
        let geoip = self.geoip_paths();
        let job = self.jobs.load(&ctx, paths, progress.clone(), geoip);
        self.in_flight.loading = Some(Loading {
            job,
            progress,
            keep_filter,
        });
    }

    /// Makes `loaded` the open case and filters it.
    pub(super) fn install_case(&mut self, loaded: Loaded, paths: Vec<PathBuf>, keep_filter: bool) {
        if !keep_filter {
            self.filters.form.clear_all();
        }
        let unreadable = loaded.store.sources.is_empty() || !loaded.errors.is_empty();
        if !loaded.errors.is_empty() {
            self.notify_error(format!(
                "{} could not be read: see Sources",
                plural(loaded.errors.len() as u64, "input", "inputs")
            ));
        }
        self.state.remember(&paths);
        self.forget_view_jobs();
        let mut session = Session::new(loaded.store, loaded.errors, paths);
        session.show_sources = unreadable;
        self.session = Some(session);
        self.case_file_loaded();
        self.identify();
        self.refilter();
    }

    /// Puts the places on the open case and recomputes the views that show
    /// them; a database that failed is said, and one just added is dropped
    /// from the settings.
    pub(super) fn install_places(
        &mut self,
        places: Result<crate::geo::Places, String>,
        added: Option<std::path::PathBuf>,
    ) {
        match places {
            Ok(places) => {
                if let Some(first) = &places.first_failure {
                    self.notify_error(format!(
                        "{} address lookups failed in a GeoIP database; the first: {first}",
                        places.failed_lookups
                    ));
                }
                let mut problems = Vec::new();
                if let Some(file) = self.case.as_mut().map(|c| &mut c.file) {
                    let recorded = file.geoip_databases().unwrap_or_default();
                    problems = crate::casefile::changed_databases(&recorded, &places.databases);
                    if let Err(e) = file.record_geoip_databases(&places.databases) {
                        problems.push(format!(
                            "The case could not record its GeoIP databases: {e}"
                        ));
                    }
                }
                for problem in problems {
                    self.notify_error(problem);
                }
                if let Some(session) = &mut self.session {
                    session.case.set_places(places);
                    // Findings place addresses (new countries, travel): again.
                    session.analyses.clear();
                }
                self.forget_view_jobs();
                self.refilter();
            }
            Err(reason) => {
                if let Some(added) = added {
                    self.state.geoip_databases.retain(|p| *p != added);
                }
                self.notify_error(format!("{reason}. Addresses are placed without it."));
            }
        }
    }

    /// Forgets the jobs computing views of the open case: their results
    /// index the case they were computed for.
    pub(super) fn forget_view_jobs(&mut self) {
        self.in_flight.analysis = None;
        self.in_flight.node_activity = None;
    }

    /// Filters the case by the form. While a typed field is invalid the view
    /// stays as it was (the panel says why): leaving the criterion out would
    /// show more than was asked for, and say nothing.
    pub(super) fn refilter(&mut self) {
        let (filter, errors) = self.filters.form.build(self.zone);
        let invalid = errors.any();
        self.filters.errors = errors;
        if invalid {
            self.in_flight.refilter_when_ready = false;
            return;
        }
        let Some(ctx) = &self.ctx else {
            // Before the first frame: filter on it.
            self.in_flight.refilter_when_ready = true;
            return;
        };
        let Some(session) = &self.session else {
            return;
        };
        let sort = self.sort().1;
        let job = self.jobs.filter(ctx, session.case.clone(), filter, sort);
        self.in_flight.filter = Some(job);
    }

    /// The view in the table's current order; its selection and counts stay.
    pub(super) fn resort(&mut self) {
        let sort = self.sort().1;
        if let (Some(session), Some(ctx)) = (&self.session, &self.ctx) {
            let job = self
                .jobs
                .sort(ctx, session.case.clone(), session.view.clone(), sort);
            self.in_flight.filter = Some(job);
        }
    }

    /// Selects an entry of the Nodes view and computes its activity in the
    /// background.
    pub(super) fn select_node(&mut self, index: Option<usize>) {
        self.in_flight.node_activity = None;
        let Some(session) = &mut self.session else {
            return;
        };
        // Nothing to compute unless the entry is found below.
        session.node = SelectedNode {
            index,
            activity: Some(NodeActivity::default()),
        };
        let (Some(analysis), Some(index)) = (session.analysis(Part::Nodes), index) else {
            return;
        };
        let Computed::Nodes(rows) = &analysis.computed else {
            return;
        };
        let Some(row) = rows.get(index) else {
            session.node.index = None;
            return;
        };
        let Some(ctx) = &self.ctx else {
            return;
        };
        session.node.activity = None;
        let job = self.jobs.node_activity(
            ctx,
            session.case.clone(),
            row.clone(),
            session.view.selection.clone(),
        );
        self.in_flight.node_activity = Some(job);
    }

    /// The Nodes, Requests and Reports views follow the filter, each
    /// computed only while its tab is shown.
    pub(super) fn analyze_if_stale(&mut self) {
        if self.in_flight.analysis.is_some() || self.in_flight.filter.is_some() {
            return;
        }
        let Some(part) = tab_part(self.views.tab) else {
            return;
        };
        let (Some(session), Some(ctx)) = (&self.session, &self.ctx) else {
            return;
        };
        if session.analysis(part).is_some() {
            return;
        }
        let job = self.jobs.analyze(
            ctx,
            session.case.clone(),
            session.view.filter.clone(),
            session.view.selection.clone(),
            part,
        );
        self.in_flight.analysis = Some(job);
    }

    /// Whether the open case's index is being built.
    pub(super) fn indexing_current(&self) -> bool {
        match (&self.in_flight.indexing, &self.session) {
            (Some(case), Some(session)) => Arc::ptr_eq(case, &session.case),
            _ => false,
        }
    }

    /// Starts building the case index once a case is open (also when it
    /// was opened before the first frame, or while another case's index
    /// was still being built).
    pub(super) fn index_if_needed(&mut self) {
        if self.indexing_current() {
            return;
        }
        let (Some(session), Some(ctx)) = (&self.session, &self.ctx) else {
            return;
        };
        if !session.case.is_indexed() {
            self.jobs.index_case(ctx, session.case.clone());
            self.in_flight.indexing = Some(session.case.clone());
        }
    }

    pub(super) fn start_export(&mut self, output: PathBuf) {
        let (Some(session), Some(ctx)) = (&self.session, &self.ctx) else {
            return;
        };
        // The rows exported are the ones the form asks for, even when
        // Export comes right after a keystroke.
        if self.in_flight.filter.is_some() {
            self.in_flight.export_when_filtered = Some((session.case.clone(), output));
            return;
        }
        let progress = Arc::new(AtomicU64::new(0));
        let total = session.view.selection.len() as u64;
        let job = self.jobs.export(
            ctx,
            session.case.clone(),
            session.view.selection.clone(),
            session.view.filter.clone(),
            self.zone,
            output,
            progress.clone(),
            // A case file that cannot give its head still marks the rows.
            self.case.as_ref().map(|case| &case.file).map(|file| {
                file.seal().unwrap_or_else(|_| crate::export::CaseSeal {
                    file: file.path().display().to_string(),
                    log_head: String::new(),
                })
            }),
        );
        self.in_flight.exporting = Some(Exporting {
            job,
            progress: Some(progress),
            total,
        });
    }

    pub(super) fn start_report_export(&mut self, report: Report, output: PathBuf) {
        let Some(analysis) = self.analysis(Part::Reports) else {
            return;
        };
        let (Some(session), Some(ctx), Computed::Reports(reports)) =
            (&self.session, &self.ctx, &analysis.computed)
        else {
            return;
        };
        let total = match report {
            Report::Usage => reports.usage.len(),
            Report::Logins => reports.logins.len(),
            Report::Workgroups => reports.workgroups.len(),
        } as u64;
        let job =
            self.jobs
                .export_report(ctx, session.case.clone(), analysis.clone(), report, output);
        self.in_flight.exporting = Some(Exporting {
            job,
            progress: None,
            total,
        });
    }
}
