//! The usage, login and workgroup reports (issue 5): tables computed from
//! whatever is loaded, over the selected time frame, with the platforms' own
//! report rows (BaseSpace General Usage and Workgroup, Pydio shared
//! resources) beside the computed ones. Every row says where it comes from
//! (`source`) and, where one line proves it, that line (`evidence`).

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::index::people::{People, fold};
use crate::model::{Category, Origin, Outcome, ResourceKind, Store, System, TextField, user_key};
use crate::query::Selection;
use crate::time::{DAY_MS, as_rfc3339};

/// `source` of rows computed from events.
pub const COMPUTED: &str = "computed";
/// `source` of rows read from a BaseSpace usage or workgroup report.
pub const BASESPACE_REPORT: &str = "basespace report";
/// `source` of rows read from a Pydio "Export Audits Report".
pub const PYDIO_REPORT: &str = "pydio shared-resources report";

/// Which report: its id on the command line and in provenance, and its sheet name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Report {
    Usage,
    Logins,
    Workgroups,
}

impl Report {
    pub fn as_str(self) -> &'static str {
        match self {
            Report::Usage => "usage",
            Report::Logins => "logins",
            Report::Workgroups => "workgroups",
        }
    }

    /// The XLSX sheet name.
    pub fn title(self) -> &'static str {
        match self {
            Report::Usage => "Usage",
            Report::Logins => "Logins",
            Report::Workgroups => "Workgroups",
        }
    }
}

/// One user of the General usage report. Computed rows fill the activity
/// figures; BaseSpace General Usage rows fill their own figures
/// (`total_sessions`, `access_counts`, `registration`) and `last_login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsageRow {
    pub user: String,
    /// The actor texts merged into this row (e.g. `user-alice` and `alice`).
    pub actors: Vec<String>,
    /// The display name a report gives; empty for computed rows.
    pub name: String,
    pub systems: Vec<System>,
    pub logins: Option<u64>,
    pub failed_logins: Option<u64>,
    #[serde(serialize_with = "as_rfc3339::option")]
    pub last_login: Option<i64>,
    /// Distinct UTC days with any event.
    pub active_days: Option<u64>,
    pub events: Option<u64>,
    #[serde(serialize_with = "as_rfc3339::option")]
    pub first_seen: Option<i64>,
    #[serde(serialize_with = "as_rfc3339::option")]
    pub last_seen: Option<i64>,
    pub total_sessions: Option<u64>,
    pub access_counts: Option<u64>,
    #[serde(serialize_with = "as_rfc3339::option")]
    pub registration: Option<i64>,
    pub source: &'static str,
    /// The report line (none for computed rows: they sum many events).
    pub evidence: Option<Origin>,
}

/// Activity of one user, accumulated over rows in time order.
struct Activity {
    user: String,
    actors: Vec<String>,
    systems: Vec<System>,
    logins: u64,
    failed_logins: u64,
    last_login: Option<i64>,
    active_days: u64,
    last_day: Option<i64>,
    events: u64,
    first_seen: i64,
    last_seen: i64,
}

