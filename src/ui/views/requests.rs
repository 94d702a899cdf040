//! The Requests view: the matched events grouped by request, each with its
//! start, duration, actor, address, size and actions, expandable to its lines.

use egui::{RichText, Ui};

use crate::analysis::requests::RequestIndex;
use crate::display::{plural, reveal, thousands};
use crate::model::{Store, TextField};
use crate::time::Zone;
use crate::ui::command::{Command, Pivot};

/// Requests drawn at most; the rest are counted (filter to narrow).
const SHOWN: usize = 500;

pub fn requests_ui(
    ui: &mut Ui,
    store: &Store,
    requests: &RequestIndex,
    zone: Zone,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.label(format!("{} requests", thousands(requests.len() as u64)));
    egui::ScrollArea::vertical()
        .id_salt("requests")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for request in requests.requests.iter().take(SHOWN) {
                let id = requests.id(store, request);
                let header = format!(
                    "{}  {:.1} s  {}  {}  {}  {}",
                    zone.format(request.start_ms),
                    request.duration_ms() as f64 / 1000.0,
                    reveal(requests.first(store, request, TextField::Actor)),
                    requests.first(store, request, TextField::Ip),
                    plural(request.len() as u64, "event", "events"),
                    reveal(&requests.summary(store, request))
                );
                let text = if request.failures > 0 {
                    RichText::new(header).color(ui.visuals().error_fg_color)
                } else {
                    RichText::new(header)
                };
                egui::CollapsingHeader::new(text)
                    .id_salt(("request", request.id))
                    .show(ui, |ui| {
                        ui.horizontal(|ui| {
                            ui.label(RichText::new(reveal(id)).monospace());
                            if ui.button("Only this request").clicked() {
                                commands.push(Command::Pivot(Pivot::Request(id.to_string())));
                            }
                        });
                        for &row in requests.rows(request) {
                            let r = row as usize;
                            ui.horizontal(|ui| {
                                let time = zone.format(store.events.time_ms[r]);
                                if ui.link(time).on_hover_text("Show this event").clicked() {
                                    commands.push(Command::RevealEvent(row));
                                }
                                ui.label(format!(
                                    "{}  {}  {}",
                                    reveal(store.events.text(TextField::Action, r)),
                                    store.events.outcome[r],
                                    reveal(store.events.text(TextField::NodePath, r))
                                ));
                            });
                        }
                    });
            }
            if requests.len() > SHOWN {
                ui.label(format!(
                    "… and {} more: narrow the filter to see them",
                    thousands((requests.len() - SHOWN) as u64)
                ));
            }
        });
    commands
}
