//! Rejects kept in detail, within a limit per file: the first ones by line,
//! whatever order the chunks are parsed in; the rest are counted, with the
//! first and last of their lines. A file of millions of bad lines costs a
//! bounded amount of memory, and every reject is still accounted for.

use std::collections::BinaryHeap;

use rustc_hash::FxHashMap;

use crate::model::{OmittedRejects, Reject};

/// A reject ordered by its line, for the heap of the ones kept.
struct ByLine(Reject);

impl PartialEq for ByLine {
    fn eq(&self, other: &Self) -> bool {
        self.0.line == other.0.line
    }
}

impl Eq for ByLine {}

impl PartialOrd for ByLine {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ByLine {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.line.cmp(&other.0.line)
    }
}

/// One file's rejects: the lowest lines kept (a max-heap, so the highest
/// kept is the one to give up), the others counted.
struct FileRejects {
    kept: BinaryHeap<ByLine>,
    omitted: Option<OmittedRejects>,
}

/// Every file's rejects, up to `limit` kept in detail per file.
pub struct KeptRejects {
    limit: usize,
    files: FxHashMap<u32, FileRejects>,
}

impl KeptRejects {
    pub fn new(limit: usize) -> KeptRejects {
        KeptRejects {
            limit,
            files: FxHashMap::default(),
        }
    }

    /// Adds rejects of one source (lines already in file numbering).
    pub fn add(&mut self, source: u32, rejects: Vec<Reject>) {
        let limit = self.limit;
        let file = self.files.entry(source).or_insert_with(|| FileRejects {
            kept: BinaryHeap::new(),
            omitted: None,
        });
        for reject in rejects {
            file.kept.push(ByLine(reject));
            if file.kept.len() > limit
                && let Some(ByLine(out)) = file.kept.pop()
            {
                file.omit(out.line, 1);
            }
        }
    }

    /// Counts rejects not kept at all (dropped before they reached here).
    pub fn omit(&mut self, source: u32, first_line: u64, last_line: u64, count: u64) {
        let file = self.files.entry(source).or_insert_with(|| FileRejects {
            kept: BinaryHeap::new(),
            omitted: None,
        });
        file.omit(first_line, count.saturating_sub(1));
        file.omit(last_line, 1);
    }

    /// The kept rejects, and per file the ones only counted.
    pub fn into_parts(self) -> (Vec<Reject>, Vec<OmittedRejects>) {
        let mut kept = Vec::new();
        let mut omitted = Vec::new();
        for (source, file) in self.files {
            kept.extend(file.kept.into_iter().map(|ByLine(r)| r));
            if let Some(mut o) = file.omitted {
                o.source = source;
                omitted.push(o);
            }
        }
        omitted.sort_by_key(|o| o.source);
        (kept, omitted)
    }
}

impl FileRejects {
    /// Counts `count` rejects at `line` (zero widens the span alone).
    fn omit(&mut self, line: u64, count: u64) {
        let o = self.omitted.get_or_insert(OmittedRejects {
            source: 0,
            count: 0,
            first_line: line,
            last_line: line,
        });
        o.count += count;
        o.first_line = o.first_line.min(line);
        o.last_line = o.last_line.max(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reject(line: u64) -> Reject {
        let mut r = Reject::new(line, crate::model::RejectKind::Malformed, "bad", b"x");
        r.source = 0;
        r
    }

    #[test]
    fn the_first_lines_are_kept_whatever_order_they_arrive_in() {
        let mut kept = KeptRejects::new(3);
        kept.add(0, vec![reject(50), reject(60)]);
        kept.add(0, vec![reject(10), reject(20), reject(30), reject(40)]);
        kept.omit(0, 100, 200, 5);
        let (rejects, omitted) = kept.into_parts();
        let mut lines: Vec<u64> = rejects.iter().map(|r| r.line).collect();
        lines.sort_unstable();
        assert_eq!(lines, [10, 20, 30]);
        assert_eq!(omitted.len(), 1);
        let o = &omitted[0];
        assert_eq!((o.count, o.first_line, o.last_line), (3 + 5, 40, 200));
    }
}
