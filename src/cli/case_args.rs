//! The arguments `inspect`, `nodes` and `requests` share: the paths of a
//! case, the filter flags, and whether to print JSON.

use std::path::PathBuf;

use super::filter_args::FilterArgs;
use super::limit_args::LimitArgs;
use super::{CliError, Selected, load_and_select};

#[derive(Debug, clap::Args)]
pub struct CaseArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Files or folders (folders are read recursively).
    #[arg(required_unless_present = "case")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
}

impl CaseArgs {
    /// Loads the case and selects what the flags ask for.
    pub fn select(&self) -> Result<Selected, CliError> {
        load_and_select(&self.paths, &self.filter, &self.limits)
    }
}
