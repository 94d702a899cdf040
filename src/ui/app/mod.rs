//! The app: `AuditApp` holds the persisted `State` apart from runtime state,
//! grouped by who owns it. One frame (`show`) takes in what the background
//! jobs sent, draws the chrome, panels and views, and applies the `Command`s
//! they returned.
//!
//! - `session`: the open case and the jobs in flight;
//! - `frame`: the case's layout, keys and drops;
//! - `apply`: carrying out a command;
//! - `background`: starting jobs and receiving their results;
//! - `dialogs`: file dialogs (the system's or the built-in chooser) and
//!   the filter's trips to files and the command line.

mod apply;
mod background;
mod case_file;
mod dialogs;
mod frame;
mod instance;
mod people;
mod session;
mod startup;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use egui::Ui;

use crate::analysis::order::Sort;
use crate::display::plural;
use crate::model::Store;
use crate::sources::Loaded;
use crate::time::Zone;

use super::chrome::about::about_ui;
use super::chrome::drop_hint::drop_hint_ui;
use super::chrome::loading::loading_ui;
use super::chrome::status_bar::{ExportProgress, status_bar_ui};
use super::chrome::top_bar::{CaseSources, top_bar_ui};
use super::chrome::{Chrome, Notice};
use super::command::{Command, Tab, TableColumn};
use super::computed::{Analysis, Part};
use super::jobs::Jobs;
use super::panels::arrival::arrival_ui;
use super::panels::confirm_write::confirm_write_ui;
use super::panels::filters::FilterPanel;
use super::panels::welcome::welcome_ui;
use super::platform::chooser::FileChooser;
use super::platform::samples;
use super::state::{STATE_KEY, State};
use super::views::Views;
use super::widgets::event_actions::{Flush, take_pending_note};

use session::{InFlight, Session};

pub struct AuditApp {
    /// Remembered across restarts.
    pub state: State,
    /// The open case and what was computed for it; `None` on the welcome
    /// screen and while the first case loads.
    session: Option<Session>,
    /// The filter panel's form; kept when paths are added to the case.
    filters: FilterPanel,
    /// Which tab and report show, and a drag across the timeline.
    views: Views,
    /// Notices, window title, dialog, zone box, search focus.
    chrome: Chrome,
    /// The zone times are shown and typed in (saved by name in `state`).
    zone: Zone,
    /// Background jobs under way, by id.
    in_flight: InFlight,
    jobs: Jobs,
    /// The context of the last frame: jobs ask it for repaints.
    ctx: Option<egui::Context>,
    chooser: Arc<dyn FileChooser>,
    /// The case file the marks are saved in, once one is made or opened,
    /// with what the window shows of it.
    case: Option<case_file::OpenCase>,
    /// Where "Open the sample case" writes the embedded samples.
    sample_folder: PathBuf,
    startup: startup::StartupTiming,
    /// Later launches: what they ask of this window.
    instance: instance::InstanceLink,
    /// The question of files a launch handed over, while open.
    arrival: crate::ui::panels::arrival::ArrivalQuestion,
}

/// The computed view a tab shows (the Events tab has its own).
fn tab_part(tab: Tab) -> Option<Part> {
    match tab {
        Tab::Events => None,
        Tab::Nodes => Some(Part::Nodes),
        Tab::Requests => Some(Part::Requests),
        Tab::Reports => Some(Part::Reports),
        Tab::People => Some(Part::People),
        Tab::Findings => Some(Part::Findings),
    }
}

impl AuditApp {
    /// An app that opens `paths` on its first frame (none: the welcome screen).
    pub fn new(state: State, chooser: Arc<dyn FileChooser>, paths: Vec<PathBuf>) -> AuditApp {
        let mut chrome = Chrome::default();
        let zone = Zone::parse(&state.zone).unwrap_or_else(|e| {
            chrome.notices.push(Notice {
                text: format!("Saved time zone: {e}; UTC is used."),
                error: true,
            });
            Zone::Utc
        });
        if matches!(zone, Zone::Named(_)) {
            chrome.zone_text = zone.name();
        }
        AuditApp {
            state,
            session: None,
            filters: FilterPanel::default(),
            views: Views::default(),
            chrome,
            zone,
            in_flight: InFlight {
                open_when_ready: (!paths.is_empty()).then_some(paths),
                ..InFlight::default()
            },
            jobs: Jobs::default(),
            ctx: None,
            chooser,
            case: None,
            sample_folder: samples::default_folder(),
            startup: Default::default(),
            instance: Default::default(),
            arrival: Default::default(),
        }
    }

