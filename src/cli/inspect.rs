//! `auditview inspect`: what was loaded, per file and in total.

use std::process::ExitCode;

use serde::Serialize;

use super::case_args::CaseArgs;
use super::{CliError, Selected, exit_code, print_json};
use crate::analysis::places::{PlaceCounts, place_counts};
use crate::display::reveal;
use crate::index::Case;
use crate::model::{OmittedRejects, SkippedPath, SourceInfo};
use crate::query::{Filter, Selection};
use crate::sources::LoadError;
use crate::time::UtcMs;

pub type Args = CaseArgs;

#[derive(Serialize)]
struct Report<'a> {
    sources: &'a [SourceInfo],
    skipped: &'a [SkippedPath],
    errors: &'a [LoadError],
    events: usize,
    rejected: u64,
    /// Events that repeat an event read from another source.
    repeats: usize,
    matched: usize,
    filter: &'a Filter,
    first: Option<UtcMs>,
    last: Option<UtcMs>,
    directory: DirectoryCounts,
    rejects: Vec<RejectJson<'a>>,
    /// Per file, the rejects beyond the ones kept in detail.
    rejects_not_kept: Vec<OmittedJson<'a>>,
    /// The matched events by country and autonomous system (GeoIP).
    places: PlaceCounts,
}

#[derive(Serialize)]
struct OmittedJson<'a> {
    path: &'a str,
    #[serde(flatten)]
    omitted: &'a OmittedRejects,
}

#[derive(Serialize)]
struct DirectoryCounts {
    users: usize,
    memberships: usize,
    shared_resources: usize,
}

#[derive(Serialize)]
struct RejectJson<'a> {
    path: &'a str,
    line: u64,
    /// malformed, invalid, over-limit, cut-short, unreadable.
    kind: crate::model::RejectKind,
    reason: &'a str,
    raw: &'a str,
}

fn report<'a>(
    case: &'a Case,
    errors: &'a [LoadError],
    filter: &'a Filter,
    selection: &Selection,
) -> Report<'a> {
    let store = &case.store;
    let span = selection.span(store);
    Report {
        sources: &store.sources,
        skipped: &store.skipped,
        errors,
        events: store.events.len(),
        rejected: store.rejected(),
        repeats: case.repeats().iter().filter(|&&r| r).count(),
        matched: selection.len(),
        filter,
        first: span.map(|(first, _)| UtcMs(first)),
        last: span.map(|(_, last)| UtcMs(last)),
        directory: DirectoryCounts {
            users: store.directory.users.len(),
            memberships: store.directory.memberships.len(),
            shared_resources: store.directory.shared_resources.len(),
        },
        rejects: store
            .rejects
            .iter()
            .map(|r| RejectJson {
                path: store.source_path(r.source),
                line: r.line,
                kind: r.kind,
                reason: &r.reason,
                raw: &r.raw,
            })
            .collect(),
        rejects_not_kept: store
            .omitted_rejects
            .iter()
            .map(|omitted| OmittedJson {
                path: store.source_path(omitted.source),
                omitted,
            })
            .collect(),
        places: place_counts(case, &selection.rows),
    }
}

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let Selected {
        case,
        errors,
        filter,
        selection,
    } = args.select()?;
    let report = report(&case, &errors, &filter, &selection);
    if args.json {
        print_json(&report);
    } else {
        print_summary(&report, args.limits.max_rejects_kept);
    }
    Ok(exit_code(&errors))
}

const SHOWN_REJECTS: usize = 20;

/// The report as text; `rejects_kept`: the limit in force, for its words.
fn print_summary(report: &Report<'_>, rejects_kept: usize) {
    println!(
        "{:<26} {:>10} {:>10} {:>9}  FILE",
        "FORMAT", "RECORDS", "EVENTS", "REJECTED"
    );
    for source in report.sources {
        println!(
            "{:<26} {:>10} {:>10} {:>9}  {}",
            source.format.as_str(),
            source.rows,
            source.events,
            source.rejected,
            reveal(&source.path)
        );
    }
    println!(
        "{} files, {} events, {} rejected",
        report.sources.len(),
        report.events,
        report.rejected
    );
    if report.repeats > 0 {
        println!(
            "{} events repeat an event read from another source (--skip-repeats leaves them out)",
            report.repeats
        );
    }
    let d = &report.directory;
    if d.users + d.memberships + d.shared_resources > 0 {
        println!(
            "directory: {} users, {} workgroup memberships, {} shared resources",
            d.users, d.memberships, d.shared_resources
        );
    }
    if !report.filter.is_empty() {
        for (criterion, text) in report.filter.describe() {
            println!("filter: {}: {}", criterion.label(), reveal(&text));
        }
        println!("matched: {} of {} events", report.matched, report.events);
    }
    if let (Some(first), Some(last)) = (&report.first, &report.last) {
        println!("time span: {first} .. {last}");
    }
    print_places(&report.places);
    for source in report.sources {
        if let Some(change) = &source.changed_while_read {
            println!("warning: {}: {change}", reveal(&source.path));
        }
    }
    for skipped in report.skipped {
        println!(
            "skipped {}: {}",
            reveal(&skipped.path),
            reveal(&skipped.reason)
        );
    }
    if !report.rejects.is_empty() {
        println!(
            "rejects (first {} of {}):",
            report.rejects.len().min(SHOWN_REJECTS),
            report.rejected
        );
        for reject in report.rejects.iter().take(SHOWN_REJECTS) {
            println!(
                "  {}:{}: {}",
                reveal(reject.path),
                reject.line,
                reveal(reject.reason)
            );
        }
        for omitted in &report.rejects_not_kept {
            println!(
                "  {}: {} more rejects between lines {} and {}, counted but not kept (the limit is {} a file)",
                reveal(omitted.path),
                omitted.omitted.count,
                omitted.omitted.first_line,
                omitted.omitted.last_line,
                rejects_kept
            );
        }
    }
}

/// Where the matched events came from, when a GeoIP database placed them.
fn print_places(places: &PlaceCounts) {
    for db in &places.databases {
        println!(
            "GeoIP: {} ({}, built {}, sha256 {})",
            reveal(&db.path),
            reveal(&db.database_type),
            db.built,
            db.sha256
        );
    }
    if places.databases.is_empty() {
        return;
    }
    let countries: Vec<String> = places
        .countries
        .iter()
        .map(|c| format!("{} {}", c.iso, c.events))
        .collect();
    if !countries.is_empty() {
        println!("countries (events): {}", countries.join(", "));
    }
    for unplaced in &places.unplaced {
        println!(
            "no country: {} events, {} addresses: {}",
            unplaced.events, unplaced.addresses, unplaced.reason
        );
    }
}
