//! What the events table shows beyond an event's own fields: the case's
//! marks and where the address is.

use crate::display::reveal;
use crate::geo::Places;
use crate::model::Store;
use crate::model::annotations::Annotation;
use crate::ui::command::TableColumn;

/// A place column's cell: `JP Japan`, `Tokyo, Tokyo`, `AS64500 Example`.
pub fn place_text(column: TableColumn, places: &Places, store: &Store, row: usize) -> String {
    let place = places.of_row(store, row);
    match column {
        TableColumn::Country => place
            .country
            .map(|c| format!("{} {}", c.iso, c.name).trim_end().to_string())
            .unwrap_or_default(),
        TableColumn::City => place.city.map(crate::export::city_text).unwrap_or_default(),
        TableColumn::Network => place
            .network
            .map(|n| {
                format!("AS{} {}", n.number, n.organization)
                    .trim_end()
                    .to_string()
            })
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// A row's marks as the Marks column shows them: `*` when starred, the
/// tags, and `[note]` when it has one.
pub fn marks_text(annotation: Option<&Annotation>) -> String {
    let Some(a) = annotation else {
        return String::new();
    };
    let mut parts = Vec::new();
    if a.starred {
        parts.push("*".to_string());
    }
    parts.extend(a.tags.iter().map(|t| reveal(t).into_owned()));
    if !a.note.is_empty() {
        parts.push("[note]".to_string());
    }
    parts.join(" ")
}
