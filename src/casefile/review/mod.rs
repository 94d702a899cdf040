//! Audit-trail reviews kept in the case: a period, what was reviewed and
//! how (scope, method), the exceptions found in it (findings and coverage
//! gaps), a disposition for each, and signatures over the canonical record.

mod build;
mod check;
mod page;
mod signing;

use serde::{Deserialize, Serialize};

use super::{CaseError, CaseFile};
use crate::index::findings::RuleInForce;
use crate::model::{Disposition, Severity, SignatureMeaning};

pub use build::{ReviewScope, new_review};
pub use check::{Checked, RecordProblem, check_review};
pub use page::review_html;
pub use signing::{NAMESPACE, SignError, Signer, fingerprint};

/// The case's reviews, oldest first (meta key `reviews`).
const REVIEWS_KEY: &str = "reviews";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// `review-1`, `review-2`... in the order started.
    pub id: String,
    pub title: String,
    /// The period reviewed, RFC 3339 UTC, both ends included.
    pub from: String,
    pub to: String,
    pub started: String,
    /// The review before this one in the case, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    pub scope: Scope,
    pub method: Method,
    pub exceptions: Vec<Exception>,
    /// The canonical record (`Record` as JSON), fixed by the first signature:
    /// every signature is over exactly these bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    #[serde(default)]
    pub signatures: Vec<Signature>,
}

/// What was reviewed: the systems and each evidence file with its hash and
/// how much of the period it covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scope {
    pub systems: Vec<String>,
    pub evidence: Vec<EvidenceScope>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceScope {
    pub path: String,
    pub sha256: String,
    pub format: String,
    pub events: u64,
    pub events_in_period: u64,
    /// The first and last event of the file inside the period.
    pub first_in_period: Option<String>,
    pub last_in_period: Option<String>,
}

/// How the exceptions were found: this build, and the rules and thresholds
/// in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Method {
    pub tool: String,
    pub version: String,
    pub commit: String,
    /// The findings configuration (detector thresholds and rules) as JSON,
    /// and its SHA-256.
    pub configuration: serde_json::Value,
    pub configuration_sha256: String,
    pub rules: Vec<RuleInForce>,
}

/// A finding or coverage gap of the period, with the reviewer's decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exception {
    /// The finding's id (`kind:subject:time`), stable across loads.
    pub id: String,
    pub kind: String,
    pub severity: Severity,
    pub subject: String,
    pub explanation: String,
    pub time: Option<String>,
    pub events: usize,
    /// `file:line` of each proving event (at most `PROOFS_KEPT`), or the
    /// files a coverage gap is about.
    pub proofs: Vec<String>,
    pub disposition: Disposition,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub at: String,
}

/// One signature: the statement signed and the SSH signature over it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    /// The `Statement` signed, as JSON: these exact bytes.
    pub statement: String,
    /// The signing key, as in an allowed-signers file.
    pub public_key: String,
    /// The armored `sshsig` over the statement.
    pub sshsig: String,
}

/// What one signature says (21 CFR 11.50: the printed name, the date and
/// time and the meaning, linked to the record): the record by its SHA-256,
/// and the statement signed before, so none can be moved or swapped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    pub format: String,
    pub review: String,
    pub record_sha256: String,
    pub name: String,
    pub meaning: SignatureMeaning,
    pub at: String,
    /// The SHA-256 of the statement signed before this one ("" for the first).
    pub previous: String,
}

/// The statement format's name and version.
pub const STATEMENT_FORMAT: &str = "auditview-review-signature/1";

/// What is signed: the review without its signatures, and the head of the
/// case's action log when the record was fixed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub format: String,
    pub review: Review,
    pub case_log_head: String,
}

