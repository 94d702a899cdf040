//! File dialogs: what one is for (`Purpose`), and the system's dialogs
//! behind a trait, so that tests can supply paths. The app calls a chooser
//! from a worker thread: a system dialog never blocks the UI. Where the
//! system has none, the app shows its own (`panels::file_chooser`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::analysis::reports::Report;

use super::folders::{
    self, ALL_FILES, AUDIT_LOGS, CASE_FILE, CSV, FILTER_JSON, FileType, GEOIP, HTML, PARQUET, XLSX,
};

/// What a file dialog was opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    OpenFiles,
    OpenFolder,
    Export,
    ExportReport(Report),
    /// The filter as a `--filter-file` JSON.
    SaveFilter,
    OpenFilter,
    /// A new case file holding the open evidence.
    NewCase,
    OpenCase,
    /// The case report (HTML).
    CaseReport,
    /// A folder to look for the case's moved evidence in.
    RelocateEvidence,
    /// A GeoIP database to place addresses with.
    AddGeoipDatabase,
}

impl Purpose {
    pub fn title(self) -> &'static str {
        match self {
            Purpose::OpenFiles => "Open audit logs",
            Purpose::OpenFolder => "Open a folder of audit logs",
            Purpose::Export => "Export the current view",
            Purpose::ExportReport(_) => "Export the report",
            Purpose::SaveFilter => "Save the filter",
            Purpose::OpenFilter => "Open a filter",
            Purpose::NewCase => "Save the evidence as a new case",
            Purpose::OpenCase => "Open a case",
            Purpose::CaseReport => "Save the case report",
            Purpose::RelocateEvidence => "Find the case's moved evidence in a folder",
            Purpose::AddGeoipDatabase => "Add a GeoIP database (MaxMind DB, .mmdb)",
        }
    }

    /// Whether the dialog names a file to write.
    pub fn saves(self) -> bool {
        matches!(
            self,
            Purpose::Export
                | Purpose::ExportReport(_)
                | Purpose::SaveFilter
                | Purpose::NewCase
                | Purpose::CaseReport
        )
    }

    pub fn picks_folder(self) -> bool {
        matches!(self, Purpose::OpenFolder | Purpose::RelocateEvidence)
    }

    pub fn picks_many(self) -> bool {
        self == Purpose::OpenFiles
    }

    /// The types offered, the default first.
    pub fn file_types(self) -> &'static [FileType] {
        match self {
            Purpose::OpenFiles => &[AUDIT_LOGS, ALL_FILES],
            Purpose::OpenFolder | Purpose::RelocateEvidence => &[],
            Purpose::Export => &[CSV, XLSX, PARQUET],
            Purpose::ExportReport(_) => &[CSV, XLSX],
            Purpose::SaveFilter => &[FILTER_JSON],
            Purpose::OpenFilter => &[FILTER_JSON, ALL_FILES],
            Purpose::NewCase | Purpose::OpenCase => &[CASE_FILE],
            Purpose::CaseReport => &[HTML],
            Purpose::AddGeoipDatabase => &[GEOIP, ALL_FILES],
        }
    }

    /// The file name a save dialog starts with.
    pub fn suggested_name(self) -> String {
        match self {
            Purpose::ExportReport(report) => format!("auditview-{}-report.csv", report.as_str()),
            Purpose::SaveFilter => "auditview-filter.json".to_string(),
            Purpose::NewCase => "investigation.auditcase".to_string(),
            Purpose::CaseReport => "case-report.html".to_string(),
            _ => "auditview-export.csv".to_string(),
        }
    }
}

pub trait FileChooser: Send + Sync {
    /// Whether these dialogs can be shown on this machine; when not, the
    /// app shows its own chooser.
    fn available(&self) -> bool {
        true
    }

    /// The paths chosen for `purpose`, starting in `start`; none when the
    /// user cancelled (or the dialog could not be shown).
    fn choose(&self, purpose: Purpose, start: Option<&Path>) -> Vec<PathBuf>;
}

/// The system's dialogs, through rfd (desktop portal, else zenity).
pub struct RfdChooser;

impl FileChooser for RfdChooser {
    fn available(&self) -> bool {
        static AVAILABLE: OnceLock<bool> = OnceLock::new();
        *AVAILABLE.get_or_init(folders::system_dialogs_available)
    }

    fn choose(&self, purpose: Purpose, start: Option<&Path>) -> Vec<PathBuf> {
        let mut dialog = rfd::FileDialog::new().set_title(purpose.title());
        if let Some(start) = start {
            dialog = dialog.set_directory(start);
        }
        for file_type in purpose.file_types() {
            let extensions: &[&str] = match file_type.extensions {
                [] => &["*"],
                extensions => extensions,
            };
            dialog = dialog.add_filter(file_type.label, extensions);
        }
        match purpose {
            Purpose::OpenFiles => dialog.pick_files().unwrap_or_default(),
            Purpose::OpenFolder | Purpose::RelocateEvidence => {
                dialog.pick_folder().into_iter().collect()
            }
            Purpose::OpenFilter | Purpose::OpenCase | Purpose::AddGeoipDatabase => {
                dialog.pick_file().into_iter().collect()
            }
            Purpose::Export
            | Purpose::ExportReport(_)
            | Purpose::SaveFilter
            | Purpose::NewCase
            | Purpose::CaseReport => dialog
                .set_file_name(purpose.suggested_name())
                .save_file()
                .into_iter()
                .collect(),
        }
    }
}

/// A chooser that always answers the same: for tests and scripted runs.
/// `available: false` stands for a desktop with no dialogs.
#[derive(Debug, Clone)]
pub struct FixedChooser {
    pub save: Option<PathBuf>,
    pub files: Vec<PathBuf>,
    pub folder: Option<PathBuf>,
    pub available: bool,
}

impl Default for FixedChooser {
    fn default() -> Self {
        FixedChooser {
            save: None,
            files: Vec::new(),
            folder: None,
            available: true,
        }
    }
}

impl FixedChooser {
    pub fn saving_to(path: &Path) -> FixedChooser {
        FixedChooser {
            save: Some(path.to_path_buf()),
            ..FixedChooser::default()
        }
    }

    /// A desktop without file dialogs (no portal, no zenity).
    pub fn unavailable() -> FixedChooser {
        FixedChooser {
            available: false,
            ..FixedChooser::default()
        }
    }
}

impl FileChooser for FixedChooser {
    fn available(&self) -> bool {
        self.available
    }

    fn choose(&self, purpose: Purpose, _start: Option<&Path>) -> Vec<PathBuf> {
        match purpose {
            Purpose::OpenFiles | Purpose::OpenFilter | Purpose::OpenCase => self.files.clone(),
            Purpose::OpenFolder | Purpose::RelocateEvidence => {
                self.folder.clone().into_iter().collect()
            }
            _ => self.save.clone().into_iter().collect(),
        }
    }
}
