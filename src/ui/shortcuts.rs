//! The window's keyboard shortcuts, in one table: the menus' labels, the
//! key handling and Help > "Keyboard shortcuts" all read it, and egui names
//! the keys as the platform does (Ctrl+O here, ⌘O on a Mac).

use egui::{Context, InputState, Key, KeyboardShortcut, Modifiers};

/// What a shortcut does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    OpenFolder,
    OpenFiles,
    Find,
    Export,
    /// The selected row, tab-separated under the header. The platform's
    /// copy keys arrive as a copy event, not as keys (`frame.rs`).
    CopyRow,
    /// Star or unstar the selected event.
    Star,
}

pub struct Shortcut {
    pub action: Action,
    /// What the menu or the help calls it.
    pub label: &'static str,
    pub keys: KeyboardShortcut,
}

const COMMAND_SHIFT: Modifiers = Modifiers {
    shift: true,
    command: true,
    ..Modifiers::NONE
};

/// Every shortcut. Consumed in this order: one with Shift comes before the
/// same key without, which would otherwise take it.
pub const SHORTCUTS: &[Shortcut] = &[
    Shortcut {
        action: Action::OpenFolder,
        label: "Open folder...",
        keys: KeyboardShortcut::new(COMMAND_SHIFT, Key::O),
    },
    Shortcut {
        action: Action::OpenFiles,
        label: "Open files...",
        keys: KeyboardShortcut::new(Modifiers::COMMAND, Key::O),
    },
    Shortcut {
        action: Action::Find,
        label: "Search in any field",
        keys: KeyboardShortcut::new(Modifiers::COMMAND, Key::F),
    },
    Shortcut {
        action: Action::Export,
        label: "Export view...",
        keys: KeyboardShortcut::new(Modifiers::COMMAND, Key::E),
    },
    Shortcut {
        action: Action::CopyRow,
        label: "Copy row",
        keys: KeyboardShortcut::new(Modifiers::COMMAND, Key::C),
    },
    Shortcut {
        action: Action::Star,
        label: "Star or unstar the selected event",
        keys: KeyboardShortcut::new(Modifiers::NONE, Key::S),
    },
];

/// The keys of the table that work anywhere in the window (not only on
/// the selected row), consumed in the table's order.
const GLOBAL: [Action; 4] = [
    Action::OpenFolder,
    Action::OpenFiles,
    Action::Find,
    Action::Export,
];

/// The navigation keys of the events table, for the help (handled with the
/// selection in `frame.rs`).
pub const TABLE_KEYS: &str = "Up and Down, Page Up and Page Down, Home and End move through the events; Esc clears the selection";

pub fn shortcut(action: Action) -> &'static Shortcut {
    SHORTCUTS
        .iter()
        .find(|s| s.action == action)
        .expect("every action has a shortcut in SHORTCUTS (a test checks it)")
}

/// The keys as the platform names them: "Ctrl+Shift+O", or "⇧⌘O" on a Mac.
pub fn keys_text(ctx: &Context, action: Action) -> String {
    ctx.format_shortcut(&shortcut(action).keys)
}

/// A menu item's text with its keys: "Open files...  (Ctrl+O)".
pub fn menu_text(ctx: &Context, action: Action) -> String {
    format!("{}  ({})", shortcut(action).label, keys_text(ctx, action))
}

/// The window-wide shortcuts pressed this frame, consumed so no widget
/// also takes them.
pub fn global_pressed(input: &mut InputState) -> Vec<Action> {
    GLOBAL
        .into_iter()
        .filter(|&action| input.consume_shortcut(&shortcut(action).keys))
        .collect()
}

/// Whether `action`'s keys were pressed this frame (consumed if so).
pub fn pressed(input: &mut InputState, action: Action) -> bool {
    input.consume_shortcut(&shortcut(action).keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_shortcut_and_no_keys_are_used_twice() {
        let actions = [
            Action::OpenFolder,
            Action::OpenFiles,
            Action::Find,
            Action::Export,
            Action::CopyRow,
            Action::Star,
        ];
        for action in actions {
            let count = SHORTCUTS.iter().filter(|s| s.action == action).count();
            assert_eq!(count, 1, "{action:?}");
        }
        assert_eq!(SHORTCUTS.len(), actions.len());
        for (i, a) in SHORTCUTS.iter().enumerate() {
            for b in &SHORTCUTS[i + 1..] {
                assert!(
                    a.keys != b.keys,
                    "{} and {} share their keys",
                    a.label,
                    b.label
                );
            }
        }
    }

    #[test]
    fn a_shortcut_with_shift_is_consumed_before_the_same_key_without() {
        let folder = SHORTCUTS
            .iter()
            .position(|s| s.action == Action::OpenFolder);
        let files = SHORTCUTS.iter().position(|s| s.action == Action::OpenFiles);
        assert!(folder < files);
    }

    #[test]
    fn menu_text_names_the_keys_as_the_platform_does() {
        let ctx = Context::default();
        assert_eq!(
            menu_text(&ctx, Action::OpenFolder),
            "Open folder...  (Ctrl+Shift+O)"
        );
        assert_eq!(menu_text(&ctx, Action::Export), "Export view...  (Ctrl+E)");
        // On a Mac the command key is Cmd, not Ctrl (egui picks the names
        // by the platform it runs on).
        let mac = shortcut(Action::OpenFolder)
            .keys
            .format(&egui::ModifierNames::NAMES, true);
        assert_eq!(mac, "Shift+Cmd+O");
    }
}