/// The record format's name and version.
pub const RECORD_FORMAT: &str = "auditview-review-record/1";

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error(transparent)]
    Case(#[from] CaseError),
    #[error("the case has no review {0} (`auditview review show CASE` lists them)")]
    NoReview(String),
    #[error(
        "the case has no review yet: `auditview review new CASE --from DATE --to DATE` starts one"
    )]
    NoReviews,
    #[error("{review} has no exception {id}")]
    UnknownException { review: String, id: String },
    #[error(
        "{review} has {open} open exception(s) (first: {first}): dispose of every one before signing"
    )]
    OpenExceptions {
        review: String,
        open: usize,
        first: String,
    },
    #[error("{0} is signed: its dispositions are part of the signed record; start a new review")]
    Signed(String),
    #[error("a reason is needed for the disposition {0}")]
    NoReason(&'static str),
    #[error("the period ends ({to}) before it starts ({from})")]
    EmptyPeriod { from: String, to: String },
    #[error("{review} is already signed by {name} meaning {meaning}")]
    AlreadySigned {
        review: String,
        name: String,
        meaning: &'static str,
    },
    #[error(transparent)]
    Sign(#[from] SignError),
    #[error("the record of {review} cannot be read: {reason}")]
    Record { review: String, reason: String },
    #[error(
        "{review} no longer matches its signed record ({problem}): `auditview review verify` says more"
    )]
    RecordDiffers { review: String, problem: String },
}

impl Review {
    pub fn open_exceptions(&self) -> impl Iterator<Item = &Exception> {
        self.exceptions
            .iter()
            .filter(|e| e.disposition == Disposition::Open)
    }

    /// The record signatures are over (fixed at the first signature).
    pub fn record(&self) -> Result<Option<Record>, ReviewError> {
        self.record
            .as_deref()
            .map(|text| {
                serde_json::from_str(text).map_err(|e| ReviewError::Record {
                    review: self.id.clone(),
                    reason: e.to_string(),
                })
            })
            .transpose()
    }
}

impl Statement {
    pub fn parse(text: &str) -> Result<Statement, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

impl CaseFile {
    /// Every review of the case, oldest first.
    pub fn reviews(&self) -> Result<Vec<Review>, CaseError> {
        Ok(self.setting(REVIEWS_KEY, "reviews")?.unwrap_or_default())
    }

    /// The review `id`, or the latest with none.
    pub fn review(&self, id: Option<&str>) -> Result<Review, ReviewError> {
        let mut reviews = self.reviews()?;
        let index = review_index(&reviews, id)?;
        Ok(reviews.swap_remove(index))
    }

    /// Adds a review started by `new_review`, numbered after the others;
    /// logged. Returns its id.
    pub fn add_review(&mut self, review: Review) -> Result<String, ReviewError> {
        self.update_setting(
            REVIEWS_KEY,
            "reviews",
            "start review",
            |all: &mut Vec<Review>, _| {
                let mut review = review;
                review.id = format!("review-{}", all.len() + 1);
                review.previous = all.last().map(|r| r.id.clone());
                let detail = format!(
                    "{} \"{}\" {} to {}: {} exception(s)",
                    review.id,
                    review.title,
                    review.from,
                    review.to,
                    review.exceptions.len()
                );
                let id = review.id.clone();
                all.push(review);
                Ok::<_, ReviewError>((detail, id))
            },
        )
    }

    /// Records a disposition for each of `ids`; logged, one entry for all.
    /// Returns the review's id.
    pub fn dispose(
        &mut self,
        review: Option<&str>,
        ids: &[String],
        disposition: Disposition,
        reason: &str,
        by: &str,
    ) -> Result<String, ReviewError> {
        if disposition != Disposition::Open && reason.trim().is_empty() {
            return Err(ReviewError::NoReason(disposition.as_str()));
        }
        let at = super::now();
        self.update_setting(
            REVIEWS_KEY,
            "reviews",
            "dispose",
            |all: &mut Vec<Review>, _| {
                let index = review_index(all, review)?;
                let current = &mut all[index];
                if current.record.is_some() {
                    return Err(ReviewError::Signed(current.id.clone()));
                }
                for id in ids {
                    let exception = current
                        .exceptions
                        .iter_mut()
                        .find(|e| &e.id == id)
                        .ok_or_else(|| ReviewError::UnknownException {
                            review: current.id.clone(),
                            id: id.clone(),
                        })?;
                    exception.disposition = disposition;
                    exception.reason = reason.to_string();
                    exception.by = by.to_string();
                    exception.at = at.clone();
                }
                let detail = format!(
                    "{}: {} as {}: {reason}",
                    current.id,
                    ids.join(", "),
                    disposition.as_str()
                );
                Ok((detail, current.id.clone()))
            },
        )
    }

