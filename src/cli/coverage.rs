//! `auditview coverage`: is the record complete? Per system and day the
//! events and their files, the days missing from a daily series, silences
//! in a log, files cut short, with rejects, changed while read or
//! overlapping another.

use std::path::PathBuf;
use std::process::ExitCode;

use super::limit_args::LimitArgs;
use super::{CliError, exit_code, load_case, print_json};
use crate::display::reveal;
use crate::index::coverage::coverage;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Files or folders (folders are read recursively).
    #[arg(required_unless_present = "case")]
    pub paths: Vec<PathBuf>,
    /// A case file: its evidence when no path is given.
    #[arg(long, value_name = "CASE")]
    pub case: Option<PathBuf>,
    /// A silence between two events of one system longer than this many
    /// hours is listed.
    #[arg(long, value_name = "HOURS", default_value_t = 24.0)]
    pub silence_hours: f64,
    #[command(flatten)]
    pub limits: LimitArgs,
}

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let (case, errors) = load_case(&args.paths, args.case.as_deref(), &args.limits)?;
    let found = coverage(&case, args.silence_hours.max(0.0));
    if args.json {
        print_json(&found);
        return Ok(exit_code(&errors));
    }
    for system in &found.systems {
        println!(
            "{}: {} events on {} days",
            system.system.as_str(),
            system.events,
            system.days.len()
        );
        if system.system_lines > 0 {
            println!(
                "  {} system and task lines, not audit records: not counted as coverage",
                system.system_lines
            );
        }
        for day in &system.missing_days {
            println!("  missing day {day}: no file of the daily series names it");
        }
        for silence in &system.silences {
            println!(
                "  silence of {:.1} h: {} .. {} ({} then {})",
                silence.hours,
                silence.from,
                silence.to,
                reveal(&silence.file_before),
                reveal(&silence.file_after)
            );
        }
    }
    for file in &found.files {
        let mut notes = Vec::new();
        if file.cut_short {
            notes.push("cut short".to_string());
        }
        if file.rejected > 0 {
            notes.push(format!("{} rejected", file.rejected));
        }
        if let Some(change) = &file.changed_while_read {
            notes.push(format!("changed while read: {change}"));
        }
        if !file.overlaps.is_empty() {
            notes.push(format!("overlaps {}", file.overlaps.len()));
        }
        let span = match (file.first, file.last) {
            (Some(first), Some(last)) => format!("{first} .. {last}"),
            _ => "no events".to_string(),
        };
        println!(
            "{}: {} events, {span}{}",
            reveal(&file.path),
            file.events,
            if notes.is_empty() {
                String::new()
            } else {
                format!(" [{}]", notes.join("; "))
            }
        );
    }
    Ok(exit_code(&errors))
}
