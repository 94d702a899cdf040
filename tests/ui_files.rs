//! The desktop app's file dialogs and the filter's trips to files and the
//! command line, driven through egui_kittest on a desktop without system
//! file dialogs (no portal, no zenity), as on a bare analysis workstation.

use crate::support::app_harness;
use crate::support::cli::case_made_by_cli;

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::sync::Arc;

use auditview::ui::{AuditApp, Command, FixedChooser, State};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use app_harness::{button, checkbox, step_until_idle};

use crate::support::copy_dir;
use copy_dir::copy_dir;

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/samples")
}

/// The app on a desktop with no file dialogs, with the sample case open
/// when `open` (read in place: the app never writes to an input).
fn app_without_system_dialogs(open: bool) -> Harness<'static, AuditApp> {
    let paths = if open { vec![samples()] } else { Vec::new() };
    let app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::unavailable()),
        paths,
    );
    let mut harness = app_harness::harness(app, egui::vec2(1280.0, 800.0));
    settle(&mut harness);
    harness
}

fn settle(harness: &mut Harness<'_, AuditApp>) {
    step_until_idle(harness);
    harness.step();
    harness.step();
}

/// Types `text` into the chooser's location or file name field and presses Enter.
fn type_into_chooser(harness: &mut Harness<'_, AuditApp>, field: &str, text: &str) {
    assert!(harness.state().is_choosing_file(), "no chooser is open");
    // A new window is measured in its first frame and shown in the next.
    harness.step();
    // The listing is read off the UI thread: the field can move while it
    // arrives (on a busy machine), so click until it has the focus.
    for _ in 0..20 {
        harness.get_by_label(field).click();
        harness.step();
        if harness.get_by_label(field).is_focused() {
            break;
        }
        step_until_idle(harness);
    }
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(field).type_text(text);
    harness.step();
    harness.key_press(Key::Enter);
    settle(harness);
}

fn csv_rows(path: &Path) -> usize {
    csv::Reader::from_path(path).unwrap().records().count()
}

fn matched(harness: &Harness<'_, AuditApp>) -> usize {
    harness.state().counts().unwrap().0
}

/// Narrows the sample case to one folder and one day (to the millisecond).
fn set_a_filter(harness: &mut Harness<'_, AuditApp>) -> usize {
    harness.get_by_label("Path prefix or pattern").click();
    harness.step();
    harness
        .get_by_label("Path prefix or pattern")
        .type_text("pydiods1/Investigations");
    settle(harness);
    let from = 1_710_374_400_000; // 2024-03-14T00:00:00Z
    harness.state_mut().apply(Command::SetDates(
        Some(auditview::time::UtcMs(from)),
        Some(auditview::time::UtcMs(from + 86_400_000 - 1)),
    ));
    settle(harness);
    let count = matched(harness);
    assert!(count > 0 && count < 209, "{count}");
    count
}

#[test]
fn without_system_dialogs_open_folder_shows_the_built_in_chooser_and_a_typed_path_loads() {
    let mut harness = app_without_system_dialogs(false);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    harness.step();
    harness.get_by_label("Open a folder of audit logs");
    type_into_chooser(&mut harness, "Location", &samples().display().to_string());
    assert!(!harness.state().is_choosing_file());
    assert_eq!(
        harness.state().window_title(),
        "samples - 8 files, 209 events - auditview"
    );
    // The folder is offered again next time.
    assert_eq!(harness.state().state.recent_folders, [samples()]);
}

#[test]
fn a_system_dialog_that_answers_nothing_at_once_gives_way_to_the_built_in_chooser() {
    // rfd with no portal and no zenity: no path, at once.
    let app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::default()),
        Vec::new(),
    );
    let mut harness = app_harness::harness(app, egui::vec2(1280.0, 800.0));
    harness.step();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    settle(&mut harness);
    assert!(harness.state().is_choosing_file());
    harness.get_by_label("Open audit logs");
    harness.get_by_label_contains("auditview's own chooser is used instead");
    button(&harness, "Cancel").click();
    settle(&mut harness);
    assert!(!harness.state().is_choosing_file());
}

