//! The events table: only the visible rows are built. Failed events stand
//! out; hidden characters are shown by code point.

use egui::{RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};

use super::cells::{marks_text, place_text};
use crate::display::reveal;
use crate::geo::Places;
use crate::model::annotations::RowAnnotations;
use crate::model::{Outcome, Store, TextField};
use crate::time::Zone;
use crate::ui::command::{Command, TableColumn};
use crate::ui::widgets::event_actions::{copy_buttons_ui, pivot_buttons_ui};

/// How the table draws a column (the column itself is `command::TableColumn`).
impl TableColumn {
    /// The cell text of `row`, hidden characters shown by code point.
    pub fn text(self, store: &Store, row: usize, zone: Zone) -> String {
        let value = self.value(store, row, zone);
        match reveal(&value) {
            std::borrow::Cow::Borrowed(_) => value,
            revealed => revealed.into_owned(),
        }
    }

    /// The cell's exact value (what "Copy" copies).
    pub fn value(self, store: &Store, row: usize, zone: Zone) -> String {
        let events = &store.events;
        let text = |field| events.text(field, row).to_string();
        match self {
            TableColumn::Time => events
                .time_ms
                .get(row)
                .map(|t| zone.format(*t))
                .unwrap_or_default(),
            // Drawn from the case's marks (`marks_text`) and places (`place_text`).
            TableColumn::Marks
            | TableColumn::Country
            | TableColumn::City
            | TableColumn::Network => String::new(),
            TableColumn::System => events
                .system
                .get(row)
                .map(|s| s.to_string())
                .unwrap_or_default(),
            TableColumn::Log => events
                .log
                .get(row)
                .map(|s| s.to_string())
                .unwrap_or_default(),
            TableColumn::Actor => text(TextField::Actor),
            TableColumn::Ip => text(TextField::Ip),
            TableColumn::Action => text(TextField::Action),
            TableColumn::Category => events
                .category
                .get(row)
                .map(|c| c.to_string())
                .unwrap_or_default(),
            TableColumn::Outcome => events
                .outcome
                .get(row)
                .map(|o| o.to_string())
                .unwrap_or_default(),
            TableColumn::NodePath => text(TextField::NodePath),
            TableColumn::Resource => {
                let name = events.text(TextField::ResourceName, row);
                if name.is_empty() {
                    text(TextField::Resource)
                } else {
                    name.to_string()
                }
            }
            TableColumn::ObjectName => text(TextField::ObjectName),
            TableColumn::Message => text(TextField::Message),
            TableColumn::Source => {
                let source = events.source.get(row).copied().unwrap_or(0);
                let path = store.source_path(source);
                let name = std::path::Path::new(path)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| path.to_string());
                let line = events.line.get(row).copied().unwrap_or(0);
                format!("{name}:{line}")
            }
        }
    }
}

pub const ROW_HEIGHT: f32 = 20.0;
const HEADER_HEIGHT: f32 = ROW_HEIGHT + 2.0;
const SCROLLBAR_WIDTH: f32 = 12.0;

/// Where the table is scrolled to, as a row index. egui's scroll offsets are
/// `f32` pixels, which cannot address single rows beyond about 2 million rows
/// of 20 px; a row index can, at any size.
#[derive(Debug, Clone, Copy, Default)]
struct RowScroll {
    top: usize,
    /// Wheel movement not yet worth a whole row, in points.
    pending: f32,
}

/// What the table shows: `rows` in display order, and which of them is selected.
pub struct TableView<'a> {
    pub store: &'a Store,
    pub rows: &'a [u32],
    pub columns: &'a [TableColumn],
    pub zone: Zone,
    /// The sorted column and whether it is descending.
    pub sort: (TableColumn, bool),
    /// An index into `rows`.
    pub selected: Option<usize>,
    pub scroll_to_selected: bool,
    /// The case file's marks (none without one).
    pub annotations: &'a RowAnnotations,
    /// Where the addresses are (the GeoIP databases in use).
    pub places: &'a Places,
}

/// What a cell shows (marks apart, drawn from the case's marks).
fn cell_text(view: &TableView<'_>, column: TableColumn, row: usize) -> String {
    match column {
        TableColumn::Country | TableColumn::City | TableColumn::Network => {
            place_text(column, view.places, view.store, row)
        }
        _ => crate::display::one_line(&column.text(view.store, row, view.zone)).into_owned(),
    }
}

