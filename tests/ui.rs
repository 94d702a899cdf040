//! The desktop app driven through egui_kittest: no display, no GPU.

use crate::support::app_harness;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use auditview::model::{EventDraft, ResourceKind, Store, System, TextField};
use auditview::query::{Filter, select};
use auditview::sources::{LoadProgress, load};
use auditview::time::{UtcMs, Zone};
use auditview::ui::{AuditApp, Command, FixedChooser, State, TableColumn};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use app_harness::{button, checkbox, step_until_idle};

fn harness(app: AuditApp) -> Harness<'static, AuditApp> {
    app_harness::harness(app, egui::vec2(1400.0, 900.0))
}

/// Steps frames until no background job is under way, and two more.
fn settle(harness: &mut Harness<'_, AuditApp>) {
    step_until_idle(harness);
    harness.step();
    harness.step();
}

/// The count the core gives for a filter on the sample case.
fn expected(filter: &Filter) -> usize {
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/samples");
    let loaded = load(&[samples], &LoadProgress::default());
    select(&auditview::index::Case::new(loaded.store), filter)
        .unwrap()
        .len()
}

fn status(matched: usize) -> String {
    format!("{matched} of 209 events")
}

#[test]
fn open_the_sample_filter_select_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("view.csv");
    let chooser = Arc::new(FixedChooser::saving_to(&output));
    let app = AuditApp::new(State::default(), chooser, Vec::new())
        .with_sample_folder(dir.path().join("samples"));
    let mut harness = harness(app);
    harness.step();

    // The welcome screen offers the embedded sample case.
    harness.get_by_label("Open files...");
    harness.get_by_label("Open folder...");
    harness.get_by_label("Open the sample case").click();
    settle(&mut harness);
    harness.get_by_label(&status(209));
    assert_eq!(
        harness.state().window_title(),
        "samples - 8 files, 209 events - auditview"
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
    // The loaded paths under it are offered as completions; one is a click away.
    button(&harness, "pydiods1/Investigations/2024-0042").click();
    settle(&mut harness);
    harness.get_by_label("Path: pydiods1/Investigations/2024-0042  ×");
    let by_case = Filter {
        paths: vec!["pydiods1/Investigations/2024-0042".into()],
        ..Filter::default()
    };
    harness.get_by_label(&status(expected(&by_case)));
    harness
        .get_by_label("Path: pydiods1/Investigations/2024-0042  ×")
        .click();
    settle(&mut harness);
    harness.get_by_label("Path prefix or pattern").click();
    harness.step();
    harness
        .get_by_label("Path prefix or pattern")
        .type_text(prefix);
    settle(&mut harness);
    harness.get_by_label(&status(path_count));

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

/// The app with the sample case opened from its welcome screen, written
/// into a temporary folder (dropped with it).
fn open_sample_case() -> (tempfile::TempDir, Harness<'static, AuditApp>) {
    let dir = tempfile::tempdir().unwrap();
    let app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::default()),
        Vec::new(),
    )
    .with_sample_folder(dir.path().join("samples"));
    let mut harness = harness(app);
    harness.step();
    harness.get_by_label("Open the sample case").click();
    settle(&mut harness);
    (dir, harness)
}

/// The sample case, loaded by the core.
fn sample_store() -> Store {
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/samples");
    load(&[samples], &LoadProgress::default()).store
}

#[test]
fn clicking_a_header_sorts_by_it_and_again_reverses() {
    let (_dir, mut harness) = open_sample_case();

    let store = sample_store();
    let actor = |row: u32| {
        store
            .events
            .text(TextField::Actor, row as usize)
            .to_lowercase()
    };
    let mut actors: Vec<String> = (0..store.events.len() as u32).map(actor).collect();
    actors.sort();

    // Time order first: Home selects the earliest event.
    harness.key_press(Key::Home);
    harness.step();
    assert_eq!(harness.state().selected_row(), Some(0));

    button(&harness, "Actor").click();
    settle(&mut harness);
    assert_eq!(harness.state().state.sort_column, TableColumn::Actor);
    harness.key_press(Key::Home);
    harness.step();
    let first = harness.state().selected_row().unwrap();
    assert_eq!(actor(first), actors[0]);
    harness.key_press(Key::End);
    harness.step();
    let last = harness.state().selected_row().unwrap();
    assert_eq!(&actor(last), actors.last().unwrap());

    button(&harness, "Actor").click();
    settle(&mut harness);
    assert!(harness.state().state.sort_descending);
    harness.key_press(Key::Home);
    harness.step();
    assert_eq!(
        &actor(harness.state().selected_row().unwrap()),
        actors.last().unwrap()
    );
    // Still 209 events, only in another order.
    harness.get_by_label(&status(209));
}

/// Whether a cell of the events table reads `text` (the details pane, on
/// the right, may show it too).
fn in_table(harness: &Harness<'_, AuditApp>, text: &str) -> bool {
    harness
        .query_all_by_label(text)
        .any(|n| n.rect().left() < 1000.0)
}