/// General usage: one computed row per user acting in the selection (events
/// without an actor are left out), then one row per BaseSpace General Usage
/// record (report state: not limited to the time frame), sorted by user.
///
/// With persons (`people`), one row per person: its identifiers' events
/// together, named by the person, and its report rows sorted beside it.
pub fn usage(store: &Store, selection: &Selection, people: &People) -> Vec<UsageRow> {
    let events = &store.events;
    let mut by_key: FxHashMap<String, usize> = FxHashMap::default();
    let mut users: Vec<Activity> = Vec::new();
    // Actor symbol -> index in `users`, decided once per distinct actor.
    let mut by_actor: FxHashMap<&str, usize> = FxHashMap::default();
    for &row in &selection.rows {
        let row = row as usize;
        let actor = events.text(TextField::Actor, row);
        if actor.is_empty() {
            continue;
        }
        let time = events.time_ms[row];
        let index = *by_actor.entry(actor).or_insert_with(|| {
            let (bare, key) = match people.person_of(actor) {
                // A person's key cannot be an actor's: it starts with a control character.
                Some(person) => (person.name.as_str(), format!("\u{1}{}", fold(&person.name))),
                None => user_key(actor),
            };
            let index = *by_key.entry(key).or_insert_with(|| {
                users.push(Activity {
                    user: bare.to_string(),
                    actors: Vec::new(),
                    systems: Vec::new(),
                    logins: 0,
                    failed_logins: 0,
                    last_login: None,
                    active_days: 0,
                    last_day: None,
                    events: 0,
                    first_seen: time,
                    last_seen: time,
                });
                users.len() - 1
            });
            users[index].actors.push(actor.to_string());
            index
        });
        let user = &mut users[index];
        user.events += 1;
        user.last_seen = time;
        let day = time.div_euclid(DAY_MS);
        if user.last_day != Some(day) {
            user.active_days += 1;
            user.last_day = Some(day);
        }
        let system = events.system[row];
        if !user.systems.contains(&system) {
            user.systems.push(system);
        }
        match events.category[row] {
            Category::Login => {
                user.logins += 1;
                user.last_login = Some(time);
            }
            Category::LoginFailed => user.failed_logins += 1,
            _ => {}
        }
    }
    let computed = users.into_iter().map(|mut u| {
        u.actors.sort();
        u.systems.sort();
        UsageRow {
            user: u.user,
            actors: u.actors,
            name: String::new(),
            systems: u.systems,
            logins: Some(u.logins),
            failed_logins: Some(u.failed_logins),
            last_login: u.last_login,
            active_days: Some(u.active_days),
            events: Some(u.events),
            first_seen: Some(u.first_seen),
            last_seen: Some(u.last_seen),
            total_sessions: None,
            access_counts: None,
            registration: None,
            source: COMPUTED,
            evidence: None,
        }
    });
    let reported = store.directory.users.iter().map(|r| UsageRow {
        user: match people.person_of(&r.login) {
            Some(person) => person.name.clone(),
            None if r.login.is_empty() => r.name.clone(),
            None => r.login.clone(),
        },
        actors: Vec::new(),
        name: r.name.clone(),
        systems: vec![System::Basespace],
        logins: None,
        failed_logins: None,
        last_login: r.last_login_ms,
        active_days: None,
        events: None,
        first_seen: None,
        last_seen: None,
        total_sessions: r.total_sessions,
        access_counts: r.access_counts,
        registration: r.registration_ms,
        source: BASESPACE_REPORT,
        evidence: Some(store.record_origin(r.origin)),
    });
    let mut rows: Vec<UsageRow> = computed.chain(reported).collect();
    // Stable: for one user, the computed row comes first, report rows in file order.
    rows.sort_by_cached_key(|r| (r.user.to_lowercase(), r.source != COMPUTED));
    rows
}

/// One login-type event (login, failed login, logout).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoginRow {
    #[serde(serialize_with = "as_rfc3339::one")]
    pub date: i64,
    pub category: Category,
    /// BaseSpace login report: the report's own `Category` column.
    pub report_category: String,
    pub client_address: String,
    pub application: String,
    pub user: String,
    /// The person the user is one identifier of (empty: none decided).
    pub person: String,
    /// BaseSpace login report: `Domain-name`.
    pub domain: String,
    /// The system's own verb (`LOGIN_SUCCESS`, `Login failed`, `user-login`).
    pub event_type: String,
    pub outcome: Outcome,
    pub system: System,
    pub evidence: Origin,
}

/// A column a BaseSpace login report keeps in the event's details (a JSON
/// object of the columns no field claims), by case-insensitive name.
fn kept_column(details: &str, column: &str) -> Option<String> {
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(details).ok()?;
    object
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(column))
        .and_then(|(_, value)| value.as_str().map(str::to_string))
}

/// The Login report: every selected event whose category is login,
/// login_failed or logout, in time order.
pub fn logins(store: &Store, selection: &Selection, people: &People) -> Vec<LoginRow> {
    let events = &store.events;
    selection
        .rows
        .iter()
        .map(|&row| row as usize)
        .filter(|&row| {
            matches!(
                events.category[row],
                Category::Login | Category::LoginFailed | Category::Logout
            )
        })
        .map(|row| {
            let text = |field| events.text(field, row).to_string();
            let system = events.system[row];
            let (report_category, domain) = if system == System::Basespace {
                let details = events.text(TextField::Details, row);
                (
                    kept_column(details, "category").unwrap_or_else(|| text(TextField::Message)),
                    kept_column(details, "domain-name").unwrap_or_default(),
                )
            } else {
                (String::new(), String::new())
            };
            LoginRow {
                date: events.time_ms[row],
                category: events.category[row],
                report_category,
                client_address: text(TextField::Ip),
                application: text(TextField::UserAgent),
                user: text(TextField::Actor),
                person: people
                    .person_of(events.text(TextField::Actor, row))
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
                domain,
                event_type: text(TextField::Action),
                outcome: events.outcome[row],
                system,
                evidence: store.origin(row),
            }
        })
        .collect()
}

