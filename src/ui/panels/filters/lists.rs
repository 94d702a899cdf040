//! The filter panel's value lists: checkboxes with the count of events each
//! value would match, for enum criteria and for searchable text criteria.

use egui::{RichText, Ui};

use crate::display::{reveal, thousands};

/// Adds `value` to `list` or takes it out.
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
pub fn counted_checkbox(ui: &mut Ui, checked: bool, label: &str, count: u64) -> Option<bool> {
    let mut on = checked;
    let changed = ui
        .horizontal(|ui| {
            let changed = ui.checkbox(&mut on, reveal(label).as_ref()).changed();
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                // Clear of the panel's scroll bar, which floats over the edge.
                ui.add_space(8.0);
                ui.label(RichText::new(thousands(count)).weak());
            });
            changed
        })
        .inner;
    changed.then_some(on)
}

pub fn enum_list<T: Copy + PartialEq + Into<u8>>(
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
pub fn text_list(
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
