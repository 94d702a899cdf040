//! What is computed once per case, after loading: the node tree and the
//! visibility evidence. Figures that depend on the filter are computed per
//! view from it (`nodes`, `requests`).

use super::tree::NodeTree;
use super::visibility::Visibility;
use crate::model::Store;

#[derive(Debug, Clone, Default)]
pub struct CaseIndex {
    pub tree: NodeTree,
    pub visibility: Visibility,
}

impl CaseIndex {
    pub fn build(store: &Store) -> CaseIndex {
        let tree = NodeTree::build(store);
        let visibility = Visibility::build(store, &tree);
        CaseIndex { tree, visibility }
    }
}
