//! The app's side of one window per case (`desktop::instance`): it tells
//! the listener what is open, takes what second launches hand over, and
//! starts new windows.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use crate::desktop::instance::{Incoming, Instances, Listening, OpenPaths};
use crate::ui::command::Command;
use crate::ui::state::SecondLaunch;

use super::AuditApp;

/// Starts a window of its own on some files (a new process, in the app; a
/// recorder, in tests).
pub type WindowLauncher = Arc<dyn Fn(&[PathBuf]) -> std::io::Result<()> + Send + Sync>;

/// The running binary again, with `--new-window`: it opens its own window.
pub fn new_process_launcher() -> WindowLauncher {
    Arc::new(|paths: &[PathBuf]| {
        let exe = std::env::current_exe()?;
        std::process::Command::new(exe)
            .arg("--new-window")
            .arg("--")
            .args(paths)
            .stdin(std::process::Stdio::null())
            .spawn()
            .map(|_| ())
    })
}

/// What links the window to later launches.
pub struct InstanceLink {
    /// What this window has open, as the listener answers it.
    pub open: OpenPaths,
    /// The paths last published to `open`.
    published: Vec<PathBuf>,
    incoming: Option<Receiver<Incoming>>,
    /// Files handed over during a load: taken once it ends.
    deferred: Vec<Vec<PathBuf>>,
    _listening: Option<Listening>,
    pub launcher: WindowLauncher,
}

impl Default for InstanceLink {
    fn default() -> Self {
        InstanceLink {
            open: OpenPaths::default(),
            published: Vec::new(),
            incoming: None,
            deferred: Vec::new(),
            _listening: None,
            launcher: new_process_launcher(),
        }
    }
}

impl AuditApp {
    /// Answers later launches through `instances`; `wake` asks for a frame
    /// when one arrives. A window that cannot listen still works alone.
    pub fn listen_for_launches(
        mut self,
        instances: &Instances,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> AuditApp {
        let (tx, rx) = channel();
        let deliver = move |incoming| {
            if tx.send(incoming).is_ok() {
                wake();
            }
        };
        match instances.listen(self.instance.open.clone(), deliver) {
            Ok(listening) => {
                self.instance._listening = Some(listening);
                self.instance.incoming = Some(rx);
            }
            Err(e) => self.notify_error(format!(
                "Files opened from the desktop will open new windows: {e}"
            )),
        }
        self
    }

    /// Starts new windows with `launcher` (tests record instead).
    pub fn with_window_launcher(mut self, launcher: WindowLauncher) -> AuditApp {
        self.instance.launcher = launcher;
        self
    }

    /// Publishes what is open when it changed, and turns what launches
    /// handed over into commands.
    #[must_use]
    pub(super) fn instance_commands(&mut self) -> Vec<Command> {
        let paths = self
            .session
            .as_ref()
            .map(|s| s.paths.clone())
            .unwrap_or_default();
        let mut open = paths;
        if let Some(case) = self.case.as_ref().map(|c| &c.file) {
            open.push(case.path().to_path_buf());
        }
        if open != self.instance.published {
            self.instance.open.set(&open);
            self.instance.published = open;
        }
        let mut commands = Vec::new();
        if !self.loading() {
            commands.extend(self.instance.deferred.drain(..).map(Command::Arrived));
        }
        let Some(incoming) = &self.instance.incoming else {
            return commands;
        };
        commands.extend(incoming.try_iter().map(|i| match i {
            Incoming::Raise(paths) => Command::Raise(paths),
            Incoming::Open(paths) => Command::Arrived(paths),
        }));
        commands
    }

    fn loading(&self) -> bool {
        self.in_flight.loading.is_some() || self.in_flight.open_when_ready.is_some()
    }

    /// Files handed over: opened when nothing is open, else as the user
    /// chose (or asked).
    pub(super) fn arrived(&mut self, paths: Vec<PathBuf>) {
        self.raise();
        if self.loading() {
            // What the load will open is not known yet: asked once it is.
            self.instance.deferred.push(paths);
            return;
        }
        if self.session.is_none() {
            self.apply(Command::OpenPaths(paths));
            return;
        }
        match self.state.second_launch {
            SecondLaunch::Ask => self.arrival.paths = paths,
            SecondLaunch::AddToCase => self.apply(Command::AddPaths(paths)),
            SecondLaunch::NewWindow => self.apply(Command::OpenInNewWindow(paths)),
        }
    }

    pub(super) fn open_in_new_window(&mut self, paths: Vec<PathBuf>) {
        match (self.instance.launcher)(&paths) {
            Ok(()) => self.notify(format!(
                "Opening {} in a new window",
                crate::display::plural(paths.len() as u64, "path", "paths")
            )),
            Err(e) => self.notify_error(format!("A new window could not be started: {e}")),
        }
    }

    /// Brings the window to the front (a launch asked for what it shows).
    pub(super) fn raise(&mut self) {
        if let Some(ctx) = &self.ctx {
            ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
            ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
        }
    }
}
