//! Tests of `analysis::reports`.

use super::*;
use crate::index::Case;
use crate::model::ResourceKind;
use crate::model::{EventDraft, EventTable, Membership, RecordOrigin, UserRecord};
use crate::query::{Filter, select};
use crate::time::UtcMs;

const HOUR: i64 = 3_600_000;
/// 2024-03-14T00:00:00Z.
const DAY1: i64 = 1_710_374_400_000;

fn event(
    time: i64,
    line: u64,
    system: System,
    actor: &'static str,
    action: &'static str,
    category: Category,
) -> EventDraft<'static> {
    let mut e = EventDraft::new(system, time, line);
    e.set(TextField::Actor, actor);
    e.set(TextField::Action, action);
    e.category = category;
    e.outcome = if category == Category::LoginFailed {
        Outcome::Failure
    } else {
        Outcome::Success
    };
    e
}

fn store(drafts: &[EventDraft<'static>]) -> Store {
    let mut table = EventTable::new();
    for d in drafts {
        table.push(d, 0);
    }
    table.sort_by_time();
    Store::of_events("case/log", crate::model::Format::PydioAuditJsonl, table)
}

/// alice: 2 logins on day 1 and day 2, 1 failed login on day 1, one
/// DNAnexus event as `user-alice` on day 2; bob: one event.
fn case() -> Store {
    use Category::*;
    use System::{Dnanexus, Pydio};
    store(&[
        event(
            DAY1 + 8 * HOUR,
            1,
            Pydio,
            "alice",
            "Login failed",
            LoginFailed,
        ),
        event(DAY1 + 9 * HOUR, 2, Pydio, "alice", "Login", Login),
        event(DAY1 + 10 * HOUR, 3, Pydio, "bob", "Listed folder", List),
        event(DAY1 + 33 * HOUR, 4, Pydio, "Alice", "Login", Login),
        event(
            DAY1 + 34 * HOUR,
            5,
            Dnanexus,
            "user-alice",
            "file-download",
            Download,
        ),
        event(
            DAY1 + 35 * HOUR,
            6,
            Pydio,
            "",
            "Public link accessed",
            Login,
        ),
    ])
}

#[test]
fn usage_counts_logins_failures_and_days_per_user() {
    let store = case();
    let rows = usage(&store, &Selection::all(&store), &People::default());
    let users: Vec<&str> = rows.iter().map(|r| r.user.as_str()).collect();
    assert_eq!(users, ["alice", "bob"]);
    let alice = &rows[0];
    assert_eq!(alice.actors, ["Alice", "alice", "user-alice"]);
    assert_eq!(alice.systems, [System::Dnanexus, System::Pydio]);
    assert_eq!(
        (
            alice.logins,
            alice.failed_logins,
            alice.active_days,
            alice.events
        ),
        (Some(2), Some(1), Some(2), Some(4))
    );
    assert_eq!(alice.last_login, Some(DAY1 + 33 * HOUR));
    assert_eq!(alice.first_seen, Some(DAY1 + 8 * HOUR));
    assert_eq!(alice.last_seen, Some(DAY1 + 34 * HOUR));
    assert_eq!(alice.source, COMPUTED);
    let json = serde_json::to_value(alice).unwrap();
    assert_eq!(json["last_login"], "2024-03-15T09:00:00Z");
    assert_eq!(json["systems"], serde_json::json!(["dnanexus", "pydio"]));
}

#[test]
fn the_time_frame_limits_usage_and_logins() {
    let store = case();
    let filter = Filter {
        from: Some(UtcMs(DAY1 + 24 * HOUR)),
        ..Filter::default()
    };
    let selection = select(&Case::new(store.clone()), &filter).unwrap();
    let rows = usage(&store, &selection, &People::default());
    let alice = &rows[0];
    assert_eq!(
        (
            alice.logins,
            alice.failed_logins,
            alice.active_days,
            alice.events
        ),
        (Some(1), Some(0), Some(1), Some(2))
    );
    assert_eq!(rows.len(), 1, "bob is not active on day 2");
    let logins = logins(&store, &selection, &People::default());
    assert_eq!(logins.len(), 2, "Alice's login and the public link access");
    assert_eq!(logins[1].user, "");
    assert_eq!(logins[1].evidence.line, 6);
}

#[test]
fn report_rows_sit_beside_computed_ones() {
    let mut store = case();
    store.directory.users.push(UserRecord {
        name: "Alice A".into(),
        login: "ALICE".into(),
        total_sessions: Some(7),
        last_login_ms: None,
        access_counts: Some(9),
        registration_ms: Some(DAY1),
        origin: RecordOrigin { source: 0, line: 2 },
    });
    let rows = usage(&store, &Selection::all(&store), &People::default());
    assert_eq!(rows.len(), 3);
    assert_eq!((rows[0].user.as_str(), rows[0].source), ("alice", COMPUTED));
    assert_eq!(
        (rows[1].user.as_str(), rows[1].source),
        ("ALICE", BASESPACE_REPORT)
    );
    assert_eq!(rows[1].total_sessions, Some(7));
    assert_eq!(
        rows[1].evidence,
        Some(Origin {
            path: "case/log".into(),
            line: 2
        })
    );
}

#[test]
fn workgroups_list_members_owners_and_active_actors() {
    use Category::*;
    let mut cell = event(DAY1, 1, System::Pydio, "alice", "Created cell", Share);
    cell.resource_kind = ResourceKind::Cell;
    cell.set(TextField::Resource, "c-1");
    cell.set(TextField::ResourceName, "Dossier A");
    let mut read = event(
        DAY1 + HOUR,
        2,
        System::Pydio,
        "bob",
        "Retrieved object",
        Download,
    );
    read.resource_kind = ResourceKind::Cell;
    read.set(TextField::Resource, "c-1");
    let mut again = read.clone();
    again.time_ms += HOUR;
    again.line = 3;
    let mut store = store(&[cell, read, again]);
    store.directory.memberships.push(Membership {
        workgroup: "WG-B".into(),
        description: "d".into(),
        administrator: "x@lab".into(),
        outside_collaborators: "No".into(),
        user_name: "Bob".into(),
        user_email: "bob@lab".into(),
        role: "Workgroup User".into(),
        has_access: Some(true),
        added_ms: None,
        origin: RecordOrigin { source: 0, line: 5 },
    });
    let rows = workgroups(&store, &Selection::all(&store));
    let summary: Vec<(&str, &str, &str, Option<u64>)> = rows
        .iter()
        .map(|r| {
            (
                r.group.as_str(),
                r.member.as_str(),
                r.role.as_str(),
                r.events,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("Dossier A", "alice", ROLE_OWNER, None),
            ("Dossier A", "alice", ROLE_SEEN_ACTIVE, Some(1)),
            ("Dossier A", "bob", ROLE_SEEN_ACTIVE, Some(2)),
            ("WG-B", "bob@lab", "Workgroup User", None),
        ]
    );
    assert_eq!(rows[2].evidence.line, 2);
    assert_eq!(rows[0].group_kind, ResourceKind::Cell);

    // Outside the time frame the owner stays; activity goes.
    let later = select(
        &Case::new(store.clone()),
        &Filter {
            from: Some(UtcMs(DAY1 + 3 * HOUR)),
            ..Filter::default()
        },
    )
    .unwrap();
    let rows = workgroups(&store, &later);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].role, ROLE_OWNER);
}
