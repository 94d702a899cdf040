//! The desktop app (eframe/egui). Only this module imports egui, eframe,
//! egui_extras and rfd; everything it shows comes from the core.
//!
//! Structure: `app::AuditApp` owns a persisted `state::State` and runtime
//! state; panels are `*_ui` functions that return `app::Command`s the app
//! applies; background work lives in `jobs`.

pub mod activity_chart;
pub mod app;
pub mod bars;
pub mod chooser;
pub mod details;
/// Shown values are formatted by the core's `display`, shared with the CLI.
pub use crate::display;

pub mod events_table;
pub mod filters;
pub mod icon;
pub mod jobs;
pub mod nodes_view;
pub mod reports_view;
pub mod requests_view;
pub mod samples;
pub mod sources;
pub mod state;
pub mod timeline;
pub mod welcome;

use std::path::PathBuf;
use std::sync::Arc;

pub use app::AuditApp;
pub use chooser::{FileChooser, FixedChooser, RfdChooser};
pub use state::State;

/// Opens the window and loads `paths`. Returns an error text if the window
/// could not be created (no display, no OpenGL).
pub fn run(paths: Vec<PathBuf>) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("auditview")
            .with_app_id("auditview")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true)
            .with_icon(Arc::new(icon::window_icon())),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "auditview",
        options,
        Box::new(move |cc| {
            let saved = cc.storage.and_then(|s| s.get_string(state::STATE_KEY));
            let (state, warning) = State::restore(saved.as_deref());
            let mut app = AuditApp::new(state, Arc::new(RfdChooser), paths);
            if let Some(warning) = warning {
                app.notify_error(warning);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| e.to_string())
}
