//! `auditview export`: the filtered view to CSV, XLSX or Parquet, with provenance.

use std::path::PathBuf;
use std::process::ExitCode;

use super::filter_args::FilterArgs;
use super::limit_args::LimitArgs;
use super::{CliError, FormatArg, Selected, format_for, load_and_select, print_json};
use crate::display::reveal;
use crate::export::{ExportRequest, export, sidecar_path};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders (folders are read recursively).
    #[arg(required_unless_present = "case")]
    paths: Vec<PathBuf>,
    /// The file to write.
    #[arg(long, short)]
    output: PathBuf,
    /// csv, xlsx or parquet; by default from the output's extension (.xlsx,
    /// .parquet, else csv).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Replace the output if it exists (never an input file).
    #[arg(long)]
    force: bool,
    /// Print {"output","format","rows","sha256"} as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    filter: FilterArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let Selected {
        case,
        errors,
        filter,
        selection,
    } = load_and_select(&args.paths, &args.filter, &args.limits)?;
    if !errors.is_empty() {
        return Err(CliError::Unreadable {
            refused: "nothing exported",
        });
    }
    let annotations = case.annotations();
    let places = case.places();
    let format = format_for(args.format, &args.output);
    let seal = match &args.filter.case {
        Some(case_file) => Some(crate::casefile::CaseFile::open(case_file)?.seal()?),
        None => None,
    };
    let request = ExportRequest {
        output: args.output.clone(),
        format,
        zone: args.filter.tz,
        force: args.force,
        filter: &filter,
        progress: None,
        annotations: args.filter.case.is_some().then_some(&*annotations),
        places: Some(&places),
        findings: Some(&case.findings()),
        case: seal.as_ref(),
    };
    let summary = export(&case.store, &selection, &request)?;
    if let Some(case_file) = &args.filter.case {
        let detail = crate::casefile::export_detail(&summary, &filter);
        crate::casefile::CaseFile::open(case_file)?.log("export", &detail)?;
    }
    if args.json {
        print_json(&summary);
    } else {
        println!(
            "wrote {} rows to {} ({}), provenance in {}",
            summary.rows,
            reveal(&summary.output),
            summary.format.as_str(),
            reveal(&sidecar_path(&args.output).display().to_string())
        );
    }
    Ok(ExitCode::SUCCESS)
}
