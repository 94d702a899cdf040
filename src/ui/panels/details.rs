//! The details pane of the selected event: every normalized field, the
//! original fields pretty-printed, the source file and line, and pivots.

use egui::{RichText, Ui};

use crate::display::reveal;
use crate::geo::Places;
use crate::model::annotations::Annotation;
use crate::model::{Store, TextField};
use crate::time::Zone;
use crate::ui::command::Command;
use crate::ui::widgets::event_actions::{copy_buttons_ui, marks_ui, pivot_buttons_ui};

fn field_label(field: TextField) -> &'static str {
    match field {
        TextField::Actor => "Actor",
        TextField::Ip => "IP",
        TextField::UserAgent => "User agent",
        TextField::Action => "Action",
        TextField::NodePath => "Node path",
        TextField::Resource => "Resource",
        TextField::ResourceName => "Resource name",
        TextField::Owner => "Owner",
        TextField::ObjectId => "Object ID",
        TextField::ObjectName => "Object name",
        TextField::RequestId => "Request ID",
        TextField::TokenLabel => "Token label",
        TextField::TokenSuffix => "Token suffix",
        TextField::Message => "Message",
        TextField::Details => "Details",
        TextField::OriginFile => "Origin file",
        TextField::OriginLine => "Origin line",
        TextField::OriginSha256 => "Origin SHA-256",
    }
}

/// The original fields as indented JSON, or the text as it is when it is not JSON.
pub fn pretty_details(details: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(details) {
        Ok(value) => serde_json::to_string_pretty(&value).unwrap_or_else(|_| details.to_string()),
        Err(_) => details.to_string(),
    }
}

/// The case file's marks on the event shown, and whether one is open.
pub struct CaseMarks<'a> {
    pub annotation: Option<&'a Annotation>,
    pub case_open: bool,
}

#[must_use]
pub fn details_ui(
    ui: &mut Ui,
    store: &Store,
    row: Option<usize>,
    zone: Zone,
    marks: CaseMarks<'_>,
    places: &Places,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.heading("Event details");
    let Some(row) = row.filter(|r| *r < store.events.len()) else {
        ui.label(RichText::new("Select an event in the table to see all its fields.").weak());
        return commands;
    };
    let events = &store.events;
    ui.horizontal_wrapped(|ui| {
        commands.extend(pivot_buttons_ui(ui, store, row));
        ui.menu_button("Copy", |ui| {
            commands.extend(copy_buttons_ui(ui, store, row, None));
        });
    });
    let key = crate::model::annotations::event_key(store, row);
    commands.extend(marks_ui(
        ui,
        &format!("event-{row}"),
        marks.annotation,
        marks.case_open,
        |mark| Command::MarkEvent {
            row: row as u32,
            key: key.clone(),
            mark,
        },
    ));
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("details")
        .show(ui, |ui| {
            egui::Grid::new("details-grid")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    let line = |ui: &mut Ui, name: &str, value: String| {
                        ui.label(RichText::new(name).strong());
                        ui.add(egui::Label::new(value).wrap().selectable(true));
                        ui.end_row();
                    };
                    let time = events.time_ms.get(row).copied().unwrap_or(0);
                    line(ui, &format!("Time ({})", zone.name()), zone.format(time));
                    if zone != Zone::Utc {
                        line(ui, "Time (UTC)", crate::time::format_utc(time));
                    }
                    let offset = events.utc_offset_min.get(row).copied().unwrap_or(0);
                    if offset != 0 {
                        line(
                            ui,
                            "Source offset",
                            format!("{:+03}:{:02}", offset / 60, (offset % 60).abs()),
                        );
                    }
                    let enum_text = |v: Option<String>| v.unwrap_or_default();
                    line(
                        ui,
                        "System",
                        enum_text(events.system.get(row).map(|v| v.to_string())),
                    );
                    line(
                        ui,
                        "Log",
                        enum_text(events.log.get(row).map(|v| v.to_string())),
                    );
                    line(
                        ui,
                        "Category",
                        enum_text(events.category.get(row).map(|v| v.to_string())),
                    );
                    line(
                        ui,
                        "Outcome",
                        enum_text(events.outcome.get(row).map(|v| v.to_string())),
                    );
                    line(
                        ui,
                        "Node type",
                        enum_text(events.node_type.get(row).map(|v| v.to_string())),
                    );
                    line(
                        ui,
                        "Resource kind",
                        enum_text(events.resource_kind.get(row).map(|v| v.to_string())),
                    );
                    for field in TextField::ALL {
                        if field == TextField::Details {
                            continue;
                        }
                        let value = events.text(field, row);
                        if !value.is_empty() {
                            line(ui, field_label(field), reveal(value).into_owned());
                        }
                        if field == TextField::Ip && !value.is_empty() {
                            place_lines_ui(ui, places, store, row, value);
                        }
                    }
                    let source = events.source.get(row).copied().unwrap_or(0);
                    line(
                        ui,
                        "Source file",
                        reveal(store.source_path(source)).into_owned(),
                    );
                    line(
                        ui,
                        "Source line",
                        events.line.get(row).copied().unwrap_or(0).to_string(),
                    );
                });
            let details = events.text(TextField::Details, row);
            if !details.is_empty() {
                ui.separator();
                ui.strong("Original fields");
                ui.add(
                    egui::Label::new(
                        RichText::new(
                            pretty_details(details)
                                .lines()
                                .map(|line| reveal(line).into_owned())
                                .collect::<Vec<_>>()
                                .join("\n"),
                        )
                        .monospace(),
                    )
                    .wrap()
                    .selectable(true),
                );
            }
        });
    commands
}

/// Where the event's address is: country, city with coordinates and AS by
/// the GeoIP databases, else what the address is (private, documentation...)
/// or why it has no place.
fn place_lines_ui(ui: &mut Ui, places: &Places, store: &Store, row: usize, address: &str) {
    let place = places.of_row(store, row);
    if let Some(country) = place.country {
        detail_line(
            ui,
            "Country",
            format!("{} {}", country.iso, reveal(&country.name)),
        );
    }
    if let Some(city) = place.city {
        let mut text = reveal(&crate::export::city_text(city)).into_owned();
        if let (Some(lat), Some(lon)) = (city.latitude, city.longitude) {
            text.push_str(&format!(" ({lat:.4}, {lon:.4})"));
        }
        detail_line(ui, "City", text);
    }
    if let Some(network) = place.network {
        detail_line(
            ui,
            "AS",
            format!("AS{} {}", network.number, reveal(&network.organization)),
        );
    }
    if place.country.is_none() {
        let special = place.special.map(|r| (r.name, r.rfc));
        let reason = crate::analysis::places::unplaced_reason(places, address, special);
        let text = match place.special {
            Some(range) => format!("{} ({}, {})", range.name, range.block, range.rfc),
            None => reason,
        };
        detail_line(ui, "Address", text);
    }
}

fn detail_line(ui: &mut Ui, name: &str, value: String) {
    ui.label(RichText::new(name).strong());
    ui.add(egui::Label::new(value).wrap().selectable(true));
    ui.end_row();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_json_is_indented_and_other_text_kept() {
        assert_eq!(pretty_details(r#"{"a":1}"#), "{\n  \"a\": 1\n}");
        assert_eq!(pretty_details("not json"), "not json");
    }
}
