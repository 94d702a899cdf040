//! The question asked when a second launch hands files to this window while
//! a case is open: add them to the case, or open them in a new window;
//! the answer can be remembered (View > Files opened from the desktop).

use std::path::PathBuf;

use crate::ui::command::Command;
use crate::ui::state::SecondLaunch;

/// What the question keeps between frames.
#[derive(Debug, Default)]
pub struct ArrivalQuestion {
    /// The files handed over, while the question is open.
    pub paths: Vec<PathBuf>,
    pub remember: bool,
}

/// The modal question while `question.paths` is not empty.
#[must_use]
pub fn arrival_ui(ctx: &egui::Context, question: &mut ArrivalQuestion) -> Vec<Command> {
    let mut commands = Vec::new();
    if question.paths.is_empty() {
        return commands;
    }
    let modal = egui::Modal::new(egui::Id::unique("arrival")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading("Open files from the desktop");
        ui.label("A case is open in this window. These files were opened from the desktop:");
        ui.add_space(4.0);
        for path in question.paths.iter().take(8) {
            ui.monospace(crate::display::reveal(&path.display().to_string()));
        }
        if question.paths.len() > 8 {
            ui.label(format!("and {} more", question.paths.len() - 8));
        }
        ui.add_space(8.0);
        ui.checkbox(&mut question.remember, "Remember my choice");
        ui.horizontal(|ui| {
            let paths = question.paths.clone();
            let remember = question.remember;
            let mut choose = |choice: SecondLaunch, command: Command| {
                if remember {
                    commands.push(Command::SetSecondLaunch(choice));
                }
                commands.push(command);
            };
            if ui.button("Add to this case").clicked() {
                choose(SecondLaunch::AddToCase, Command::AddPaths(paths.clone()));
            }
            if ui.button("Open in a new window").clicked() {
                choose(SecondLaunch::NewWindow, Command::OpenInNewWindow(paths));
            }
            if ui.button("Cancel").clicked() {
                commands.push(Command::DismissArrival);
            }
        });
    });
    if modal.should_close() && commands.is_empty() {
        commands.push(Command::DismissArrival);
    }
    if !commands.is_empty() {
        question.paths.clear();
        question.remember = false;
    }
    commands
}
