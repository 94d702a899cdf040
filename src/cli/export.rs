//! `auditview export`: the filtered view to CSV or XLSX, with provenance.

use std::path::PathBuf;
use std::process::ExitCode;

use super::filter_args::FilterArgs;
use super::{EXIT_INPUT, Selected, load_and_select, print_json};
use crate::export::{ExportFormat, ExportRequest, export, sidecar_path};

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Csv,
    Xlsx,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders (folders are read recursively).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The file to write.
    #[arg(long, short)]
    output: PathBuf,
    /// csv or xlsx; by default from the output's extension (.xlsx, else csv).
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
}

pub fn run(args: Args) -> ExitCode {
    let Selected {
        case,
        errors,
        filter,
        selection,
    } = match load_and_select(&args.paths, &args.filter) {
        Ok(selected) => selected,
        Err(code) => return code,
    };
    if !errors.is_empty() {
        eprintln!("auditview: nothing exported: not every input could be read");
        return ExitCode::from(EXIT_INPUT);
    }
    let format = match args.format {
        Some(FormatArg::Csv) => ExportFormat::Csv,
        Some(FormatArg::Xlsx) => ExportFormat::Xlsx,
        None => ExportFormat::from_path(&args.output),
    };
    let request = ExportRequest {
        output: args.output.clone(),
        format,
        zone: args.filter.tz,
        force: args.force,
        filter: &filter,
        progress: None,
    };
    match export(&case.store, &selection, &request) {
        Ok(summary) => {
            if args.json {
                print_json(&summary);
            } else {
                println!(
                    "wrote {} rows to {} ({}), provenance in {}",
                    summary.rows,
                    summary.output,
                    summary.format.as_str(),
                    sidecar_path(&args.output).display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("auditview: {message}");
            ExitCode::from(EXIT_INPUT)
        }
    }
}