#[test]
fn export_through_the_built_in_chooser_adds_the_ending_and_asks_before_replacing() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_without_system_dialogs(true);
    let count = set_a_filter(&mut harness);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.step();
    harness.get_by_label("Export the current view");
    let typed = dir.path().join("view");
    type_into_chooser(&mut harness, "File name", &typed.display().to_string());
    let csv = dir.path().join("view.csv");
    assert_eq!(csv_rows(&csv), count);
    assert!(dir.path().join("view.csv.provenance.json").exists());

    // The same name again: asked, and "Keep it" keeps the file.
    std::fs::write(&csv, "kept\n").unwrap();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.step();
    type_into_chooser(&mut harness, "File name", &csv.display().to_string());
    harness.get_by_label_contains("already exists. Replace it?");
    button(&harness, "Keep it").click();
    harness.step();
    harness.step();
    button(&harness, "Cancel").click();
    settle(&mut harness);
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "kept\n");

    // Replace writes it; a workbook is named by its ending.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.step();
    type_into_chooser(&mut harness, "File name", &csv.display().to_string());
    button(&harness, "Replace").click();
    settle(&mut harness);
    assert_eq!(csv_rows(&csv), count);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.step();
    let xlsx = dir.path().join("view.xlsx");
    type_into_chooser(&mut harness, "File name", &xlsx.display().to_string());
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    assert!(dir.path().join("view.xlsx.provenance.json").exists());
}

#[test]
fn a_filter_saved_from_the_window_runs_in_the_cli_and_opens_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_without_system_dialogs(true);
    let count = set_a_filter(&mut harness);

    harness.state_mut().apply(Command::SaveFilterDialog);
    harness.step();
    let saved = dir.path().join("investigations.json");
    type_into_chooser(&mut harness, "File name", &saved.display().to_string());
    let output = dir.path().join("cli.csv");
    let run = crate::support::cli::binary()
        .arg("export")
        .arg(samples())
        .arg("--filter-file")
        .arg(&saved)
        .arg("--output")
        .arg(&output)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(csv_rows(&output), count);

    harness.state_mut().apply(Command::ClearAll);
    settle(&mut harness);
    assert_eq!(matched(&harness), 209);
    harness.state_mut().apply(Command::OpenFilterDialog);
    harness.step();
    type_into_chooser(&mut harness, "Location", &saved.display().to_string());
    assert_eq!(matched(&harness), count);
}

#[test]
fn copy_as_command_line_gives_a_command_that_exports_the_rows_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_without_system_dialogs(true);
    let count = set_a_filter(&mut harness);
    harness.state_mut().apply(Command::CopyCommandLine);
    harness.step();
    let line = harness.state().last_copied().unwrap().to_string();
    assert!(line.starts_with("auditview export "), "{line}");
    // The databases placing the addresses go with it, so places agree.
    assert!(line.contains("--geoip "), "{line}");

    // Run as copied, in a shell, with this build first on PATH.
    run_copied(&line, dir.path());
    assert_eq!(csv_rows(&dir.path().join("auditview-export.csv")), count);
}

