//! Pydio Cells audit records to events, shared by the `audit.log` lines and
//! the `{"Logs":[...]}` export (formats.md 1.3-1.6). Records are read as
//! ordered key/value lists so duplicate keys survive: the first
//! `UserName`/`UserUuid` is the actor, later ones name the target.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;

use super::pydio_templates::{Template, template_for};

use crate::model::{
    Category, EventDraft, LogKind, NodeType, Outcome, ResourceKind, System, TextField,
};

/// A JSON object's entries in file order, duplicates kept.
#[derive(Debug, Default)]
pub struct Entries<'a>(pub Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                #[derive(Deserialize)]
                struct Key<'a>(#[serde(borrow)] Cow<'a, str>);
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(24));
                while let Some((Key(key), value)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
                    entries.push((key, value));
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// The text of a JSON string value (borrowed when it has no escapes), or the
/// raw text of any other value (numbers, booleans).
pub fn text_of(raw: &RawValue) -> Cow<'_, str> {
    let json = raw.get();
    if let Some(inner) = json.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        if !inner.contains('\\') {
            return Cow::Borrowed(inner);
        }
        if let Ok(text) = serde_json::from_str::<String>(json) {
            return Cow::Owned(text);
        }
    }
    if json == "null" {
        return Cow::Borrowed("");
    }
    Cow::Borrowed(json)
}

/// Key spellings of the two shapes: `audit.log` line, export record.
pub struct Keys {
    pub time: &'static str,
    pub level: &'static str,
    pub message: &'static str,
    pub workspace: &'static str,
    pub scope: &'static str,
    /// Every record is an audit record (the export of the audit store);
    /// else `LogType` and the message id tell.
    pub all_audit: bool,
}

pub const LOG_KEYS: Keys = Keys {
    time: "ts",
    level: "level",
    message: "msg",
    workspace: "WorkspaceUuid",
    scope: "WorkspaceScope",
    all_audit: false,
};

pub const EXPORT_KEYS: Keys = Keys {
    time: "Ts",
    level: "Level",
    message: "Msg",
    workspace: "WsUuid",
    scope: "WsScope",
    all_audit: true,
};

struct Record<'r, 'a> {
    entries: &'r [(Cow<'a, str>, &'a RawValue)],
}

impl<'a> Record<'_, 'a> {
    fn position(&self, key: &str) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k == key)
    }

    fn first(&self, key: &str) -> Option<Cow<'a, str>> {
        self.position(key).map(|i| text_of(self.entries[i].1))
    }

    fn first_nonempty(&self, key: &str) -> Option<Cow<'a, str>> {
        self.first(key).filter(|v| !v.is_empty())
    }

    /// The value of a repeated key's last occurrence: the target of the action.
    fn target(&self, key: &str) -> Option<Cow<'a, str>> {
        let first = self.position(key)?;
        let last = self.entries.iter().rposition(|(k, _)| k == key)?;
        (last != first).then(|| text_of(self.entries[last].1))
    }
}

