//! The Sources window: every file read with its format, hash and counts;
//! every reject with its line, reason and raw text; skipped files and errors.

use egui::{RichText, Ui};

use crate::display::{bytes, reveal, thousands};
use crate::model::Store;
use crate::sources::LoadError;

pub fn sources_ui(ui: &mut Ui, store: &Store, errors: &[LoadError]) {
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
}
