//! The figures of one node or resource, and how a folder adds its children's.

use crate::model::Access;

#[derive(Debug, Clone, Default)]
pub(super) struct Figures {
    pub(super) events: u64,
    pub(super) reads: u64,
    pub(super) writes: u64,
    pub(super) readers: u64,
    pub(super) writers: u64,
    pub(super) first: Option<i64>,
    pub(super) last_update: Option<i64>,
    pub(super) last_activity: Option<i64>,
}

impl Figures {
    pub(super) fn add_row(&mut self, time: i64, access: Access, succeeded: bool) {
        self.events += 1;
        self.first = Some(self.first.map_or(time, |f| f.min(time)));
        self.last_activity = Some(self.last_activity.map_or(time, |l| l.max(time)));
        match access {
            Access::Read => self.reads += 1,
            Access::Write => {
                self.writes += 1;
                if succeeded {
                    self.last_update = Some(self.last_update.map_or(time, |l| l.max(time)));
                }
            }
            Access::None => {}
        }
    }

    pub(super) fn add(&mut self, other: &Figures) {
        self.events += other.events;
        self.reads += other.reads;
        self.writes += other.writes;
        let min = |a: Option<i64>, b: Option<i64>| match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let max = |a: Option<i64>, b: Option<i64>| a.max(b);
        self.first = min(self.first, other.first);
        self.last_update = max(self.last_update, other.last_update);
        self.last_activity = max(self.last_activity, other.last_activity);
    }
}
