//! The tab bar above the central panel's view.

use egui::Ui;

use crate::ui::command::{Command, Tab};

pub fn tabs_ui(ui: &mut Ui, current: Tab) -> Vec<Command> {
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
