//! `auditview report usage|logins|workgroups`: the reports of
//! `analysis::reports` over a time frame, as a text table, JSON, or a CSV /
//! XLSX file with provenance.

use std::path::PathBuf;
use std::process::ExitCode;

use super::filter_args::FilterArgs;
use super::limit_args::LimitArgs;
use super::{CliError, FormatArg, Selected, format_for, load_and_select, print_json};
use crate::analysis::reports;
use crate::display::reveal;
use crate::export::report::{ReportRequest, ReportRow, export_report};
use crate::export::sidecar_path;
use crate::model::Store;
use crate::time::Zone;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ReportArg {
    /// Per user: logins, failed logins, last login, active days, events, first and last seen.
    Usage,
    /// Every login, failed login and logout.
    Logins,
    /// Workgroups, cells, workspaces and projects with their members and roles.
    Workgroups,
    /// The case file's report (the path is the case): evidence re-hashed,
    /// marked events with their source lines, marked nodes, the action
    /// log verified; one HTML file (--output) that prints to PDF.
    Case,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which report.
    #[arg(value_enum)]
    report: ReportArg,
    /// Files or folders (folders are read recursively).
    #[arg(required_unless_present = "case")]
    paths: Vec<PathBuf>,
    /// From this time (inclusive): RFC 3339, YYYY-MM-DD or "YYYY-MM-DD HH:MM[:SS]" in --tz.
    #[arg(long, value_name = "TIME")]
    from: Option<String>,
    /// Up to this time (inclusive); a date alone means the end of that day.
    #[arg(long, value_name = "TIME")]
    to: Option<String>,
    /// Time zone for --from/--to without offset: UTC, local or an IANA name (report times are UTC).
    #[arg(long, value_name = "ZONE", default_value = "UTC", value_parser = Zone::parse)]
    tz: Zone,
    /// Write the report to this file (CSV, or XLSX for .xlsx) with a provenance sidecar.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// csv or xlsx; by default from the output's extension (.xlsx, else csv).
    #[arg(long, value_enum, requires = "output")]
    format: Option<FormatArg>,
    /// Replace the output if it exists (never an input file).
    #[arg(long, requires = "output")]
    force: bool,
    /// Print the rows as a JSON array; with --output, {"output","format","rows","sha256","report"}.
    #[arg(long)]
    json: bool,
    /// A case file: its evidence when no path is given (and its persons).
    #[arg(long, value_name = "CASE")]
    case: Option<PathBuf>,
    /// Persons and their identifiers (see `auditview people`): the usage
    /// report has one row per person.
    #[arg(long, value_name = "FILE")]
    aliases: Option<PathBuf>,
    /// Accept every link the evidence proposes (`auditview people`).
    #[arg(long)]
    accept_proposals: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    if let ReportArg::Case = args.report {
        return case_report(&args);
    }
    // The time frame is read exactly as the filter flags of inspect and export read it.
    let frame = FilterArgs {
        from: args.from.clone(),
        to: args.to.clone(),
        tz: args.tz,
        case: args.case.clone(),
        aliases: args.aliases.clone(),
        accept_proposals: args.accept_proposals,
        ..FilterArgs::default()
    };
    let Selected {
        case,
        errors,
        filter,
        selection,
    } = load_and_select(&args.paths, &frame, &args.limits)?;
    if !errors.is_empty() {
        return Err(CliError::Unreadable {
            refused: "no report",
        });
    }
    let store = &case.store;
    match args.report {
        ReportArg::Usage => emit(
            store,
            &reports::usage(store, &selection, &case.people()),
            &args,
            &filter,
        ),
        ReportArg::Logins => emit(
            store,
            &reports::logins(store, &selection, &case.people()),
            &args,
            &filter,
        ),
        ReportArg::Workgroups => emit(
            store,
            &reports::workgroups(store, &selection),
            &args,
            &filter,
        ),
        ReportArg::Case => case_report(&args).map(|_| ()),
    }?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the rows, or writes them to `--output` and prints a summary.
fn emit<R: ReportRow>(
    store: &Store,
    rows: &[R],
    args: &Args,
    filter: &crate::query::Filter,
) -> Result<(), CliError> {
    let Some(output) = &args.output else {
        if args.json {
            print_json(&rows);
        } else {
            print!("{}", text_table(rows));
        }
        return Ok(());
    };
    let format = format_for(args.format, output);
    let request = ReportRequest {
        output,
        format,
        zone: args.tz,
        force: args.force,
        filter,
    };
    let summary = export_report(store, rows, &request)?;
    if args.json {
        print_json(&summary);
    } else {
        println!(
            "wrote the {} report, {} rows, to {} ({}), provenance in {}",
            R::REPORT.as_str(),
            summary.summary.rows,
            reveal(&summary.summary.output),
            format.as_str(),
            reveal(&sidecar_path(output).display().to_string())
        );
    }
    Ok(())
}

/// The rows as aligned columns under their names; columns empty in every
/// row are left out, and hidden characters are shown as `‹U+202E›` (a
/// terminal must not be steered by an audit log's text).
fn text_table<R: ReportRow>(rows: &[R]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.cells()
                .iter()
                .map(|cell| crate::display::reveal(&cell.text()).into_owned())
                .collect()
        })
        .collect();
    let shown: Vec<usize> = (0..R::COLUMNS.len())
        .filter(|&col| cells.iter().any(|row| !row[col].is_empty()))
        .collect();
    let width = |col: usize| {
        cells
            .iter()
            .map(|row| row[col].chars().count())
            .chain([R::COLUMNS[col].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = shown.iter().map(|&col| width(col)).collect();
    let line = |values: Vec<&str>| {
        let mut text = String::new();
        for (i, (value, width)) in values.iter().zip(&widths).enumerate() {
            if i + 1 == values.len() {
                text.push_str(value);
            } else {
                let pad = width - value.chars().count();
                text.push_str(value);
                text.extend(std::iter::repeat_n(' ', pad + 2));
            }
        }
        text.truncate(text.trim_end().len());
        text.push('\n');
        text
    };
    let mut out = line(shown.iter().map(|&col| R::COLUMNS[col]).collect());
    for row in &cells {
        out.push_str(&line(shown.iter().map(|&col| row[col].as_str()).collect()));
    }
    out.push_str(&format!("{} rows\n", rows.len()));
    out
}

/// `auditview report case CASE --output report.html`.
fn case_report(args: &Args) -> Result<ExitCode, CliError> {
    let (Some(case_file), Some(output)) = (
        args.paths.first().cloned().or_else(|| args.case.clone()),
        &args.output,
    ) else {
        return Err(CliError::CaseReportUsage);
    };
    let file = crate::casefile::CaseFile::open(&case_file)?;
    let (case, errors) = super::load_case(&[], Some(&case_file), &args.limits)?;
    // Its findings as the window shows them: with the case's GeoIP
    // databases and its decisions on persons.
    super::place_addresses(&case, &[], Some(&case_file))?;
    let aliases = file.aliases()?;
    case.set_people(crate::index::people::People::of_store(
        &case.store,
        &aliases,
        false,
    ));
    // The load hashed every file as it read it.
    let evidence = file.evidence_as_loaded(&case.store, &errors)?;
    let html = crate::casefile::case_report_html(&file, &case, &evidence)?;
    crate::casefile::write_report(&html, output, &case.store.sources, args.force)?;
    file.log("report", &format!("case report to {}", output.display()))?;
    let marked = case.annotations().rows().len();
    if args.json {
        print_json(&serde_json::json!({
            "output": output.display().to_string(),
            "report": "case",
            "marked_events": marked,
        }));
    } else {
        println!(
            "wrote the case report to {} ({marked} marked events)",
            reveal(&output.display().to_string())
        );
    }
    Ok(super::exit_code(&errors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::reports::WorkgroupRow;
    use crate::model::Origin;
    use crate::model::ResourceKind;

    #[test]
    fn text_tables_align_and_skip_empty_columns() {
        let row = |member: &str, role: &str, line| WorkgroupRow {
            group: "WG-1".into(),
            group_id: String::new(),
            group_kind: ResourceKind::Workgroup,
            member: member.into(),
            member_name: String::new(),
            role: role.into(),
            has_access: None,
            added: None,
            description: String::new(),
            administrator: String::new(),
            node_path: String::new(),
            readable_by: None,
            writable_by: None,
            events: None,
            source: reports::BASESPACE_REPORT,
            evidence: Origin {
                path: "wg.csv".into(),
                line,
            },
        };
        let text = text_table(&[
            row("bob@lab", "User", 2),
            row("al\u{202E}x", "Administrator", 3),
        ]);
        assert_eq!(
            text,
            "Group  Group Kind  Member       Role           Source            Source File  Source Line\n\
             WG-1   workgroup   bob@lab      User           basespace report  wg.csv       2\n\
             WG-1   workgroup   al‹U+202E›x  Administrator  basespace report  wg.csv       3\n\
             2 rows\n"
        );
    }
}
