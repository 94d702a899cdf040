//! The open case file: making one from the loaded evidence, opening one
//! (its evidence loads, changed or missing files are named, its marks show),
//! and saving each mark of the selected event at once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::casefile::CaseFile;
use crate::display::plural;
use crate::model::annotations::{Annotation, EventKey, Mark, event_key};

use super::AuditApp;

/// The open case file and what the window shows of it, as one value:
/// closing or replacing the case leaves nothing of it for the next one
/// (its reviews, views, summary or node marks).
pub(super) struct OpenCase {
    pub file: CaseFile,
    /// Its saved views' names and its summary, read when they change.
    pub views: Vec<String>,
    pub summary: String,
    /// Its marks on nodes and resources, by `NodeRow::mark_key`.
    pub node_marks: BTreeMap<String, Annotation>,
    /// The ids of the findings it marks reviewed.
    pub reviewed: BTreeSet<String>,
}

impl OpenCase {
    fn new(file: CaseFile) -> OpenCase {
        let mut case = OpenCase {
            file,
            views: Vec::new(),
            summary: String::new(),
            node_marks: BTreeMap::new(),
            reviewed: BTreeSet::new(),
        };
        case.refresh();
        case
    }

    /// Reads the case's views, summary, node marks and reviews again.
    fn refresh(&mut self) {
        let file = &self.file;
        self.node_marks = file.node_annotations().unwrap_or_default();
        self.reviewed = file.reviewed_findings().unwrap_or_default();
        self.views = file
            .saved_views()
            .map(|views| views.into_iter().map(|(name, _)| name).collect())
            .unwrap_or_default();
        self.summary = file.summary().unwrap_or_default();
    }
}

impl AuditApp {
    /// The case file's name, while one is open.
    pub fn case_file_name(&self) -> Option<String> {
        let file = &self.case.as_ref()?.file;
        Some(file.path().file_name().map_or_else(
            || file.path().display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ))
    }

    /// Makes a case file at `path` holding the open evidence.
    pub(super) fn new_case_file(&mut self, path: PathBuf) {
        let Some(session) = &self.session else {
            return;
        };
        let sources = session.case.store.sources.clone();
        let decided = session.aliases.clone();
        let made = CaseFile::create(&path, &sources).and_then(|mut file| {
            file.add_evidence(&sources)?;
            // Decisions on persons made before the case go into it.
            if !decided.is_empty() {
                file.set_aliases(&decided, "decisions on persons made before the case")?;
            }
            Ok(file)
        });
        match made {
            Ok(file) => {
                self.case = Some(OpenCase::new(file));
                self.case_file_loaded();
                self.notify(format!(
                    "Made the case {}: marks are saved in it as you make them",
                    path.display()
                ));
            }
            Err(e) => self.notify_error(format!("The case could not be made: {e}")),
        }
    }

    /// Opens a case file and loads its evidence.
    pub(super) fn open_case_file(&mut self, path: PathBuf) {
        let opened = CaseFile::open(&path).and_then(|file| {
            let paths = file.evidence_paths()?;
            Ok((file, paths))
        });
        match opened {
            Ok((file, paths)) => {
                self.state.remember(std::slice::from_ref(&path));
                self.case = Some(OpenCase::new(file));
                self.start_load(paths, false);
            }
            Err(e) => self.notify_error(format!("The case could not be opened: {e}")),
        }
    }

    /// After a load with a case file open: the loaded files recorded in
    /// it, its marks on the loaded rows, and a word on each evidence file
    /// that is not as the case recorded (as the CLI does: the same function).
    pub(super) fn case_file_loaded(&mut self) {
        let (Some(OpenCase { file, .. }), Some(session)) = (&mut self.case, &self.session) else {
            return;
        };
        let mut notes = Vec::new();
        match file.attach(&session.case.store, &session.errors) {
            Ok(attached) => {
                notes.extend(
                    attached
                        .notes("File > Find moved evidence... looks for it by hash")
                        .into_iter()
                        .map(|note| (note, true)),
                );
                session.case.set_annotations(attached.annotations);
            }
            Err(e) => notes.push((format!("The case's marks could not be read: {e}"), true)),
        }
        match file.aliases() {
            Ok(aliases) => {
                if let Some(session) = &mut self.session {
                    session.aliases = aliases;
                }
            }
            Err(e) => notes.push((format!("The case's persons could not be read: {e}"), true)),
        }
        self.refresh_case_info();
        for (text, error) in notes {
            if error {
                self.notify_error(text);
            } else {
                self.notify(text);
            }
        }
    }

