//! The app: persisted `State` apart from runtime state; panels return
//! `Command`s that `AuditApp::apply` carries out; background jobs report
//! through `jobs::Message`s drained once per frame.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use egui::{Key, Modifiers, RichText, Ui};

use crate::analysis::order::Sort;
use crate::analysis::reports::Report;
use crate::model::Store;
use crate::sources::{LoadError, LoadProgress, Loaded};
use crate::time::Zone;

use super::chooser::FileChooser;
use super::display::{bytes, plural, thousands};
use super::events_table::{Column, TableView, events_table_ui};
use super::filters::{FilterForm, FormErrors, chips_ui, filters_ui};
use super::jobs::{Analysis, Computed, Jobs, Message, Part, Purpose, View};
use super::nodes_view::{NodeActivity, node_details_ui, nodes_table_ui};
use super::state::{Preset, STATE_KEY, State};
use super::timeline::{TimelineDrag, timeline_ui};

const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 86_400_000;
/// Rows a Page Up / Page Down moves.
const PAGE_ROWS: usize = 20;

/// Quick date ranges, relative to the last event of the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuickRange {
    WholeCase,
    LastDay,
    LastWeek,
}

/// Narrowing the view to what the selected event shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pivot {
    User(String),
    Node(String),
    Request(String),
    Ip(String),
    /// Five minutes either side of this instant (UTC ms).
    Around(i64),
}

/// The views of the central panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Events,
    Nodes,
    Requests,
    Reports,
}

/// The computed view a tab shows (the Events tab has its own).
fn tab_part(tab: Tab) -> Option<Part> {
    match tab {
        Tab::Events => None,
        Tab::Nodes => Some(Part::Nodes),
        Tab::Requests => Some(Part::Requests),
        Tab::Reports => Some(Part::Reports),
    }
}

/// The tab bar above the central panel's view.
fn tabs_ui(ui: &mut Ui, current: Tab) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        for (tab, name) in [
            (Tab::Events, "Events"),
            (Tab::Nodes, "Nodes"),
            (Tab::Requests, "Requests"),
            (Tab::Reports, "Reports"),
        ] {
            if ui.selectable_label(current == tab, name).clicked() && current != tab {
                commands.push(Command::SetTab(tab));
            }
        }
    });
    commands
}

/// What the panels ask the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    OpenFilesDialog,
    OpenFolderDialog,
    /// A new case from these paths.
    OpenPaths(Vec<PathBuf>),
    /// Add these paths to the case (reloads the union).
    AddPaths(Vec<PathBuf>),
    OpenSample,
    CancelLoad,
    CloseCase,
    FilterEdited,
    QuickRange(QuickRange),
    SetDates(Option<i64>, Option<i64>),
    ClearCriterion(&'static str),
    ClearAll,
    SavePreset(String),
    LoadPreset(usize),
    DeletePreset(usize),
    /// An index into the current selection.
    Select(Option<usize>),
    Pivot(Pivot),
    SetZone(Zone),
    Export,
    ToggleColumn(Column),
    /// Scroll the table so the selected event shows, on the next frame.
    RevealSelected,
    /// Sort by this column; the sorted column again reverses the order.
    SortBy(Column),
    ShowSources(bool),
    DismissNotices,
    SetTab(Tab),
    /// An index into the Nodes view's entries.
    SelectNode(Option<usize>),
    /// Show this event (a store row) in the events table.
    RevealEvent(u32),
    ShowReport(Report),
    /// Ask where to write this report, then write it.
    ExportReport(Report),
}

struct Case {
    store: Arc<Store>,
    errors: Vec<LoadError>,
    paths: Vec<PathBuf>,
}

struct Loading {
    job: u64,
    progress: Arc<LoadProgress>,
    keep_filter: bool,
}

struct Exporting {
    job: u64,
    /// Rows written so far, when the writer counts them (event exports).
    progress: Option<Arc<AtomicU64>>,
    total: u64,
}

#[derive(Debug, Clone)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

pub struct AuditApp {
    /// Remembered across restarts.
    pub state: State,
    chooser: Arc<dyn FileChooser>,
    jobs: Jobs,
    ctx: Option<egui::Context>,
    pending_open: Option<Vec<PathBuf>>,
    refilter_pending: bool,
    /// Where "Open the sample case" writes the embedded samples.
    sample_folder: PathBuf,
    case: Option<Case>,
    loading: Option<Loading>,
    view: View,
    filter_job: Option<u64>,
    form: FilterForm,
    form_errors: FormErrors,
    zone: Zone,
    zone_text: String,
    /// The selected event, as a row id of the store.
    selected: Option<u32>,
    /// Where the selected event is in `view.order`.
    selected_pos: Option<usize>,
    scroll_to_selected: bool,
    exporting: Option<Exporting>,
    dialog_open: bool,
    notices: Vec<Notice>,
    show_sources: bool,
    timeline_drag: TimelineDrag,
    focus_search: bool,
    title: String,
    tab: Tab,
    /// The Nodes, Requests and Reports views last computed, one per part;
    /// each is current while its filter is the view's.
    analyses: Vec<Arc<Analysis>>,
    analysis_job: Option<u64>,
    /// The case whose index (node tree, visibility) is being built.
    indexing: Option<Arc<Store>>,
    selected_node: Option<usize>,
    /// Visible-by counts of the Nodes view's rows drawn so far.
    visible_counts: std::collections::HashMap<usize, usize>,
    report: Report,
    node_activity: NodeActivity,
}

