//! The top bar: the File, View and Help menus, and once a case is open the search
//! box, the time zone picker and the sources button.

use egui::{RichText, Ui};

use crate::display::{plural, thousands};
use crate::model::Store;
use crate::sources::LoadError;
use crate::time::Zone;
use crate::ui::command::{Command, TableColumn};
use crate::ui::shortcuts::{Action, SHORTCUTS, TABLE_KEYS, keys_text, menu_text};
use crate::ui::state::{FileDialogs, SecondLaunch, State};

use super::Chrome;
use super::zone_picker::zone_picker_ui;

/// The open case, as the sources button tells of it.
pub struct CaseSources<'a> {
    pub store: &'a Store,
    /// Inputs that could not be read.
    pub errors: &'a [LoadError],
    /// Whether the Sources window is open (the button toggles it).
    pub shown: bool,
}

/// `settings` are edited in place (column visibility through commands);
/// `search` is the filter form's text box.
#[must_use]
pub fn top_bar_ui(
    ui: &mut Ui,
    chrome: &mut Chrome,
    settings: &mut State,
    search: &mut String,
    zone: Zone,
    case: Option<CaseSources<'_>>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let has_case = case.is_some();
    egui::Panel::top("top-bar").show(ui, |ui| {
        // A small window takes the zone and sources on a second line.
        let narrow = ui.available_width() < 1040.0;
        egui::MenuBar::new().ui(ui, |ui| {
            // .ci/gui-smoke clicks "Export view..." where this menu puts it:
            // an item added above it moves it (update the smoke's y there).
            ui.menu_button("File", |ui| {
                if ui.button(menu_text(ui.ctx(), Action::OpenFiles)).clicked() {
                    commands.push(Command::OpenFilesDialog);
                }
                if ui.button(menu_text(ui.ctx(), Action::OpenFolder)).clicked() {
                    commands.push(Command::OpenFolderDialog);
                }
                if ui.button("Open the sample case").clicked() {
                    commands.push(Command::OpenSample);
                }
                ui.separator();
                if ui.button("Open case...").clicked() {
                    commands.push(Command::OpenCaseDialog);
                }
                if ui
                    .add_enabled(has_case, egui::Button::new("New case..."))
                    .on_hover_text("A case file holding the open evidence; stars, tags and notes are saved in it as you make them")
                    .clicked()
                {
                    commands.push(Command::NewCaseDialog);
                }
                if ui
                    .add_enabled(has_case, egui::Button::new("Case report..."))
                    .on_hover_text("One HTML file: evidence and hashes, marked events with their source lines, the action log; prints to PDF")
                    .clicked()
                {
                    commands.push(Command::CaseReportDialog);
                }
                if ui
                    .add_enabled(has_case, egui::Button::new("Find moved evidence..."))
                    .on_hover_text("Look in a folder for the case's evidence by its SHA-256, then load it again")
                    .clicked()
                {
                    commands.push(Command::RelocateEvidenceDialog);
                }
                ui.separator();
                if ui
                    .add_enabled(has_case, egui::Button::new(menu_text(ui.ctx(), Action::Export)))
                    .clicked()
                {
                    commands.push(Command::Export);
                }
                if ui
                    .add_enabled(has_case, egui::Button::new("Save filter as..."))
                    .on_hover_text(
                        "The filter as JSON, as `auditview export --filter-file` reads it",
                    )
                    .clicked()
                {
                    commands.push(Command::SaveFilterDialog);
                }
                if ui
                    .add_enabled(has_case, egui::Button::new("Open filter..."))
                    .clicked()
                {
                    commands.push(Command::OpenFilterDialog);
                }
                if ui
                    .add_enabled(has_case, egui::Button::new("Copy as command line"))
                    .on_hover_text("An `auditview export` command that writes the rows shown")
                    .clicked()
                {
                    commands.push(Command::CopyCommandLine);
                }
                ui.separator();
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
                for column in TableColumn::ALL {
                    let mut shown = !settings.hidden_columns.contains(&column);
                    if ui.checkbox(&mut shown, column.name()).changed() {
                        commands.push(Command::ToggleColumn(column));
                    }
                }
                ui.separator();
                ui.checkbox(&mut settings.show_filters, "Filter panel");
                ui.checkbox(&mut settings.show_details, "Details pane");
                ui.separator();
                ui.label(RichText::new("File dialogs").strong());
                for dialogs in FileDialogs::ALL {
                    if ui
                        .radio(settings.file_dialogs == dialogs, dialogs.label())
                        .clicked()
                    {
                        commands.push(Command::SetFileDialogs(dialogs));
                    }
                }
                ui.separator();
                ui.label(RichText::new("Files opened from the desktop while a case is open").strong());
                for choice in SecondLaunch::ALL {
                    if ui
                        .radio(settings.second_launch == choice, choice.label())
                        .clicked()
                    {
                        commands.push(Command::SetSecondLaunch(choice));
                    }
                }
            });
            ui.menu_button("Help", |ui| {
                if ui.button("About auditview").clicked() {
                    chrome.about_open = true;
                }
                ui.menu_button("Keyboard shortcuts", |ui| {
                    for shortcut in SHORTCUTS {
                        ui.label(format!(
                            "{}: {}",
                            ui.ctx().format_shortcut(&shortcut.keys),
                            shortcut.label
                        ));
                    }
                    ui.label(TABLE_KEYS);
                });
            });
            let Some(case) = &case else {
                return;
            };
            ui.separator();
            let label = ui.label("Search");
            // Focused before it is drawn, so letters typed in the frame of
            // Ctrl+F are its own, not lost.
            let id = ui.make_persistent_id("search");
            if chrome.focus_search {
                ui.memory_mut(|memory| memory.request_focus(id));
                chrome.focus_search = false;
            }
            let response = ui
                .add(
                    egui::TextEdit::singleline(search)
                        .id(id)
                        .hint_text(format!("text in any field ({})", keys_text(ui.ctx(), Action::Find)))
                        .desired_width(220.0),
                )
                .labelled_by(label.id);
            if response.changed() {
                commands.push(Command::FilterEdited);
            }
            if !narrow {
                ui.separator();
                commands.extend(zone_picker_ui(ui, zone, &mut chrome.zone_text));
                ui.separator();
                commands.extend(sources_button_ui(ui, case));
            }
        });
        if let (true, Some(case)) = (narrow, &case) {
            ui.horizontal(|ui| {
                commands.extend(zone_picker_ui(ui, zone, &mut chrome.zone_text));
                ui.separator();
                commands.extend(sources_button_ui(ui, case));
            });
        }
    });
    commands
}

/// "Sources: N files, M rejected", with the inputs not read; toggles the window.
#[must_use]
fn sources_button_ui(ui: &mut Ui, case: &CaseSources<'_>) -> Vec<Command> {
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
        vec![Command::ShowSources(!case.shown)]
    } else {
        Vec::new()
    }
}