/// Maps one record. `time_ms` comes from the caller (string `ts` or integer `Ts`).
pub fn event<'a>(
    entries: &[(Cow<'a, str>, &'a RawValue)],
    keys: &Keys,
    time_ms: i64,
    offset_min: i16,
    line: u64,
) -> EventDraft<'a> {
    let record = Record { entries };
    let mut event = EventDraft::new(System::Pydio, time_ms, line);
    event.utc_offset_min = offset_min;

    let mut message = record.first(keys.message).unwrap_or_default();
    if let Some(error) = record.first_nonempty("error") {
        message = Cow::Owned(format!("{message} - {error}"));
    }
    let msg_id = record.first("MsgId").unwrap_or_default();
    let level = record.first(keys.level).unwrap_or_default();
    let template = template_for(&message, &msg_id);

    event.category = template.category;
    event.log = log_kind(&record, keys, &msg_id);
    let status = http_status(&message);
    // From the line's own facts only: its level, a failure's message, an
    // HTTP status; an audit record at another level says the action was
    // done. Anything else (a system line's "ready") is unknown.
    event.outcome = match level.as_ref() {
        "error" | "fatal" | "panic" | "dpanic" => Outcome::Failure,
        _ if template.category == Category::LoginFailed => Outcome::Failure,
        _ if status.is_some_and(|s| s >= 400) => Outcome::Failure,
        _ if event.log == LogKind::Audit => Outcome::Success,
        _ if status.is_some_and(|s| (200..400).contains(&s)) => Outcome::Success,
        _ => Outcome::Unknown,
    };

    let actor = record
        .first_nonempty("UserName")
        .or_else(|| record.first_nonempty("UserUuid"))
        .unwrap_or_default();
    let request = record
        .first_nonempty("SpanRootUuid")
        .or_else(|| record.first_nonempty("SpanUuid"))
        .unwrap_or_default();
    let ip = record
        .first("RemoteAddress")
        .map(|a| strip_port(a))
        .unwrap_or_default();

    let node_path = record.first_nonempty("NodePath").or_else(|| {
        template
            .path_in_brackets
            .then(|| bracketed(&message))
            .flatten()
    });
    let cell = record.first_nonempty("CellUuid");
    let link = record.first_nonempty("ShareLinkUuid");
    let workspace = record.first_nonempty(keys.workspace);
    let scope = record.first(keys.scope).unwrap_or_default();
    event.resource_kind = match scope.as_ref() {
        "ADMIN" => ResourceKind::Workspace,
        "ROOM" => ResourceKind::Cell,
        "LINK" => ResourceKind::PublicLink,
        _ if cell.is_some() => ResourceKind::Cell,
        _ if link.is_some() || template.action == "Public link accessed" => {
            ResourceKind::PublicLink
        }
        _ if template.action.ends_with("workspace") => ResourceKind::Workspace,
        _ => ResourceKind::None,
    };
    let resource = workspace.or_else(|| cell.clone()).or_else(|| link.clone());
    if template.names_resource
        && let Some(label) = bracketed(&message)
    {
        event.set(TextField::ResourceName, label);
    }

    event.node_type = node_type(&record, &template, node_path.as_deref());
    let target_name = record.target("UserName");
    let target_id = record.target("UserUuid");
    let object_id = record
        .first_nonempty("NodeUuid")
        .or(cell)
        .or(link)
        .or_else(|| record.first_nonempty("RoleUuid"))
        .or_else(|| record.first_nonempty("PolicyGroupUuid"))
        .or_else(|| target_id.clone());
    let object_name = match (&node_path, &target_name) {
        (Some(path), _) => Some(basename(path)),
        (None, Some(name)) => Some(name.clone()),
        _ => None,
    };

    event.set(TextField::Actor, actor);
    event.set(TextField::Ip, ip);
    event.set(
        TextField::UserAgent,
        record.first("UserAgent").unwrap_or_default(),
    );
    event.set(TextField::Action, template.action);
    event.set(TextField::RequestId, request);
    event.set(TextField::NodePath, node_path.unwrap_or_default());
    event.set(TextField::Resource, resource.unwrap_or_default());
    event.set(TextField::ObjectId, object_id.unwrap_or_default());
    event.set(TextField::ObjectName, object_name.unwrap_or_default());
    event.set(TextField::Message, message);
    event.set(TextField::Details, details(entries, keys));
    event
}

/// Audit (`LogType` audit, or a message id: only audit records carry one),
/// task (`LogType` tasks) or system (anything else Cells writes).
fn log_kind(record: &Record<'_, '_>, keys: &Keys, msg_id: &str) -> LogKind {
    if keys.all_audit {
        return LogKind::Audit;
    }
    match record.first("LogType").as_deref().map(str::trim) {
        Some(kind) if kind.eq_ignore_ascii_case("audit") => LogKind::Audit,
        Some(kind) if kind.eq_ignore_ascii_case("tasks") || kind.eq_ignore_ascii_case("task") => {
            LogKind::Task
        }
        _ if !msg_id.trim().is_empty() => LogKind::Audit,
        _ => LogKind::System,
    }
}

