//! The real app in an egui_kittest harness, shared by tests/ui.rs,
//! tests/snapshots.rs and benches/frame.rs (each includes this file with
//! `#[path = ...] mod app_harness;`): building the harness, waiting for the
//! background jobs, finding widgets by their label.

use std::time::Duration;

use auditview::ui::AuditApp;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

/// `app` in a window of `size` points, with no display and no GPU.
pub fn harness(app: AuditApp, size: egui::Vec2) -> Harness<'static, AuditApp> {
    Harness::builder()
        .with_size(size)
        // The sample case has Japanese file names: the app draws them with the
        // system's fonts (eframe `system_fonts`), which a test machine may lack.
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut AuditApp| app.show(ui), app)
}

/// Steps frames until no background job is under way.
pub fn step_until_idle(harness: &mut Harness<'_, AuditApp>) {
    for _ in 0..1000 {
        harness.step();
        if !harness.state().is_busy() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the app stayed busy");
}

/// The button reading `label` (table cells and the details pane may read
/// the same text).
pub fn button<'a>(harness: &'a Harness<'_, AuditApp>, label: &str) -> egui_kittest::Node<'a> {
    harness
        .get_all_by_role(Role::Button)
        .find(|n| n.accesskit_node().label().as_deref() == Some(label))
        .unwrap_or_else(|| panic!("no button {label:?}"))
}

/// The checkbox whose label starts with `prefix` (counted lists append the count).
pub fn checkbox<'a>(
    harness: &'a Harness<'_, AuditApp>,
    prefix: &str,
) -> Option<egui_kittest::Node<'a>> {
    harness.get_all_by_role(Role::CheckBox).find(|n| {
        n.accesskit_node()
            .label()
            .is_some_and(|l| l.starts_with(prefix))
    })
}
