//! Off-hours and weekends, for each identity's own pattern: the hours of
//! the day (UTC) and the days of the week it works are learned from its
//! other days in the case, so a night shift is no finding and one night's
//! work cannot make itself usual.

use std::collections::BTreeMap;

use super::{Finding, Identities};
use crate::display::{plural, reveal};
use crate::model::{FindingKind, Severity};
use crate::time::{DAY_MS, HOUR_MS, UtcMs};

/// A pattern is learned from at least this many days and events.
const MIN_DAYS: usize = 10;
const MIN_EVENTS: u64 = 50;

/// An hour (with its neighbours) holding under this share of the other
/// days' events is outside the identity's hours.
const UNUSUAL_SHARE: f64 = 0.01;

/// Monday is 0; 1970-01-01 was a Thursday.
pub(super) fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

pub fn unusual_hours(identities: &Identities) -> Vec<Finding> {
    identities.par_each(|name, m| {
        // Per day: its events (positions) and their count per hour of day.
        let mut days: BTreeMap<i64, (Vec<usize>, [u64; 24])> = BTreeMap::new();
        let mut hours = [0u64; 24];
        for (i, &time) in m.times.iter().enumerate() {
            let hour = (time.rem_euclid(DAY_MS) / HOUR_MS) as usize;
            let day = days.entry(time.div_euclid(DAY_MS)).or_default();
            day.0.push(i);
            day.1[hour] += 1;
            hours[hour] += 1;
        }
        let total: u64 = hours.iter().sum();
        if days.len() < MIN_DAYS || total < MIN_EVENTS {
            return Vec::new();
        }
        let weekend_events: u64 = days
            .iter()
            .filter(|(d, _)| weekday(**d) >= 5)
            .map(|(_, (rows, _))| rows.len() as u64)
            .sum();
        let mut found = Vec::new();
        for (&day, (day_rows, day_hours)) in &days {
            let others_total = total - day_rows.len() as u64;
            if others_total == 0 {
                continue;
            }
            let others = |hour: usize| hours[hour] - day_hours[hour];
            let unusual = |hour: usize| {
                let near = others((hour + 23) % 24) + others(hour) + others((hour + 1) % 24);
                (near as f64) < UNUSUAL_SHARE * others_total as f64
            };
            let proof: Vec<usize> = day_rows
                .iter()
                .copied()
                .filter(|&i| unusual((m.times[i].rem_euclid(DAY_MS) / HOUR_MS) as usize))
                .collect();
            if let (Some(&first), Some(&last)) = (proof.first(), proof.last()) {
                let (t0, t1) = (m.times[first], m.times[last]);
                found.push(Finding::new(
                    FindingKind::OffHours,
                    Severity::Low,
                    name,
                    format!(
                        "{} acted outside their usual hours: {} from {} to {} (UTC), hours that hold under 1% of their other days' {}",
                        reveal(name),
                        plural(proof.len() as u64, "event", "events"),
                        UtcMs(t0),
                        UtcMs(t1),
                        plural(others_total, "event", "events"),
                    ),
                    Some(t0),
                    proof.iter().map(|&i| m.rows[i]).collect(),
                ));
            }
            let weekdays_worked = days.keys().filter(|d| weekday(**d) < 5).count();
            if weekday(day) >= 5
                && weekend_events == day_rows.len() as u64
                && weekdays_worked >= MIN_DAYS
            {
                let t0 = m.times[day_rows[0]];
                found.push(Finding::new(
                    FindingKind::Weekend,
                    Severity::Low,
                    name,
                    format!(
                        "{} worked on a weekend day ({}, {}), having worked {} weekdays and no other weekend day",
                        reveal(name),
                        &UtcMs(t0).to_string()[..10],
                        plural(day_rows.len() as u64, "event", "events"),
                        weekdays_worked,
                    ),
                    Some(t0),
                    day_rows.iter().map(|&i| m.rows[i]).collect(),
                ));
            }
        }
        found
    })
}

#[cfg(test)]
mod tests {
    use super::weekday;

    #[test]
    fn weekdays_count_from_monday() {
        assert_eq!(weekday(0), 3); // 1970-01-01, a Thursday
        assert_eq!(weekday(19_784), 5); // 2024-03-02, a Saturday
    }
}
