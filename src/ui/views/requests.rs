//! The Requests view: a table of the matched events grouped by request
//! (id, start, duration, actor, address, events, failures, actions),
//! sortable by its headers and narrowed to requests of several events or
//! with failures; the selected request's lines show below it.

use egui::{RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};

use crate::analysis::requests::{Request, RequestIndex, RequestOrder, RequestShown};
use crate::display::{reveal, thousands};
use crate::model::{Store, TextField};
use crate::time::Zone;
use crate::ui::command::{Command, Pivot};

/// What the Requests view keeps between frames.
#[derive(Debug, Default)]
pub struct RequestsView {
    pub shown: RequestShown,
    /// The selected request, by id (the same request in any filter).
    pub selected: Option<String>,
    /// The order last computed: for which index (its address and size) and
    /// which `shown`.
    order: Option<((usize, usize, RequestShown), Vec<u32>)>,
}

impl RequestsView {
    fn order(&mut self, index: &RequestIndex) -> &[u32] {
        let key = (std::ptr::from_ref(index) as usize, index.len(), self.shown);
        if self.order.as_ref().is_none_or(|(k, _)| *k != key) {
            self.order = Some((key, index.shown(&self.shown)));
        }
        self.order.as_ref().map_or(&[], |(_, order)| order)
    }
}

const ROW_HEIGHT: f32 = 20.0;

#[must_use]
pub fn requests_ui(
    ui: &mut Ui,
    store: &Store,
    index: &RequestIndex,
    zone: Zone,
    view: &mut RequestsView,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut view.shown.several_events, "Several events only");
        ui.checkbox(&mut view.shown.with_failures, "With failures only");
    });
    let order = view.order(index).to_vec();
    ui.label(format!(
        "{} of {} requests",
        thousands(order.len() as u64),
        thousands(index.len() as u64)
    ));
    let selected = view
        .selected
        .as_deref()
        .and_then(|id| index.requests.iter().find(|r| index.id(store, r) == id));
    let table_height = if selected.is_some() {
        ui.available_height() * 0.55
    } else {
        ui.available_height()
    };
    let failure = ui.visuals().error_fg_color;
    let headers = [
        ("Request ID", None),
        ("Start", Some(RequestOrder::Start)),
        ("Duration", Some(RequestOrder::Duration)),
        ("Actor", None),
        ("IP", None),
        ("Events", Some(RequestOrder::Events)),
        ("Failures", Some(RequestOrder::Failures)),
        ("Actions", None),
    ];
    let mut clicked = None;
    // In a box of its own height, so its column lines stop where it does.
    let size = egui::vec2(ui.available_width(), table_height);
    ui.allocate_ui_with_layout(size, egui::Layout::top_down(egui::Align::Min), |ui| {
        TableBuilder::new(ui)
            .id_salt("requests")
            .striped(true)
            .resizable(true)
            .sense(Sense::click())
            .max_scroll_height(table_height)
            .min_scrolled_height(table_height.min(100.0))
            .column(Column::initial(110.0).clip(true))
            .column(Column::initial(160.0).clip(true))
            .column(Column::initial(70.0))
            .column(Column::initial(140.0).clip(true))
            .column(Column::initial(110.0).clip(true))
            .column(Column::initial(55.0))
            .column(Column::initial(60.0))
            .column(Column::remainder().at_least(120.0).clip(true))
            .header(ROW_HEIGHT + 2.0, |mut header| {
                for (name, order) in headers {
                    header.col(|ui| {
                        let text = match order {
                            Some(o) if o == view.shown.order => {
                                let arrow = if view.shown.descending { "v" } else { "^" };
                                format!("{name} {arrow}")
                            }
                            _ => name.to_string(),
                        };
                        let label = RichText::new(text).strong();
                        match order {
                            Some(order) => {
                                let response = ui
                                    .add(egui::Button::new(label).frame(false))
                                    .on_hover_text("Sort by this column; again to reverse");
                                if response.clicked() {
                                    let shown = &mut view.shown;
                                    shown.descending = shown.order == order && !shown.descending;
                                    shown.order = order;
                                }
                            }
                            None => {
                                ui.label(label);
                            }
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, order.len(), |mut row| {
                    let request = &index.requests[order[row.index()] as usize];
                    let id = index.id(store, request);
                    row.set_selected(view.selected.as_deref() == Some(id));
                    let color = (request.failures > 0).then_some(failure);
                    let cell = |row: &mut egui_extras::TableRow<'_, '_>, text: String| {
                        row.col(|ui| {
                            let mut rich = RichText::new(text);
                            if let Some(color) = color {
                                rich = rich.color(color);
                            }
                            ui.add(egui::Label::new(rich).truncate().selectable(false));
                        });
                    };
                    cell(&mut row, reveal(id).into_owned());
                    cell(&mut row, zone.format(request.start_ms));
                    cell(&mut row, duration(request));
                    cell(
                        &mut row,
                        reveal(index.first(store, request, TextField::Actor)).into_owned(),
                    );
                    cell(
                        &mut row,
                        index.first(store, request, TextField::Ip).to_string(),
                    );
                    cell(&mut row, thousands(request.len() as u64));
                    cell(&mut row, thousands(u64::from(request.failures)));
                    cell(
                        &mut row,
                        reveal(&index.summary(store, request)).into_owned(),
                    );
                    if row.response().clicked() {
                        clicked = Some(id.to_string());
                    }
                });
            });
    });
    if let Some(id) = clicked {
        view.selected = (view.selected.as_deref() != Some(id.as_str())).then_some(id);
    }
    if let Some(request) = selected {
        ui.separator();
        commands.extend(lines_ui(ui, store, index, request, zone));
    }
    commands
}

fn duration(request: &Request) -> String {
    format!("{:.1} s", request.duration_ms() as f64 / 1000.0)
}

/// The selected request's lines, each a link to its event.
#[must_use]
fn lines_ui(
    ui: &mut Ui,
    store: &Store,
    index: &RequestIndex,
    request: &Request,
    zone: Zone,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let id = index.id(store, request);
    ui.horizontal(|ui| {
        ui.label(RichText::new(reveal(id)).monospace().strong());
        if ui.button("Only this request").clicked() {
            commands.push(Command::Pivot(Pivot::Request(id.to_string())));
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("request-lines")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for &row in index.rows(request) {
                let r = row as usize;
                ui.horizontal(|ui| {
                    let time = zone.format(store.events.time_ms[r]);
                    if ui.link(time).on_hover_text("Show this event").clicked() {
                        commands.push(Command::RevealEvent(row));
                    }
                    ui.label(format!(
                        "{}  {}  {}",
                        reveal(store.events.text(TextField::Action, r)),
                        store.events.outcome[r],
                        reveal(store.events.text(TextField::NodePath, r))
                    ));
                });
            }
        });
    commands
}