    /// Applies `mark` to the selected event and saves it in the case file.
    pub(super) fn mark_selected(&mut self, mark: Mark) {
        let Some(session) = &self.session else {
            return;
        };
        let Some(row) = session.event.pos.and(session.event.row) else {
            return;
        };
        let key = event_key(&session.case.store, row as usize);
        self.mark_event(row, &key, &mark);
    }

    /// Marks the event `key` in the case file, and on `row` of the open
    /// case when that row is still that event.
    pub(super) fn mark_event(&mut self, row: u32, key: &EventKey, mark: &Mark) {
        let Some(session) = &self.session else {
            return;
        };
        let Some(file) = self.case.as_mut().map(|c| &mut c.file) else {
            self.notify_error("Marks are kept in a case file: File > New case... first");
            return;
        };
        let same_row = (row as usize) < session.case.store.events.len()
            && event_key(&session.case.store, row as usize) == *key;
        match file.mark(std::slice::from_ref(key), mark) {
            Ok(_) if !same_row => {}
            Ok(_) => {
                let next = session.case.annotations().with_mark(row as usize, mark);
                session.case.set_annotations(next);
                let (filter, _) = self.filters.form.build(self.zone);
                // A view that selects by marks follows them.
                if filter.starred || !filter.tags.is_empty() || filter.has_note {
                    self.refilter();
                }
            }
            Err(e) => self.notify_error(format!("The mark could not be saved: {e}")),
        }
    }

    /// Stars every event proving the finding `id` (one transaction).
    pub(super) fn star_finding(&mut self, id: &str) {
        let Some(session) = &self.session else {
            return;
        };
        let Some(file) = self.case.as_mut().map(|c| &mut c.file) else {
            self.notify_error("Marks are kept in a case file: File > New case... first");
            return;
        };
        let case = &session.case;
        let rows = case.findings().rows_named(&[id.to_string()]);
        let keys: Vec<_> = rows
            .iter()
            .map(|&row| event_key(&case.store, row as usize))
            .collect();
        let mark = Mark::Star(true);
        match file.mark(&keys, &mark) {
            Ok(changed) => {
                case.set_annotations(case.annotations().with_marks(&rows, &mark));
                self.notify(format!("Starred {changed} events proving the finding"));
            }
            Err(e) => self.notify_error(format!("The marks could not be saved: {e}")),
        }
    }

    /// Marks the finding `id` reviewed (or not) in the case file.
    pub(super) fn review_finding(&mut self, id: &str, reviewed: bool) {
        let Some(file) = self.case.as_mut().map(|c| &mut c.file) else {
            self.notify_error("Reviews are kept in a case file: File > New case... first");
            return;
        };
        match file.set_finding_reviewed(id, reviewed) {
            Ok(()) => self.refresh_case_info(),
            Err(e) => self.notify_error(format!("The review could not be saved: {e}")),
        }
    }

    /// Records an export made from the window in the case's action log.
    pub(super) fn log_export(&mut self, summary: &crate::export::ExportSummary) {
        let Some(file) = self.case.as_ref().map(|c| &c.file) else {
            return;
        };
        // The filter of the view exported (the form may be mid-edit).
        let Some(filter) = self.session.as_ref().map(|s| s.view.filter.clone()) else {
            return;
        };
        let detail = crate::casefile::export_detail(summary, &filter);
        if let Err(e) = file.log("export", &detail) {
            self.notify_error(format!("The export could not be logged in the case: {e}"));
        }
    }

    /// Writes the case report; the evidence's state is what the load found
    /// (every loaded file was hashed as it was read).
    pub(super) fn write_case_report(&mut self, path: &std::path::Path) {
        let (Some(OpenCase { file, .. }), Some(session)) = (&self.case, &self.session) else {
            return;
        };
        let store = &session.case.store;
        let evidence = match file.evidence_as_loaded(store, &session.errors) {
            Ok(evidence) => evidence,
            Err(e) => {
                self.notify_error(format!("The case report could not be written: {e}"));
                return;
            }
        };
        let written = crate::casefile::case_report_html(file, &session.case, &evidence)
            .map_err(|e| e.to_string())
            .and_then(|html| {
                crate::casefile::write_report(&html, path, &store.sources, true)
                    .map_err(|e| e.to_string())
            });
        match written {
            Ok(()) => {
                let _ = file.log("report", &format!("case report to {}", path.display()));
                self.notify(format!("Wrote the case report to {}", path.display()));
            }
            Err(e) => self.notify_error(format!("The case report could not be written: {e}")),
        }
    }

