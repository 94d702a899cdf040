//! The filter side panel and the chips above the table. The panel edits a
//! `FilterForm`; the form builds the same `query::Filter` the CLI builds.

use egui::{Color32, RichText, Ui};

use crate::analysis::suggest::path_completions;
use crate::model::{Category, NodeType, Outcome, ResourceKind, Store, System};
use crate::query::{Filter, PathPattern, parse_ip_block};
use crate::time::{Bound, Zone, parse_user_time};

use super::app::{Command, QuickRange};
use super::display::{reveal, thousands};
use super::jobs::Facets;
use super::state::Preset;

/// The filter as edited: list criteria are chosen directly in `base`; typed
/// fields are read when the filter is built, and left out while invalid.
#[derive(Debug, Clone, Default)]
pub struct FilterForm {
    pub base: Filter,
    pub path: String,
    pub ip: String,
    pub from: String,
    pub to: String,
    pub search: String,
    pub user_search: String,
    pub owner_search: String,
    pub visible_search: String,
    pub action_search: String,
    pub preset_name: String,
    /// Completions of `path` among the loaded paths, and the text they are for.
    path_completions: (String, Vec<String>),
}

/// Path completions offered under the path box.
const PATH_COMPLETIONS: usize = 8;

/// What is wrong with the typed fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors {
    pub path: Option<String>,
    pub ip: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl FilterForm {
    /// The filter the form describes, and the typed fields that were left out.
    pub fn build(&self, zone: Zone) -> (Filter, FormErrors) {
        let mut filter = self.base.clone();
        let mut errors = FormErrors::default();
        let path = self.path.trim();
        if !path.is_empty() {
            match PathPattern::parse(path) {
                Ok(_) => filter.paths.push(path.to_string()),
                Err(e) => errors.path = Some(e),
            }
        }
        let ip = self.ip.trim();
        if !ip.is_empty() {
            match parse_ip_block(ip) {
                Ok(_) => filter.ips.push(ip.to_string()),
                Err(e) => errors.ip = Some(e),
            }
        }
        let search = self.search.trim();
        if !search.is_empty() {
            filter.texts.push(search.to_string());
        }
        for (text, bound, slot, error) in [
            (&self.from, Bound::From, &mut filter.from, &mut errors.from),
            (&self.to, Bound::To, &mut filter.to, &mut errors.to),
        ] {
            if !text.trim().is_empty() {
                match parse_user_time(text, zone, bound) {
                    Ok(ms) => *slot = Some(ms),
                    Err(e) => *error = Some(e),
                }
            }
        }
        if let (Some(from), Some(to)) = (filter.from, filter.to) {
            if from > to {
                errors.to = Some("'To' is before 'From'".to_string());
                filter.to = None;
            }
        }
        (filter, errors)
    }

    /// A form showing `filter` (a preset), with times written in `zone`.
    pub fn from_filter(filter: &Filter, zone: Zone) -> FilterForm {
        let mut base = filter.clone();
        let from = base
            .from
            .take()
            .map(|ms| zone.format(ms))
            .unwrap_or_default();
        let to = base.to.take().map(|ms| zone.format(ms)).unwrap_or_default();
        FilterForm {
            base,
            from,
            to,
            ..FilterForm::default()
        }
    }

    /// Removes one criterion, named as `Filter::describe` names it.
    pub fn clear(&mut self, label: &str) {
        let base = &mut self.base;
        match label {
            "Node type" => base.node_types.clear(),
            "Path" => {
                base.paths.clear();
                self.path.clear();
            }
            "Resource kind" => base.kinds.clear(),
            "Owner" => base.owners.clear(),
            "From" => self.from.clear(),
            "To" => self.to.clear(),
            "User" => base.users.clear(),
            "Action" => base.actions.clear(),
            "Category" => base.categories.clear(),
            "Outcome" => base.outcomes.clear(),
            "System" => base.systems.clear(),
            "IP" => {
                base.ips.clear();
                self.ip.clear();
            }
            "Request" => base.requests.clear(),
            "Visible by" => base.visible_by.clear(),
            "Repeats" => base.skip_repeats = false,
            "Text contains" => {
                base.texts.clear();
                self.search.clear();
            }
            _ => {}
        }
    }

    pub fn clear_all(&mut self) {
        let preset_name = std::mem::take(&mut self.preset_name);
        *self = FilterForm {
            preset_name,
            ..FilterForm::default()
        };
    }
}

