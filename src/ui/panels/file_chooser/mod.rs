//! The built-in file chooser, for desktops with no file dialog (no portal,
//! no zenity: a hardened workstation, a VM, Xvfb) and for whoever prefers
//! it: browse, type or paste a path, places and recent folders, file types,
//! and a question before a file is replaced. `panel` holds its state and
//! what a key or a click means; this file draws it.

mod panel;

use std::path::{Path, PathBuf};

use egui::{Key, RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};

use crate::display::{bytes, reveal};
use crate::ui::platform::folders;

pub use panel::{ChooserOutcome, ChooserPanel};

/// Shows the chooser as a modal window; `recent` are folders used before.
pub fn file_chooser_ui(
    ctx: &egui::Context,
    panel: &mut ChooserPanel,
    recent: &[PathBuf],
) -> Option<ChooserOutcome> {
    let mut outcome = None;
    let screen = ctx.content_rect();
    let width = (screen.width() - 40.0).clamp(320.0, 820.0);
    let list_height = (screen.height() - 250.0).clamp(100.0, 440.0);
    let modal = egui::Modal::new(egui::Id::unique("file-chooser")).show(ctx, |ui| {
        ui.set_width(width);
        ui.heading(panel.purpose.title());
        ui.horizontal_wrapped(|ui| places_ui(ui, panel, recent));
        ui.horizontal(|ui| {
            ui.label("In");
            ui.add(
                egui::Label::new(RichText::new(reveal(&panel.dir.display().to_string())).strong())
                    .truncate(),
            );
        });
        ui.separator();
        if let Some(chosen) = entries_ui(ui, panel, list_height) {
            outcome = Some(chosen);
        }
        ui.separator();
        if outcome.is_none() {
            outcome = bottom_ui(ui, panel);
        }
    });
    if outcome.is_none() && modal.should_close() {
        outcome = Some(ChooserOutcome::Cancelled);
    }
    outcome
}

/// Up, the standard places, the recent folders and the hidden-files switch.
fn places_ui(ui: &mut Ui, panel: &mut ChooserPanel, recent: &[PathBuf]) {
    let parent = panel.dir.parent().map(Path::to_path_buf);
    if ui
        .add_enabled(parent.is_some(), egui::Button::new("Up"))
        .on_hover_text("The folder above")
        .clicked()
        && let Some(parent) = parent
    {
        panel.go_to(parent);
    }
    for (name, path) in folders::standard_places() {
        if ui
            .selectable_label(panel.dir == path, name)
            .on_hover_text(path.display().to_string())
            .clicked()
        {
            panel.go_to(path);
        }
    }
    if !recent.is_empty() {
        let mut go = None;
        egui::ComboBox::from_id_salt("chooser-recent")
            .selected_text("Recent folders")
            .width(140.0)
            .show_ui(ui, |ui| {
                for path in recent {
                    let text = reveal(&path.display().to_string()).into_owned();
                    if ui.selectable_label(panel.dir == *path, text).clicked() {
                        go = Some(path.clone());
                    }
                }
            });
        if let Some(path) = go {
            panel.go_to(path);
        }
    }
    if ui
        .checkbox(&mut panel.show_hidden, "Hidden")
        .on_hover_text("Show files and folders whose name starts with a dot")
        .changed()
    {
        panel.refresh();
    }
}

