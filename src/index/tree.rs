//! The node tree of a case: every distinct node path and every folder above
//! it, with parent links. Built once per case from the distinct values of the
//! node-path column, so its size follows the number of paths, not of events.
//! Built without recursion, and every node's path is a span of the path it
//! was first seen in: a path of many components costs its length, not its
//! length times its depth. Paths deeper than `MAX_DEPTH` components stop
//! there: the deepest node's name holds the rest, slashes included.

use hashbrown::{Equivalent, HashMap};
use rustc_hash::FxBuildHasher;

use crate::model::{Interner, NodeType, Store, Symbol, TextField};

/// Index of a node in `NodeTree`.
pub type NodeId = u32;

pub const NO_NODE: NodeId = u32::MAX;

/// The deepest a node lies (a path of 60,000 components overflowed the stack).
pub const MAX_DEPTH: usize = 256;

/// A node's children by name: (parent, name) to child.
type Children = HashMap<(NodeId, Box<str>), NodeId, FxBuildHasher>;

/// A look-up key that borrows the name: no allocation for a node that
/// exists. Hashes as `(NodeId, Box<str>)` does.
#[derive(Hash)]
struct ChildOf<'a>(NodeId, &'a str);

impl Equivalent<(NodeId, Box<str>)> for ChildOf<'_> {
    fn equivalent(&self, key: &(NodeId, Box<str>)) -> bool {
        self.0 == key.0 && self.1 == &*key.1
    }
}