fn toggle<T: PartialEq + Clone>(list: &mut Vec<T>, value: &T, on: bool) {
    if on {
        if !list.contains(value) {
            list.push(value.clone());
        }
    } else {
        list.retain(|v| v != value);
    }
}

/// A checkbox with the count of events it would match beside it.
fn counted_checkbox(ui: &mut Ui, checked: bool, label: &str, count: u64) -> Option<bool> {
    let mut on = checked;
    let changed = ui
        .horizontal(|ui| {
            let changed = ui.checkbox(&mut on, reveal(label).as_ref()).changed();
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(RichText::new(thousands(count)).weak());
            });
            changed
        })
        .inner;
    changed.then_some(on)
}

fn enum_list<T: Copy + PartialEq + Into<u8>>(
    ui: &mut Ui,
    values: &[(T, &str)],
    counts: &[u64],
    chosen: &mut Vec<T>,
) -> bool {
    let mut changed = false;
    for (value, label) in values {
        let count = counts
            .get(usize::from((*value).into()))
            .copied()
            .unwrap_or(0);
        if let Some(on) = counted_checkbox(ui, chosen.contains(value), label, count) {
            toggle(chosen, value, on);
            changed = true;
        }
    }
    changed
}

/// A list of text values with counts, searchable when long. Chosen values
/// stay listed even when nothing else matches them.
fn text_list(
    ui: &mut Ui,
    id: &str,
    noun: &str,
    values: &[(String, u64)],
    chosen: &mut Vec<String>,
    search: &mut String,
) -> bool {
    let mut changed = false;
    if values.len() > 8 {
        ui.horizontal(|ui| {
            let label = ui.label(format!("Find {noun}"));
            ui.add(egui::TextEdit::singleline(search).desired_width(f32::INFINITY))
                .labelled_by(label.id);
        });
    }
    let needle = search.trim().to_lowercase();
    let mut shown: Vec<(String, u64)> = chosen
        .iter()
        .filter(|c| !values.iter().any(|(v, _)| v == *c))
        .map(|c| (c.clone(), 0))
        .collect();
    shown.extend(
        values
            .iter()
            .filter(|(v, _)| needle.is_empty() || v.to_lowercase().contains(&needle))
            .map(|(v, n)| (v.clone(), *n)),
    );
    const SHOWN_MAX: usize = 200;
    egui::ScrollArea::vertical()
        .id_salt(id)
        .max_height(220.0)
        .show(ui, |ui| {
            for (value, count) in shown.iter().take(SHOWN_MAX) {
                if let Some(on) = counted_checkbox(ui, chosen.contains(value), value, *count) {
                    toggle(chosen, value, on);
                    changed = true;
                }
            }
            if shown.len() > SHOWN_MAX {
                ui.label(
                    RichText::new(format!(
                        "{} more: type to narrow the list",
                        thousands((shown.len() - SHOWN_MAX) as u64)
                    ))
                    .weak(),
                );
            }
            if shown.is_empty() {
                ui.label(RichText::new("none").weak());
            }
        });
    changed
}

fn error_line(ui: &mut Ui, error: &Option<String>) {
    if let Some(error) = error {
        ui.label(
            RichText::new(error)
                .color(ui.visuals().error_fg_color)
                .small(),
        );
    }
}

fn section(ui: &mut Ui, title: &str, active: bool, open: bool, add: impl FnOnce(&mut Ui)) {
    let id = title;
    let title = if active {
        RichText::new(format!("{title} •")).strong()
    } else {
        RichText::new(title)
    };
    egui::CollapsingHeader::new(title)
        .id_salt(id)
        .default_open(open || active)
        .show(ui, add);
}

