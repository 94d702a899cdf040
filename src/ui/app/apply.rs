//! Carrying out the `Command`s the panels return (and tests send).

use std::sync::atomic::Ordering;

use crate::time::{Bound, DAY_MS, MINUTE_MS, UtcMs, WEEK_MS, Zone};
use crate::ui::command::{Command, Pivot, QuickRange, Tab, TableColumn};
use crate::ui::computed::Part;
use crate::ui::panels::filters::FilterForm;
use crate::ui::platform::chooser::Purpose;
use crate::ui::platform::samples;
use crate::ui::state::Preset;
use crate::ui::widgets::event_actions::{Flush, take_pending_note};

use super::AuditApp;

impl AuditApp {
    /// Carries out a command. A note typed and not yet saved is saved
    /// first: whatever the command does next (another case, another view)
    /// cannot lose it.
    pub fn apply(&mut self, command: Command) {
        if !matches!(command, Command::MarkEvent { .. })
            && let Some(ctx) = &self.ctx
            && let Some(save) = take_pending_note(ctx, Flush::All)
        {
            self.apply(save);
        }
        match command {
            Command::OpenFilesDialog => self.choose(Purpose::OpenFiles),
            Command::OpenFolderDialog => self.choose(Purpose::OpenFolder),
            Command::SaveFilterDialog => self.choose(Purpose::SaveFilter),
            Command::OpenFilterDialog => self.choose(Purpose::OpenFilter),
            Command::CopyCommandLine => self.copy_command_line(),
            Command::SetFileDialogs(dialogs) => self.set_file_dialogs(dialogs),
            Command::Arrived(paths) => self.arrived(paths),
            Command::Raise(paths) => {
                self.raise();
                self.notify(format!(
                    "Asked to open {}: open here already",
                    crate::display::plural(paths.len() as u64, "path", "paths")
                ));
            }
            Command::OpenInNewWindow(paths) => self.open_in_new_window(paths),
            Command::SetSecondLaunch(choice) => self.state.second_launch = choice,
            Command::DismissArrival => self.arrival.paths.clear(),
            Command::NewCaseDialog => {
                if self.session.is_some() {
                    self.choose(Purpose::NewCase);
                }
            }
            Command::OpenCaseDialog => self.choose(Purpose::OpenCase),
            Command::RelocateEvidenceDialog => {
                if self.case.is_some() {
                    self.choose(Purpose::RelocateEvidence);
                }
            }
            Command::CaseReportDialog => {
                if self.case.is_some() {
                    self.choose(Purpose::CaseReport);
                } else {
                    self.notify_error("The case report needs a case file: File > New case...");
                }
            }
            Command::OpenCase(path) => self.open_case_file(path),
            Command::AddGeoipDatabase => self.choose(Purpose::AddGeoipDatabase),
            Command::DecideLink { a, b, accept } => self.decide_link(&a, &b, accept),
            Command::AcceptAllProposals => self.accept_all_proposals(),
            Command::RemoveGeoipDatabase(path) => {
                self.state.geoip_databases.retain(|p| *p != path);
                self.replace_places(None);
            }
            Command::ConfirmWrite(here) => {
                if let Some((purpose, target)) = self.chrome.confirm_write.take() {
                    if here {
                        self.chosen_confirmed(purpose, vec![target]);
                    } else {
                        self.choose(purpose);
                    }
                }
            }
            Command::CancelWrite => self.chrome.confirm_write = None,
            Command::MarkSelected(mark) => self.mark_selected(mark),
            Command::MarkEvent { row, key, mark } => self.mark_event(row, &key, &mark),
            Command::StarFinding(id) => self.star_finding(&id),
            Command::ReviewFinding { id, reviewed } => self.review_finding(&id, reviewed),
            Command::MarkNode { key, mark } => self.mark_node(&key, &mark),
            Command::SaveCaseView(name) => self.save_case_view(&name),
            Command::LoadCaseView(name) => self.load_case_view(&name),
            Command::SetCaseSummary(text) => self.set_case_summary(&text),
            Command::OpenPaths(paths) => match case_file_among(&paths) {
                Some(case) => self.open_case_file(case),
                None => {
                    // Other files are another investigation: the case file closes.
                    self.case = None;
                    self.start_load(paths, false)
                }
            },
            Command::AddPaths(paths) if case_file_among(&paths).is_some() => {
                if let Some(case) = case_file_among(&paths) {
                    self.open_case_file(case);
                }
            }
            Command::AddPaths(paths) => {
                let mut all = self
                    .session
                    .as_ref()
                    .map(|s| s.paths.clone())
                    .unwrap_or_default();
                for path in paths {
                    if !all.contains(&path) {
                        all.push(path);
                    }
                }
                self.start_load(all, true);
            }
            Command::OpenSample => match samples::materialize(&self.sample_folder) {
                Ok(folder) => self.start_load(vec![folder], false),
                Err(e) => self.notify_error(format!("The sample case could not be written: {e}")),
            },
            Command::CancelLoad => {
                if let Some(loading) = &self.in_flight.loading {
                    loading.progress.cancel.store(true, Ordering::Relaxed);
                }
            }
            Command::CloseCase => {
                self.case = None;
                self.forget_view_jobs();
                self.session = None;
                self.in_flight.filter = None;
                self.in_flight.export_when_filtered = None;
                self.filters.form.clear_all();
            }
            Command::FilterEdited => self.refilter(),
            Command::QuickRange(range) => {
                let span = self.session.as_ref().and_then(|s| s.case.store.span());
                match (range, span) {
                    (QuickRange::WholeCase, _) | (_, None) => self.set_dates(None, None),
                    (QuickRange::LastDay, Some((_, last))) => {
                        self.set_dates(Some(UtcMs(last - DAY_MS + 1)), Some(UtcMs(last)))
                    }
                    (QuickRange::LastWeek, Some((_, last))) => {
                        self.set_dates(Some(UtcMs(last - WEEK_MS + 1)), Some(UtcMs(last)))
                    }
                }
                self.refilter();
            }
            Command::SetDates(from, to) => {
                self.set_dates(from, to);
                self.refilter();
            }
            Command::ClearCriterion(criterion) => {
                self.filters.form.clear(criterion);
                self.refilter();
            }
            Command::ClearAll => {
                self.filters.form.clear_all();
                self.refilter();
            }
            Command::SavePreset(name) => {
                let Some(filter) = self.valid_form_filter() else {
                    return;
                };
                self.state.presets.retain(|p| p.name != name);
                self.state.presets.push(Preset {
                    name: name.clone(),
                    filter,
                });
                self.notify(format!("Saved the preset \"{name}\""));
            }
            Command::LoadPreset(index) => {
                if let Some(preset) = self.state.presets.get(index) {
                    let preset_name = preset.name.clone();
                    self.filters.form = FilterForm::from_filter(&preset.filter, self.zone);
                    self.filters.form.preset_name = preset_name;
                    self.refilter();
                }
            }
            Command::DeletePreset(index) => {
                if index < self.state.presets.len() {
                    self.state.presets.remove(index);
                }
            }
            Command::Select(index) => {
                if let Some(session) = &mut self.session {
                    session.select_index(index);
                }
            }
            Command::SetTab(tab) => self.views.tab = tab,
            Command::ShowReport(report) => self.views.report = report,
            Command::ExportReport(report) => {
                if self.in_flight.exporting.is_none() && self.analysis(Part::Reports).is_some() {
                    self.choose(Purpose::ExportReport(report));
                }
            }
            Command::SelectNode(index) => self.select_node(index),
            Command::RevealEvent(row) => self.reveal_event(row),
            Command::RevealSelected => {
                if let Some(session) = &mut self.session {
                    session.event.scroll_to = true;
                }
            }
            Command::Pivot(pivot) => self.pivot(pivot),
            Command::SetZone(zone) => self.set_zone(zone),
            Command::Export => {
                if self.session.is_some() && self.in_flight.exporting.is_none() {
                    self.choose(Purpose::Export);
                }
            }
            Command::ToggleColumn(column) => {
                let hidden = &mut self.state.hidden_columns;
                if hidden.contains(&column) {
                    hidden.retain(|h| *h != column);
                } else if hidden.len() + 1 < TableColumn::ALL.len() {
                    hidden.push(column);
                }
            }
            Command::SortBy(column) => {
                let (current, _) = self.sort();
                self.state.sort_descending = current == column && !self.state.sort_descending;
                self.state.sort_column = column;
                self.resort();
            }
            Command::ShowSources(show) => {
                if let Some(session) = &mut self.session {
                    session.show_sources = show;
                }
            }
            Command::DismissNotices => self.chrome.notices.clear(),
            Command::CopyText { text, what } => {
                if let Some(ctx) = &self.ctx {
                    ctx.copy_text(text.clone());
                }
                self.chrome.last_copied = Some(text);
                self.notify(format!("Copied {what}"));
            }
            Command::ShowFilters(show) => self.state.show_filters = show,
            Command::ShowDetails(show) => self.state.show_details = show,
        }
    }

