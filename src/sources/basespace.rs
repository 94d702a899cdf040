//! Illumina BaseSpace IAM usage reports (formats.md section 3): the Login
//! report becomes events; General Usage and Workgroup rows go to the Directory.
//! Columns are found by header name, since their order is not documented.

use std::borrow::Cow;

use super::Parsed;
use super::csv_rows::{Header, Row, parse_rows};
use super::input::Splitter;
use super::timestamp::parse_timestamp;
use crate::model::{
    Category, EventDraft, Membership, Outcome, RecordOrigin, System, TextField, UserRecord,
};

/// Column indexes by name, plus the columns no field claims (kept as details).
struct Columns {
    header: Header,
}

impl Columns {
    fn get<'r>(&self, row: &'r Row<'_>, name: &str) -> Cow<'r, str> {
        match self.header.index(name) {
            Some(i) => row.field(i),
            None => Cow::Borrowed(""),
        }
    }

    fn parse_rows(
        &self,
        chunk: &[u8],
        first: bool,
        out: &mut Parsed,
        map: impl FnMut(&Row<'_>, &mut Parsed) -> Result<(), String>,
    ) {
        let is_header = |row: &Row<'_>| self.header.is_repeated_in(row);
        parse_rows(chunk, first, self.header.len(), is_header, out, map);
    }
}

fn optional_time(text: &str, column: &str) -> Result<Option<i64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    parse_timestamp(text)
        .map(|t| Some(t.utc_ms))
        .map_err(|e| format!("'{column}': {e}"))
}

fn optional_count(text: &str, column: &str) -> Result<Option<u64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| format!("'{column}' value '{text}' is not a count"))
}

pub struct LoginImporter {
    columns: Columns,
    /// Columns kept in details, by index and name.
    extra: Vec<(usize, String)>,
}

const LOGIN_MAPPED: [&str; 5] = [
    "date",
    "client-address",
    "application",
    "user-email",
    "event-type",
];

impl LoginImporter {
    pub fn new(header: &Header) -> Result<LoginImporter, String> {
        header.require("date", "a BaseSpace login report")?;
        header.require("event-type", "a BaseSpace login report")?;
        let extra = header
            .names()
            .iter()
            .enumerate()
            .filter(|(_, n)| !LOGIN_MAPPED.contains(&n.to_lowercase().as_str()))
            .map(|(i, n)| (i, n.clone()))
            .collect();
        Ok(LoginImporter {
            columns: Columns {
                header: Header::from_names(header.names()),
            },
            extra,
        })
    }

    fn event<'r>(&self, row: &'r Row<'_>) -> Result<EventDraft<'r>, String> {
        let c = &self.columns;
        let time = parse_timestamp(&c.get(row, "date"))?;
        let mut event = EventDraft::new(System::Basespace, time.utc_ms, row.line);
        event.utc_offset_min = time.offset_min;
        let event_type = c.get(row, "event-type");
        (event.category, event.outcome) = login_category(&event_type);
        let mut details = serde_json::Map::new();
        for (i, name) in &self.extra {
            details.insert(name.clone(), row.field(*i).into_owned().into());
        }
        event.set(TextField::Ip, c.get(row, "client-address"));
        event.set(TextField::UserAgent, c.get(row, "application"));
        event.set(TextField::Actor, c.get(row, "user-email"));
        event.set(TextField::Action, event_type);
        event.set(TextField::Message, c.get(row, "category"));
        event.set(
            TextField::Details,
            serde_json::Value::Object(details).to_string(),
        );
        Ok(event)
    }
}

/// Category and outcome of a login report `Event-type` (values [I], so
/// unknown ones are judged by their words).
pub fn login_category(event_type: &str) -> (Category, Outcome) {
    let upper = event_type.trim().to_ascii_uppercase();
    match upper.as_str() {
        "LOGIN_SUCCESS" | "API_KEY_AUTH" => (Category::Login, Outcome::Success),
        "LOGIN_FAILURE" => (Category::LoginFailed, Outcome::Failure),
        "LOGOUT" | "SESSION_TIMEOUT" => (Category::Logout, Outcome::Success),
        "ACCOUNT_LOCKED" => (Category::Lockout, Outcome::Failure),
        u if u.contains("FAIL") || u.contains("DENIED") => {
            (Category::LoginFailed, Outcome::Failure)
        }
        u if u.contains("LOGOUT") => (Category::Logout, Outcome::Success),
        u if u.contains("LOGIN") || u.contains("AUTH") => (Category::Login, Outcome::Unknown),
        _ => (Category::Other, Outcome::Unknown),
    }
}

impl super::Importer for LoginImporter {
    fn splitter(&self) -> Splitter {
        Splitter::Csv
    }

    fn parse(&self, chunk: &[u8], first: bool, out: &mut Parsed) {
        self.columns.parse_rows(chunk, first, out, |row, out| {
            out.events.push(&self.event(row)?, 0);
            Ok(())
        });
    }
}

pub struct UsageImporter {
    columns: Columns,
}

impl UsageImporter {
    pub fn new(header: &Header) -> Result<UsageImporter, String> {
        Ok(UsageImporter {
            columns: Columns {
                header: Header::from_names(header.names()),
            },
        })
    }
}

