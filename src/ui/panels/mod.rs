//! The panels around the central view: the filter side panel, the details
//! pane of the selected event, the Sources window, the welcome screen, the
//! built-in file chooser and the question of files handed over.
//! Each is a `*_ui` function that returns the `Command`s it asks for.

pub mod arrival;
pub mod confirm_write;
pub mod details;
pub mod file_chooser;
pub mod filters;
pub mod sources;
pub mod welcome;