#[test]
fn millions_of_rows_scroll_by_row_index_to_the_very_end() {
    // Beyond about 2 million rows of 20 px, f32 pixel offsets cannot
    // address single rows; the table scrolls by row index instead.
    const ROWS: usize = 2_500_000;
    let base = 1_700_000_000_000i64;
    let mut store = Store::default();
    for i in 0..ROWS {
        let mut draft = EventDraft::new(System::Pydio, base + i as i64 * 1000, i as u64 + 1);
        draft.set(TextField::Actor, if i % 2 == 0 { "alice" } else { "bob" });
        store.events.push(&draft, 0);
    }
    let time = |row: usize| Zone::Utc.format(base + row as i64 * 1000);
    let mut app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::default()),
        Vec::new(),
    );
    app.open_store(store, Vec::new());
    let mut harness = harness(app);
    settle(&mut harness);
    harness.get_by_label("2,500,000 of 2,500,000 events");
    harness.get_by_label(&time(0));

    harness.key_press(Key::End);
    harness.step();
    harness.step();
    assert_eq!(harness.state().selected_row(), Some(ROWS as u32 - 1));
    assert!(in_table(&harness, &time(ROWS - 1)));
    assert!(in_table(&harness, &time(ROWS - 2)));
    assert!(!in_table(&harness, &time(0)));

    // Page Up moves a page back, one row at a time exactly.
    harness.key_press(Key::PageUp);
    harness.step();
    harness.step();
    let row = harness.state().selected_row().unwrap() as usize;
    assert_eq!(row, ROWS - 1 - 20);
    assert!(in_table(&harness, &time(row)));

    harness.key_press(Key::Home);
    harness.step();
    harness.step();
    assert!(in_table(&harness, &time(0)));
    assert!(!in_table(&harness, &time(ROWS - 1)));
}

#[test]
fn letters_typed_with_ctrl_f_and_an_export_right_after_get_the_rows_asked_for() {
    // Ctrl+F, the search text and Ctrl+E arrive in one frame, as they do
    // when the machine is busy: no letter is lost, and the export waits
    // for the view to be filtered (big enough to take a while).
    const ROWS: usize = 200_000;
    let mut store = Store::default();
    for i in 0..ROWS {
        let mut draft = EventDraft::new(System::Pydio, 1_700_000_000_000 + i as i64, i as u64 + 1);
        draft.set(TextField::Actor, if i % 4 == 0 { "alice" } else { "bob" });
        store.events.push(&draft, 0);
    }
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("view.csv");
    let mut app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::saving_to(&output)),
        Vec::new(),
    );
    app.open_store(store, Vec::new());
    let mut harness = harness(app);
    settle(&mut harness);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.event(egui::Event::Text("alice".into()));
    harness.step();
    assert_eq!(
        harness.get_by_label("Search").value().as_deref(),
        Some("alice")
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.step();
    settle(&mut harness);
    harness.get_by_label("50,000 of 200,000 events");
    let rows = csv::Reader::from_path(&output).unwrap().records().count();
    assert_eq!(rows, ROWS / 4);
    harness.get_by_label_contains("Exported 50,000 rows to");
}

#[test]
fn a_day_picked_in_the_calendar_sets_the_date_filter() {
    let (_dir, mut harness) = open_sample_case();

    // The "To" calendar opens on the last day of the case (2024-03-15);
    // "<" goes back a day, and Save applies it.
    let buttons: Vec<_> = harness
        .get_all_by_label("2024-03-15")
        .map(|n| n.rect().center())
        .collect();
    assert_eq!(buttons.len(), 1, "one calendar button shows the last day");
    harness.get_by_label("2024-03-15").click();
    harness.step();
    harness.step();
    harness.get_by_label("<").click();
    harness.step();
    harness.get_by_label("Save").click();
    settle(&mut harness);

    let to = Filter {
        to: Some(UtcMs(
            auditview::time::parse_user_time("2024-03-14", Zone::Utc, auditview::time::Bound::To)
                .unwrap(),
        )),
        ..Filter::default()
    };
    let matched = expected(&to);
    assert!(matched > 0 && matched < 209, "{matched}");
    harness.get_by_label(&status(matched));
}

