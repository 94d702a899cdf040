//! The filter side panel (`filters_ui`) and the state it owns
//! (`FilterPanel`): the form being edited and what is wrong with it.
//!
//! - `form`: the edited filter and how it becomes a `query::Filter`;
//! - `fields`: sections, the path and date boxes;
//! - `lists`: the counted value lists;
//! - `chips`: the active criteria above the central view.

pub mod chips;
pub mod fields;
pub mod form;
pub mod lists;

use egui::{RichText, Ui};

use crate::display::reveal;
use crate::model::annotations::RowAnnotations;
use crate::model::{Category, LogKind, NodeType, Outcome, ResourceKind, Store, System};
use crate::time::Zone;
use crate::ui::command::{Command, QuickRange};
use crate::ui::computed::Facets;
use crate::ui::state::Preset;

pub use chips::chips_ui;
pub use form::{FilterForm, FormErrors};

use fields::{date_field_ui, error_line, path_completions_ui, section};
use lists::{counted_checkbox, enum_list, text_list};

/// The filter panel's own state: the form as edited and the errors of the
/// last filter built from it. Kept when paths are added to the case.
#[derive(Debug, Clone, Default)]
pub struct FilterPanel {
    pub form: FilterForm,
    pub errors: FormErrors,
}

/// The open case file, as the Case section shows it.
pub struct CaseSection<'a> {
    /// The case file's name.
    pub name: String,
    pub annotations: &'a RowAnnotations,
    /// Its saved views' names, and its summary.
    pub views: &'a [String],
    pub summary: &'a str,
}