#[test]
fn the_copied_command_line_writes_the_same_file_as_the_windows_export() {
    let dir = tempfile::tempdir().unwrap();
    // A case of the samples (its marks add columns, its persons count), a
    // zone that is not UTC (the time column), the samples' GeoIP databases
    // (the place columns).
    let evidence = dir.path().join("evidence");
    copy_dir(&samples(), &evidence);
    let case = dir.path().join("inv.auditcase");
    for args in [
        vec!["case", "new", "inv.auditcase", "evidence"],
        vec!["case", "star", "inv.auditcase", "--system", "pydio"],
    ] {
        let run = crate::support::cli::binary()
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let from_window = dir.path().join("window.csv");
    let geoip = evidence.join("geoip");
    let state = State {
        geoip_databases: vec![
            geoip.join("auditview-sample-City.mmdb"),
            geoip.join("auditview-sample-ASN.mmdb"),
        ],
        ..State::default()
    };
    let app = AuditApp::new(
        state,
        Arc::new(FixedChooser::saving_to(&from_window)),
        vec![case.clone()],
    );
    let mut harness = app_harness::harness(app, egui::vec2(1280.0, 800.0));
    settle(&mut harness);
    harness.state_mut().apply(Command::SetZone(
        auditview::time::Zone::parse("Asia/Tokyo").unwrap(),
    ));
    settle(&mut harness);
    set_a_filter(&mut harness);
    harness.state_mut().apply(Command::Export);
    settle(&mut harness);
    harness.state_mut().apply(Command::CopyCommandLine);
    harness.step();
    let line = harness.state().last_copied().unwrap().to_string();
    for part in ["--case ", "--tz Asia/Tokyo", "--geoip "] {
        assert!(line.contains(part), "{part} in {line}");
    }
    run_copied(&line, dir.path());
    let window = std::fs::read_to_string(&from_window).unwrap();
    let copied = std::fs::read_to_string(dir.path().join("auditview-export.csv")).unwrap();
    assert!(
        window.lines().next().unwrap().contains("Time (Asia/Tokyo)"),
        "{window}"
    );
    let header = window.lines().next().unwrap();
    assert!(
        header.contains("Country,City,ASN,AS Organization"),
        "{header}"
    );
    assert!(header.ends_with("Starred,Tags,Note"), "{header}");
    assert_eq!(window, copied);
}

/// Runs a copied command line as copied, in a shell in `dir`, with this
/// build first on PATH.
fn run_copied(line: &str, dir: &Path) {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_auditview"));
    let path = std::env::join_paths(std::iter::once(bin.parent().unwrap().to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let run = Process::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{line}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

fn cli_count(case: &Path, flag: &str) -> u64 {
    let out = crate::support::cli::binary()
        .args(["inspect", "--json", "--case"])
        .arg(case)
        .arg(flag)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["matched"].as_u64().unwrap()
}

#[test]
fn marks_made_in_the_window_are_saved_in_the_case_and_come_back_when_it_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_without_system_dialogs(true);
    harness.key_press(Key::Home);
    harness.step();
    // Without a case file, marking says how to make one.
    harness.key_press(Key::S);
    harness.step();
    harness.step();
    harness.get_by_label_contains("Marks are kept in a case file");

    harness.state_mut().apply(Command::NewCaseDialog);
    harness.step();
    let case = dir.path().join("inv.auditcase");
    type_into_chooser(&mut harness, "File name", &case.display().to_string());
    assert!(case.exists());
    harness.get_by_label("inv.auditcase");

    // Star the first event (S), tag the second, note the third.
    harness.key_press(Key::S);
    settle(&mut harness);
    button(&harness, "Starred");
    harness.key_press(Key::ArrowDown);
    harness.step();
    harness.get_by_label("Tag").click();
    harness.step();
    harness.get_by_label("Tag").type_text("exfil");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    harness.key_press(Key::Escape);
    harness.step();
    harness.key_press(Key::ArrowDown);
    harness.step();
    harness.get_by_label("Note").click();
    harness.step();
    harness.get_by_label("Note").type_text("looks odd");
    harness.step();
    // No save button: another row selected at once still saves the note,
    // on the event it was typed on.
    harness.state_mut().apply(Command::Select(Some(0)));
    settle(&mut harness);

    // The CLI reads the same marks from the case file.
    assert_eq!(cli_count(&case, "--starred"), 1);
    assert_eq!(cli_count(&case, "--has-note"), 1);
    let tagged = crate::support::cli::binary()
        .args(["inspect", "--json", "--tag", "exfil", "--case"])
        .arg(&case)
        .output()
        .unwrap();
    let tagged: serde_json::Value = serde_json::from_slice(&tagged.stdout).unwrap();
    assert_eq!(tagged["matched"], 1);

    // Reopened in a new window: the marks filter as they did.
    let app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::unavailable()),
        vec![case.clone()],
    );
    let mut reopened = app_harness::harness(app, egui::vec2(1280.0, 800.0));
    settle(&mut reopened);
    assert_eq!(
        reopened.state().window_title(),
        "inv.auditcase - 8 files, 209 events - auditview"
    );
    checkbox(&reopened, "starred").unwrap().click();
    settle(&mut reopened);
    assert_eq!(matched(&reopened), 1);
    checkbox(&reopened, "starred").unwrap().click();
    checkbox(&reopened, "tag: exfil").unwrap().click();
    settle(&mut reopened);
    assert_eq!(matched(&reopened), 1);
}

#[test]
fn a_view_and_the_summary_saved_in_the_window_are_in_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("inv.auditcase");
    case_made_by_cli(&case, &[&samples()]);
    let app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::unavailable()),
        vec![case.clone()],
    );
    let mut harness = app_harness::harness(app, egui::vec2(1280.0, 800.0));
    settle(&mut harness);
    let count = set_a_filter(&mut harness);

    harness.get_by_label("View name").click();
    harness.step();
    harness
        .get_by_label("View name")
        .type_text("investigations day");
    harness.step();
    button(&harness, "Save view").click();
    settle(&mut harness);
    harness.state_mut().apply(Command::ClearAll);
    settle(&mut harness);
    assert_eq!(matched(&harness), 209);
    button(&harness, "View: investigations day").click();
    settle(&mut harness);
    assert_eq!(matched(&harness), count);

    harness.get_by_label("Summary").click();
    harness.step();
    harness.get_by_label("What the investigation found").click();
    harness.step();
    harness
        .get_by_label("What the investigation found")
        .type_text("Bob copied the folder.");
    harness.step();
    button(&harness, "Save summary").click();
    settle(&mut harness);
    let summary = crate::support::cli::binary()
        .args(["case", "summary"])
        .arg(&case)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&summary.stdout).trim(),
        "Bob copied the folder."
    );
    // The CLI applies the view the window saved.
    let cli = crate::support::cli::binary()
        .args([
            "inspect",
            "--json",
            "--view",
            "investigations day",
            "--case",
        ])
        .arg(&case)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(json["matched"].as_u64(), Some(count as u64));
}

