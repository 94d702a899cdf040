//! The timeline histogram: matched events per time bucket, split by outcome.
//! The bucket size is chosen from the span so that the chart stays readable.

use crate::model::Outcome;
use crate::time::{DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS, WEEK_MS};

/// The width of one bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BucketSize {
    /// For events within a few minutes: a view narrowed to one minute
    /// still spreads out.
    Second,
    Minute,
    Hour,
    Day,
    Week,
    /// Several weeks: for spans that even weeks would draw as too many bars
    /// (the bar count stays bounded whatever the times).
    Weeks(u32),
}

impl BucketSize {
    pub const ALL: [BucketSize; 5] = [
        BucketSize::Second,
        BucketSize::Minute,
        BucketSize::Hour,
        BucketSize::Day,
        BucketSize::Week,
    ];

    pub fn millis(self) -> i64 {
        match self {
            BucketSize::Second => SECOND_MS,
            BucketSize::Minute => MINUTE_MS,
            BucketSize::Hour => HOUR_MS,
            BucketSize::Day => DAY_MS,
            BucketSize::Week => WEEK_MS,
            BucketSize::Weeks(n) => i64::from(n) * WEEK_MS,
        }
    }

    pub fn name(self) -> std::borrow::Cow<'static, str> {
        match self {
            BucketSize::Second => "second".into(),
            BucketSize::Minute => "minute".into(),
            BucketSize::Hour => "hour".into(),
            BucketSize::Day => "day".into(),
            BucketSize::Week => "week".into(),
            BucketSize::Weeks(n) => format!("{n} weeks").into(),
        }
    }

    /// The start of the bucket holding `ms` (UTC). Weeks start on Monday.
    pub fn floor(self, ms: i64) -> i64 {
        // 1970-01-01 was a Thursday: Monday 1969-12-29 is 3 days before.
        let origin = if matches!(self, BucketSize::Week | BucketSize::Weeks(_)) {
            -3 * DAY_MS
        } else {
            0
        };
        let width = i128::from(self.millis());
        let origin = i128::from(origin);
        let floor = origin + (i128::from(ms) - origin).div_euclid(width) * width;
        floor.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }

    /// How many bars of this size cover `first..=last`.
    fn count(self, first: i64, last: i64) -> i128 {
        let width = i128::from(self.millis());
        let origin: i128 = if matches!(self, BucketSize::Week | BucketSize::Weeks(_)) {
            -3 * i128::from(DAY_MS)
        } else {
            0
        };
        let bucket = |ms: i64| (i128::from(ms) - origin).div_euclid(width);
        bucket(last) - bucket(first) + 1
    }

    /// The smallest size that covers `first..=last` in at most `max_buckets`
    /// bars: minutes to weeks, then as many weeks a bar as it takes.
    pub fn for_span(first: i64, last: i64, max_buckets: usize) -> BucketSize {
        let max = max_buckets.max(1) as i128;
        if let Some(size) = BucketSize::ALL
            .into_iter()
            .find(|size| size.count(first, last) <= max)
        {
            return size;
        }
        let weeks = BucketSize::Week.count(first, last);
        // One more week a bar than the even share: the bars may straddle.
        let mut per_bar = (weeks / max + 1).min(i128::from(u32::MAX)) as u32;
        while BucketSize::Weeks(per_bar).count(first, last) > max && per_bar < u32::MAX {
            per_bar = per_bar.saturating_mul(2);
        }
        BucketSize::Weeks(per_bar)
    }
}

/// Counts per time bucket: `counts[i]` covers `start + i * size` for one
/// bucket width, split `N` ways (by outcome for the timeline, by category
/// for a node's activity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buckets<const N: usize> {
    pub size: BucketSize,
    pub start: i64,
    pub counts: Vec<[u64; N]>,
}

/// Matched events per bucket, by outcome (success, failure, unknown).
pub type Timeline = Buckets<3>;

