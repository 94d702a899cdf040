//! The node tree of a case: every distinct node path and every folder above
//! it, with parent links. Built once per case from the distinct values of the
//! node-path column, so its size follows the number of paths, not of events.

use rustc_hash::FxHashMap;

use crate::model::{Interner, NodeType, Store, Symbol, TextField};

/// Index of a node in `NodeTree`.
pub type NodeId = u32;

pub const NO_NODE: NodeId = u32::MAX;

#[derive(Debug, Clone, Default)]
pub struct NodeTree {
    /// Full path of each node, e.g. `pydiods1/Investigations/2024-0042`.
    pub paths: Vec<String>,
    /// Parent of each node, `NO_NODE` for a top-level node.
    pub parents: Vec<NodeId>,
    pub depths: Vec<u16>,
    /// Whether any event names the node as a folder, or a node lies beneath it.
    pub folders: Vec<bool>,
    /// Whether any event names the node as a file.
    pub files: Vec<bool>,
    /// Node of each symbol of the node-path column (`NO_NODE` for the empty path).
    pub of_symbol: Vec<NodeId>,
    /// Node ids ordered so that every parent comes before its children.
    pub top_down: Vec<NodeId>,
    /// Node ids in path order, for `find`.
    by_path: Vec<NodeId>,
}

/// A path as a node: no trailing or repeated `/` (`a//b/` is `a/b`).
pub fn normalize(path: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = path.trim_end_matches('/');
    if !trimmed.contains("//") {
        return std::borrow::Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    for (i, part) in trimmed.split('/').enumerate() {
        // Keep a leading `/`, drop empty segments elsewhere.
        if part.is_empty() && i > 0 {
            continue;
        }
        if i > 0 {
            out.push('/');
        }
        out.push_str(part);
    }
    std::borrow::Cow::Owned(out)
}

impl NodeTree {
    pub fn build(store: &Store) -> NodeTree {
        let mut tree = NodeTree::default();
        let Some(column) = store.events.interned(TextField::NodePath) else {
            return tree;
        };
        let mut by_path: FxHashMap<String, NodeId> = FxHashMap::default();
        tree.of_symbol = column
            .values
            .values()
            .enumerate()
            .map(|(symbol, path)| {
                let path = normalize(path);
                if symbol as Symbol == Interner::EMPTY || path.is_empty() {
                    NO_NODE
                } else {
                    tree.insert(&mut by_path, &path)
                }
            })
            .collect();
        for (symbol, node_type) in column.rows.iter().zip(&store.events.node_type) {
            let node = tree.of_symbol[*symbol as usize];
            if node == NO_NODE {
                continue;
            }
            match node_type {
                NodeType::Folder => tree.folders[node as usize] = true,
                NodeType::File => tree.files[node as usize] = true,
                NodeType::Unknown => {}
            }
        }
        let mut order: Vec<NodeId> = (0..tree.paths.len() as NodeId).collect();
        order.sort_by_key(|&n| tree.depths[n as usize]);
        tree.top_down = order;
        let mut by_name: Vec<NodeId> = (0..tree.paths.len() as NodeId).collect();
        by_name.sort_unstable_by(|&a, &b| tree.paths[a as usize].cmp(&tree.paths[b as usize]));
        tree.by_path = by_name;
        tree
    }

    /// The node for `path`, creating it and its missing ancestors.
    fn insert(&mut self, by_path: &mut FxHashMap<String, NodeId>, path: &str) -> NodeId {
        if let Some(&node) = by_path.get(path) {
            return node;
        }
        let (parent, depth) = match path.rfind('/') {
            Some(cut) if cut > 0 => {
                let parent = self.insert(by_path, &path[..cut]);
                // Something lies beneath it: it is a folder.
                self.folders[parent as usize] = true;
                (parent, self.depths[parent as usize] + 1)
            }
            _ => (NO_NODE, 0),
        };
        let node = self.paths.len() as NodeId;
        self.paths.push(path.to_string());
        self.parents.push(parent);
        self.depths.push(depth);
        self.folders.push(false);
        self.files.push(false);
        by_path.insert(path.to_string(), node);
        node
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    pub fn node_of(&self, path_symbol: Symbol) -> NodeId {
        self.of_symbol
            .get(path_symbol as usize)
            .copied()
            .unwrap_or(NO_NODE)
    }

    pub fn find(&self, path: &str) -> Option<NodeId> {
        let path = normalize(path);
        self.by_path
            .binary_search_by(|&n| self.paths[n as usize].as_str().cmp(&path))
            .ok()
            .map(|i| self.by_path[i])
    }

    /// The node type shown for a node: what events say, a folder when
    /// something lies beneath it.
    pub fn node_type(&self, node: NodeId) -> NodeType {
        let i = node as usize;
        if self.folders[i] {
            NodeType::Folder
        } else if self.files[i] {
            NodeType::File
        } else {
            NodeType::Unknown
        }
    }

    /// The node and its ancestors, nearest first.
    pub fn ancestry(&self, node: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors((node != NO_NODE).then_some(node), move |&n| {
            let parent = self.parents[n as usize];
            (parent != NO_NODE).then_some(parent)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_store::store_of;

    #[test]
    fn slashes_alone_or_doubled_make_no_node() {
        let store = store_of(&[
            ("alice", "Read", "/", NodeType::Folder),
            ("alice", "Read", "a//b/", NodeType::File),
            ("alice", "Read", "/c/d", NodeType::File),
        ]);
        let tree = NodeTree::build(&store);
        let mut paths = tree.paths.clone();
        paths.sort();
        assert_eq!(paths, ["/c", "/c/d", "a", "a/b"]);
        assert_eq!(tree.find("a/b/"), tree.find("a//b"));
        assert!(tree.find("a/b").is_some());
        assert_eq!(normalize("x///y//"), "x/y");
    }

    #[test]
    fn ancestors_are_created_once_and_marked_as_folders() {
        let store = store_of(&[
            ("alice", "Read", "ds/a/b/file.txt", NodeType::File),
            ("alice", "Read", "ds/a/c", NodeType::Unknown),
            ("bob", "Read", "ds/a/b/", NodeType::Folder),
        ]);
        let tree = NodeTree::build(&store);
        let mut paths = tree.paths.clone();
        paths.sort();
        assert_eq!(paths, ["ds", "ds/a", "ds/a/b", "ds/a/b/file.txt", "ds/a/c"]);
        let b = tree.find("ds/a/b").unwrap();
        let file = tree.find("ds/a/b/file.txt").unwrap();
        assert_eq!(tree.node_type(b), NodeType::Folder);
        assert_eq!(tree.node_type(file), NodeType::File);
        assert_eq!(
            tree.node_type(tree.find("ds/a/c").unwrap()),
            NodeType::Unknown
        );
        let up: Vec<&str> = tree
            .ancestry(file)
            .map(|n| tree.paths[n as usize].as_str())
            .collect();
        assert_eq!(up, ["ds/a/b/file.txt", "ds/a/b", "ds/a", "ds"]);
        let position = |n: NodeId| tree.top_down.iter().position(|&x| x == n).unwrap();
        assert!(position(tree.find("ds").unwrap()) < position(b));
    }
}
