//! The coverage calendar strip: per system, one square per day (or per few
//! days when they do not fit) from the case's first day to its last (one
//! axis for all, so a day lines up across systems), shaded by its
//! events, red where a daily series has no file; hovering names the day,
//! its events and its files. A system log read beside a trail (Pydio's
//! `pydio.log`) has a strip of its own, never shaded as coverage.

use std::collections::{BTreeMap, BTreeSet};

use egui::{Color32, CornerRadius, Sense, Ui, vec2};

use crate::display::{plural, reveal};
use crate::index::coverage::{Coverage, Day};
use crate::time::{Bound, DAY_MS, Zone, format_utc, parse_user_time};

const SQUARE: f32 = 12.0;
const GAP: f32 = 2.0;

fn day_number(day: &str) -> Option<i64> {
    parse_user_time(day, Zone::Utc, Bound::From)
        .ok()
        .map(|ms| ms.div_euclid(DAY_MS))
}

fn day_name(day: i64) -> String {
    format_utc(day * DAY_MS).chars().take(10).collect()
}

/// How a strip's squares are shaded: green for audit records, grey-blue
/// for a system log's lines (never read as coverage).
#[derive(Clone, Copy)]
enum Shade {
    Audit,
    SystemLog,
}

/// One strip: a square per day (or per few days) of `axis`, shaded by the
/// day's records, red where a daily series has no file.
fn strip_row_ui(
    ui: &mut Ui,
    label: &str,
    day_list: &[Day],
    missing_days: &[String],
    (first, last): (i64, i64),
    shade: Shade,
) {
    let missing_color = ui.visuals().error_fg_color;
    let empty_color = ui.visuals().faint_bg_color;
    let days: BTreeMap<i64, (u64, &[String])> = day_list
        .iter()
        .filter_map(|d| Some((day_number(&d.day)?, (d.events, &d.files[..]))))
        .collect();
    let missing: BTreeSet<i64> = missing_days.iter().filter_map(|d| day_number(d)).collect();
    let most = days.values().map(|(n, _)| *n).max().unwrap_or(1).max(1);
    let (noun, nouns) = match shade {
        Shade::Audit => ("event", "events"),
        Shade::SystemLog => ("system log line", "system log lines"),
    };
    ui.horizontal(|ui| {
        ui.add_sized([80.0, SQUARE], egui::Label::new(label));
        let span = (last - first + 1).max(1) as f32;
        let room = ((ui.available_width() - 8.0) / (SQUARE + GAP)).max(1.0);
        let per_square = (span / room).ceil().max(1.0) as i64;
        let squares = ((last - first) / per_square) + 1;
        for square in 0..squares {
            let from = first + square * per_square;
            let to = (from + per_square - 1).min(last);
            let events: u64 = days.range(from..=to).map(|(_, (n, _))| *n).sum();
            let gaps: Vec<i64> = missing.range(from..=to).copied().collect();
            let color = if !gaps.is_empty() {
                missing_color
            } else if events == 0 {
                empty_color
            } else {
                // Log-scaled: one record is visible, the busiest day full.
                let share = ((events as f32).ln_1p() / (most as f32).ln_1p()).clamp(0.15, 1.0);
                match shade {
                    Shade::Audit => Color32::from_rgb(
                        (40.0 * (1.0 - share)) as u8 + 30,
                        (110.0 + 110.0 * share) as u8,
                        (60.0 * (1.0 - share)) as u8 + 40,
                    ),
                    Shade::SystemLog => Color32::from_rgb(
                        (90.0 * (1.0 - share)) as u8 + 60,
                        (90.0 * (1.0 - share)) as u8 + 80,
                        (60.0 + 120.0 * share) as u8,
                    ),
                }
            };
            let (rect, response) = ui.allocate_exact_size(vec2(SQUARE, SQUARE), Sense::hover());
            ui.painter().rect_filled(rect, CornerRadius::same(2), color);
            response.on_hover_ui(|ui| {
                let range = if from == to {
                    day_name(from)
                } else {
                    format!("{} .. {}", day_name(from), day_name(to))
                };
                ui.label(format!("{range}: {}", plural(events, noun, nouns)));
                for gap in &gaps {
                    ui.label(format!("{}: no file of the daily series", day_name(*gap)));
                }
                let files: BTreeSet<&String> = days
                    .range(from..=to)
                    .flat_map(|(_, (_, files))| files.iter())
                    .collect();
                for file in files.iter().take(8) {
                    ui.label(reveal(file));
                }
                if files.len() > 8 {
                    ui.label(format!("and {} more files", files.len() - 8));
                }
            });
        }
    });
}

pub fn coverage_strip_ui(ui: &mut Ui, coverage: &Coverage) {
    if coverage.systems.is_empty() {
        ui.label("No events.");
        return;
    }
    // One axis for every system, so a day is in the same column in each.
    let span = coverage
        .systems
        .iter()
        .flat_map(|s| {
            s.days
                .iter()
                .chain(&s.system_days)
                .map(|d| &d.day)
                .chain(&s.missing_days)
        })
        .filter_map(|d| day_number(d));
    let (Some(first), Some(last)) = (span.clone().min(), span.max()) else {
        ui.label("No events.");
        return;
    };
    let axis = (first, last);
    for system in &coverage.systems {
        let label = system.system.as_str();
        strip_row_ui(
            ui,
            label,
            &system.days,
            &system.missing_days,
            axis,
            Shade::Audit,
        );
        if !system.system_days.is_empty() {
            strip_row_ui(
                ui,
                "system log",
                &system.system_days,
                &[],
                axis,
                Shade::SystemLog,
            );
            ui.weak(format!(
                "{label}: {} system and task lines, not audit records: not counted as coverage",
                system.system_lines
            ));
        }
    }
    let flagged: Vec<String> = coverage
        .files
        .iter()
        .filter(|f| f.cut_short || f.rejected > 0 || f.changed_while_read.is_some())
        .map(|f| {
            let mut notes = Vec::new();
            if f.cut_short {
                notes.push("cut short".to_string());
            }
            if f.rejected > 0 {
                notes.push(plural(f.rejected, "reject", "rejects"));
            }
            if f.changed_while_read.is_some() {
                notes.push("changed while read".to_string());
            }
            format!("{}: {}", reveal(&f.path), notes.join(", "))
        })
        .collect();
    for line in flagged {
        ui.colored_label(ui.visuals().warn_fg_color, line);
    }
}
