//! DNAnexus Audit Trail: the 13-column daily CSV (formats.md section 2).

use std::borrow::Cow;

use super::Parsed;
use super::csv_rows::{Header, Row, parse_rows};
use super::input::Splitter;
use super::timestamp::parse_timestamp;
use crate::model::{Category, EventDraft, NodeType, Outcome, ResourceKind, System, TextField};

pub const COLUMNS: usize = 13;

/// The documented column names, in the documented order.
const NAMES: [&str; COLUMNS] = [
    "timestamp",
    "ip address",
    "user agent",
    "acting user id",
    "action",
    "object id",
    "object name",
    "project id",
    "project name",
    "success status",
    "info",
    "label",
    "auth token",
];

#[derive(Debug, Clone, Copy)]
enum Col {
    Timestamp,
    Ip,
    UserAgent,
    Actor,
    Action,
    ObjectId,
    ObjectName,
    ProjectId,
    ProjectName,
    Success,
    Info,
    Label,
    Token,
}

pub struct Importer {
    /// Field index of each documented column.
    columns: [usize; COLUMNS],
    expected_fields: usize,
}

impl Importer {
    pub fn headerless() -> Importer {
        Importer {
            columns: std::array::from_fn(|i| i),
            expected_fields: COLUMNS,
        }
    }

    /// Columns found by name; a missing documented column is an error.
    pub fn with_header(header: &Header) -> Result<Importer, String> {
        let mut columns = [0; COLUMNS];
        for (slot, name) in columns.iter_mut().zip(NAMES) {
            *slot = header.require(name, "a DNAnexus audit trail")?;
        }
        Ok(Importer {
            columns,
            expected_fields: header.len(),
        })
    }

    fn get<'r>(&self, row: &'r Row<'_>, col: Col) -> Cow<'r, str> {
        row.field(self.columns[col as usize])
    }

    /// A header row, also one repeated mid-file with its own BOM (`cat a.csv b.csv`).
    fn is_header(&self, row: &Row<'_>) -> bool {
        self.get(row, Col::Timestamp)
            .trim_start_matches('\u{feff}')
            .trim()
            .eq_ignore_ascii_case("timestamp")
            && self
                .get(row, Col::Action)
                .trim()
                .eq_ignore_ascii_case("action")
    }
}

impl super::Importer for Importer {
    fn splitter(&self) -> Splitter {
        Splitter::Csv
    }

    fn parse(&self, chunk: &[u8], first: bool, out: &mut Parsed) {
        let is_header = |row: &Row<'_>| self.is_header(row);
        // One buffer for every row's node path: no allocation per row.
        let mut path = String::new();
        parse_rows(
            chunk,
            first,
            self.expected_fields,
            is_header,
            out,
            |row, out| {
                out.events.push(&self.event(row, &mut path)?, 0);
                Ok(())
            },
        );
        categorize(&mut out.events);
    }
}

impl Importer {
    fn event<'r>(&self, row: &'r Row<'_>, path: &'r mut String) -> Result<EventDraft<'r>, String> {
        let time = parse_timestamp(&self.get(row, Col::Timestamp))?;
        let mut event = EventDraft::new(System::Dnanexus, time.utc_ms, row.line);
        event.utc_offset_min = time.offset_min;

        let action = self.get(row, Col::Action);
        let object_id = self.get(row, Col::ObjectId);
        let object_name = self.get(row, Col::ObjectName);
        let project_id = self.get(row, Col::ProjectId);
        let project_name = self.get(row, Col::ProjectName);

        event.outcome = match self.get(row, Col::Success).trim() {
            s if s.eq_ignore_ascii_case("yes") => Outcome::Success,
            s if s.eq_ignore_ascii_case("no") => Outcome::Failure,
            _ => Outcome::Unknown,
        };
        // The category is set per distinct action afterwards (`categorize`).
        event.node_type = node_type_for(&action, &object_id);
        if !project_id.is_empty() {
            event.resource_kind = ResourceKind::Project;
        }
        node_path(&project_name, &object_id, &object_name, path);
        event.set(TextField::NodePath, path.as_str());
        event.set(TextField::Ip, self.get(row, Col::Ip));
        event.set(TextField::UserAgent, self.get(row, Col::UserAgent));
        event.set(TextField::Actor, self.get(row, Col::Actor));
        event.set(TextField::Action, action);
        event.set(TextField::ObjectId, object_id);
        event.set(TextField::ObjectName, object_name);
        event.set(TextField::Resource, project_id);
        event.set(TextField::ResourceName, project_name);
        event.set(TextField::Details, self.get(row, Col::Info));
        event.set(TextField::TokenLabel, self.get(row, Col::Label));
        event.set(TextField::TokenSuffix, self.get(row, Col::Token));
        Ok(event)
    }
}

