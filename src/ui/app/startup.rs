//! With `AUDITVIEW_TIMING`: when the case was loaded and when its first view
//! was drawn, counted from the app's start, on stderr (as the CLI's phases).

use std::time::Instant;

pub(super) struct StartupTiming {
    started: Instant,
    enabled: bool,
    loaded: bool,
    drawn: bool,
}

impl Default for StartupTiming {
    fn default() -> Self {
        StartupTiming {
            started: Instant::now(),
            enabled: std::env::var_os("AUDITVIEW_TIMING").is_some(),
            loaded: false,
            drawn: false,
        }
    }
}

impl StartupTiming {
    fn say(&self, what: &str) {
        eprintln!(
            "[timing] window: {what} {:.3} s after start",
            self.started.elapsed().as_secs_f64()
        );
    }

    /// The first loaded case was installed.
    pub(super) fn loaded(&mut self) {
        if self.enabled && !std::mem::replace(&mut self.loaded, true) {
            self.say("case loaded");
        }
    }

    /// A frame showed the rows of the first view.
    pub(super) fn drawn(&mut self) {
        if self.enabled && self.loaded && !std::mem::replace(&mut self.drawn, true) {
            self.say("first view drawn");
        }
    }
}
