//! The Nodes view: per node and resource, the figures of the current filter
//! (columns as Pydio's audit screen has them), and for the selected entry its
//! activity over time, its users and who could see it, with the evidence.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use std::collections::HashMap;

use crate::analysis::nodes::{Entry, NodeRow, visible_count};
use crate::display::{plural, reveal, thousands};
use crate::index::Case;
use crate::model::{ResourceKind, Store, TextField};
use crate::time::Zone;
use crate::ui::command::{Command, Pivot};
use crate::ui::computed::NodeActivity;
use crate::ui::panels::details::CaseMarks;
use crate::ui::widgets::activity_chart::activity_chart_ui;
use crate::ui::widgets::event_actions::marks_ui;

/// Events of the activity history drawn at most, latest first.
const HISTORY_SHOWN: usize = 200;

fn kind_name(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Workspace => "workspace",
        ResourceKind::Cell => "cell",
        ResourceKind::PublicLink => "public link",
        ResourceKind::Project => "project",
        ResourceKind::Workgroup => "workgroup",
        ResourceKind::None => "",
    }
}

fn title(row: &NodeRow) -> String {
    let text = match row.entry {
        Entry::Node => row.path.clone(),
        _ if row.path.is_empty() => row.resource.clone(),
        // No arrow: the bundled fonts lack one.
        _ => format!("{} – {}", row.resource, row.path),
    };
    reveal(&text).into_owned()
}

/// The table of entries; returns the commands of a click.
#[must_use]
pub fn nodes_table_ui(
    ui: &mut Ui,
    case: &Case,
    rows: &[NodeRow],
    selected: Option<usize>,
    zone: Zone,
    visible_counts: &mut HashMap<usize, usize>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.label(format!("{} entries", thousands(rows.len() as u64)));
    let time = |t: Option<i64>| t.map(|t| zone.format(t)).unwrap_or_default();
    // A child of fixed height: the table's column lines stay within it.
    let size = egui::vec2(
        ui.available_width(),
        (ui.available_height() * 0.45).max(160.0),
    );
    ui.allocate_ui(size, |ui| {
        TableBuilder::new(ui)
            .id_salt("nodes-table")
            .striped(true)
            .resizable(true)
            .auto_shrink([false, true])
            .max_scroll_height(size.y - 24.0)
            .sense(egui::Sense::click())
            .column(Column::initial(86.0).at_least(60.0))
            .column(Column::remainder().at_least(140.0).clip(true))
            .column(Column::initial(100.0).clip(true))
            .columns(Column::initial(52.0).at_least(36.0), 4)
            .column(Column::initial(150.0).clip(true))
            .column(Column::initial(190.0).at_least(80.0).clip(true))
            .header(20.0, |mut header| {
                for name in [
                    "Kind",
                    "Node",
                    "Owner",
                    "Events",
                    "Read access",
                    "Write access",
                    "Visible by",
                    "Last update",
                    "Activity",
                ] {
                    header.col(|ui| {
                        ui.strong(name);
                    });
                }
            })
            .body(|body| {
                body.rows(20.0, rows.len(), |mut table_row| {
                    let index = table_row.index();
                    let row = &rows[index];
                    table_row.set_selected(selected == Some(index));
                    let mut kind_clicked = false;
                    table_row.col(|ui| {
                        let name = if row.kind == ResourceKind::None {
                            "node"
                        } else {
                            kind_name(row.kind)
                        };
                        kind_clicked = ui
                            .selectable_label(selected == Some(index), name)
                            .on_hover_text("Show its activity and who could see it")
                            .clicked();
                    });
                    let mut clicked = false;
                    let mut cell = |table_row: &mut egui_extras::TableRow<'_, '_>, text: String| {
                        let (_, response) = table_row.col(|ui| {
                            let label = egui::Label::new(text)
                                .truncate()
                                .selectable(false)
                                .sense(egui::Sense::click());
                            clicked |= ui.add(label).clicked();
                        });
                        clicked |= response.clicked();
                    };

                    cell(&mut table_row, title(row));
                    cell(&mut table_row, reveal(&row.owner).into_owned());
                    cell(&mut table_row, thousands(row.events));
                    cell(&mut table_row, row.readers.to_string());
                    cell(&mut table_row, row.writers.to_string());
                    // Computed for the rows on screen, once each.
                    let count = *visible_counts
                        .entry(index)
                        .or_insert_with(|| visible_count(case, row));
                    cell(&mut table_row, count.to_string());
                    cell(&mut table_row, time(row.last_update));
                    let activity = if row.flags.is_empty() {
                        time(row.last_activity)
                    } else {
                        format!("! {}", row.flags.join("; "))
                    };
                    cell(&mut table_row, activity);
                    if kind_clicked || clicked || table_row.response().clicked() {
                        commands.push(Command::SelectNode(Some(index)));
                    }
                });
            });
    });
    commands
}

/// What "only this" narrows the events to: a resource (a workspace, cell,
/// public link or project) to its own events, a node to itself and below.
fn pivot_of(row: &NodeRow) -> Option<(&'static str, Pivot)> {
    match row.entry {
        Entry::Resource if !row.resource_id.is_empty() => Some((
            "Only this resource",
            Pivot::Resource(row.resource_id.clone()),
        )),
        Entry::Node if !row.path.is_empty() => {
            Some(("Only this node and below", Pivot::Node(row.path.clone())))
        }
        _ => None,
    }
}

