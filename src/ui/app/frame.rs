//! What one frame draws for an open case (the filter panel, the details
//! pane, the tab's view, the Sources window) and what it reads from the
//! keyboard and from dropped files.

use std::path::PathBuf;

use egui::{Key, Modifiers, Ui};

use crate::model::annotations::Mark;
use crate::time::Zone;
use crate::ui::chrome::tabs::tabs_ui;
use crate::ui::command::{Command, Tab};
use crate::ui::computed::{Computed, Part};
use crate::ui::panels::details::{CaseMarks, details_ui};
use crate::ui::panels::filters::{CaseSection, chips_ui, filters_ui};
use crate::ui::panels::sources::{GeoipSection, sources_ui};
use crate::ui::shortcuts::{self, Action};
use crate::ui::views::Views;
use crate::ui::views::events_table::{TableView, events_table_ui};
use crate::ui::views::findings::findings_ui;
use crate::ui::views::nodes::{node_details_ui, nodes_table_ui};
use crate::ui::views::people::people_ui;
use crate::ui::views::reports::reports_ui;
use crate::ui::views::requests::requests_ui;
use crate::ui::views::timeline::timeline_ui;
use crate::ui::widgets::event_actions::copy_row;

use super::session::Session;
use super::{AuditApp, tab_part};

/// Marks on nodes and resources, by `NodeRow::mark_key`.
type NodeMarks = std::collections::BTreeMap<String, crate::model::annotations::Annotation>;

/// Rows a Page Up / Page Down moves.
const PAGE_ROWS: usize = 20;
/// Narrower than this, the details pane goes under the table.
const NARROW_WINDOW: f32 = 1100.0;

impl AuditApp {
    /// Shortcuts, table keys and dropped files, as commands.
    #[must_use]
    pub(super) fn input_commands(&mut self, ui: &mut Ui) -> Vec<Command> {
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
            commands.push(if self.session.is_some() {
                Command::AddPaths(dropped)
            } else {
                Command::OpenPaths(dropped)
            });
        }
        if self.chrome.file_chooser.is_some() {
            // The chooser is modal: the keys are its own.
            return commands;
        }
        for action in ui.input_mut(shortcuts::global_pressed) {
            match action {
                Action::OpenFolder => commands.push(Command::OpenFolderDialog),
                Action::OpenFiles => commands.push(Command::OpenFilesDialog),
                Action::Find => self.chrome.focus_search = true,
                Action::Export => commands.push(Command::Export),
                Action::CopyRow | Action::Star => {}
            }
        }
        if ui.ctx().egui_wants_keyboard_input() {
            return commands;
        }
        // Ctrl+C arrives as a copy event, not a key.
        let copy = ui.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Copy)));
        if let (true, Some(session)) = (copy, &self.session)
            && let Some(row) = session.event.pos.and(session.event.row)
        {
            commands.push(copy_row(&session.case.store, row as usize));
        }
        let esc_is_theirs = self.chrome.keyboard_taken;
        let Some(session) = &self.session else {
            return commands;
        };
        // S stars or unstars the selected event.
        if ui.input_mut(|i| shortcuts::pressed(i, Action::Star))
            && let Some(row) = session.event.pos.and(session.event.row)
        {
            let on = !session.case.annotations().starred(row as usize);
            commands.push(Command::MarkSelected(Mark::Star(on)));
        }
        let count = session.view.selection.len();
        if count == 0 {
            return commands;
        }
        let last = count - 1;
        let current = session.event.pos;
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
            if !esc_is_theirs && i.consume_key(Modifiers::NONE, Key::Escape) {
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

    /// The open case: filters on the left, details on the right, the tab's
    /// view in the middle, and the Sources window when open.
    #[must_use]
    pub(super) fn case_ui(&mut self, ui: &mut Ui) -> Vec<Command> {
        let columns = self.columns();
        let (sorted, _) = self.sort();
        let filtering = self.in_flight.filter.is_some();
        let zone = self.zone;
        let Some(session) = &mut self.session else {
            return Vec::new();
        };
        let case = session.case.clone();
        let store = &case.store;
        let mut commands = Vec::new();
        // In a small window the details go under the table, and the
        // panes take less of the width; each can be hidden (tab bar).
        let window = ui.available_rect_before_wrap();
        let narrow = window.width() < NARROW_WINDOW;
        if self.state.show_filters {
            egui::Panel::left("filters")
                .resizable(true)
                .default_size((window.width() * 0.25).clamp(200.0, 260.0))
                .max_size(window.width() * 0.45)
                .show(ui, |ui| {
                    let annotations = case.annotations();
                    let case_section = self.case.as_ref().map(|open| CaseSection {
                        name: open
                            .file
                            .path()
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        annotations: &annotations,
                        views: &open.views,
                        summary: &open.summary,
                    });
                    commands.extend(filters_ui(
                        ui,
                        &mut self.filters,
                        &session.view.facets,
                        &self.state.presets,
                        zone,
                        store,
                        case_section,
                    ));
                });
        }
        let selected_row = session.event.pos.and(session.event.row).map(|r| r as usize);
        if self.state.show_details && self.views.tab == Tab::Events {
            let panel = if narrow {
                egui::Panel::bottom("details-below")
                    .default_size(window.height() * 0.35)
                    .max_size(window.height() * 0.7)
            } else {
                egui::Panel::right("details")
                    .default_size(360.0_f32.min(window.width() * 0.3))
                    .max_size(window.width() * 0.5)
            };
            let annotations = case.annotations();
            let marks = CaseMarks {
                annotation: selected_row.and_then(|r| annotations.get(r)),
                case_open: self.case.is_some(),
            };
            let places = case.places();
            panel.resizable(true).show(ui, |ui| {
                commands.extend(details_ui(ui, store, selected_row, zone, marks, &places));
            });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            commands.extend(chips_ui(ui, &session.view.filter));
            ui.add_space(4.0);
            commands.extend(tabs_ui(
                ui,
                self.views.tab,
                self.state.show_filters,
                self.state.show_details,
            ));
            if self.views.tab != Tab::Events {
                let part = tab_part(self.views.tab);
                let node_marks = self.case.as_ref().map(|open| &open.node_marks);
                let no_reviews = std::collections::BTreeSet::new();
                let reviewed = self
                    .case
                    .as_ref()
                    .map_or(&no_reviews, |open| &open.reviewed);
                commands.extend(analysis_ui(
                    ui,
                    session,
                    part,
                    &mut self.views,
                    zone,
                    node_marks,
                    reviewed,
                ));
                return;
            }
            commands.extend(timeline_ui(
                ui,
                session.view.timeline.as_ref(),
                zone,
                &mut self.views.timeline_drag,
            ));
            ui.add_space(4.0);
            let annotations = case.annotations();
            let places = case.places();
            let view = TableView {
                store,
                rows: &session.view.order,
                columns: &columns,
                zone,
                sort: (sorted, self.state.sort_descending),
                selected: session.event.pos,
                scroll_to_selected: session.event.scroll_to,
                annotations: &annotations,
                places: &places,
            };
            if view.rows.is_empty() && !filtering {
                ui.label("No event matches the filter.");
            }
            commands.extend(events_table_ui(ui, &view));
        });
        let mut open = session.show_sources;
        let screen = ui.ctx().content_rect();
        egui::Window::new("Sources")
            .open(&mut open)
            .default_size([
                (screen.width() - 40.0).min(900.0),
                (screen.height() - 80.0).min(500.0),
            ])
            .max_size(screen.size() - egui::vec2(20.0, 40.0))
            .constrain(true)
            .show(ui.ctx(), |ui| {
                let places = session.case.places();
                let geoip = GeoipSection {
                    in_use: &places.databases,
                    settings: &self.state.geoip_databases,
                    addresses: places.addresses,
                    located: places.located,
                };
                commands.extend(sources_ui(ui, &session.case.store, &session.errors, geoip));
            });
        if open != session.show_sources {
            commands.push(Command::ShowSources(open));
        }
        commands
    }
}

