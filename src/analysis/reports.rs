//! The usage, login and workgroup reports (issue 5): tables computed from
//! whatever is loaded, over the selected time frame, with the platforms' own
//! report rows (BaseSpace General Usage and Workgroup, Pydio shared
//! resources) beside the computed ones. Every row says where it comes from
//! (`source`) and, where one line proves it, that line (`evidence`).

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::index::people::{People, fold};
use crate::model::{Category, Origin, Outcome, Store, System, TextField, user_key};
use crate::query::Selection;
use crate::time::{DAY_MS, as_rfc3339};

mod workgroups;

pub use workgroups::{ROLE_OWNER, ROLE_SEEN_ACTIVE, WorkgroupRow, workgroups};

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

#[cfg(test)]
mod tests;
