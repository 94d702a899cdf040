//! File dialogs behind a trait, so that tests can supply paths. The app
//! calls a chooser from a worker thread: a dialog never blocks the UI.

use std::path::{Path, PathBuf};

pub trait FileChooser: Send + Sync {
    /// Where to save an export; `suggested` is a file name.
    fn save_path(&self, suggested: &str) -> Option<PathBuf>;
    fn open_files(&self) -> Vec<PathBuf>;
    fn open_folder(&self) -> Option<PathBuf>;
}

/// The system's dialogs, through rfd (desktop portal, else zenity).
pub struct RfdChooser;

impl FileChooser for RfdChooser {
    fn save_path(&self, suggested: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Export the current view")
            .set_file_name(suggested)
            .add_filter("CSV", &["csv"])
            .add_filter("Excel workbook", &["xlsx"])
            .save_file()
    }

    fn open_files(&self) -> Vec<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Open audit logs")
            .pick_files()
            .unwrap_or_default()
    }

    fn open_folder(&self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Open a folder of audit logs")
            .pick_folder()
    }
}

/// A chooser that always answers the same: for tests and scripted runs.
#[derive(Debug, Clone, Default)]
pub struct FixedChooser {
    pub save: Option<PathBuf>,
    pub files: Vec<PathBuf>,
    pub folder: Option<PathBuf>,
}

impl FixedChooser {
    pub fn saving_to(path: &Path) -> FixedChooser {
        FixedChooser {
            save: Some(path.to_path_buf()),
            ..FixedChooser::default()
        }
    }
}

impl FileChooser for FixedChooser {
    fn save_path(&self, _suggested: &str) -> Option<PathBuf> {
        self.save.clone()
    }

    fn open_files(&self) -> Vec<PathBuf> {
        self.files.clone()
    }

    fn open_folder(&self) -> Option<PathBuf> {
        self.folder.clone()
    }
}