/// The table of `view.rows`: only the rows on screen are built, and a
/// scrollbar by row index stands beside it.
#[must_use]
pub fn events_table_ui(ui: &mut Ui, view: &TableView<'_>) -> Vec<Command> {
    let mut commands = Vec::new();
    let id = egui::Id::unique("events-scroll");
    let mut scroll: RowScroll = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    let full = ui.available_rect_before_wrap();
    let row_step = ROW_HEIGHT + ui.spacing().item_spacing.y;
    // Room for the header and a horizontal scrollbar under the rows.
    let body_height = full.height() - HEADER_HEIGHT - ui.spacing().scroll.bar_width - 8.0;
    let visible = ((body_height / row_step).floor().max(1.0)) as usize;
    let len = view.rows.len();
    let max_top = len.saturating_sub(visible);

    if ui.rect_contains_pointer(full) {
        let delta = ui.input_mut(|i| std::mem::take(&mut i.smooth_scroll_delta.y));
        scroll.pending += delta;
        let whole_rows = (scroll.pending / row_step).trunc();
        if whole_rows != 0.0 {
            scroll.pending -= whole_rows * row_step;
            scroll.top = scroll.top.saturating_add_signed(-(whole_rows as isize));
        }
    }
    if let (Some(selected), true) = (view.selected, view.scroll_to_selected) {
        if selected < scroll.top {
            scroll.top = selected;
        } else if selected >= scroll.top + visible {
            scroll.top = selected + 1 - visible;
        }
    }
    scroll.top = scroll.top.min(max_top);

    let table_rect = egui::Rect::from_min_max(
        full.min,
        egui::pos2(full.max.x - SCROLLBAR_WIDTH - 2.0, full.max.y),
    );
    let bar_rect = egui::Rect::from_min_max(
        egui::pos2(full.max.x - SCROLLBAR_WIDTH, full.min.y + HEADER_HEIGHT),
        egui::pos2(
            full.max.x,
            full.min.y + HEADER_HEIGHT + visible as f32 * row_step,
        ),
    );
    // Time stays in view while the other columns scroll sideways.
    let (pinned, rest) = match view.columns.split_first() {
        Some((&TableColumn::Time, rest)) if !rest.is_empty() => (Some(TableColumn::Time), rest),
        _ => (None, view.columns),
    };
    let mut scrolled_rect = table_rect;
    let widths = initial_widths(ui, view, scroll.top, visible);
    if let Some(column) = pinned {
        let width = (widths[0] + 8.0).min(table_rect.width() / 2.0);
        let pinned_rect =
            egui::Rect::from_min_size(table_rect.min, egui::vec2(width, table_rect.height()));
        scrolled_rect.min.x = pinned_rect.max.x + 2.0;
        let mut pinned_ui = ui.new_child(egui::UiBuilder::new().max_rect(pinned_rect));
        pinned_ui.set_clip_rect(pinned_rect.intersect(ui.clip_rect()));
        let part = TablePart {
            id: "events-pinned",
            columns: &[column],
            widths: vec![Column::exact(width - 8.0)],
        };
        commands.extend(table_rows_ui(
            &mut pinned_ui,
            view,
            &part,
            scroll.top,
            visible,
        ));
    }
    let mut table_ui = ui.new_child(egui::UiBuilder::new().max_rect(scrolled_rect));
    table_ui.set_clip_rect(scrolled_rect.intersect(ui.clip_rect()));
    let first_scrolled = usize::from(pinned.is_some());
    let widths = widths[first_scrolled..]
        .iter()
        .enumerate()
        .map(|(i, &width)| {
            if i + 1 == rest.len() {
                Column::remainder().at_least(80.0)
            } else {
                Column::initial(width).at_least(40.0).clip(true)
            }
        })
        .collect();
    let part = TablePart {
        id: "events",
        columns: rest,
        widths,
    };
    egui::ScrollArea::horizontal()
        .id_salt("table-h")
        .auto_shrink([false, false])
        .show(&mut table_ui, |ui| {
            commands.extend(table_rows_ui(ui, view, &part, scroll.top, visible));
        });
    if let Some(top) = scrollbar_ui(ui, bar_rect, id, scroll.top, visible, len) {
        scroll.top = top.min(max_top);
    }
    ui.allocate_rect(full, Sense::hover());
    ui.data_mut(|d| d.insert_temp(id, scroll));
    commands
}