    /// Writes the sample case into `folder` instead of the user's cache.
    pub fn with_sample_folder(mut self, folder: PathBuf) -> AuditApp {
        self.sample_folder = folder;
        self
    }

    /// Opens a case already in memory, as if it had been loaded from `paths`.
    pub fn open_store(&mut self, store: Store, paths: Vec<PathBuf>) {
        let loaded = Loaded {
            store,
            errors: Vec::new(),
            cancelled: false,
        };
        self.install_case(loaded, paths, false);
    }

    pub fn notify(&mut self, text: impl Into<String>) {
        self.chrome.notices.push(Notice {
            text: text.into(),
            error: false,
        });
    }

    pub fn notify_error(&mut self, text: impl Into<String>) {
        self.chrome.notices.push(Notice {
            text: text.into(),
            error: true,
        });
    }

    /// Whether the built-in file chooser is open.
    pub fn is_choosing_file(&self) -> bool {
        self.chrome.file_chooser.is_some()
    }

    /// The text "Copy" last put on the clipboard.
    pub fn last_copied(&self) -> Option<&str> {
        self.chrome.last_copied.as_deref()
    }

    pub fn notices(&self) -> &[Notice] {
        &self.chrome.notices
    }

    /// Whether a load, filter, export or dialog is under way.
    pub fn is_busy(&self) -> bool {
        let jobs = &self.in_flight;
        jobs.loading.is_some()
            || jobs.filter.is_some()
            || jobs.exporting.is_some()
            || self.chrome.dialog_open.is_some()
            || jobs.open_when_ready.is_some()
            || jobs.analysis.is_some()
            || jobs.node_activity.is_some()
            || jobs.identifying.is_some()
            || self.indexing_current()
            || self.view_pending()
    }

    /// Whether the tab shown waits for its view of the current filter.
    fn view_pending(&self) -> bool {
        self.session.as_ref().is_some_and(|session| {
            tab_part(self.views.tab).is_some_and(|part| session.analysis(part).is_none())
        })
    }

    /// The open view of the central panel.
    pub fn tab(&self) -> Tab {
        self.views.tab
    }

    /// The view of `part` computed for the current filter, if it is ready.
    fn analysis(&self, part: Part) -> Option<Arc<Analysis>> {
        self.session.as_ref()?.analysis(part)
    }

    /// The settings, as they would be saved now.
    pub fn settings(&self) -> &State {
        &self.state
    }

    /// Events loaded and events matched, once a case is open.
    pub fn counts(&self) -> Option<(usize, usize)> {
        let session = self.session.as_ref()?;
        Some((
            session.view.selection.len(),
            session.case.store.events.len(),
        ))
    }

    /// The selected event, as a row id of the store.
    pub fn selected_row(&self) -> Option<u32> {
        self.session.as_ref()?.event.row
    }

    /// "samples - 8 files, 209 events - auditview": the case first (its
    /// case file, else what was opened), so a taskbar tells windows apart.
    pub fn window_title(&self) -> String {
        let Some(session) = &self.session else {
            return "auditview".to_string();
        };
        let counts = format!(
            "{}, {}",
            plural(session.case.store.sources.len() as u64, "file", "files"),
            plural(session.case.store.events.len() as u64, "event", "events")
        );
        let name = match self.case.as_ref().map(|c| &c.file) {
            Some(case) => Some(file_name(case.path())),
            None => case_name(&session.paths),
        };
        match name {
            Some(name) => format!("{name} - {counts} - auditview"),
            None => format!("{counts} - auditview"),
        }
    }

