//! The time zone picker of the top bar: UTC, local, a few common zones, and
//! a box for any IANA name.

use egui::Ui;

use crate::time::Zone;
use crate::ui::command::Command;

/// `zone_text` is the IANA box as typed; a valid name sets the zone.
#[must_use]
pub fn zone_picker_ui(ui: &mut Ui, zone: Zone, zone_text: &mut String) -> Vec<Command> {
    let mut commands = Vec::new();
    let zone_label = ui.label("Time zone");
    let combo = egui::ComboBox::from_id_salt("zone")
        .selected_text(zone.name())
        .show_ui(ui, |ui| {
            for choice in [Zone::Utc, Zone::Local] {
                if ui.selectable_label(zone == choice, choice.name()).clicked() {
                    commands.push(Command::SetZone(choice));
                }
            }
            for name in [
                "Europe/London",
                "Europe/Paris",
                "America/New_York",
                "America/Los_Angeles",
                "Asia/Tokyo",
                "Australia/Sydney",
            ] {
                if let Ok(choice) = Zone::parse(name)
                    && ui.selectable_label(zone == choice, name).clicked()
                {
                    commands.push(Command::SetZone(choice));
                }
            }
        });
    combo.response.labelled_by(zone_label.id);
    let label = ui.label("IANA zone");
    let valid = zone_text.trim().is_empty() || Zone::parse(zone_text).is_ok();
    let mut edit = egui::TextEdit::singleline(zone_text)
        .hint_text("e.g. Europe/Berlin")
        .desired_width(120.0);
    if !valid {
        edit = edit.text_color(ui.visuals().error_fg_color);
    }
    let response = ui.add(edit).labelled_by(label.id);
    if response.changed()
        && let Ok(typed) = Zone::parse(zone_text)
        && typed != zone
    {
        commands.push(Command::SetZone(typed));
    }
    commands
}
