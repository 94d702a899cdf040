//! The command line: `auditview <subcommand> ...`. Each subcommand lives in
//! its own file and prints what the core computes; nothing is computed here.

mod case;
mod case_args;
mod case_check;
mod convert;
mod coverage;
mod error;
mod export;
mod filter_args;
mod filter_sql;
mod finding_args;
mod findings;
mod inspect;
mod install;
mod limit_args;
mod nodes;
mod people;
mod report;
mod requests;
mod review;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::display::reveal;
use crate::export::ExportFormat;
use crate::index::Case;
use crate::sources::{self, LoadError, LoadProgress, Loaded};
pub use error::{CliError, EXIT_INPUT, EXIT_USAGE, fail};

#[derive(Debug, Parser)]
#[command(
    name = "auditview",
    version = crate::build_info::LONG_VERSION,
    about = "Offline viewer for exported audit logs: DNAnexus Audit Trail, Pydio Cells audit logs, Illumina BaseSpace usage reports",
    after_help = "Run with paths and no subcommand to open them in the desktop app."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Files or folders to open in the desktop app.
    pub paths: Vec<PathBuf>,
    /// Open a window of its own, even when a running window could take the
    /// files (see "One window per case" in docs/guide/open.md).
    #[arg(long)]
    pub new_window: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load files and folders and report what was read: formats, counts, time span, rejects.
    Inspect(inspect::Args),
    /// Export the filtered events to CSV, XLSX or Parquet, with a provenance sidecar.
    Export(export::Args),
    /// The normalized events as Parquet, one file per input file, with the
    /// rejects and a provenance manifest: for cluster engines.
    Convert(convert::Args),
    /// Print the filter flags as a SQL condition (a WHERE clause) over the
    /// Parquet files `convert` writes: DuckDB, Spark SQL, Trino.
    FilterSql(filter_sql::Args),
    /// Per node and resource: activity (rolled up for folders) and who could see it, with the evidence.
    Nodes(nodes::Args),
    /// The matched events grouped by request (Pydio SpanRootUuid, else SpanUuid).
    Requests(requests::Args),
    /// Who is one person across the systems: the links the evidence proposes
    /// (with proofs), the persons decided, and what each was seen doing from where.
    People(people::Args),
    /// Is the record complete? Events per system and day with their files,
    /// missing days of a daily series, silences, files cut short or overlapping.
    Coverage(coverage::Args),
    /// What stands out and what is missing: first-seen places and clients,
    /// impossible travel, off-hours, bursts, rules, gaps in the evidence;
    /// each finding with the events that prove it.
    Findings(findings::Args),
    /// Reports over a time frame: general usage, logins, workgroups; printed or written to CSV / XLSX.
    Report(report::Args),
    /// A case file: its evidence, marks on events (star, tag, note) and action log.
    Case(case::Args),
    /// The audit-trail review of a case: exceptions of a period, a
    /// disposition for each, signatures anyone can check (ssh-keygen -Y verify).
    Review(review::Args),
    /// Put auditview on this user's desktop: the binary in ~/.local/bin, a
    /// menu entry with its icon, and its file types (case files, exports,
    /// DNAnexus and Pydio audit logs) opening in it.
    Install(install::Args),
    /// Remove what `install --user` put on the desktop, and nothing else.
    Uninstall(install::Args),
}

/// Runs a subcommand; a failure is reported here, in one place.
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Inspect(args) => inspect::run(args),
        Command::Export(args) => export::run(args),
        Command::Convert(args) => convert::run(args),
        Command::FilterSql(args) => filter_sql::run(args),
        Command::Nodes(args) => nodes::run(args),
        Command::Requests(args) => requests::run(args),
        Command::People(args) => people::run(args),
        Command::Coverage(args) => coverage::run(args),
        Command::Findings(args) => findings::run(args),
        Command::Report(args) => report::run(args),
        Command::Case(args) => case::run(args),
        Command::Review(args) => review::run(args),
        Command::Install(args) => install::install(args),
        Command::Uninstall(args) => install::uninstall(args),
    };
    let code = result.unwrap_or_else(|error| fail(&error));
    if std::env::var_os("AUDITVIEW_TIMING").is_some() {
        report_peak_memory();
    }
    code
}

/// With `AUDITVIEW_TIMING`, the process's peak resident memory on stderr
/// (Linux), for the memory bounds docs/reliability.md states.
fn report_peak_memory() {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(kb) = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse::<u64>().ok())
    {
        eprintln!("[memory] peak RSS: {} bytes", kb * 1024);
    }
}

/// `--format` of the commands that write a file.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    Csv,
    Xlsx,
    Parquet,
}

/// The format asked for, or the one the output's name implies.
pub fn format_for(arg: Option<FormatArg>, output: &std::path::Path) -> ExportFormat {
    match arg {
        Some(FormatArg::Csv) => ExportFormat::Csv,
        Some(FormatArg::Xlsx) => ExportFormat::Xlsx,
        Some(FormatArg::Parquet) => ExportFormat::Parquet,
        None => ExportFormat::from_path(output),
    }
}

/// Loads for a subcommand: errors go to stderr, the caller decides the exit code.
pub fn load_paths(paths: &[PathBuf], limits: &limit_args::LimitArgs) -> Loaded {
    let loaded = sources::load_with(paths, &LoadProgress::default(), &limits.limits());
    for error in &loaded.errors {
        eprintln!("auditview: {}", reveal(&error.to_string()));
    }
    loaded
}