    /// Shows `row` in the events table, clearing the filter if it is not in
    /// the view.
    fn reveal_event(&mut self, row: u32) {
        self.views.tab = Tab::Events;
        let shown = self.session.as_mut().is_some_and(|session| {
            session.event.row = Some(row);
            session.locate_selected();
            let found = session.event.pos.is_some();
            if found {
                session.event.scroll_to = true;
            }
            found
        });
        if !shown {
            // Not in the view: show every event, then find it.
            self.filters.form.clear_all();
            self.refilter();
            self.notify("The filter was cleared to show that event");
        }
    }

    fn pivot(&mut self, pivot: Pivot) {
        let form = &mut self.filters.form;
        match pivot {
            Pivot::User(user) => form.base.users = vec![user],
            Pivot::Node(path) => {
                form.base.paths.clear();
                form.path = path;
            }
            Pivot::Request(id) => form.base.requests = vec![id],
            Pivot::Resource(id) => form.base.resources = vec![id],
            Pivot::Person(name) => form.base.persons = vec![name],
            Pivot::Finding(id) => {
                form.base.findings = vec![id];
                self.views.tab = Tab::Events;
            }
            Pivot::Ip(ip) => {
                form.base.ips.clear();
                form.ip = ip;
            }
            Pivot::Around(time) => self.set_dates(
                Some(UtcMs(time - 5 * MINUTE_MS)),
                Some(UtcMs(time + 5 * MINUTE_MS)),
            ),
        }
        self.refilter();
    }

