//! The coverage of the evidence as findings: a day missing from a daily
//! series, a silence in a log, a file cut short, with rejects, changed
//! while read, or overlapping another file of its system.

use super::Finding;
use super::hours::weekday;
use crate::display::{plural, reveal};
use crate::index::coverage::{Coverage, Silence};
use crate::model::{FindingKind, Severity};
use crate::time::{DAY_MS, HOUR_MS, UtcMs, parse_user_time};

pub fn coverage_findings(coverage: &Coverage) -> Vec<Finding> {
    let mut found = Vec::new();
    for system in &coverage.systems {
        let name = system.system.as_str();
        for day in &system.missing_days {
            let time = parse_user_time(day, crate::time::Zone::Utc, crate::time::Bound::From).ok();
            let mut finding = Finding::new(
                FindingKind::MissingDay,
                Severity::Medium,
                name,
                format!("{name}: no file of the daily series covers {day}"),
                time,
                Vec::new(),
            );
            finding.until = time.map(|t| UtcMs(t + DAY_MS - 1));
            found.push(finding);
        }
        for silence in &system.silences {
            let mut finding = Finding::new(
                FindingKind::Silence,
                if is_a_weekend(silence) {
                    Severity::Info
                } else {
                    Severity::Low
                },
                name,
                format!(
                    "{name} logged nothing for {:.1} h, from {} to {}{}",
                    silence.hours,
                    silence.from,
                    silence.to,
                    if is_a_weekend(silence) {
                        " (a weekend)"
                    } else {
                        ""
                    }
                ),
                Some(silence.from.0),
                Vec::new(),
            );
            finding.until = Some(silence.to);
            finding.files = vec![silence.file_before.clone(), silence.file_after.clone()];
            finding.files.dedup();
            found.push(finding);
        }
    }
    for file in &coverage.files {
        let path = reveal(&file.path);
        let mut add = |kind, severity, explanation: String| {
            let mut finding = Finding::new(
                kind,
                severity,
                file.path.clone(),
                explanation,
                file.first.map(|t| t.0),
                Vec::new(),
            );
            finding.until = file.last;
            finding.files = vec![file.path.clone()];
            found.push(finding);
        };
        if file.cut_short {
            add(
                FindingKind::CutShort,
                Severity::Medium,
                format!(
                    "{path} ends early (cut short or damaged){}",
                    file.last
                        .map(|t| format!(": its last whole event is at {t}"))
                        .unwrap_or_default()
                ),
            );
        }
        if file.rejected > 0 {
            add(
                FindingKind::Rejects,
                Severity::Low,
                format!(
                    "{path}: {} could not be read (see inspect)",
                    plural(file.rejected, "record", "records")
                ),
            );
        }
        if let Some(change) = &file.changed_while_read {
            add(
                FindingKind::ChangedWhileRead,
                Severity::High,
                format!("{path} changed while it was read: {}", reveal(change)),
            );
        }
        if !file.overlaps.is_empty() {
            add(
                FindingKind::Overlap,
                Severity::Info,
                format!(
                    "{path} covers the same time as {} of its system (events may repeat): {}",
                    plural(file.overlaps.len() as u64, "other file", "other files"),
                    file.overlaps
                        .iter()
                        .take(3)
                        .map(|p| reveal(p).into_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    found
}

/// A silence from a Friday, Saturday or Sunday to the Monday after at the
/// latest: an office's weekend, not a broken log.
fn is_a_weekend(silence: &Silence) -> bool {
    let day = |t: UtcMs| weekday(t.0.div_euclid(DAY_MS));
    let (from, to) = (day(silence.from), day(silence.to));
    matches!(from, 4..=6)
        && matches!(to, 5 | 6 | 0)
        && silence.to.0 - silence.from.0 <= 84 * HOUR_MS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::coverage::FileCoverage;
    use crate::model::{Format, System};

    fn file(path: &str) -> FileCoverage {
        FileCoverage {
            path: path.into(),
            format: Format::PydioAuditJsonl,
            system: Some(System::Pydio),
            events: 10,
            rejected: 0,
            first: Some(UtcMs(1_712_000_000_000)),
            last: Some(UtcMs(1_712_003_600_000)),
            named_day: None,
            cut_short: false,
            changed_while_read: None,
            overlaps: Vec::new(),
        }
    }

    fn kinds(files: Vec<FileCoverage>) -> Vec<(FindingKind, Severity, String)> {
        let coverage = Coverage {
            files,
            ..Coverage::default()
        };
        coverage_findings(&coverage)
            .into_iter()
            .map(|f| (f.kind, f.severity, f.subject))
            .collect()
    }

    #[test]
    fn each_file_fact_fires_its_finding_and_a_whole_file_fires_none() {
        assert!(kinds(vec![file("whole.log")]).is_empty());
        let changed = FileCoverage {
            changed_while_read: Some("its size went from 10 to 12 bytes".into()),
            ..file("changed.log")
        };
        let cut = FileCoverage {
            cut_short: true,
            rejected: 1,
            ..file("cut.log")
        };
        let overlapping = FileCoverage {
            overlaps: vec!["other.log".into()],
            ..file("overlapping.log")
        };
        assert_eq!(
            kinds(vec![changed, cut, overlapping]),
            [
                (
                    FindingKind::ChangedWhileRead,
                    Severity::High,
                    "changed.log".to_string()
                ),
                (
                    FindingKind::CutShort,
                    Severity::Medium,
                    "cut.log".to_string()
                ),
                (FindingKind::Rejects, Severity::Low, "cut.log".to_string()),
                (
                    FindingKind::Overlap,
                    Severity::Info,
                    "overlapping.log".to_string()
                ),
            ]
        );
    }

    #[test]
    fn a_silence_over_a_weekend_is_info_and_midweek_it_is_low() {
        let silence = |from: &str, to: &str| {
            let at = |t: &str| {
                UtcMs(
                    chrono::DateTime::parse_from_rfc3339(t)
                        .unwrap()
                        .timestamp_millis(),
                )
            };
            Silence {
                from: at(from),
                to: at(to),
                hours: 0.0,
                file_before: "a".into(),
                file_after: "a".into(),
            }
        };
        // Friday evening to Monday morning; Tuesday to Thursday.
        assert!(is_a_weekend(&silence(
            "2024-04-05T17:00:00Z",
            "2024-04-08T08:00:00Z"
        )));
        assert!(!is_a_weekend(&silence(
            "2024-04-02T17:00:00Z",
            "2024-04-04T08:00:00Z"
        )));
        // Friday to the Tuesday after is longer than a weekend.
        assert!(!is_a_weekend(&silence(
            "2024-04-05T17:00:00Z",
            "2024-04-09T08:00:00Z"
        )));
    }
}
