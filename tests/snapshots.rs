//! Rendered snapshots of the real app (egui_kittest with wgpu, through
//! Mesa's software renderer): `cargo test --features snapshots --test snapshots`.
//! After an intended visual change, `UPDATE_SNAPSHOTS=1` rewrites the images
//! in tests/snapshots/; look at them before committing.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use auditview::ui::{AuditApp, FixedChooser, State};
use egui_kittest::Harness;

fn harness(app: AuditApp) -> Harness<'static, AuditApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        // The sample case has Japanese file names; the test machine's fonts
        // are not part of the picture.
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut AuditApp| app.show(ui), app)
}

fn settle(harness: &mut Harness<'_, AuditApp>) {
    for _ in 0..1000 {
        harness.step();
        if !harness.state().is_busy() {
            harness.run();
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the app stayed busy");
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
    use egui::accesskit::Role;
    use egui_kittest::kittest::{NodeT, Queryable};
    let mut harness = harness(app(vec![PathBuf::from("assets/samples")]));
    settle(&mut harness);
    harness
        .get_all_by_role(Role::Button)
        .find(|n| n.accesskit_node().label().as_deref() == Some("Nodes"))
        .expect("the Nodes tab")
        .click();
    settle(&mut harness);
    // The first link row: resources with activity come first.
    harness
        .get_all_by_role(Role::Button)
        .find(|n| n.accesskit_node().label().as_deref() == Some("public link"))
        .expect("a public link row")
        .click();
    settle(&mut harness);
    harness.snapshot("nodes_view");
}
