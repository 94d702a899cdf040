//! The hint over the whole window while files are dragged over it.

use egui::Ui;

/// Darkens the window and says what a drop does, while files hover it.
pub fn drop_hint_ui(ui: &mut Ui, has_case: bool) {
    let hovering = ui.input(|i| !i.raw.hovered_files.is_empty());
    if !hovering {
        return;
    }
    let rect = ui.ctx().content_rect();
    let painter = ui.ctx().layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop-hint"),
    ));
    painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
    let text = if has_case {
        "Drop to add to the case"
    } else {
        "Drop to open"
    };
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        text,
        egui::FontId::proportional(28.0),
        egui::Color32::WHITE,
    );
}