/// `<Project Name>/<Object Name>`, written into `out`; the project alone
/// when the project is the object. The folder is filled in later, when the
/// logs reveal it.
fn node_path(project: &str, object_id: &str, object_name: &str, out: &mut String) {
    out.clear();
    if project.is_empty() {
        out.push_str(object_name);
    } else if object_name.is_empty() || object_id.starts_with("project-") {
        out.push_str(project);
    } else {
        out.push_str(project);
        out.push('/');
        out.push_str(object_name);
    }
}

fn node_type_for(action: &str, object_id: &str) -> NodeType {
    let method = action.split_once('-').map_or("", |(_, m)| m);
    if method.ends_with("Folder") {
        return NodeType::Folder;
    }
    match object_id.split_once('-').map_or("", |(class, _)| class) {
        "file" | "record" | "applet" | "workflow" | "database" => NodeType::File,
        "project" | "container" => NodeType::Folder,
        _ => NodeType::Unknown,
    }
}

/// Sets each event's category, deciding once per distinct action and
/// outcome rather than once per row.
fn categorize(events: &mut crate::model::EventTable) {
    let Some(actions) = events.interned(TextField::Action) else {
        return;
    };
    let mut decided: Vec<[Option<Category>; 3]> = vec![[None; 3]; actions.values.len()];
    let categories: Vec<Category> = actions
        .rows
        .iter()
        .zip(&events.outcome)
        .map(|(&action, &outcome)| {
            let slot = &mut decided[action as usize][outcome as usize];
            *slot.get_or_insert_with(|| category_for(actions.values.resolve(action), outcome))
        })
        .collect();
    events.category = categories;
}