impl AuditApp {
    /// An app that opens `paths` on its first frame (none: the welcome screen).
    pub fn new(state: State, chooser: Arc<dyn FileChooser>, paths: Vec<PathBuf>) -> AuditApp {
        let mut notices = Vec::new();
        let zone = Zone::parse(&state.zone).unwrap_or_else(|e| {
            notices.push(Notice {
                text: format!("Saved time zone: {e}; UTC is used."),
                error: true,
            });
            Zone::Utc
        });
        AuditApp {
            zone_text: if matches!(zone, Zone::Named(_)) {
                zone.name()
            } else {
                String::new()
            },
            state,
            chooser,
            jobs: Jobs::default(),
            ctx: None,
            pending_open: (!paths.is_empty()).then_some(paths),
            refilter_pending: false,
            sample_folder: super::samples::default_folder(),
            case: None,
            loading: None,
            view: View::default(),
            filter_job: None,
            form: FilterForm::default(),
            form_errors: FormErrors::default(),
            zone,
            selected: None,
            selected_pos: None,
            scroll_to_selected: false,
            exporting: None,
            dialog_open: false,
            notices,
            show_sources: false,
            timeline_drag: TimelineDrag::default(),
            focus_search: false,
            tab: Tab::Events,
            analyses: Vec::new(),
            analysis_job: None,
            indexing: None,
            selected_node: None,
            visible_counts: Default::default(),
            report: Report::Usage,
            node_activity: NodeActivity::default(),
            title: String::new(),
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
        self.notices.push(Notice {
            text: text.into(),
            error: false,
        });
    }

    pub fn notify_error(&mut self, text: impl Into<String>) {
        self.notices.push(Notice {
            text: text.into(),
            error: true,
        });
    }

    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// Whether a load, filter, export or dialog is under way.
    pub fn is_busy(&self) -> bool {
        self.loading.is_some()
            || self.filter_job.is_some()
            || self.exporting.is_some()
            || self.dialog_open
            || self.pending_open.is_some()
            || self.analysis_job.is_some()
            || self.indexing_current()
            || self.view_pending()
    }

    /// Whether the tab shown waits for its view of the current filter.
    fn view_pending(&self) -> bool {
        self.case.is_some() && tab_part(self.tab).is_some_and(|part| self.analysis(part).is_none())
    }

    /// The open view of the central panel.
    pub fn tab(&self) -> Tab {
        self.tab
    }

    /// The view of `part` computed for the current filter, if it is ready.
    fn analysis(&self, part: Part) -> Option<Arc<Analysis>> {
        self.analyses
            .iter()
            .find(|a| a.part() == part && a.filter == self.view.filter)
            .cloned()
    }

    /// Events loaded and events matched, once a case is open.
    pub fn counts(&self) -> Option<(usize, usize)> {
        let case = self.case.as_ref()?;
        Some((self.view.selection.len(), case.store.events.len()))
    }

    /// The selected event, as a row id of the store.
    pub fn selected_row(&self) -> Option<u32> {
        self.selected
    }

    pub fn window_title(&self) -> String {
        match &self.case {
            Some(case) => format!(
                "auditview - {}, {}",
                plural(case.store.sources.len() as u64, "file", "files"),
                plural(case.store.events.len() as u64, "event", "events")
            ),
            None => "auditview".to_string(),
        }
    }

    fn columns(&self) -> Vec<Column> {
        Column::ALL
            .into_iter()
            .filter(|c| !self.state.hidden_columns.iter().any(|h| h == c.name()))
            .collect()
    }

    /// The table's sort, from the settings.
    fn sort(&self) -> (Column, Sort) {
        let column = Column::from_name(&self.state.sort_column).unwrap_or(Column::Time);
        let sort = Sort {
            key: column.sort_key(),
            descending: self.state.sort_descending,
        };
        (column, sort)
    }

    /// Selects the event at `index` of the table's order.
    fn select_index(&mut self, index: Option<usize>) {
        self.selected = index.and_then(|i| self.view.order.get(i).copied());
        self.selected_pos = self.selected.and(index);
    }

    /// Finds the selected event in a new view (it may have left it).
    fn locate_selected(&mut self) {
        self.selected_pos = self
            .selected
            .and_then(|row| self.view.order.iter().position(|&r| r == row));
    }

    /// Draws one frame and applies what it asked for.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.ctx = Some(ctx.clone());
        if let Some(paths) = self.pending_open.take() {
            self.apply(Command::OpenPaths(paths));
        }
        if std::mem::take(&mut self.refilter_pending) {
            self.refilter();
        }
        for message in self.jobs.drain() {
            self.receive(message);
        }
        self.index_if_needed();
        self.analyze_if_stale();
        let mut commands = self.input_commands(ui);

        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }

