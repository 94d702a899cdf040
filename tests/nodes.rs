//! `auditview nodes`, `requests` and `--visible-by` on a hand-made case
//! (tests/fixtures/nodes): every expected figure is counted from the
//! fixture's lines, see tests/fixtures/README.md.

use serde_json::Value;

const CASE: &str = "tests/fixtures/nodes";

fn json(args: &[&str]) -> Value {
    let run = crate::support::cli::run(args, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON on stdout")
}

fn entry<'v>(entries: &'v Value, entry: &str, path: &str) -> &'v Value {
    entries
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry"] == entry && e["path"] == path)
        .unwrap_or_else(|| panic!("no {entry} {path} in {entries:#}"))
}

fn visible<'v>(e: &'v Value, principal: &str, reason: &str) -> &'v Value {
    e["visible_by"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["principal"] == principal && v["reason"] == reason)
        .unwrap_or_else(|| panic!("{principal} ({reason}) not in {e:#}"))
}

#[test]
fn folders_roll_up_what_lies_beneath() {
    let nodes = json(&["nodes", CASE, "--json"]);
    let case = entry(&nodes, "node", "ds/case");
    // a.jpg and b.jpg read by two link visitors; notes.txt written 3 times by alice.
    assert_eq!(case["type"], "folder");
    assert_eq!(
        [
            &case["events"],
            &case["reads"],
            &case["writes"],
            &case["readers"],
            &case["writers"]
        ],
        [5, 2, 3, 2, 1]
    );
    assert_eq!(case["last_update"], "2024-05-02T11:00:03Z");
    assert_eq!(case["last_activity"], "2024-05-02T11:00:03Z");
    assert_eq!(case["first"], "2024-05-02T08:00:05Z");
    assert_eq!(entry(&nodes, "node", "ds/case/photos")["events"], 2);
    assert_eq!(entry(&nodes, "node", "Study A")["events"], 5);
}

#[test]
fn the_owner_is_learned_from_the_creation_event() {
    let nodes = json(&["nodes", CASE, "--json"]);
    let file = entry(&nodes, "node", "Study A/raw/r1.fq");
    assert_eq!(file["owner"], "user-olivia");
    let owner = visible(file, "user-olivia", "owner");
    assert_eq!(owner["evidence"]["line"], 3, "file-new is on line 3");
    assert!(
        owner["evidence"]["path"]
            .as_str()
            .unwrap()
            .ends_with("audit_trail_2024-05-01.csv")
    );
    let notes = entry(&nodes, "node", "ds/case/notes.txt");
    assert_eq!(notes["owner"], "alice");
}

#[test]
fn a_project_invitation_grants_visibility_until_it_is_revoked() {
    let nodes = json(&["nodes", CASE, "--json", "--kind", "project"]);
    let project = entry(&nodes, "resource", "Study A");
    assert_eq!(project["owner"], "user-olivia");
    let kim = visible(project, "user-kim", "granted");
    assert_eq!(kim["detail"], "invited with VIEW access");
    assert_eq!(kim["evidence"]["line"], 4);
    assert_eq!(kim["revoked"]["evidence"]["line"], 6);
    assert_eq!(kim["revoked"]["time"], "2024-05-01T11:00:00Z");
    // Visible by kim: the five events of the project, nothing of Pydio's.
    let inspect = json(&["inspect", CASE, "--json", "--visible-by", "kim"]);
    assert_eq!(inspect["matched"], 5);
}

#[test]
fn a_public_link_lists_its_temporary_visitors_and_their_addresses() {
    let nodes = json(&["nodes", CASE, "--json", "--kind", "link"]);
    let link = entry(&nodes, "resource", "ds/case/photos");
    assert_eq!(link["kind"], "public_link");
    assert_eq!(link["resource"], "Photos");
    assert_eq!(link["owner"], "alice");
    let visitors = link["visitors"].as_array().unwrap();
    assert_eq!(visitors.len(), 2);
    assert_eq!(visitors[0]["name"], "t-one");
    assert_eq!(
        visitors[0]["ips"],
        serde_json::json!(["198.51.100.1", "2001:db8::3"])
    );
    assert_eq!(visitors[0]["events"], 3);
    assert_eq!(visitors[0]["temporary"], true);
    assert_eq!(visitors[1]["name"], "t-two");
    assert_eq!(visitors[1]["ips"], serde_json::json!(["198.51.100.2"]));
    assert_eq!(
        link["flags"],
        serde_json::json!(["opened from 3 IP addresses", "2 unknown visitors"])
    );
    assert_eq!(
        visible(link, "t-two", "public-link visitor")["evidence"]["line"],
        4
    );
    // t-two could see the link's six events; alice's upload is not on it.
    let inspect = json(&["inspect", CASE, "--json", "--visible-by", "t-two"]);
    assert_eq!(inspect["matched"], 6);
}

