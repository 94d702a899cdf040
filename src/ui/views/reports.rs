//! The Reports view: General usage, Logins and Workgroups computed from the
//! current view (BaseSpace's own report rows beside the computed ones),
//! with an export through the same code as `auditview report`.

use egui::Ui;
use egui_extras::{Column, TableBuilder};

use crate::analysis::reports::Report;
use crate::display::{reveal, thousands};
use crate::export::report::{Cell, ReportRow};
use crate::time::Zone;
use crate::ui::command::Command;
use crate::ui::computed::Reports;

const REPORTS: [(Report, &str); 3] = [
    (Report::Usage, "General usage"),
    (Report::Logins, "Logins"),
    (Report::Workgroups, "Workgroups"),
];

#[must_use]
pub fn reports_ui(ui: &mut Ui, reports: &Reports, current: Report, zone: Zone) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        for (report, name) in REPORTS {
            if ui.selectable_label(current == report, name).clicked() && current != report {
                commands.push(Command::ShowReport(report));
            }
        }
        ui.separator();
        if ui
            .button("Export report…")
            .on_hover_text("CSV or XLSX by the file's extension, with provenance")
            .clicked()
        {
            commands.push(Command::ExportReport(current));
        }
    });
    match current {
        Report::Usage => table_ui(ui, &reports.usage, zone),
        Report::Logins => table_ui(ui, &reports.logins, zone),
        Report::Workgroups => table_ui(ui, &reports.workgroups, zone),
    }
    commands
}

fn cell_text(cell: &Cell, zone: Zone) -> String {
    match cell {
        Cell::Time(ms) => zone.format(*ms),
        other => reveal(&other.text()).into_owned(),
    }
}

/// Only the visible rows are built.
fn table_ui<R: ReportRow>(ui: &mut Ui, rows: &[R], zone: Zone) {
    ui.label(format!("{} rows", thousands(rows.len() as u64)));
    // Reports are wide: the table scrolls sideways.
    egui::ScrollArea::horizontal()
        .id_salt(("report-scroll", R::REPORT.as_str()))
        .show(ui, |ui| {
            TableBuilder::new(ui)
                .id_salt(("report", R::REPORT.as_str()))
                .striped(true)
                .resizable(true)
                .auto_shrink([false, false])
                .columns(
                    Column::initial(130.0).at_least(40.0).clip(true),
                    R::COLUMNS.len(),
                )
                .header(20.0, |mut header| {
                    for name in R::COLUMNS {
                        header.col(|ui| {
                            ui.strong(*name);
                        });
                    }
                })
                .body(|body| {
                    body.rows(20.0, rows.len(), |mut table_row| {
                        for cell in rows[table_row.index()].cells() {
                            table_row.col(|ui| {
                                ui.add(egui::Label::new(cell_text(&cell, zone)).truncate());
                            });
                        }
                    });
                });
        });
}