fn entries_ui(ui: &mut Ui, panel: &mut ChooserPanel, height: f32) -> Option<ChooserOutcome> {
    let entries = match &panel.entries {
        Ok(entries) => entries.clone(),
        Err(problem) => {
            ui.colored_label(ui.visuals().error_fg_color, problem);
            return None;
        }
    };
    if entries.is_empty() {
        ui.weak(if panel.purpose.picks_folder() {
            "No folders here. Open this folder, or go up."
        } else {
            "Nothing of this type here."
        });
        return None;
    }
    let mut clicked = None;
    let text_height = egui::TextStyle::Body.resolve(ui.style()).size + 4.0;
    TableBuilder::new(ui)
        .id_salt("chooser-entries")
        .striped(true)
        .sense(Sense::click())
        .max_scroll_height(height)
        .min_scrolled_height(height.min(120.0))
        .column(Column::remainder().clip(true))
        .column(Column::exact(80.0))
        .column(Column::exact(130.0))
        .header(text_height, |mut header| {
            header.col(|ui| {
                ui.strong("Name");
            });
            header.col(|ui| {
                ui.strong("Size");
            });
            header.col(|ui| {
                ui.strong("Modified");
            });
        })
        .body(|body| {
            body.rows(text_height, entries.len(), |mut row| {
                let entry = &entries[row.index()];
                row.set_selected(panel.selected.contains(&entry.path));
                row.col(|ui| {
                    let name = reveal(&entry.name);
                    let text = if entry.is_dir {
                        RichText::new(format!("{name}/")).strong()
                    } else {
                        RichText::new(name)
                    };
                    ui.add(egui::Label::new(text).selectable(false).truncate());
                });
                row.col(|ui| {
                    if !entry.is_dir {
                        ui.label(bytes(entry.size));
                    }
                });
                row.col(|ui| {
                    ui.label(entry.modified.map(modified_text).unwrap_or_default());
                });
                let response = row.response();
                if response.double_clicked() {
                    clicked = Some((row.index(), true));
                } else if response.clicked() {
                    clicked = Some((row.index(), false));
                }
            });
        });
    let (index, double) = clicked?;
    let add = ui.input(|i| i.modifiers.command);
    panel.clicked(&entries[index], double, add)
}

fn modified_text(time: std::time::SystemTime) -> String {
    let utc: chrono::DateTime<chrono::Utc> = time.into();
    utc.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The typed path, the file type, a problem or a question, and the buttons.
fn bottom_ui(ui: &mut Ui, panel: &mut ChooserPanel) -> Option<ChooserOutcome> {
    if let Some(path) = panel.replacing.clone() {
        ui.label(format!(
            "{} already exists. Replace it? Its content will be lost.",
            reveal(&path.display().to_string())
        ));
        let mut outcome = None;
        ui.horizontal(|ui| {
            if ui.button("Replace").clicked() {
                outcome = Some(ChooserOutcome::Chosen(vec![path.clone()]));
            }
            if ui.button("Keep it").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                panel.replacing = None;
                panel.focus_typed = true;
            }
        });
        return outcome;
    }
    let mut accept = false;
    ui.horizontal(|ui| {
        let label = ui.label(if panel.purpose.saves() {
            "File name"
        } else {
            "Location"
        });
        let hint = if panel.purpose.saves() {
            "file name, or a whole path"
        } else {
            "type or paste a path; Enter opens it"
        };
        let types = panel.purpose.file_types();
        let type_width = if types.is_empty() { 0.0 } else { 170.0 };
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut panel.typed)
                    .id_salt("chooser-path")
                    .hint_text(hint)
                    .desired_width((ui.available_width() - type_width).max(120.0)),
            )
            .labelled_by(label.id);
        if std::mem::take(&mut panel.focus_typed) {
            edit.request_focus();
        }
        if edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
            accept = true;
        }
        if !types.is_empty() {
            let before = panel.file_type;
            egui::ComboBox::from_id_salt("chooser-type")
                .width(type_width - 10.0)
                .selected_text(types[panel.file_type.min(types.len() - 1)].label)
                .show_ui(ui, |ui| {
                    for (index, file_type) in types.iter().enumerate() {
                        ui.selectable_value(&mut panel.file_type, index, file_type.label);
                    }
                });
            if panel.file_type != before {
                panel.refresh();
            }
        }
    });
    if let Some(problem) = &panel.problem {
        ui.colored_label(ui.visuals().error_fg_color, problem);
    }
    let mut outcome = None;
    ui.horizontal(|ui| {
        let action = if panel.purpose.saves() {
            "Save"
        } else {
            "Open"
        };
        if ui.button(action).clicked() {
            accept = true;
        }
        if ui.button("Cancel").clicked() {
            outcome = Some(ChooserOutcome::Cancelled);
        }
        if panel.purpose.picks_many() && panel.selected.len() > 1 {
            ui.weak(format!("{} selected", panel.selected.len()));
        }
    });
    if accept {
        outcome = panel.accept();
        if outcome.is_none() {
            panel.focus_typed = true;
        }
    }
    outcome
}