/// The loaded paths that complete the typed one, as buttons; returns the
/// one clicked. Recomputed only when the text changes.
fn path_completions_ui(ui: &mut Ui, form: &mut FilterForm, store: &Store) -> Option<String> {
    let typed = form.path.trim();
    if form.path_completions.0 != typed {
        form.path_completions = (
            typed.to_string(),
            path_completions(&store.events, typed, PATH_COMPLETIONS),
        );
    }
    let mut chosen = None;
    for completion in &form.path_completions.1 {
        let button = egui::Button::new(RichText::new(reveal(completion)).small()).frame(false);
        if ui
            .add(button)
            .on_hover_text("Filter on this path")
            .clicked()
        {
            chosen = Some(completion.clone());
        }
    }
    chosen
}

/// The calendar date a typed time starts with, if it starts with one.
fn leading_date(text: &str) -> Option<jiff::civil::Date> {
    text.trim().get(..10)?.parse().ok()
}

/// A typed date-time with a calendar button beside it. Picking a day
/// replaces the date and keeps a typed time. `fallback` (UTC ms) is the day
/// the calendar opens on when nothing is typed. Returns whether it changed.
fn date_field_ui(
    ui: &mut Ui,
    name: &str,
    text: &mut String,
    fallback: Option<i64>,
    zone: Zone,
) -> bool {
    let label = ui.label(name);
    let mut changed = false;
    ui.horizontal(|ui| {
        changed |= ui
            .add(
                egui::TextEdit::singleline(text)
                    .hint_text("YYYY-MM-DD [HH:MM]")
                    .desired_width(150.0),
            )
            .labelled_by(label.id)
            .changed();
        let typed = leading_date(text);
        let mut day = typed
            .or_else(|| fallback.and_then(|t| leading_date(&zone.format(t))))
            .unwrap_or_default();
        let before = day;
        ui.add(
            egui_extras::DatePickerButton::new(&mut day)
                .id_salt(name)
                .show_icon(false)
                .calendar_week(false),
        )
        .on_hover_text(format!("Pick the {} day", name.to_lowercase()));
        if day != before {
            let time = if typed.is_some() {
                text.trim().get(10..).unwrap_or("").to_string()
            } else {
                String::new()
            };
            *text = format!("{day}{time}");
            changed = true;
        }
    });
    changed
}

