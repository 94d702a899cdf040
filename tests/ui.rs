//! The desktop app driven through egui_kittest: no display, no GPU.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use auditview::model::ResourceKind;
use auditview::query::{Filter, select};
use auditview::sources::{LoadProgress, load};
use auditview::ui::{AuditApp, FixedChooser, State};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn harness(app: AuditApp) -> Harness<'static, AuditApp> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut AuditApp| app.show(ui), app)
}

/// Steps frames until no background job is under way.
fn settle(harness: &mut Harness<'_, AuditApp>) {
    for _ in 0..1000 {
        harness.step();
        if !harness.state().is_busy() {
            harness.step();
            harness.step();
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the app stayed busy");
}

/// The count the core gives for a filter on the sample case.
fn expected(filter: &Filter) -> usize {
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/samples");
    let loaded = load(&[samples], &LoadProgress::default());
    select(&loaded.store, filter).unwrap().len()
}

fn status(matched: usize) -> String {
    format!("{matched} of 209 events")
}

#[test]
fn open_the_sample_filter_select_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("view.csv");
    let chooser = Arc::new(FixedChooser::saving_to(&output));
    let mut harness = harness(AuditApp::new(State::default(), chooser, Vec::new()));
    harness.step();

    // The welcome screen offers the embedded sample case.
    harness.get_by_label("Open files...");
    harness.get_by_label("Open folder...");
    harness.get_by_label("Open the sample case").click();
    settle(&mut harness);
    harness.get_by_label(&status(209));
    assert_eq!(
        harness.state().window_title(),
        "auditview - 8 files, 209 events"
    );

    // A path prefix, validated and applied as it is typed.
    let prefix = "pydiods1/Investigations";
    harness.get_by_label("Path prefix or pattern").click();
    harness.step();
    harness
        .get_by_label("Path prefix or pattern")
        .type_text(prefix);
    settle(&mut harness);
    let by_path = Filter {
        paths: vec![prefix.into()],
        ..Filter::default()
    };
    let path_count = expected(&by_path);
    assert!(path_count > 0 && path_count < 209, "{path_count}");
    harness.get_by_label(&status(path_count));
    harness.get_by_label(&format!("Path: {prefix}  ×"));

    // A resource kind narrows it further.
    harness.get_by_label("cell").click();
    settle(&mut harness);
    let by_kind = Filter {
        kinds: vec![ResourceKind::Cell],
        ..by_path.clone()
    };
    let kind_count = expected(&by_kind);
    harness.get_by_label(&status(kind_count));
    harness.get_by_label("cell").click();
    settle(&mut harness);
    harness.get_by_label(&status(path_count));

    // Clicking a row shows its details; arrows move the selection; Esc clears it.
    harness.get_by_label("Select an event in the table to see all its fields.");
    let first_time = harness
        .get_all_by_label_contains("2024-")
        .find(|n| n.rect().left() > 260.0 && n.rect().left() < 400.0)
        .map(|n| n.rect())
        .unwrap();
    harness
        .get_all_by_label_contains("2024-")
        .find(|n| n.rect() == first_time)
        .unwrap()
        .click();
    harness.step();
    harness.step();
    let selected = harness.state().selected_row().expect("a row is selected");
    harness.get_by_label("Source line");
    harness.get_by_label("Only this user");
    assert!(
        harness
            .query_by_label("Select an event in the table to see all its fields.")
            .is_none()
    );
    harness.key_press(Key::ArrowDown);
    harness.step();
    assert!(harness.state().selected_row().unwrap() > selected);
    harness.key_press(Key::Escape);
    harness.step();
    assert_eq!(harness.state().selected_row(), None);

    // Ctrl+E exports the view through the injected chooser.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    settle(&mut harness);
    let mut reader = csv::Reader::from_path(&output).unwrap();
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "Time (UTC)");
    let rows = reader.records().count();
    assert_eq!(rows, path_count);
    assert!(Path::new(&format!("{}.provenance.json", output.display())).exists());
    harness.get_by_label_contains(&format!("Exported {path_count} rows to"));
}

#[test]
fn an_unreadable_saved_state_is_reported_and_defaults_used() {
    let (state, warning) = State::restore(Some("{\"recent\": 42"));
    assert_eq!(state, State::default());
    let mut app = AuditApp::new(state, Arc::new(FixedChooser::default()), Vec::new());
    app.notify_error(warning.unwrap());
    let mut harness = harness(app);
    harness.step();
    harness.get_by_label_contains("The saved settings could not be read");
    harness.get_by_label("Open the sample case");
}
