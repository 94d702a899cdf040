//! What can be done with one event, wherever it shows (the details pane,
//! a right click on the table): narrow the filter to what it names, and
//! copy it.

use egui::Ui;

use crate::display::reveal;
use crate::export::clipboard;
use crate::model::annotations::{Annotation, Mark};
use crate::model::{Store, TextField};
use crate::ui::command::{Command, Pivot};
use crate::ui::shortcuts::{Action, menu_text};

/// "Only this user / node / request / resource / IP" and "±5 minutes",
/// each enabled when the event names one.
#[must_use]
pub fn pivot_buttons_ui(ui: &mut Ui, store: &Store, row: usize) -> Vec<Command> {
    let mut commands = Vec::new();
    let events = &store.events;
    let text = |field| events.text(field, row).to_string();
    let pivots = [
        (
            "Only this user",
            text(TextField::Actor),
            Pivot::User as fn(String) -> Pivot,
        ),
        (
            "Only this node and below",
            text(TextField::NodePath),
            Pivot::Node,
        ),
        (
            "Only this request",
            text(TextField::RequestId),
            Pivot::Request,
        ),
        (
            "Only this resource",
            text(TextField::Resource),
            Pivot::Resource,
        ),
        ("Only this IP", text(TextField::Ip), Pivot::Ip),
    ];
    for (label, value, pivot) in pivots {
        if ui
            .add_enabled(!value.is_empty(), egui::Button::new(label))
            .clicked()
        {
            commands.push(Command::Pivot(pivot(value)));
        }
    }
    if ui.button("±5 minutes").clicked()
        && let Some(&time) = events.time_ms.get(row)
    {
        commands.push(Command::Pivot(Pivot::Around(time)));
    }
    commands
}

/// Copy entries: the cell's exact value (`cell`: its column's name and
/// text), the row with the header, the row as CSV, and its source line.
#[must_use]
pub fn copy_buttons_ui(
    ui: &mut Ui,
    store: &Store,
    row: usize,
    cell: Option<(&str, String)>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    if let Some((name, value)) = cell
        && ui.button(format!("Copy {name}")).clicked()
    {
        commands.push(Command::CopyText {
            text: value,
            what: format!("the {name}"),
        });
    }
    if ui
        .button(menu_text(ui.ctx(), Action::CopyRow))
        .on_hover_text("Tab-separated with the header: pastes as cells")
        .clicked()
    {
        commands.push(copy_row(store, row));
    }
    if ui.button("Copy row as CSV").clicked() {
        commands.push(Command::CopyText {
            text: clipboard::row_as_csv(store, row),
            what: "the row as CSV".to_string(),
        });
    }
    if ui.button("Copy source file:line").clicked() {
        commands.push(Command::CopyText {
            text: clipboard::source_line(store, row),
            what: "where the event was read".to_string(),
        });
    }
    commands
}

/// The row, tab-separated with the header (Ctrl+C).
pub fn copy_row(store: &Store, row: usize) -> Command {
    Command::CopyText {
        text: clipboard::row_as_tsv(store, row),
        what: "the row".to_string(),
    }
}

