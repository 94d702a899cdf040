//! The window's furniture around the case: the top bar (menus, search, time
//! zone, sources), the status bar, the tab bar, the loading screen and the
//! drop hint, with the state they own (`Chrome`).

pub mod about;
pub mod drop_hint;
pub mod loading;
pub mod status_bar;
pub mod tabs;
pub mod top_bar;
pub mod zone_picker;

use crate::ui::panels::file_chooser::ChooserPanel;

/// A message for the status bar.
#[derive(Debug, Clone)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// What the chrome keeps between frames.
#[derive(Debug, Default)]
pub struct Chrome {
    /// Messages for the status bar, latest last.
    pub notices: Vec<Notice>,
    /// The window title last sent; sent again only when it changes.
    pub title: String,
    /// A system file dialog is open (one at a time), since when.
    pub dialog_open: Option<std::time::Instant>,
    /// The built-in file chooser, while it is open.
    pub file_chooser: Option<ChooserPanel>,
    /// A system dialog answered nothing at once: it cannot be shown here,
    /// and the built-in chooser is used until the app restarts.
    pub system_dialogs_failed: bool,
    /// What was last put on the clipboard (tests read it here).
    pub last_copied: Option<String>,
    /// The IANA zone box, as typed.
    pub zone_text: String,
    /// Ctrl+F asked for the search box to take the focus.
    pub focus_search: bool,
    /// At the end of the last frame a widget had the keyboard or a popup
    /// (a dropdown) was open: Esc this frame is theirs (egui drops the
    /// focus on Esc before the app sees the key), not the table's.
    pub keyboard_taken: bool,
    /// Help > About is open.
    pub about_open: bool,
    /// A save chosen among the evidence, waiting to be confirmed.
    pub confirm_write: Option<(crate::ui::platform::chooser::Purpose, std::path::PathBuf)>,
}
