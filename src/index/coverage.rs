//! Is the record complete? Per system and per UTC day, the events and the
//! files that hold them; per file, its span, events, rejects and whether it
//! was cut short or changed while read; the days missing from a daily
//! series (DNAnexus deposits one file a day, named by its date); the files
//! whose spans overlap another's of the same system; and the silences in a
//! log longer than a limit and than ten times its usual interval. Every
//! finding names its files.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::index::Case;
use crate::model::{Format, LogKind, System};
use crate::time::{DAY_MS, UtcMs, format_utc};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Day {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    pub events: u64,
    /// The files holding that day's events.
    pub files: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Silence {
    /// The last event before and the first after.
    pub from: UtcMs,
    pub to: UtcMs,
    pub hours: f64,
    pub file_before: String,
    pub file_after: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemCoverage {
    pub system: System,
    /// Audit records: what the days, the span and the silences count.
    pub events: u64,
    /// The system's other lines (a server's system log, task lines): read
    /// and shown, never counted as coverage of the audit trail.
    pub system_lines: u64,
    /// Those lines per UTC day: their own strip.
    pub system_days: Vec<Day>,
    pub first: Option<UtcMs>,
    pub last: Option<UtcMs>,
    /// Days with events, in order.
    pub days: Vec<Day>,
    /// Days of a daily series with no file (between its first and last file).
    pub missing_days: Vec<String>,
    /// Silences longer than the limit, between consecutive events.
    pub silences: Vec<Silence>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileCoverage {
    pub path: String,
    pub format: Format,
    pub system: Option<System>,
    pub events: u64,
    pub rejected: u64,
    pub first: Option<UtcMs>,
    pub last: Option<UtcMs>,
    /// The day its name gives (`..._2024-03-14.csv`), if any.
    pub named_day: Option<String>,
    /// A reject says the file ends early (a cut gzip, a record cut short).
    pub cut_short: bool,
    pub changed_while_read: Option<String>,
    /// Files of the same system whose spans overlap this one's.
    pub overlaps: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Coverage {
    pub systems: Vec<SystemCoverage>,
    pub files: Vec<FileCoverage>,
    /// The silence limit used, in hours.
    pub silence_hours: f64,
}

/// Per UTC day number: its events and the sources holding them.
type DayMap = BTreeMap<i64, (u64, BTreeSet<u32>)>;

/// The coverage of every loaded event (coverage is of the evidence, not
/// of a filter's view); silences longer than `silence_hours` are listed.
pub fn coverage(case: &Case, silence_hours: f64) -> Coverage {
    let store = &case.store;
    let events = &store.events;
    let sources = &store.sources;
    let mut files: Vec<FileCoverage> = sources
        .iter()
        .map(|s| FileCoverage {
            path: s.path.clone(),
            format: s.format,
            system: None,
            events: s.events,
            rejected: s.rejected,
            first: None,
            last: None,
            named_day: named_day(&s.path),
            cut_short: s.cut_short,
            changed_while_read: s.changed_while_read.clone(),
            overlaps: Vec::new(),
        })
        .collect();
    // Per system (by its index): days, and the rows in time order for
    // silences. Rows are in time order, so a system's day only moves on:
    // the open day is counted apart and put in its map when it ends.
    let systems_n = System::ALL.len();
    let mut counts = vec![0u64; systems_n];
    let mut system_lines = vec![0u64; systems_n];
    // Each file's span of audit records: what overlaps compare (a system
    // log beside its audit log repeats no audit event).
    let mut audit_spans: Vec<Option<(i64, i64)>> = vec![None; files.len()];
    let mut system_day_maps: Vec<DayMap> = vec![DayMap::new(); systems_n];
    let mut day_maps: Vec<DayMap> = vec![DayMap::new(); systems_n];
    let mut open_day: Vec<Option<(i64, u64, BTreeSet<u32>)>> = vec![None; systems_n];
    let mut last_row: Vec<Option<(i64, u32)>> = vec![None; systems_n];
    let mut silence_lists: Vec<Vec<Silence>> = vec![Vec::new(); systems_n];
    let mut interval_lists: Vec<Vec<i64>> = vec![Vec::new(); systems_n];
    let limit_ms = (silence_hours * 3_600_000.0) as i64;
    let close_day = |maps: &mut DayMap, open: (i64, u64, BTreeSet<u32>)| {
        let day = maps.entry(open.0).or_default();
        day.0 += open.1;
        day.1.extend(open.2);
    };
    for row in 0..events.len() {
        let system = events.system[row];
        let at = system as usize;
        let time = events.time_ms[row];
        let source = events.source[row];
        if let Some(file) = files.get_mut(source as usize) {
            file.system.get_or_insert(system);
            file.first = Some(file.first.map_or(UtcMs(time), |f| UtcMs(f.0.min(time))));
            file.last = Some(file.last.map_or(UtcMs(time), |l| UtcMs(l.0.max(time))));
        }
        if events.log[row] == LogKind::Audit
            && let Some(span) = audit_spans.get_mut(source as usize)
        {
            *span = Some(span.map_or((time, time), |(f, l)| (f.min(time), l.max(time))));
        }
        if events.log[row] != LogKind::Audit {
            system_lines[at] += 1;
            let day = system_day_maps[at]
                .entry(time.div_euclid(DAY_MS))
                .or_default();
            day.0 += 1;
            day.1.insert(source);
            continue;
        }
        counts[at] += 1;
        let day = time.div_euclid(DAY_MS);
        match &mut open_day[at] {
            Some(open) if open.0 == day => {
                open.1 += 1;
                open.2.insert(source);
            }
            slot => {
                if let Some(done) = slot.take() {
                    close_day(&mut day_maps[at], done);
                }
                *slot = Some((day, 1, BTreeSet::from([source])));
            }
        }
        if let Some((before, before_source)) = last_row[at].replace((time, source)) {
            interval_lists[at].push(time - before);
            if limit_ms > 0 && time - before > limit_ms {
                silence_lists[at].push(Silence {
                    from: UtcMs(before),
                    to: UtcMs(time),
                    hours: (time - before) as f64 / 3_600_000.0,
                    file_before: store.source_path(before_source).to_string(),
                    file_after: store.source_path(source).to_string(),
                });
            }
        }
    }
    let mut by_system: BTreeMap<System, (u64, u64, DayMap, DayMap)> = BTreeMap::new();
    let mut silences: BTreeMap<System, Vec<Silence>> = BTreeMap::new();
    let mut intervals: BTreeMap<System, Vec<i64>> = BTreeMap::new();
    for &system in System::ALL {
        let at = system as usize;
        if counts[at] == 0 && system_lines[at] == 0 {
            continue;
        }
        let mut days = std::mem::take(&mut day_maps[at]);
        if let Some(open) = open_day[at].take() {
            close_day(&mut days, open);
        }
        let lines = std::mem::take(&mut system_day_maps[at]);
        by_system.insert(system, (counts[at], system_lines[at], days, lines));
        silences.insert(system, std::mem::take(&mut silence_lists[at]));
        intervals.insert(system, std::mem::take(&mut interval_lists[at]));
    }
    // Overlapping spans of audit records among a system's files (a log
    // and its export, two daily files covering the same hours).
    for i in 0..files.len() {
        for j in 0..files.len() {
            let (a, b) = (&files[i], &files[j]);
            let overlap = i != j
                && a.system.is_some()
                && a.system == b.system
                && matches!((audit_spans[i], audit_spans[j]),
                    (Some((af, al)), Some((bf, bl))) if af <= bl && bf <= al);
            if overlap {
                let other = files[j].path.clone();
                files[i].overlaps.push(other);
            }
        }
    }
    let systems = by_system
        .into_iter()
        .map(|(system, (count, lines, days, line_days))| {
            let day_list = |days: &DayMap| -> Vec<Day> {
                days.iter()
                    .map(|(day, (events, sources))| Day {
                        day: day_name(*day),
                        events: *events,
                        files: sources
                            .iter()
                            .map(|s| store.source_path(*s).to_string())
                            .collect(),
                    })
                    .collect()
            };
            let first = days.keys().next().map(|_| UtcMs(first_time(store, system)));
            let last = days.keys().last().map(|_| UtcMs(last_time(store, system)));
            SystemCoverage {
                system,
                events: count,
                system_lines: lines,
                system_days: day_list(&line_days),
                first,
                last,
                missing_days: missing_days(&files, system),
                silences: unusual(
                    silences.remove(&system).unwrap_or_default(),
                    intervals.remove(&system).unwrap_or_default(),
                ),
                days: day_list(&days),
            }
        })
        .collect();
    Coverage {
        systems,
        files,
        silence_hours,
    }
}

/// The most missing days listed per series.
pub const MAX_MISSING_DAYS: usize = 10_000;

/// How many times a system's usual (median) interval between events a
/// silence must last to be listed: a sparse report is not a broken log.
pub const SILENCE_TIMES_USUAL: i64 = 10;

/// The silences longer than `SILENCE_TIMES_USUAL` times the median interval.
fn unusual(silences: Vec<Silence>, mut intervals: Vec<i64>) -> Vec<Silence> {
    if intervals.is_empty() {
        return silences;
    }
    let middle = intervals.len() / 2;
    let usual = *intervals.select_nth_unstable(middle).1;
    let least = usual.saturating_mul(SILENCE_TIMES_USUAL);
    silences
        .into_iter()
        .filter(|s| s.to.0 - s.from.0 > least)
        .collect()
}

fn first_time(store: &crate::model::Store, system: System) -> i64 {
    let events = &store.events;
    (0..events.len())
        .find(|&r| events.system[r] == system && events.log[r] == LogKind::Audit)
        .map_or(0, |r| events.time_ms[r])
}

fn last_time(store: &crate::model::Store, system: System) -> i64 {
    let events = &store.events;
    (0..events.len())
        .rev()
        .find(|&r| events.system[r] == system && events.log[r] == LogKind::Audit)
        .map_or(0, |r| events.time_ms[r])
}

/// `YYYY-MM-DD` of a UTC day number.
fn day_name(day: i64) -> String {
    format_utc(day * DAY_MS).chars().take(10).collect()
}

/// The date a daily file's name gives: the last `YYYY-MM-DD` in it.
fn named_day(path: &str) -> Option<String> {
    let name = std::path::Path::new(path).file_name()?.to_str()?;
    let bytes = name.as_bytes();
    (0..bytes.len().saturating_sub(9)).rev().find_map(|at| {
        let part = name.get(at..at + 10)?;
        let ok = part.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
        (ok && crate::time::parse_user_time(part, crate::time::Zone::Utc, crate::time::Bound::From)
            .is_ok())
        .then(|| part.to_string())
    })
}

/// The days between a daily series' first and last file that no file of
/// it names: the series is the system's files of the DNAnexus Audit Trail
/// whose names carry a date.
fn missing_days(files: &[FileCoverage], system: System) -> Vec<String> {
    let named: BTreeSet<i64> = files
        .iter()
        .filter(|f| f.system == Some(system) && f.format == Format::DnanexusAuditCsv)
        .filter_map(|f| f.named_day.as_deref())
        .filter_map(|d| {
            crate::time::parse_user_time(d, crate::time::Zone::Utc, crate::time::Bound::From).ok()
        })
        .map(|ms| ms.div_euclid(DAY_MS))
        .collect();
    let (Some(&first), Some(&last)) = (named.first(), named.last()) else {
        return Vec::new();
    };
    // A name's date is the evidence's word: a series from year 1 to 9999
    // lists its first missing days, not millions.
    (first..=last)
        .filter(|d| !named.contains(d))
        .take(MAX_MISSING_DAYS)
        .map(day_name)
        .collect()
}
