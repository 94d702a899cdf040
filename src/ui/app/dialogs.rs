//! File dialogs: choosing the system's or the built-in one, carrying out
//! what was chosen, and the filter's trips to and from files and the CLI.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::ui::command::Command;
use crate::ui::panels::file_chooser::{ChooserOutcome, ChooserPanel, file_chooser_ui};
use crate::ui::panels::filters::FilterForm;
use crate::ui::platform::chooser::Purpose;
use crate::ui::platform::folders;
use crate::ui::state::FileDialogs;

use super::AuditApp;

/// A person takes longer than this to cancel a dialog: a system dialog
/// that answers nothing this fast could not be shown.
pub(super) const SYSTEM_DIALOG_FAILED_WITHIN: Duration = Duration::from_millis(400);

impl AuditApp {
    /// Opens a file dialog for `purpose` (one at a time): the system's,
    /// whose answer comes back as `Message::Chosen`, or the built-in one.
    pub(super) fn choose(&mut self, purpose: Purpose) {
        let Some(ctx) = self.ctx.clone() else {
            return;
        };
        if self.chrome.dialog_open.is_some() || self.chrome.file_chooser.is_some() {
            return;
        }
        let start = if purpose.saves() {
            self.output_folder()
        } else {
            self.state
                .recent_folders
                .iter()
                .find(|f| f.is_dir())
                .cloned()
                .or_else(|| std::env::current_dir().ok())
                .or_else(folders::home)
        };
        if self.uses_built_in_chooser() {
            let start = start.unwrap_or_else(|| PathBuf::from("/"));
            self.chrome.file_chooser = Some(ChooserPanel::new(purpose, start));
            return;
        }
        self.chrome.dialog_open = Some(Instant::now());
        self.jobs.choose(&ctx, self.chooser.clone(), purpose, start);
    }

    /// Whether file dialogs are the app's own: as set, or because the
    /// desktop has none.
    pub(super) fn uses_built_in_chooser(&self) -> bool {
        match self.state.file_dialogs {
            FileDialogs::BuiltIn => true,
            FileDialogs::System => false,
            FileDialogs::Automatic => {
                self.chrome.system_dialogs_failed || !self.chooser.available()
            }
        }
    }