/// One member (or owner) of one group: a BaseSpace workgroup, a Pydio cell,
/// workspace or public link, or a DNAnexus project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkgroupRow {
    /// The group's label (its id when no label is known).
    pub group: String,
    pub group_id: String,
    pub group_kind: ResourceKind,
    pub member: String,
    /// The member's display name, where a report gives one.
    pub member_name: String,
    /// The report's role, `owner` (creator or reported owner) or `seen active`.
    pub role: String,
    pub has_access: Option<bool>,
    #[serde(serialize_with = "as_rfc3339::option")]
    pub added: Option<i64>,
    pub description: String,
    pub administrator: String,
    pub node_path: String,
    pub readable_by: Option<u64>,
    pub writable_by: Option<u64>,
    /// `seen active` rows: the member's events in the group within the time frame.
    pub events: Option<u64>,
    pub source: &'static str,
    pub evidence: Origin,
}

pub const ROLE_OWNER: &str = "owner";
pub const ROLE_SEEN_ACTIVE: &str = "seen active";

/// Actions that create a resource: their actor owns it.
fn creates_resource(action: &str) -> bool {
    matches!(action, "Created cell" | "Created workspace" | "project-new")
}

/// A group seen in events: its label and the rows proving its members.
struct SeenGroup {
    kind: ResourceKind,
    id: String,
    label: String,
    /// Creator -> the creation event.
    owners: Vec<(String, usize)>,
    /// Actor -> (first event in the time frame, events).
    active: Vec<(String, usize, u64)>,
}

/// The Workgroup report. A computed group is named by the shared-resources
/// report's label for its id, else the label its creation event gives,
/// else the first label seen. Directory rows (BaseSpace memberships, Pydio
/// shared resources) are state, not activity: the time frame does not
/// limit them, nor the owners learned from creation events anywhere in the
/// case. `seen active` rows (every actor of a cell, workspace or project)
/// count only events in `selection`. Sorted by group; within a group the
/// report rows in file order, then owners, then active members by name.
pub fn workgroups(store: &Store, selection: &Selection) -> Vec<WorkgroupRow> {
    let mut rows: Vec<WorkgroupRow> = Vec::new();
    for m in &store.directory.memberships {
        rows.push(WorkgroupRow {
            group: m.workgroup.clone(),
            group_id: String::new(),
            group_kind: ResourceKind::Workgroup,
            member: if m.user_email.is_empty() {
                m.user_name.clone()
            } else {
                m.user_email.clone()
            },
            member_name: m.user_name.clone(),
            role: m.role.clone(),
            has_access: m.has_access,
            added: m.added_ms,
            description: m.description.clone(),
            administrator: m.administrator.clone(),
            node_path: String::new(),
            readable_by: None,
            writable_by: None,
            events: None,
            source: BASESPACE_REPORT,
            evidence: store.record_origin(m.origin),
        });
    }
    for r in &store.directory.shared_resources {
        rows.push(WorkgroupRow {
            group: if r.label.is_empty() {
                r.workspace_id.clone()
            } else {
                r.label.clone()
            },
            group_id: r.workspace_id.clone(),
            group_kind: r.kind,
            member: r.owner.clone(),
            member_name: String::new(),
            role: ROLE_OWNER.to_string(),
            has_access: None,
            added: None,
            description: String::new(),
            administrator: String::new(),
            node_path: r.node_path.clone(),
            readable_by: r.readable_by,
            writable_by: r.writable_by,
            events: None,
            source: PYDIO_REPORT,
            evidence: store.record_origin(r.origin),
        });
    }
    // The shared-resources report's label names a resource as the platform
    // does; a computed group takes it, so both sort together.
    let reported_label: FxHashMap<&str, &str> = store
        .directory
        .shared_resources
        .iter()
        .filter(|r| !r.label.is_empty() && !r.workspace_id.is_empty())
        .map(|r| (r.workspace_id.as_str(), r.label.as_str()))
        .collect();
    for group in seen_groups(store, selection) {
        let label = match reported_label.get(group.id.as_str()) {
            Some(label) => label.to_string(),
            None if group.label.is_empty() => group.id.clone(),
            None => group.label.clone(),
        };
        let members = group
            .owners
            .iter()
            .map(|(actor, row)| (actor, ROLE_OWNER, *row, None))
            .chain(
                group
                    .active
                    .iter()
                    .map(|(actor, row, n)| (actor, ROLE_SEEN_ACTIVE, *row, Some(*n))),
            );
        for (actor, role, row, events) in members {
            rows.push(WorkgroupRow {
                group: label.clone(),
                group_id: group.id.clone(),
                group_kind: group.kind,
                member: actor.clone(),
                member_name: String::new(),
                role: role.to_string(),
                has_access: None,
                added: None,
                description: String::new(),
                administrator: String::new(),
                node_path: String::new(),
                readable_by: None,
                writable_by: None,
                events,
                source: COMPUTED,
                evidence: store.origin(row),
            });
        }
    }
    rows.sort_by_cached_key(|r| (r.group.to_lowercase(), r.group_id.clone()));
    rows
}