    /// Signs the review: refused while an exception is open, or when the
    /// case no longer matches the record signed before. The first signature
    /// fixes the record (with the action log's head); each signature is
    /// over a statement naming the record's hash, the signer, the meaning,
    /// the time and the statement before it.
    pub fn sign_review(
        &mut self,
        review: Option<&str>,
        signer: &Signer,
        name: &str,
        meaning: SignatureMeaning,
    ) -> Result<Statement, ReviewError> {
        // What a later signer approves is what the record says, as the case
        // still holds it.
        let before = self.review(review)?;
        if before.record.is_some() {
            let checked = check_review(self, &before, None)?;
            if let Some(problem) = checked.problems.first() {
                return Err(ReviewError::RecordDiffers {
                    review: before.id.clone(),
                    problem: problem.to_string(),
                });
            }
        }
        self.update_setting(
            REVIEWS_KEY,
            "reviews",
            "sign review",
            |all: &mut Vec<Review>, head| {
                let index = review_index(all, review)?;
                let current = &mut all[index];
                let open: Vec<&Exception> = current.open_exceptions().collect();
                if let Some(first) = open.first() {
                    return Err(ReviewError::OpenExceptions {
                        review: current.id.clone(),
                        open: open.len(),
                        first: first.id.clone(),
                    });
                }
                let statements = current
                    .signatures
                    .iter()
                    .map(|s| Statement::parse(&s.statement))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|reason| ReviewError::Record {
                        review: current.id.clone(),
                        reason,
                    })?;
                if let Some(same) = statements
                    .iter()
                    .find(|s| s.name == name && s.meaning == meaning)
                {
                    return Err(ReviewError::AlreadySigned {
                        review: current.id.clone(),
                        name: same.name.clone(),
                        meaning: same.meaning.as_str(),
                    });
                }
                let record = match &current.record {
                    Some(record) => record.clone(),
                    None => {
                        let mut unsigned = current.clone();
                        unsigned.record = None;
                        unsigned.signatures.clear();
                        let record = canonical(&Record {
                            format: RECORD_FORMAT.to_string(),
                            review: unsigned,
                            case_log_head: head.to_string(),
                        })?;
                        current.record = Some(record.clone());
                        record
                    }
                };
                let statement = Statement {
                    format: STATEMENT_FORMAT.to_string(),
                    review: current.id.clone(),
                    record_sha256: crate::hash::sha256_hex(record.as_bytes()),
                    name: name.to_string(),
                    meaning,
                    at: super::now(),
                    previous: current
                        .signatures
                        .last()
                        .map(|s| crate::hash::sha256_hex(s.statement.as_bytes()))
                        .unwrap_or_default(),
                };
                let text = canonical(&statement)?;
                let (public_key, sshsig) = signer.sign(text.as_bytes())?;
                current.signatures.push(Signature {
                    statement: text,
                    public_key,
                    sshsig,
                });
                let detail = format!(
                    "{}: {} ({}) at {} with {}",
                    current.id,
                    name,
                    meaning.as_str(),
                    statement.at,
                    signer.fingerprint()
                );
                Ok((detail, statement))
            },
        )
    }
}

/// A record or statement as signed: indented JSON ending with a newline,
/// so that it reads well and `ssh-keygen -Y verify` checks the file as
/// written.
pub fn canonical(value: &impl Serialize) -> Result<String, ReviewError> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| ReviewError::Record {
        review: String::new(),
        reason: e.to_string(),
    })?;
    text.push('\n');
    Ok(text)
}

/// Where the review `id` (the latest with none) is among `all`.
fn review_index(all: &[Review], id: Option<&str>) -> Result<usize, ReviewError> {
    match id {
        Some(id) => all
            .iter()
            .position(|r| r.id == id)
            .ok_or_else(|| ReviewError::NoReview(id.to_string())),
        None => all.len().checked_sub(1).ok_or(ReviewError::NoReviews),
    }
}

#[cfg(test)]
mod tests;
