//! The timeline above the table: matched events per bucket, stacked by
//! outcome. Hover shows the bucket and its counts; dragging across it sets
//! the date filter.

use egui::{Color32, Rect, Sense, Ui, vec2};

use crate::analysis::timeline::Timeline;
use crate::display::thousands;
use crate::time::{UtcMs, Zone};
use crate::ui::command::Command;
use crate::ui::widgets::bars::bars_ui;

const SUCCESS: Color32 = Color32::from_rgb(86, 140, 200);
const FAILURE: Color32 = Color32::from_rgb(220, 80, 70);
const UNKNOWN: Color32 = Color32::from_rgb(150, 150, 150);

/// Where a drag across the timeline started, in points.
#[derive(Debug, Default)]
pub struct TimelineDrag {
    start_x: Option<f32>,
}

#[must_use]
pub fn timeline_ui(
    ui: &mut Ui,
    timeline: Option<&Timeline>,
    zone: Zone,
    drag: &mut TimelineDrag,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let colors = [SUCCESS, FAILURE, UNKNOWN];
    // A small window keeps most of its height for the table.
    let height = (ui.available_height() * 0.22).clamp(44.0, 84.0);
    let Some(bars) = bars_ui(ui, timeline, height, Sense::click_and_drag(), |part| {
        colors[part]
    }) else {
        return commands;
    };
    let (rect, painter, timeline, response) =
        (bars.rect, &bars.painter, bars.buckets, &bars.response);
    let max = timeline.max_total().max(1);
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
        format!("max {} per {}", thousands(max), timeline.size.name()),
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
                let fraction = |x: f32| (x - rect.left()) / rect.width().max(1.0);
                let (from, to) = timeline.brush(fraction(a), fraction(b));
                commands.push(Command::SetDates(Some(UtcMs(from)), Some(UtcMs(to))));
            }
            drag.start_x = None;
        }
    } else if response.drag_stopped() {
        drag.start_x = None;
    }
    if let Some(index) = bars.hovered(ui) {
        let counts = timeline.counts[index];
        let start = timeline.bucket_start(index);
        bars.response.clone().on_hover_ui_at_pointer(|ui| {
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
