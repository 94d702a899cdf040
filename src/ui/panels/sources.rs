//! The Sources window: every file read with its format, hash and counts;
//! every reject with its line, reason and raw text; skipped files and errors.

use egui::{RichText, Ui};

use crate::display::{bytes, reveal, thousands};
use crate::model::Store;
use crate::sources::LoadError;
use crate::ui::command::Command;

#[must_use]
pub fn sources_ui(
    ui: &mut Ui,
    store: &Store,
    errors: &[LoadError],
    geoip: GeoipSection<'_>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::ScrollArea::both().id_salt("sources").show(ui, |ui| {
        ui.strong(format!("Files read ({})", store.sources.len()));
        egui::Grid::new("sources-grid")
            .num_columns(8)
            .striped(true)
            .show(ui, |ui| {
                for title in [
                    "File", "Format", "SHA-256", "Size", "Rows", "Events", "Rejected",
                ] {
                    ui.strong(title);
                }
                ui.end_row();
                for source in &store.sources {
                    ui.label(reveal(&source.path).as_ref());
                    ui.label(source.format.as_str());
                    ui.add(
                        egui::Label::new(RichText::new(&source.sha256).monospace().small())
                            .selectable(true),
                    );
                    ui.label(bytes(source.bytes));
                    ui.label(thousands(source.rows));
                    ui.label(thousands(source.events));
                    let rejected = RichText::new(thousands(source.rejected));
                    ui.label(if source.rejected > 0 {
                        rejected.color(ui.visuals().warn_fg_color)
                    } else {
                        rejected
                    });
                    ui.end_row();
                }
            });
        for source in &store.sources {
            if let Some(change) = &source.changed_while_read {
                ui.label(
                    RichText::new(format!("{}: {change}", reveal(&source.path)))
                        .color(ui.visuals().warn_fg_color),
                );
            }
        }
        if !errors.is_empty() {
            ui.separator();
            ui.strong(format!("Errors ({})", errors.len()));
            for error in errors {
                ui.label(
                    RichText::new(reveal(&error.to_string()).as_ref())
                        .color(ui.visuals().error_fg_color),
                );
            }
        }
        commands.extend(geoip_ui(ui, &geoip));
        if !store.skipped.is_empty() {
            ui.separator();
            ui.strong(format!("Skipped files ({})", store.skipped.len()));
            for skipped in &store.skipped {
                ui.label(format!(
                    "{}: {}",
                    reveal(&skipped.path),
                    reveal(&skipped.reason)
                ));
            }
        }
        ui.separator();
        ui.strong(format!(
            "Rejected records ({})",
            thousands(store.rejected())
        ));
        if store.rejected() == 0 {
            ui.label(RichText::new("Every record was read.").weak());
        }
        const SHOWN_MAX: usize = 1000;
        for reject in store.rejects.iter().take(SHOWN_MAX) {
            let path = store.source_path(reject.source);
            egui::CollapsingHeader::new(format!(
                "{}:{} - {}",
                reveal(path),
                reject.line,
                reveal(&reject.reason)
            ))
            .id_salt(("reject", reject.source, reject.line))
            .show(ui, |ui| {
                ui.add(
                    egui::Label::new(RichText::new(reveal(&reject.raw).as_ref()).monospace())
                        .wrap()
                        .selectable(true),
                );
            });
        }
        if store.rejects.len() > SHOWN_MAX {
            ui.label(format!(
                "{} more: `auditview inspect --json` lists them all",
                thousands((store.rejects.len() - SHOWN_MAX) as u64)
            ));
        }
        for omitted in &store.omitted_rejects {
            ui.label(format!(
                "{}: {} more between lines {} and {}, counted but not kept in detail",
                reveal(store.source_path(omitted.source)),
                thousands(omitted.count),
                omitted.first_line,
                omitted.last_line
            ));
        }
    });
    commands
}

/// The GeoIP databases: those in use (type, build date, SHA-256), which
/// ones the settings add for every case, and Add / Remove.
pub struct GeoipSection<'a> {
    pub in_use: &'a [crate::geo::DatabaseInfo],
    pub settings: &'a [std::path::PathBuf],
    pub addresses: u64,
    pub located: u64,
}

#[must_use]
fn geoip_ui(ui: &mut Ui, geoip: &GeoipSection<'_>) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.separator();
    ui.horizontal(|ui| {
        ui.strong(format!("GeoIP databases ({})", geoip.in_use.len()));
        if ui
            .button("Add...")
            .on_hover_text(
                "A MaxMind DB file (.mmdb): GeoLite2 Country, City or ASN, DB-IP Lite, IPinfo Lite. Remembered for every case.",
            )
            .clicked()
        {
            commands.push(Command::AddGeoipDatabase);
        }
    });
    if geoip.in_use.is_empty() {
        ui.label(
            RichText::new(
                "None: addresses are classified (private, documentation...) but not placed.",
            )
            .weak(),
        );
    } else {
        ui.label(format!(
            "{} of {} distinct addresses placed",
            thousands(geoip.located),
            thousands(geoip.addresses)
        ));
    }
    egui::Grid::new("geoip-grid")
        .num_columns(6)
        .striped(true)
        .show(ui, |ui| {
            for db in geoip.in_use {
                ui.label(reveal(&db.path).as_ref());
                ui.label(reveal(&db.database_type).as_ref());
                ui.label(format!("built {}", db.built));
                ui.add(
                    egui::Label::new(RichText::new(&db.sha256).monospace().small())
                        .selectable(true),
                );
                ui.label(db.holds.join(", "));
                let from_settings = geoip
                    .settings
                    .iter()
                    .find(|p| p.display().to_string() == db.path);
                match from_settings {
                    Some(path) => {
                        if ui
                            .button("Remove")
                            .on_hover_text("Stop using it (and forget it in the settings)")
                            .clicked()
                        {
                            commands.push(Command::RemoveGeoipDatabase(path.clone()));
                        }
                    }
                    None => {
                        ui.label(RichText::new("among the files opened").weak());
                    }
                }
                ui.end_row();
            }
        });
    // Remembered but not in use (moved, deleted, unreadable): removable.
    for path in geoip.settings {
        let shown = path.display().to_string();
        if geoip.in_use.iter().any(|db| db.path == shown) {
            continue;
        }
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!(
                    "{}: not in use (not there, or not readable)",
                    reveal(&shown)
                ))
                .color(ui.visuals().warn_fg_color),
            );
            if ui.button("Remove").clicked() {
                commands.push(Command::RemoveGeoipDatabase(path.clone()));
            }
        });
    }
    commands
}