/// `auditview ARGS --json` on the sample case, parsed.
fn cli_json(args: &[&str]) -> serde_json::Value {
    let output = crate::support::cli::binary()
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the auditview binary runs");
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

#[test]
fn nodes_requests_and_visible_by_show_what_the_cli_prints() {
    let (_dir, mut harness) = open_sample_case();

    // Visible by: the same count as `inspect --visible-by`.
    harness.get_by_label("Visible by").click();
    harness.step();
    harness.get_by_label("Find principal").click();
    harness.step();
    harness.get_by_label("Find principal").type_text("kwanlee");
    harness.step();
    checkbox(&harness, "user-kwanlee")
        .expect("user-kwanlee in the Visible-by list")
        .click();
    settle(&mut harness);
    let inspect = cli_json(&[
        "inspect",
        "assets/samples",
        "--json",
        "--visible-by",
        "user-kwanlee",
    ]);
    let matched = inspect["matched"].as_u64().unwrap() as usize;
    assert!(matched > 0 && matched < 209);
    harness.get_by_label(&status(matched));
    harness.get_by_label("Clear all").click();
    settle(&mut harness);

    // Nodes: as many entries as `auditview nodes --json`, the link flagged.
    harness.get_by_label("Nodes").click();
    settle(&mut harness);
    let nodes = cli_json(&["nodes", "assets/samples", "--json"]);
    let entries = nodes.as_array().unwrap();
    harness.get_by_label(&format!("{} entries", entries.len()));
    // Public links only, so the link's row is in sight.
    checkbox(&harness, "public link")
        .expect("a public link checkbox")
        .click();
    settle(&mut harness);
    let links = cli_json(&["nodes", "assets/samples", "--json", "--kind", "link"]);
    harness.get_by_label(&format!("{} entries", links.as_array().unwrap().len()));
    let link = links
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry"] == "resource" && e["events"] != 0)
        .unwrap();
    let flags = link["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("; ");
    assert_eq!(flags, "opened from 3 IP addresses; 1 unknown visitor");
    harness.get_by_label(&format!("! {flags}"));
    // The row's first cell selects it.
    button(&harness, "public link").click();
    settle(&mut harness);
    let visitor = &link["visitors"][0];
    harness.get_by_label(&format!(
        "Temporary visitor {}: {} events from {}",
        visitor["name"].as_str().unwrap(),
        visitor["events"],
        visitor["ips"]
            .as_array()
            .unwrap()
            .iter()
            .map(|ip| ip.as_str().unwrap())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    harness.get_by_label("Only this node and below").click();
    settle(&mut harness);
    let inspect = cli_json(&[
        "inspect",
        "assets/samples",
        "--json",
        "--kind",
        "link",
        "--path",
        link["path"].as_str().unwrap(),
    ]);
    harness.get_by_label(&status(inspect["matched"].as_u64().unwrap() as usize));
    harness.get_by_label("Clear all").click();
    settle(&mut harness);

    // Only the link's own events: as `inspect --resource <id>` counts them.
    harness.get_by_label("Nodes").click();
    settle(&mut harness);
    // The row's first cell selects it.
    button(&harness, "public link").click();
    settle(&mut harness);
    harness.get_by_label("Only this resource").click();
    settle(&mut harness);
    let inspect = cli_json(&[
        "inspect",
        "assets/samples",
        "--json",
        "--resource",
        link["resource_id"].as_str().unwrap(),
    ]);
    let matched = inspect["matched"].as_u64().unwrap() as usize;
    // At least the link row's events (a link is also counted as a workspace).
    assert!(matched as u64 >= link["events"].as_u64().unwrap());
    harness.get_by_label(&status(matched));
    harness.get_by_label("Clear all").click();
    settle(&mut harness);

    // Requests: as many as `auditview requests --json`.
    harness.get_by_label("Requests").click();
    settle(&mut harness);
    let requests = cli_json(&["requests", "assets/samples", "--json"]);
    let count = requests.as_array().unwrap().len();
    harness.get_by_label(&format!("{count} of {count} requests"));
}

#[test]
fn reports_show_and_export_what_the_cli_computes() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("logins.csv");
    let app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::saving_to(&output)),
        Vec::new(),
    )
    .with_sample_folder(dir.path().join("samples"));
    let mut harness = harness(app);
    harness.step();
    harness.get_by_label("Open the sample case").click();
    settle(&mut harness);

    button(&harness, "Reports").click();
    settle(&mut harness);
    let rows = |report: &str| {
        cli_json(&["report", report, "assets/samples", "--json"])
            .as_array()
            .unwrap()
            .len()
    };
    harness.get_by_label(&format!("{} rows", rows("usage")));
    button(&harness, "Logins").click();
    settle(&mut harness);
    let logins = rows("logins");
    harness.get_by_label(&format!("{logins} rows"));
    button(&harness, "Workgroups").click();
    settle(&mut harness);
    harness.get_by_label(&format!("{} rows", rows("workgroups")));

    // Export the Logins report through the injected chooser; read it back.
    button(&harness, "Logins").click();
    settle(&mut harness);
    harness.get_by_label("Export report…").click();
    settle(&mut harness);
    let mut reader = csv::Reader::from_path(&output).expect("the report was written");
    assert_eq!(reader.records().count(), logins);
    assert!(auditview::export::sidecar_path(&output).exists());
}

#[test]
fn a_new_case_does_not_show_the_views_of_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let chooser = FixedChooser {
        folder: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nodes")),
        ..FixedChooser::default()
    };
    let app = AuditApp::new(State::default(), Arc::new(chooser), Vec::new())
        .with_sample_folder(dir.path().join("samples"));
    let mut harness = harness(app);
    harness.step();
    harness.get_by_label("Open the sample case").click();
    settle(&mut harness);
    button(&harness, "Nodes").click();
    settle(&mut harness);
    let samples = cli_json(&["nodes", "assets/samples", "--json"]);
    harness.get_by_label(&format!("{} entries", samples.as_array().unwrap().len()));

    // Another case, same (empty) filter: its own nodes, not the old ones.
    harness.get_by_label("File").click();
    harness.run();
    harness
        .get_by_label("Open folder...  (Ctrl+Shift+O)")
        .click();
    settle(&mut harness);
    assert_eq!(
        harness.state().window_title(),
        "nodes - 2 files, 14 events - auditview"
    );
    let fixture = cli_json(&["nodes", "tests/fixtures/nodes", "--json"]);
    harness.get_by_label(&format!("{} entries", fixture.as_array().unwrap().len()));
}