impl super::Importer for UsageImporter {
    fn splitter(&self) -> Splitter {
        Splitter::Whole
    }

    fn parse(&self, chunk: &[u8], first: bool, out: &mut Parsed) {
        let c = &self.columns;
        c.parse_rows(chunk, first, out, |row, out| {
            let record = UserRecord {
                name: c.get(row, "user name").trim().to_string(),
                login: c.get(row, "login").trim().to_string(),
                total_sessions: optional_count(&c.get(row, "total sessions"), "Total Sessions")?,
                last_login_ms: optional_time(&c.get(row, "last login"), "Last Login")?,
                access_counts: optional_count(&c.get(row, "access counts"), "Access Counts")?,
                registration_ms: optional_time(
                    &c.get(row, "registration date"),
                    "Registration Date",
                )?,
                origin: RecordOrigin {
                    source: 0,
                    line: row.line,
                },
            };
            out.directory.users.push(record);
            Ok(())
        });
    }
}

pub struct WorkgroupImporter {
    columns: Columns,
}

impl WorkgroupImporter {
    pub fn new(header: &Header) -> Result<WorkgroupImporter, String> {
        Ok(WorkgroupImporter {
            columns: Columns {
                header: Header::from_names(header.names()),
            },
        })
    }
}

impl super::Importer for WorkgroupImporter {
    fn splitter(&self) -> Splitter {
        Splitter::Whole
    }

    fn parse(&self, chunk: &[u8], first: bool, out: &mut Parsed) {
        let c = &self.columns;
        c.parse_rows(chunk, first, out, |row, out| {
            let text = |name: &str| c.get(row, name).trim().to_string();
            let has_access = match text("has access").to_ascii_lowercase().as_str() {
                "" => None,
                "yes" | "true" | "y" => Some(true),
                "no" | "false" | "n" => Some(false),
                other => return Err(format!("'Has Access' value '{other}' is not Yes or No")),
            };
            let record = Membership {
                workgroup: text("workgroup name"),
                description: text("workgroup description"),
                administrator: text("workgroup administrator"),
                outside_collaborators: text("collaborators outside domain"),
                user_name: text("user name"),
                user_email: text("user-email"),
                role: text("role"),
                has_access,
                added_ms: optional_time(&text("date added"), "Date Added")?,
                origin: RecordOrigin {
                    source: 0,
                    line: row.line,
                },
            };
            out.directory.memberships.push(record);
            Ok(())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TextField as F;

    fn parse(text: &str) -> Parsed {
        let (_, importer) = super::super::detect::sniff(text.as_bytes()).unwrap();
        let mut out = Parsed::default();
        importer.parse(text.as_bytes(), true, &mut out);
        out
    }

    #[test]
    fn login_rows_map_by_header_name_in_any_order() {
        let out = parse(
            "Event-type,User-email,Date,Client-address,Application,Domain-name,Category\r\nLOGIN_FAILURE,eve@x.example,2024-03-01T09:33:47Z,2001:db8::7,BaseSpace Sequence Hub,genomicslab,Authentication\r\n",
        );
        let t = &out.events;
        assert_eq!(t.len(), 1);
        assert_eq!(t.text(F::Actor, 0), "eve@x.example");
        assert_eq!(t.text(F::Ip, 0), "2001:db8::7");
        assert_eq!(t.text(F::Action, 0), "LOGIN_FAILURE");
        assert_eq!(t.text(F::UserAgent, 0), "BaseSpace Sequence Hub");
        assert_eq!(t.text(F::Message, 0), "Authentication");
        assert_eq!(
            t.text(F::Details, 0),
            r#"{"Category":"Authentication","Domain-name":"genomicslab"}"#
        );
        assert_eq!(t.category[0], Category::LoginFailed);
        assert_eq!(t.outcome[0], Outcome::Failure);
    }

    #[test]
    fn usage_and_workgroup_rows_become_directory_records() {
        let usage = parse(
            "User Name,Total Sessions,Last Login,Access Counts,Registration Date,Login\n\"Okafor, Bob\",3,,4,2021-06-02T09:14:00Z,bob@x.example\nNobody,many,,1,,n@x.example\n",
        );
        assert_eq!(usage.directory.users.len(), 1);
        assert_eq!(usage.directory.users[0].name, "Okafor, Bob");
        assert_eq!(usage.directory.users[0].last_login_ms, None);
        assert_eq!(
            usage.rejects[0].reason,
            "'Total Sessions' value 'many' is not a count"
        );
        assert_eq!(usage.rejects[0].line, 3);

        let groups = parse(
            "Workgroup Name,Workgroup Description,Workgroup Administrator,Collaborators Outside Domain,User Name,User-email,Role,Has Access,Date Added\nWG-1,\"a, \"\"b\"\"\",alice@x,No,Bob,bob@x,Workgroup User,Yes,2024-01-12T08:25:00Z\n",
        );
        let m = &groups.directory.memberships[0];
        assert_eq!(m.description, "a, \"b\"");
        assert_eq!(m.has_access, Some(true));
        assert_eq!(m.origin.line, 2);
    }
}