/// The left panel. Returns what changed as commands.
#[must_use]
pub fn filters_ui(
    ui: &mut Ui,
    panel: &mut FilterPanel,
    facets: &Facets,
    presets: &[Preset],
    zone: Zone,
    store: &Store,
    case: Option<CaseSection<'_>>,
) -> Vec<Command> {
    let FilterPanel { form, errors } = panel;
    let span = store.span();
    let mut commands = Vec::new();
    let mut edited = false;
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading("Filters");
        if errors.any() {
            error_line(
                ui,
                &Some("Not applied: the view keeps its last filter until the boxes in red are fixed or cleared".to_string()),
            );
        }
        if let Some(case) = &case {
            let f = &mut form.base;
            let active = f.starred || !f.tags.is_empty() || f.has_note;
            section(ui, "Case", active, true, |ui| {
                ui.label(RichText::new(reveal(&case.name)).strong())
                    .on_hover_text("Marks are saved in this case file as you make them");
                let (starred, _, noted) = case.annotations.counts();
                if let Some(on) = counted_checkbox(ui, f.starred, "starred", starred as u64) {
                    f.starred = on;
                    edited = true;
                }
                if let Some(on) = counted_checkbox(ui, f.has_note, "with a note", noted as u64) {
                    f.has_note = on;
                    edited = true;
                }
                for (tag, count) in case.annotations.tag_counts() {
                    let on = f.tags.contains(&tag);
                    let label = format!("tag: {}", reveal(&tag));
                    if let Some(now) = counted_checkbox(ui, on, &label, count as u64) {
                        if now {
                            f.tags.push(tag);
                        } else {
                            f.tags.retain(|t| *t != tag);
                        }
                        edited = true;
                    }
                }
                commands.extend(case_views_ui(ui, case));
            });
        }
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
        let places_active = !f.countries.is_empty() || !f.asns.is_empty();
        section(ui, "Country", places_active, false, |ui| {
            edited |= places_ui(ui, &facets.places, f, &mut commands);
        });
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
        section(ui, "Log", !f.logs.is_empty(), false, |ui| {
            let values: Vec<(LogKind, &str)> =
                LogKind::ALL.iter().map(|c| (*c, c.as_str())).collect();
            edited |= enum_list(ui, &values, &facets.logs, &mut f.logs);
        });
        let ip_active = !f.ips.is_empty() || !form.ip.is_empty();
        section(ui, "IP / CIDR", ip_active, false, |ui| {
            let label = ui.label("Addresses or blocks (any of them)");
            edited |= ui
                .add(
                    egui::TextEdit::singleline(&mut form.ip)
                        .hint_text("192.0.2.7, 198.51.100.0/24")
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
                                .map(|(c, t)| format!("{}: {}", c.label(), reveal(t)))
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

/// The case's saved views (load one, save the current one) and its summary.
#[must_use]
fn case_views_ui(ui: &mut Ui, case: &CaseSection<'_>) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.add_space(4.0);
    for name in case.views {
        if ui
            .button(format!("View: {}", reveal(name)))
            .on_hover_text("Show this saved view: its filter, tab and sort")
            .clicked()
        {
            commands.push(Command::LoadCaseView(name.clone()));
        }
    }
    ui.horizontal(|ui| {
        let id = egui::Id::unique("case-view-name");
        let mut name: String = ui.data(|d| d.get_temp(id)).unwrap_or_default();
        let label = ui.label("View name");
        ui.add(egui::TextEdit::singleline(&mut name).desired_width(100.0))
            .labelled_by(label.id);
        if ui
            .add_enabled(!name.trim().is_empty(), egui::Button::new("Save view"))
            .on_hover_text("Keep this filter, tab and sort in the case")
            .clicked()
        {
            commands.push(Command::SaveCaseView(std::mem::take(&mut name)));
        }
        ui.data_mut(|d| d.insert_temp(id, name));
    });
    egui::CollapsingHeader::new("Summary")
        .id_salt("case-summary")
        .show(ui, |ui| {
            let id = egui::Id::unique(("case-summary-text", case.summary));
            let mut text: String = ui
                .data(|d| d.get_temp(id))
                .unwrap_or_else(|| case.summary.to_string());
            let label = ui.label("What the investigation found");
            ui.add(
                egui::TextEdit::multiline(&mut text)
                    .hint_text("shown first in the case report")
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            if text != case.summary && ui.button("Save summary").clicked() {
                commands.push(Command::SetCaseSummary(text.clone()));
            }
            ui.data_mut(|d| d.insert_temp(id, text));
        });
    commands
}

/// The Country panel: events per country and per AS (GeoIP), and why the
/// others have no country. Without a database, how to add one.
fn places_ui(
    ui: &mut Ui,
    places: &crate::analysis::places::PlaceCounts,
    f: &mut crate::query::Filter,
    commands: &mut Vec<Command>,
) -> bool {
    let mut edited = false;
    if places.databases.is_empty() {
        ui.label(RichText::new("No GeoIP database: addresses are not placed.").small());
        if ui
            .button("Add GeoIP database...")
            .on_hover_text("A MaxMind DB file (.mmdb): GeoLite2, DB-IP Lite, IPinfo Lite")
            .clicked()
        {
            commands.push(Command::AddGeoipDatabase);
        }
    }
    for country in &places.countries {
        let on = f.countries.contains(&country.iso);
        let label = format!("{} {}", country.iso, country.name);
        if let Some(now) = counted_checkbox(ui, on, label.trim_end(), country.events) {
            if now {
                f.countries.push(country.iso.clone());
            } else {
                f.countries.retain(|c| *c != country.iso);
            }
            edited = true;
        }
    }
    // A chosen country no event has any more stays, to be unchecked.
    for iso in f.countries.clone() {
        if !places.countries.iter().any(|c| c.iso == iso)
            && let Some(false) = counted_checkbox(ui, true, &iso, 0)
        {
            f.countries.retain(|c| *c != iso);
            edited = true;
        }
    }
    if !places.networks.is_empty() {
        ui.label(RichText::new("Autonomous systems").small().strong());
    }
    for network in &places.networks {
        let on = f.asns.contains(&network.asn);
        let label = format!("AS{} {}", network.asn, network.organization);
        if let Some(now) = counted_checkbox(ui, on, label.trim_end(), network.events) {
            if now {
                f.asns.push(network.asn);
            } else {
                f.asns.retain(|n| *n != network.asn);
            }
            edited = true;
        }
    }
    for asn in f.asns.clone() {
        if !places.networks.iter().any(|n| n.asn == asn)
            && let Some(false) = counted_checkbox(ui, true, &format!("AS{asn}"), 0)
        {
            f.asns.retain(|n| *n != asn);
            edited = true;
        }
    }
    for unplaced in &places.unplaced {
        ui.label(
            RichText::new(format!(
                "no country: {} ({})",
                unplaced.reason,
                crate::display::thousands(unplaced.events)
            ))
            .small()
            .weak(),
        );
    }
    edited
}