/// The star, tags and note of an event or a node (`id_salt` names it),
/// saved in the case file as they change (`make` turns a change into the
/// command that saves it); without a case file, shown disabled with the
/// way to make one.
#[must_use]
pub fn marks_ui(
    ui: &mut Ui,
    id_salt: &str,
    annotation: Option<&Annotation>,
    case_open: bool,
    make: impl Fn(Mark) -> Command,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let none = Annotation::default();
    let marks = annotation.unwrap_or(&none);
    let no_case = "Marks are kept in a case file: File > New case...";
    ui.horizontal_wrapped(|ui| {
        let star = if marks.starred { "Starred" } else { "Star" };
        if ui
            .add_enabled(case_open, egui::Button::new(star).selected(marks.starred))
            .on_hover_text("Star or unstar this event (S)")
            .on_disabled_hover_text(no_case)
            .clicked()
        {
            commands.push(make(Mark::Star(!marks.starred)));
        }
        for tag in &marks.tags {
            let text = egui::RichText::new(format!("{}  ×", reveal(tag))).color(tag_color(tag));
            if ui.button(text).on_hover_text("Remove this tag").clicked() {
                commands.push(make(Mark::Tag {
                    tag: tag.clone(),
                    add: false,
                }));
            }
        }
        let id = egui::Id::unique(("new-tag", id_salt));
        let mut typed: String = ui.data(|d| d.get_temp(id)).unwrap_or_default();
        let label = ui.label("Tag");
        let response = ui
            .add_enabled(
                case_open,
                egui::TextEdit::singleline(&mut typed)
                    .hint_text("add a tag, Enter")
                    .desired_width(120.0),
            )
            .labelled_by(label.id)
            .on_disabled_hover_text(no_case);
        if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            let tag = typed.trim().to_string();
            if !tag.is_empty() {
                commands.push(make(Mark::Tag { tag, add: true }));
            }
            typed.clear();
        }
        ui.data_mut(|d| d.insert_temp(id, typed));
    });
    let id = egui::Id::unique(("note", id_salt, marks.note.as_str()));
    let mut note: String = ui
        .data(|d| d.get_temp(id))
        .unwrap_or_else(|| marks.note.clone());
    let label = ui.label("Note");
    let response = ui
        .add_enabled(
            case_open,
            egui::TextEdit::multiline(&mut note)
                .hint_text("why it matters (saved as you type)")
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id)
        .on_disabled_hover_text(no_case);
    // Saved as typed: once the typing pauses, or the field is left. Until
    // then the save waits as the pending note, which the app applies if
    // this pane is gone before (another row, another case, closing).
    let now = ui.input(|i| i.time);
    let changed_at_id = id.with("changed-at");
    if response.changed() {
        ui.data_mut(|d| d.insert_temp(changed_at_id, now));
    }
    if note != marks.note && case_open {
        let changed_at: f64 = ui.data(|d| d.get_temp(changed_at_id)).unwrap_or(now);
        let waited = now - changed_at;
        if response.lost_focus() || waited >= NOTE_SAVE_DELAY {
            commands.push(make(Mark::Note(note.clone())));
            forget_pending_note(ui.ctx(), id);
        } else {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(
                    NOTE_SAVE_DELAY - waited,
                ));
            let pending = PendingNote {
                save: make(Mark::Note(note.clone())),
                field: id,
                pass: ui.ctx().cumulative_pass_nr(),
            };
            ui.data_mut(|d| d.insert_temp(pending_note_id(), pending));
        }
    } else {
        forget_pending_note(ui.ctx(), id);
    }
    ui.data_mut(|d| d.insert_temp(id, note));
    commands
}

/// How long a typed note waits for the next keystroke before it is saved
/// (one action-log entry per pause, not per key).
pub const NOTE_SAVE_DELAY: f64 = 0.6;

/// A note typed and not saved yet: the command that saves it, its field,
/// and the pass it was last drawn in.
#[derive(Debug, Clone)]
struct PendingNote {
    save: Command,
    field: egui::Id,
    pass: u64,
}

fn pending_note_id() -> egui::Id {
    egui::Id::unique("auditview-pending-note")
}

fn forget_pending_note(ctx: &egui::Context, field: egui::Id) {
    ctx.data_mut(|d| {
        if d.get_temp::<PendingNote>(pending_note_id())
            .is_some_and(|p| p.field == field)
        {
            d.remove::<PendingNote>(pending_note_id());
        }
    });
}

/// The save of a note typed and not saved yet, taken out for the app to
/// apply: any (`Flush::All`: the case is switching or the window closing),
/// or only one whose field was not drawn in the last pass (`Flush::Gone`:
/// the selection moved on).
#[must_use]
pub fn take_pending_note(ctx: &egui::Context, flush: Flush) -> Option<Command> {
    let pass = ctx.cumulative_pass_nr();
    ctx.data_mut(|d| {
        let pending = d.get_temp::<PendingNote>(pending_note_id())?;
        if flush == Flush::Gone && pending.pass + 1 >= pass {
            return None;
        }
        d.remove::<PendingNote>(pending_note_id());
        Some(pending.save)
    })
}

/// Which pending note `take_pending_note` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flush {
    All,
    Gone,
}

/// A tag's colour (`model::annotations::tag_hue`), readable on either theme.
pub fn tag_color(tag: &str) -> egui::Color32 {
    let hue = f32::from(crate::model::annotations::tag_hue(tag)) / 360.0;
    egui::ecolor::Hsva::new(hue, 0.55, 0.85, 1.0).into()
}