    /// The table's columns: those not hidden, Marks while a case file is
    /// open, places while a GeoIP database places the addresses.
    fn columns(&self) -> Vec<TableColumn> {
        let placed = self
            .session
            .as_ref()
            .is_some_and(|s| s.case.places().has_databases());
        TableColumn::ALL
            .into_iter()
            .filter(|c| !self.state.hidden_columns.contains(c))
            .filter(|&c| c != TableColumn::Marks || self.case.is_some())
            .filter(|&c| {
                placed
                    || !matches!(
                        c,
                        TableColumn::Country | TableColumn::City | TableColumn::Network
                    )
            })
            .collect()
    }

    /// The table's sort, from the settings.
    fn sort(&self) -> (TableColumn, Sort) {
        let column = self.state.sort_column;
        let sort = Sort {
            key: column.sort_key(),
            descending: self.state.sort_descending,
        };
        (column, sort)
    }

    /// Draws one frame and applies what it asked for.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.ctx = Some(ctx.clone());
        let closing = super::quit_requested() || ctx.input(|i| i.viewport().close_requested());
        // A note typed in a pane no longer shown (another row), or in any
        // pane when the window closes, is saved now.
        let flush = if closing { Flush::All } else { Flush::Gone };
        if let Some(save) = take_pending_note(&ctx, flush) {
            self.apply(save);
        }
        if super::quit_requested() {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if let Some(paths) = self.in_flight.open_when_ready.take() {
            self.apply(Command::OpenPaths(paths));
        }
        if std::mem::take(&mut self.in_flight.refilter_when_ready) {
            self.refilter();
        }
        for message in self.jobs.drain() {
            self.receive(message);
        }
        self.index_if_needed();
        self.analyze_if_stale();
        let mut commands = self.input_commands(ui);
        commands.extend(self.instance_commands());

        let title = self.window_title();
        if title != self.chrome.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.chrome.title = title;
        }

        let case = self.session.as_ref().map(|session| CaseSources {
            store: &session.case.store,
            errors: &session.errors,
            shown: session.show_sources,
        });
        commands.extend(top_bar_ui(
            ui,
            &mut self.chrome,
            &mut self.state,
            &mut self.filters.form.search,
            self.zone,
            case,
        ));
        let export = self.in_flight.exporting.as_ref().map(|e| ExportProgress {
            done: e.progress.as_ref().map(|p| p.load(Ordering::Relaxed)),
            total: e.total,
        });
        commands.extend(status_bar_ui(
            ui,
            self.counts(),
            self.in_flight.filter.is_some(),
            export,
            &self.chrome.notices,
        ));
        if let Some(loading) = &self.in_flight.loading {
            let progress = loading.progress.clone();
            egui::CentralPanel::default().show(ui, |ui| {
                commands.extend(loading_ui(ui, &progress));
            });
            ctx.request_repaint_after(Duration::from_millis(100));
        } else if self.session.is_some() {
            commands.extend(self.case_ui(ui));
        } else {
            egui::CentralPanel::default().show(ui, |ui| {
                commands.extend(welcome_ui(ui, &self.state.recent));
            });
        }
        if self.in_flight.exporting.is_some() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        drop_hint_ui(ui, self.session.is_some());
        commands.extend(about_ui(ui, &mut self.chrome.about_open));
        commands.extend(arrival_ui(&ctx, &mut self.arrival));
        commands.extend(confirm_write_ui(
            &ctx,
            self.chrome.confirm_write.as_ref().map(|(_, p)| p.as_path()),
        ));
        self.file_chooser_ui(&ctx);
        if let Some(session) = &mut self.session {
            session.event.scroll_to = false;
            if !session.view.order.is_empty() {
                self.startup.drawn();
            }
        }
        self.chrome.keyboard_taken =
            ctx.memory(|m| m.focused().is_some()) || egui::Popup::is_any_open(&ctx);
        for command in commands {
            self.apply(command);
        }
    }
}

impl eframe::App for AuditApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        storage.set_string(STATE_KEY, self.state.to_json());
    }
}

/// What a set of opened paths is called: the one folder or file, or the
/// first "and N more".
fn case_name(paths: &[PathBuf]) -> Option<String> {
    let first = file_name(paths.first()?);
    Some(match paths.len() {
        1 => first,
        n => format!("{first} and {} more", n - 1),
    })
}

/// The last component of a path (the whole path when it has none, as `/`).
fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
