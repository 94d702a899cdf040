//! The built-in file chooser, for desktops with no file dialog (no portal,
//! no zenity: a hardened workstation, a VM, Xvfb) and for whoever prefers
//! it: browse, type or paste a path, places and recent folders, file types,
//! and a question before a file is replaced.

use std::path::{Path, PathBuf};

use egui::{Key, RichText, Sense, Ui};
use egui_extras::{Column as TableColumn, TableBuilder};

use crate::display::{bytes, reveal};
use crate::ui::platform::chooser::Purpose;
use crate::ui::platform::places::{self, Entry, FileType};

/// What the user did with the chooser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChooserOutcome {
    Chosen(Vec<PathBuf>),
    Cancelled,
}

/// The chooser's state while it is open.
#[derive(Debug)]
pub struct ChooserPanel {
    pub purpose: Purpose,
    dir: PathBuf,
    entries: Result<Vec<Entry>, String>,
    /// Saving: the file name or path; opening: a path typed or pasted.
    typed: String,
    /// Entries selected in the list (several when opening files).
    selected: Vec<PathBuf>,
    /// An index into `purpose.file_types()`.
    file_type: usize,
    show_hidden: bool,
    /// A file that exists, and the user is asked whether to replace.
    replacing: Option<PathBuf>,
    problem: Option<String>,
    focus_typed: bool,
}

impl ChooserPanel {
    /// A chooser for `purpose`, showing `start`.
    pub fn new(purpose: Purpose, start: PathBuf) -> ChooserPanel {
        let mut panel = ChooserPanel {
            purpose,
            dir: start,
            entries: Ok(Vec::new()),
            typed: if purpose.saves() {
                purpose.suggested_name()
            } else {
                String::new()
            },
            selected: Vec::new(),
            file_type: 0,
            show_hidden: false,
            replacing: None,
            problem: None,
            focus_typed: true,
        };
        panel.refresh();
        panel
    }

