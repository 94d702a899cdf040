//! The welcome screen, shown while nothing is loaded.

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::display::reveal;
use crate::ui::command::Command;

#[must_use]
pub fn welcome_ui(ui: &mut Ui, recent: &[PathBuf]) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.12);
        ui.heading(RichText::new("auditview").size(32.0));
        ui.label("Offline viewer for DNAnexus, Pydio Cells and Illumina BaseSpace audit exports");
        ui.add_space(24.0);
        let size = egui::vec2(220.0, 32.0);
        if ui
            .add_sized(size, egui::Button::new("Open files..."))
            .clicked()
        {
            commands.push(Command::OpenFilesDialog);
        }
        if ui
            .add_sized(size, egui::Button::new("Open folder..."))
            .clicked()
        {
            commands.push(Command::OpenFolderDialog);
        }
        if ui
            .add_sized(size, egui::Button::new("Open the sample case"))
            .clicked()
        {
            commands.push(Command::OpenSample);
        }
        ui.add_space(16.0);
        ui.label(RichText::new("or drop files and folders on this window").weak());
        if !recent.is_empty() {
            ui.add_space(24.0);
            ui.strong("Recent");
            for path in recent {
                let exists = path.exists();
                let text = reveal(&path.display().to_string()).into_owned();
                let response = ui.add_enabled(exists, egui::Button::new(text).frame(false));
                let response = if exists {
                    response
                } else {
                    response.on_disabled_hover_text("No longer there")
                };
                if response.clicked() {
                    commands.push(Command::OpenPaths(vec![path.clone()]));
                }
            }
        }
    });
    commands
}
