//! Audit-trail reviews kept in the case: a period, what was reviewed and
//! how (scope, method), the exceptions found in it (findings and coverage
//! gaps), a disposition for each, and signatures over the canonical record.

mod build;
mod check;
mod signing;

use serde::{Deserialize, Serialize};

use super::{CaseError, CaseFile};
use crate::model::{Disposition, Severity, SignatureMeaning};

pub use build::{ReviewScope, new_review};
pub use check::{Checked, RecordProblem, check_review};
pub use signing::{NAMESPACE, SignError, Signer};

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
    pub rules: Vec<RuleUsed>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleUsed {
    pub id: String,
    pub title: String,
    pub origin: String,
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

/// One signature: the signer's printed name, when, what it means, and the
/// SSH signature (armored `sshsig`) over the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    pub name: String,
    pub meaning: SignatureMeaning,
    pub at: String,
    /// The signing key, as in an allowed-signers file, and its fingerprint.
    pub public_key: String,
    pub fingerprint: String,
    pub sshsig: String,
}

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
    #[error("the period ends before it starts")]
    EmptyPeriod,
    #[error("{review} is already signed by {name} meaning {meaning}")]
    AlreadySigned {
        review: String,
        name: String,
        meaning: &'static str,
    },
    #[error(transparent)]
    Sign(#[from] SignError),
    #[error("the record of {0} cannot be read: {1}")]
    Record(String, String),
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
                serde_json::from_str(text)
                    .map_err(|e| ReviewError::Record(self.id.clone(), e.to_string()))
            })
            .transpose()
    }
}

impl CaseFile {
    /// Every review of the case, oldest first.
    pub fn reviews(&self) -> Result<Vec<Review>, CaseError> {
        Ok(self.setting(REVIEWS_KEY, "reviews")?.unwrap_or_default())
    }

    /// The review `id`, or the latest with none.
    pub fn review(&self, id: Option<&str>) -> Result<Review, ReviewError> {
        let reviews = self.reviews()?;
        match id {
            Some(id) => reviews
                .into_iter()
                .find(|r| r.id == id)
                .ok_or_else(|| ReviewError::NoReview(id.to_string())),
            None => reviews.into_iter().last().ok_or(ReviewError::NoReviews),
        }
    }

    /// Adds a review started by `new_review`, numbered after the others;
    /// logged. Returns its id.
    pub fn add_review(&mut self, mut review: Review) -> Result<String, CaseError> {
        let mut all = self.reviews()?;
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
        self.set_setting(REVIEWS_KEY, &all, "start review", &detail)?;
        Ok(id)
    }

    /// Records a disposition for each of `ids`; logged, one entry for all.
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
        let mut all = self.reviews()?;
        let index = find(&all, review)?;
        let current = &mut all[index];
        if current.record.is_some() {
            return Err(ReviewError::Signed(current.id.clone()));
        }
        let at = super::now();
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
        let review_id = current.id.clone();
        let detail = format!(
            "{review_id}: {} as {}: {reason}",
            ids.join(", "),
            disposition.as_str()
        );
        self.set_setting(REVIEWS_KEY, &all, "dispose", &detail)?;
        Ok(review_id)
    }

    /// Signs the review: refused while an exception is open. The first
    /// signature fixes the record (with the action log's head); later ones
    /// sign the same bytes, in order.
    pub fn sign_review(
        &mut self,
        review: Option<&str>,
        signer: &Signer,
        name: &str,
        meaning: SignatureMeaning,
    ) -> Result<Signature, ReviewError> {
        let head = self.log_head()?.unwrap_or_default();
        let mut all = self.reviews()?;
        let index = find(&all, review)?;
        let current = &mut all[index];
        let open: Vec<&Exception> = current.open_exceptions().collect();
        if let Some(first) = open.first() {
            return Err(ReviewError::OpenExceptions {
                review: current.id.clone(),
                open: open.len(),
                first: first.id.clone(),
            });
        }
        if let Some(same) = current
            .signatures
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
                    case_log_head: head,
                });
                current.record = Some(record.clone());
                record
            }
        };
        let signature = signer.sign(record.as_bytes(), name, meaning)?;
        current.signatures.push(signature.clone());
        let detail = format!(
            "{}: {} ({}) {} with {}",
            current.id,
            name,
            meaning.as_str(),
            signature.at,
            signature.fingerprint
        );
        self.set_setting(REVIEWS_KEY, &all, "sign review", &detail)?;
        Ok(signature)
    }
}

/// The bytes signed: the record as indented JSON ending with a newline, so
/// that it reads well and `ssh-keygen -Y verify` checks the file as written.
pub fn canonical(record: &Record) -> String {
    let mut text = serde_json::to_string_pretty(record).unwrap_or_default();
    text.push('\n');
    text
}

fn find(all: &[Review], id: Option<&str>) -> Result<usize, ReviewError> {
    match id {
        Some(id) => all
            .iter()
            .position(|r| r.id == id)
            .ok_or_else(|| ReviewError::NoReview(id.to_string())),
        None => all.len().checked_sub(1).ok_or(ReviewError::NoReviews),
    }
}
