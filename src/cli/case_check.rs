//! `case info` and `case verify`: what a case holds and whether it is intact,
//! read without changing it.

use super::limit_args::LimitArgs;
use super::{CliError, load_paths, print_json};
use crate::casefile::{CaseFile, EvidenceState};
use crate::display::{plural, reveal};
use crate::model::annotations::RowAnnotations;
use std::path::Path;
use std::process::ExitCode;

#[derive(serde::Serialize)]
pub(super) struct Info {
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

pub(super) fn info(path: &Path, json: bool, limits: &LimitArgs) -> Result<ExitCode, CliError> {
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

pub(super) fn verify(path: &Path, known_head: Option<&str>) -> Result<ExitCode, CliError> {
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
