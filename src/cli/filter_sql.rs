//! `auditview filter-sql`: the filter flags as a SQL condition over the
//! Parquet schema, for DuckDB, Spark SQL or Trino to narrow converted logs.

use std::process::ExitCode;

use super::CliError;
use super::filter_args::FilterArgs;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    filter: FilterArgs,
}

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let filter = args.filter.to_filter()?;
    let condition =
        crate::query::sql::where_clause(&filter).map_err(|e| CliError::Usage(e.to_string()))?;
    println!("{condition}");
    Ok(ExitCode::SUCCESS)
}
