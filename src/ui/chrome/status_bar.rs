//! The status bar: events matched of the case, a filter or export under way,
//! and the latest notice with a button to dismiss them.

use egui::{RichText, Ui};

use crate::display::thousands;
use crate::ui::command::Command;

use super::Notice;

/// An export under way.
#[derive(Debug, Clone, Copy)]
pub struct ExportProgress {
    /// Rows written so far, when the writer counts them (event exports).
    pub done: Option<u64>,
    pub total: u64,
}

/// `counts` are events matched and events loaded, once a case is open.
#[must_use]
pub fn status_bar_ui(
    ui: &mut Ui,
    counts: Option<(usize, usize)>,
    filtering: bool,
    export: Option<ExportProgress>,
    notices: &[Notice],
) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::Panel::bottom("status-bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            if let Some((matched, total)) = counts {
                ui.label(format!(
                    "{} of {} events",
                    thousands(matched as u64),
                    thousands(total as u64)
                ));
            }
            if filtering {
                ui.spinner();
                ui.label("filtering...");
            }
            if let Some(export) = export {
                match export.done {
                    Some(done) => {
                        let fraction = done as f32 / export.total.max(1) as f32;
                        ui.add(
                            egui::ProgressBar::new(fraction.min(1.0))
                                .desired_width(200.0)
                                .text(format!(
                                    "exporting {} of {} rows",
                                    thousands(done),
                                    thousands(export.total)
                                )),
                        );
                    }
                    None => {
                        ui.spinner();
                        ui.label(format!("exporting {} rows", thousands(export.total)));
                    }
                }
            }
            if !notices.is_empty() {
                ui.separator();
                if ui
                    .small_button("×")
                    .on_hover_text("Dismiss messages")
                    .clicked()
                {
                    commands.push(Command::DismissNotices);
                }
                if let Some(notice) = notices.last() {
                    let text = RichText::new(&notice.text);
                    ui.label(if notice.error {
                        text.color(ui.visuals().error_fg_color)
                    } else {
                        text
                    });
                }
            }
        });
    });
    commands
}
