//! The timeline histogram: matched events per time bucket, split by outcome.
//! The bucket size is chosen from the span so that the chart stays readable.

use crate::model::Outcome;
use crate::time::{DAY_MS, HOUR_MS, MINUTE_MS, WEEK_MS};

/// The width of one bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BucketSize {
    Minute,
    Hour,
    Day,
    Week,
}

impl BucketSize {
    pub const ALL: [BucketSize; 4] = [
        BucketSize::Minute,
        BucketSize::Hour,
        BucketSize::Day,
        BucketSize::Week,
    ];

    pub fn millis(self) -> i64 {
        match self {
            BucketSize::Minute => MINUTE_MS,
            BucketSize::Hour => HOUR_MS,
            BucketSize::Day => DAY_MS,
            BucketSize::Week => WEEK_MS,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            BucketSize::Minute => "minute",
            BucketSize::Hour => "hour",
            BucketSize::Day => "day",
            BucketSize::Week => "week",
        }
    }

    /// The start of the bucket holding `ms` (UTC). Weeks start on Monday.
    pub fn floor(self, ms: i64) -> i64 {
        // 1970-01-01 was a Thursday: Monday 1969-12-29 is 3 days before.
        let origin = if self == BucketSize::Week {
            -3 * DAY_MS
        } else {
            0
        };
        let width = self.millis();
        origin + (ms - origin).div_euclid(width) * width
    }

    /// The smallest size that covers `first..=last` in at most `max_buckets` bars
    /// (weeks when even days are too many).
    pub fn for_span(first: i64, last: i64, max_buckets: usize) -> BucketSize {
        let max = max_buckets.max(1) as i64;
        BucketSize::ALL
            .into_iter()
            .find(|size| {
                let count = (size.floor(last) - size.floor(first)) / size.millis() + 1;
                count <= max
            })
            .unwrap_or(BucketSize::Week)
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
        self.start + index as i64 * self.size.millis()
    }

    pub fn end(&self) -> i64 {
        self.bucket_start(self.counts.len())
    }

    pub fn total(&self, index: usize) -> u64 {
        self.counts.get(index).map_or(0, |c| c.iter().sum())
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
    let buckets = ((size.floor(last) - start) / size.millis() + 1) as usize;
    let mut counts = vec![[0u64; N]; buckets];
    for &row in rows {
        let row = row as usize;
        let (Some(&time), Some(part)) = (time_ms.get(row), split(row)) else {
            continue;
        };
        let index = ((time - start).div_euclid(size.millis())) as usize;
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
        assert_eq!(BucketSize::for_span(t0, t0, 100), BucketSize::Minute);
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
}
