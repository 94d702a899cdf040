//! A node's activity over time: events per time bucket, split by category,
//! for the Nodes view's graph. Buckets are sized as the timeline's are.

use super::timeline::BucketSize;
use crate::model::{Category, EventTable};

/// Categories in the order bars are stacked.
pub const CATEGORIES: usize = Category::ALL.len();

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub size: BucketSize,
    pub start: i64,
    /// Per bucket, events per category (indexed by `Category as usize`).
    pub counts: Vec<[u64; CATEGORIES]>,
}

impl Activity {
    pub fn bucket_start(&self, index: usize) -> i64 {
        self.start + index as i64 * self.size.millis()
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

/// The activity of `rows` (ascending, so in time order). `None` when empty.
pub fn activity(events: &EventTable, rows: &[u32], max_buckets: usize) -> Option<Activity> {
    let first = *events.time_ms.get(*rows.first()? as usize)?;
    let last = *events.time_ms.get(*rows.last()? as usize)?;
    let (first, last) = (first.min(last), first.max(last));
    let size = BucketSize::for_span(first, last, max_buckets);
    let start = size.floor(first);
    let buckets = ((size.floor(last) - start) / size.millis() + 1) as usize;
    let mut counts = vec![[0u64; CATEGORIES]; buckets];
    for &row in rows {
        let row = row as usize;
        let (Some(&time), Some(&category)) = (events.time_ms.get(row), events.category.get(row))
        else {
            continue;
        };
        let index = (time - start).div_euclid(size.millis()) as usize;
        if let Some(bucket) = counts.get_mut(index) {
            bucket[category as usize] += 1;
        }
    }
    Some(Activity {
        size,
        start,
        counts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_store::{TestEvent, store_from};
    use crate::query::Selection;

    #[test]
    fn events_are_counted_per_bucket_and_category() {
        let store = store_from(&[
            TestEvent {
                category: Category::Download,
                ..TestEvent::default()
            },
            TestEvent {
                category: Category::Upload,
                ..TestEvent::default()
            },
            TestEvent {
                category: Category::Download,
                ..TestEvent::default()
            },
        ]);
        let rows = Selection::all(&store).rows;
        let activity = activity(&store.events, &rows, 10).unwrap();
        // Three events one minute apart: three one-minute buckets.
        assert_eq!(activity.size, BucketSize::Minute);
        assert_eq!(activity.counts.len(), 3);
        assert_eq!(activity.counts[0][Category::Download as usize], 1);
        assert_eq!(activity.counts[1][Category::Upload as usize], 1);
        assert_eq!(activity.max_total(), 1);
        assert!(super::activity(&store.events, &[], 10).is_none());
    }
}
