//! The report an investigator hands over: one self-contained HTML file (no
//! network, no other file; charts as inline SVG) that prints to PDF: the
//! case summary, the evidence with its hashes as re-checked now, the
//! method, the starred and marked events with their source file:line, each
//! marked node's activity and who could see it with the proof, and the
//! action log with its chain verified. Every row says where it came from.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use super::{CaseError, CaseFile, EvidenceState, EvidenceStatus};
use crate::display::reveal;
use crate::index::Case;
use crate::model::TextField;

/// Text for HTML, hidden characters shown by code point.
pub(super) fn esc(text: &str) -> String {
    let shown = reveal(text);
    let mut out = String::with_capacity(shown.len());
    for c in shown.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(super) const STYLE: &str = "
body{font-family:system-ui,sans-serif;font-size:11pt;margin:2em;color:#111}
h1{font-size:18pt}h2{font-size:14pt;margin-top:1.6em;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #bbb;padding:3px 5px;text-align:left;vertical-align:top;font-size:9pt}
th{background:#eee}.hash{font-family:monospace;font-size:8pt;word-break:break-all}
.src{white-space:nowrap;font-weight:bold}.folder{color:#555;font-size:8pt;word-break:break-all}
.bad{color:#b00;font-weight:bold}.ok{color:#060}.note{white-space:pre-wrap}
@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}
";

/// Proving events listed per finding; the rest are counted.
const PROOFS_IN_REPORT: usize = 5;

/// The coverage of the evidence per system, then every finding with its
/// proving events' source file:line and whether it was reviewed.
fn findings_section(w: &mut String, file: &CaseFile, case: &Case) -> Result<(), CaseError> {
    let findings = case.findings();
    let reviewed = file.reviewed_findings()?;
    let _ = write!(
        w,
        "<h2>Coverage of the evidence</h2><table><tr><th>System</th><th>Events</th>\
         <th>First (UTC)</th><th>Last (UTC)</th><th>Days with events</th><th>Missing days</th>\
         <th>Silences</th></tr>"
    );
    for system in &findings.coverage.systems {
        let _ = write!(
            w,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td>\
             <td>{}</td></tr>",
            system.system,
            system.events,
            system.first.map(|t| t.to_string()).unwrap_or_default(),
            system.last.map(|t| t.to_string()).unwrap_or_default(),
            system.days.len(),
            if system.missing_days.is_empty() {
                "ok"
            } else {
                "bad"
            },
            if system.missing_days.is_empty() {
                "none".to_string()
            } else {
                esc(&system.missing_days.join(", "))
            },
            system.silences.len(),
        );
    }
    let _ = write!(w, "</table>");
    let counts = crate::index::findings::severity_counts(&findings.findings)
        .iter()
        .map(|(s, n)| format!("{n} {s}"))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = write!(
        w,
        "<h2>Findings</h2><p>{} findings ({}); {} reviewed. Each names the events that prove it.</p>\
         <table><tr><th>Severity</th><th>Kind</th><th>Time (UTC)</th><th>What stands out</th>\
         <th>Proof (source file:line)</th><th>Reviewed</th></tr>",
        findings.findings.len(),
        if counts.is_empty() {
            "none".to_string()
        } else {
            counts
        },
        findings
            .findings
            .iter()
            .filter(|f| reviewed.contains(&f.id))
            .count(),
    );
    for finding in &findings.findings {
        let store = &case.store;
        let mut proofs: Vec<String> = finding
            .rows
            .iter()
            .take(PROOFS_IN_REPORT)
            .map(|&r| source_cell(store.origin_path(r as usize), store.origin_line(r as usize)))
            .collect();
        if finding.rows.len() > PROOFS_IN_REPORT {
            proofs.push(format!(
                "and {} more",
                finding.rows.len() - PROOFS_IN_REPORT
            ));
        }
        proofs.extend(finding.files.iter().map(|f| esc(f)));
        let _ = write!(
            w,
            "<tr><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            if finding.severity >= crate::model::Severity::Medium {
                "bad"
            } else {
                ""
            },
            finding.severity,
            finding.kind,
            finding.time.map(|t| t.to_string()).unwrap_or_default(),
            esc(&finding.explanation),
            proofs.join("<br>"),
            if reviewed.contains(&finding.id) {
                "yes"
            } else {
                ""
            },
        );
    }
    let _ = write!(w, "</table>");
    Ok(())
}

/// The report of `file` over `case` (its evidence loaded, its marks on the
/// rows), with `evidence` as re-checked.
pub fn case_report_html(
    file: &CaseFile,
    case: &Case,
    evidence: &[EvidenceStatus],
) -> Result<String, CaseError> {
    let store = &case.store;
    let annotations = case.annotations();
    let log = file.action_log()?;
    let problems = file.verify_log(None)?;
    let name = file
        .path()
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut html = String::new();
    let w = &mut html;
    let _ = write!(
        w,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Case report: {}</title><style>{STYLE}</style></head><body>",
        esc(&name)
    );
    let _ = write!(
        w,
        "<h1>Case report: {}</h1><p>Made by auditview {} on {} from the case file {}.</p>",
        esc(&name),
        env!("CARGO_PKG_VERSION"),
        super::now(),
        esc(&file.path().display().to_string())
    );
    let summary = file.summary()?;
    let _ = write!(
        w,
        "<h2>Summary</h2><p class=\"note\">{}</p>",
        if summary.is_empty() {
            "(no summary written)".to_string()
        } else {
            esc(&summary)
        }
    );

    let _ = write!(
        w,
        "<h2>Evidence</h2><p>Each file re-hashed (SHA-256) when this report was made.</p>\
         <table><tr><th>File</th><th>Format</th><th>SHA-256</th><th>Bytes</th><th>Events</th>\
         <th>Rejected</th><th>Status</th></tr>"
    );
    for e in evidence {
        let status = match &e.state {
            EvidenceState::Ok => "<span class=\"ok\">unchanged</span>".to_string(),
            EvidenceState::Changed { found_sha256 } => format!(
                "<span class=\"bad\">CHANGED: now {}</span>",
                esc(found_sha256)
            ),
            EvidenceState::Missing { reason } => {
                format!("<span class=\"bad\">MISSING: {}</span>", esc(reason))
            }
            EvidenceState::Moved { from } => format!("moved from {}", esc(from)),
        };
        let _ = write!(
            w,
            "<tr><td>{}</td><td>{}</td><td class=\"hash\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{status}</td></tr>",
            esc(&e.path),
            esc(&e.format),
            esc(&e.sha256),
            e.bytes,
            e.events,
            e.rejected
        );
    }
    let _ = write!(w, "</table>");

    let _ = write!(
        w,
        "<h2>Method</h2><p>auditview {} read the evidence above, normalized every record \
         into one timeline (times in UTC), and kept each record's file and line. Marks are kept \
         by the SHA-256 of the file, the line and a fingerprint of the event's fields, so a mark \
         can only name the record it was made on.</p>",
        env!("CARGO_PKG_VERSION")
    );
    let views = file.saved_views()?;
    if !views.is_empty() {
        let _ = write!(w, "<p>Saved views:</p><ul>");
        for (view_name, view) in &views {
            let words = view
                .filter
                .describe()
                .into_iter()
                .map(|(c, t)| format!("{}: {t}", c.label()))
                .collect::<Vec<_>>()
                .join("; ");
            let words = if words.is_empty() {
                "every event".to_string()
            } else {
                words
            };
            let _ = write!(w, "<li><b>{}</b>: {}</li>", esc(view_name), esc(&words));
        }
        let _ = write!(w, "</ul>");
    }

    findings_section(w, file, case)?;

    let rows = annotations.rows();
    let (starred, tagged, noted) = annotations.counts();
    let _ = write!(
        w,
        "<h2>Marked events</h2><p>{starred} starred, {tagged} tagged, {noted} with a note; \
         {} marked events are not in the evidence loaded.</p>\
         <table><tr><th>Time (UTC)</th><th>Star</th><th>Tags</th><th>Note</th><th>System</th>\
         <th>Actor</th><th>IP</th><th>Action</th><th>Node</th><th>Source file:line</th></tr>",
        annotations.unresolved.len()
    );
    let mut marked_paths: Vec<String> = Vec::new();
    for &row in &rows {
        let row = row as usize;
        let Some(a) = annotations.get(row) else {
            continue;
        };
        let text = |field| esc(store.events.text(field, row));
        let path = store.events.text(TextField::NodePath, row);
        if !path.is_empty() && !marked_paths.iter().any(|p| p == path) {
            marked_paths.push(path.to_string());
        }
        let _ = write!(
            w,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"note\">{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            crate::time::format_utc(store.events.time_ms[row]),
            if a.starred { "starred" } else { "" },
            a.tags
                .iter()
                .map(|t| format!(
                    "<span style=\"color:hsl({},60%,35%)\">{}</span>",
                    crate::model::annotations::tag_hue(t),
                    esc(t)
                ))
                .collect::<Vec<_>>()
                .join(", "),
            esc(&a.note),
            store.events.system[row],
            text(TextField::Actor),
            text(TextField::Ip),
            text(TextField::Action),
            esc(path),
            source_cell(store.origin_path(row), store.origin_line(row)),
        );
    }
    let _ = write!(w, "</table>");

    let node_marks = file.node_annotations()?;
    if !node_marks.is_empty() {
        let _ = write!(
            w,
            "<h2>Marked nodes and resources</h2><table><tr><th>Node or resource</th><th>Star</th>\
             <th>Tags</th><th>Note</th></tr>"
        );
        for (key, a) in &node_marks {
            let _ = write!(
                w,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"note\">{}</td></tr>",
                esc(key),
                if a.starred { "starred" } else { "" },
                esc(&a.tags.join(", ")),
                esc(&a.note)
            );
            if let Some(path) = key.strip_prefix("node:")
                && !marked_paths.iter().any(|p| p == path)
            {
                marked_paths.insert(0, path.to_string());
            }
        }
        let _ = write!(w, "</table>");
    }
    if !marked_paths.is_empty() {
        let _ = write!(w, "<h2>Marked nodes</h2>");
        let index = case.index();
        for path in marked_paths.iter().take(MAX_NODES) {
            let _ = write!(w, "<h3>{}</h3>", esc(path));
            activity_svg(w, case, path);
            let Some(node) = index.tree.find(path) else {
                continue;
            };
            let visible = index.visibility.visible_by(store, &index.tree, node);
            let _ = write!(
                w,
                "<table><tr><th>Could see it</th><th>Why</th><th>Detail</th><th>Proof (file:line)</th></tr>"
            );
            for v in visible {
                let origin = v.evidence.origin(store);
                let _ = write!(
                    w,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&v.principal),
                    v.reason.as_str(),
                    esc(&v.detail),
                    source_cell(&origin.path, origin.line)
                );
            }
            let _ = write!(w, "</table>");
        }
        if marked_paths.len() > MAX_NODES {
            let _ = write!(
                w,
                "<p>… and {} more marked nodes.</p>",
                marked_paths.len() - MAX_NODES
            );
        }
    }

    let head = log.last().map_or("none", |e| e.hash.as_str());
    let chain = if problems.is_empty() {
        format!(
            "<span class=\"ok\">chain intact ({} entries), the case as its last entry sealed it</span>; \
             head <code>{head}</code> (kept apart from the case file, \
             <code>auditview case verify CASE --head {head}</code> shows the log was not cut since)",
            log.len()
        )
    } else {
        format!(
            "<span class=\"bad\">CHAIN BROKEN: {}</span>",
            esc(&problems
                .iter()
                .map(|p| format!("entry {}: {}", p.seq, p.problem))
                .collect::<Vec<_>>()
                .join("; "))
        )
    };
    let _ = write!(
        w,
        "<h2>Action log</h2><p>{chain}</p><table><tr><th>#</th><th>Time (UTC)</th><th>User</th>\
         <th>Tool</th><th>Action</th><th>Detail</th><th>SHA-256</th></tr>"
    );
    for entry in &log {
        let _ = write!(
            w,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"note\">{}</td><td class=\"hash\">{}</td></tr>",
            entry.seq,
            esc(&entry.at),
            esc(&entry.os_user),
            esc(&entry.tool),
            esc(&entry.action),
            esc(&entry.detail),
            esc(&entry.hash)
        );
    }
    let _ = writeln!(w, "</table></body></html>");
    Ok(html)
}

/// `name:line` on one line (it never wraps, so it reads whole in a PDF's
/// text too), and the folder under it.
fn source_cell(path: &str, line: u64) -> String {
    let (folder, name) = match path.rfind(['/', '\\']) {
        Some(at) => (&path[..=at], &path[at + 1..]),
        None => ("", path),
    };
    format!(
        "<span class=\"src\">{}:{line}</span><br><span class=\"folder\">{}</span>",
        esc(name),
        esc(folder)
    )
}

/// Marked nodes drawn at most.
const MAX_NODES: usize = 30;

/// The node's events per day, as bars.
fn activity_svg(w: &mut String, case: &Case, path: &str) {
    let store = &case.store;
    let events = &store.events;
    let days: Vec<i64> = (0..events.len())
        .filter(|&r| events.text(TextField::NodePath, r) == path)
        .map(|r| events.time_ms[r].div_euclid(crate::time::DAY_MS))
        .collect();
    let (Some(&first), Some(&last)) = (days.iter().min(), days.iter().max()) else {
        return;
    };
    let span = (last - first + 1).clamp(1, 366) as usize;
    let mut counts = vec![0u32; span];
    for day in days {
        let at = ((day - first) as usize).min(span - 1);
        counts[at] += 1;
    }
    let max = counts.iter().copied().max().unwrap_or(1).max(1);
    let (width, height) = (600.0_f64, 60.0_f64);
    let bar = width / span as f64;
    let _ = write!(
        w,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{}\" role=\"img\">\
         <title>Events per day</title>",
        height + 14.0
    );
    for (i, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let h = height * f64::from(count) / f64::from(max);
        let _ = write!(
            w,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"#3a6ea5\"><title>{count}</title></rect>",
            i as f64 * bar,
            height - h,
            (bar - 1.0).max(1.0)
        );
    }
    let day = |d: i64| crate::time::format_utc(d * crate::time::DAY_MS)[..10].to_string();
    let _ = write!(
        w,
        "<text x=\"0\" y=\"{y}\" font-size=\"9\">{}</text><text x=\"{width}\" y=\"{y}\" font-size=\"9\" text-anchor=\"end\">{} (max {max} a day)</text></svg>",
        day(first),
        day(last),
        y = height + 12.0
    );
}

/// Writes the report to `target`, whole or not at all, never over evidence.
pub fn write_report(
    html: &str,
    target: &Path,
    inputs: &[crate::model::SourceInfo],
    force: bool,
) -> Result<(), crate::export::ExportError> {
    crate::safe_write::check_target(target, inputs, force)?;
    let partial = crate::safe_write::temp_beside(target, inputs)?;
    partial
        .as_file()
        .write_all(html.as_bytes())
        .map_err(|source| {
            crate::export::ExportError::Target(crate::safe_write::WriteError::Write {
                path: target.to_path_buf(),
                source,
            })
        })?;
    Ok(crate::safe_write::publish(partial, target)?)
}
