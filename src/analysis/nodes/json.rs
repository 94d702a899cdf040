//! The JSON shape of `auditview nodes --json`: a Nodes view row and who
//! could see it, with the proof.

use serde::Serialize;

use super::{NodeRow, visible_by};
use crate::index::Case;
use crate::index::visibility::VisibleByJson;

/// One object per entry: the row's fields, then `visible_by`.
#[derive(Debug, Clone, Serialize)]
pub struct NodeJson<'r> {
    #[serde(flatten)]
    pub row: &'r NodeRow,
    pub visible_by: Vec<VisibleByJson>,
}

impl<'r> NodeJson<'r> {
    pub fn new(case: &Case, row: &'r NodeRow) -> NodeJson<'r> {
        NodeJson {
            row,
            visible_by: visible_by(case, row)
                .iter()
                .map(|line| VisibleByJson::new(&case.store, line))
                .collect(),
        }
    }
}