#[test]
fn the_lines_of_one_request_are_grouped() {
    let requests = json(&["requests", CASE, "--json"]);
    let all = requests.as_array().unwrap();
    assert_eq!(all.len(), 4, "s-share, s-a, s-b and req-1");
    let upload = all.iter().find(|r| r["request"] == "req-1").unwrap();
    assert_eq!(upload["events"], 3);
    assert_eq!(upload["duration_ms"], 3000);
    assert_eq!(upload["actor"], "alice");
    assert_eq!(
        upload["summary"],
        "Uploaded node, Modified object, Created node"
    );
    let lines: Vec<&Value> = upload["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["line"])
        .collect();
    assert_eq!(lines, [7, 8, 9]);
    let only = json(&["inspect", CASE, "--json", "--request", "req-1"]);
    assert_eq!(only["matched"], 3);
}

#[test]
fn the_text_tables_name_the_flags() {
    let run = crate::support::cli::run(["nodes", CASE, "--kind", "link"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("! opened from 3 IP addresses"),
        "{}",
        run.stdout
    );
    let run = crate::support::cli::run(["requests", CASE], &[]);
    assert!(run.stdout.contains("4 requests"), "{}", run.stdout);
}

/// The list and the filter tell the same story: whoever a node's visible-by
/// list names, `--visible-by` selects that node, and no one else.
#[test]
fn the_visible_by_list_and_the_filter_agree() {
    use auditview::model::TextField;
    use auditview::sources::{LoadProgress, load};

    for case in ["assets/samples", CASE] {
        let loaded = load(
            &[crate::support::cli::crate_dir().join(case)],
            &LoadProgress::default(),
        );
        let opened = auditview::index::Case::new(loaded.store);
        let store = &opened.store;
        let index = opened.index();
        let tree = &index.tree;
        let paths = store.events.interned(TextField::NodePath).unwrap();
        for (principal, _) in &index.principals {
            let set = index
                .visibility
                .visible_to(store, tree, std::slice::from_ref(principal));
            for (symbol, path) in paths.values.values().enumerate() {
                let node = tree.node_of(symbol as u32);
                if path.is_empty() || node == u32::MAX {
                    continue;
                }
                let listed = index
                    .visibility
                    .visible_by(store, tree, node)
                    .iter()
                    .any(|line| auditview::model::is_user(&line.principal, principal));
                assert_eq!(
                    listed, set.by_path[symbol],
                    "{case}: {principal} on {path}: listed {listed}, selected {}",
                    set.by_path[symbol]
                );
            }
            // Event by event: selected exactly when its node's list, or its
            // resource's grants, name the principal.
            let filter = auditview::query::Filter {
                visible_by: vec![principal.clone()],
                ..auditview::query::Filter::default()
            };
            let selected = auditview::query::select(&opened, &filter).unwrap().rows;
            let resources = store.events.interned(TextField::Resource).unwrap();
            for row in 0..store.events.len() {
                let node = tree.node_of(paths.rows[row]);
                let named = |lines: &[auditview::index::visibility::Grant]| {
                    lines
                        .iter()
                        .any(|g| auditview::model::is_user(&g.principal, principal))
                };
                let expected = (node != u32::MAX
                    && index
                        .visibility
                        .visible_by(store, tree, node)
                        .iter()
                        .any(|l| auditview::model::is_user(&l.principal, principal)))
                    || named(index.visibility.resource_grants(resources.rows[row]));
                assert_eq!(
                    expected,
                    selected.binary_search(&(row as u32)).is_ok(),
                    "{case}: {principal}, row {row}"
                );
            }
        }
    }
}