impl<const N: usize> Buckets<N> {
    pub fn bucket_start(&self, index: usize) -> i64 {
        (index as i64)
            .saturating_mul(self.size.millis())
            .saturating_add(self.start)
    }

    pub fn end(&self) -> i64 {
        self.bucket_start(self.counts.len())
    }

    pub fn total(&self, index: usize) -> u64 {
        self.counts.get(index).map_or(0, |c| c.iter().sum())
    }

    /// The times a brush across the chart selects, from `from` to `to`
    /// (fractions of its width): whole buckets, from the start of the first
    /// one touched to the last millisecond of the last one.
    pub fn brush(&self, from: f32, to: f32) -> (i64, i64) {
        let last = self.counts.len().saturating_sub(1);
        let index = |fraction: f32| {
            ((fraction.clamp(0.0, 1.0) * self.counts.len() as f32).floor() as usize).min(last)
        };
        let (first, last) = (index(from.min(to)), index(from.max(to)));
        let end = self.bucket_start(last + 1).saturating_sub(1);
        (self.bucket_start(first), end)
    }

    pub fn max_total(&self) -> u64 {
        (0..self.counts.len())
            .map(|i| self.total(i))
            .max()
            .unwrap_or(0)
    }
}

pub fn outcome_index(outcome: Outcome) -> usize {
    match outcome {
        Outcome::Success => 0,
        Outcome::Failure => 1,
        Outcome::Unknown => 2,
    }
}

/// The buckets of `rows` (ascending, so in time order), each row counted
/// under `split(row)` (`None`: left out). `None` when no row is selected.
pub fn buckets<const N: usize>(
    time_ms: &[i64],
    rows: &[u32],
    max_buckets: usize,
    split: impl Fn(usize) -> Option<usize>,
) -> Option<Buckets<N>> {
    let first = time_ms.get(*rows.first()? as usize).copied()?;
    let last = time_ms.get(*rows.last()? as usize).copied()?;
    let (first, last) = (first.min(last), first.max(last));
    let size = BucketSize::for_span(first, last, max_buckets);
    let start = size.floor(first);
    // At most `max_buckets` (times beyond i64's weeks aside, which no case holds).
    let buckets = (size.count(first, last).clamp(1, max_buckets.max(1) as i128)) as usize;
    let mut counts = vec![[0u64; N]; buckets];
    for &row in rows {
        let row = row as usize;
        let (Some(&time), Some(part)) = (time_ms.get(row), split(row)) else {
            continue;
        };
        let index = (i128::from(time) - i128::from(start)).div_euclid(i128::from(size.millis()));
        let index = usize::try_from(index).unwrap_or(usize::MAX);
        if let Some(slot) = counts.get_mut(index).and_then(|b| b.get_mut(part)) {
            *slot += 1;
        }
    }
    Some(Buckets {
        size,
        start,
        counts,
    })
}