        commands.extend(self.top_bar_ui(ui));
        commands.extend(self.status_bar_ui(ui));
        if let Some(loading) = &self.loading {
            let progress = loading.progress.clone();
            egui::CentralPanel::default().show(ui, |ui| {
                commands.extend(loading_ui(ui, &progress));
            });
            ctx.request_repaint_after(Duration::from_millis(100));
        } else if let Some(case) = &self.case {
            let store = case.store.clone();
            commands.extend(self.case_ui(ui, &store));
        } else {
            egui::CentralPanel::default().show(ui, |ui| {
                commands.extend(super::welcome::welcome_ui(ui, &self.state.recent));
            });
        }
        if self.exporting.is_some() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        self.drop_hint(ui);
        self.scroll_to_selected = false;
        for command in commands {
            self.apply(command);
        }
    }

    fn input_commands(&mut self, ui: &mut Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        let dropped: Vec<PathBuf> = ui.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            commands.push(if self.case.is_some() {
                Command::AddPaths(dropped)
            } else {
                Command::OpenPaths(dropped)
            });
        }
        let (open, find, export) = ui.input_mut(|i| {
            (
                i.consume_key(Modifiers::COMMAND, Key::O),
                i.consume_key(Modifiers::COMMAND, Key::F),
                i.consume_key(Modifiers::COMMAND, Key::E),
            )
        });
        if open {
            commands.push(Command::OpenFilesDialog);
        }
        if find {
            self.focus_search = true;
        }
        if export {
            commands.push(Command::Export);
        }
        if ui.ctx().egui_wants_keyboard_input() || self.case.is_none() {
            return commands;
        }
        let count = self.view.selection.len();
        if count == 0 {
            return commands;
        }
        let last = count - 1;
        let current = self.selected_pos;
        let target = ui.input_mut(|i| {
            let mut target = None;
            let step = |delta: isize| match current {
                Some(c) => Some(c.saturating_add_signed(delta).min(last)),
                None => Some(0),
            };
            if i.consume_key(Modifiers::NONE, Key::ArrowDown) {
                target = step(1);
            }
            if i.consume_key(Modifiers::NONE, Key::ArrowUp) {
                target = step(-1);
            }
            if i.consume_key(Modifiers::NONE, Key::PageDown) {
                target = step(PAGE_ROWS as isize);
            }
            if i.consume_key(Modifiers::NONE, Key::PageUp) {
                target = step(-(PAGE_ROWS as isize));
            }
            if i.consume_key(Modifiers::NONE, Key::Home) {
                target = Some(0);
            }
            if i.consume_key(Modifiers::NONE, Key::End) {
                target = Some(last);
            }
            if i.consume_key(Modifiers::NONE, Key::Escape) {
                return Some(None);
            }
            target.map(Some)
        });
        if let Some(target) = target {
            commands.push(Command::Select(target));
            commands.push(Command::RevealSelected);
        }
        commands
    }

    fn top_bar_ui(&mut self, ui: &mut Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        let has_case = self.case.is_some();
        egui::Panel::top("top-bar").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                ui.menu_button("File", |ui| {
                    if ui.button("Open files...  (Ctrl+O)").clicked() {
                        commands.push(Command::OpenFilesDialog);
                    }
                    if ui.button("Open folder...").clicked() {
                        commands.push(Command::OpenFolderDialog);
                    }
                    if ui.button("Open the sample case").clicked() {
                        commands.push(Command::OpenSample);
                    }
                    ui.separator();
                    if ui
                        .add_enabled(has_case, egui::Button::new("Export view...  (Ctrl+E)"))
                        .clicked()
                    {
                        commands.push(Command::Export);
                    }
                    if ui
                        .add_enabled(has_case, egui::Button::new("Sources"))
                        .clicked()
                    {
                        commands.push(Command::ShowSources(true));
                    }
                    ui.separator();
                    if ui
                        .add_enabled(has_case, egui::Button::new("Close case"))
                        .clicked()
                    {
                        commands.push(Command::CloseCase);
                    }
                });
                ui.menu_button("View", |ui| {
                    ui.label(RichText::new("Columns").strong());
                    for column in Column::ALL {
                        let mut shown =
                            !self.state.hidden_columns.iter().any(|h| h == column.name());
                        if ui.checkbox(&mut shown, column.name()).changed() {
                            commands.push(Command::ToggleColumn(column));
                        }
                    }
                    ui.separator();
                    ui.checkbox(&mut self.state.show_details, "Details pane");
                });
                if !has_case {
                    return;
                }
                ui.separator();
                let label = ui.label("Search");
                let search = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.form.search)
                            .hint_text("text in any field (Ctrl+F)")
                            .desired_width(220.0),
                    )
                    .labelled_by(label.id);
                if self.focus_search {
                    search.request_focus();
                    self.focus_search = false;
                }
                if search.changed() {
                    commands.push(Command::FilterEdited);
                }
                ui.separator();
                commands.extend(self.zone_ui(ui));
                ui.separator();
                if let Some(case) = &self.case {
                    let rejected: u64 = case.store.sources.iter().map(|s| s.rejected).sum();
                    let problems = case.errors.len() + case.store.skipped.len();
                    let mut text = format!(
                        "Sources: {}, {} rejected",
                        plural(case.store.sources.len() as u64, "file", "files"),
                        thousands(rejected)
                    );
                    if problems > 0 {
                        text.push_str(&format!(", {problems} not read"));
                    }
                    if ui.button(text).clicked() {
                        commands.push(Command::ShowSources(!self.show_sources));
                    }
                }
            });
        });
        commands
    }

    fn zone_ui(&mut self, ui: &mut Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        let zone_label = ui.label("Time zone");
        let combo = egui::ComboBox::from_id_salt("zone")
            .selected_text(self.zone.name())
            .show_ui(ui, |ui| {
                for zone in [Zone::Utc, Zone::Local] {
                    if ui
                        .selectable_label(self.zone == zone, zone.name())
                        .clicked()
                    {
                        commands.push(Command::SetZone(zone));
                    }
                }
                for name in [
                    "Europe/London",
                    "Europe/Paris",
                    "America/New_York",
                    "America/Los_Angeles",
                    "Asia/Tokyo",
                    "Australia/Sydney",
                ] {
                    if let Ok(zone) = Zone::parse(name) {
                        if ui.selectable_label(self.zone == zone, name).clicked() {
                            commands.push(Command::SetZone(zone));
                        }
                    }
                }
            });
        combo.response.labelled_by(zone_label.id);
        let label = ui.label("IANA zone");
        let valid = self.zone_text.trim().is_empty() || Zone::parse(&self.zone_text).is_ok();
        let mut edit = egui::TextEdit::singleline(&mut self.zone_text)
            .hint_text("e.g. Europe/Berlin")
            .desired_width(120.0);
        if !valid {
            edit = edit.text_color(ui.visuals().error_fg_color);
        }
        let response = ui.add(edit).labelled_by(label.id);
        if response.changed() {
            if let Ok(zone) = Zone::parse(&self.zone_text) {
                if zone != self.zone {
                    commands.push(Command::SetZone(zone));
                }
            }
        }
        commands
    }

    fn status_bar_ui(&mut self, ui: &mut Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::Panel::bottom("status-bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some((matched, total)) = self.counts() {
                    ui.label(format!(
                        "{} of {} events",
                        thousands(matched as u64),
                        thousands(total as u64)
                    ));
                }
                if self.filter_job.is_some() {
                    ui.spinner();
                    ui.label("filtering...");
                }
                if let Some(exporting) = &self.exporting {
                    match &exporting.progress {
                        Some(progress) => {
                            let done = progress.load(Ordering::Relaxed);
                            let fraction = done as f32 / exporting.total.max(1) as f32;
                            ui.add(
                                egui::ProgressBar::new(fraction.min(1.0))
                                    .desired_width(200.0)
                                    .text(format!(
                                        "exporting {} of {} rows",
                                        thousands(done),
                                        thousands(exporting.total)
                                    )),
                            );
                        }
                        None => {
                            ui.spinner();
                            ui.label(format!("exporting {} rows", thousands(exporting.total)));
                        }
                    }
                }
                if !self.notices.is_empty() {
                    ui.separator();
                    if ui
                        .small_button("×")
                        .on_hover_text("Dismiss messages")
                        .clicked()
                    {
                        commands.push(Command::DismissNotices);
                    }
                    if let Some(notice) = self.notices.last() {
                        let text = RichText::new(&notice.text);
                        ui.label(if notice.error {
                            text.color(ui.visuals().error_fg_color)
                        } else {
                            text
                        });
                    }
                }
            });
        });
        commands
    }

    fn case_ui(&mut self, ui: &mut Ui, store: &Arc<Store>) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::Panel::left("filters")
            .resizable(true)
            .default_size(260.0)
            .show(ui, |ui| {
                commands.extend(filters_ui(
                    ui,
                    &mut self.form,
                    &self.form_errors,
                    &self.view.facets,
                    &self.state.presets,
                    self.zone,
                    store,
                ));
            });
        let selected_row = self.selected_pos.and(self.selected);
        if self.state.show_details && self.tab == Tab::Events {
            egui::Panel::right("details")
                .resizable(true)
                .default_size(360.0)
                .show(ui, |ui| {
                    commands.extend(super::details::details_ui(
                        ui,
                        store,
                        selected_row.map(|r| r as usize),
                        self.zone,
                    ));
                });
        }
        let columns = self.columns();
        egui::CentralPanel::default().show(ui, |ui| {
            commands.extend(chips_ui(ui, &self.view.filter));
            ui.add_space(4.0);
            commands.extend(tabs_ui(ui, self.tab));
            if self.tab != Tab::Events {
                commands.extend(self.analysis_ui(ui, store));
                return;
            }
            commands.extend(timeline_ui(
                ui,
                self.view.timeline.as_ref(),
                self.zone,
                &mut self.timeline_drag,
            ));
            ui.add_space(4.0);
            let view = TableView {
                store,
                rows: &self.view.order,
                columns: &columns,
                zone: self.zone,
                sort: (self.sort().0, self.state.sort_descending),
                selected: self.selected_pos,
                scroll_to_selected: self.scroll_to_selected,
            };
            if view.rows.is_empty() && self.filter_job.is_none() {
                ui.label("No event matches the filter.");
            }
            commands.extend(events_table_ui(ui, &view));
        });
        if let Some(case) = &self.case {
            let mut open = self.show_sources;
            egui::Window::new("Sources")
                .open(&mut open)
                .default_size([900.0, 500.0])
                .show(ui.ctx(), |ui| {
                    super::sources::sources_ui(ui, &case.store, &case.errors);
                });
            if open != self.show_sources {
                commands.push(Command::ShowSources(open));
            }
        }
        commands
    }

    /// The Nodes, Requests or Reports view, once computed for the current filter.
    fn analysis_ui(&mut self, ui: &mut Ui, store: &Arc<Store>) -> Vec<Command> {
        let Some(analysis) = tab_part(self.tab).and_then(|part| self.analysis(part)) else {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Computing…");
            });
            return Vec::new();
        };
        let mut commands = Vec::new();
        match &analysis.computed {
            Computed::Nodes(rows) => {
                commands.extend(nodes_table_ui(
                    ui,
                    store,
                    rows,
                    self.selected_node,
                    self.zone,
                    &mut self.visible_counts,
                ));
                ui.separator();
                match self.selected_node.and_then(|i| rows.get(i)) {
                    Some(row) => {
                        egui::ScrollArea::vertical()
                            .id_salt("node-details")
                            .show(ui, |ui| {
                                commands.extend(node_details_ui(
                                    ui,
                                    store,
                                    row,
                                    &self.node_activity,
                                    self.zone,
                                ));
                            });
                    }
                    None => {
                        ui.label("Select a node to see its activity and who could see it.");
                    }
                }
            }
            Computed::Requests(index) => {
                commands.extend(super::requests_view::requests_ui(
                    ui, store, index, self.zone,
                ));
            }
            Computed::Reports(reports) => {
                commands.extend(super::reports_view::reports_ui(
                    ui,
                    reports,
                    self.report,
                    self.zone,
                ));
            }
        }
        commands
    }

    fn drop_hint(&self, ui: &mut Ui) {
        let hovering = ui.input(|i| !i.raw.hovered_files.is_empty());
        if !hovering {
            return;
        }
        let rect = ui.ctx().content_rect();
        let painter = ui.ctx().layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("drop-hint"),
        ));
        painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
        let text = if self.case.is_some() {
            "Drop to add to the case"
        } else {
            "Drop to open"
        };
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            text,
            egui::FontId::proportional(28.0),
            egui::Color32::WHITE,
        );
    }

    /// The Nodes, Requests and Reports views follow the filter, each
    /// computed only while its tab is shown.
    fn analyze_if_stale(&mut self) {
        if self.analysis_job.is_some() || self.filter_job.is_some() {
            return;
        }
        let Some(part) = tab_part(self.tab) else {
            return;
        };
        if self.analysis(part).is_some() {
            return;
        }
        let (Some(case), Some(ctx)) = (&self.case, &self.ctx) else {
            return;
        };
        let job = self.jobs.analyze(
            ctx,
            case.store.clone(),
            self.view.filter.clone(),
            self.view.selection.clone(),
            part,
        );
        self.analysis_job = Some(job);
    }

    /// Drops the Nodes, Requests and Reports views and any being computed:
    /// they index the case they were computed for.
    fn forget_views(&mut self) {
        self.analyses.clear();
        self.visible_counts.clear();
        self.analysis_job = None;
        self.selected_node = None;
        self.node_activity = NodeActivity::default();
    }

    /// Selects an entry of the Nodes view and computes its activity.
    fn select_node(&mut self, index: Option<usize>) {
        self.selected_node = index;
        self.node_activity = NodeActivity::default();
        let (Some(case), Some(analysis), Some(index)) =
            (&self.case, self.analysis(Part::Nodes), index)
        else {
            return;
        };
        let Computed::Nodes(rows) = &analysis.computed else {
            return;
        };
        let Some(row) = rows.get(index) else {
            self.selected_node = None;
            return;
        };
        let rows = crate::analysis::nodes::rows_of(&case.store, row, &self.view.selection);
        let events = &case.store.events;
        self.node_activity = NodeActivity {
            activity: crate::analysis::activity::activity(events, &rows, 120),
            users: crate::analysis::facets::text_counts(
                events,
                crate::model::TextField::Actor,
                &rows,
            ),
            visible_by: crate::analysis::nodes::visible_by(&case.store, row),
            rows,
        };
    }

    fn refilter(&mut self) {
        let (filter, errors) = self.form.build(self.zone);
        self.form_errors = errors;
        let Some(ctx) = &self.ctx else {
            // Before the first frame: filter on it.
            self.refilter_pending = true;
            return;
        };
        let Some(case) = &self.case else {
            return;
        };
        let sort = self.sort().1;
        let job = self.jobs.filter(ctx, case.store.clone(), filter, sort);
        self.filter_job = Some(job);
    }

    fn start_load(&mut self, paths: Vec<PathBuf>, keep_filter: bool) {
        let Some(ctx) = self.ctx.clone() else {
            self.pending_open = Some(paths);
            return;
        };
        if let Some(old) = &self.loading {
            old.progress.cancel.store(true, Ordering::Relaxed);
        }
        let progress = Arc::new(LoadProgress::default());
        let job = self.jobs.load(&ctx, paths, progress.clone());
        self.loading = Some(Loading {
            job,
            progress,
            keep_filter,
        });
    }

    fn set_dates(&mut self, from: Option<i64>, to: Option<i64>) {
        self.form.from = from.map(|t| self.zone.format(t)).unwrap_or_default();
        self.form.to = to.map(|t| self.zone.format(t)).unwrap_or_default();
    }

    /// Makes `loaded` the open case and filters it.
    fn install_case(&mut self, loaded: Loaded, paths: Vec<PathBuf>, keep_filter: bool) {
        if !keep_filter {
            self.form.clear_all();
        }
        let unreadable = loaded.store.sources.is_empty() || !loaded.errors.is_empty();
        self.show_sources = unreadable;
        if !loaded.errors.is_empty() {
            self.notify_error(format!(
                "{} could not be read: see Sources",
                plural(loaded.errors.len() as u64, "input", "inputs")
            ));
        }
        self.state.remember(&paths);
        self.forget_views();
        self.case = Some(Case {
            store: Arc::new(loaded.store),
            errors: loaded.errors,
            paths,
        });
        self.view = View::default();
        self.select_index(None);
        self.refilter();
    }

    /// Whether the open case's index is being built.
    fn indexing_current(&self) -> bool {
        match (&self.indexing, &self.case) {
            (Some(store), Some(case)) => Arc::ptr_eq(store, &case.store),
            _ => false,
        }
    }

    /// Starts building the case index once a case is open (also when it
    /// was opened before the first frame, or while another case's index
    /// was still being built).
    fn index_if_needed(&mut self) {
        if self.indexing_current() {
            return;
        }
        let (Some(case), Some(ctx)) = (&self.case, &self.ctx) else {
            return;
        };
        if case.store.case_index.get().is_none() {
            self.jobs.index_case(ctx, case.store.clone());
            self.indexing = Some(case.store.clone());
        }
    }

    fn receive(&mut self, message: Message) {
        match message {
            Message::Loaded { job, paths, loaded } => {
                let Some(loading) = self.loading.take_if(|l| l.job == job) else {
                    return;
                };
                if loaded.cancelled {
                    self.notify("Loading cancelled");
                    return;
                }
                self.install_case(*loaded, paths, loading.keep_filter);
            }
            Message::Indexed { store } => {
                if self
                    .indexing
                    .as_ref()
                    .is_some_and(|s| Arc::ptr_eq(s, &store))
                {
                    self.indexing = None;
                }
                // The Visible-by list can now be shown.
                if self
                    .case
                    .as_ref()
                    .is_some_and(|c| Arc::ptr_eq(&c.store, &store))
                {
                    self.refilter();
                }
            }
            Message::Analyzed { job, analysis } => {
                if self.analysis_job != Some(job) {
                    return;
                }
                self.analysis_job = None;
                let part = analysis.part();
                self.analyses.retain(|a| a.part() != part);
                self.analyses.push(Arc::from(analysis));
                if part == Part::Nodes {
                    self.visible_counts.clear();
                    self.select_node(None);
                }
            }
            Message::Filtered { job, result } => {
                if self.filter_job != Some(job) {
                    return;
                }
                self.filter_job = None;
                match result {
                    Ok(view) => {
                        self.view = *view;
                        self.locate_selected();
                        // The selected event stays in sight across filters and sorts.
                        self.scroll_to_selected = self.selected_pos.is_some();
                    }
                    Err(e) => self.notify_error(format!("Filter: {e}")),
                }
            }
            Message::Exported { job, result } => {
                if self.exporting.as_ref().map(|e| e.job) != Some(job) {
                    return;
                }
                self.exporting = None;
                match result {
                    Ok(summary) => self.notify(format!(
                        "Exported {} to {} ({}); provenance in {}",
                        plural(summary.rows as u64, "row", "rows"),
                        summary.output,
                        summary.format.as_str(),
                        crate::export::sidecar_path(std::path::Path::new(&summary.output))
                            .display()
                    )),
                    Err(e) => self.notify_error(format!("Export failed: {e}")),
                }
            }
            Message::Chosen { purpose, paths } => {
                self.dialog_open = false;
                if paths.is_empty() {
                    return;
                }
                match purpose {
                    Purpose::OpenFiles | Purpose::OpenFolder => {
                        self.apply(Command::OpenPaths(paths))
                    }
                    Purpose::Export => {
                        if let Some(path) = paths.into_iter().next() {
                            self.start_export(path);
                        }
                    }
                    Purpose::ExportReport(report) => {
                        if let Some(path) = paths.into_iter().next() {
                            self.start_report_export(report, path);
                        }
                    }
                }
            }
        }
    }

    fn start_report_export(&mut self, report: Report, output: PathBuf) {
        let Some(analysis) = self.analysis(Part::Reports) else {
            return;
        };
        let (Some(case), Some(ctx), Computed::Reports(reports)) =
            (&self.case, &self.ctx, &analysis.computed)
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
                .export_report(ctx, case.store.clone(), analysis.clone(), report, output);
        self.exporting = Some(Exporting {
            job,
            progress: None,
            total,
        });
    }

    fn start_export(&mut self, output: PathBuf) {
        let (Some(case), Some(ctx)) = (&self.case, &self.ctx) else {
            return;
        };
        let progress = Arc::new(AtomicU64::new(0));
        let total = self.view.selection.len() as u64;
        let job = self.jobs.export(
            ctx,
            case.store.clone(),
            self.view.selection.clone(),
            self.view.filter.clone(),
            self.zone,
            output,
            progress.clone(),
        );
        self.exporting = Some(Exporting {
            job,
            progress: Some(progress),
            total,
        });
    }

    fn choose(&mut self, purpose: Purpose) {
        let Some(ctx) = self.ctx.clone() else {
            return;
        };
        if self.dialog_open {
            return;
        }
        self.dialog_open = true;
        let suggested = match purpose {
            Purpose::ExportReport(report) => format!("auditview-{}-report.csv", report.as_str()),
            _ => "auditview-export.csv".to_string(),
        };
        self.jobs
            .choose(&ctx, self.chooser.clone(), purpose, suggested);
    }

    /// Carries out a command.
    pub fn apply(&mut self, command: Command) {
        match command {
            Command::OpenFilesDialog => self.choose(Purpose::OpenFiles),
            Command::OpenFolderDialog => self.choose(Purpose::OpenFolder),
            Command::OpenPaths(paths) => self.start_load(paths, false),
            Command::AddPaths(paths) => {
                let mut all = self
                    .case
                    .as_ref()
                    .map(|c| c.paths.clone())
                    .unwrap_or_default();
                for path in paths {
                    if !all.contains(&path) {
                        all.push(path);
                    }
                }
                self.start_load(all, true);
            }
            Command::OpenSample => match super::samples::materialize(&self.sample_folder) {
                Ok(folder) => self.start_load(vec![folder], false),
                Err(e) => self.notify_error(format!("The sample case could not be written: {e}")),
            },
            Command::CancelLoad => {
                if let Some(loading) = &self.loading {
                    loading.progress.cancel.store(true, Ordering::Relaxed);
                }
            }
            Command::CloseCase => {
                self.forget_views();
                self.case = None;
                self.view = View::default();
                self.select_index(None);
                self.filter_job = None;
                self.show_sources = false;
                self.form.clear_all();
            }
            Command::FilterEdited => self.refilter(),
            Command::QuickRange(range) => {
                let span = self.case.as_ref().and_then(|c| c.store.span());
                match (range, span) {
                    (QuickRange::WholeCase, _) | (_, None) => self.set_dates(None, None),
                    (QuickRange::LastDay, Some((_, last))) => {
                        self.set_dates(Some(last - DAY_MS + 1), Some(last))
                    }
                    (QuickRange::LastWeek, Some((_, last))) => {
                        self.set_dates(Some(last - 7 * DAY_MS + 1), Some(last))
                    }
                }
                self.refilter();
            }
            Command::SetDates(from, to) => {
                self.set_dates(from, to);
                self.refilter();
            }
            Command::ClearCriterion(label) => {
                self.form.clear(label);
                self.refilter();
            }
            Command::ClearAll => {
                self.form.clear_all();
                self.refilter();
            }
            Command::SavePreset(name) => {
                let filter = self.form.build(self.zone).0;
                self.state.presets.retain(|p| p.name != name);
                self.state.presets.push(Preset {
                    name: name.clone(),
                    filter,
                });
                self.notify(format!("Saved the preset \"{name}\""));
            }
            Command::LoadPreset(index) => {
                if let Some(preset) = self.state.presets.get(index) {
                    let preset_name = preset.name.clone();
                    self.form = FilterForm::from_filter(&preset.filter, self.zone);
                    self.form.preset_name = preset_name;
                    self.refilter();
                }
            }
            Command::DeletePreset(index) => {
                if index < self.state.presets.len() {
                    self.state.presets.remove(index);
                }
            }
            Command::Select(index) => self.select_index(index),
            Command::SetTab(tab) => self.tab = tab,
            Command::ShowReport(report) => self.report = report,
            Command::ExportReport(report) => {
                if self.exporting.is_none() && self.analysis(Part::Reports).is_some() {
                    self.choose(Purpose::ExportReport(report));
                }
            }
            Command::SelectNode(index) => self.select_node(index),
            Command::RevealEvent(row) => {
                self.tab = Tab::Events;
                self.selected = Some(row);
                self.locate_selected();
                if self.selected_pos.is_some() {
                    self.scroll_to_selected = true;
                } else {
                    // Not in the view: show every event, then find it.
                    self.form.clear_all();
                    self.refilter();
                    self.notify("The filter was cleared to show that event");
                }
            }
            Command::RevealSelected => self.scroll_to_selected = true,
            Command::Pivot(pivot) => {
                match pivot {
                    Pivot::User(user) => self.form.base.users = vec![user],
                    Pivot::Node(path) => {
                        self.form.base.paths.clear();
                        self.form.path = path;
                    }
                    Pivot::Request(id) => self.form.base.requests = vec![id],
                    Pivot::Ip(ip) => {
                        self.form.base.ips.clear();
                        self.form.ip = ip;
                    }
                    Pivot::Around(time) => {
                        self.set_dates(Some(time - 5 * MINUTE_MS), Some(time + 5 * MINUTE_MS))
                    }
                }
                self.refilter();
            }
            Command::SetZone(zone) => {
                // Typed dates keep their meaning as instants: rewrite them in the new zone.
                let (filter, _) = self.form.build(self.zone);
                self.zone = zone;
                self.state.zone = zone.name();
                if !matches!(zone, Zone::Named(_)) {
                    self.zone_text.clear();
                } else if Zone::parse(&self.zone_text).ok() != Some(zone) {
                    self.zone_text = zone.name();
                }
                if self.form_errors.from.is_none() {
                    self.form.from = filter.from.map(|t| zone.format(t)).unwrap_or_default();
                }
                if self.form_errors.to.is_none() {
                    self.form.to = filter.to.map(|t| zone.format(t)).unwrap_or_default();
                }
                self.refilter();
            }
            Command::Export => {
                if self.case.is_some() && self.exporting.is_none() {
                    self.choose(Purpose::Export);
                }
            }
            Command::ToggleColumn(column) => {
                let hidden = &mut self.state.hidden_columns;
                if hidden.iter().any(|h| h == column.name()) {
                    hidden.retain(|h| h != column.name());
                } else if hidden.len() + 1 < Column::ALL.len() {
                    hidden.push(column.name().to_string());
                }
            }
            Command::SortBy(column) => {
                let (current, _) = self.sort();
                self.state.sort_descending = current == column && !self.state.sort_descending;
                self.state.sort_column = column.name().to_string();
                let sort = self.sort().1;
                if let (Some(case), Some(ctx)) = (&self.case, &self.ctx) {
                    let job = self
                        .jobs
                        .sort(ctx, case.store.clone(), self.view.clone(), sort);
                    self.filter_job = Some(job);
                }
            }
            Command::ShowSources(show) => self.show_sources = show,
            Command::DismissNotices => self.notices.clear(),
        }
    }
}

fn loading_ui(ui: &mut Ui, progress: &LoadProgress) -> Vec<Command> {
    let mut commands = Vec::new();
    let total = progress.total_bytes.load(Ordering::Relaxed);
    let read = progress.read_bytes.load(Ordering::Relaxed);
    let events = progress.events.load(Ordering::Relaxed);
    let file = progress
        .current_file
        .lock()
        .map(|f| f.clone())
        .unwrap_or_default();
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.3);
        ui.heading("Loading...");
        ui.add_space(8.0);
        let fraction = if total > 0 {
            read as f32 / total as f32
        } else {
            0.0
        };
        ui.add(
            egui::ProgressBar::new(fraction.min(1.0))
                .desired_width(480.0)
                .text(format!("{} of {}", bytes(read), bytes(total))),
        );
        ui.label(format!("Reading {}", super::display::reveal(&file)));
        ui.label(format!("{} so far", plural(events, "event", "events")));
        ui.add_space(8.0);
        if ui.button("Cancel").clicked() {
            commands.push(Command::CancelLoad);
        }
    });
    commands
}

impl eframe::App for AuditApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        storage.set_string(STATE_KEY, self.state.to_json());
    }
}
