//! UI frame times with millions of events: `cargo bench --bench frame`.
//! Opens a synthetic case of 5 million events (AUDITVIEW_BENCH_EVENTS) in
//! the real app, driven headless by egui_kittest, and reports the time of
//! each UI frame while scrolling and while a filter or a sort runs in the
//! background. Frames include building the accessibility tree kittest reads,
//! so a window's frames are at most these.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    reason = "benches write their corpora; a failed unwrap is a failed run"
)]

#[expect(
    dead_code,
    reason = "the frame bench waits and finds widgets its own way"
)]
#[path = "../tests/support/app_harness.rs"]
mod app_harness;
#[expect(dead_code, reason = "the store builder uses part of the corpus")]
#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/store.rs"]
mod store;

use std::sync::Arc;
use std::time::{Duration, Instant};

use app_harness::button;
use auditview::ui::{AuditApp, FixedChooser, State};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn harness(app: AuditApp) -> Harness<'static, AuditApp> {
    app_harness::harness(app, egui::vec2(1600.0, 1000.0))
}

/// Milliseconds of one frame.
fn frame(harness: &mut Harness<'_, AuditApp>) -> f64 {
    let start = Instant::now();
    harness.step();
    start.elapsed().as_secs_f64() * 1e3
}

/// Steps until the background job is done; returns the frame times and
/// how long the job took, wall clock.
fn frames_until_idle(harness: &mut Harness<'_, AuditApp>) -> (Vec<f64>, f64) {
    let start = Instant::now();
    let mut frames = Vec::new();
    while harness.state().is_busy() {
        frames.push(frame(harness));
        std::thread::sleep(Duration::from_millis(2));
        assert!(start.elapsed() < Duration::from_secs(300), "stayed busy");
    }
    frames.push(frame(harness));
    (frames, start.elapsed().as_secs_f64() * 1e3)
}

/// Clicks the tab named `name`.
fn tab(harness: &mut Harness<'_, AuditApp>, name: &str) {
    button(harness, name).click();
    harness.step();
}

fn report(label: &str, frames: &mut [f64]) {
    frames.sort_by(f64::total_cmp);
    let at = |q: f64| frames[((frames.len() - 1) as f64 * q).round() as usize];
    println!(
        "{label:<40} {:>5} frames  median {:>6.2} ms  p95 {:>6.2} ms  max {:>6.2} ms",
        frames.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    );
}

fn main() {
    let events: usize = std::env::var("AUDITVIEW_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000_000);
    let start = Instant::now();
    let store = store::build_store(events);
    println!(
        "built {events} events in {:.1} s",
        start.elapsed().as_secs_f64()
    );

    let mut app = AuditApp::new(
        State::default(),
        Arc::new(FixedChooser::default()),
        Vec::new(),
    );
    app.open_store(store, Vec::new());
    let mut harness = harness(app);
    // The first view is shown once the first filter is done; the case
    // index (node tree, visibility) is still being built then.
    let start = Instant::now();
    let mut frames = Vec::new();
    while harness
        .state()
        .counts()
        .is_none_or(|(matched, _)| matched == 0)
    {
        frames.push(frame(&mut harness));
        std::thread::sleep(Duration::from_millis(2));
        assert!(start.elapsed() < Duration::from_secs(300), "never shown");
    }
    let total = start.elapsed().as_secs_f64() * 1e3;
    report("first view (filter in background)", &mut frames);
    println!("{:<40} {total:>8.0} ms until shown", "first view");
    let (mut frames, total) = frames_until_idle(&mut harness);
    report("while the case index builds", &mut frames);
    println!(
        "{:<40} {total:>8.0} ms more",
        "case index (node tree, visibility)"
    );

    let mut frames: Vec<f64> = (0..100).map(|_| frame(&mut harness)).collect();
    report("idle", &mut frames);

    // The Nodes view of every event, computed in the background.
    tab(&mut harness, "Nodes");
    let (mut frames, total) = frames_until_idle(&mut harness);
    report("Nodes view (background)", &mut frames);
    println!("{:<40} {total:>8.0} ms until shown", "Nodes view");
    let mut frames: Vec<f64> = (0..100).map(|_| frame(&mut harness)).collect();
    report("idle on the Nodes view", &mut frames);
    // The Requests view of every event: one header per request, 500 drawn.
    tab(&mut harness, "Requests");
    let (mut frames, total) = frames_until_idle(&mut harness);
    report("Requests view (background)", &mut frames);
    println!("{:<40} {total:>8.0} ms until shown", "Requests view");
    let mut frames: Vec<f64> = (0..100).map(|_| frame(&mut harness)).collect();
    report("idle on the Requests view", &mut frames);
    tab(&mut harness, "Events");
    harness.step();

    let mut frames = Vec::new();
    for _ in 0..200 {
        harness.key_press(Key::PageDown);
        frames.push(frame(&mut harness));
    }
    report("Page Down (scrolling)", &mut frames);

    let mut frames = Vec::new();
    for i in 0..200 {
        harness.key_press(if i % 2 == 0 { Key::End } else { Key::Home });
        frames.push(frame(&mut harness));
    }
    report("End / Home (jumps across 5M rows)", &mut frames);

    // A filter change: the path box, as typed.
    harness.get_by_label("Path prefix or pattern").click();
    harness.step();
    harness
        .get_by_label("Path prefix or pattern")
        .type_text("*Pièces/doc_0001*");
    harness.step();
    let (mut frames, total) = frames_until_idle(&mut harness);
    report("path filter (runs in background)", &mut frames);
    println!("{:<40} {total:>8.0} ms until shown", "path filter");

    // A sort by a text column.
    button(&harness, "Node Path").click();
    harness.step();
    let (mut frames, total) = frames_until_idle(&mut harness);
    report("sort by Node Path (background)", &mut frames);
    println!("{:<40} {total:>8.0} ms until shown", "sort by Node Path");

    let mut frames = Vec::new();
    for _ in 0..200 {
        harness.key_press(Key::PageDown);
        frames.push(frame(&mut harness));
    }
    report("Page Down (sorted, filtered)", &mut frames);
}
