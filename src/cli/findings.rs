//! `auditview findings`: what stands out and what is missing, most severe
//! first, each with the events that prove it (file:line). Findings are
//! computed over every loaded event; a filter lists those with a proving
//! event among the rows it selects (and, with no filter, the evidence's
//! own gaps, which have no events).

use std::process::ExitCode;

use serde::Serialize;

use super::case_args::CaseArgs;
use super::{CliError, Selected, exit_code, print_json};
use crate::analysis::findings::findings_view;
use crate::display::{plural, reveal};
use crate::index::findings::{FindingProof, RuleInForce, severity_counts};
use crate::model::Severity;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub case: CaseArgs,
    /// Only findings of at least this severity: info, low, medium or high.
    #[arg(long, value_name = "SEVERITY", default_value = "info", value_parser = parse_severity)]
    pub min_severity: Severity,
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::parse(text).ok_or_else(|| format!("use one of {}", Severity::choices()))
}

#[derive(Serialize)]
struct FindingsJson {
    /// Per severity, the findings listed.
    counts: Vec<(Severity, usize)>,
    findings: Vec<FindingProof>,
    /// The rules in force and where each came from.
    rules: Vec<RuleInForce>,
    /// With --case: the ids of the findings the case marks reviewed.
    #[serde(skip_serializing_if = "Option::is_none")]
    reviewed: Option<Vec<String>>,
}

/// Proofs printed per finding in the text form (JSON lists them all).
const PROOFS_SHOWN: usize = 5;

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let Selected {
        case,
        errors,
        filter,
        selection,
    } = args.case.select()?;
    let view = findings_view(&case, &filter, &selection);
    let listed: Vec<_> = view
        .listed()
        .filter(|f| f.severity >= args.min_severity)
        .collect();
    if args.case.json {
        let config = case.findings_config();
        print_json(&FindingsJson {
            counts: severity_counts(&listed.iter().map(|f| (*f).clone()).collect::<Vec<_>>()),
            findings: listed.iter().map(|f| FindingProof::of(&case, f)).collect(),
            rules: config.rules.in_force(),
            reviewed: match &args.case.filter.case {
                Some(path) => Some(
                    crate::casefile::CaseFile::open(path)?
                        .reviewed_findings()?
                        .into_iter()
                        .collect(),
                ),
                None => None,
            },
        });
        return Ok(exit_code(&errors));
    }
    if listed.is_empty() {
        println!("no findings");
    }
    for finding in &listed {
        println!(
            "{:<6} {:<26} {}",
            finding.severity.as_str().to_uppercase(),
            finding.kind.as_str(),
            finding
                .time
                .map(|t| args.case.filter.tz.format(t.0))
                .unwrap_or_default()
        );
        println!("       {}", reveal(&finding.explanation));
        if !finding.rows.is_empty() {
            let proofs: Vec<String> = finding
                .rows
                .iter()
                .take(PROOFS_SHOWN)
                .map(|&r| {
                    let origin = case.store.origin(r as usize);
                    format!("{}:{}", reveal(&origin.path), origin.line)
                })
                .collect();
            let more = finding.rows.len().saturating_sub(PROOFS_SHOWN);
            println!(
                "       {}: {}{}",
                plural(finding.rows.len() as u64, "event", "events"),
                proofs.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        }
        for file in &finding.files {
            println!("       file: {}", reveal(file));
        }
        println!("       id: {}", reveal(&finding.id));
    }
    Ok(exit_code(&errors))
}
