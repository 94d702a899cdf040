//! Rendered snapshots of the real app (egui_kittest with wgpu, through
//! Mesa's software renderer): `cargo test --features snapshots --test integration snapshots::`.
//! After an intended visual change, `UPDATE_SNAPSHOTS=1` rewrites the images
//! in tests/snapshots/; look at them before committing.

use crate::support::app_harness;

use std::path::PathBuf;
use std::sync::Arc;

use app_harness::{button, step_until_idle};
use auditview::ui::{AuditApp, FixedChooser, State};
use egui_kittest::Harness;

fn harness(app: AuditApp) -> Harness<'static, AuditApp> {
    app_harness::harness(app, egui::vec2(1280.0, 800.0))
}

/// Steps until no background job is under way, then until nothing moves.
fn settle(harness: &mut Harness<'_, AuditApp>) {
    step_until_idle(harness);
    harness.run();
}

fn app(paths: Vec<PathBuf>) -> AuditApp {
    AuditApp::new(State::default(), Arc::new(FixedChooser::default()), paths)
}

#[test]
fn welcome_screen() {
    let mut harness = harness(app(Vec::new()));
    harness.run();
    harness.snapshot("welcome");
}

#[test]
fn sample_case_loaded() {
    // Relative, so the picture (Sources panel, title) does not depend on
    // where the checkout lives; cargo runs tests in the package root.
    let mut harness = harness(app(vec![PathBuf::from("assets/samples")]));
    settle(&mut harness);
    harness.snapshot("sample_case");
}

#[test]
fn nodes_view_with_a_public_link_selected() {
    let mut harness = harness(app(vec![PathBuf::from("assets/samples")]));
    settle(&mut harness);
    button(&harness, "Nodes").click();
    settle(&mut harness);
    // The first link row: resources with activity come first.
    button(&harness, "public link").click();
    settle(&mut harness);
    harness.snapshot("nodes_view");
}
