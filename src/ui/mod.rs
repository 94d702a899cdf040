//! The desktop app (eframe/egui). Only this module imports egui, eframe,
//! egui_extras and rfd; everything it shows comes from the core.
//!
//! Layout, after egui's demo app (persisted `State` apart from runtime
//! state; panels own their state; UI functions return commands the app
//! applies) and Rerun (commands defined below the app, `*_ui` names):
//!
//! - `app`: `AuditApp`, its grouped runtime state (`Session` for the open
//!   case, jobs in flight), one frame, `apply` and the receiving of results;
//! - `command`: `Command` and the small types it carries (`Tab`, `Pivot`,
//!   `QuickRange`, `TableColumn`), what every panel imports instead of the app;
//! - `state`: what is remembered across restarts;
//! - `computed`: the views computed off the UI thread and how;
//! - `jobs`: the worker threads that compute them, and their messages;
//! - `chrome/`: top bar, status bar, tab bar, zone picker, loading screen;
//! - `panels/`: filters, event details, sources, welcome screen;
//! - `views/`: the tabs' views (events table and timeline, nodes,
//!   requests, reports);
//! - `widgets/`: drawing the views share (stacked bars, activity chart);
//! - `platform/`: file dialogs, the embedded sample case, the window icon.
//!
//! Dependencies point one way: the app uses everything; chrome, panels,
//! views and widgets use `command`, `computed` and the core, never the app.

pub mod app;
pub mod chrome;
pub mod command;
pub mod computed;
pub mod jobs;
pub mod panels;
pub mod platform;
pub mod shortcuts;
pub mod state;
pub mod views;
pub mod widgets;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

pub use app::AuditApp;
pub use command::{Command, Pivot, QuickRange, Tab, TableColumn};
pub use platform::chooser::{FileChooser, FixedChooser, RfdChooser};
pub use state::State;

/// The running window's context, for `request_quit`.
static WINDOW: OnceLock<egui::Context> = OnceLock::new();
static QUIT: AtomicBool = AtomicBool::new(false);

/// Asks the window to close, as its close button does (a signal's handler
/// calls this). False when there is no window, or it was asked already.
pub fn request_quit() -> bool {
    let Some(ctx) = WINDOW.get() else {
        return false;
    };
    if QUIT.swap(true, Ordering::SeqCst) {
        return false;
    }
    ctx.request_repaint();
    true
}

/// Whether `request_quit` was called.
pub fn quit_requested() -> bool {
    QUIT.load(Ordering::SeqCst)
}

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
            .with_icon(Arc::new(platform::icon::window_icon())),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "auditview",
        options,
        Box::new(move |cc| {
            let saved = cc.storage.and_then(|s| s.get_string(state::STATE_KEY));
            let (state, warning) = State::restore(saved.as_deref());
            let _ = WINDOW.set(cc.egui_ctx.clone());
            // Probing for the system's dialogs may take a moment: not on the UI thread.
            std::thread::spawn(|| RfdChooser.available());
            let mut app = AuditApp::new(state, Arc::new(RfdChooser), paths);
            if let Some(instances) = crate::desktop::instance::Instances::for_user() {
                let ctx = cc.egui_ctx.clone();
                app = app.listen_for_launches(&instances, move || ctx.request_repaint());
            }
            if let Some(warning) = warning {
                app.notify_error(warning);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| e.to_string())
}
