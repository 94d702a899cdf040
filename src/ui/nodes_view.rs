//! The Nodes view: per node and resource, the figures of the current filter
//! (columns as Pydio's audit screen has them), and for the selected entry its
//! activity over time, its users and who could see it, with the evidence.

use egui::{RichText, Ui};
use egui_extras::{Column as TableColumn, TableBuilder};

use super::app::{Command, Pivot};
use super::display::thousands;
use crate::analysis::nodes::{Entry, NodeRow, visible_by};
use crate::analysis::timeline::Timeline;
use crate::model::{ResourceKind, Store};
use crate::time::Zone;

/// The selected entry's activity, computed when it is selected.
#[derive(Debug, Clone, Default)]
pub struct NodeActivity {
    pub timeline: Option<Timeline>,
    /// Events per user, most first.
    pub users: Vec<(String, u64)>,
}

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
    match row.entry {
        Entry::Node => row.path.clone(),
        _ if row.path.is_empty() => row.resource.clone(),
        _ => format!("{} → {}", row.resource, row.path),
    }
}

/// The table of entries; returns the commands of a click.
pub fn nodes_table_ui(
    ui: &mut Ui,
    store: &Store,
    rows: &[NodeRow],
    selected: Option<usize>,
    zone: Zone,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.label(format!("{} entries", thousands(rows.len() as u64)));
    let time = |t: Option<i64>| t.map(|t| zone.format(t)).unwrap_or_default();
    TableBuilder::new(ui)
        .id_salt("nodes-table")
        .striped(true)
        .resizable(true)
        .max_scroll_height(260.0)
        .sense(egui::Sense::click())
        .column(TableColumn::initial(110.0).at_least(60.0))
        .column(TableColumn::initial(360.0).at_least(120.0).clip(true))
        .column(TableColumn::initial(120.0).clip(true))
        .columns(TableColumn::initial(64.0).at_least(40.0), 4)
        .column(TableColumn::initial(170.0))
        .column(TableColumn::remainder().at_least(80.0))
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
                cell(&mut table_row, row.owner.clone());
                cell(&mut table_row, thousands(row.events));
                cell(&mut table_row, row.readers.to_string());
                cell(&mut table_row, row.writers.to_string());
                cell(&mut table_row, visible_by(store, row).len().to_string());
                cell(&mut table_row, time(row.last_update));
                let activity = if row.flags.is_empty() {
                    time(row.last_activity)
                } else {
                    format!("⚠ {}", row.flags.join("; "))
                };
                cell(&mut table_row, activity);
                if kind_clicked || clicked || table_row.response().clicked() {
                    commands.push(Command::SelectNode(Some(index)));
                }
            });
        });
    commands
}

/// The selected entry: figures, flags, visitors, activity graph, users and
/// the visible-by list with links to the evidence.
pub fn node_details_ui(
    ui: &mut Ui,
    store: &Store,
    row: &NodeRow,
    activity: &NodeActivity,
    zone: Zone,
    drag: &mut super::timeline::TimelineDrag,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal_wrapped(|ui| {
        ui.heading(title(row));
        if !row.path.is_empty() && ui.button("Only this node and below").clicked() {
            commands.push(Command::Pivot(Pivot::Node(row.path.clone())));
        }
    });
    ui.label(format!(
        "{} events: {} reads, {} writes; {} readers, {} writers",
        thousands(row.events),
        thousands(row.reads),
        thousands(row.writes),
        row.readers,
        row.writers
    ));
    for flag in &row.flags {
        ui.label(RichText::new(format!("⚠ {flag}")).color(ui.visuals().warn_fg_color));
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
    commands.extend(super::timeline::timeline_ui(
        ui,
        activity.timeline.as_ref(),
        zone,
        drag,
    ));
    ui.columns(2, |columns| {
        columns[0].strong("Users");
        egui::ScrollArea::vertical()
            .id_salt("node-users")
            .max_height(180.0)
            .show(&mut columns[0], |ui| {
                for (user, count) in &activity.users {
                    ui.horizontal(|ui| {
                        if ui.link(user).on_hover_text("Only this user").clicked() {
                            commands.push(Command::Pivot(Pivot::User(user.clone())));
                        }
                        ui.label(thousands(*count));
                    });
                }
            });
        columns[1].strong("Visible by");
        egui::ScrollArea::vertical()
            .id_salt("node-visible-by")
            .max_height(180.0)
            .show(&mut columns[1], |ui| {
                for line in visible_by(store, row) {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(&line.principal).strong());
                        ui.label(format!("{}: {}", line.reason.as_str(), line.detail));
                        let place = format!(
                            "{}:{}",
                            store.source_path(line.evidence.source),
                            line.evidence.line
                        );
                        match line.evidence.row {
                            Some(event) => {
                                if ui.link(place).on_hover_text("Show this event").clicked() {
                                    commands.push(Command::RevealEvent(event));
                                }
                            }
                            None => {
                                ui.label(place);
                            }
                        }
                        if let Some(revoked) = &line.revoked {
                            ui.label(
                                RichText::new(format!("revoked {}", zone.format(revoked.time_ms)))
                                    .color(ui.visuals().warn_fg_color),
                            );
                        }
                    });
                }
            });
    });
    commands
}