#[test]
fn a_case_opened_before_the_first_frame_gets_its_visible_by_list() {
    let mut app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::default()),
        Vec::new(),
    );
    app.open_store(sample_store(), Vec::new());
    let mut harness = harness(app);
    settle(&mut harness);
    harness.get_by_label("Visible by").click();
    settle(&mut harness);
    assert!(
        checkbox(&harness, "alice.martin").is_some(),
        "the Visible-by list is empty"
    );
}

#[test]
fn a_case_opened_while_another_is_indexed_gets_its_own_index() {
    let mut app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::default()),
        Vec::new(),
    );
    // A first case whose index takes a while: many distinct paths.
    let mut first = Store::default();
    for i in 0..200_000u64 {
        let mut draft = EventDraft::new(System::Pydio, i as i64 * 1000, i + 1);
        draft.set(TextField::Actor, "alice.martin");
        draft.set(TextField::NodePath, format!("ds/f{}/file{i}", i % 100));
        first.events.push(&draft, 0);
    }
    app.open_store(first, Vec::new());
    let mut harness = harness(app);
    harness.step();
    // The first case's index is still building: open another at once.
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nodes");
    let second = load(&[samples], &LoadProgress::default()).store;
    harness.state_mut().open_store(second, Vec::new());
    settle(&mut harness);
    harness.get_by_label("Visible by").click();
    settle(&mut harness);
    let listed = |name: &str| checkbox(&harness, name).is_some();
    assert!(
        listed("user-kim"),
        "the second case's principals are listed"
    );
    assert!(!listed("alice.martin"), "not the first case's");
}

#[test]
fn events_read_twice_can_be_left_out_in_the_panel() {
    let (_dir, mut harness) = open_sample_case();
    checkbox(&harness, "leave out events read twice")
        .expect("the Repeats checkbox")
        .click();
    settle(&mut harness);
    let expected = expected(&Filter {
        skip_repeats: true,
        ..Filter::default()
    });
    assert_eq!(expected, 209 - 36);
    harness.get_by_label(&status(expected));
}

#[test]
fn a_selected_node_shows_its_activity_and_who_could_see_it() {
    let (_dir, mut harness) = open_sample_case();
    button(&harness, "Nodes").click();
    settle(&mut harness);
    harness.get_by_label("Select a node to see its activity and who could see it.");
    // Public links only, so the link's row is in sight.
    checkbox(&harness, "public link")
        .expect("a public link checkbox")
        .click();
    settle(&mut harness);
    button(&harness, "public link").click();
    // Computed in the background: shown once the app is idle.
    settle(&mut harness);

    let links = cli_json(&["nodes", "assets/samples", "--json", "--kind", "link"]);
    let link = links
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry"] == "resource" && e["events"] != 0)
        .unwrap();
    let events = link["events"].as_u64().unwrap();
    assert!(events > 0);
    harness.get_by_label(&format!("Activity history ({events} events)"));
    for line in link["visible_by"].as_array().unwrap() {
        let principal = line["principal"].as_str().unwrap();
        let detail = line["detail"].as_str().unwrap();
        assert!(
            harness.query_all_by_label(principal).next().is_some(),
            "{principal} in the Visible-by list"
        );
        assert!(
            harness.query_all_by_label(detail).next().is_some(),
            "{detail:?} in the Visible-by list"
        );
    }
}