/// The left panel. Returns what changed as commands.
pub fn filters_ui(
    ui: &mut Ui,
    form: &mut FilterForm,
    errors: &FormErrors,
    facets: &Facets,
    presets: &[Preset],
    zone: Zone,
    store: &Store,
) -> Vec<Command> {
    let span = store.span();
    let mut commands = Vec::new();
    let mut edited = false;
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading("Filters");
        let f = &mut form.base;
        section(ui, "Type", !f.node_types.is_empty(), true, |ui| {
            edited |= enum_list(
                ui,
                &[(NodeType::File, "files"), (NodeType::Folder, "folders")],
                &facets.node_types,
                &mut f.node_types,
            );
        });
        let path_active = !f.paths.is_empty() || !form.path.is_empty();
        section(ui, "Path", path_active, true, |ui| {
            let label = ui.label("Path prefix or pattern");
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut form.path)
                        .hint_text("project/folder or *name*")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            edited |= response.changed();
            error_line(ui, &errors.path);
            if let Some(chosen) = path_completions_ui(ui, form, store) {
                form.path = chosen;
                edited = true;
            }
            for path in &form.base.paths {
                ui.label(RichText::new(format!("also: {}", reveal(path))).small());
            }
        });
        let f = &mut form.base;
        section(ui, "Resource kind", !f.kinds.is_empty(), true, |ui| {
            edited |= enum_list(
                ui,
                &[
                    (ResourceKind::Workspace, "workspace"),
                    (ResourceKind::Cell, "cell"),
                    (ResourceKind::PublicLink, "public link"),
                    (ResourceKind::Project, "project"),
                    (ResourceKind::Workgroup, "workgroup"),
                ],
                &facets.kinds,
                &mut f.kinds,
            );
        });
        section(ui, "Owner", !f.owners.is_empty(), false, |ui| {
            edited |= text_list(
                ui,
                "owners",
                "owner",
                &facets.owners,
                &mut f.owners,
                &mut form.owner_search,
            );
        });
        if facets.repeats > 0 || f.skip_repeats {
            section(ui, "Repeats", f.skip_repeats, true, |ui| {
                if let Some(on) = counted_checkbox(
                    ui,
                    f.skip_repeats,
                    "leave out events read twice",
                    facets.repeats,
                ) {
                    f.skip_repeats = on;
                    edited = true;
                }
                ui.label(
                    RichText::new("The same event in two sources, e.g. a log and its export")
                        .small(),
                );
            });
        }
        section(ui, "Visible by", !f.visible_by.is_empty(), false, |ui| {
            ui.label(
                RichText::new("Events on what they could see; counts are pieces of evidence")
                    .small(),
            );
            edited |= text_list(
                ui,
                "visible-by",
                "principal",
                &facets.visible_by,
                &mut f.visible_by,
                &mut form.visible_search,
            );
        });
        let dates_active = !form.from.is_empty() || !form.to.is_empty();
        section(ui, "Date", dates_active, true, |ui| {
            ui.label(RichText::new(format!("Typed times are read in {}", zone.name())).small());
            let (first, last) = span.map_or((None, None), |(a, b)| (Some(a), Some(b)));
            egui::Grid::new("dates").num_columns(2).show(ui, |ui| {
                edited |= date_field_ui(ui, "From", &mut form.from, first, zone);
                ui.end_row();
                edited |= date_field_ui(ui, "To", &mut form.to, last, zone);
                ui.end_row();
            });
            error_line(ui, &errors.from);
            error_line(ui, &errors.to);
            ui.horizontal_wrapped(|ui| {
                if ui.button("Whole case").clicked() {
                    commands.push(Command::QuickRange(QuickRange::WholeCase));
                }
                if ui.button("Last day").clicked() {
                    commands.push(Command::QuickRange(QuickRange::LastDay));
                }
                if ui.button("Last 7 days").clicked() {
                    commands.push(Command::QuickRange(QuickRange::LastWeek));
                }
            });
        });
        let f = &mut form.base;
        section(ui, "User", !f.users.is_empty(), false, |ui| {
            edited |= text_list(
                ui,
                "users",
                "user",
                &facets.users,
                &mut f.users,
                &mut form.user_search,
            );
        });
        section(ui, "Action", !f.actions.is_empty(), false, |ui| {
            edited |= text_list(
                ui,
                "actions",
                "action",
                &facets.actions,
                &mut f.actions,
                &mut form.action_search,
            );
        });
        section(ui, "Category", !f.categories.is_empty(), false, |ui| {
            let values: Vec<(Category, &str)> =
                Category::ALL.iter().map(|c| (*c, c.as_str())).collect();
            edited |= enum_list(ui, &values, &facets.categories, &mut f.categories);
        });
        section(ui, "Outcome", !f.outcomes.is_empty(), true, |ui| {
            let values: Vec<(Outcome, &str)> =
                Outcome::ALL.iter().map(|c| (*c, c.as_str())).collect();
            edited |= enum_list(ui, &values, &facets.outcomes, &mut f.outcomes);
        });
        section(ui, "System", !f.systems.is_empty(), false, |ui| {
            let values: Vec<(System, &str)> = [System::Dnanexus, System::Pydio, System::Basespace]
                .iter()
                .map(|c| (*c, c.as_str()))
                .collect();
            edited |= enum_list(ui, &values, &facets.systems, &mut f.systems);
        });
        let ip_active = !f.ips.is_empty() || !form.ip.is_empty();
        section(ui, "IP / CIDR", ip_active, false, |ui| {
            let label = ui.label("Address or block");
            edited |= ui
                .add(
                    egui::TextEdit::singleline(&mut form.ip)
                        .hint_text("192.0.2.7 or 198.51.100.0/24")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id)
                .changed();
            error_line(ui, &errors.ip);
        });
        section(ui, "Presets", false, false, |ui| {
            ui.horizontal(|ui| {
                let label = ui.label("Preset name");
                ui.add(egui::TextEdit::singleline(&mut form.preset_name).desired_width(110.0))
                    .labelled_by(label.id);
                let name = form.preset_name.trim().to_string();
                if ui
                    .add_enabled(!name.is_empty(), egui::Button::new("Save"))
                    .on_hover_text("Save the current filter under this name")
                    .clicked()
                {
                    commands.push(Command::SavePreset(name));
                }
            });
            for (index, preset) in presets.iter().enumerate() {
                ui.horizontal(|ui| {
                    if ui
                        .button(format!("Load {}", preset.name))
                        .on_hover_text(
                            preset
                                .filter
                                .describe()
                                .iter()
                                .map(|(l, t)| format!("{l}: {t}"))
                                .collect::<Vec<_>>()
                                .join("\n"),
                        )
                        .clicked()
                    {
                        commands.push(Command::LoadPreset(index));
                    }
                    if ui
                        .small_button("Delete")
                        .on_hover_text("Delete this preset")
                        .clicked()
                    {
                        commands.push(Command::DeletePreset(index));
                    }
                });
            }
            if presets.is_empty() {
                ui.label(RichText::new("No preset saved yet").weak());
            }
        });
    });
    if edited {
        commands.push(Command::FilterEdited);
    }
    commands
}