/// The status of Cells' `Rest Error 401` lines.
fn http_status(message: &str) -> Option<u16> {
    let rest = message.strip_prefix("Rest Error ")?;
    let digits = rest.get(..3)?;
    let status: u16 = digits.parse().ok()?;
    let ends = rest[3..].chars().next().is_none_or(|c| !c.is_ascii_digit());
    ((100..600).contains(&status) && ends).then_some(status)
}

/// The keys that became normalized fields; everything else goes to details.
/// `SpanRootUuid` is the Request ID (which is `SpanUuid` only when there is
/// no root), and the first `NodeUuid` is the Object ID, so neither is repeated.
fn is_mapped(key: &str, keys: &Keys) -> bool {
    key == keys.time
        || key == keys.message
        || key == keys.workspace
        || matches!(
            key,
            "RemoteAddress" | "UserAgent" | "NodePath" | "error" | "SpanRootUuid"
        )
}

/// The remaining entries as a JSON object, in file order; a repeated
/// `UserName`/`UserUuid` after the first is written as `TargetUserName`/`TargetUserUuid`.
fn details(entries: &[(Cow<'_, str>, &RawValue)], keys: &Keys) -> String {
    let mut out = String::with_capacity(256);
    out.push('{');
    let mut seen_user_name = false;
    let mut seen_user_uuid = false;
    let mut seen_node_uuid = false;
    let root = entries
        .iter()
        .find(|(k, _)| k == "SpanRootUuid")
        .map(|(_, v)| v.get());
    for (key, value) in entries {
        let key: &str = key;
        let name: Cow<'_, str> = match key {
            // Cells writes the root id here (a known bug): only a different value says more.
            "SpanParentUuid" if Some(value.get()) == root => continue,
            "NodeUuid" if !seen_node_uuid => {
                seen_node_uuid = true;
                continue;
            }
            "UserName" if seen_user_name => "TargetUserName".into(),
            "UserName" => {
                seen_user_name = true;
                continue;
            }
            "UserUuid" if seen_user_uuid => "TargetUserUuid".into(),
            "UserUuid" => {
                seen_user_uuid = true;
                key.into()
            }
            _ if is_mapped(key, keys) => continue,
            _ => key.into(),
        };
        if out.len() > 1 {
            out.push(',');
        }
        if name.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
            out.push_str(&serde_json::to_string(name.as_ref()).unwrap_or_default());
        } else {
            let _ = write!(out, "\"{name}\"");
        }
        out.push(':');
        out.push_str(value.get());
    }
    out.push('}');
    out
}

/// `ip`, `ip:port`, `[v6]:port` or a bare IPv6 address, without the port.
pub fn strip_port(address: Cow<'_, str>) -> Cow<'_, str> {
    let trimmed = address.trim();
    if let Some(rest) = trimmed.strip_prefix('[')
        && let Some(end) = rest.find(']')
    {
        return Cow::Owned(rest[..end].to_string());
    }
    match trimmed.rsplit_once(':') {
        // One colon: IPv4 (or a host name) with a port.
        Some((host, port)) if !host.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            Cow::Owned(host.to_string())
        }
        _ if trimmed.len() == address.len() => address,
        _ => Cow::Owned(trimmed.to_string()),
    }
}

fn bracketed<'a>(message: &Cow<'a, str>) -> Option<Cow<'a, str>> {
    let start = message.find('[')? + 1;
    let end = start + message[start..].find(']')?;
    let inner = &message[start..end];
    Some(match message {
        Cow::Borrowed(text) => Cow::Borrowed(&text[start..end]),
        Cow::Owned(_) => Cow::Owned(inner.to_string()),
    })
}

