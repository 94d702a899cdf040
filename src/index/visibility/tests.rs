//! Tests of `index::visibility`.

use super::*;
use crate::model::test_store::{TestEvent, store_from};
use crate::model::{Category, NodeType, Outcome, ResourceKind};

fn lines(store: &Store, path: &str) -> Vec<(String, &'static str)> {
    let tree = NodeTree::build(store);
    let vis = Visibility::build(store, &tree);
    let node = tree.find(path).unwrap();
    vis.visible_by(store, &tree, node)
        .into_iter()
        .map(|l| (l.principal, l.reason.as_str()))
        .collect()
}

#[test]
fn creators_own_readers_of_a_folder_see_beneath_it() {
    let store = store_from(&[
        TestEvent {
            actor: "alice",
            action: "Created node",
            path: "ds/case",
            category: Category::Create,
            node_type: NodeType::Folder,
            ..TestEvent::default()
        },
        TestEvent {
            actor: "bob",
            action: "Listed folder",
            path: "ds/case",
            category: Category::List,
            ..TestEvent::default()
        },
        TestEvent {
            actor: "carol",
            action: "Retrieved object",
            path: "ds/case/a.pdf",
            category: Category::Download,
            ..TestEvent::default()
        },
        TestEvent {
            actor: "dave",
            action: "Retrieved object",
            path: "ds/case/b.pdf",
            outcome: Outcome::Failure,
            ..TestEvent::default()
        },
    ]);
    assert_eq!(
        lines(&store, "ds/case/a.pdf"),
        [
            ("alice".to_string(), "owner"),
            ("bob".to_string(), "seen in the folder above"),
            ("carol".to_string(), "seen reading"),
        ]
    );
    // carol read something beneath: she could see the folder; dave failed.
    assert_eq!(
        lines(&store, "ds/case"),
        [
            ("alice".to_string(), "owner"),
            ("alice".to_string(), "seen writing"),
            ("bob".to_string(), "seen reading"),
            ("carol".to_string(), "seen reading"),
        ]
    );
}

#[test]
fn an_invitation_grants_the_project_and_a_revocation_is_recorded() {
    let project = "project-P1";
    let store = store_from(&[
        TestEvent {
            actor: "user-owner",
            action: "project-invite",
            path: "Proj",
            resource: project,
            kind: ResourceKind::Project,
            category: Category::Share,
            details: r#"{"invitee":"user-kim","level":"VIEW"}"#,
            ..TestEvent::default()
        },
        TestEvent {
            actor: "user-owner",
            action: "project-decreasePermissions",
            path: "Proj",
            resource: project,
            kind: ResourceKind::Project,
            category: Category::Permission,
            details: r#"{"user-kim":null}"#,
            ..TestEvent::default()
        },
    ]);
    let tree = NodeTree::build(&store);
    let vis = Visibility::build(&store, &tree);
    let node = tree.find("Proj").unwrap();
    let kim = vis
        .visible_by(&store, &tree, node)
        .into_iter()
        .find(|l| l.principal == "user-kim")
        .unwrap();
    assert_eq!(kim.reason, Reason::Granted);
    assert_eq!(kim.detail, "invited with VIEW access");
    assert_eq!(kim.evidence.line, 1);
    assert_eq!(kim.revoked.unwrap().evidence.line, 2);
    let set = vis.visible_to(&store, &tree, &["kim".to_string()]);
    assert!(set.by_path.iter().any(|&ok| ok));
    let nobody = vis.visible_to(&store, &tree, &["zoe".to_string()]);
    assert!(!nobody.by_path.iter().any(|&ok| ok));
}

#[test]
fn listing_a_folder_shows_its_children_not_what_lies_deeper() {
    let store = store_from(&[
        TestEvent {
            actor: "bob",
            action: "Listed folder",
            path: "ds",
            category: Category::List,
            ..TestEvent::default()
        },
        TestEvent {
            actor: "carol",
            action: "Retrieved object",
            path: "ds/case/deep.pdf",
            category: Category::Download,
            ..TestEvent::default()
        },
    ]);
    let bob = |path| {
        lines(&store, path)
            .into_iter()
            .any(|(principal, _)| principal == "bob")
    };
    assert!(bob("ds/case"));
    assert!(!bob("ds/case/deep.pdf"));
    let tree = NodeTree::build(&store);
    let vis = Visibility::build(&store, &tree);
    let set = vis.visible_to(&store, &tree, &["bob".to_string()]);
    let paths = store.events.interned(TextField::NodePath).unwrap();
    let deep = paths.values.lookup("ds/case/deep.pdf").unwrap();
    assert!(!set.by_path[deep as usize]);
}

#[test]
fn a_reinvitation_and_access_from_before_the_logs_are_listed() {
    let project = "project-P1";
    let event = |action, details| TestEvent {
        actor: "user-owner",
        action,
        path: "Proj",
        resource: project,
        kind: ResourceKind::Project,
        category: Category::Share,
        details,
        ..TestEvent::default()
    };
    let store = store_from(&[
        event("project-invite", r#"{"invitee":"user-kim","level":"VIEW"}"#),
        event("project-decreasePermissions", r#"{"user-kim":null}"#),
        event(
            "project-invite",
            r#"{"invitee":"user-kim","level":"UPLOAD"}"#,
        ),
        event("project-decreasePermissions", r#"{"user-lee":"VIEW"}"#),
    ]);
    let tree = NodeTree::build(&store);
    let vis = Visibility::build(&store, &tree);
    let node = tree.find("Proj").unwrap();
    let all = vis.visible_by(&store, &tree, node);
    let kim: Vec<_> = all.iter().filter(|l| l.principal == "user-kim").collect();
    assert_eq!(kim.len(), 2);
    assert!(kim[0].revoked.is_some());
    assert_eq!(kim[1].detail, "invited with UPLOAD access");
    assert!(kim[1].revoked.is_none());
    let lee = all.iter().find(|l| l.principal == "user-lee").unwrap();
    assert_eq!(lee.reason, Reason::Granted);
    assert_eq!(
        lee.detail,
        "had access before the loaded logs, lowered to VIEW"
    );
    assert_eq!(lee.evidence.line, 4);
}

#[test]
fn personal_folders_name_their_login() {
    use build::personal_root;
    assert_eq!(
        personal_root("personal/bob/x/y"),
        Some(("personal/bob", "bob"))
    );
    assert_eq!(
        personal_root("ds/personal/bob"),
        Some(("ds/personal/bob", "bob"))
    );
    assert_eq!(personal_root("ds/common/personal/bob"), None);
}