    /// The folder shown.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn file_type(&self) -> Option<&'static FileType> {
        self.purpose.file_types().get(self.file_type)
    }

    fn refresh(&mut self) {
        self.entries = places::list(&self.dir, self.show_hidden, self.file_type()).map(|all| {
            if self.purpose.picks_folder() {
                all.into_iter().filter(|e| e.is_dir).collect()
            } else {
                all
            }
        });
    }

    fn go_to(&mut self, dir: PathBuf) {
        self.dir = dir;
        self.selected.clear();
        self.problem = None;
        if !self.purpose.saves() {
            self.typed.clear();
        }
        self.refresh();
    }

    /// What Enter or the main button does with what is typed or selected.
    fn accept(&mut self) -> Option<ChooserOutcome> {
        self.problem = None;
        let typed = self.typed.trim().to_string();
        if self.purpose.saves() {
            return self.accept_save(&typed);
        }
        if !typed.is_empty() {
            let path = places::resolve(&typed, &self.dir);
            return match std::fs::metadata(&path) {
                Ok(meta) if meta.is_dir() && !self.purpose.picks_folder() => {
                    self.go_to(path);
                    None
                }
                Ok(meta) if meta.is_dir() || !self.purpose.picks_folder() => {
                    Some(ChooserOutcome::Chosen(vec![path]))
                }
                Ok(_) => {
                    self.problem = Some(format!("{} is a file, not a folder", path.display()));
                    None
                }
                Err(e) => {
                    let reason = crate::sources::input::describe_io(&e);
                    self.problem = Some(format!("{}: {reason}", path.display()));
                    None
                }
            };
        }
        if !self.selected.is_empty() {
            return Some(ChooserOutcome::Chosen(self.selected.clone()));
        }
        if self.purpose.picks_folder() {
            return Some(ChooserOutcome::Chosen(vec![self.dir.clone()]));
        }
        self.problem = Some("Select a file, or type or paste its path.".to_string());
        None
    }

    fn accept_save(&mut self, typed: &str) -> Option<ChooserOutcome> {
        if typed.is_empty() {
            self.problem = Some("Type a file name.".to_string());
            return None;
        }
        let path = places::resolve(typed, &self.dir);
        if path.is_dir() {
            self.go_to(path);
            self.typed = self.purpose.suggested_name();
            return None;
        }
        let path = match self.file_type() {
            Some(chosen) => places::with_type_extension(path, chosen, self.purpose.file_types()),
            None => path,
        };
        let parent = path.parent().unwrap_or(Path::new("/"));
        if !parent.is_dir() {
            self.problem = Some(format!("There is no folder {}.", parent.display()));
            return None;
        }
        if path.exists() {
            self.replacing = Some(path);
            return None;
        }
        Some(ChooserOutcome::Chosen(vec![path]))
    }

    /// A click on an entry: folders are entered on a double click, files
    /// chosen; Ctrl adds to the selection when several files may be opened.
    fn clicked(&mut self, entry: &Entry, double: bool, add: bool) -> Option<ChooserOutcome> {
        if double && entry.is_dir {
            self.go_to(entry.path.clone());
            if self.purpose.saves() {
                self.typed = self.purpose.suggested_name();
            }
            return None;
        }
        if self.purpose.saves() {
            if !entry.is_dir {
                self.typed = entry.name.clone();
            }
            return if double { self.accept() } else { None };
        }
        if double {
            return Some(ChooserOutcome::Chosen(vec![entry.path.clone()]));
        }
        self.typed.clear();
        if add && self.purpose.picks_many() {
            match self.selected.iter().position(|p| p == &entry.path) {
                Some(at) => {
                    self.selected.remove(at);
                }
                None => self.selected.push(entry.path.clone()),
            }
        } else {
            self.selected = vec![entry.path.clone()];
        }
        None
    }
}

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
    {
        if let Some(parent) = parent {
            panel.go_to(parent);
        }
    }
    for (name, path) in places::standard_places() {
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
        .column(TableColumn::remainder().clip(true))
        .column(TableColumn::exact(80.0))
        .column(TableColumn::exact(130.0))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_over_a_file_asks_first_and_a_missing_ending_is_added() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("view.csv"), b"kept").unwrap();
        let mut panel = ChooserPanel::new(Purpose::Export, dir.path().to_path_buf());
        panel.typed = "view".into();
        assert_eq!(panel.accept(), None);
        assert_eq!(panel.replacing, Some(dir.path().join("view.csv")));
        panel.replacing = None;
        panel.typed = "other".into();
        panel.file_type = 1;
        assert_eq!(
            panel.accept(),
            Some(ChooserOutcome::Chosen(vec![dir.path().join("other.xlsx")]))
        );
        panel.typed = "missing/out.csv".into();
        assert_eq!(panel.accept(), None);
        assert!(
            panel
                .problem
                .as_deref()
                .unwrap()
                .starts_with("There is no folder")
        );
    }

    #[test]
    fn a_typed_folder_is_entered_when_opening_files_and_chosen_when_opening_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("case")).unwrap();
        std::fs::write(dir.path().join("case/audit.log"), b"{}").unwrap();
        let mut files = ChooserPanel::new(Purpose::OpenFiles, dir.path().to_path_buf());
        files.typed = "case".into();
        assert_eq!(files.accept(), None);
        assert_eq!(files.dir(), dir.path().join("case"));
        files.typed = "audit.log".into();
        assert_eq!(
            files.accept(),
            Some(ChooserOutcome::Chosen(vec![
                dir.path().join("case/audit.log")
            ]))
        );
        files.typed = "nothing.log".into();
        assert_eq!(files.accept(), None);
        assert!(
            files
                .problem
                .as_deref()
                .unwrap()
                .ends_with("no such file or folder")
        );

        let mut folder = ChooserPanel::new(Purpose::OpenFolder, dir.path().to_path_buf());
        folder.typed = "case".into();
        assert_eq!(
            folder.accept(),
            Some(ChooserOutcome::Chosen(vec![dir.path().join("case")]))
        );
        // Nothing typed or selected: the folder shown.
        folder.typed.clear();
        assert_eq!(
            folder.accept(),
            Some(ChooserOutcome::Chosen(vec![dir.path().to_path_buf()]))
        );
    }
}