/// The timeline of the rows `rows` of the time and outcome columns.
pub fn histogram(
    time_ms: &[i64],
    outcome: &[Outcome],
    rows: &[u32],
    max_buckets: usize,
) -> Option<Timeline> {
    buckets(time_ms, rows, max_buckets, |row| {
        outcome.get(row).map(|&o| outcome_index(o))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn bucket_size_follows_the_span() {
        let t0 = ms("2024-03-14T08:00:00Z");
        assert_eq!(BucketSize::for_span(t0, t0, 100), BucketSize::Second);
        assert_eq!(
            BucketSize::for_span(t0, t0 + 50 * SECOND_MS, 100),
            BucketSize::Second
        );
        assert_eq!(
            BucketSize::for_span(t0, t0 + 90 * MINUTE_MS, 100),
            BucketSize::Minute
        );
        assert_eq!(
            BucketSize::for_span(t0, t0 + 30 * HOUR_MS, 100),
            BucketSize::Hour
        );
        assert_eq!(
            BucketSize::for_span(t0, t0 + 20 * DAY_MS, 100),
            BucketSize::Day
        );
        assert_eq!(
            BucketSize::for_span(t0, t0 + 400 * DAY_MS, 100),
            BucketSize::Week
        );
        // Weeks start on Monday: 2024-03-14 was a Thursday.
        assert_eq!(
            BucketSize::Week.floor(ms("2024-03-14T08:00:00Z")),
            ms("2024-03-11T00:00:00Z")
        );
        assert_eq!(BucketSize::Day.floor(-1), -DAY_MS);
    }

    #[test]
    fn a_brush_selects_whole_buckets() {
        let t0 = ms("2024-03-14T00:00:00Z");
        let days = Timeline {
            size: BucketSize::Day,
            start: t0,
            counts: vec![[1, 0, 0]; 10],
        };
        // From inside the third day to inside the fifth, dragged either way.
        assert_eq!(
            days.brush(0.25, 0.45),
            (t0 + 2 * DAY_MS, t0 + 5 * DAY_MS - 1)
        );
        assert_eq!(days.brush(0.45, 0.25), days.brush(0.25, 0.45));
        // Past the edges: the first and last buckets.
        assert_eq!(days.brush(-1.0, 2.0), (t0, t0 + 10 * DAY_MS - 1));
    }

    #[test]
    fn counts_each_selected_row_by_outcome() {
        let t0 = ms("2024-03-14T08:00:00Z");
        let times = [
            t0,
            t0 + 1_000,
            t0 + 2 * HOUR_MS,
            t0 + 2 * HOUR_MS + 5,
            t0 + 3 * HOUR_MS,
        ];
        let outcomes = [
            Outcome::Success,
            Outcome::Failure,
            Outcome::Success,
            Outcome::Unknown,
            Outcome::Success,
        ];
        let timeline = histogram(&times, &outcomes, &[0, 1, 2, 3], 200).unwrap();
        assert_eq!(timeline.size, BucketSize::Minute);
        assert_eq!(timeline.start, t0);
        assert_eq!(timeline.counts.len(), 121);
        assert_eq!(timeline.counts[0], [1, 1, 0]);
        assert_eq!(timeline.counts[120], [1, 0, 1]);
        assert_eq!(timeline.total(120), 2);
        assert_eq!(timeline.max_total(), 2);
        assert_eq!(timeline.end(), t0 + 121 * MINUTE_MS);

        let coarse = histogram(&times, &outcomes, &[0, 4], 3).unwrap();
        assert_eq!(coarse.size, BucketSize::Day);
        assert_eq!(coarse.counts, vec![[2, 0, 0]]);
        assert!(histogram(&times, &outcomes, &[], 100).is_none());
        // Rows out of range are ignored, never a panic.
        assert!(histogram(&times, &outcomes, &[0, 99], 100).is_none());
    }

    #[test]
    fn a_span_of_any_length_draws_a_bounded_number_of_bars() {
        // Two events at Ts = 1 s and 9e15 ms asked for 357 GB of buckets.
        let time_ms = [1_000, 9_000_000_000_000_000];
        let timeline = histogram(&time_ms, &[Outcome::Success; 2], &[0, 1], 240).unwrap();
        assert!(timeline.counts.len() <= 240, "{}", timeline.counts.len());
        assert_eq!(timeline.counts.iter().map(|c| c[0]).sum::<u64>(), 2);
        assert!(matches!(timeline.size, BucketSize::Weeks(_)));
        let extremes = [i64::MIN, i64::MAX];
        let timeline = histogram(&extremes, &[Outcome::Failure; 2], &[0, 1], 240).unwrap();
        assert!(timeline.counts.len() <= 240);
        // Ten thousand years, the most a case holds.
        let size = BucketSize::for_span(crate::time::FIRST_MS, crate::time::LAST_MS, 240);
        assert!(size.count(crate::time::FIRST_MS, crate::time::LAST_MS) <= 240);
    }
}
