//! Checking a signed review: every signature valid over the record (and,
//! with an allowed-signers file, made by a listed key), and the record
//! still what the case holds (dispositions, scope, evidence, action log).

use std::fmt;
use std::path::Path;

use super::signing::{allowed_principals, fingerprint, verify};
use super::{Review, ReviewError, Statement};
use crate::casefile::CaseFile;

/// One thing that makes a signed review not hold, named.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordProblem {
    NotSigned,
    BadSignature {
        number: usize,
        reason: String,
    },
    NotAllowed {
        name: String,
        fingerprint: String,
    },
    ExceptionChanged {
        id: String,
        signed: String,
        now: String,
    },
    ExceptionAdded(String),
    ExceptionRemoved(String),
    ReviewChanged(&'static str),
    EvidenceGone {
        path: String,
        sha256: String,
    },
    LogHeadMissing(String),
    LogBroken {
        seq: i64,
        problem: String,
    },
}

impl fmt::Display for RecordProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordProblem::NotSigned => write!(f, "the review is not signed"),
            RecordProblem::BadSignature { number, reason } => {
                write!(f, "signature {number} does not hold: {reason}")
            }
            RecordProblem::NotAllowed { name, fingerprint } => write!(
                f,
                "the key of {name} ({fingerprint}) is not in the allowed signers for {}",
                super::NAMESPACE
            ),
            RecordProblem::ExceptionChanged { id, signed, now } => write!(
                f,
                "exception {id}: signed as {signed}, the case now says {now}"
            ),
            RecordProblem::ExceptionAdded(id) => {
                write!(
                    f,
                    "exception {id} is in the case but not in the signed record"
                )
            }
            RecordProblem::ExceptionRemoved(id) => {
                write!(
                    f,
                    "exception {id} is in the signed record but no longer in the case"
                )
            }
            RecordProblem::ReviewChanged(what) => {
                write!(f, "the review's {what} differs from the signed record")
            }
            RecordProblem::EvidenceGone { path, sha256 } => write!(
                f,
                "evidence {path} (SHA-256 {sha256}) of the signed scope is no longer in the case"
            ),
            RecordProblem::LogHeadMissing(head) => write!(
                f,
                "the action log no longer holds the entry the record was signed at ({head})"
            ),
            RecordProblem::LogBroken { seq, problem } => {
                write!(f, "action log entry {seq}: {problem}")
            }
        }
    }
}

/// What the check found: per signature, the allowed principals (with an
/// allowed-signers file), and every problem.
#[derive(Debug, Default)]
pub struct Checked {
    pub principals: Vec<Vec<String>>,
    pub problems: Vec<RecordProblem>,
}

/// Checks `review` of `file`: its signatures over its record, and the
/// record against the case as it is now.
pub fn check_review(
    file: &CaseFile,
    review: &Review,
    allowed_signers: Option<&Path>,
) -> Result<Checked, ReviewError> {
    let mut checked = Checked::default();
    let (Some(record_text), Some(record)) = (review.record.as_deref(), review.record()?) else {
        checked.problems.push(RecordProblem::NotSigned);
        return Ok(checked);
    };
    let record_sha256 = crate::hash::sha256_hex(record_text.as_bytes());
    let mut previous = String::new();
    for (n, signature) in review.signatures.iter().enumerate() {
        let number = n + 1;
        let mut reasons = Vec::new();
        if let Err(reason) = verify(
            signature.statement.as_bytes(),
            &signature.public_key,
            &signature.sshsig,
        ) {
            reasons.push(reason);
        }
        match Statement::parse(&signature.statement) {
            Err(reason) => reasons.push(format!("its statement cannot be read: {reason}")),
            Ok(statement) => {
                if statement.record_sha256 != record_sha256 {
                    reasons.push("it is over another record".to_string());
                }
                if statement.review != review.id {
                    reasons.push(format!("it is over review {}", statement.review));
                }
                if statement.previous != previous {
                    reasons
                        .push("the signatures before it are not the ones it followed".to_string());
                }
                if let Some(path) = allowed_signers {
                    let principals = allowed_principals(path, &signature.public_key)?;
                    if principals.is_empty() {
                        checked.problems.push(RecordProblem::NotAllowed {
                            name: statement.name.clone(),
                            fingerprint: fingerprint(&signature.public_key),
                        });
                    }
                    checked.principals.push(principals);
                }
            }
        }
        checked.problems.extend(
            reasons
                .into_iter()
                .map(|reason| RecordProblem::BadSignature { number, reason }),
        );
        previous = crate::hash::sha256_hex(signature.statement.as_bytes());
    }
    if review.signatures.is_empty() {
        checked.problems.push(RecordProblem::NotSigned);
    }

    let signed = &record.review;
    let describe = |e: &super::Exception| {
        format!(
            "{} ({}, by {} at {})",
            e.disposition.as_str(),
            e.reason,
            e.by,
            e.at
        )
    };
    for now in &review.exceptions {
        match signed.exceptions.iter().find(|e| e.id == now.id) {
            None => checked
                .problems
                .push(RecordProblem::ExceptionAdded(now.id.clone())),
            Some(then) if then != now => checked.problems.push(RecordProblem::ExceptionChanged {
                id: now.id.clone(),
                signed: describe(then),
                now: describe(now),
            }),
            Some(_) => {}
        }
    }
    for then in &signed.exceptions {
        if !review.exceptions.iter().any(|e| e.id == then.id) {
            checked
                .problems
                .push(RecordProblem::ExceptionRemoved(then.id.clone()));
        }
    }
    for (what, same) in [
        ("id", signed.id == review.id),
        ("title", signed.title == review.title),
        ("start", signed.started == review.started),
        ("previous review", signed.previous == review.previous),
        (
            "period",
            signed.from == review.from && signed.to == review.to,
        ),
        ("scope", signed.scope == review.scope),
        ("method", signed.method == review.method),
    ] {
        if !same {
            checked.problems.push(RecordProblem::ReviewChanged(what));
        }
    }

    let evidence = file.recorded_evidence()?;
    for scoped in &signed.scope.evidence {
        if !evidence.iter().any(|e| e.sha256 == scoped.sha256) {
            checked.problems.push(RecordProblem::EvidenceGone {
                path: scoped.path.clone(),
                sha256: scoped.sha256.clone(),
            });
        }
    }
    if !record.case_log_head.is_empty()
        && !file
            .action_log()?
            .iter()
            .any(|entry| entry.hash == record.case_log_head)
    {
        checked
            .problems
            .push(RecordProblem::LogHeadMissing(record.case_log_head.clone()));
    }
    for problem in file.verify_log(None)? {
        checked.problems.push(RecordProblem::LogBroken {
            seq: problem.seq,
            problem: problem.problem,
        });
    }
    Ok(checked)
}
