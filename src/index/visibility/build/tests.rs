//! Tests of `index::visibility::build`.

use super::*;
use crate::model::test_store::{TestEvent, store_from};
use crate::model::{Category, NodeType};

/// The first way this was computed: one set of (node, actor, access)
/// for the whole case, and each sighting walked up its ancestry.
fn by_ancestry(store: &Store, tree: &NodeTree) -> (Vec<Vec<Seen>>, Vec<Vec<Seen>>) {
    let events = &store.events;
    let paths = events.interned(TextField::NodePath).unwrap();
    let actors = events.interned(TextField::Actor).unwrap();
    let mut direct = vec![Vec::new(); tree.len()];
    let mut below = vec![Vec::new(); tree.len()];
    let (mut known_direct, mut known_below) = (FxHashSet::default(), FxHashSet::default());
    for row in 0..events.len() {
        let node = tree.node_of(paths.rows[row]);
        let (actor, access) = (actors.rows[row], events.category[row].access());
        if node == NO_NODE
            || actor == Interner::EMPTY
            || access == Access::None
            || events.outcome[row] == Outcome::Failure
        {
            continue;
        }
        let seen = Seen {
            actor,
            access,
            row: row as u32,
        };
        if known_direct.insert((node, actor, access)) {
            direct[node as usize].push(seen);
            for n in tree.ancestry(node) {
                if known_below.insert((n, actor, access)) {
                    below[n as usize].push(seen);
                }
            }
        }
    }
    (direct, below)
}

#[test]
fn sightings_by_node_and_beneath_match_a_walk_up_each_ancestry() {
    const ACTORS: [&str; 5] = ["", "a", "b", "c", "user-d"];
    const PATHS: [&str; 9] = [
        "x",
        "x/y",
        "x/y/z.pdf",
        "x/w.pdf",
        "q",
        "q/r/s",
        "",
        "x//y/t",
        "q/r",
    ];
    const CATEGORIES: [Category; 5] = [
        Category::Read,
        Category::Modify,
        Category::List,
        Category::Login,
        Category::Delete,
    ];
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for _ in 0..200 {
        let events: Vec<TestEvent> = (0..next(40))
            .map(|_| TestEvent {
                actor: ACTORS[next(ACTORS.len())],
                path: PATHS[next(PATHS.len())],
                node_type: NodeType::File,
                category: CATEGORIES[next(CATEGORIES.len())],
                outcome: if next(6) == 0 {
                    Outcome::Failure
                } else {
                    Outcome::Success
                },
                ..TestEvent::default()
            })
            .collect();
        let store = store_from(&events);
        let tree = NodeTree::build(&store);
        let visibility = Visibility::build(&store, &tree);
        let (direct, below) = by_ancestry(&store, &tree);
        assert_eq!(visibility.seen_direct, direct, "{events:?}");
        assert_eq!(visibility.seen_below, below, "{events:?}");
    }
}
