//! `auditview review ...`: the audit-trail review of a case: start one over
//! a period, list its exceptions, dispose of each, sign the record (SSH
//! signatures anyone can check with `ssh-keygen -Y verify`), verify it
//! against the case, and export it for checking without auditview.

use std::path::PathBuf;
use std::process::ExitCode;

use super::filter_args::FilterArgs;
use super::finding_args::FindingArgs;
use super::limit_args::LimitArgs;
use super::{CliError, EXIT_INPUT, load_and_select, print_json};
use crate::casefile::review::{
    Review, ReviewError, ReviewScope, Signer, Statement, check_review, fingerprint, new_review,
    review_html,
};
use crate::casefile::{CaseFile, os_user};
use crate::display::{plural, reveal};
use crate::model::owned::{OwnedKind, inside_evidence_folder, register};
use crate::model::{Disposition, SignatureMeaning};
use crate::safe_write::check_target;
use crate::time::{Bound, Zone, parse_user_time};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: ReviewCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ReviewCommand {
    /// Start a review of the case over a period: its scope (systems, each
    /// evidence file with its SHA-256 and events in the period), its method
    /// (this build, the rules and thresholds) and its exceptions (every
    /// finding and coverage gap of the period), all open.
    New {
        case: PathBuf,
        /// The first day or time reviewed (YYYY-MM-DD, or RFC 3339).
        #[arg(long, value_name = "DATE")]
        from: String,
        /// The last day or time reviewed (a date alone: the whole day).
        #[arg(long, value_name = "DATE")]
        to: String,
        /// Time zone of the dates: UTC, an IANA name or an offset.
        #[arg(long, default_value = "UTC", value_parser = Zone::parse)]
        tz: Zone,
        #[arg(long, default_value = "Audit trail review")]
        title: String,
        /// GeoIP databases (.mmdb) for the findings on places.
        #[arg(long, value_name = "FILE")]
        geoip: Vec<PathBuf>,
        #[command(flatten)]
        detectors: FindingArgs,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// List a review's exceptions and their dispositions.
    Show {
        case: PathBuf,
        /// The review (default: the latest).
        #[arg(long, value_name = "ID")]
        review: Option<String>,
        /// Only the exceptions still open.
        #[arg(long)]
        open: bool,
        #[arg(long)]
        json: bool,
    },
    /// Record the disposition of exceptions (logged in the case).
    Dispose {
        case: PathBuf,
        #[arg(required = true, value_name = "EXCEPTION")]
        ids: Vec<String>,
        /// open, expected, explained or escalated.
        #[arg(long = "as", value_name = "DISPOSITION", value_parser = parse_disposition)]
        disposition: Disposition,
        #[arg(long, default_value = "")]
        reason: String,
        /// Who decided (default: this account).
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        #[arg(long, value_name = "ID")]
        review: Option<String>,
    },
    /// Sign the review with an SSH key (refused while an exception is open).
    Sign {
        case: PathBuf,
        /// The signer's printed name, as the record shows it.
        #[arg(long)]
        name: String,
        /// reviewed or approved.
        #[arg(long, value_parser = parse_meaning)]
        meaning: SignatureMeaning,
        /// An OpenSSH Ed25519 private key without a passphrase.
        #[arg(long, value_name = "KEYFILE")]
        key: PathBuf,
        #[arg(long, value_name = "ID")]
        review: Option<String>,
    },
    /// Check the signatures and that the signed record is what the case
    /// holds now; names every difference.
    Verify {
        case: PathBuf,
        /// Accept only keys listed here (OpenSSH allowed-signers format).
        #[arg(long, value_name = "FILE")]
        allowed_signers: Option<PathBuf>,
        #[arg(long, value_name = "ID")]
        review: Option<String>,
    },
    /// The review as one HTML page that prints to PDF: scope, method, the
    /// exceptions by severity with dispositions and proofs, the signatures.
    Report {
        case: PathBuf,
        #[arg(long, value_name = "FILE.html")]
        output: PathBuf,
        #[arg(long, value_name = "ID")]
        review: Option<String>,
        /// Replace a file already there.
        #[arg(long)]
        force: bool,
    },
    /// Write the signed record (review.json) and each signature's statement
    /// and sshsig (review.signature-1.json and .json.sig...) into a folder.
    Export {
        case: PathBuf,
        #[arg(long, value_name = "DIR")]
        output: PathBuf,
        #[arg(long, value_name = "ID")]
        review: Option<String>,
        /// Replace files already there.
        #[arg(long)]
        force: bool,
    },
}

fn parse_disposition(text: &str) -> Result<Disposition, String> {
    Disposition::parse(text).ok_or_else(|| format!("use one of {}", Disposition::choices()))
}

fn parse_meaning(text: &str) -> Result<SignatureMeaning, String> {
    SignatureMeaning::parse(text)
        .ok_or_else(|| format!("use one of {}", SignatureMeaning::choices()))
}

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    match args.command {
        ReviewCommand::New {
            case,
            from,
            to,
            tz,
            title,
            geoip,
            detectors,
            limits,
        } => {
            let period = |text: &str, flag: &'static str, bound| {
                parse_user_time(text, tz, bound).map_err(|source| CliError::Time { flag, source })
            };
            let scope = ReviewScope {
                title,
                from: period(&from, "--from", Bound::From)?,
                to: period(&to, "--to", Bound::To)?,
            };
            if scope.to < scope.from {
                return Err(ReviewError::EmptyPeriod { from, to }.into());
            }
            let flags = FilterArgs {
                case: Some(case.clone()),
                geoip,
                detectors,
                tz,
                ..FilterArgs::default()
            };
            let selected = load_and_select(&[], &flags, &limits)?;
            // A review over evidence that could not all be read would say
            // less than the case holds.
            if !selected.errors.is_empty() {
                return Err(CliError::Unreadable {
                    refused: "no review started",
                });
            }
            let review = new_review(&selected.case, &scope)?;
            let exceptions = review.exceptions.len();
            let id = CaseFile::open(&case)?.add_review(review)?;
            println!(
                "{}: {} to review, from {} to {}",
                reveal(&id),
                plural(exceptions as u64, "exception", "exceptions"),
                reveal(&from),
                reveal(&to)
            );
            Ok(ExitCode::SUCCESS)
        }
        ReviewCommand::Show {
            case,
            review,
            open,
            json,
        } => {
            let review = CaseFile::open(&case)?.review(review.as_deref())?;
            if json {
                print_json(&review);
            } else {
                print_review(&review, open);
            }
            Ok(ExitCode::SUCCESS)
        }
        ReviewCommand::Dispose {
            case,
            ids,
            disposition,
            reason,
            by,
            review,
        } => {
            let by = by.unwrap_or_else(os_user);
            if by.trim().is_empty() {
                return Err(CliError::Usage(
                    "--by NAME: who decided (this account has no name in USER or USERNAME)"
                        .to_string(),
                ));
            }
            let mut file = CaseFile::open(&case)?;
            let id = file.dispose(review.as_deref(), &ids, disposition, &reason, &by)?;
            let left = file.review(Some(&id))?.open_exceptions().count();
            println!(
                "{}: {} {}; {left} open",
                reveal(&id),
                plural(ids.len() as u64, "exception", "exceptions"),
                disposition.as_str(),
            );
            Ok(ExitCode::SUCCESS)
        }
        ReviewCommand::Sign {
            case,
            name,
            meaning,
            key,
            review,
        } => {
            let signer = Signer::from_file(&key).map_err(ReviewError::from)?;
            let mut file = CaseFile::open(&case)?;
            let statement = file.sign_review(review.as_deref(), &signer, &name, meaning)?;
            println!(
                "signed by {} ({}) at {} with {}",
                reveal(&statement.name),
                statement.meaning.as_str(),
                statement.at,
                signer.fingerprint()
            );
            Ok(ExitCode::SUCCESS)
        }
        ReviewCommand::Verify {
            case,
            allowed_signers,
            review,
        } => {
            let file = CaseFile::open(&case)?;
            let review = file.review(review.as_deref())?;
            let checked = check_review(&file, &review, allowed_signers.as_deref())?;
            for (n, signature) in review.signatures.iter().enumerate() {
                let principals = checked
                    .principals
                    .get(n)
                    .filter(|p| !p.is_empty())
                    .map(|p| format!(", allowed as {}", reveal(&p.join(", "))))
                    .unwrap_or_default();
                println!(
                    "signature {}: {}, key {}{principals}",
                    n + 1,
                    manifestation(&signature.statement),
                    fingerprint(&signature.public_key)
                );
            }
            for problem in &checked.problems {
                println!("FAILED   {}", reveal(&problem.to_string()));
            }
            if !checked.problems.is_empty() {
                return Ok(ExitCode::from(EXIT_INPUT));
            }
            println!(
                "{}: the signed record holds: signatures valid, dispositions, scope and action log as signed{}",
                reveal(&review.id),
                if allowed_signers.is_none() {
                    " (whose keys: check with --allowed-signers)"
                } else {
                    ""
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        ReviewCommand::Report {
            case,
            output,
            review,
            force,
        } => {
            let file = CaseFile::open(&case)?;
            guard_evidence(&file)?;
            let review = file.review(review.as_deref())?;
            let name = case
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            crate::casefile::write_report(&review_html(&review, &name), &output, &[], force)?;
            println!("{}", reveal(&output.display().to_string()));
            Ok(ExitCode::SUCCESS)
        }
        ReviewCommand::Export {
            case,
            output,
            review,
            force,
        } => {
            let file = CaseFile::open(&case)?;
            guard_evidence(&file)?;
            if inside_evidence_folder(&output) {
                return Err(CliError::Usage(format!(
                    "{} is in an evidence folder: nothing is written among the evidence",
                    reveal(&output.display().to_string())
                )));
            }
            let review = file.review(review.as_deref())?;
            let Some(record) = &review.record else {
                return Err(CliError::Usage(format!(
                    "{} is not signed yet: `auditview review sign` makes its record",
                    reveal(&review.id)
                )));
            };
            let mut files = vec![(output.join("review.json"), record.as_str())];
            for (n, signature) in review.signatures.iter().enumerate() {
                let statement = output.join(format!("review.signature-{}.json", n + 1));
                let sshsig = output.join(format!("review.signature-{}.json.sig", n + 1));
                files.push((statement, signature.statement.as_str()));
                files.push((sshsig, signature.sshsig.as_str()));
            }
            // Every target checked before anything is written.
            for (path, _) in &files {
                check_target(path, &[], force).map_err(crate::export::ExportError::from)?;
            }
            if !output.is_dir() {
                std::fs::create_dir_all(&output).map_err(|source| {
                    crate::export::ExportError::from(crate::safe_write::WriteError::Folder {
                        dir: output.clone(),
                        source,
                    })
                })?;
            }
            for (path, text) in &files {
                crate::casefile::write_report(text, path, &[], force)?;
                println!("{}", reveal(&path.display().to_string()));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// "Name (meaning) at time" from a signature's statement, as signed.
fn manifestation(statement: &str) -> String {
    match Statement::parse(statement) {
        Ok(s) => format!(
            "{} ({}) at {}",
            reveal(&s.name),
            s.meaning.as_str(),
            reveal(&s.at)
        ),
        Err(e) => format!("(a statement that cannot be read: {})", reveal(&e)),
    }
}

fn print_review(review: &Review, open_only: bool) {
    let disposed = review.exceptions.len() - review.open_exceptions().count();
    println!(
        "{}: {} ({} to {}): {} of {} disposed",
        reveal(&review.id),
        reveal(&review.title),
        reveal(&review.from),
        reveal(&review.to),
        disposed,
        review.exceptions.len()
    );
    for exception in &review.exceptions {
        if open_only && exception.disposition != Disposition::Open {
            continue;
        }
        println!(
            "{:<10} {:<6} {}",
            exception.disposition.as_str().to_uppercase(),
            exception.severity.as_str(),
            reveal(&exception.id)
        );
        println!("           {}", reveal(&exception.explanation));
        if exception.disposition != Disposition::Open {
            println!(
                "           {} by {} at {}",
                reveal(&exception.reason),
                reveal(&exception.by),
                reveal(&exception.at)
            );
        }
    }
    for signature in &review.signatures {
        println!(
            "signed     {}, key {}",
            manifestation(&signature.statement),
            fingerprint(&signature.public_key)
        );
    }
}

/// Registers the case's evidence files and their folders, so that no
/// output of a review goes over or among them.
fn guard_evidence(file: &CaseFile) -> Result<(), CliError> {
    for path in file.evidence_paths()? {
        register(&path, OwnedKind::Evidence);
        if let Some(folder) = path.parent() {
            register(folder, OwnedKind::EvidenceFolder);
        }
    }
    Ok(())
}
