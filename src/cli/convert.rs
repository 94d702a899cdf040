//! `auditview convert`: the normalized events as Parquet, one file per input
//! file, with the rejects and a provenance manifest (docs/guide/scale.md,
//! "When your logs outgrow one machine").

use std::path::PathBuf;
use std::process::ExitCode;

use super::limit_args::LimitArgs;
use super::{CliError, load_paths, print_json};
use crate::display::reveal;
use crate::export::convert::convert;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ConvertFormat {
    Parquet,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders (folders are read recursively).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The folder to write into (made if missing).
    #[arg(long, short)]
    output: PathBuf,
    /// The format written: parquet (auditview's columnar schema).
    #[arg(long, value_enum, default_value = "parquet")]
    format: ConvertFormat,
    /// Replace files of an earlier conversion (never an input file).
    #[arg(long)]
    force: bool,
    /// Print the manifest (what `_provenance.json` holds) as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let ConvertFormat::Parquet = args.format;
    let loaded = load_paths(&args.paths, &args.limits);
    if !loaded.errors.is_empty() {
        return Err(CliError::Unreadable {
            refused: "nothing converted",
        });
    }
    let summary = convert(&loaded.store, &args.output, args.force)?;
    if args.json {
        print_json(&summary);
        return Ok(ExitCode::SUCCESS);
    }
    for input in &summary.inputs {
        match &input.output {
            Some(output) => println!(
                "{} -> {}: {} events, {} rejected",
                reveal(&input.input),
                reveal(output),
                input.events,
                input.rejected
            ),
            None => println!(
                "{}: no events (its records are not events), {} rejected",
                reveal(&input.input),
                input.rejected
            ),
        }
    }
    println!(
        "{} events, {} rejects in {}, provenance in {}",
        summary.events,
        summary.rejected,
        reveal(&summary.rejects_file),
        reveal(&summary.manifest.display().to_string())
    );
    Ok(ExitCode::SUCCESS)
}