/// The active criteria as removable chips, with "Clear all".
pub fn chips_ui(ui: &mut Ui, filter: &Filter) -> Vec<Command> {
    let mut commands = Vec::new();
    let criteria = filter.describe();
    if criteria.is_empty() {
        ui.label(RichText::new("No filter: every event is shown").weak());
        return commands;
    }
    ui.horizontal_wrapped(|ui| {
        for (label, text) in &criteria {
            let chip = format!("{label}: {}  ×", reveal(text));
            let button = egui::Button::new(RichText::new(chip).color(Color32::WHITE))
                .fill(ui.visuals().selection.bg_fill)
                .corner_radius(8.0);
            if ui
                .add(button)
                .on_hover_text(format!("Remove the {} criterion", label.to_lowercase()))
                .clicked()
            {
                commands.push(Command::ClearCriterion(label));
            }
        }
        if ui.button("Clear all").clicked() {
            commands.push(Command::ClearAll);
        }
    });
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_fields_are_validated_and_left_out_while_invalid() {
        let form = FilterForm {
            path: "ds/*".into(),
            ip: "10.0.0.0/33".into(),
            from: "2024-03-15".into(),
            to: "yesterday".into(),
            search: " token ".into(),
            ..FilterForm::default()
        };
        let (filter, errors) = form.build(Zone::Utc);
        assert_eq!(filter.paths, ["ds/*"]);
        assert!(filter.ips.is_empty());
        assert!(errors.ip.is_some());
        assert_eq!(filter.from, Some(1_710_460_800_000));
        assert_eq!(filter.to, None);
        assert!(errors.to.is_some());
        assert_eq!(filter.texts, ["token"]);
        assert!(errors.path.is_none());

        let (_, errors) = FilterForm {
            path: "a**b".into(),
            ..FilterForm::default()
        }
        .build(Zone::Utc);
        let _ = errors; // a pattern error, if the pattern syntax rejects it, is shown, not fatal.
    }

    #[test]
    fn presets_round_trip_through_the_form_and_chips_clear_their_criterion() {
        let paris = Zone::parse("Europe/Paris").unwrap();
        let preset = Filter {
            users: vec!["bob".into()],
            paths: vec!["ds/a".into()],
            from: Some(1_710_460_800_000),
            ..Filter::default()
        };
        let mut form = FilterForm::from_filter(&preset, paris);
        assert_eq!(form.from, "2024-03-15T01:00:00+01:00");
        assert_eq!(form.build(paris).0, preset);
        form.clear("User");
        form.clear("From");
        let (filter, _) = form.build(paris);
        assert!(filter.users.is_empty());
        assert_eq!(filter.from, None);
        assert_eq!(filter.paths, ["ds/a"]);
        form.clear_all();
        assert!(form.build(paris).0.is_empty());
    }
}