/// Cells, workspaces and projects seen in events, by (kind, id), with
/// their creators (any time) and their actors within `selection`.
fn seen_groups(store: &Store, selection: &Selection) -> Vec<SeenGroup> {
    let events = &store.events;
    let mut groups: Vec<SeenGroup> = Vec::new();
    let mut index: FxHashMap<(ResourceKind, &str), usize> = FxHashMap::default();
    let mut group_of = |row: usize, groups: &mut Vec<SeenGroup>| -> Option<usize> {
        let kind = events.resource_kind[row];
        if !matches!(
            kind,
            ResourceKind::Cell | ResourceKind::Workspace | ResourceKind::Project
        ) {
            return None;
        }
        let id = events.text(TextField::Resource, row);
        if id.is_empty() {
            return None;
        }
        Some(*index.entry((kind, id)).or_insert_with(|| {
            groups.push(SeenGroup {
                kind,
                id: id.to_string(),
                label: String::new(),
                owners: Vec::new(),
                active: Vec::new(),
            });
            groups.len() - 1
        }))
    };
    // Labels and owners: the whole case, in time order.
    for row in 0..events.len() {
        let Some(g) = group_of(row, &mut groups) else {
            continue;
        };
        let group = &mut groups[g];
        let label = events.text(TextField::ResourceName, row);
        let creates = creates_resource(events.text(TextField::Action, row));
        // A creation event names the resource as its creator did; otherwise
        // the first label seen.
        if !label.is_empty() && (group.label.is_empty() || creates && group.owners.is_empty()) {
            group.label = label.to_string();
        }
        let actor = events.text(TextField::Actor, row);
        if creates
            && !actor.is_empty()
            && events.outcome[row] != Outcome::Failure
            && !group.owners.iter().any(|(a, _)| a == actor)
        {
            group.owners.push((actor.to_string(), row));
        }
    }
    // Members seen acting within the time frame.
    for &row in &selection.rows {
        let row = row as usize;
        let actor = events.text(TextField::Actor, row);
        if actor.is_empty() {
            continue;
        }
        let Some(g) = group_of(row, &mut groups) else {
            continue;
        };
        let active = &mut groups[g].active;
        match active.iter_mut().find(|(a, _, _)| a == actor) {
            Some((_, _, n)) => *n += 1,
            None => active.push((actor.to_string(), row, 1)),
        }
    }
    for group in &mut groups {
        group.active.sort_by(|a, b| a.0.cmp(&b.0));
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Case;
    use crate::model::{EventDraft, EventTable, Membership, RecordOrigin, UserRecord};
    use crate::query::{Filter, select};

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
            from: Some(DAY1 + 24 * HOUR),
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
                from: Some(DAY1 + 3 * HOUR),
                ..Filter::default()
            },
        )
        .unwrap();
        let rows = workgroups(&store, &later);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].role, ROLE_OWNER);
    }
}
