//! Stacked bars over time, the drawing the timeline and a node's activity
//! graph share: the frame, the bars, the hovered bucket.

use egui::{Color32, Painter, Pos2, Rect, Response, Sense, Stroke, Ui, vec2};

use crate::analysis::timeline::Buckets;

/// A drawn chart: where it is, how it was interacted with, and its bars.
pub struct Bars<'b, const N: usize> {
    pub rect: Rect,
    pub response: Response,
    pub painter: Painter,
    pub buckets: &'b Buckets<N>,
    pub bar_width: f32,
}

impl<const N: usize> Bars<'_, N> {
    /// The bucket under the pointer, marked with a line.
    pub fn hovered(&self, ui: &Ui) -> Option<usize> {
        let pos = self.response.hover_pos()?;
        let last = self.buckets.counts.len().checked_sub(1)?;
        let index = (((pos.x - self.rect.left()) / self.bar_width) as usize).min(last);
        let x = self.rect.left() + (index as f32 + 0.5) * self.bar_width;
        self.painter.line_segment(
            [
                Pos2::new(x, self.rect.top()),
                Pos2::new(x, self.rect.bottom()),
            ],
            Stroke::new(1.0, ui.visuals().strong_text_color()),
        );
        Some(index)
    }
}

/// Allocates a chart `height` high, paints its background and the bars of
/// `buckets` stacked in the order of their parts, colored by `color`. With
/// nothing to draw it says so and returns `None`.
pub fn bars_ui<'b, const N: usize>(
    ui: &mut Ui,
    buckets: Option<&'b Buckets<N>>,
    height: f32,
    sense: Sense,
    color: impl Fn(usize) -> Color32,
) -> Option<Bars<'b, N>> {
    let (rect, response) = ui.allocate_exact_size(vec2(ui.available_width(), height), sense);
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
    let Some(buckets) = buckets.filter(|b| !b.counts.is_empty()) else {
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            "No matched events",
            egui::FontId::proportional(12.0),
            ui.visuals().weak_text_color(),
        );
        return None;
    };
    let max = buckets.max_total().max(1) as f32;
    let bar_width = rect.width() / buckets.counts.len() as f32;
    // The top strip holds the labels; bars stay below it.
    let inner = Rect::from_min_max(rect.left_top() + vec2(0.0, 16.0), rect.right_bottom());
    for (i, counts) in buckets.counts.iter().enumerate() {
        let left = rect.left() + i as f32 * bar_width;
        let mut bottom = inner.bottom();
        for (part, count) in counts.iter().enumerate() {
            if *count == 0 {
                continue;
            }
            let h = (*count as f32 / max * inner.height()).max(1.0);
            let bar = Rect::from_min_max(
                Pos2::new(left + 0.5, bottom - h),
                Pos2::new((left + bar_width - 0.5).max(left + 1.0), bottom),
            );
            painter.rect_filled(bar, 0.0, color(part));
            bottom -= h;
        }
    }
    Some(Bars {
        rect,
        response,
        painter,
        buckets,
        bar_width,
    })
}
