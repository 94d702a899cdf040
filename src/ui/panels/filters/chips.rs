//! The active criteria above the central view, as removable chips, with
//! "Clear all".

use egui::{Color32, RichText, Ui};

use crate::display::reveal;
use crate::query::Filter;
use crate::ui::command::Command;

/// The active criteria as removable chips, with "Clear all".
#[must_use]
pub fn chips_ui(ui: &mut Ui, filter: &Filter) -> Vec<Command> {
    let mut commands = Vec::new();
    let criteria = filter.describe();
    if criteria.is_empty() {
        ui.label(RichText::new("No filter: every event is shown").weak());
        return commands;
    }
    ui.horizontal_wrapped(|ui| {
        for &(criterion, ref text) in &criteria {
            let label = criterion.label();
            let chip = format!("{label}: {}  ×", reveal(text));
            let button = egui::Button::new(RichText::new(chip).color(Color32::WHITE))
                .fill(ui.visuals().selection.bg_fill)
                .corner_radius(8.0);
            if ui
                .add(button)
                .on_hover_text(format!("Remove the {} criterion", label.to_lowercase()))
                .clicked()
            {
                commands.push(Command::ClearCriterion(criterion));
            }
        }
        if ui.button("Clear all").clicked() {
            commands.push(Command::ClearAll);
        }
    });
    commands
}