    fn set_zone(&mut self, zone: Zone) {
        // Typed dates keep their meaning as instants: rewrite them in the new zone.
        let (filter, _) = self.filters.form.build(self.zone);
        self.zone = zone;
        self.state.zone = zone.name();
        let zone_text = &mut self.chrome.zone_text;
        if !matches!(zone, Zone::Named(_)) {
            zone_text.clear();
        } else if Zone::parse(zone_text).ok() != Some(zone) {
            *zone_text = zone.name();
        }
        let form = &mut self.filters.form;
        if self.filters.errors.from.is_none() {
            form.from = filter.from.map(|t| zone.format(t.0)).unwrap_or_default();
        }
        if self.filters.errors.to.is_none() {
            form.to = filter.to.map(|t| zone.format(t.0)).unwrap_or_default();
        }
        self.refilter();
    }

    fn set_dates(&mut self, from: Option<UtcMs>, to: Option<UtcMs>) {
        let zone = self.zone;
        let form = &mut self.filters.form;
        let typed = |t: UtcMs, bound| crate::time::format_user_time(t.0, zone, bound);
        form.from = from.map(|t| typed(t, Bound::From)).unwrap_or_default();
        form.to = to.map(|t| typed(t, Bound::To)).unwrap_or_default();
    }
}

/// A case file named alone (opened, dropped, passed on the command line)
/// opens as a case, not as evidence.
fn case_file_among(paths: &[std::path::PathBuf]) -> Option<std::path::PathBuf> {
    match paths {
        [path] if crate::ui::platform::folders::CASE_FILE.matches(&path.to_string_lossy()) => {
            Some(path.clone())
        }
        _ => None,
    }
}