fn basename<'a>(path: &Cow<'a, str>) -> Cow<'a, str> {
    let trimmed = path.trim_end_matches('/');
    let start = trimmed.rfind('/').map_or(0, |i| i + 1);
    match path {
        Cow::Borrowed(text) => Cow::Borrowed(&text[start..trimmed.len()]),
        Cow::Owned(text) => Cow::Owned(text[start..trimmed.len()].to_string()),
    }
}

fn node_type(record: &Record<'_, '_>, template: &Template, path: Option<&str>) -> NodeType {
    if template.node_type != NodeType::Unknown {
        return template.node_type;
    }
    if path.is_some_and(|p| p.ends_with('/')) {
        return NodeType::Folder;
    }
    if let Some(i) = record.position("CreateNodeRequest") {
        // Proto enum Type: 1 = LEAF (file), 2 = COLLECTION (folder); seen as
        // `"Type":2` (encoding/json) or `["Type",2]` (zap array encoder).
        let raw: String = record.entries[i]
            .1
            .get()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if raw.contains("\"Type\":2") || raw.contains("[\"Type\",2]") || raw.contains("COLLECTION")
        {
            return NodeType::Folder;
        }
        if raw.contains("\"Type\":1") || raw.contains("[\"Type\",1]") || raw.contains("LEAF") {
            return NodeType::File;
        }
    }
    NodeType::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_ports_from_remote_addresses() {
        let strip = |a: &'static str| strip_port(Cow::Borrowed(a)).into_owned();
        assert_eq!(strip("192.0.2.7:51544"), "192.0.2.7");
        assert_eq!(strip("[2001:db8::1]:443"), "2001:db8::1");
        assert_eq!(strip("2001:db8::1"), "2001:db8::1");
        assert_eq!(strip("192.0.2.10"), "192.0.2.10");
    }

    #[test]
    fn keeps_duplicate_keys_actor_first_target_last() {
        let line = r#"{"ts":"x","msg":"Created user [/legal/carol]","UserName":"admin","UserUuid":"u-admin","MsgId":"41","UserUuid":"u-carol","RemoteAddress":"[2001:db8::5]:443"}"#;
        let Entries(entries) = serde_json::from_str(line).unwrap();
        let event = event(&entries, &LOG_KEYS, 0, 0, 1);
        assert_eq!(event.get(TextField::Actor), "admin");
        assert_eq!(event.get(TextField::ObjectId), "u-carol");
        assert_eq!(event.get(TextField::Ip), "2001:db8::5");
        assert_eq!(event.get(TextField::Action), "Created user");
        assert_eq!(event.category, Category::Admin);
        assert_eq!(
            event.get(TextField::Details),
            r#"{"UserUuid":"u-admin","MsgId":"41","TargetUserUuid":"u-carol"}"#
        );
    }

    #[test]
    fn details_do_not_repeat_what_columns_hold() {
        let line = r#"{"ts":"x","msg":"Listed folder a","SpanRootUuid":"r1","SpanParentUuid":"r1","SpanUuid":"s2","NodeUuid":"n1","NodePath":"a","MsgId":"13"}"#;
        let Entries(entries) = serde_json::from_str(line).unwrap();
        let first = event(&entries, &LOG_KEYS, 0, 0, 1);
        assert_eq!(first.get(TextField::RequestId), "r1");
        assert_eq!(first.get(TextField::ObjectId), "n1");
        assert_eq!(
            first.get(TextField::Details),
            r#"{"SpanUuid":"s2","MsgId":"13"}"#
        );

        let other_parent = line.replace(r#""SpanParentUuid":"r1""#, r#""SpanParentUuid":"p9""#);
        let Entries(entries) = serde_json::from_str(&other_parent).unwrap();
        let second = event(&entries, &LOG_KEYS, 0, 0, 1);
        assert_eq!(
            second.get(TextField::Details),
            r#"{"SpanParentUuid":"p9","SpanUuid":"s2","MsgId":"13"}"#
        );
    }
}