#[test]
fn a_node_starred_and_noted_in_the_nodes_view_is_in_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("inv.auditcase");
    case_made_by_cli(&case, &[&samples()]);
    let app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::unavailable()),
        vec![case.clone()],
    );
    let mut harness = app_harness::harness(app, egui::vec2(1280.0, 800.0));
    settle(&mut harness);
    button(&harness, "Nodes").click();
    settle(&mut harness);
    checkbox(&harness, "public link").unwrap().click();
    settle(&mut harness);
    button(&harness, "public link").click();
    settle(&mut harness);
    button(&harness, "Star").click();
    settle(&mut harness);
    button(&harness, "Starred");
    harness.get_by_label("Note").click();
    harness.step();
    harness
        .get_by_label("Note")
        .type_text("opened by strangers");
    harness.step();
    // Leaving the field saves it.
    harness.key_press(Key::Escape);
    settle(&mut harness);
    let info = crate::support::cli::binary()
        .args(["case", "info", "--json"])
        .arg(&case)
        .output()
        .unwrap();
    let info: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(info["nodes_marked"], 1);
    let report = dir.path().join("report.html");
    let out = crate::support::cli::binary()
        .args(["report", "case"])
        .arg(&case)
        .arg("--output")
        .arg(&report)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("resource:") && html.contains("opened by strangers"));
}

#[test]
fn moved_evidence_is_named_on_opening_and_found_again_by_hash_from_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    copy_dir(&samples(), &evidence);
    let case = dir.path().join("inv.auditcase");
    let run = |args: &[&std::ffi::OsStr]| {
        let out = crate::support::cli::binary().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "case".as_ref(),
        "new".as_ref(),
        case.as_os_str(),
        evidence.as_os_str(),
    ]);
    run(&[
        "case".as_ref(),
        "star".as_ref(),
        case.as_os_str(),
        "--user".as_ref(),
        "alice.martin".as_ref(),
    ]);
    let moved = dir.path().join("moved");
    std::fs::rename(&evidence, &moved).unwrap();

    let app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::unavailable()),
        vec![case.clone()],
    );
    let mut harness = app_harness::harness(app, egui::vec2(1280.0, 800.0));
    settle(&mut harness);
    // Nothing could be read: every file is named, with the marks citing it.
    assert!(harness.state().notices().iter().any(
        |n| n.text.contains("no such file or folder") && n.text.contains("Find moved evidence")
    ));
    harness.state_mut().apply(Command::RelocateEvidenceDialog);
    harness.step();
    type_into_chooser(&mut harness, "Location", &moved.display().to_string());
    settle(&mut harness);
    assert_eq!(
        harness.state().window_title(),
        "inv.auditcase - 8 files, 209 events - auditview"
    );
    checkbox(&harness, "starred").unwrap().click();
    settle(&mut harness);
    assert!(matched(&harness) > 0);
}

#[test]
fn saving_among_the_evidence_is_asked_first_and_can_go_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    copy_dir(&samples(), &evidence);
    let target = evidence.join("view.csv");
    let app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::saving_to(&target)),
        vec![evidence.clone()],
    );
    let mut harness = app_harness::harness(app, egui::vec2(1280.0, 800.0));
    settle(&mut harness);

    harness.state_mut().apply(Command::Export);
    settle(&mut harness);
    harness.get_by_label("Save among the evidence?");
    assert!(!target.exists(), "written before the answer");
    // Another place: the dialog opens again; nothing is written.
    button(&harness, "Choose another place").click();
    settle(&mut harness);
    assert!(!target.exists());
    // This time, here.
    button(&harness, "Save here").click();
    settle(&mut harness);
    for _ in 0..50 {
        if target.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        harness.step();
    }
    assert!(target.is_file(), "not written after the answer");
}