    /// Where a save dialog opens: never among the evidence. The case
    /// file's folder when it holds none, else the last folder saved into,
    /// else Documents, else home.
    fn output_folder(&self) -> Option<PathBuf> {
        let case_folder = self
            .case
            .as_ref()
            .and_then(|c| c.file.path().parent())
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf);
        case_folder
            .into_iter()
            .chain(self.state.output_folder.clone())
            .chain(folders::documents())
            .chain(folders::home())
            .find(|dir| dir.is_dir() && !self.holds_evidence(dir))
    }

    /// Whether `dir` is (or is inside) a loaded evidence folder, or holds a
    /// loaded evidence file: a file saved there would be read with the
    /// evidence next time.
    pub(super) fn holds_evidence(&self, dir: &Path) -> bool {
        if crate::model::owned::inside_evidence_folder(dir) {
            return true;
        }
        let Ok(dir) = dir.canonicalize() else {
            return false;
        };
        self.session.as_ref().is_some_and(|session| {
            session.case.store.sources.iter().any(|source| {
                source
                    .file
                    .parent()
                    .and_then(|p| p.canonicalize().ok())
                    .is_some_and(|p| p == dir)
            })
        })
    }

    /// Carries out what a file dialog (the system's or the built-in)
    /// answered; a save among the evidence is asked about first.
    pub(super) fn chosen(&mut self, purpose: Purpose, paths: Vec<PathBuf>) {
        if purpose.saves()
            && let Some(target) = paths.first()
            && let Some(folder) = target.parent().filter(|f| !f.as_os_str().is_empty())
            && self.holds_evidence(folder)
        {
            self.chrome.confirm_write = Some((purpose, target.clone()));
            return;
        }
        self.chosen_confirmed(purpose, paths);
    }

    /// Carries out a dialog's answer, asked about or not.
    pub(super) fn chosen_confirmed(&mut self, purpose: Purpose, paths: Vec<PathBuf>) {
        if purpose.saves()
            && let Some(folder) = paths.first().and_then(|p| p.parent())
            && !folder.as_os_str().is_empty()
            && !self.holds_evidence(folder)
        {
            self.state.output_folder = Some(folder.to_path_buf());
        }
        if let Some(first) = paths.first() {
            let folder = if first.is_dir() && !purpose.saves() {
                Some(first.as_path())
            } else {
                first.parent()
            };
            if let Some(folder) = folder.filter(|f| !f.as_os_str().is_empty()) {
                self.state.remember_folder(folder);
            }
        }
        if matches!(purpose, Purpose::OpenFiles | Purpose::OpenFolder) {
            if !paths.is_empty() {
                self.apply(Command::OpenPaths(paths));
            }
            return;
        }
        let Some(path) = paths.into_iter().next() else {
            return;
        };
        match purpose {
            Purpose::Export => self.start_export(path),
            Purpose::ExportReport(report) => self.start_report_export(report, path),
            Purpose::SaveFilter => self.save_filter(&path),
            Purpose::OpenFilter => self.open_filter(&path),
            Purpose::NewCase => self.new_case_file(path),
            Purpose::OpenCase => self.open_case_file(path),
            Purpose::CaseReport => self.write_case_report(&path),
            Purpose::RelocateEvidence => self.relocate_evidence(&path),
            Purpose::AddGeoipDatabase => self.add_geoip_database(path),
            Purpose::OpenFiles | Purpose::OpenFolder => {}
        }
    }

    /// Draws the built-in chooser while it is open, and carries out its answer.
    pub(super) fn file_chooser_ui(&mut self, ctx: &egui::Context) {
        let Some(panel) = &mut self.chrome.file_chooser else {
            return;
        };
        let Some(outcome) = file_chooser_ui(ctx, panel, &self.state.recent_folders) else {
            return;
        };
        let purpose = panel.purpose;
        self.chrome.file_chooser = None;
        match outcome {
            ChooserOutcome::Chosen(paths) => self.chosen(purpose, paths),
            ChooserOutcome::Cancelled => {}
        }
    }

    /// Writes the filter of the form as a `--filter-file` JSON.
    fn save_filter(&mut self, path: &Path) {
        let Some(filter) = self.valid_form_filter() else {
            return;
        };
        let inputs = self
            .session
            .as_ref()
            .map(|s| s.case.store.sources.clone())
            .unwrap_or_default();
        match crate::export::filter_file::save_filter(&filter, path, &inputs, true) {
            Ok(()) => self.notify(format!(
                "Saved the filter to {} (auditview export --filter-file reads it)",
                path.display()
            )),
            Err(e) => self.notify_error(format!("The filter could not be saved: {e}")),
        }
    }

    /// Sets the form to a filter read from a file, and applies it.
    fn open_filter(&mut self, path: &Path) {
        match crate::export::filter_file::read_filter(path) {
            Ok(filter) => {
                self.filters.form = FilterForm::from_filter(&filter, self.zone);
                self.refilter();
                self.notify(format!("Opened the filter {}", path.display()));
            }
            Err(e) => self.notify_error(format!("The filter could not be opened: {e}")),
        }
    }

    /// The form's filter, to save: none while a box is invalid (said), so a
    /// saved filter is never wider than the one typed.
    pub(super) fn valid_form_filter(&mut self) -> Option<crate::query::Filter> {
        let (filter, errors) = self.filters.form.build(self.zone);
        let invalid = errors.any();
        self.filters.errors = errors;
        if invalid {
            self.notify_error("Not saved: a filter box is in red; fix or clear it first");
            return None;
        }
        Some(filter)
    }

    /// Copies `auditview export` with the case's inputs, its case file, the
    /// zone, the GeoIP databases and the filter's flags: run in a shell, it
    /// writes what the window's export writes.
    pub(super) fn copy_command_line(&mut self) {
        let Some(session) = &self.session else {
            return;
        };
        // What the window shows and exports: the view's filter.
        let filter = &session.view.filter;
        let inputs: Vec<&Path> = session.paths.iter().map(PathBuf::as_path).collect();
        let places = session.case.places();
        let geoip: Vec<&str> = places.databases.iter().map(|d| d.path.as_str()).collect();
        let context = crate::query::ExportContext {
            inputs: &inputs,
            case: self.case.as_ref().map(|case| case.file.path()),
            zone: self.zone,
            geoip: &geoip,
        };
        let line = crate::query::export_command_line(&context, filter, "auditview-export.csv");
        // Decisions on persons live in the case file: without one, the
        // command line cannot carry them, and says so.
        let persons_left_out = self.case.is_none() && !session.aliases.is_empty();
        if let Some(ctx) = &self.ctx {
            ctx.copy_text(line.clone());
        }
        self.chrome.last_copied = Some(line);
        if persons_left_out {
            self.notify_error(
                "Copied the command line, without the decisions on persons made here: they are kept only in a case (File > New case...)",
            );
        } else {
            self.notify(
                "Copied the command line: it exports the rows shown to auditview-export.csv",
            );
        }
    }

    pub(super) fn set_file_dialogs(&mut self, dialogs: FileDialogs) {
        self.state.file_dialogs = dialogs;
        if dialogs != FileDialogs::Automatic {
            self.chrome.system_dialogs_failed = false;
        }
    }

    /// Remembers a GeoIP database and places the open case's addresses
    /// with it (taken back out if it cannot be used).
    pub(super) fn add_geoip_database(&mut self, path: PathBuf) {
        if !self.state.geoip_databases.contains(&path) {
            self.state.geoip_databases.push(path.clone());
        }
        self.replace_places(Some(path));
    }

    /// Places the open case's addresses with the databases of the settings
    /// (and the case's).
    pub(super) fn replace_places(&mut self, added: Option<PathBuf>) {
        let geoip = self.geoip_paths();
        let (Some(session), Some(ctx)) = (&self.session, &self.ctx) else {
            return;
        };
        self.jobs
            .place(&ctx.clone(), session.case.clone(), geoip, added);
    }

    /// The GeoIP databases to place with: the settings', then those the
    /// open case recorded (still there; a missing one is said).
    pub(super) fn geoip_paths(&mut self) -> Vec<PathBuf> {
        // A remembered database no longer there is said and passed over:
        // the others (and those among the files) still place addresses.
        let (mut paths, gone): (Vec<PathBuf>, Vec<PathBuf>) = self
            .state
            .geoip_databases
            .iter()
            .cloned()
            .partition(|p| p.is_file());
        for path in gone {
            self.notify_error(format!(
                "The GeoIP database {} is not there any more; Sources can remove it",
                path.display()
            ));
        }
        let recorded = self
            .case
            .as_ref()
            .and_then(|c| c.file.geoip_databases().ok())
            .unwrap_or_default();
        let mut missing = Vec::new();
        paths.extend(crate::casefile::recorded_paths(&recorded, |path| {
            missing.push(path.to_string())
        }));
        for path in missing {
            self.notify_error(format!(
                "The case's GeoIP database {path} is not there any more: addresses are placed without it"
            ));
        }
        paths
    }
}
