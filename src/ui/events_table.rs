//! The events table: only the visible rows are built. Failed events stand
//! out; hidden characters are shown by code point.

use egui::{RichText, Sense, Ui};
use egui_extras::{Column as TableColumn, TableBuilder};

use crate::model::{Outcome, Store, TextField};
use crate::query::Selection;
use crate::time::Zone;

use super::app::Command;
use super::display::reveal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Time,
    System,
    Actor,
    Ip,
    Action,
    Category,
    Outcome,
    NodePath,
    Resource,
    ObjectName,
    Message,
    Source,
}

impl Column {
    pub const ALL: [Column; 12] = [
        Column::Time,
        Column::System,
        Column::Actor,
        Column::Ip,
        Column::Action,
        Column::Category,
        Column::Outcome,
        Column::NodePath,
        Column::Resource,
        Column::ObjectName,
        Column::Message,
        Column::Source,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Column::Time => "Time",
            Column::System => "System",
            Column::Actor => "Actor",
            Column::Ip => "IP",
            Column::Action => "Action",
            Column::Category => "Category",
            Column::Outcome => "Outcome",
            Column::NodePath => "Node Path",
            Column::Resource => "Resource",
            Column::ObjectName => "Object Name",
            Column::Message => "Message",
            Column::Source => "Source",
        }
    }

    fn width(self) -> f32 {
        match self {
            Column::Time => 190.0,
            Column::System => 75.0,
            Column::Actor | Column::Action => 130.0,
            Column::Ip => 110.0,
            Column::Category | Column::Outcome => 75.0,
            Column::NodePath => 260.0,
            Column::Resource | Column::ObjectName => 140.0,
            Column::Message => 260.0,
            Column::Source => 200.0,
        }
    }

    /// The cell text of `row`.
    pub fn text(self, store: &Store, row: usize, zone: Zone) -> String {
        let events = &store.events;
        let text = |field| reveal(events.text(field, row)).into_owned();
        match self {
            Column::Time => events
                .time_ms
                .get(row)
                .map(|t| zone.format(*t))
                .unwrap_or_default(),
            Column::System => events
                .system
                .get(row)
                .map(|s| s.to_string())
                .unwrap_or_default(),
            Column::Actor => text(TextField::Actor),
            Column::Ip => text(TextField::Ip),
            Column::Action => text(TextField::Action),
            Column::Category => events
                .category
                .get(row)
                .map(|c| c.to_string())
                .unwrap_or_default(),
            Column::Outcome => events
                .outcome
                .get(row)
                .map(|o| o.to_string())
                .unwrap_or_default(),
            Column::NodePath => text(TextField::NodePath),
            Column::Resource => {
                let name = events.text(TextField::ResourceName, row);
                if name.is_empty() {
                    text(TextField::Resource)
                } else {
                    reveal(name).into_owned()
                }
            }
            Column::ObjectName => text(TextField::ObjectName),
            Column::Message => text(TextField::Message),
            Column::Source => {
                let source = events.source.get(row).copied().unwrap_or(0);
                let path = store.source_path(source);
                let name = std::path::Path::new(path)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| path.to_string());
                let line = events.line.get(row).copied().unwrap_or(0);
                format!("{}:{line}", reveal(&name))
            }
        }
    }
}

pub const ROW_HEIGHT: f32 = 20.0;

/// The table of the selected rows. `selected` is an index into `selection`.
pub fn events_table_ui(
    ui: &mut Ui,
    store: &Store,
    selection: &Selection,
    columns: &[Column],
    zone: Zone,
    selected: Option<usize>,
    scroll_to_selected: bool,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let failure = ui.visuals().error_fg_color;
    let mut builder = TableBuilder::new(ui)
        .id_salt("events")
        .striped(true)
        .resizable(true)
        .sense(Sense::click())
        .auto_shrink([false, false])
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    for (i, column) in columns.iter().enumerate() {
        let width = if i + 1 == columns.len() {
            TableColumn::remainder().at_least(80.0)
        } else {
            TableColumn::initial(column.width())
                .at_least(40.0)
                .clip(true)
        };
        builder = builder.column(width);
    }
    if let (Some(index), true) = (selected, scroll_to_selected) {
        builder = builder.scroll_to_row(index, None);
    }
    builder
        .header(ROW_HEIGHT + 2.0, |mut header| {
            for column in columns {
                header.col(|ui| {
                    let name = match column {
                        Column::Time => format!("Time ({})", zone.name()),
                        other => other.name().to_string(),
                    };
                    ui.strong(name);
                });
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, selection.len(), |mut row| {
                let index = row.index();
                let Some(&event) = selection.rows.get(index) else {
                    return;
                };
                let event = event as usize;
                row.set_selected(selected == Some(index));
                let failed = store.events.outcome.get(event) == Some(&Outcome::Failure);
                for column in columns {
                    row.col(|ui| {
                        let mut text = column.text(store, event, zone);
                        if failed && *column == Column::Outcome {
                            text = format!("× {text}");
                        }
                        let mut rich = RichText::new(text);
                        if failed {
                            rich = rich.color(failure);
                        }
                        ui.add(egui::Label::new(rich).truncate().selectable(false));
                    });
                }
                if row.response().clicked() {
                    commands.push(Command::Select(Some(index)));
                }
            });
        });
    commands
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
            Column::ObjectName.text(&store, 0, Zone::Utc),
            "invoice‹U+202E›fdp.exe"
        );
        assert_eq!(
            Column::Time.text(&store, 0, Zone::Utc),
            "2024-03-14T08:42:19Z"
        );
        assert_eq!(Column::Source.text(&store, 0, Zone::Utc), ":7");
        assert_eq!(Column::Time.text(&store, 5, Zone::Utc), "");
    }
}
