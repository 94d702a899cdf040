//! The built-in chooser's state and what its keys and clicks mean: a
//! typed path taken from the folder shown, a missing ending added, a
//! question before a file is replaced. No drawing here (`mod.rs` draws).

use std::path::{Path, PathBuf};

use crate::ui::platform::chooser::Purpose;
use crate::ui::platform::folders::{self, Entry, FileType};

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
    pub(super) dir: PathBuf,
    pub(super) entries: Result<Vec<Entry>, String>,
    /// Saving: the file name or path; opening: a path typed or pasted.
    pub(super) typed: String,
    /// Entries selected in the list (several when opening files).
    pub(super) selected: Vec<PathBuf>,
    /// An index into `purpose.file_types()`.
    pub(super) file_type: usize,
    pub(super) show_hidden: bool,
    /// A file that exists, and the user is asked whether to replace.
    pub(super) replacing: Option<PathBuf>,
    pub(super) problem: Option<String>,
    pub(super) focus_typed: bool,
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

    pub(super) fn file_type(&self) -> Option<&'static FileType> {
        self.purpose.file_types().get(self.file_type)
    }

    pub(super) fn refresh(&mut self) {
        self.entries = folders::list(&self.dir, self.show_hidden, self.file_type()).map(|all| {
            if self.purpose.picks_folder() {
                all.into_iter().filter(|e| e.is_dir).collect()
            } else {
                all
            }
        });
    }

    pub(super) fn go_to(&mut self, dir: PathBuf) {
        self.dir = dir;
        self.selected.clear();
        self.problem = None;
        if !self.purpose.saves() {
            self.typed.clear();
        }
        self.refresh();
    }

    /// What Enter or the main button does with what is typed or selected.
    pub(super) fn accept(&mut self) -> Option<ChooserOutcome> {
        self.problem = None;
        let typed = self.typed.trim().to_string();
        if self.purpose.saves() {
            return self.accept_save(&typed);
        }
        if !typed.is_empty() {
            let path = folders::resolve(&typed, &self.dir);
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
                    let reason = crate::display::describe_io(&e);
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

    pub(super) fn accept_save(&mut self, typed: &str) -> Option<ChooserOutcome> {
        if typed.is_empty() {
            self.problem = Some("Type a file name.".to_string());
            return None;
        }
        let path = folders::resolve(typed, &self.dir);
        if path.is_dir() {
            self.go_to(path);
            self.typed = self.purpose.suggested_name();
            return None;
        }
        let path = match self.file_type() {
            Some(chosen) => folders::with_type_extension(path, chosen, self.purpose.file_types()),
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
    pub(super) fn clicked(
        &mut self,
        entry: &Entry,
        double: bool,
        add: bool,
    ) -> Option<ChooserOutcome> {
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

#[cfg(test)]
#[expect(clippy::disallowed_methods, reason = "tests write their fixtures")]
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
