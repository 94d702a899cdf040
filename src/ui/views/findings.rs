//! The Findings view: the coverage of the evidence as a calendar strip per
//! system, then the findings of the view (most severe first, or by time or
//! kind), the selected one's words, files and buttons: show its events,
//! star them, mark it reviewed (with a case open).

use std::collections::BTreeSet;

use egui::{Color32, RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};

use super::coverage::coverage_strip_ui;
use crate::analysis::findings::FindingsView;
use crate::display::{reveal, thousands};
use crate::index::findings::Finding;
use crate::model::Severity;
use crate::time::Zone;
use crate::ui::command::{Command, Pivot};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FindingOrder {
    #[default]
    Severity,
    Time,
    Kind,
}

/// What the Findings view keeps between frames.
#[derive(Debug, Default)]
pub struct FindingsPanel {
    /// The selected finding, by id (the same finding in any filter).
    pub selected: Option<String>,
    pub min_severity: Option<Severity>,
    pub order: FindingOrder,
    pub hide_reviewed: bool,
}

const ROW_HEIGHT: f32 = 20.0;

/// A severity's colour, the same in the table and the details.
pub fn severity_color(visuals: &egui::Visuals, severity: Severity) -> Color32 {
    match severity {
        Severity::High => visuals.error_fg_color,
        Severity::Medium => visuals.warn_fg_color,
        Severity::Low => Color32::from_rgb(90, 150, 220),
        Severity::Info => visuals.weak_text_color(),
    }
}

