//! The timeline above the table: matched events per bucket, stacked by
//! outcome. Hover shows the bucket and its counts; dragging across it sets
//! the date filter.

use egui::{Color32, Pos2, Rect, Sense, Stroke, Ui, vec2};

use crate::analysis::timeline::Timeline;
use crate::time::Zone;

use super::app::Command;
use super::display::thousands;

const SUCCESS: Color32 = Color32::from_rgb(86, 140, 200);
const FAILURE: Color32 = Color32::from_rgb(220, 80, 70);
const UNKNOWN: Color32 = Color32::from_rgb(150, 150, 150);

/// Where a drag across the timeline started, in points.
#[derive(Debug, Default)]
pub struct TimelineDrag {
    start_x: Option<f32>,
}

fn time_at(timeline: &Timeline, rect: Rect, x: f32) -> i64 {
    let fraction = ((x - rect.left()) / rect.width().max(1.0)).clamp(0.0, 1.0) as f64;
    let span = (timeline.end() - timeline.start) as f64;
    timeline.start + (fraction * span) as i64
}

pub fn timeline_ui(
    ui: &mut Ui,
    timeline: Option<&Timeline>,
    zone: Zone,
    drag: &mut TimelineDrag,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let height = 84.0;
    let (rect, response) =
        ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click_and_drag());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
    let Some(timeline) = timeline.filter(|t| !t.counts.is_empty()) else {
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            "No matched events",
            egui::FontId::proportional(12.0),
            ui.visuals().weak_text_color(),
        );
        return commands;
    };
    let max = timeline.max_total().max(1) as f32;
    let bar_width = rect.width() / timeline.counts.len() as f32;
    // The top strip holds the labels; bars stay below it.
    let inner = Rect::from_min_max(rect.left_top() + vec2(0.0, 16.0), rect.right_bottom());
    for (i, counts) in timeline.counts.iter().enumerate() {
        let left = rect.left() + i as f32 * bar_width;
        let mut bottom = inner.bottom();
        for (count, color) in counts.iter().zip([SUCCESS, FAILURE, UNKNOWN]) {
            if *count == 0 {
                continue;
            }
            let h = (*count as f32 / max * inner.height()).max(1.0);
            let bar = Rect::from_min_max(
                Pos2::new(left + 0.5, bottom - h),
                Pos2::new((left + bar_width - 0.5).max(left + 1.0), bottom),
            );
            painter.rect_filled(bar, 0.0, color);
            bottom -= h;
        }
    }
    let label_color = ui.visuals().weak_text_color();
    let font = egui::FontId::proportional(10.0);
    painter.text(
        rect.left_top() + vec2(4.0, 2.0),
        egui::Align2::LEFT_TOP,
        format!(
            "{} - per {}",
            zone.format(timeline.start),
            timeline.size.name()
        ),
        font.clone(),
        label_color,
    );
    painter.text(
        rect.right_top() + vec2(-4.0, 2.0),
        egui::Align2::RIGHT_TOP,
        format!("max {} per {}", thousands(max as u64), timeline.size.name()),
        font,
        label_color,
    );

    if response.drag_started() {
        drag.start_x = response.interact_pointer_pos().map(|p| p.x);
    }
    if let (Some(start), Some(now)) = (drag.start_x, response.interact_pointer_pos()) {
        if response.dragged() {
            let band = Rect::from_x_y_ranges(start.min(now.x)..=start.max(now.x), rect.y_range());
            painter.rect_filled(
                band,
                0.0,
                ui.visuals().selection.bg_fill.gamma_multiply(0.4),
            );
        }
        if response.drag_stopped() {
            let (a, b) = (start.min(now.x), start.max(now.x));
            if b - a > 2.0 {
                commands.push(Command::SetDates(
                    Some(time_at(timeline, rect, a)),
                    Some(time_at(timeline, rect, b)),
                ));
            }
            drag.start_x = None;
        }
    } else if response.drag_stopped() {
        drag.start_x = None;
    }
    if let Some(pos) = response.hover_pos() {
        let index = (((pos.x - rect.left()) / bar_width) as usize).min(timeline.counts.len() - 1);
        let x = rect.left() + (index as f32 + 0.5) * bar_width;
        painter.line_segment(
            [Pos2::new(x, rect.top()), Pos2::new(x, rect.bottom())],
            Stroke::new(1.0, ui.visuals().strong_text_color()),
        );
        let counts = timeline.counts[index];
        let start = timeline.bucket_start(index);
        response.on_hover_ui_at_pointer(|ui| {
            ui.label(format!(
                "{} (one {})",
                zone.format(start),
                timeline.size.name()
            ));
            ui.label(format!(
                "{} events: {} success, {} failure, {} unknown",
                thousands(counts.iter().sum()),
                thousands(counts[0]),
                thousands(counts[1]),
                thousands(counts[2])
            ));
            ui.label(egui::RichText::new("Drag across to set the dates").weak());
        });
    }
    commands
}
