//! `auditview review`: a review of the sample case over a period, every
//! exception disposed, signed with keys made by `ssh-keygen`, the exported
//! record accepted by `ssh-keygen -Y verify`, and a disposition changed in
//! the SQLite file afterwards named by `review verify`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::cli;
use crate::support::copy_dir;

use cli::{auditview_in, json, ok};

/// The samples as evidence of a new case, in a folder of its own.
fn sample_case() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples"),
        &dir.path().join("evidence"),
    );
    ok(&auditview_in(
        dir.path(),
        ["case", "new", "c.auditcase", "evidence"],
    ));
    let case = dir.path().join("c.auditcase");
    (dir, case)
}

fn exception_ids(dir: &Path) -> Vec<String> {
    json(&auditview_in(
        dir,
        ["review", "show", "c.auditcase", "--json"],
    ))["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

/// Whether `ssh-keygen` is here (package openssh-client). CI installs it
/// and sets AUDITVIEW_DESKTOP_TOOLS=required so the check is never skipped.
fn have_ssh_keygen() -> bool {
    let here = Command::new("ssh-keygen").arg("-?").output().is_ok();
    if !here {
        assert!(
            std::env::var("AUDITVIEW_DESKTOP_TOOLS").as_deref() != Ok("required"),
            "ssh-keygen is not installed"
        );
        eprintln!("skipped: ssh-keygen is not installed");
    }
    here
}

/// An Ed25519 key without a passphrase, as `ssh-keygen` makes it.
fn key(dir: &Path, name: &str) -> String {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(dir.join(name))
        .status()
        .unwrap();
    assert!(status.success());
    let public = std::fs::read_to_string(dir.join(format!("{name}.pub"))).unwrap();
    public
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_review_holds_the_findings_of_its_period_only() {
    let (dir, _case) = sample_case();
    let d = dir.path();
    // Counted by hand from `auditview findings assets/samples`: on
    // 2024-03-15 the two Pydio files overlap (one finding each) and
    // alice.martin shares a public link; the lock-outs and scripted
    // clients of the 11th and 14th fall outside.
    let out = ok(&auditview_in(
        d,
        [
            "review",
            "new",
            "c.auditcase",
            "--from",
            "2024-03-15",
            "--to",
            "2024-03-15",
        ],
    ));
    assert!(out.starts_with("review-1: 3 exceptions to review"), "{out}");
    let ids = exception_ids(d);
    let mut kinds: Vec<&str> = ids.iter().map(|id| id.split(':').next().unwrap()).collect();
    kinds.sort();
    assert_eq!(kinds, ["overlap", "overlap", "rule"]);
    assert!(
        ids.iter()
            .any(|id| id.ends_with("pydio/audit.log:2024-03-15T07:02:11Z"))
    );
    assert!(
        ids.iter()
            .any(|id| id.starts_with("rule:public-link-shared:alice.martin:"))
    );
    // The whole month: the nine findings of the samples.
    let out = ok(&auditview_in(
        d,
        [
            "review",
            "new",
            "c.auditcase",
            "--from",
            "2024-03-01",
            "--to",
            "2024-03-31",
        ],
    ));
    assert!(out.starts_with("review-2: 9 exceptions to review"), "{out}");
    let show = json(&auditview_in(
        d,
        ["review", "show", "c.auditcase", "--json"],
    ));
    assert_eq!(show["previous"], "review-1");
    let evidence = show["scope"]["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 8);
    assert!(
        evidence
            .iter()
            .all(|e| e["sha256"].as_str().unwrap().len() == 64)
    );
    assert_eq!(show["method"]["tool"], "auditview");
}

#[test]
fn a_signed_review_verifies_with_ssh_keygen_and_a_changed_disposition_is_named() {
    if !have_ssh_keygen() {
        return;
    }
    let (dir, case) = sample_case();
    let d = dir.path();
    ok(&auditview_in(
        d,
        [
            "review",
            "new",
            "c.auditcase",
            "--from",
            "2024-03-01",
            "--to",
            "2024-03-31",
        ],
    ));
    let reviewer = key(d, "reviewer");
    let approver = key(d, "approver");
    let ids = exception_ids(d);
    assert_eq!(ids.len(), 9);

    // Refused while an exception is open, and a disposition needs a reason.
    let sign = |name: &str, meaning: &str, key: &str| {
        auditview_in(
            d,
            [
                "review",
                "sign",
                "c.auditcase",
                "--name",
                name,
                "--meaning",
                meaning,
                "--key",
                key,
            ],
        )
    };
    let refused = sign("Ann Reviewer", "reviewed", "reviewer");
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("9 open exception(s)"));
    let no_reason = auditview_in(
        d,
        [
            "review",
            "dispose",
            "c.auditcase",
            &ids[0],
            "--as",
            "expected",
        ],
    );
    assert!(!no_reason.status.success());

    let mut dispose = vec!["review", "dispose", "c.auditcase"];
    dispose.extend(ids[..3].iter().map(String::as_str));
    dispose.extend([
        "--as",
        "escalated",
        "--reason",
        "sent to security",
        "--by",
        "Ann Reviewer",
    ]);
    ok(&auditview_in(d, &dispose));
    let still_open = auditview_in(d, ["review", "show", "c.auditcase", "--open"]);
    assert_eq!(ok(&still_open).matches("\nOPEN ").count(), 6);
    let mut dispose = vec!["review", "dispose", "c.auditcase"];
    dispose.extend(ids[3..].iter().map(String::as_str));
    dispose.extend([
        "--as",
        "expected",
        "--reason",
        "known uploads",
        "--by",
        "Ann Reviewer",
    ]);
    ok(&auditview_in(d, &dispose));

    ok(&sign("Ann Reviewer", "reviewed", "reviewer"));
    ok(&sign("Bo Approver", "approved", "approver"));
    let shown = ok(&auditview_in(d, ["review", "show", "c.auditcase"]));
    let first = shown.find("signed     Ann Reviewer (reviewed)").unwrap();
    let second = shown.find("signed     Bo Approver (approved)").unwrap();
    assert!(first < second, "{shown}");

    std::fs::write(
        d.join("allowed_signers"),
        format!("ann {reviewer}\nbo {approver}\n"),
    )
    .unwrap();
    let verified = ok(&auditview_in(
        d,
        [
            "review",
            "verify",
            "c.auditcase",
            "--allowed-signers",
            "allowed_signers",
        ],
    ));
    assert!(
        verified.contains("allowed as ann") && verified.contains("allowed as bo"),
        "{verified}"
    );
    assert!(verified.contains("the signed record holds"));

    // Checked without auditview: each statement by ssh-keygen, and the
    // record it names by its SHA-256.
    ok(&auditview_in(
        d,
        ["review", "export", "c.auditcase", "--output", "out"],
    ));
    let record = std::fs::read(d.join("out/review.json")).unwrap();
    for (principal, n) in [("ann", 1), ("bo", 2)] {
        let statement = d.join(format!("out/review.signature-{n}.json"));
        let checked = Command::new("ssh-keygen")
            .current_dir(d)
            .args(["-Y", "verify", "-f", "allowed_signers", "-I", principal])
            .args(["-n", "auditview-review", "-s"])
            .arg(d.join(format!("out/review.signature-{n}.json.sig")))
            .stdin(std::fs::File::open(&statement).unwrap())
            .output()
            .unwrap();
        assert!(
            checked.status.success(),
            "{}",
            String::from_utf8_lossy(&checked.stderr)
        );
        let said: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&statement).unwrap()).unwrap();
        assert_eq!(
            said["record_sha256"],
            crate::support::hash::sha256_hex(&record)
        );
        assert_eq!(
            said["meaning"],
            if n == 1 { "reviewed" } else { "approved" }
        );
    }
    // The page to print: every exception, its disposition, both signers.
    ok(&auditview_in(
        d,
        ["review", "report", "c.auditcase", "--output", "review.html"],
    ));
    let page = std::fs::read_to_string(d.join("review.html")).unwrap();
    for id in &ids {
        assert!(page.contains(id.as_str()), "{id} not on the page");
    }
    assert_eq!(page.matches("<b>escalated</b>").count(), 3);
    assert_eq!(page.matches("<b>expected</b>").count(), 6);
    let ann = page.find("<b>Ann Reviewer</b>, reviewed at").unwrap();
    let bo = page.find("<b>Bo Approver</b>, approved at").unwrap();
    assert!(ann < bo);
    // A key not listed is named.
    std::fs::write(d.join("only_ann"), format!("ann {reviewer}\n")).unwrap();
    let partly = auditview_in(
        d,
        [
            "review",
            "verify",
            "c.auditcase",
            "--allowed-signers",
            "only_ann",
        ],
    );
    assert_eq!(partly.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&partly.stdout).contains("the key of Bo Approver"));

    // Signed: no disposition changes through auditview...
    let late = auditview_in(
        d,
        [
            "review",
            "dispose",
            "c.auditcase",
            &ids[0],
            "--as",
            "expected",
            "--reason",
            "x",
            "--by",
            "Ann Reviewer",
        ],
    );
    assert!(String::from_utf8_lossy(&late.stderr).contains("is signed"));
    // ...and one changed in the file is named.
    let db = rusqlite::Connection::open(&case).unwrap();
    let text: String = db
        .query_row("SELECT value FROM meta WHERE key = 'reviews'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let mut reviews: serde_json::Value = serde_json::from_str(&text).unwrap();
    reviews[0]["exceptions"][0]["disposition"] = "expected".into();
    // The approver's statement made to say "reviewed".
    let statement = reviews[0]["signatures"][1]["statement"]
        .as_str()
        .unwrap()
        .replace("\"approved\"", "\"reviewed\"");
    reviews[0]["signatures"][1]["statement"] = statement.into();
    db.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'reviews'",
        [reviews.to_string()],
    )
    .unwrap();
    drop(db);
    let failed = auditview_in(d, ["review", "verify", "c.auditcase"]);
    assert_eq!(failed.status.code(), Some(1));
    let said = String::from_utf8_lossy(&failed.stdout);
    assert!(
        said.contains(&format!(
            "FAILED   exception {}: signed as escalated",
            ids[0]
        )),
        "{said}"
    );
    assert!(
        said.contains("FAILED   signature 2 does not hold"),
        "{said}"
    );
}
