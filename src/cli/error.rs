//! Every way a command fails, and the one place that turns a failure into
//! words on stderr and an exit code: 1 when an input or an output could not
//! be read or written, 2 for bad usage.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::display::reveal;
use crate::export::ExportError;
use crate::query::FilterError;
use crate::safe_write::WriteError;
use crate::time::TimeError;

/// Exit codes: 0 done, 1 an input could not be read (or an output written),
/// 2 bad usage.
pub const EXIT_INPUT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// `--from` or `--to` could not be read.
    #[error("{flag}: {source}")]
    Time {
        flag: &'static str,
        source: TimeError,
    },
    /// The filter the flags and `--filter-file` make is not valid.
    #[error("{}{source}", filter_file_prefix(.filter_file))]
    Filter {
        source: FilterError,
        filter_file: Option<PathBuf>,
    },
    #[error("--filter-file {}: {reason}", .path.display())]
    FilterFile { path: PathBuf, reason: String },
    /// A command that writes refuses to work from part of the evidence.
    #[error("{refused}: not every input could be read")]
    Unreadable { refused: &'static str },
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    Case(#[from] crate::casefile::CaseError),
    #[error(transparent)]
    Review(#[from] crate::casefile::review::ReviewError),
    /// `--starred`, `--tag` or `--has-note` without a case to read them from.
    #[error("{0} needs --case CASE: marks live in a case file")]
    NeedsCase(&'static str),
    /// `--view` names no view of the case.
    #[error("the case has no view called \"{0}\" (`auditview case info` lists them)")]
    NoSuchView(String),
    /// `report case` without its case file or output.
    #[error("report case needs the case file and --output FILE.html")]
    CaseReportUsage,
    #[error(transparent)]
    Geo(#[from] crate::geo::GeoError),
    #[error(transparent)]
    Desktop(#[from] crate::desktop::DesktopError),
    #[error(transparent)]
    Aliases(#[from] crate::index::people::AliasesError),
    #[error(transparent)]
    Rules(#[from] crate::index::findings::RuleError),
    /// A flag's value is out of its range.
    #[error("{0}")]
    Usage(String),
    /// A mark with no filter would mark every event.
    #[error("no filter flag: this would mark every event of the case")]
    MarkEverything,
}

fn filter_file_prefix(file: &Option<PathBuf>) -> String {
    file.as_ref()
        .map(|path| format!("--filter-file {} (with the flags): ", path.display()))
        .unwrap_or_default()
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Time { .. }
            | CliError::Filter { .. }
            | CliError::FilterFile { .. }
            | CliError::NeedsCase(_)
            | CliError::MarkEverything
            | CliError::CaseReportUsage
            | CliError::NoSuchView(_)
            | CliError::Rules(_)
            | CliError::Usage(_) => EXIT_USAGE,
            CliError::Unreadable { .. }
            | CliError::Export(_)
            | CliError::Case(_)
            | CliError::Review(_)
            | CliError::Geo(_)
            | CliError::Desktop(_)
            | CliError::Aliases(_) => EXIT_INPUT,
        }
    }

    /// What the user can do about it on the command line.
    fn hint(&self) -> Option<&'static str> {
        match self {
            CliError::Export(ExportError::Target(WriteError::Exists(_))) => {
                Some("use --force to replace it")
            }
            CliError::MarkEverything => Some("add --all to mean it"),
            _ => None,
        }
    }
}

/// Prints the failure (hidden characters of paths and values revealed) and
/// returns its exit code.
pub fn fail(error: &CliError) -> ExitCode {
    let words = error.to_string();
    match error.hint() {
        Some(hint) => eprintln!("auditview: {}: {hint}", reveal(&words)),
        None => eprintln!("auditview: {}", reveal(&words)),
    }
    ExitCode::from(error.exit_code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_errors_exit_2_and_an_existing_output_suggests_force() {
        let filter = CliError::Filter {
            source: FilterError::EmptyPath,
            filter_file: Some("f.json".into()),
        };
        assert_eq!(filter.exit_code(), EXIT_USAGE);
        assert_eq!(
            filter.to_string(),
            "--filter-file f.json (with the flags): a path pattern cannot be empty"
        );
        let exists = CliError::Export(ExportError::Target(WriteError::Exists("out.csv".into())));
        assert_eq!(exists.exit_code(), EXIT_INPUT);
        assert_eq!(exists.hint(), Some("use --force to replace it"));
    }
}
