//! What the app needs from the desktop: file dialogs (behind a trait, so
//! tests can answer them), the embedded sample case and the window icon.

pub mod chooser;
pub mod folders;
pub mod icon;
pub mod samples;
