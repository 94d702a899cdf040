//! A node's activity over time: events per time bucket, split by category,
//! for the Nodes view's graph. Buckets are sized as the timeline's are.

use super::timeline::{Buckets, buckets};
use crate::model::{Category, EventTable};

/// Categories in the order bars are stacked.
pub const CATEGORIES: usize = Category::ALL.len();

/// Events per time bucket, by category (indexed by `Category as usize`).
pub type Activity = Buckets<CATEGORIES>;

/// The activity of `rows` (ascending, so in time order). `None` when empty.
pub fn activity(events: &EventTable, rows: &[u32], max_buckets: usize) -> Option<Activity> {
    buckets(&events.time_ms, rows, max_buckets, |row| {
        events.category.get(row).map(|&c| c as usize)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::timeline::BucketSize;
    use crate::model::test_store::{TestEvent, store_from};
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