#[test]
fn the_sources_window_reveals_what_a_reject_hides() {
    // A reason quoting an escape sequence and a bidi override was drawn raw.
    let mut store = Store::default();
    store.sources.push(auditview::model::SourceInfo {
        path: "audit.log".into(),
        file: "audit.log".into(),
        identity: None,
        changed_while_read: None,
        format: auditview::model::Format::PydioAuditJsonl,
        sha256: String::new(),
        bytes: 0,
        rows: 1,
        events: 0,
        rejected: 1,
        cut_short: false,
    });
    store.rejects.push(auditview::model::Reject::new(
        1,
        auditview::model::RejectKind::Invalid,
        "timestamp '\u{1b}]0;PWNED\u{7}' is not a date",
        b"raw",
    ));
    store.skipped.push(auditview::model::SkippedPath {
        path: "notes.txt".into(),
        reason: "not a recognized audit format (first line: \u{202e}exe.txt)".into(),
    });
    let mut app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::default()),
        Vec::new(),
    );
    app.open_store(store, Vec::new());
    app.apply(Command::ShowSources(true));
    let mut harness = harness(app);
    settle(&mut harness);
    harness.get_by_label_contains("‹U+001B›]0;PWNED‹U+0007›");
    harness.get_by_label_contains("‹U+202E›exe.txt");
}

#[test]
fn esc_that_closes_a_dropdown_or_leaves_the_search_box_keeps_the_selection() {
    let (_dir, mut harness) = open_sample_case();
    harness.key_press(Key::Home);
    harness.step();
    assert_eq!(harness.state().selected_row(), Some(0));

    // Leaving the search box: Ctrl+F focuses it, Esc leaves it.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.step();
    harness.step();
    harness.key_press(Key::Escape);
    harness.step();
    assert_eq!(
        harness.state().selected_row(),
        Some(0),
        "after the search box"
    );

    // Closing the time zone list.
    harness.get_by_label("Time zone").click();
    harness.step();
    harness.step();
    harness.key_press(Key::Escape);
    harness.step();
    harness.step();
    assert_eq!(
        harness.state().selected_row(),
        Some(0),
        "after the dropdown"
    );

    // With nothing else to close, Esc clears the selection.
    harness.key_press(Key::Escape);
    harness.step();
    assert_eq!(harness.state().selected_row(), None);
}

#[test]
fn a_small_window_keeps_the_table_readable_and_every_pane_reachable() {
    let app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::default()),
        vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/samples")],
    );
    let mut harness = app_harness::harness(app, egui::vec2(800.0, 500.0));
    settle(&mut harness);
    harness.key_press(Key::Home);
    settle(&mut harness);
    let inside = |rect: egui::Rect| rect.min.x >= 0.0 && rect.max.x <= 800.0 && rect.max.y <= 500.0;
    // Time and the next columns show whole beside the filter panel.
    for header in ["Time (UTC)", "System", "Actor"] {
        let rect = button(&harness, header).rect();
        assert!(inside(rect), "{header} at {rect:?}");
    }
    // The details go under the table, and the Sources button stays on screen.
    let table = button(&harness, "Time (UTC)").rect();
    let details = harness.get_by_label("Event details").rect();
    assert!(details.top() > table.bottom(), "details at {details:?}");
    assert!(inside(
        harness.get_by_label_contains("Sources: 8 files").rect()
    ));
    // Hiding the filter panel gives its room to the table.
    button(&harness, "Filters").click();
    settle(&mut harness);
    assert!(!harness.state().state.show_filters);
    assert!(button(&harness, "Time (UTC)").rect().left() < table.left());
    for header in ["IP", "Action"] {
        let rect = button(&harness, header).rect();
        assert!(inside(rect), "{header} at {rect:?}");
    }
}

#[test]
fn ctrl_c_and_a_right_click_copy_the_row_a_cell_and_where_it_was_read() {
    let (_dir, mut harness) = open_sample_case();
    harness.key_press(Key::Home);
    harness.step();

    // Ctrl+C: the row, tab-separated under the export's header.
    harness.event(egui::Event::Copy);
    harness.step();
    harness.step();
    harness.get_by_label_contains("Copied the row");
    let copied = harness.state().last_copied().unwrap().to_string();
    let mut lines = copied.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    assert_eq!(header[..4], ["Time (UTC)", "System", "Log", "Actor"]);
    let cells: Vec<&str> = lines.next().unwrap().split('\t').collect();
    assert_eq!(cells.len(), header.len());
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (actor, file, line) = (
        cells[at("Actor")].to_string(),
        cells[at("Source File")],
        cells[at("Source Line")],
    );
    let source = format!("{file}:{line}");

    // A right click on the Actor cell: its value, and the source line.
    let right_click_actor = |harness: &mut Harness<'_, AuditApp>| {
        harness
            .get_all_by_label(&actor)
            .nth(1)
            .expect("the first row's actor cell (the details pane shows it first)")
            .click_secondary();
        harness.run();
    };
    right_click_actor(&mut harness);
    button(&harness, "Copy Actor").click();
    harness.run();
    assert_eq!(harness.state().last_copied(), Some(actor.as_str()));
    right_click_actor(&mut harness);
    button(&harness, "Copy source file:line").click();
    harness.run();
    assert_eq!(harness.state().last_copied(), Some(source.as_str()));
}