/// A loaded case and the rows a command's filter flags select.
pub struct Selected {
    pub case: Case,
    /// Inputs that could not be read (already printed).
    pub errors: Vec<LoadError>,
    pub filter: crate::query::Filter,
    pub selection: crate::query::Selection,
}

/// Reads the filter flags, loads the paths and selects: what every command
/// shares. A bad flag is a usage error; load errors are printed and left to
/// the caller.
pub fn load_and_select(
    paths: &[PathBuf],
    flags: &filter_args::FilterArgs,
    limits: &limit_args::LimitArgs,
) -> Result<Selected, CliError> {
    flags.register_owned();
    let filter = flags.to_filter()?;
    let (case, errors) = load_case(paths, flags.case.as_deref(), limits)?;
    place_addresses(&case, &flags.geoip, flags.case.as_deref())?;
    if flags.wants_people() {
        identify(&case, flags)?;
    }
    case.set_findings_config(flags.detectors.config()?);
    let selection = crate::query::select(&case, &filter).map_err(|source| CliError::Filter {
        source,
        filter_file: flags.filter_file.clone(),
    })?;
    Ok(Selected {
        case,
        errors,
        filter,
        selection,
    })
}

/// Loads `paths` (with a case file and no path: its evidence) and, with a
/// case file, attaches it to the load (`CaseFile::attach`, as the window
/// does): the loaded files recorded in it, its marks on the loaded rows,
/// each file not as recorded and each mark not loaded said on stderr.
pub fn load_case(
    paths: &[PathBuf],
    case_file: Option<&std::path::Path>,
    limits: &limit_args::LimitArgs,
) -> Result<(Case, Vec<LoadError>), CliError> {
    let Some(case_file) = case_file else {
        let loaded = load_paths(paths, limits);
        return Ok((Case::new(loaded.store), loaded.errors));
    };
    let mut file = crate::casefile::CaseFile::open(case_file)?;
    let evidence;
    let paths = if paths.is_empty() {
        evidence = file.evidence_paths()?;
        &evidence
    } else {
        paths
    };
    let loaded = load_paths(paths, limits);
    // As the window does after a load (one function): new files recorded,
    // marks placed, files not as recorded said.
    let attached = file.attach(&loaded.store, &loaded.errors)?;
    for note in attached.notes("`auditview case relocate CASE DIR` looks for it by hash") {
        eprintln!("auditview: {note}");
    }
    Ok((
        Case::new(loaded.store).with_annotations(attached.annotations),
        loaded.errors,
    ))
}

/// Opens the command's GeoIP databases (`--geoip`, `AUDITVIEW_GEOIP`,
/// `.mmdb` files among the paths) and places the case's addresses; a
/// database that cannot be used is an error (naming it was meant to count).
///
/// With a case file, the databases it recorded are used too, a changed one
/// is said, and those in use are recorded (when they differ).
pub fn place_addresses(
    case: &Case,
    named: &[PathBuf],
    case_file: Option<&std::path::Path>,
) -> Result<(), CliError> {
    let mut file = case_file.map(crate::casefile::CaseFile::open).transpose()?;
    let recorded = match &file {
        Some(file) => file.geoip_databases()?,
        None => Vec::new(),
    };
    let named: Vec<PathBuf> = named
        .iter()
        .cloned()
        .chain(crate::geo::paths_from_env())
        .chain(crate::casefile::recorded_paths(&recorded, |missing| {
            eprintln!(
                "auditview: the case's GeoIP database {} is not there any more: addresses are placed without it",
                reveal(missing)
            )
        }))
        .collect();
    let places = crate::geo::place(&case.store, &named)?;
    for change in crate::casefile::changed_databases(&recorded, &places.databases) {
        eprintln!("auditview: {}", reveal(&change));
    }
    if let Some(file) = &mut file {
        file.record_geoip_databases(&places.databases)?;
    }
    if !places.has_databases() {
        return Ok(());
    }
    if let Some(first) = &places.first_failure {
        eprintln!(
            "auditview: {} address lookups failed in a GeoIP database (left without a place); the first: {}",
            places.failed_lookups,
            reveal(first)
        );
    }
    case.set_places(places);
    Ok(())
}

/// Joins identifiers into persons: the aliases file (else the case's own
/// decisions), and every proposal with `--accept-proposals`.
pub fn identify(case: &Case, flags: &filter_args::FilterArgs) -> Result<(), CliError> {
    let aliases = match (&flags.aliases, &flags.case) {
        (Some(path), _) => crate::index::people::Aliases::read(path)?,
        (None, Some(case_file)) => crate::casefile::CaseFile::open(case_file)?.aliases()?,
        (None, None) => crate::index::people::Aliases::default(),
    };
    let people =
        crate::index::people::People::of_store(&case.store, &aliases, flags.accept_proposals);
    case.set_people(people);
    Ok(())
}

/// The exit code of a command that printed what it could: 1 when an
/// input could not be read.
pub fn exit_code(errors: &[LoadError]) -> ExitCode {
    if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INPUT)
    }
}

/// Prints a value as JSON on stdout.
pub fn print_json(value: &impl serde::Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(err) => eprintln!("auditview: could not write JSON: {err}"),
    }
}