/// The Nodes, Requests or Reports view (`part`), once computed for the
/// current filter; `views` keeps the report shown and the Requests view's state.
#[must_use]
fn analysis_ui(
    ui: &mut Ui,
    session: &mut Session,
    part: Option<Part>,
    views: &mut Views,
    zone: Zone,
    node_marks: Option<&NodeMarks>,
    reviewed: &std::collections::BTreeSet<String>,
) -> Vec<Command> {
    let Some(analysis) = part.and_then(|part| session.analysis(part)) else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Computing…");
        });
        return Vec::new();
    };
    let store = &session.case.store;
    let mut commands = Vec::new();
    match &analysis.computed {
        Computed::Nodes(rows) => {
            commands.extend(nodes_table_ui(
                ui,
                &session.case,
                rows,
                session.node.index,
                zone,
                &mut session.visible_counts,
            ));
            ui.separator();
            match session.node.index.and_then(|i| rows.get(i)) {
                Some(row) => {
                    egui::ScrollArea::vertical()
                        .id_salt("node-details")
                        .show(ui, |ui| {
                            let marks = CaseMarks {
                                annotation: node_marks.and_then(|m| m.get(&row.mark_key())),
                                case_open: node_marks.is_some(),
                            };
                            commands.extend(node_details_ui(
                                ui,
                                store,
                                row,
                                session.node.activity.as_ref(),
                                zone,
                                marks,
                            ));
                        });
                }
                None => {
                    ui.label("Select a node to see its activity and who could see it.");
                }
            }
        }
        Computed::Requests(index) => {
            commands.extend(requests_ui(ui, store, index, zone, &mut views.requests));
        }
        Computed::Reports(reports) => {
            commands.extend(reports_ui(ui, reports, views.report, zone));
        }
        Computed::People(people) => {
            commands.extend(people_ui(ui, people, zone));
        }
        Computed::Findings(view) => {
            commands.extend(findings_ui(
                ui,
                view,
                zone,
                &mut views.findings,
                reviewed,
                node_marks.is_some(),
            ));
        }
    }
    commands
}
