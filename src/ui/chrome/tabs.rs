//! The tab bar above the central panel's view, with the switches that show
//! or hide the panes beside it (room for the table in a small window).

use egui::Ui;

use crate::ui::command::{Command, Tab};

/// `filters` and `details`: whether those panes show.
#[must_use]
pub fn tabs_ui(ui: &mut Ui, current: Tab, filters: bool, details: bool) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal_wrapped(|ui| {
        if ui
            .selectable_label(filters, "Filters")
            .on_hover_text("Show or hide the filter panel")
            .clicked()
        {
            commands.push(Command::ShowFilters(!filters));
        }
        ui.separator();
        for (tab, name) in [
            (Tab::Events, "Events"),
            (Tab::Nodes, "Nodes"),
            (Tab::Requests, "Requests"),
            (Tab::Reports, "Reports"),
            (Tab::People, "People"),
            (Tab::Findings, "Findings"),
        ] {
            if ui.selectable_label(current == tab, name).clicked() && current != tab {
                commands.push(Command::SetTab(tab));
            }
        }
        if current == Tab::Events {
            ui.separator();
            if ui
                .selectable_label(details, "Details")
                .on_hover_text("Show or hide the selected event's details")
                .clicked()
            {
                commands.push(Command::ShowDetails(!details));
            }
        }
    });
    commands
}
