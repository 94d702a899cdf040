//! Chunks of a file are parsed in parallel and finish in any order; they
//! join the case in file order, so a file already in time order needs no
//! sort after loading. `FileOrder` holds the early ones until their turn.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

#[derive(Debug)]
pub struct FileOrder<T> {
    /// Per source, the index of the chunk whose turn it is.
    next: FxHashMap<u32, u64>,
    waiting: BTreeMap<(u32, u64), T>,
}

impl<T> Default for FileOrder<T> {
    fn default() -> Self {
        FileOrder {
            next: FxHashMap::default(),
            waiting: BTreeMap::new(),
        }
    }
}

impl<T> FileOrder<T> {
    /// Takes chunk `index` of `source`; returns the chunks of that source
    /// whose turn has come, in order (none while an earlier one is missing).
    pub fn push(&mut self, source: u32, index: u64, item: T) -> Vec<T> {
        self.waiting.insert((source, index), item);
        let expected = self.next.entry(source).or_insert(0);
        let mut ready = Vec::new();
        while let Some(item) = self.waiting.remove(&(source, *expected)) {
            ready.push(item);
            *expected += 1;
        }
        ready
    }

    /// How many chunks wait for an earlier one.
    #[cfg(test)]
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// What still waits (a cancelled load leaves gaps), in file order.
    pub fn into_rest(self) -> impl Iterator<Item = T> {
        self.waiting.into_values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_come_out_in_file_order_per_source() {
        let mut order = FileOrder::default();
        assert!(order.push(0, 1, "a1").is_empty());
        assert_eq!(order.push(1, 0, "b0"), ["b0"]);
        assert!(order.push(0, 2, "a2").is_empty());
        assert_eq!(order.waiting(), 2);
        assert_eq!(order.push(0, 0, "a0"), ["a0", "a1", "a2"]);
        assert_eq!(order.push(1, 1, "b1"), ["b1"]);
        assert_eq!(order.waiting(), 0);
    }

    #[test]
    fn gaps_left_by_a_cancelled_load_come_out_in_order() {
        let mut order = FileOrder::default();
        assert!(order.push(0, 3, "a3").is_empty());
        assert!(order.push(0, 1, "a1").is_empty());
        assert!(order.push(1, 2, "b2").is_empty());
        assert_eq!(order.into_rest().collect::<Vec<_>>(), ["a1", "a3", "b2"]);
    }
}