#[must_use]
pub fn findings_ui(
    ui: &mut Ui,
    view: &FindingsView,
    zone: Zone,
    panel: &mut FindingsPanel,
    reviewed: &BTreeSet<String>,
    case_open: bool,
) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::CollapsingHeader::new("Coverage of the evidence")
        .default_open(true)
        .show(ui, |ui| coverage_strip_ui(ui, &view.findings.coverage));
    ui.horizontal_wrapped(|ui| {
        let shown = |severity: Severity| match severity {
            Severity::High => "high only".to_string(),
            other => format!("{other} and above"),
        };
        egui::ComboBox::from_label("Severity")
            .selected_text(shown(panel.min_severity.unwrap_or(Severity::Info)))
            .show_ui(ui, |ui| {
                for severity in Severity::ALL {
                    ui.selectable_value(&mut panel.min_severity, Some(*severity), shown(*severity));
                }
            });
        ui.checkbox(&mut panel.hide_reviewed, "Hide reviewed");
    });
    let mut shown: Vec<&Finding> = view
        .listed()
        .filter(|f| panel.min_severity.is_none_or(|s| f.severity >= s))
        .filter(|f| !(panel.hide_reviewed && reviewed.contains(&f.id)))
        .collect();
    match panel.order {
        FindingOrder::Severity => {}
        FindingOrder::Time => shown.sort_by_key(|f| f.time.map(|t| t.0)),
        FindingOrder::Kind => shown.sort_by_key(|f| f.kind),
    }
    ui.label(format!(
        "{} of {} findings",
        thousands(shown.len() as u64),
        thousands(view.findings.findings.len() as u64)
    ));
    let selected = panel
        .selected
        .as_deref()
        .and_then(|id| shown.iter().find(|f| f.id == id).copied());
    let table_height = if selected.is_some() {
        ui.available_height() * 0.6
    } else {
        ui.available_height()
    };
    let mut clicked = None;
    let visuals = ui.visuals().clone();
    let size = egui::vec2(ui.available_width(), table_height);
    ui.allocate_ui_with_layout(size, egui::Layout::top_down(egui::Align::Min), |ui| {
        TableBuilder::new(ui)
            .id_salt("findings")
            .striped(true)
            .resizable(true)
            .sense(Sense::click())
            .max_scroll_height(table_height)
            .min_scrolled_height(table_height.min(100.0))
            .column(Column::initial(70.0))
            .column(Column::initial(150.0).clip(true))
            .column(Column::initial(140.0).clip(true))
            .column(Column::initial(150.0).clip(true))
            .column(Column::initial(55.0))
            .column(Column::remainder().at_least(160.0).clip(true))
            .header(ROW_HEIGHT + 2.0, |mut header| {
                let sortable = [
                    ("Severity", Some(FindingOrder::Severity)),
                    ("Kind", Some(FindingOrder::Kind)),
                    ("Subject", None),
                    ("Time", Some(FindingOrder::Time)),
                    ("Events", None),
                    ("What stands out", None),
                ];
                for (name, order) in sortable {
                    header.col(|ui| {
                        let text = match order {
                            Some(o) if o == panel.order => format!("{name} v"),
                            _ => name.to_string(),
                        };
                        let label = RichText::new(text).strong();
                        match order {
                            Some(order) => {
                                if ui
                                    .add(egui::Button::new(label).frame(false))
                                    .on_hover_text("Sort by this column")
                                    .clicked()
                                {
                                    panel.order = order;
                                }
                            }
                            None => {
                                ui.label(label);
                            }
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, shown.len(), |mut row| {
                    let finding = shown[row.index()];
                    row.set_selected(selected.is_some_and(|s| s.id == finding.id));
                    let done = reviewed.contains(&finding.id);
                    let cell = |row: &mut egui_extras::TableRow<'_, '_>, text: RichText| {
                        row.col(|ui| {
                            let text = if done { text.strikethrough() } else { text };
                            ui.add(egui::Label::new(text).truncate().selectable(false));
                        });
                    };
                    let color = severity_color(&visuals, finding.severity);
                    cell(
                        &mut row,
                        RichText::new(finding.severity.as_str()).color(color),
                    );
                    cell(&mut row, RichText::new(finding.kind.as_str()));
                    cell(&mut row, RichText::new(reveal(&finding.subject)));
                    cell(
                        &mut row,
                        RichText::new(finding.time.map(|t| zone.format(t.0)).unwrap_or_default()),
                    );
                    cell(
                        &mut row,
                        RichText::new(thousands(finding.rows.len() as u64)),
                    );
                    cell(&mut row, RichText::new(reveal(&finding.explanation)));
                    if row.response().clicked() {
                        clicked = Some(finding.id.clone());
                    }
                });
            });
    });
    if let Some(id) = clicked {
        panel.selected = Some(id);
    }
    if let Some(finding) = selected {
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("finding-details")
            .show(ui, |ui| {
                commands.extend(finding_details_ui(
                    ui,
                    finding,
                    reviewed.contains(&finding.id),
                    case_open,
                ));
            });
    }
    commands
}

#[must_use]
fn finding_details_ui(
    ui: &mut Ui,
    finding: &Finding,
    reviewed: bool,
    case_open: bool,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(finding.severity.as_str().to_uppercase())
                .strong()
                .color(severity_color(ui.visuals(), finding.severity)),
        );
        ui.label(RichText::new(finding.kind.as_str()).strong());
        if let Some(rule) = &finding.rule {
            ui.label(format!("rule {rule}"));
        }
    });
    ui.label(reveal(&finding.explanation));
    for file in &finding.files {
        ui.label(format!("File: {}", reveal(file)));
    }
    ui.horizontal_wrapped(|ui| {
        let has_events = !finding.rows.is_empty();
        if ui
            .add_enabled(has_events, egui::Button::new("Show its events"))
            .on_hover_text("Filter the events table to the events that prove it")
            .clicked()
        {
            commands.push(Command::Pivot(Pivot::Finding(finding.id.clone())));
        }
        let why = "Marks are kept in a case file: File > New case... first";
        if ui
            .add_enabled(
                case_open && has_events,
                egui::Button::new("Star its events"),
            )
            .on_disabled_hover_text(why)
            .clicked()
        {
            commands.push(Command::StarFinding(finding.id.clone()));
        }
        let mut done = reviewed;
        if ui
            .add_enabled(case_open, egui::Checkbox::new(&mut done, "Reviewed"))
            .on_disabled_hover_text(why)
            .changed()
        {
            commands.push(Command::ReviewFinding {
                id: finding.id.clone(),
                reviewed: done,
            });
        }
    });
    ui.label(RichText::new(format!("id: {}", reveal(&finding.id))).weak());
    commands
}
