//! The loading screen: bytes read of the total, the file being read, the
//! events so far, and Cancel.

use std::sync::atomic::Ordering;

use egui::Ui;

use crate::display::{bytes, plural, reveal};
use crate::sources::LoadProgress;
use crate::ui::command::Command;

#[must_use]
pub fn loading_ui(ui: &mut Ui, progress: &LoadProgress) -> Vec<Command> {
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
        ui.label(format!("Reading {}", reveal(&file)));
        ui.label(format!("{} so far", plural(events, "event", "events")));
        ui.add_space(8.0);
        if ui.button("Cancel").clicked() {
            commands.push(Command::CancelLoad);
        }
    });
    commands
}