#[test]
fn the_requests_table_sorts_by_events_and_narrows_as_the_cli_counts() {
    let (_dir, mut harness) = open_sample_case();
    button(&harness, "Requests").click();
    settle(&mut harness);
    let cli = cli_json(&["requests", "assets/samples", "--json"]);
    let requests = cli.as_array().unwrap();
    let total = requests.len();
    harness.get_by_label(&format!("{total} of {total} requests"));
    for header in ["Request ID", "Actor", "IP", "Actions"] {
        harness.get_by_label(header);
    }

    // Most events first: the first row is the CLI's largest request.
    // (The tab bar has an Events button too: the header is the last one.)
    let header = |harness: &Harness<'_, AuditApp>, label: &str| {
        harness
            .get_all_by_role(egui::accesskit::Role::Button)
            .rfind(|n| n.accesskit_node().label().as_deref() == Some(label))
            .map(|n| n.click())
            .unwrap_or_else(|| panic!("no header {label:?}"));
    };
    header(&harness, "Events");
    harness.run();
    header(&harness, "Events ^");
    harness.run();
    // Ties keep their start order, as the CLI lists them.
    let largest = requests
        .iter()
        .rev()
        .max_by_key(|r| r["events"].as_u64().unwrap())
        .unwrap();
    let id = largest["request"].as_str().unwrap();
    let topmost = requests
        .iter()
        .filter_map(|r| {
            let id = r["request"].as_str().unwrap();
            let top = harness
                .query_all_by_label(id)
                .map(|n| n.rect().top())
                .reduce(f32::min)?;
            Some((top, id))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap();
    assert_eq!(topmost.1, id);

    // Narrowed as the CLI's JSON counts them.
    let several = requests
        .iter()
        .filter(|r| r["events"].as_u64().unwrap() > 1)
        .count();
    checkbox(&harness, "Several events only").unwrap().click();
    harness.run();
    harness.get_by_label(&format!("{several} of {total} requests"));
    let failed = requests
        .iter()
        .filter(|r| r["events"].as_u64().unwrap() > 1 && r["failures"].as_u64().unwrap() > 0)
        .count();
    checkbox(&harness, "With failures only").unwrap().click();
    harness.run();
    harness.get_by_label(&format!("{failed} of {total} requests"));
}

#[test]
fn a_partial_path_says_it_matches_whole_folder_names_and_offers_the_closest() {
    let (_dir, mut harness) = open_sample_case();
    harness.get_by_label("Path prefix or pattern").click();
    harness.step();
    harness
        .get_by_label("Path prefix or pattern")
        .type_text("pydiods1/Inv");
    settle(&mut harness);
    harness.get_by_label(&status(0));
    harness.get_by_label_contains("No path is “pydiods1/Inv” or lies under it");
    button(&harness, "pydiods1/Investigations").click();
    settle(&mut harness);
    let whole = Filter {
        paths: vec!["pydiods1/Investigations".into()],
        ..Filter::default()
    };
    harness.get_by_label(&status(expected(&whole)));
    // Or the pattern that matches inside names.
    harness.get_by_label("Path prefix or pattern").click();
    harness.step();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("Path prefix or pattern")
        .type_text("pydiods1/Inv");
    settle(&mut harness);
    button(&harness, "Match inside names: pydiods1/Inv*").click();
    settle(&mut harness);
    let pattern = Filter {
        paths: vec!["pydiods1/Inv*".into()],
        ..Filter::default()
    };
    harness.get_by_label(&status(expected(&pattern)));
}

#[test]
fn a_brushed_range_reads_as_whole_days_in_the_date_boxes() {
    let (_dir, mut harness) = open_sample_case();
    // What the timeline's brush gives for days 3 to 5 of the case.
    let day = 86_400_000;
    let from = 1_709_251_200_000 + 2 * day; // 2024-03-03T00:00:00Z
    harness.state_mut().apply(Command::SetDates(
        Some(UtcMs(from)),
        Some(UtcMs(from + 3 * day - 1)),
    ));
    settle(&mut harness);
    let value = |label: &str| {
        harness
            .get_by_label(label)
            .accesskit_node()
            .value()
            .map(|v| v.to_string())
    };
    assert_eq!(value("From").as_deref(), Some("2024-03-03"));
    assert_eq!(value("To").as_deref(), Some("2024-03-05"));
    let range = Filter {
        from: Some(UtcMs(from)),
        to: Some(UtcMs(from + 3 * day - 1)),
        ..Filter::default()
    };
    harness.get_by_label(&status(expected(&range)));
}

#[test]
fn the_details_place_the_address_with_the_sample_geoip_databases() {
    let (_dir, mut harness) = open_sample_case();
    harness.key_press(Key::Home);
    settle(&mut harness);
    // The first event of the sample comes from 198.51.100.187.
    assert!(harness.query_all_by_label("198.51.100.187").count() >= 2);
    assert!(harness.query_all_by_label("DE Germany").count() >= 2);
    harness.get_by_label("Berlin, Land Berlin (52.5200, 13.4050)");
    // In the table's AS column and in the details.
    assert!(
        harness
            .query_all_by_label("AS64501 Example Networks Berlin")
            .count()
            >= 1
    );
}

#[test]
fn the_details_say_what_kind_of_address_an_ip_is_without_a_geoip_database() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("dnanexus");
    std::fs::create_dir_all(&evidence).unwrap();
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("assets/samples/dnanexus/audit_trail_2024-03-14.csv"),
        evidence.join("audit.csv"),
    )
    .unwrap();
    let app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::default()),
        vec![evidence],
    );
    let mut harness = harness(app);
    settle(&mut harness);
    harness.key_press(Key::Home);
    settle(&mut harness);
    // No database: no place columns, and the address is classified.
    assert!(harness.query_all_by_label("Country").count() <= 1);
    harness.get_by_label("documentation (TEST-NET-3) (203.0.113.0/24, RFC 5737)");
}