/// The selected entry: figures, flags, visitors, activity graph, users and
/// the visible-by list with links to the evidence. The figures come with the
/// row; the rest once `activity` is computed (`None` until then).
#[must_use]
pub fn node_details_ui(
    ui: &mut Ui,
    store: &Store,
    row: &NodeRow,
    activity: Option<&NodeActivity>,
    zone: Zone,
    marks: CaseMarks<'_>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    // The title wraps; the buttons keep a line of their own, so a long
    // path cannot push them out of a narrow window.
    ui.add(egui::Label::new(RichText::new(title(row)).heading()).wrap());
    ui.horizontal_wrapped(|ui| {
        if let Some((label, pivot)) = pivot_of(row)
            && ui.button(label).clicked()
        {
            commands.push(Command::Pivot(pivot));
        }
        // A resource's folder, with whatever else happened there.
        if row.entry == Entry::Resource
            && !row.path.is_empty()
            && ui.button("Only this node and below").clicked()
        {
            commands.push(Command::Pivot(Pivot::Node(row.path.clone())));
        }
    });
    let key = row.mark_key();
    commands.extend(marks_ui(
        ui,
        &key,
        marks.annotation,
        marks.case_open,
        |mark| Command::MarkNode {
            key: key.clone(),
            mark,
        },
    ));
    ui.label(format!(
        "{}: {} reads, {} writes; {}, {}; owner {}",
        plural(row.events, "event", "events"),
        thousands(row.reads),
        thousands(row.writes),
        plural(row.readers, "reader", "readers"),
        plural(row.writers, "writer", "writers"),
        if row.owner.is_empty() {
            "unknown"
        } else {
            &row.owner
        }
    ));
    for flag in &row.flags {
        ui.label(RichText::new(format!("! {flag}")).color(ui.visuals().warn_fg_color));
    }
    for visitor in &row.visitors {
        ui.label(format!(
            "{} visitor {}: {} events from {}",
            if visitor.temporary {
                "Temporary"
            } else {
                "Known"
            },
            visitor.name,
            visitor.events,
            visitor.ips.join(", ")
        ));
    }
    let Some(activity) = activity else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Computing its activity…");
        });
        return commands;
    };
    commands.extend(activity_chart_ui(
        ui,
        activity.activity.as_ref(),
        pivot_of(row).map(|(_, pivot)| pivot),
        zone,
    ));
    ui.add_space(4.0);
    ui.strong("Users");
    ui.horizontal_wrapped(|ui| {
        for (user, count) in &activity.users {
            if ui
                .link(format!("{user} ({})", thousands(*count)))
                .on_hover_text("Only this user")
                .clicked()
            {
                commands.push(Command::Pivot(Pivot::User(user.clone())));
            }
        }
    });
    ui.add_space(4.0);
    egui::CollapsingHeader::new(format!(
        "Activity history ({})",
        plural(activity.rows.len() as u64, "event", "events")
    ))
    .id_salt("node-history")
    .show(ui, |ui| {
        for &event in activity.rows.iter().rev().take(HISTORY_SHOWN) {
            let r = event as usize;
            ui.horizontal(|ui| {
                if ui
                    .link(zone.format(store.events.time_ms[r]))
                    .on_hover_text("Show this event")
                    .clicked()
                {
                    commands.push(Command::RevealEvent(event));
                }
                ui.label(format!(
                    "{}  {}  {}  {}",
                    reveal(store.events.text(TextField::Actor, r)),
                    reveal(store.events.text(TextField::Action, r)),
                    store.events.outcome[r],
                    reveal(store.events.text(TextField::NodePath, r))
                ));
            });
        }
        if activity.rows.len() > HISTORY_SHOWN {
            ui.label(
                RichText::new(format!(
                    "The latest {HISTORY_SHOWN}; \"Only this node and below\" lists them all."
                ))
                .weak(),
            );
        }
    });
    ui.add_space(4.0);
    ui.strong("Visible by");
    egui::Grid::new("visible-by")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for line in &activity.visible_by {
                ui.label(RichText::new(reveal(&line.principal)).strong());
                ui.label(line.reason.as_str());
                match &line.revoked {
                    Some(revoked) => ui.label(
                        RichText::new(format!(
                            "{}; revoked {}",
                            reveal(&line.detail),
                            zone.format(revoked.time_ms)
                        ))
                        .color(ui.visuals().warn_fg_color),
                    ),
                    None => ui.label(reveal(&line.detail)),
                };
                let origin = line.evidence.origin(store);
                let place = format!("{}:{}", reveal(&origin.path), origin.line);
                match line.evidence.row {
                    Some(event) => {
                        if ui.link(place).on_hover_text("Show this event").clicked() {
                            commands.push(Command::RevealEvent(event));
                        }
                    }
                    None => {
                        ui.label(place)
                            .on_hover_text("A report record, not an event");
                    }
                }
                ui.end_row();
            }
        });
    commands
}