/// Some of the table's columns, drawn as one table: the pinned Time column,
/// or the columns that scroll sideways.
struct TablePart<'a> {
    id: &'static str,
    columns: &'a [TableColumn],
    widths: Vec<Column>,
}

/// The first widths of the columns shown: what their headers and the rows
/// on screen need, measured once per set of columns and time zone (the
/// user may resize them after).
fn initial_widths(ui: &Ui, view: &TableView<'_>, top: usize, visible: usize) -> Vec<f32> {
    let key = egui::Id::unique(("events-widths", view.columns, view.zone.name()));
    if let Some(widths) = ui.data(|d| d.get_temp::<Vec<f32>>(key)) {
        return widths;
    }
    let widths: Vec<f32> = view
        .columns
        .iter()
        .map(|&column| content_width(ui, view, column, top, visible))
        .collect();
    if !view.rows.is_empty() {
        ui.data_mut(|d| d.insert_temp(key, widths.clone()));
    }
    widths
}

/// The width `column` needs for its header and the rows on screen, within limits.
fn content_width(
    ui: &Ui,
    view: &TableView<'_>,
    column: TableColumn,
    top: usize,
    visible: usize,
) -> f32 {
    if column == TableColumn::Marks {
        // Marks come and go as the investigator works: a steady width.
        return 110.0;
    }
    let font = egui::TextStyle::Body.resolve(ui.style());
    let measure = |text: String| {
        ui.fonts_mut(|f| {
            f.layout_no_wrap(text, font.clone(), egui::Color32::WHITE)
                .size()
                .x
        })
    };
    let header = match column {
        TableColumn::Time => format!("Time ({})", view.zone.name()),
        other => other.name().to_string(),
    };
    let widest = view
        .rows
        .iter()
        .skip(top)
        .take(visible.max(60))
        .map(|&row| measure(cell_text(view, column, row as usize)))
        .fold(measure(header) + 16.0, f32::max);
    let most = match column {
        TableColumn::NodePath | TableColumn::Message | TableColumn::Source => 360.0,
        _ => 240.0,
    };
    (widest + 12.0).clamp(48.0, most)
}