#[test]
fn the_country_panel_counts_and_selects_as_the_cli_does() {
    let (_dir, mut harness) = open_sample_case();
    let store = sample_store();
    let case = auditview::index::Case::new(store);
    case.set_places(auditview::geo::place(&case.store, &[]).unwrap());
    let japan = Filter {
        countries: vec!["JP".into()],
        ..Filter::default()
    };
    let count = auditview::query::select(&case, &japan).unwrap().len();
    assert_eq!(count, 56);
    // The filter panel's section, not the table's column header.
    harness
        .query_all_by_label("Country")
        .min_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .expect("the Country section")
        .click();
    settle(&mut harness);
    checkbox(&harness, "JP Japan")
        .expect("the Country panel lists Japan")
        .click();
    settle(&mut harness);
    harness.get_by_label(&status(count));
    assert_eq!(harness.state().counts().map(|c| c.0), Some(count));
}

#[test]
fn accepting_a_link_in_the_people_view_groups_the_usage_report_as_the_cli_does() {
    let (dir, mut harness) = open_sample_case();
    button(&harness, "People").click();
    settle(&mut harness);
    let link = "user-amartin = alice.martin";
    let label_y = harness.get_by_label(link).rect().center().y;
    // Its reason names the lines that prove it (the DNAnexus side: line 16).
    assert!(
        harness
            .query_all_by_label_contains("dnanexus/audit_trail_2024-03-14.csv:16")
            .count()
            >= 1
    );
    harness
        .query_all_by_label("Accept")
        .find(|b| (b.rect().center().y - label_y).abs() < 12.0)
        .expect("the link's Accept button")
        .click();
    settle(&mut harness);
    settle(&mut harness);
    harness.get_by_label_contains("Persons (1)");

    let aliases = dir.path().join("aliases.json");
    std::fs::write(
        &aliases,
        r#"{"accepted": [["user-amartin", "alice.martin"]]}"#,
    )
    .unwrap();
    let rows = |extra: &[&str]| {
        let mut args = vec!["report", "usage", "assets/samples", "--json"];
        args.extend_from_slice(extra);
        cli_json(&args).as_array().unwrap().len()
    };
    let grouped = rows(&["--aliases", aliases.to_str().unwrap()]);
    assert_eq!(grouped + 1, rows(&[]));
    button(&harness, "Reports").click();
    settle(&mut harness);
    harness.get_by_label(&format!("{grouped} rows"));
}

#[test]
fn a_remembered_geoip_database_gone_is_said_and_the_others_still_place() {
    let dir = tempfile::tempdir().unwrap();
    let state = State {
        geoip_databases: vec![dir.path().join("moved-away.mmdb")],
        ..State::default()
    };
    let app = AuditApp::new(state, Arc::new(FixedChooser::default()), Vec::new())
        .with_sample_folder(dir.path().join("samples"));
    let mut harness = harness(app);
    harness.step();
    harness.get_by_label("Open the sample case").click();
    settle(&mut harness);
    let notices: Vec<String> = harness
        .state()
        .notices()
        .iter()
        .map(|n| n.text.clone())
        .collect();
    assert!(
        notices
            .iter()
            .any(|n| n.contains("moved-away.mmdb is not there any more")),
        "{notices:?}"
    );
    // The sample's own databases still place its addresses.
    harness.key_press(Key::Home);
    settle(&mut harness);
    assert!(harness.query_all_by_label("DE Germany").count() >= 1);
}

