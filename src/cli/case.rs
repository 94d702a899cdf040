//! `auditview case ...`: make a case file, mark its events (star, tag,
//! note) by the filter flags, and check it (evidence hashes, the action
//! log's chain), so scripts see and make what the window does.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::filter_args::FilterArgs;
use super::limit_args::LimitArgs;
use super::{CliError, Selected, load_and_select, load_paths, print_json};
use crate::casefile::{CaseFile, EvidenceState, Mark};
use crate::display::{plural, reveal};
use crate::model::annotations::{RowAnnotations, event_key};

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

#[derive(serde::Serialize)]
struct Info {
    case: String,
    summary: String,
    evidence: Vec<crate::casefile::EvidenceStatus>,
    starred: usize,
    tagged: usize,
    noted: usize,
    /// Marked events whose evidence did not load or changed.
    marks_not_found: usize,
    saved_views: Vec<String>,
    /// Nodes and resources with a mark.
    nodes_marked: usize,
    action_log: usize,
    action_log_intact: bool,
    /// The hash of the last entry, sealing the log and the case: keep it
    /// apart from the case file for `case verify --head`.
    action_log_head: Option<String>,
}

fn info(path: &Path, json: bool, limits: &LimitArgs) -> Result<ExitCode, CliError> {
    let file = CaseFile::open(path)?;
    let loaded = load_paths(&file.evidence_paths()?, limits);
    let evidence = file.evidence_as_loaded(&loaded.store, &loaded.errors)?;
    let marks = file.annotations()?;
    let resolved = RowAnnotations::resolve(&loaded.store, &marks);
    let (starred, tagged, noted) = resolved.counts();
    let log = file.action_log()?;
    let info = Info {
        case: path.display().to_string(),
        summary: file.summary()?,
        starred,
        tagged,
        noted,
        marks_not_found: resolved.unresolved.len(),
        saved_views: file.saved_views()?.into_iter().map(|(n, _)| n).collect(),
        nodes_marked: file.node_annotations()?.len(),
        action_log: log.len(),
        action_log_intact: file.verify_log(None)?.is_empty(),
        action_log_head: log.last().map(|e| e.hash.clone()),
        evidence,
    };
    if json {
        print_json(&info);
        return Ok(ExitCode::SUCCESS);
    }
    println!("case {}", reveal(&info.case));
    for e in &info.evidence {
        let state = match &e.state {
            EvidenceState::Changed { found_sha256 } => {
                format!("changed: SHA-256 is now {found_sha256}")
            }
            EvidenceState::Missing { reason } => format!("missing: {reason}"),
            other => other.name().to_string(),
        };
        println!(
            "  {}  {}  {}  {}",
            e.sha256,
            e.format,
            reveal(&e.path),
            state
        );
    }
    println!(
        "{} starred, {} tagged, {} with a note; {} marked events not found",
        info.starred, info.tagged, info.noted, info.marks_not_found
    );
    println!(
        "{} saved views; action log: {} ({})",
        info.saved_views.len(),
        plural(info.action_log as u64, "entry", "entries"),
        if info.action_log_intact {
            "chain intact"
        } else {
            "chain broken: run `auditview case verify`"
        }
    );
    if let Some(head) = &info.action_log_head {
        println!("head {head} (keep it apart from the case: `case verify --head` checks it)");
    }
    Ok(ExitCode::SUCCESS)
}

fn verify(path: &Path, known_head: Option<&str>) -> Result<ExitCode, CliError> {
    let file = CaseFile::open(path)?;
    let marks = file.annotations()?;
    let citing = |sha256: &str| {
        let count = marks.iter().filter(|(key, _)| key.sha256 == sha256).count();
        match count {
            0 => String::new(),
            n => format!(
                "; {} cite it",
                plural(n as u64, "marked event", "marked events")
            ),
        }
    };
    let mut failed = false;
    for e in file.check_evidence()? {
        match &e.state {
            EvidenceState::Ok => println!("ok       {}  {}", e.sha256, reveal(&e.path)),
            EvidenceState::Changed { found_sha256 } => {
                failed = true;
                println!(
                    "CHANGED  {}: SHA-256 {} differs from the case's {}{}",
                    reveal(&e.path),
                    found_sha256,
                    e.sha256,
                    citing(&e.sha256)
                );
            }
            EvidenceState::Missing { reason } => {
                failed = true;
                println!(
                    "MISSING  {}: {reason}{} (`auditview case relocate CASE DIR` finds a moved file)",
                    reveal(&e.path),
                    citing(&e.sha256)
                );
            }
            EvidenceState::Moved { .. } => {}
        }
    }
    let log = file.action_log()?;
    let problems = file.verify_log(known_head)?;
    for problem in &problems {
        failed = true;
        println!("LOG      entry {}: {}", problem.seq, problem.problem);
    }
    if problems.is_empty() {
        println!(
            "log      {} entries, chain intact, the case as sealed; head {}",
            log.len(),
            log.last().map_or("none", |e| e.hash.as_str())
        );
        if let Some(known) = known_head
            && let Some(entry) = log.iter().find(|e| e.hash == known)
        {
            println!(
                "head     {known} is entry {}; {} since",
                entry.seq,
                plural(log.len() as u64 - entry.seq as u64, "entry", "entries")
            );
        }
    }
    Ok(if failed {
        ExitCode::from(super::EXIT_INPUT)
    } else {
        ExitCode::SUCCESS
    })
}