#[must_use]
fn table_rows_ui(
    ui: &mut Ui,
    view: &TableView<'_>,
    part: &TablePart<'_>,
    top: usize,
    visible: usize,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let failure = ui.visuals().error_fg_color;
    let columns = part.columns;
    let mut builder = TableBuilder::new(ui)
        // Widths measured without rows (a view still computing) are not
        // kept for the table with rows.
        .id_salt((part.id, view.rows.is_empty()))
        .striped(true)
        .resizable(true)
        .vscroll(false)
        .sense(Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    for width in &part.widths {
        builder = builder.column(*width);
    }
    let (sorted, descending) = view.sort;
    builder
        .header(HEADER_HEIGHT, |mut header| {
            for &column in columns {
                header.col(|ui| {
                    let name = match column {
                        TableColumn::Time => format!("Time ({})", view.zone.name()),
                        other => other.name().to_string(),
                    };
                    let button = egui::Button::new(RichText::new(name).strong()).frame(false);
                    let response = ui
                        .add(button)
                        .on_hover_text("Sort by this column; again to reverse");
                    if column == sorted {
                        sort_arrow_ui(ui, response.rect, descending);
                    }
                    if response.clicked() {
                        commands.push(Command::SortBy(column));
                    }
                });
            }
        })
        .body(|body| {
            let count = visible.min(view.rows.len().saturating_sub(top));
            body.rows(ROW_HEIGHT, count, |mut row| {
                let index = top + row.index();
                let Some(&event) = view.rows.get(index) else {
                    return;
                };
                let event = event as usize;
                row.set_selected(view.selected == Some(index));
                let failed = view.store.events.outcome.get(event) == Some(&Outcome::Failure);
                for &column in columns {
                    let (_, cell) = row.col(|ui| {
                        let mut text = match column {
                            TableColumn::Marks => marks_text(view.annotations.get(event)),
                            TableColumn::Country | TableColumn::City | TableColumn::Network => {
                                reveal(&cell_text(view, column, event)).into_owned()
                            }
                            _ => cell_text(view, column, event),
                        };
                        if failed && column == TableColumn::Outcome {
                            text = format!("× {text}");
                        }
                        let mut rich = RichText::new(text);
                        if failed {
                            rich = rich.color(failure);
                        }
                        ui.add(egui::Label::new(rich).truncate().selectable(false));
                    });
                    if cell.secondary_clicked() {
                        commands.push(Command::Select(Some(index)));
                    }
                    cell.context_menu(|ui| {
                        commands.extend(cell_menu_ui(ui, view, event, column));
                    });
                }
                if row.response().clicked() {
                    commands.push(Command::Select(Some(index)));
                }
            });
        });
    commands
}

/// A right click on a cell: copy it or its row, or narrow the filter to
/// what the event names.
#[must_use]
fn cell_menu_ui(
    ui: &mut Ui,
    view: &TableView<'_>,
    event: usize,
    column: TableColumn,
) -> Vec<Command> {
    let value = column.value(view.store, event, view.zone);
    let cell = (!value.is_empty()).then(|| (column.name(), value));
    let mut commands = copy_buttons_ui(ui, view.store, event, cell);
    ui.separator();
    commands.extend(pivot_buttons_ui(ui, view.store, event));
    if !commands.is_empty() {
        ui.close();
    }
    commands
}

/// A small triangle after a header label: up for ascending, down for
/// descending. Painted, because the bundled fonts have no arrow glyphs.
fn sort_arrow_ui(ui: &Ui, label: egui::Rect, descending: bool) {
    let center = egui::pos2(label.right() + 8.0, label.center().y);
    let (tip, base) = if descending { (4.0, -3.0) } else { (-4.0, 3.0) };
    let points = vec![
        egui::pos2(center.x - 4.0, center.y + base),
        egui::pos2(center.x + 4.0, center.y + base),
        egui::pos2(center.x, center.y + tip),
    ];
    let color = ui.visuals().strong_text_color();
    ui.painter().add(egui::Shape::convex_polygon(
        points,
        color,
        egui::Stroke::NONE,
    ));
}

/// A vertical scrollbar over `len` rows of which `visible` show from `top`.
/// Returns the new top row when the user drags or clicks it.
fn scrollbar_ui(
    ui: &mut Ui,
    rect: egui::Rect,
    id: egui::Id,
    top: usize,
    visible: usize,
    len: usize,
) -> Option<usize> {
    if len <= visible || rect.height() <= 0.0 {
        return None;
    }
    let response = ui.interact(rect, id.with("bar"), Sense::click_and_drag());
    let thumb_height = (rect.height() * visible as f32 / len as f32).max(24.0);
    let travel = (rect.height() - thumb_height).max(1.0);
    let max_top = len - visible;
    // f64: the fraction must address one row in many millions.
    let fraction = top as f64 / max_top as f64;
    let thumb_top = rect.top() + travel * fraction as f32;
    let thumb = egui::Rect::from_min_size(
        egui::pos2(rect.left(), thumb_top),
        egui::vec2(rect.width(), thumb_height),
    );
    let visuals = ui.visuals();
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 4.0, visuals.extreme_bg_color);
    let thumb_color = if response.dragged() || response.hovered() {
        visuals.widgets.hovered.bg_fill
    } else {
        visuals.widgets.inactive.bg_fill
    };
    painter.rect_filled(thumb.shrink(1.0), 4.0, thumb_color);
    if response.dragged() || response.clicked() {
        let pointer = response.interact_pointer_pos()?;
        let at = ((pointer.y - rect.top() - thumb_height / 2.0) / travel).clamp(0.0, 1.0);
        return Some((f64::from(at) * max_top as f64).round() as usize);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventDraft, System};

    #[test]
    fn cells_show_hidden_characters_and_the_source_line() {
        let mut store = Store::default();
        let mut draft = EventDraft::new(System::Pydio, 1_710_405_739_000, 7);
        draft.set(TextField::ObjectName, "invoice\u{202E}fdp.exe");
        store.events.push(&draft, 0);
        assert_eq!(
            TableColumn::ObjectName.text(&store, 0, Zone::Utc),
            "invoice‹U+202E›fdp.exe"
        );
        assert_eq!(
            TableColumn::Time.text(&store, 0, Zone::Utc),
            "2024-03-14T08:42:19Z"
        );
        assert_eq!(TableColumn::Source.text(&store, 0, Zone::Utc), ":7");
        assert_eq!(TableColumn::Time.text(&store, 5, Zone::Utc), "");
    }
}
