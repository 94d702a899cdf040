//! `auditview review ...`: the audit-trail review of a case: start one over
//! a period, list its exceptions, dispose of each, sign the record (SSH
//! signatures anyone can check with `ssh-keygen -Y verify`), verify it
//! against the case, and export it for checking without auditview.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::filter_args::FilterArgs;
use super::finding_args::FindingArgs;
use super::limit_args::LimitArgs;
use super::{CliError, EXIT_INPUT, load_and_select, print_json};
use crate::casefile::review::{Review, ReviewScope, Signer, check_review, new_review};
use crate::casefile::{CaseFile, os_user};
use crate::display::{plural, reveal};
use crate::model::{Disposition, SignatureMeaning};
use crate::safe_write::{check_target, publish, temp_beside};
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
    /// Write the signed record (review.json) and its signatures
    /// (review.json.sig, review.json.2.sig...) into a folder.
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
                return Err(CliError::Usage("--to is before --from".to_string()));
            }
            let flags = FilterArgs {
                case: Some(case.clone()),
                geoip,
                detectors,
                tz,
                ..FilterArgs::default()
            };
            let selected = load_and_select(&[], &flags, &limits)?;
            let review = new_review(&selected.case, &scope);
            let exceptions = review.exceptions.len();
            let id = CaseFile::open(&case)?.add_review(review)?;
            println!(
                "{id}: {} to review, from {from} to {to}",
                plural(exceptions as u64, "exception", "exceptions")
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
                "{id}: {} {}; {} open",
                plural(ids.len() as u64, "exception", "exceptions"),
                disposition.as_str(),
                left
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
            let signer =
                Signer::from_file(&key).map_err(crate::casefile::review::ReviewError::from)?;
            let mut file = CaseFile::open(&case)?;
            let signature = file.sign_review(review.as_deref(), &signer, &name, meaning)?;
            println!(
                "signed by {} ({}) at {} with {}",
                reveal(&signature.name),
                signature.meaning.as_str(),
                signature.at,
                signature.fingerprint
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
                    .map(|p| format!(", allowed as {}", p.join(", ")))
                    .unwrap_or_default();
                println!(
                    "signature {}: {} ({}) at {}, key {}{principals}",
                    n + 1,
                    reveal(&signature.name),
                    signature.meaning.as_str(),
                    signature.at,
                    signature.fingerprint
                );
            }
            for problem in &checked.problems {
                println!("FAILED   {}", reveal(&problem.to_string()));
            }
            if checked.problems.is_empty() {
                println!(
                    "{}: the signed record holds: signatures valid, dispositions, scope and action log as signed",
                    review.id
                );
                Ok(ExitCode::SUCCESS)
            } else {
                Ok(ExitCode::from(EXIT_INPUT))
            }
        }
        ReviewCommand::Export {
            case,
            output,
            review,
            force,
        } => {
            let review = CaseFile::open(&case)?.review(review.as_deref())?;
            let Some(record) = &review.record else {
                return Err(CliError::Usage(format!(
                    "{} is not signed yet: `auditview review sign` makes its record",
                    review.id
                )));
            };
            let mut files = vec![(output.join("review.json"), record.clone())];
            for (n, signature) in review.signatures.iter().enumerate() {
                let name = match n {
                    0 => "review.json.sig".to_string(),
                    n => format!("review.json.{}.sig", n + 1),
                };
                files.push((output.join(name), signature.sshsig.clone()));
            }
            // Made when missing (never over a file of that name).
            if !output.is_dir() {
                std::fs::create_dir_all(&output).map_err(|source| {
                    crate::export::ExportError::from(crate::safe_write::WriteError::Write {
                        path: output.clone(),
                        source,
                    })
                })?;
            }
            for (path, text) in &files {
                write_file(path, text, force)?;
                println!("{}", reveal(&path.display().to_string()));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_review(review: &Review, open_only: bool) {
    let disposed = review.exceptions.len() - review.open_exceptions().count();
    println!(
        "{}: {} ({} to {}): {} of {} disposed",
        review.id,
        reveal(&review.title),
        review.from,
        review.to,
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
                exception.at
            );
        }
    }
    for signature in &review.signatures {
        println!(
            "signed     {} ({}) at {}, key {}",
            reveal(&signature.name),
            signature.meaning.as_str(),
            signature.at,
            signature.fingerprint
        );
    }
}

/// Writes one file of the export as every output is written: never over
/// evidence or a file the user owns, complete or not at all.
fn write_file(path: &Path, text: &str, force: bool) -> Result<(), CliError> {
    let write_error = |source| crate::safe_write::WriteError::Write {
        path: path.to_path_buf(),
        source,
    };
    check_target(path, &[], force).map_err(crate::export::ExportError::from)?;
    let partial = temp_beside(path, &[]).map_err(crate::export::ExportError::from)?;
    partial
        .as_file()
        .write_all(text.as_bytes())
        .map_err(|e| crate::export::ExportError::from(write_error(e)))?;
    publish(partial, path).map_err(crate::export::ExportError::from)?;
    Ok(())
}
