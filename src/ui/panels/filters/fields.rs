//! The filter panel's typed fields and their frame: collapsible sections,
//! error lines, the path box's completions and the date boxes' calendars.

use egui::{RichText, Ui};

use crate::analysis::suggest::{PathHint, path_completions, path_hint};
use crate::display::reveal;
use crate::model::Store;
use crate::time::Zone;

use super::form::FilterForm;

/// Path completions offered under the path box.
const PATH_COMPLETIONS: usize = 8;

/// What is wrong with a typed field, under it.
pub fn error_line(ui: &mut Ui, error: &Option<String>) {
    if let Some(error) = error {
        ui.label(
            RichText::new(error)
                .color(ui.visuals().error_fg_color)
                .small(),
        );
    }
}

/// A collapsible section of the panel; an active criterion is marked in
/// its title and keeps it open.
pub fn section(ui: &mut Ui, title: &str, active: bool, open: bool, add: impl FnOnce(&mut Ui)) {
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

/// The loaded paths that complete the typed one, as buttons, and when it
/// matches no node as whole folder names, says so and names the closest
/// paths. Returns the path clicked. Recomputed only when the text changes.
pub fn path_completions_ui(ui: &mut Ui, form: &mut FilterForm, store: &Store) -> Option<String> {
    let typed = form.path.trim();
    if form.path_completions.0 != typed {
        let hint = (!typed.is_empty()).then(|| path_hint(&store.events, typed, PATH_COMPLETIONS));
        form.path_completions = (
            typed.to_string(),
            path_completions(&store.events, typed, PATH_COMPLETIONS),
            hint,
        );
    }
    let (typed, completions, hint) = &form.path_completions;
    let mut chosen = None;
    let mut offer = |ui: &mut Ui, path: &str| {
        let text = RichText::new(reveal(path)).color(ui.visuals().hyperlink_color);
        if ui
            .add(egui::Button::new(text).frame(false))
            .on_hover_text("Filter on this path")
            .clicked()
        {
            chosen = Some(path.to_string());
        }
    };
    match hint {
        Some(PathHint::NoMatch { closest }) => {
            ui.label(
                RichText::new(format!(
                    "No path is “{}” or lies under it: a path matches whole folder names.",
                    reveal(typed)
                ))
                .color(ui.visuals().warn_fg_color),
            );
            if !closest.is_empty() {
                ui.label("Did you mean:");
            }
            for path in closest {
                offer(ui, path);
            }
            let pattern = format!("{typed}*");
            if ui
                .button(format!("Match inside names: {}", reveal(&pattern)))
                .on_hover_text("`*` matches any characters, `/` included")
                .clicked()
            {
                chosen = Some(pattern);
            }
        }
        _ => {
            for path in completions {
                offer(ui, path);
            }
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
pub fn date_field_ui(
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
                    .desired_width(130.0)
                    // Grows to show a whole time with its offset.
                    .clip_text(false),
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