#[test]
fn files_handed_over_by_a_second_launch_are_added_or_opened_in_a_new_window_as_chosen() {
    use auditview::ui::state::SecondLaunch;
    use std::sync::Mutex;

    let dir = tempfile::tempdir().unwrap();
    let started: Arc<Mutex<Vec<Vec<PathBuf>>>> = Arc::default();
    let recorder = started.clone();
    let app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::unavailable()),
        Vec::new(),
    )
    .with_sample_folder(dir.path().join("samples"))
    .with_window_launcher(Arc::new(move |paths: &[PathBuf]| {
        recorder.lock().unwrap().push(paths.to_vec());
        Ok(())
    }));
    let mut harness = harness(app);
    harness.step();
    let fixture = |name: &str| Path::new(env!("CARGO_MANIFEST_DIR")).join(name);

    // With nothing open, files handed over simply open.
    harness
        .state_mut()
        .apply(Command::Arrived(vec![fixture("tests/fixtures/nodes")]));
    settle(&mut harness);
    assert_eq!(
        harness.state().window_title(),
        "nodes - 2 files, 14 events - auditview"
    );

    // With a case open (or loading: asked once it is), the window asks;
    // the answer is remembered.
    harness
        .state_mut()
        .apply(Command::OpenPaths(vec![fixture("tests/fixtures/nodes")]));
    harness
        .state_mut()
        .apply(Command::Arrived(vec![fixture("assets/samples")]));
    settle(&mut harness);
    checkbox(&harness, "Remember my choice").unwrap().click();
    harness.run();
    button(&harness, "Add to this case").click();
    settle(&mut harness);
    assert_eq!(
        harness.state().window_title(),
        "nodes and 1 more - 10 files, 223 events - auditview"
    );
    assert_eq!(
        harness.state().settings().second_launch,
        SecondLaunch::AddToCase
    );

    // Remembered "new window": no question, no load here, a window started.
    harness
        .state_mut()
        .apply(Command::SetSecondLaunch(SecondLaunch::NewWindow));
    harness
        .state_mut()
        .apply(Command::Arrived(vec![fixture("tests/fixtures/folder")]));
    settle(&mut harness);
    assert!(harness.query_by_label("Add to this case").is_none());
    assert_eq!(
        *started.lock().unwrap(),
        vec![vec![fixture("tests/fixtures/folder")]]
    );
    assert_eq!(harness.state().counts(), Some((223, 223)));

    // Files open here already: said, nothing loaded again.
    harness
        .state_mut()
        .apply(Command::Raise(vec![fixture("assets/samples")]));
    harness.step();
    assert!(
        harness
            .state()
            .notices()
            .iter()
            .any(|n| n.text.contains("open here already"))
    );
}

#[test]
fn help_about_names_the_version_commit_and_build_day() {
    let app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::unavailable()),
        Vec::new(),
    );
    let mut harness = harness(app);
    harness.step();
    harness.get_by_label("Help").click();
    harness.run();
    harness.get_by_label("About auditview").click();
    harness.run();
    harness.get_by_label(auditview::build_info::VERSION);
    harness.get_by_label(auditview::build_info::COMMIT);
    harness.get_by_label(auditview::build_info::BUILD_DATE);
    button(&harness, "Copy version").click();
    harness.run();
    assert_eq!(
        harness.state().last_copied(),
        Some(format!("auditview {}", auditview::build_info::LONG_VERSION).as_str())
    );
}

#[test]
fn the_ip_box_takes_a_list_and_an_invalid_entry_never_widens_the_view() {
    let (_dir, mut harness) = open_sample_case();
    harness.get_by_label("IP / CIDR").click();
    settle(&mut harness);
    let one = Filter {
        ips: vec!["198.51.100.0/24".into()],
        ..Filter::default()
    };
    let both = Filter {
        ips: vec!["198.51.100.0/24".into(), "203.0.113.0/24".into()],
        ..Filter::default()
    };
    let (one_count, both_count) = (expected(&one), expected(&both));
    assert!(0 < one_count && one_count < both_count && both_count < 209);

    let type_ip = |harness: &mut Harness<'_, AuditApp>, text: &str| {
        let field = "Addresses or blocks (any of them)";
        harness.get_by_label(field).click();
        harness.step();
        harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
        harness.get_by_label(field).type_text(text);
        settle(harness);
    };
    type_ip(&mut harness, "198.51.100.0/24");
    harness.get_by_label(&status(one_count));
    // Two blocks, one mistyped: the view stays as it was, and says why.
    type_ip(&mut harness, "198.51.100.0/24, 203.0.113.0/33");
    harness.get_by_label(&status(one_count));
    harness.get_by_label_contains("Not applied: the view keeps its last filter");
    harness.get_by_label_contains("203.0.113.0/33");
    // Fixed: any of the two, as `--ip` repeated.
    type_ip(&mut harness, "198.51.100.0/24, 203.0.113.0/24");
    harness.get_by_label(&status(both_count));
    assert!(
        harness
            .query_by_label_contains("Not applied: the view keeps its last filter")
            .is_none()
    );
    // Mistyped from the start: nothing was valid, the whole case stays.
    harness.state_mut().apply(Command::ClearAll);
    settle(&mut harness);
    type_ip(&mut harness, "203.0.113.0/33");
    harness.get_by_label(&status(209));
    harness.get_by_label_contains("Not applied: the view keeps its last filter");
}