#[derive(Debug, Clone, Default)]
pub struct NodeTree {
    /// The paths nodes were first seen in, one after another; a node's path
    /// is a span of it (`path`).
    text: String,
    /// Start and end in `text` of each node's full path.
    spans: Vec<(usize, usize)>,
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
        let mut children = Children::default();
        tree.of_symbol = column
            .values
            .values()
            .enumerate()
            .map(|(symbol, path)| {
                let path = normalize(path);
                if symbol as Symbol == Interner::EMPTY || path.is_empty() {
                    NO_NODE
                } else {
                    tree.insert(&mut children, &path)
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
        let mut order: Vec<NodeId> = (0..tree.len() as NodeId).collect();
        order.sort_by_key(|&n| tree.depths[n as usize]);
        tree.top_down = order;
        let mut by_name: Vec<NodeId> = (0..tree.len() as NodeId).collect();
        by_name.sort_unstable_by(|&a, &b| tree.path(a).cmp(tree.path(b)));
        tree.by_path = by_name;
        tree
    }

    /// The node for a normalized `path`, creating it and its missing
    /// ancestors, top down: one look-up per component, by parent and name.
    fn insert(&mut self, children: &mut Children, path: &str) -> NodeId {
        // Where each node's path ends: every `/` but a leading one, then
        // the end; at most MAX_DEPTH of them.
        let mut ends: Vec<usize> = path
            .match_indices('/')
            .map(|(i, _)| i)
            .filter(|&i| i > 0)
            .take(MAX_DEPTH - 1)
            .collect();
        ends.push(path.len());
        let mut parent = NO_NODE;
        let mut start = 0;
        // Where `path` was appended to `text`, once a node needs it.
        let mut base = None;
        for (depth, &end) in ends.iter().enumerate() {
            let name = &path[start..end];
            let node = match children.get(&ChildOf(parent, name)) {
                Some(&node) => node,
                None => {
                    let base = *base.get_or_insert_with(|| {
                        let at = self.text.len();
                        self.text.push_str(path);
                        at
                    });
                    let node = self.spans.len() as NodeId;
                    self.spans.push((base, base + end));
                    self.parents.push(parent);
                    self.depths.push(depth as u16);
                    self.folders.push(false);
                    self.files.push(false);
                    children.insert((parent, name.into()), node);
                    node
                }
            };
            if parent != NO_NODE {
                // Something lies beneath it: it is a folder.
                self.folders[parent as usize] = true;
            }
            parent = node;
            start = end + 1;
        }
        parent
    }

    /// A node's full path, e.g. `pydiods1/Investigations/2024-0042`.
    pub fn path(&self, node: NodeId) -> &str {
        let (start, end) = self.spans[node as usize];
        &self.text[start..end]
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
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
            .binary_search_by(|&n| self.path(n).cmp(&path))
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

    /// Items grouped by node, each node's in the order given: `node_of[i]`
    /// is item `i`'s node (`NO_NODE`: left out). A counting sort, so the
    /// items of one node can be read together instead of through one hash
    /// set of millions that misses the cache on every item.
    pub fn group_by_node(&self, node_of: &[NodeId]) -> ByNode {
        let mut starts = vec![0u32; self.len() + 1];
        for &node in node_of.iter().filter(|&&n| n != NO_NODE) {
            starts[node as usize + 1] += 1;
        }
        for n in 1..starts.len() {
            starts[n] += starts[n - 1];
        }
        let mut next = starts.clone();
        let mut items = vec![0u32; starts[self.len()] as usize];
        for (item, &node) in node_of.iter().enumerate() {
            if node != NO_NODE {
                items[next[node as usize] as usize] = item as u32;
                next[node as usize] += 1;
            }
        }
        ByNode { starts, items }
    }

    /// Each node's list rolled up the tree: a node's result is `merge` of
    /// its own list and its children's results. Computed a level at a time
    /// from the deepest up, the nodes of a level on every core.
    pub fn roll_up<T: Clone + Send + Sync>(
        &self,
        own: &[Vec<T>],
        merge: impl Fn(Vec<T>) -> Vec<T> + Sync,
    ) -> Vec<Vec<T>> {
        use rayon::prelude::*;
        let children = self.group_by_node(&self.parents);
        let mut rolled: Vec<Vec<T>> = vec![Vec::new(); self.len()];
        // `top_down` is by depth: its levels, from the deepest up.
        let levels: Vec<&[NodeId]> = self
            .top_down
            .chunk_by(|&a, &b| self.depths[a as usize] == self.depths[b as usize])
            .collect();
        for level in levels.into_iter().rev() {
            let lists: Vec<Vec<T>> = level
                .par_iter()
                .map(|&node| {
                    let mut list = own.get(node as usize).cloned().unwrap_or_default();
                    let kids = children.of(node);
                    if kids.is_empty() {
                        return list;
                    }
                    for &child in kids {
                        list.extend_from_slice(&rolled[child as usize]);
                    }
                    merge(list)
                })
                .collect();
            for (&node, list) in level.iter().zip(lists) {
                rolled[node as usize] = list;
            }
        }
        rolled
    }

    /// The node and its ancestors, nearest first.
    pub fn ancestry(&self, node: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors((node != NO_NODE).then_some(node), move |&n| {
            let parent = self.parents[n as usize];
            (parent != NO_NODE).then_some(parent)
        })
    }
}

/// Items grouped by node (see `NodeTree::group_by_node`).
#[derive(Debug, Clone, Default)]
pub struct ByNode {
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl ByNode {
    /// The items of `node`, in the order they were given.
    pub fn of(&self, node: NodeId) -> &[u32] {
        let n = node as usize;
        match (self.starts.get(n), self.starts.get(n + 1)) {
            (Some(&from), Some(&to)) => &self.items[from as usize..to as usize],
            _ => &[],
        }
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
        let mut paths: Vec<&str> = (0..tree.len() as NodeId).map(|n| tree.path(n)).collect();
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
        let mut paths: Vec<&str> = (0..tree.len() as NodeId).map(|n| tree.path(n)).collect();
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
        let up: Vec<&str> = tree.ancestry(file).map(|n| tree.path(n)).collect();
        assert_eq!(up, ["ds/a/b/file.txt", "ds/a/b", "ds/a", "ds"]);
        let position = |n: NodeId| tree.top_down.iter().position(|&x| x == n).unwrap();
        assert!(position(tree.find("ds").unwrap()) < position(b));
    }

    #[test]
    fn a_path_of_sixty_thousand_components_is_cut_at_the_maximum_depth() {
        // Overflowed the stack (one recursion per component) and stored
        // every ancestor's path whole before.
        let deep: &'static str = vec!["d"; 60_000].join("/").leak();
        let store = store_of(&[("alice", "Read", deep, NodeType::File)]);
        let tree = NodeTree::build(&store);
        assert_eq!(tree.len(), MAX_DEPTH);
        let node = tree.find(deep).expect("the full path is a node");
        assert_eq!(tree.path(node), deep);
        assert_eq!(tree.depths[node as usize] as usize, MAX_DEPTH - 1);
        assert_eq!(tree.ancestry(node).count(), MAX_DEPTH);
        // Each node's path is a span of the one path: no copies.
        assert_eq!(tree.text.len(), deep.len());
    }
}
