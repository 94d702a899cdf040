//! The review as one self-contained HTML page that prints to PDF: scope,
//! method, the exceptions by severity with their dispositions and proofs,
//! each signature's manifestation and how to check it without auditview.

use std::fmt::Write as _;

use super::super::report::{STYLE, esc};
use super::signing::{NAMESPACE, fingerprint};
use super::{Review, Statement};
use crate::model::Severity;

/// The page of `review` from the case file named `case_name`.
pub fn review_html(review: &Review, case_name: &str) -> String {
    let mut html = String::new();
    let w = &mut html;
    let title = format!("{}: {}", review.id, review.title);
    let _ = write!(
        w,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{}</title><style>{STYLE}</style></head><body>",
        esc(&title)
    );
    let disposed = review.exceptions.len() - review.open_exceptions().count();
    let _ = write!(
        w,
        "<h1>{}</h1><p>Case file {}; period {} to {} (UTC); started {}{}. \
         {disposed} of {} exceptions disposed; {}.</p>",
        esc(&title),
        esc(case_name),
        esc(&review.from),
        esc(&review.to),
        esc(&review.started),
        review
            .previous
            .as_deref()
            .map(|p| format!(", after {}", esc(p)))
            .unwrap_or_default(),
        review.exceptions.len(),
        match review.signatures.len() {
            0 => "not signed".to_string(),
            n => format!("signed {n} time(s)"),
        }
    );

    let _ = write!(
        w,
        "<h2>Scope</h2><p>Systems: {}.</p><table><tr><th>Evidence</th><th>Format</th>\
         <th>SHA-256</th><th>Events</th><th>In the period</th><th>First and last in the period</th></tr>",
        esc(&review.scope.systems.join(", "))
    );
    for e in &review.scope.evidence {
        let _ = write!(
            w,
            "<tr><td class=\"folder\">{}</td><td>{}</td><td class=\"hash\">{}</td><td>{}</td>\
             <td>{}</td><td>{} – {}</td></tr>",
            esc(&e.path),
            esc(&e.format),
            esc(&e.sha256),
            e.events,
            e.events_in_period,
            esc(e.first_in_period.as_deref().unwrap_or("")),
            esc(e.last_in_period.as_deref().unwrap_or(""))
        );
    }
    let method = &review.method;
    let _ = write!(
        w,
        "</table><h2>Method</h2><p>{} {} (commit {}); findings configuration SHA-256 \
         <span class=\"hash\">{}</span>; {} rules:</p><ul>",
        esc(&method.tool),
        esc(&method.version),
        esc(&method.commit),
        esc(&method.configuration_sha256),
        method.rules.len()
    );
    for rule in &method.rules {
        let _ = write!(
            w,
            "<li>{} ({}): {}</li>",
            esc(&rule.id),
            esc(&rule.origin),
            esc(&rule.title)
        );
    }
    let _ = write!(w, "</ul><h2>Exceptions</h2>");
    for severity in Severity::ALL.iter().rev() {
        let of: Vec<_> = review
            .exceptions
            .iter()
            .filter(|e| e.severity == *severity)
            .collect();
        if of.is_empty() {
            continue;
        }
        let _ = write!(
            w,
            "<h3>{} ({})</h3><table><tr><th>Exception</th><th>Disposition</th><th>Proof</th></tr>",
            severity.as_str(),
            of.len()
        );
        for e in of {
            let decided = if e.by.is_empty() {
                String::new()
            } else {
                format!(
                    "<br>{}<br>by {} at {}",
                    esc(&e.reason),
                    esc(&e.by),
                    esc(&e.at)
                )
            };
            let _ = write!(
                w,
                "<tr><td><span class=\"hash\">{}</span><br>{}</td><td><b>{}</b>{decided}</td>\
                 <td class=\"folder\">{}{}</td></tr>",
                esc(&e.id),
                esc(&e.explanation),
                e.disposition.as_str(),
                e.proofs
                    .iter()
                    .map(|p| esc(p))
                    .collect::<Vec<_>>()
                    .join("<br>"),
                if e.events > e.proofs.len() {
                    format!("<br>({} events in all)", e.events)
                } else {
                    String::new()
                }
            );
        }
        let _ = write!(w, "</table>");
    }

    let _ = write!(w, "<h2>Signatures</h2>");
    if review.signatures.is_empty() {
        let _ = write!(w, "<p>Not signed.</p>");
    }
    for (n, signature) in review.signatures.iter().enumerate() {
        let _ = match Statement::parse(&signature.statement) {
            Ok(s) => write!(
                w,
                "<p>{}. <b>{}</b>, {} at {} (UTC), key <span class=\"hash\">{}</span></p>",
                n + 1,
                esc(&s.name),
                s.meaning.as_str(),
                esc(&s.at),
                esc(&fingerprint(&signature.public_key))
            ),
            Err(e) => write!(
                w,
                "<p class=\"bad\">{}. a statement that cannot be read: {}</p>",
                n + 1,
                esc(&e)
            ),
        };
    }
    let _ = write!(
        w,
        "<p>Each signature is OpenSSH's sshsig, namespace <code>{NAMESPACE}</code>, over a \
         statement naming the record's SHA-256. <code>auditview review export</code> writes \
         the record and the statements; <code>ssh-keygen -Y verify -f allowed_signers -I NAME \
         -n {NAMESPACE} -s review.signature-1.json.sig &lt; review.signature-1.json</code> checks \
         one, and <code>auditview review verify</code> checks them all against the case.</p>\
         </body></html>"
    );
    html
}
