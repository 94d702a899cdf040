//! Help > About: what this binary is (version, commit, build day), so a
//! report or a bug can name the exact build.

use egui::{RichText, Ui};

use crate::build_info;
use crate::ui::command::Command;

/// The About window while `open`; its Copy button puts the version line on
/// the clipboard.
#[must_use]
pub fn about_ui(ui: &mut Ui, open: &mut bool) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::Window::new("About auditview")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .constrain(true)
        .show(ui.ctx(), |ui| {
            ui.label(RichText::new("auditview").heading().strong());
            ui.label("Offline viewer for exported audit logs: DNAnexus Audit Trail, Pydio Cells, Illumina BaseSpace.");
            ui.add_space(6.0);
            egui::Grid::new("about-grid").num_columns(2).show(ui, |ui| {
                for (label, value) in [
                    ("Version", build_info::VERSION),
                    ("Commit", build_info::COMMIT),
                    ("Built", build_info::BUILD_DATE),
                    ("License", env!("CARGO_PKG_LICENSE")),
                ] {
                    ui.label(label);
                    ui.label(RichText::new(value).monospace());
                    ui.end_row();
                }
            });
            ui.add_space(6.0);
            if ui.button("Copy version").clicked() {
                commands.push(Command::CopyText {
                    text: format!("auditview {}", build_info::LONG_VERSION),
                    what: "Version".to_string(),
                });
            }
        });
    commands
}
