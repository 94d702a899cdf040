//! The review's life in a case file: started, disposed, signed twice.

use super::*;
use crate::model::Severity;

fn review_of(ids: &[&str]) -> Review {
    Review {
        id: String::new(),
        title: "test".to_string(),
        from: "2024-03-01T00:00:00Z".to_string(),
        to: "2024-03-31T23:59:59.999Z".to_string(),
        started: "2024-04-01T00:00:00Z".to_string(),
        previous: None,
        scope: Scope {
            systems: Vec::new(),
            evidence: Vec::new(),
        },
        method: Method {
            tool: "auditview".to_string(),
            version: String::new(),
            commit: String::new(),
            configuration: serde_json::Value::Null,
            configuration_sha256: String::new(),
            rules: Vec::new(),
        },
        exceptions: ids
            .iter()
            .map(|id| Exception {
                id: id.to_string(),
                kind: "burst".to_string(),
                severity: Severity::Low,
                subject: String::new(),
                explanation: String::new(),
                time: None,
                events: 0,
                proofs: Vec::new(),
                disposition: Disposition::Open,
                reason: String::new(),
                by: String::new(),
                at: String::new(),
            })
            .collect(),
        record: None,
        signatures: Vec::new(),
    }
}

#[test]
fn signing_waits_for_every_disposition_then_chains_statements_over_one_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut file = CaseFile::create(&dir.path().join("c.auditcase"), &[]).unwrap();
    assert_eq!(file.add_review(review_of(&["a", "b"])).unwrap(), "review-1");
    let ann = signing::test_signer(1);
    let signed =
        |file: &mut CaseFile, signer, name, meaning| file.sign_review(None, signer, name, meaning);
    assert!(matches!(
        signed(&mut file, &ann, "Ann", SignatureMeaning::Reviewed),
        Err(ReviewError::OpenExceptions { open: 2, .. })
    ));
    let both = ["a".to_string(), "b".to_string()];
    assert!(matches!(
        file.dispose(None, &both, Disposition::Expected, " ", "Ann"),
        Err(ReviewError::NoReason("expected"))
    ));
    file.dispose(None, &both, Disposition::Expected, "known", "Ann")
        .unwrap();

    let first = signed(&mut file, &ann, "Ann", SignatureMeaning::Reviewed).unwrap();
    assert_eq!(first.previous, "");
    let bo = signing::test_signer(2);
    let second = signed(&mut file, &bo, "Bo", SignatureMeaning::Approved).unwrap();
    assert_eq!(second.record_sha256, first.record_sha256);
    let review = file.review(None).unwrap();
    assert_eq!(
        second.previous,
        crate::hash::sha256_hex(review.signatures[0].statement.as_bytes())
    );
    assert!(matches!(
        signed(&mut file, &bo, "Bo", SignatureMeaning::Approved),
        Err(ReviewError::AlreadySigned { .. })
    ));
    assert!(matches!(
        file.dispose(None, &both, Disposition::Escalated, "late", "Bo"),
        Err(ReviewError::Signed(_))
    ));
    assert!(
        check_review(&file, &review, None)
            .unwrap()
            .problems
            .is_empty()
    );
    // The second review follows the first.
    file.add_review(review_of(&["c"])).unwrap();
    assert_eq!(
        file.review(None).unwrap().previous.as_deref(),
        Some("review-1")
    );
}
