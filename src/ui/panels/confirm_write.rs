//! The question asked before saving among the evidence: a file written in
//! an evidence folder would be read with the evidence the next time the
//! folder is loaded, so the place is confirmed or another one chosen.

use std::path::Path;

use crate::ui::command::Command;

/// The modal question while a save among the evidence waits for an answer.
#[must_use]
pub fn confirm_write_ui(ctx: &egui::Context, target: Option<&Path>) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(target) = target else {
        return commands;
    };
    let modal = egui::Modal::new(egui::Id::unique("confirm-write")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading("Save among the evidence?");
        ui.monospace(crate::display::reveal(&target.display().to_string()));
        ui.add_space(4.0);
        ui.label(
            "This folder holds evidence of the open case. A file saved here is \
             read with the evidence the next time the folder is loaded (an \
             auditview export is then set aside as derived, other files are not).",
        );
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Choose another place").clicked() {
                commands.push(Command::ConfirmWrite(false));
            }
            if ui.button("Save here").clicked() {
                commands.push(Command::ConfirmWrite(true));
            }
        });
    });
    if modal.should_close() && commands.is_empty() {
        commands.push(Command::CancelWrite);
    }
    commands
}
