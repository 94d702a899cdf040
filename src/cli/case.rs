//! `auditview case ...`: make a case file, mark its events (star, tag,
//! note) by the filter flags, and check it (evidence hashes, the action
//! log's chain), so scripts see and make what the window does.

use std::path::PathBuf;
use std::process::ExitCode;

use super::case_check::{info, verify};
use super::filter_args::FilterArgs;
use super::limit_args::LimitArgs;
use super::{CliError, Selected, load_and_select, load_paths};
use crate::casefile::{CaseFile, EvidenceState, Mark};
use crate::display::{plural, reveal};
use crate::model::annotations::event_key;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: CaseCommand,
}

#[derive(Debug, clap::Subcommand)]
enum CaseCommand {
    /// Create a case file holding these files and folders as its evidence.
    New {
        case: PathBuf,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Add files and folders to a case's evidence.
    Add {
        case: PathBuf,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Star the events the filter flags select (--unstar to remove).
    Star {
        #[command(flatten)]
        marking: Marking,
        #[arg(long)]
        unstar: bool,
    },
    /// Tag the events the filter flags select (--untag to remove).
    Tag {
        #[command(flatten)]
        marking: Marking,
        /// The tag (a word or a short phrase).
        #[arg(value_name = "TAG")]
        name: String,
        #[arg(long)]
        untag: bool,
    },
    /// Set the note of the events the filter flags select ("" removes it).
    Note {
        #[command(flatten)]
        marking: Marking,
        /// The note (plain text; several lines in quotes).
        #[arg(value_name = "TEXT")]
        note: String,
    },
    /// The evidence (re-hashed: ok, changed or missing), marks, saved views
    /// and the action log's length.
    Info {
        case: PathBuf,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Exit 0 when every evidence file has its hash, the action log's
    /// chain holds and the case is as its last entry sealed it; 1
    /// otherwise, naming what differs.
    Verify {
        case: PathBuf,
        /// A head recorded earlier (case info, a report, an export's
        /// provenance): the log must still hold it, else it was cut short.
        #[arg(long, value_name = "HASH")]
        head: Option<String>,
    },
    /// Find moved evidence by its hash under a folder.
    Relocate { case: PathBuf, dir: PathBuf },
    /// Save the filter flags as a named view of the case (`--view NAME`
    /// on inspect, export, nodes and requests applies it).
    View {
        #[arg(value_name = "CASE")]
        case_file: PathBuf,
        name: String,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Print the case's summary, or with TEXT, set it.
    Summary { case: PathBuf, text: Option<String> },
    /// Link two identifiers as one person (a proposal of `auditview
    /// people`, or the investigator's own), kept in the case.
    Accept { case: PathBuf, a: String, b: String },
    /// Refuse a proposed link: never joined, even with --accept-proposals.
    Reject { case: PathBuf, a: String, b: String },
    /// Take the persons of an aliases file (JSON or CSV) into the case.
    Aliases { case: PathBuf, file: PathBuf },
    /// Mark a node (by path) or a resource (by id): star, tags, a note.
    Node {
        #[arg(value_name = "CASE")]
        case_file: PathBuf,
        /// The node's path (as `auditview nodes` shows it).
        #[arg(
            long,
            conflicts_with = "resource",
            required_unless_present = "resource"
        )]
        path: Option<String>,
        /// The resource's id (a workspace, cell, public link or project).
        #[arg(long)]
        resource: Option<String>,
        #[arg(long)]
        star: bool,
        #[arg(long, conflicts_with = "star")]
        unstar: bool,
        #[arg(long, value_name = "TAG")]
        tag: Vec<String>,
        #[arg(long, value_name = "TAG")]
        untag: Vec<String>,
        /// The note ("" removes it).
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
}

/// What marking commands share: the case, the filter, and --all.
#[derive(Debug, clap::Args)]
struct Marking {
    /// The case file (`--case` is not needed here).
    #[arg(value_name = "CASE")]
    case_file: PathBuf,
    /// Mark every event when no filter flag is given.
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    filter: FilterArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    match args.command {
        CaseCommand::New {
            case,
            paths,
            limits,
        } => {
            let loaded = load_paths(&paths, &limits);
            if !loaded.errors.is_empty() {
                return Err(CliError::Unreadable {
                    refused: "no case made",
                });
            }
            let mut file = CaseFile::create(&case, &loaded.store.sources)?;
            let added = file.add_evidence(&loaded.store.sources)?;
            println!(
                "made {} with {} ({})",
                reveal(&case.display().to_string()),
                plural(added as u64, "evidence file", "evidence files"),
                plural(loaded.store.events.len() as u64, "event", "events")
            );
            Ok(ExitCode::SUCCESS)
        }
        CaseCommand::Add {
            case,
            paths,
            limits,
        } => {
            let mut file = CaseFile::open(&case)?;
            let loaded = load_paths(&paths, &limits);
            let added = file.add_evidence(&loaded.store.sources)?;
            println!(
                "added {} to {}",
                plural(added as u64, "evidence file", "evidence files"),
                reveal(&case.display().to_string())
            );
            Ok(super::exit_code(&loaded.errors))
        }
        CaseCommand::Star { marking, unstar } => mark(marking, Mark::Star(!unstar)),
        CaseCommand::Tag {
            name,
            marking,
            untag,
        } => mark(
            marking,
            Mark::Tag {
                tag: name.trim().to_string(),
                add: !untag,
            },
        ),
        CaseCommand::Note { note, marking } => mark(marking, Mark::Note(note)),
        CaseCommand::Info { case, json, limits } => info(&case, json, &limits),
        CaseCommand::View {
            case_file,
            name,
            mut filter,
        } => {
            filter.case = Some(case_file.clone());
            let mut file = CaseFile::open(&case_file)?;
            let view = crate::casefile::SavedView {
                filter: filter.to_filter()?,
                zone: Some(filter.tz.name()),
                ..Default::default()
            };
            file.save_view(name.trim(), &view)?;
            println!("saved the view \"{}\"", reveal(name.trim()));
            Ok(ExitCode::SUCCESS)
        }
        CaseCommand::Node {
            case_file,
            path,
            resource,
            star,
            unstar,
            tag,
            untag,
            note,
        } => {
            let key = match (path, resource) {
                (Some(path), _) => format!("node:{}", path.trim_end_matches('/')),
                (None, Some(id)) => format!("resource:{id}"),
                (None, None) => return Err(CliError::MarkEverything),
            };
            let mut marks = Vec::new();
            if star || unstar {
                marks.push(Mark::Star(star));
            }
            marks.extend(tag.into_iter().map(|tag| Mark::Tag { tag, add: true }));
            marks.extend(untag.into_iter().map(|tag| Mark::Tag { tag, add: false }));
            marks.extend(note.map(Mark::Note));
            let mut file = CaseFile::open(&case_file)?;
            for mark in &marks {
                file.mark_node(&key, mark)?;
            }
            println!(
                "{} on {}",
                plural(marks.len() as u64, "change", "changes"),
                reveal(&key)
            );
            Ok(ExitCode::SUCCESS)
        }
        CaseCommand::Summary { case, text } => {
            let mut file = CaseFile::open(&case)?;
            match text {
                Some(text) => {
                    file.set_summary(&text)?;
                    println!("saved the summary");
                }
                None => println!("{}", reveal(&file.summary()?)),
            }
            Ok(ExitCode::SUCCESS)
        }
        CaseCommand::Accept { case, a, b } => {
            let mut file = CaseFile::open(&case)?;
            let mut aliases = file.aliases()?;
            aliases.accept(&a, &b);
            file.set_aliases(&aliases, &format!("accepted {a} = {b}"))?;
            println!(
                "{} and {} are one person in the case",
                reveal(&a),
                reveal(&b)
            );
            Ok(ExitCode::SUCCESS)
        }
        CaseCommand::Reject { case, a, b } => {
            let mut file = CaseFile::open(&case)?;
            let mut aliases = file.aliases()?;
            aliases.reject(&a, &b);
            file.set_aliases(&aliases, &format!("rejected {a} = {b}"))?;
            println!("{} and {} stay apart in the case", reveal(&a), reveal(&b));
            Ok(ExitCode::SUCCESS)
        }
        CaseCommand::Aliases { case, file: path } => {
            let mut file = CaseFile::open(&case)?;
            let read = crate::index::people::Aliases::read(&path)?;
            let mut aliases = file.aliases()?;
            let count = read.persons.len();
            aliases.persons.extend(read.persons);
            for [a, b] in &read.accepted {
                aliases.accept(a, b);
            }
            for [a, b] in &read.rejected {
                aliases.reject(a, b);
            }
            file.set_aliases(
                &aliases,
                &format!("aliases from {} ({count} persons)", path.display()),
            )?;
            println!(
                "took {count} persons from {}",
                reveal(&path.display().to_string())
            );
            Ok(ExitCode::SUCCESS)
        }
        CaseCommand::Verify { case, head } => verify(&case, head.as_deref()),
        CaseCommand::Relocate { case, dir } => {
            let mut file = CaseFile::open(&case)?;
            let found = file.relocate(&dir)?;
            for moved in &found {
                println!("{} -> {}", reveal(&moved.from), reveal(&moved.to));
            }
            let left = file
                .check_evidence()?
                .into_iter()
                .filter(|e| e.state != EvidenceState::Ok)
                .count();
            println!(
                "relocated {}; {} still not found",
                plural(found.len() as u64, "file", "files"),
                left
            );
            Ok(if left == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(super::EXIT_INPUT)
            })
        }
    }
}

/// Marks the events the filter selects, in the case's evidence.
fn mark(mut marking: Marking, mark: Mark) -> Result<ExitCode, CliError> {
    marking.filter.case = Some(marking.case_file.clone());
    let filter = marking.filter.to_filter()?;
    if filter.is_empty() && !marking.all {
        return Err(CliError::MarkEverything);
    }
    let Selected {
        case, selection, ..
    } = load_and_select(&[], &marking.filter, &marking.limits)?;
    let keys: Vec<_> = selection
        .rows
        .iter()
        .map(|&row| event_key(&case.store, row as usize))
        .collect();
    let mut file = CaseFile::open(&marking.case_file)?;
    let changed = file.mark(&keys, &mark)?;
    let verb = match &mark {
        Mark::Star(true) => "starred",
        Mark::Star(false) => "unstarred",
        Mark::Tag { add: true, .. } => "tagged",
        Mark::Tag { add: false, .. } => "untagged",
        Mark::Note(_) => "noted",
    };
    println!(
        "{verb} {} of {} selected",
        plural(changed as u64, "event", "events"),
        keys.len()
    );
    Ok(ExitCode::SUCCESS)
}