/// The category of a `<class>-<method>` action (formats.md 2.3).
pub fn category_for(action: &str, outcome: Outcome) -> Category {
    let (class, method) = action.split_once('-').unwrap_or(("", action));
    let mentions = |word: &str| {
        method
            .as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    };
    if mentions("logout") {
        return Category::Logout;
    }
    if mentions("login") {
        return if outcome == Outcome::Failure {
            Category::LoginFailed
        } else {
            Category::Login
        };
    }
    match method {
        "download" | "downloadFile" => Category::Download,
        "upload" => Category::Upload,
        "new" | "newFolder" | "clone" => Category::Create,
        "listFolder" => Category::List,
        "move" | "rename" | "renameFolder" | "relocate" => Category::Move,
        "remove" | "removeObjects" | "removeFolder" | "destroy" | "delete" | "uninstall" => {
            Category::Delete
        }
        "invite" | "addAuthorizedUsers" | "addDevelopers" | "publish" => Category::Share,
        "decreasePermissions"
        | "leave"
        | "setMemberAccess"
        | "removeMember"
        | "transfer"
        | "removeAuthorizedUsers"
        | "removeDevelopers"
        | "updateSponsorship" => Category::Permission,
        "run" | "dryRun" | "terminate" | "install" | "validateBatch" | "getIdentityToken" => {
            Category::Run
        }
        _ if class == "org" || class == "user" => Category::Admin,
        m if m.starts_with("describe")
            || m.starts_with("find")
            || m.starts_with("get")
            || m.starts_with("list")
            || m.starts_with("resolve")
            || matches!(
                m,
                "whoami" | "greet" | "headers" | "globalSearch" | "markRead"
            ) =>
        {
            Category::Read
        }
        "close" | "update" | "archive" | "unarchive" | "overwrite" | "shortenURL" => {
            Category::Modify
        }
        m if m.starts_with("set")
            || m.starts_with("add")
            || m.starts_with("remove")
            || m.ends_with("Stage")
            || m.starts_with("update") =>
        {
            Category::Modify
        }
        _ => Category::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TextField as F;

    const HEADER: &str = "Timestamp,IP Address,User Agent,Acting User ID,Action,Object ID,Object Name,Project ID,Project Name,Success Status,Info,Label,Auth Token\n";

    fn parse(text: &str) -> Parsed {
        let mut out = Parsed::default();
        let (_, importer) = super::super::detect::sniff(text.as_bytes()).unwrap();
        importer.parse(text.as_bytes(), true, &mut out);
        out
    }

    #[test]
    fn maps_every_column() {
        let text = format!(
            "{HEADER}2024-03-14T08:42:19.250Z,2001:db8:1f::a3,\"Mozilla/5.0 (X11; Linux) (KHTML, like Gecko)\",user-jdubois,file-download,file-Ykj5B97GJBQ3qjvjjGggG7VJ,\"QC report, S01 – \"\"final\"\".pdf\",project-GbQ0x8j0yZ2Pq4F6vKX1b9Jz,\"Müller, WGS\",No,\"{{\"\"project\"\":\"\"project-GbQ0x8j0yZ2Pq4F6vKX1b9Jz\"\"}}\",\"nightly, prod\",Zf3b\n"
        );
        let out = parse(&text);
        assert!(out.rejects.is_empty(), "{:?}", out.rejects);
        let t = &out.events;
        assert_eq!(t.len(), 1);
        assert_eq!(t.line[0], 2);
        assert_eq!(
            t.time_ms[0],
            chrono::DateTime::parse_from_rfc3339("2024-03-14T08:42:19.250Z")
                .unwrap()
                .timestamp_millis()
        );
        assert_eq!(t.text(F::Ip, 0), "2001:db8:1f::a3");
        assert_eq!(
            t.text(F::UserAgent, 0),
            "Mozilla/5.0 (X11; Linux) (KHTML, like Gecko)"
        );
        assert_eq!(t.text(F::Actor, 0), "user-jdubois");
        assert_eq!(t.text(F::Action, 0), "file-download");
        assert_eq!(t.text(F::ObjectId, 0), "file-Ykj5B97GJBQ3qjvjjGggG7VJ");
        assert_eq!(t.text(F::ObjectName, 0), "QC report, S01 – \"final\".pdf");
        assert_eq!(t.text(F::Resource, 0), "project-GbQ0x8j0yZ2Pq4F6vKX1b9Jz");
        assert_eq!(t.text(F::ResourceName, 0), "Müller, WGS");
        assert_eq!(
            t.text(F::NodePath, 0),
            "Müller, WGS/QC report, S01 – \"final\".pdf"
        );
        assert_eq!(
            t.text(F::Details, 0),
            "{\"project\":\"project-GbQ0x8j0yZ2Pq4F6vKX1b9Jz\"}"
        );
        assert_eq!(t.text(F::TokenLabel, 0), "nightly, prod");
        assert_eq!(t.text(F::TokenSuffix, 0), "Zf3b");
        assert_eq!(t.outcome[0], Outcome::Failure);
        assert_eq!(t.category[0], Category::Download);
        assert_eq!(t.node_type[0], NodeType::File);
        assert_eq!(t.resource_kind[0], ResourceKind::Project);
    }

    #[test]
    fn rejects_short_rows_and_bad_dates_and_skips_repeated_headers() {
        let text = format!(
            "{HEADER}2024-03-14T00:00:07Z,203.0.113.18,dxpy,user-a,system-whoami,,,,,Yes,{{}},,Zf3b\n\n{HEADER}2024-13-45T00:00:07Z,203.0.113.18,dxpy,user-a,system-whoami,,,,,Yes,{{}},,Zf3b\n2024-03-14T00:00:07Z,203.0.113.18,dxpy,user-a,system-whoami,,,,Yes,{{}},,Zf3b\n"
        );
        let out = parse(&text);
        assert_eq!(out.events.len(), 1);
        assert_eq!(out.rows, 3);
        let rejects: Vec<(u64, &str)> = out
            .rejects
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
        assert_eq!(
            rejects,
            [
                (5, "timestamp '2024-13-45T00:00:07Z' is not a date"),
                (
                    6,
                    "12 fields where 13 are expected (a field missing, or a comma outside quotes)"
                )
            ]
        );
    }

    #[test]
    fn skips_a_repeated_header_that_carries_its_own_bom() {
        let row =
            "2024-03-14T00:00:07Z,203.0.113.18,dxpy,user-a,system-whoami,,,,,Yes,{},,Zf3b\r\n";
        let crlf_header = HEADER.replace('\n', "\r\n");
        let text = format!("\u{feff}{crlf_header}{row}\u{feff}{crlf_header}{row}");
        let out = parse(&text);
        assert!(out.rejects.is_empty(), "{:?}", out.rejects);
        assert_eq!(out.events.len(), 2);
        assert_eq!(out.rows, 2);
    }

    #[test]
    fn categories_follow_the_method() {
        let c = |a| category_for(a, Outcome::Success);
        assert_eq!(c("project-listFolder"), Category::List);
        assert_eq!(c("file-new"), Category::Create);
        assert_eq!(c("project-invite"), Category::Share);
        assert_eq!(c("project-removeObjects"), Category::Delete);
        assert_eq!(c("applet-run"), Category::Run);
        assert_eq!(c("system-findDataObjects"), Category::Read);
        assert_eq!(c("file-close"), Category::Modify);
        assert_eq!(c("org-update"), Category::Admin);
        assert_eq!(c("project-renameFolder"), Category::Move);
    }
}