    /// Reads the case's views, summary and marks again (after a change).
    pub(super) fn refresh_case_info(&mut self) {
        if let Some(case) = &mut self.case {
            case.refresh();
        }
    }

    /// Saves what the window shows as a named view of the case.
    pub(super) fn save_case_view(&mut self, name: &str) {
        let name = name.trim();
        if self.case.is_none() || name.is_empty() {
            return;
        }
        let Some(filter) = self.valid_form_filter() else {
            return;
        };
        let Some(file) = self.case.as_mut().map(|c| &mut c.file) else {
            return;
        };
        let view = crate::casefile::SavedView {
            filter,
            tab: Some(format!("{:?}", self.views.tab).to_lowercase()),
            zone: Some(self.zone.name()),
            sort: Some(self.state.sort_column.id().to_string()),
            descending: self.state.sort_descending,
        };
        match file.save_view(name, &view) {
            Ok(()) => {
                self.notify(format!("Saved the view \"{name}\" in the case"));
                self.refresh_case_info();
            }
            Err(e) => self.notify_error(format!("The view could not be saved: {e}")),
        }
    }

    /// Shows a view saved in the case: its filter, tab and sort.
    pub(super) fn load_case_view(&mut self, name: &str) {
        let Some(file) = self.case.as_ref().map(|c| &c.file) else {
            return;
        };
        let view = match file.view(name) {
            Ok(Some(view)) => view,
            Ok(None) => return,
            Err(e) => {
                self.notify_error(format!("The view could not be read: {e}"));
                return;
            }
        };
        self.filters.form =
            crate::ui::panels::filters::FilterForm::from_filter(&view.filter, self.zone);
        if let Some(tab) = view.tab.as_deref() {
            self.views.tab = match tab {
                "nodes" => crate::ui::command::Tab::Nodes,
                "requests" => crate::ui::command::Tab::Requests,
                "reports" => crate::ui::command::Tab::Reports,
                "people" => crate::ui::command::Tab::People,
                _ => crate::ui::command::Tab::Events,
            };
        }
        if let Some(column) = view
            .sort
            .as_deref()
            .and_then(crate::ui::command::TableColumn::from_saved)
        {
            self.state.sort_column = column;
            self.state.sort_descending = view.descending;
        }
        self.refilter();
    }

    pub(super) fn set_case_summary(&mut self, text: &str) {
        let Some(file) = self.case.as_mut().map(|c| &mut c.file) else {
            return;
        };
        match file.set_summary(text) {
            Ok(()) => {
                self.notify("Saved the case summary");
                self.refresh_case_info();
            }
            Err(e) => self.notify_error(format!("The summary could not be saved: {e}")),
        }
    }

    /// Applies `mark` to a node or resource of the Nodes view and saves it.
    pub(super) fn mark_node(&mut self, key: &str, mark: &Mark) {
        let Some(file) = self.case.as_mut().map(|c| &mut c.file) else {
            self.notify_error("Marks are kept in a case file: File > New case... first");
            return;
        };
        match file.mark_node(key, mark) {
            Ok(()) => self.refresh_case_info(),
            Err(e) => self.notify_error(format!("The mark could not be saved: {e}")),
        }
    }

    /// Looks under `dir` for the case's evidence that is not where it was,
    /// by hash, and loads the case's evidence again.
    pub(super) fn relocate_evidence(&mut self, dir: &std::path::Path) {
        let Some(file) = self.case.as_mut().map(|c| &mut c.file) else {
            return;
        };
        let found = file
            .relocate(dir)
            .and_then(|found| Ok((found, file.evidence_paths()?)));
        match found {
            Ok((found, paths)) => {
                self.notify(format!(
                    "Found {} by hash under {}",
                    plural(
                        found.len() as u64,
                        "moved evidence file",
                        "moved evidence files"
                    ),
                    dir.display()
                ));
                self.start_load(paths, true);
            }
            Err(e) => self.notify_error(format!("The evidence could not be looked for: {e}")),
        }
    }
}
